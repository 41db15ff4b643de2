package activities

import (
	"context"
	"time"

	wf "github.com/kutsekoda/alusdok/workflows"
)

// Checkpoint verifies the processing log against its earlier checkpoints
// and, when it is whole, signs and stores its head (R17). A broken log is
// reported (and logged as an error), not retried.
func (a *Activities) Checkpoint(ctx context.Context) (wf.CheckpointResult, error) {
	defer heartbeatWhileRunning(ctx)()
	if a.AuditSigner == nil {
		a.Log.WarnContext(ctx, "processing-log checkpoint skipped: no key (ALUSDOK_AUDIT_KEY_FILE)")
		return wf.CheckpointResult{}, nil
	}
	rep, cp, err := a.AuditLog.Checkpoint(ctx, a.AuditSigner, time.Now())
	if err != nil {
		return wf.CheckpointResult{}, err
	}
	res := wf.CheckpointResult{Whole: rep.Whole(), Count: rep.Count, Signed: cp != nil}
	if !rep.Whole() {
		res.Problem = rep.String()
		a.Log.ErrorContext(ctx, "processing log is broken", "report", rep.String())
	}
	return res, nil
}
