package intake

import (
	"context"
	"errors"
	"strings"

	wf "github.com/kutsekoda/alusdok/workflows"
)

// The assignment Update of a submission's workflow: a clerk claims a
// submission (assigns it to themself) or reassigns it to another clerk (a
// substitute during an absence). The workflow logs it (R17) and writes the
// assignee to the read model.
//
// The workflow's contract (workflows/api.go: UpdateAssign, Assignment) is
// being added at the same time as this caller; until it lands, the name and
// the argument are spelled here with the same JSON shape. When it has
// landed, replace updateAssign by wf.UpdateAssign and assignment by
// wf.Assignment.
const updateAssign = "assign"

type assignment struct {
	Assignee string `json:"assignee"`
	By       string `json:"by"`
}

// ErrAssignUnsupported says the running workflow has no assignment Update
// (a worker older than the contract).
var ErrAssignUnsupported = errors.New("the submission's workflow does not support assignment")

// Assign assigns a submission to a clerk; by is the clerk who does it (the
// assignee themself for a claim).
func (s *Service) Assign(ctx context.Context, submission, assignee, by string) (wf.DecisionResult, error) {
	var res wf.DecisionResult
	err := s.update(ctx, submission, updateAssign, assignment{Assignee: assignee, By: by}, &res)
	if err != nil && unknownUpdate(err) {
		return res, ErrAssignUnsupported
	}
	return res, err
}

// unknownUpdate recognises the SDK's rejection of an Update the workflow
// has no handler for ("unknown update assign. KnownUpdates=[…]").
func unknownUpdate(err error) bool {
	return strings.Contains(err.Error(), "unknown update "+updateAssign)
}
