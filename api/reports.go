package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// Reports of wrong data (R13.3, R14). A report closes public access to the
// certificate at once — the marker is put on it before the answer — and
// starts the report's workflow, which asks the submitter, holds the
// correction deadline and reopens access at the end.

// reportRequest reports a certificate's data wrong.
type reportRequest struct {
	Type   int    `json:"type"` // 1 (default), 2 or 3
	Number string `json:"number" binding:"required"`
	Reason string `json:"reason" binding:"required"`
	Name   string `json:"name"`  // the reporter's name, if they give it
	Email  string `json:"email"` // where the outcome is sent, if given
}

// reportView is a report as the API answers it.
type reportView struct {
	ID           string     `json:"id"`
	Status       string     `json:"status"`
	Open         bool       `json:"open"`
	Certificate  certRef    `json:"certificate"`
	ReporterRole string     `json:"reporterRole"`
	ReporterName string     `json:"reporterName,omitempty"`
	Reason       string     `json:"reason"`
	ReportedAt   time.Time  `json:"reportedAt"`
	Submission   string     `json:"submission,omitempty"`
	Organisation string     `json:"organisation,omitempty"`
	Deadline     *time.Time `json:"deadline,omitempty"`
	Escalated    bool       `json:"escalated"`
	JoinedReport string     `json:"joinedReport,omitempty"`
	Resolution   string     `json:"resolution,omitempty"`
	Note         string     `json:"resolutionReason,omitempty"`
	Correction   string     `json:"correctedBy,omitempty"`
	ReopenedAt   *time.Time `json:"reopenedAt,omitempty"`
}

type certRef struct {
	Type   int    `json:"type"`
	Number string `json:"number"`
}

func reportViewOf(r store.Report) reportView {
	v := reportView{ID: r.ID, Status: r.Status, Open: r.Open, Certificate: certRef{r.CertType, r.CertNumber},
		ReporterRole: r.ReporterRole, ReporterName: r.ReporterName, Reason: r.Reason, ReportedAt: r.ReportedAt,
		Submission: r.Submission, Organisation: r.Organisation, Escalated: r.Escalated, JoinedReport: r.JoinedReport,
		Resolution: r.Resolution, Note: r.ResolutionNote, Correction: r.Correction}
	if !r.Deadline.IsZero() {
		v.Deadline = &r.Deadline
	}
	if !r.ReopenedAt.IsZero() {
		v.ReopenedAt = &r.ReopenedAt
	}
	return v
}

// personalCodes finds what looks like a personal code in free text.
var personalCodes = regexp.MustCompile(`\b[1-6]\d{10}\b`)

func redactCodes(s string) string { return personalCodes.ReplaceAllString(s, "[isikukood]") }

// report takes a report from anyone: the public, a submitter, a clerk.
func (h *handlers) report(c *gin.Context) {
	p := PrincipalOf(c)
	h.takeReport(c, func(rec store.Record[documents.Certificate]) (wf.ReporterRole, bool) {
		switch {
		case p.Is(auth.RoleClerk, auth.RoleSupervisor):
			return wf.ReporterClerk, true
		case rec.Data.HideCertificate:
			return "", false // not public: only its holder, or a clerk, knows of it
		case p.Is(auth.RoleSubmitter) && rec.Data.Issuer == p.Organisation:
			return wf.ReporterSubmitter, true
		}
		return wf.ReporterPublic, true
	})
}

// reportMine takes a person's report about their own certificate.
func (h *handlers) reportMine(c *gin.Context) {
	p := PrincipalOf(c)
	h.takeReport(c, func(rec store.Record[documents.Certificate]) (wf.ReporterRole, bool) {
		return wf.ReporterPerson, p.IsSelf(rec.Data.PersonalCode)
	})
}

