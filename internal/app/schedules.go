package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cenkalti/backoff/v5"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/workflows"
)

// schedule is one of alusdok's Temporal Schedules.
type schedule struct {
	id, cron, note string
	workflow       any
	args           []any
	// overlap lets runs overlap (the retention batches, which may wait
	// weeks for a supervisor); the default skips a run while one is open.
	overlap enums.ScheduleOverlapPolicy
}

// EnsureSchedules brings alusdok's Temporal Schedules — the janitor, the
// open-data export and the processing log's daily checkpoint — in line with the configuration. Any
// worker may run this at start: the schedule IDs make them one each however
// many workers there are.
func EnsureSchedules(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, cfg config.WorkerOptions) error {
	if err := EnsureJanitorSchedule(ctx, log, tc, taskQueue, cfg.Janitor); err != nil {
		return err
	}
	if err := EnsureExportSchedule(ctx, log, tc, taskQueue, cfg.OpenData); err != nil {
		return err
	}
	if err := ensureSchedule(ctx, log, tc, taskQueue, schedule{
		id: workflows.CheckpointScheduleID, cron: cfg.AuditKey.Checkpoint, workflow: workflows.CheckpointWorkflow,
		note: "alusdok: verifies the processing log and signs its head (R17)",
	}); err != nil {
		return err
	}
	return EnsureRetentionSchedules(ctx, log, tc, taskQueue, cfg.Retention, cfg.Holders)
}

// EnsureRetentionSchedules brings the daily schedules of the retention
// procedure (R18) and of the holders' expiry notices in line with the
// configuration (empty: no schedule).
func EnsureRetentionSchedules(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, ret config.RetentionProcedure, hold config.HolderNotices) error {
	if err := ensureSchedule(ctx, log, tc, taskQueue, schedule{
		id: workflows.RetentionScheduleID, cron: ret.Schedule, workflow: workflows.RetentionWorkflow,
		args:    []any{workflows.RetentionInput{Limit: ret.BatchSize}},
		overlap: enums.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL,
		note:    "alusdok: lists base documents past their retention date for a supervisor (R18)",
	}); err != nil {
		return err
	}
	return ensureSchedule(ctx, log, tc, taskQueue, schedule{
		id: workflows.ExpiryScheduleID, cron: hold.ExpirySchedule, workflow: workflows.ExpiryNoticesWorkflow,
		note: "alusdok: tells holders of certificates expiring within six months",
	})
}

// EnsureJanitorSchedule creates the janitor's Temporal Schedule, or brings
// an existing one in line with the configuration; an empty cron expression
// deletes it.
func EnsureJanitorSchedule(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, cfg config.Janitor) error {
	return ensureSchedule(ctx, log, tc, taskQueue, schedule{
		id: workflows.JanitorScheduleID, cron: cfg.Schedule, workflow: workflows.JanitorWorkflow,
		args: []any{workflows.JanitorInput{Grace: cfg.Grace}},
		note: "alusdok: removes uploads, files and spooled parts no submission uses",
	})
}

// ensureSchedule brings one schedule in line, retrying for up to
// scheduleRetry what the server answers while it is busy (a worker started
// right after a crash meets a Temporal server that is still catching up, and
// a schedule's update then times out); what it refuses (an invalid cron
// expression) is not retried.
func ensureSchedule(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, s schedule) error {
	_, err := backoff.Retry(ctx, func() (struct{}, error) {
		err := ensureScheduleOnce(ctx, log, tc, taskQueue, s)
		var invalid *serviceerror.InvalidArgument
		if errors.As(err, &invalid) {
			return struct{}{}, backoff.Permanent(err)
		}
		if err != nil {
			log.Warn("schedule not brought in line yet; retrying", "schedule", s.id, "error", err)
		}
		return struct{}{}, err
	}, backoff.WithBackOff(backoff.NewExponentialBackOff()), backoff.WithMaxElapsedTime(scheduleRetry))
	return err
}

// scheduleRetry bounds how long a worker's start retries its schedules.
const scheduleRetry = 2 * time.Minute

func ensureScheduleOnce(ctx context.Context, log *slog.Logger, tc client.Client, taskQueue string, s schedule) error {
	sc := tc.ScheduleClient()
	if s.cron == "" {
		err := sc.GetHandle(ctx, s.id).Delete(ctx)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete schedule %s: %w", s.id, err)
		}
		return nil
	}
	spec := client.ScheduleSpec{CronExpressions: []string{s.cron}, TimeZoneName: "Europe/Tallinn"}
	action := &client.ScheduleWorkflowAction{ID: s.id, Workflow: s.workflow, Args: s.args, TaskQueue: taskQueue}
	overlap := s.overlap
	if overlap == enums.SCHEDULE_OVERLAP_POLICY_UNSPECIFIED {
		overlap = enums.SCHEDULE_OVERLAP_POLICY_SKIP
	}
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: s.id, Spec: spec, Action: action, Overlap: overlap, Note: s.note,
	})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = sc.GetHandle(ctx, s.id).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				sched := in.Description.Schedule
				sched.Spec = &spec
				sched.Action = action
				if sched.Policy != nil {
					sched.Policy.Overlap = overlap
				}
				return &client.ScheduleUpdate{Schedule: &sched}, nil
			},
		})
	}
	if err != nil {
		return fmt.Errorf("schedule %s: %w", s.id, err)
	}
	log.Info("scheduled", "schedule", s.id, "cron", s.cron, "timezone", "Europe/Tallinn")
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
	return ensureSchedule(ctx, log, tc, taskQueue, schedule{
		id: workflows.ExportScheduleID, cron: cfg.Schedule, workflow: workflows.ExportWorkflow,
		args: []any{ExportInput(cfg)},
		note: "alusdok: exports the register's open data (six datasets, XML/JSON/CSV) daily",
	})
}

// ExportInput is the export's policy from the configuration.
func ExportInput(cfg config.OpenData) workflows.ExportInput {
	return workflows.ExportInput{Keep: cfg.Keep, MinCell: cfg.MinCell}
}
