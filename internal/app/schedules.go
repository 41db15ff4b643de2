package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/workflows"
)

// EnsureJanitorSchedule creates the janitor's Temporal Schedule, or brings
// an existing one in line with the configuration; an empty cron expression
// deletes it. Any worker may run this at start: the schedule ID makes it
// one schedule however many workers there are.
func EnsureJanitorSchedule(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, cfg config.Janitor) error {
	sc := tc.ScheduleClient()
	if cfg.Schedule == "" {
		err := sc.GetHandle(ctx, workflows.JanitorScheduleID).Delete(ctx)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete the janitor schedule: %w", err)
		}
		return nil
	}
	spec := client.ScheduleSpec{CronExpressions: []string{cfg.Schedule}, TimeZoneName: "Europe/Tallinn"}
	action := &client.ScheduleWorkflowAction{
		ID:        workflows.JanitorScheduleID,
		Workflow:  workflows.JanitorWorkflow,
		Args:      []any{workflows.JanitorInput{Grace: cfg.Grace}},
		TaskQueue: taskQueue,
	}
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: workflows.JanitorScheduleID, Spec: spec, Action: action,
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
		Note:    "alusdok: removes uploads, files and spooled parts no submission uses",
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = sc.GetHandle(ctx, workflows.JanitorScheduleID).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				s := in.Description.Schedule
				s.Spec = &spec
				s.Action = action
				return &client.ScheduleUpdate{Schedule: &s}, nil
			},
		})
	}
	if err != nil {
		return fmt.Errorf("janitor schedule: %w", err)
	}
	log.Info("janitor scheduled", "cron", cfg.Schedule, "timezone", "Europe/Tallinn", "grace", cfg.Grace)
	return nil
}

func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}

// EnsureExportSchedule creates the daily open-data export's Temporal
// Schedule (SPEC.md "Open data": refreshed daily), or brings an existing one
// in line with the configuration; an empty cron expression deletes it.
func EnsureExportSchedule(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, cfg config.OpenData) error {
	sc := tc.ScheduleClient()
	if cfg.Schedule == "" {
		err := sc.GetHandle(ctx, workflows.ExportScheduleID).Delete(ctx)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete the open-data schedule: %w", err)
		}
		return nil
	}
	spec := client.ScheduleSpec{CronExpressions: []string{cfg.Schedule}, TimeZoneName: "Europe/Tallinn"}
	action := &client.ScheduleWorkflowAction{
		ID:        workflows.ExportScheduleID,
		Workflow:  workflows.ExportWorkflow,
		Args:      []any{ExportInput(cfg)},
		TaskQueue: taskQueue,
	}
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: workflows.ExportScheduleID, Spec: spec, Action: action,
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
		Note:    "alusdok: exports the register's open data (six datasets, XML/JSON/CSV) daily",
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = sc.GetHandle(ctx, workflows.ExportScheduleID).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				s := in.Description.Schedule
				s.Spec = &spec
				s.Action = action
				return &client.ScheduleUpdate{Schedule: &s}, nil
			},
		})
	}
	if err != nil {
		return fmt.Errorf("open-data schedule: %w", err)
	}
	log.Info("open data export scheduled", "cron", cfg.Schedule, "timezone", "Europe/Tallinn", "keep", cfg.Keep)
	return nil
}

// ExportInput is the export's policy from the configuration.
func ExportInput(cfg config.OpenData) workflows.ExportInput {
	return workflows.ExportInput{Keep: cfg.Keep, MinCell: cfg.MinCell}
}
