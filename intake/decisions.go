package intake

import (
	"context"
	"errors"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	wf "github.com/kutsekoda/alusdok/workflows"
)

// Decide carries a clerk's decision to the submission's workflow (an Update
// with a validator, R12.3, R12.4) and waits for its outcome. A decision the
// validator refuses is an error for which Refusal reports the reason.
func (s *Service) Decide(ctx context.Context, submission string, d wf.Decision) (wf.DecisionResult, error) {
	var res wf.DecisionResult
	err := s.update(ctx, submission, wf.UpdateDecide, d, &res)
	return res, err
}

// Withdraw withdraws a submission before a decision, for its submitter.
func (s *Service) Withdraw(ctx context.Context, submission string, w wf.Withdrawal) (wf.DecisionResult, error) {
	var res wf.DecisionResult
	err := s.update(ctx, submission, wf.UpdateWithdraw, w, &res)
	return res, err
}

// update sends an Update to a submission's workflow and waits until it has
// completed.
func (s *Service) update(ctx context.Context, submission, name string, arg, result any) error {
	h, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: wf.SubmissionWorkflowID(submission), UpdateName: name,
		WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{arg},
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, result)
}

// Refusal reports why the workflow refused an Update: its validator's
// message (a decision without a reason, an extension beyond the limit, a
// decision in the wrong status), or that the procedure has ended. ok is
// false for any other error (Temporal unreachable, a timeout): those are
// internal errors, not answers to the caller.
func Refusal(err error) (reason string, ok bool) {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message(), true
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return "the submission's procedure has ended; nothing more can be done to it", true
	}
	return "", false
}
