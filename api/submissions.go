package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// maxMetadataBytes bounds the metadata part: a 10,000-certificate committee
// decision is about 8.4 MiB of indented JSON.
const maxMetadataBytes = 16 << 20

// receipt answers an accepted submission or correction.
type receipt struct {
	ID         string          `json:"id"`
	Status     string          `json:"status"`
	ReceivedAt time.Time       `json:"receivedAt"`
	Deadlines  deadlinesJSON   `json:"deadlines"`
	Late       bool            `json:"late"`
	Warnings   deficiency.List `json:"warnings,omitempty"`
}

// upload reads the multipart form: "document" (the PDF) and "metadata"
// (JSON, a file or a field). Gin spools large parts to temporary files, so
// an upload is not held in memory whole.
func upload(c *gin.Context) (intake.Request, func(), error) {
	none := func() {}
	form, err := c.MultipartForm()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return intake.Request{}, none, TooLarge(mbe.Limit)
		}
		return intake.Request{}, none, Invalid("the request is not a multipart form with the parts document and metadata",
			deficiency.List{{Field: "", Code: "request.multipart", Severity: deficiency.Error,
				Message: deficiency.Message{ET: "Päring peab olema multipart-vorm osadega document ja metadata.", EN: "The request must be a multipart form with the parts document and metadata."}}})
	}
	cleanup := func() { _ = form.RemoveAll() }
	var missing deficiency.List
	files := form.File["document"]
	if len(files) != 1 {
		missing.Add("document", "request.document.missing", "Osa document (PDF) puudub või on mitu.", "Exactly one part document (the PDF) is required.")
	}
	meta, err := metadataPart(form)
	if err != nil {
		missing.Add("metadata", "request.metadata.missing", "Osa metadata (JSON) puudub või on liiga suur.", "The part metadata (JSON) is missing or too large.")
	}
	if len(missing) > 0 {
		return intake.Request{}, cleanup, Invalid("the upload is incomplete", missing)
	}
	f, err := files[0].Open()
	if err != nil {
		return intake.Request{}, cleanup, fmt.Errorf("open upload: %w", err)
	}
	return intake.Request{PDF: f, Filename: files[0].Filename, Metadata: meta}, func() { f.Close(); cleanup() }, nil
}

func metadataPart(form *multipart.Form) ([]byte, error) {
	if v := form.Value["metadata"]; len(v) == 1 {
		if len(v[0]) > maxMetadataBytes {
			return nil, errors.New("metadata too large")
		}
		return []byte(v[0]), nil
	}
	if fs := form.File["metadata"]; len(fs) == 1 {
		f, err := fs[0].Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxMetadataBytes+1))
		if err != nil || len(b) > maxMetadataBytes {
			return nil, errors.New("metadata too large")
		}
		return b, nil
	}
	return nil, errors.New("no metadata")
}

// submit receives a first submission (R11): 202 with its id, status,
// deadlines and late flag; bad input 422 with every deficiency, and nothing
// stored.
func (h *handlers) submit(c *gin.Context) {
	p := PrincipalOf(c)
	req, done, err := upload(c)
	defer done()
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	req.Submitter = intake.Submitter{Organisation: p.Organisation, Name: p.Name}
	req.IdempotencyKey = strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	if len(req.IdempotencyKey) > 200 {
		WriteError(c, h.log, BadRequest("the Idempotency-Key header is longer than 200 characters"))
		return
	}
	rc, err := h.intake.Submit(c.Request.Context(), req)
	if err != nil {
		WriteError(c, h.log, intakeError(h.refusalCounted(err)))
		return
	}
	c.Header("Location", "/api/v1/submissions/"+rc.SubmissionID)
	status := http.StatusAccepted
	if rc.Existing {
		status = http.StatusOK
	}
	if st := rc.Settled; st != nil {
		// The workflow's own answer after its first validation.
		c.JSON(status, receipt{ID: rc.SubmissionID, Status: string(st.Status), ReceivedAt: st.ReceivedAt,
			Deadlines: deadlinesJSON{LateMark: st.Deadlines.LateMark, Entry: st.Deadlines.Entry,
				CorrectionLimit: st.Deadlines.CorrectionLimit, ExtendedDays: st.Deadlines.ExtendedDays},
			Late: st.Late, Warnings: rc.Warnings})
		return
	}
	// Not settled in time: what the read model has (at least "received").
	sub := h.current(c.Request.Context(), store.Submission{ID: rc.SubmissionID, ReceivedAt: rc.ReceivedAt}, wf.StatusReceived)
	c.JSON(status, receipt{ID: rc.SubmissionID, Status: sub.Status, ReceivedAt: sub.ReceivedAt,
		Deadlines: deadlinesView(sub.Deadlines), Late: sub.Late, Warnings: rc.Warnings})
}