// takeReport reads the report, finds the certificate, asks may whether the
// caller may report it and as whom, closes access and starts the workflow.
func (h *handlers) takeReport(c *gin.Context, may func(store.Record[documents.Certificate]) (wf.ReporterRole, bool)) {
	var req reportRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		WriteError(c, h.log, jsonProblem(err))
		return
	}
	if req.Type == 0 {
		req.Type = int(documents.OccupationalCertificate)
	}
	req.Reason = strings.TrimSpace(redactCodes(req.Reason))
	switch {
	case req.Type < 1 || req.Type > 3:
		WriteError(c, h.log, Invalid("type must be 1, 2 or 3", nil))
		return
	case strings.TrimSpace(req.Number) == "" || len(req.Number) > 32:
		WriteError(c, h.log, Invalid("number must be a certificate number", nil))
		return
	case req.Reason == "" || len(req.Reason) > 2000:
		WriteError(c, h.log, Invalid("reason must say what is wrong (at most 2000 characters)", nil))
		return
	}
	ctx := c.Request.Context()
	key := documents.CertificateKey{Type: documents.CertificateType(req.Type), Number: req.Number}
	rec, err := h.store.Certificate(ctx, key)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, err)
		return
	}
	role, ok := may(rec)
	if err != nil || !ok {
		WriteError(c, h.log, NotFound("no such certificate"))
		return
	}
	p := PrincipalOf(c)
	name := strings.TrimSpace(req.Name)
	if p != nil && p.Name != "" {
		name = p.Name
	}
	id := newReportID()
	now := time.Now().UTC()
	// R14.1: closed at once, before the answer; the workflow finds its own
	// marker and goes on from there.
	held, err := h.store.CloseForReview(ctx, store.CertificateReviewKey(key), id, now)
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	h.stats.invalidate()
	in := wf.ReportInput{ReportID: id, Target: wf.ReportTarget{Record: "certificate", Type: req.Type, Number: req.Number},
		Reporter: wf.Reporter{Role: role, Name: name, Email: strings.TrimSpace(req.Email)}, Reason: req.Reason, ReportedAt: now}
	if p != nil {
		in.Reporter.Organisation = p.Organisation
	}
	_, err = h.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: wf.ReportWorkflowID(id), TaskQueue: h.taskQueue(),
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
	}, wf.ReportWorkflow, in)
	if err != nil {
		if held == id {
			if rerr := h.store.Reopen(ctx, store.CertificateReviewKey(key), id); rerr != nil {
				h.log.ErrorContext(ctx, "reopen after a failed report start", "report", id, "error", rerr)
			}
		}
		WriteError(c, h.log, err)
		return
	}
	status := wf.ReportUnderReview
	if held != id {
		status = wf.ReportJoined
	}
	// The report's first row (step 0, written only when the workflow has
	// written none), so that the clerks' list shows it from the start.
	first := store.Report{ID: id, Status: string(status), Open: true, CertType: req.Type, CertNumber: req.Number,
		ReporterRole: string(role), ReporterName: name, Reason: req.Reason, ReportedAt: now,
		Submission: rec.Submission, Organisation: rec.Data.Issuer, UpdatedAt: now}
	if err := h.store.PutReport(ctx, first); err != nil {
		h.log.WarnContext(ctx, "first row of a report", "report", id, "error", err)
	}
	c.JSON(http.StatusAccepted, gin.H{"id": id, "status": status, "underReview": true})
}

func newReportID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// listReports lists the reports for clerks and supervisors, open first.
func (h *handlers) listReports(c *gin.Context) {
	rows, err := h.store.Reports(c.Request.Context(), c.Query("open") == "true")
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	out := make([]reportView, len(rows))
	for i, r := range rows {
		out[i] = reportViewOf(r)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

func (h *handlers) getReport(c *gin.Context) {
	r, err := h.store.Report(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no such report"))
		return
	}
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	c.JSON(http.StatusOK, reportViewOf(r))
}

type resolutionRequest struct {
	Action     wf.ResolveAction `json:"action" binding:"required"`
	Reason     string           `json:"reason"`
	Submission string           `json:"submission"`
}

// resolveReport carries a clerk's resolution to the report's workflow: the
// data was correct (access reopens, with the reason), or the correcting
// document was entered.
func (h *handlers) resolveReport(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	if _, err := h.store.Report(ctx, id); errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no such report"))
		return
	} else if err != nil {
		WriteError(c, h.log, err)
		return
	}
	var req resolutionRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		WriteError(c, h.log, jsonProblem(err))
		return
	}
	res := wf.Resolution{Action: req.Action, Reason: redactCodes(req.Reason), Submission: req.Submission, Clerk: PrincipalOf(c).Name}
	handle, err := h.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: wf.ReportWorkflowID(id), UpdateName: wf.UpdateResolve,
		WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{res},
	})
	var st wf.ReportState
	if err == nil {
		err = handle.Get(ctx, &st)
	}
	if err != nil {
		WriteError(c, h.log, updateError(err))
		return
	}
	h.stats.invalidate()
	c.JSON(http.StatusOK, gin.H{"id": id, "status": st.Status, "underReview": false})
}

func (h *handlers) taskQueue() string {
	if h.queue != "" {
		return h.queue
	}
	return wf.TaskQueue
}
