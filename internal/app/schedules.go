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

// EnsureRetentionSchedules creates, updates or (for an empty cron
// expression) deletes the daily schedules of the retention procedure (R18)
// and of the holders' expiry notices, as EnsureJanitorSchedule does.
func EnsureRetentionSchedules(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, ret config.RetentionProcedure, hold config.HolderNotices) error {
	if err := ensureSchedule(ctx, log, tc, workflows.RetentionScheduleID, ret.Schedule, &client.ScheduleWorkflowAction{
		ID: workflows.RetentionScheduleID, Workflow: workflows.RetentionWorkflow,
		Args: []any{workflows.RetentionInput{Limit: ret.BatchSize}}, TaskQueue: taskQueue,
	}, enums.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL, "alusdok: lists base documents past their retention date for a supervisor (R18)"); err != nil {
		return err
	}
	return ensureSchedule(ctx, log, tc, workflows.ExpiryScheduleID, hold.ExpirySchedule, &client.ScheduleWorkflowAction{
		ID: workflows.ExpiryScheduleID, Workflow: workflows.ExpiryNoticesWorkflow, TaskQueue: taskQueue,
	}, enums.SCHEDULE_OVERLAP_POLICY_SKIP, "alusdok: tells holders of certificates expiring within six months")
}

// ensureSchedule brings one schedule in line with its cron expression
// (Europe/Tallinn; empty: no schedule). A retention batch may wait weeks for
// its supervisor, so its schedule lets batches overlap (each lists only
// what no other batch holds).
func ensureSchedule(ctx context.Context, log *slog.Logger, tc client.Client, id, cron string, action *client.ScheduleWorkflowAction, overlap enums.ScheduleOverlapPolicy, note string) error {
	sc := tc.ScheduleClient()
	if cron == "" {
		err := sc.GetHandle(ctx, id).Delete(ctx)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete schedule %s: %w", id, err)
		}
		return nil
	}
	spec := client.ScheduleSpec{CronExpressions: []string{cron}, TimeZoneName: "Europe/Tallinn"}
	_, err := sc.Create(ctx, client.ScheduleOptions{ID: id, Spec: spec, Action: action, Overlap: overlap, Note: note})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = sc.GetHandle(ctx, id).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				s := in.Description.Schedule
				s.Spec = &spec
				s.Action = action
				return &client.ScheduleUpdate{Schedule: &s}, nil
			},
		})
	}
	if err != nil {
		return fmt.Errorf("schedule %s: %w", id, err)
	}
	log.Info("scheduled", "schedule", id, "cron", cron, "timezone", "Europe/Tallinn")
	return nil
}