// current is what the read model holds after an Update returned: the
// workflow recorded the step before it answered, so one read suffices.
// Should that read fail, the answer is the row from before with the status
// the workflow answered (the decision stands either way).
func (h *handlers) current(ctx context.Context, before store.Submission, status wf.Status) store.Submission {
	s, err := h.store.Submission(ctx, before.ID)
	if err != nil {
		h.log.WarnContext(ctx, "read the submission after an update", "submission", before.ID, "error", err)
		before.Status, before.Open = string(status), !status.Final()
		return before
	}
	return s
}

// refusalCounted counts an intake refusal's deficiencies for operators.
func (h *handlers) refusalCounted(err error) error {
	var rej *intake.RejectedError
	if errors.As(err, &rej) {
		h.metrics.refused(rej.Deficiencies)
	}
	return err
}

// intakeError maps intake's refusal to 422 with the deficiencies.
func intakeError(err error) error {
	var rej *intake.RejectedError
	if errors.As(err, &rej) {
		return Invalid("the base document is deficient; nothing was stored", rej.Deficiencies)
	}
	return err
}

// listSubmissions is the worklist: clerks and supervisors see all, a
// submitter its own organisation's; sorted by entry deadline.
func (h *handlers) listSubmissions(c *gin.Context) {
	p := PrincipalOf(c)
	f := store.SubmissionFilter{Kind: c.Query("kind"), Now: time.Now()}
	for _, s := range c.QueryArray("status") {
		for _, one := range strings.Split(s, ",") {
			f.Statuses = append(f.Statuses, strings.TrimSpace(one))
		}
	}
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			WriteError(c, h.log, queryProblem("overdue", "true or false"))
			return
		}
		f.Overdue = b
	}
	if v := c.Query("due-before"); v != "" {
		t, err := parseDateOrTime(v)
		if err != nil {
			WriteError(c, h.log, queryProblem("due-before", "a date YYYY-MM-DD or an RFC 3339 time"))
			return
		}
		f.DueBefore = t
	}
	if p.Is(auth.RoleSubmitter) {
		f.Organisation = p.Organisation
	} else {
		f.Organisation = c.Query("submitter")
	}
	page, size, err := paging(c)
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	subs, total, err := h.store.ListSubmissions(c.Request.Context(), f, (page-1)*size, size)
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	items := make([]submissionJSON, len(subs))
	for i, s := range subs {
		items[i] = view(s, f.Now)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "page": page, "size": size, "total": total})
}

// submission loads the submission named in the path, answering 404 when it
// does not exist or the caller may not see it (R11.1).
func (h *handlers) submission(c *gin.Context) (store.Submission, bool) {
	sub, err := h.store.Submission(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no such submission"))
		return sub, false
	}
	if err != nil {
		WriteError(c, h.log, err)
		return sub, false
	}
	if err := VisibleTo(c, sub.Organisation); err != nil {
		WriteError(c, h.log, err)
		return sub, false
	}
	return sub, true
}

func (h *handlers) getSubmission(c *gin.Context) {
	if sub, ok := h.submission(c); ok {
		c.JSON(http.StatusOK, view(sub, time.Now()))
	}
}

// document answers the original signed bytes, unchanged (R13.2).
func (h *handlers) document(c *gin.Context) {
	sub, ok := h.submission(c)
	if !ok {
		return
	}
	if len(sub.Uploads) == 0 {
		WriteError(c, h.log, NotFound("no document"))
		return
	}
	n := len(sub.Uploads)
	if v := c.Query("upload"); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 1 || i > len(sub.Uploads) {
			WriteError(c, h.log, queryProblem("upload", fmt.Sprintf("a number from 1 to %d", len(sub.Uploads))))
			return
		}
		n = i
	}
	up, err := h.store.Upload(c.Request.Context(), sub.Uploads[n-1].ID)
	if errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no such document (archived or destroyed after its retention date, R18)"))
		return
	}
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	h.logDocumentRead(c, sub, up)
	h.blob(c, up.DocumentBlob, fmt.Sprintf("alusdokument-%s-%d.pdf", sub.ID, n))
}

// rendition answers the stamped copy for viewing, made at entry.
func (h *handlers) rendition(c *gin.Context) {
	sub, ok := h.submission(c)
	if !ok {
		return
	}
	if sub.Status != string(wf.StatusEntered) || len(sub.Uploads) == 0 {
		WriteError(c, h.log, NotFound("a rendition exists once the document is entered"))
		return
	}
	if up, err := h.store.Upload(c.Request.Context(), sub.Uploads[len(sub.Uploads)-1].ID); err == nil {
		h.logDocumentRead(c, sub, up)
	}
	h.blob(c, store.RenditionBlobID(sub.ID), "rendition-"+sub.ID+".pdf")
}

func (h *handlers) notices(c *gin.Context) {
	if sub, ok := h.submission(c); ok {
		c.JSON(http.StatusOK, gin.H{"items": noticesView(sub.Notices)})
	}
}

func (h *handlers) notice(c *gin.Context) {
	sub, ok := h.submission(c)
	if !ok {
		return
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || n > len(sub.Notices) {
		WriteError(c, h.log, NotFound("no such notice"))
		return
	}
	rec, err := h.store.Notice(c.Request.Context(), sub.ID, n)
	if errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no such notice (archived or destroyed after its retention date, R18)"))
		return
	}
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	h.blob(c, rec.Blob, fmt.Sprintf("teade-%s-%d.pdf", sub.ID, n))
}

