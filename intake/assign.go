package intake

import (
	"context"
	"errors"
	"strings"

	wf "github.com/kutsekoda/alusdok/workflows"
)

// ErrAssignUnsupported says the running workflow has no assignment Update
// (a worker older than the contract).
var ErrAssignUnsupported = errors.New("the submission's workflow does not support assignment")

// Assign gives an open submission to a clerk through the workflow's
// assignment Update (wf.UpdateAssign): by is the clerk who does it — the
// assignee themself for a claim, another clerk for a reassignment (a
// substitute during an absence). The workflow logs it (R17) and writes the
// assignee to the read model.
func (s *Service) Assign(ctx context.Context, submission, assignee, by string) (wf.DecisionResult, error) {
	var res wf.DecisionResult
	err := s.update(ctx, submission, wf.UpdateAssign, wf.Assignment{Assignee: assignee, By: by}, &res)
	if err != nil && unknownUpdate(err) {
		return res, ErrAssignUnsupported
	}
	return res, err
}

// unknownUpdate recognises the SDK's rejection of an Update the workflow
// has no handler for ("unknown update assign. KnownUpdates=[…]").
func unknownUpdate(err error) bool {
	return strings.Contains(err.Error(), "unknown update "+wf.UpdateAssign)
}
