package api

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/accesslog"
	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/store"
)

// myCertificate is a person's own certificate, with its register facts.
type myCertificate struct {
	Certificate  documents.Certificate `json:"certificate"`
	EntryNumber  string                `json:"entryNumber"`
	Submission   string                `json:"submission"`
	BaseDocument documents.DecisionRef `json:"baseDocument"`
	// UnderReview: reported wrong, closed to the public (R14.1); the
	// holder still sees it.
	UnderReview bool `json:"underReview,omitempty"`
}

// me answers a person the data held about them and how it was processed
// (R16.3): their certificates, the processing-log entries of the
// submissions that entered them, and who read their data (Andmejälgija).
func (h *handlers) me(c *gin.Context) {
	p := PrincipalOf(c)
	ctx := c.Request.Context()
	recs, err := h.store.PersonCertificates(ctx, p.PersonalCode)
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	certs := make([]myCertificate, len(recs))
	submissions := map[string]bool{}
	for i, r := range recs {
		certs[i] = myCertificate{Certificate: r.Data, EntryNumber: r.EntryNumber, Submission: r.Submission, BaseDocument: r.Document}
		if _, err := h.store.UnderReview(ctx, store.ReviewKey(store.CollCertificates, r.ID)); err == nil {
			certs[i].UnderReview = true
		}
		submissions[r.Submission] = true
	}
	log := []audit.Entry{}
	ids := make([]string, 0, len(submissions))
	for id := range submissions {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		entries, err := h.audit.List(ctx, audit.Filter{SubmissionID: id}, audit.Page{Limit: audit.MaxLimit})
		if err != nil {
			WriteError(c, h.log, err)
			return
		}
		log = append(log, entries...)
	}
	reads := []accesslog.Entry{}
	if h.access != nil {
		if reads, err = h.access.ListForPerson(ctx, p.PersonalCode); err != nil {
			WriteError(c, h.log, err)
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"certificates": certs, "processingLog": log, "dataAccess": reads})
}

// auditLog lets a supervisor read the processing log (R19.2), filtered by
// submission, actor and time range, a page at a time.
func (h *handlers) auditLog(c *gin.Context) {
	f := audit.Filter{SubmissionID: c.Query("submission"), Actor: c.Query("actor")}
	var err error
	if v := c.Query("from"); v != "" {
		if f.From, err = parseDateOrTime(v); err != nil {
			WriteError(c, h.log, queryProblem("from", "a date YYYY-MM-DD or an RFC 3339 time"))
			return
		}
	}
	if v := c.Query("to"); v != "" {
		if f.To, err = parseDateOrTime(v); err != nil {
			WriteError(c, h.log, queryProblem("to", "a date YYYY-MM-DD or an RFC 3339 time"))
			return
		}
	}
	page := audit.Page{}
	if v := c.Query("after"); v != "" {
		n, err := parseInt64(v)
		if err != nil || n < 0 {
			WriteError(c, h.log, queryProblem("after", "the seq of the last entry seen"))
			return
		}
		page.After = n
	}
	entries, err := h.audit.List(c.Request.Context(), f, page)
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	if entries == nil {
		entries = []audit.Entry{}
	}
	c.JSON(http.StatusOK, gin.H{"items": entries})
}

// checkpointJSON is the processing log's latest signed checkpoint.
type checkpointJSON struct {
	Count     int64     `json:"count"`
	HeadHash  string    `json:"headHash"`
	Time      time.Time `json:"time"`
	KeyID     string    `json:"keyId"`
	Signature []byte    `json:"signature"`
}

// auditCheckpoint publishes the latest checkpoint of the processing log:
// the chain's length and head hash at a time, signed with a key that the
// database does not hold, so that anyone who keeps these can later tell
// whether the log was rewritten (R17). No personal data.
func (h *handlers) auditCheckpoint(c *gin.Context) {
	cp, ok, err := h.audit.LatestCheckpoint(c.Request.Context())
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	if !ok {
		WriteError(c, h.log, NotFound("the processing log has no checkpoint yet"))
		return
	}
	c.JSON(http.StatusOK, checkpointJSON{Count: cp.Count, HeadHash: cp.HeadHash, Time: cp.Time, KeyID: cp.KeyID, Signature: cp.Signature})
}