// blob streams a stored PDF.
func (h *handlers) blob(c *gin.Context, id, filename string) {
	b, err := h.store.StatBlob(c.Request.Context(), store.BucketDocuments, id)
	if errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no such document"))
		return
	}
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	c.Header("Content-Type", "application/pdf")
	c.Header("Content-Length", strconv.FormatInt(b.Length, 10))
	c.Header("Content-Disposition", `inline; filename="`+filename+`"`)
	c.Header("X-Content-SHA256", b.Metadata.SHA256)
	c.Status(http.StatusOK)
	if err := h.store.WriteBlob(c.Request.Context(), store.BucketDocuments, b, c.Writer); err != nil {
		h.log.ErrorContext(c.Request.Context(), "stream document", "error", err)
	}
}

// correct receives corrected documents (R12.2).
func (h *handlers) correct(c *gin.Context) {
	sub, ok := h.submission(c)
	if !ok {
		return
	}
	p := PrincipalOf(c)
	req, done, err := upload(c)
	defer done()
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	req.Submitter = intake.Submitter{Organisation: p.Organisation, Name: p.Name}
	rc, res, err := h.intake.Correct(c.Request.Context(), sub.ID, req)
	if err != nil {
		WriteError(c, h.log, updateError(intakeError(h.refusalCounted(err))))
		return
	}
	after := h.current(c.Request.Context(), sub, res.Status)
	c.JSON(http.StatusAccepted, receipt{ID: sub.ID, Status: string(res.Status), ReceivedAt: rc.ReceivedAt,
		Deadlines: deadlinesView(after.Deadlines), Late: after.Late, Warnings: rc.Warnings})
}

// decisionRequest is a clerk's decision.
type decisionRequest struct {
	Action       wf.Action       `json:"action" binding:"required"`
	Reason       string          `json:"reason"`
	Deficiencies deficiency.List `json:"deficiencies"`
	WorkingDays  int             `json:"workingDays"`
}

// decide carries a clerk's decision to the workflow; what its validator
// refuses is answered 422 with the reason (R12.3, R12.4).
func (h *handlers) decide(c *gin.Context) {
	sub, ok := h.submission(c)
	if !ok {
		return
	}
	var req decisionRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		WriteError(c, h.log, jsonProblem(err))
		return
	}
	d := wf.Decision{Action: req.Action, Reason: req.Reason, Deficiencies: req.Deficiencies,
		WorkingDays: req.WorkingDays, Clerk: PrincipalOf(c).Name}
	res, err := h.intake.Decide(c.Request.Context(), sub.ID, d)
	if err != nil {
		WriteError(c, h.log, updateError(err))
		return
	}
	after := h.current(c.Request.Context(), sub, res.Status)
	c.JSON(http.StatusOK, view(after, time.Now()))
}

type withdrawRequest struct {
	Reason string `json:"reason"`
}

// withdraw lets the submitter withdraw before a decision.
func (h *handlers) withdraw(c *gin.Context) {
	sub, ok := h.submission(c)
	if !ok {
		return
	}
	var req withdrawRequest
	if c.Request.ContentLength != 0 {
		if err := c.ShouldBindJSON(&req); err != nil {
			WriteError(c, h.log, jsonProblem(err))
			return
		}
	}
	res, err := h.intake.Withdraw(c.Request.Context(), sub.ID, wf.Withdrawal{By: PrincipalOf(c).Name, Reason: req.Reason})
	if err != nil {
		WriteError(c, h.log, updateError(err))
		return
	}
	c.JSON(http.StatusOK, view(h.current(c.Request.Context(), sub, res.Status), time.Now()))
}

// updateError maps what Temporal answers an Update: a validator's refusal
// is 422 with its reason; a closed workflow 422 too.
func updateError(err error) error {
	if reason, ok := intake.Refusal(err); ok {
		return Invalid(reason, nil)
	}
	return err
}

func paging(c *gin.Context) (page, size int, err error) {
	page, size = 1, 50
	if v := c.Query("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, queryProblem("page", "a whole number from 1")
		}
	}
	if v := c.Query("size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > 500 {
			return 0, 0, queryProblem("size", "a whole number from 1 to 500")
		}
	}
	return page, size, nil
}

func parseDateOrTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", v)
}

func queryProblem(param, want string) error {
	var l deficiency.List
	l.Add("query."+param, "request.query", "Päringu parameeter "+param+" peab olema: "+want+".", "The query parameter "+param+" must be "+want+".")
	return Invalid("a query parameter is invalid", l)
}

func jsonProblem(err error) error {
	var l deficiency.List
	l.Add("body", "request.json", "Päringu keha ei ole nõutud kujul JSON.", "The request body is not the JSON expected: "+err.Error())
	return Invalid("the request body is invalid", l)
}
