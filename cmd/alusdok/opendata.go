package main

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/connect"
	"github.com/kutsekoda/alusdok/workflows"
)

// OpenDataCmd works with the open data (SPEC.md "Open data").
type OpenDataCmd struct {
	Temporal config.Temporal `embed:""`
	Codec    config.Codec    `embed:""`
	OpenData config.OpenData `embed:""`

	Export OpenDataExportCmd `cmd:"" help:"Export the open data now (the daily export's workflow, run at once) and wait for it."`
}

// OpenDataExportCmd runs the export workflow at once.
type OpenDataExportCmd struct{}

// Run starts ExportWorkflow on the worker's task queue and waits for the
// version it wrote; a running worker (alusdok dev, serve or worker) does
// the work. Its payloads are encrypted with the workers' keys
// (--codec-keys-file; alusdok dev keeps them in DATA/codec-keys).
func (OpenDataExportCmd) Run(rc *runContext) error {
	cfg := rc.cli.OpenData
	keys, err := connect.Keys(cfg.Codec)
	if err != nil {
		return err
	}
	tc, err := connect.Temporal(rc.ctx, cfg.Temporal, keys, rc.logger())
	if err != nil {
		return err
	}
	defer tc.Close()
	queue := cfg.Temporal.TaskQueue
	if queue == "" {
		queue = workflows.TaskQueue
	}
	ctx, cancel := context.WithTimeout(rc.ctx, 2*time.Hour)
	defer cancel()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.ExportScheduleID + "-now-" + time.Now().UTC().Format("20060102T150405Z"),
		TaskQueue:                queue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
	}, workflows.ExportWorkflow, app.ExportInput(cfg.OpenData))
	if err != nil {
		return fmt.Errorf("start the export: %w", err)
	}
	var res workflows.ExportResult
	if err := run.Get(ctx, &res); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	_, err = fmt.Fprintf(rc.stdout, "open data version %s: %d files, %d bytes; %d older versions removed\n",
		res.Version, res.Files, res.Bytes, res.Removed)
	return err
}
