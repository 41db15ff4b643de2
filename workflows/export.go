package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// The daily open-data export: a Temporal Schedule starts ExportWorkflow
// (02:00 Europe/Tallinn by default), which writes one immutable version of
// every open dataset (SPEC.md "Open data") and keeps the last few.

// ExportScheduleID is the ID of the export's Schedule (and the prefix of the
// workflows it starts).
const ExportScheduleID = "alusdok-opendata"

// ActivityExport is the export's activity.
const ActivityExport = "Export"

// ExportInput is the export's policy.
type ExportInput struct {
	Keep    int `json:"keep"`    // versions kept (30)
	MinCell int `json:"minCell"` // statistics cells below this are suppressed (3)
}

// ExportRequest asks the activity for one version made at At.
type ExportRequest struct {
	ExportInput
	At time.Time `json:"at"`
}

// ExportResult names the version written.
type ExportResult struct {
	Version string `json:"version"`
	Files   int    `json:"files"`
	Bytes   int64  `json:"bytes"`
	Removed int    `json:"removed"` // older versions removed
}

// ExportWorkflow writes one version of the open data.
func ExportWorkflow(ctx workflow.Context, in ExportInput) (ExportResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Hour,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 30 * time.Second, BackoffCoefficient: 2, MaximumAttempts: 5},
	})
	var res ExportResult
	err := workflow.ExecuteActivity(ctx, ActivityExport, ExportRequest{ExportInput: in, At: workflow.Now(ctx)}).Get(ctx, &res)
	return res, err
}
