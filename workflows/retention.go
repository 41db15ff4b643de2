package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// The retention procedure (R4.2, R18): a Temporal Schedule (daily) starts a
// RetentionWorkflow, one batch. It lists the base documents whose retention
// date has passed for a supervisor, waits for the supervisor's decision on
// each (an Update, validated: archive, destroy, or keep with a reason and a
// new date), and carries each decision out in an activity that logs it
// (R17). A batch with nothing due ends at once.

// RetentionScheduleID is the ID of the retention Schedule (and the prefix of
// the batch workflows it starts: "alusdok-retention-<time>").
const RetentionScheduleID = "alusdok-retention"

// Retention message and activity names.
const (
	// UpdateRetentionDecide carries a RetentionDecision.
	UpdateRetentionDecide = "retention-decide"
	// QueryRetention answers the batch's RetentionState.
	QueryRetention = "retention-state"

	ActivityListForRetention = "ListForRetention"
	ActivityRetain           = "Retain"
)

// RetentionAction is a supervisor's decision on a base document whose
// retention date has passed.
type RetentionAction string

const (
	RetentionArchive RetentionAction = "archive" // a self-contained package in the archive, then removed here
	RetentionDestroy RetentionAction = "destroy" // removed, a tombstone with the hashes kept
	RetentionKeep    RetentionAction = "keep"    // kept until a new date, with a reason
)

// RetentionInput starts a batch.
type RetentionInput struct {
	Limit int `json:"limit"` // most documents listed (0: 100)
}

// RetentionItem is one listed base document (a submission) and what became
// of it.
type RetentionItem struct {
	SubmissionID string             `json:"submissionId"`
	Kind         string             `json:"kind"`
	Number       string             `json:"number"`
	DecisionDate string             `json:"decisionDate"`
	RetainUntil  time.Time          `json:"retainUntil"`
	Decision     *RetentionDecision `json:"decision,omitempty"`
	Done         bool               `json:"done"`
	Outcome      string             `json:"outcome,omitempty"`
}

// RetentionDecision is a supervisor's decision on some or all items of a
// batch.
type RetentionDecision struct {
	Action RetentionAction `json:"action"`
	// Submissions are the items decided; empty: every undecided item.
	Submissions []string  `json:"submissions,omitempty"`
	Reason      string    `json:"reason,omitempty"`   // required for keep
	KeepUntil   time.Time `json:"keepUntil,omitzero"` // required for keep, after now
	By          string    `json:"by"`                 // the supervisor's name (R17)
	At          time.Time `json:"at,omitzero"`        // set by the workflow
}

// RetentionState is a batch as it stands.
type RetentionState struct {
	Batch string          `json:"batch"`
	Items []RetentionItem `json:"items"`
}

// ListForRetentionInput asks for the documents due at Now, listed in Batch.
type ListForRetentionInput struct {
	Batch string
	Now   time.Time
	Limit int
}

// RetainInput carries out one decision on one item.
type RetainInput struct {
	Batch        string
	SubmissionID string
	Decision     RetentionDecision
}

// RetainResult says what was done.
type RetainResult struct {
	Outcome string
}

// RetentionWorkflow is one batch of the retention procedure.
func RetentionWorkflow(ctx workflow.Context, in RetentionInput) (RetentionState, error) {
	b := &retentionBatch{st: RetentionState{Batch: workflow.GetInfo(ctx).WorkflowExecution.ID}}
	if in.Limit <= 0 {
		in.Limit = 100
	}
	if err := workflow.SetQueryHandler(ctx, QueryRetention, func() (RetentionState, error) { return b.st, nil }); err != nil {
		return b.st, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateRetentionDecide, b.onDecide,
		workflow.UpdateHandlerOptions{Validator: b.validate}); err != nil {
		return b.st, err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Hour},
	})
	var items []RetentionItem
	if err := workflow.ExecuteActivity(actx, ActivityListForRetention,
		ListForRetentionInput{Batch: b.st.Batch, Now: workflow.Now(ctx), Limit: in.Limit}).Get(ctx, &items); err != nil {
		return b.st, err
	}
	b.st.Items = items
	for !b.allDone() {
		if err := workflow.Await(ctx, func() bool { return b.next() >= 0 }); err != nil {
			return b.st, err
		}
		i := b.next()
		it := &b.st.Items[i]
		var res RetainResult
		if err := workflow.ExecuteActivity(actx, ActivityRetain,
			RetainInput{Batch: b.st.Batch, SubmissionID: it.SubmissionID, Decision: *it.Decision}).Get(ctx, &res); err != nil {
			return b.st, err
		}
		it.Done, it.Outcome = true, res.Outcome
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return b.st, err
	}
	return b.st, nil
}

type retentionBatch struct {
	st RetentionState
}

func (b *retentionBatch) allDone() bool {
	return !slices.ContainsFunc(b.st.Items, func(it RetentionItem) bool { return !it.Done })
}

// next is the first decided item not yet carried out, or -1.
func (b *retentionBatch) next() int {
	return slices.IndexFunc(b.st.Items, func(it RetentionItem) bool { return it.Decision != nil && !it.Done })
}

func (b *retentionBatch) validate(ctx workflow.Context, d RetentionDecision) error {
	switch d.Action {
	case RetentionArchive, RetentionDestroy:
	case RetentionKeep:
		if strings.TrimSpace(d.Reason) == "" {
			return errors.New("keeping a document longer needs a reason")
		}
		if !d.KeepUntil.After(workflow.Now(ctx)) {
			return errors.New("keeping a document longer needs a new retention date in the future")
		}
	default:
		return fmt.Errorf("unknown retention action %q: archive, destroy or keep", d.Action)
	}
	if strings.TrimSpace(d.By) == "" {
		return errors.New("the decision names no supervisor")
	}
	if b.st.Items == nil {
		return errors.New("the batch is not listed yet")
	}
	undecided := 0
	for _, it := range b.st.Items {
		if it.Decision == nil {
			undecided++
		}
	}
	if undecided == 0 {
		return errors.New("every document of the batch is decided")
	}
	for _, id := range d.Submissions {
		i := slices.IndexFunc(b.st.Items, func(it RetentionItem) bool { return it.SubmissionID == id })
		if i < 0 {
			return fmt.Errorf("submission %s is not in this batch", id)
		}
		if b.st.Items[i].Decision != nil {
			return fmt.Errorf("submission %s is decided already", id)
		}
	}
	return nil
}

func (b *retentionBatch) onDecide(ctx workflow.Context, d RetentionDecision) (RetentionState, error) {
	d.At = workflow.Now(ctx)
	for i := range b.st.Items {
		it := &b.st.Items[i]
		if it.Decision != nil || (len(d.Submissions) > 0 && !slices.Contains(d.Submissions, it.SubmissionID)) {
			continue
		}
		dd := d
		dd.Submissions = nil
		it.Decision = &dd
	}
	return b.st, nil
}
