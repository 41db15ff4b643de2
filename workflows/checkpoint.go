package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// CheckpointScheduleID is the ID of the Schedule that anchors the
// processing log daily (R17): the chain is verified and its head signed
// with a key the database never holds.
const CheckpointScheduleID = "alusdok-audit-checkpoint"

// ActivityCheckpoint verifies and signs the processing log's head.
const ActivityCheckpoint = "Checkpoint"

// CheckpointResult says what the checkpoint found.
type CheckpointResult struct {
	Whole   bool   `json:"whole"`
	Count   int64  `json:"count"`
	Signed  bool   `json:"signed"` // a new checkpoint was stored
	Problem string `json:"problem,omitempty"`
}

// CheckpointWorkflow verifies the processing log and signs its head.
func CheckpointWorkflow(ctx workflow.Context) (CheckpointResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2, MaximumAttempts: 5},
	})
	var res CheckpointResult
	err := workflow.ExecuteActivity(ctx, ActivityCheckpoint).Get(ctx, &res)
	return res, err
}
