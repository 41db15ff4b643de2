package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// The janitor: a workflow that a Temporal Schedule starts (daily by
// default), removing what no submission uses any more — upload parts
// spooled by requests that were killed, uploads staged but never handed to
// a workflow, stored files nothing references — once they are older than a
// grace period. Everything it removes it names in its result and the log.

// JanitorScheduleID is the ID of the janitor's Schedule (and the prefix of
// the workflows it starts).
const JanitorScheduleID = "alusdok-janitor"

// ActivitySweep is the janitor's activity.
const ActivitySweep = "Sweep"

// JanitorInput says how old what is removed must be.
type JanitorInput struct {
	Grace time.Duration `json:"grace"`
}

// SweepInput asks to remove what is unused and older than Before.
type SweepInput struct {
	Before time.Time `json:"before"`
}

// SweepResult counts what was removed.
type SweepResult struct {
	SpoolFiles int `json:"spoolFiles"`
	Uploads    int `json:"uploads"`
	Blobs      int `json:"blobs"`
}

// JanitorWorkflow removes what is unused and older than the grace period.
func JanitorWorkflow(ctx workflow.Context, in JanitorInput) (SweepResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumAttempts: 5},
	})
	var res SweepResult
	err := workflow.ExecuteActivity(ctx, ActivitySweep, SweepInput{Before: workflow.Now(ctx).Add(-in.Grace)}).Get(ctx, &res)
	return res, err
}
