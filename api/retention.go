package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// retentionItemView is a base document listed for the supervisor's
// retention decision (R18).
type retentionItemView struct {
	Submission   string    `json:"submission"`
	Batch        string    `json:"batch"`
	Kind         string    `json:"kind"`
	Number       string    `json:"number"`
	DecisionDate string    `json:"decisionDate"`
	RetainUntil  time.Time `json:"retainUntil"`
}

// retentionList answers the supervisor the base documents whose retention
// date has passed and that wait for a decision, with their batch.
func (h *handlers) retentionList(c *gin.Context) {
	rows, err := h.store.RetentionRows(c.Request.Context(), store.RetentionListed, time.Time{})
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	items := make([]retentionItemView, len(rows))
	for i, r := range rows {
		items[i] = retentionItemView{Submission: r.ID, Batch: r.Batch, Kind: r.Kind, Number: r.Number, DecisionDate: r.DecisionDate, RetainUntil: r.RetainUntil}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type retentionDecisionRequest struct {
	Action      wf.RetentionAction `json:"action"`
	Submissions []string           `json:"submissions"`
	Reason      string             `json:"reason"`
	KeepUntil   string             `json:"keepUntil"` // YYYY-MM-DD
}

type retentionStateView struct {
	Batch string              `json:"batch"`
	Items []retentionItemDone `json:"items"`
}

type retentionItemDone struct {
	Submission string `json:"submission"`
	Number     string `json:"number"`
	Action     string `json:"action,omitempty"`
	Done       bool   `json:"done"`
	Outcome    string `json:"outcome,omitempty"`
}

// retentionDecide carries a supervisor's decision to the batch's workflow
// (an Update with a validator: a keep without reason or future date, an
// unknown action or a document not in the batch is answered 422).
func (h *handlers) retentionDecide(c *gin.Context) {
	batch := c.Param("batch")
	if !strings.HasPrefix(batch, wf.RetentionScheduleID) {
		WriteError(c, h.log, NotFound("no such retention batch"))
		return
	}
	var req retentionDecisionRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		WriteError(c, h.log, jsonProblem(err))
		return
	}
	d := wf.RetentionDecision{Action: req.Action, Submissions: req.Submissions, Reason: req.Reason, By: PrincipalOf(c).Name}
	if req.KeepUntil != "" {
		t, err := time.Parse(time.DateOnly, req.KeepUntil)
		if err != nil {
			WriteError(c, h.log, Invalid("keepUntil must be a date YYYY-MM-DD", nil))
			return
		}
		d.KeepUntil = t
	}
	handle, err := h.temporal.UpdateWorkflow(c.Request.Context(), client.UpdateWorkflowOptions{
		WorkflowID: batch, UpdateName: wf.UpdateRetentionDecide,
		WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{d},
	})
	var st wf.RetentionState
	if err == nil {
		err = handle.Get(c.Request.Context(), &st)
	}
	if err != nil {
		WriteError(c, h.log, updateError(err))
		return
	}
	out := retentionStateView{Batch: st.Batch, Items: make([]retentionItemDone, len(st.Items))}
	for i, it := range st.Items {
		out.Items[i] = retentionItemDone{Submission: it.SubmissionID, Number: it.Number, Done: it.Done, Outcome: it.Outcome}
		if it.Decision != nil {
			out.Items[i].Action = string(it.Decision.Action)
		}
	}
	c.JSON(http.StatusOK, out)
}

type holderNoticesPrefs struct {
	HolderNotices *bool `json:"holderNotices"`
}

// myNotifications answers whether the person gets holder notices.
func (h *handlers) myNotifications(c *gin.Context) {
	on, err := h.store.HolderNoticesOn(c.Request.Context(), store.PersonKey(PrincipalOf(c).PersonalCode))
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	c.JSON(http.StatusOK, holderNoticesPrefs{HolderNotices: &on})
}

// setMyNotifications turns the person's own holder notices on or off.
func (h *handlers) setMyNotifications(c *gin.Context) {
	var req holderNoticesPrefs
	if err := c.ShouldBindJSON(&req); err != nil {
		WriteError(c, h.log, jsonProblem(err))
		return
	}
	if req.HolderNotices == nil {
		WriteError(c, h.log, Invalid("holderNotices (true or false) is required", nil))
		return
	}
	if err := h.store.SetHolderNotices(c.Request.Context(), PrincipalOf(c).PersonalCode, *req.HolderNotices, time.Now()); err != nil {
		WriteError(c, h.log, err)
		return
	}
	c.JSON(http.StatusOK, req)
}
