package store

import (
	"context"
	"fmt"

	"github.com/kutsekoda/alusdok/documents"
)

// Seed enters the records of an in-memory register as if entry e had
// entered them: for tests, benchmarks and demonstrations. Like every entry
// it is idempotent.
func (s *Store) Seed(ctx context.Context, reg *documents.MemoryRegister, e Entry) error {
	var plan documents.Plan
	for _, c := range reg.Councils() {
		plan.Versions = append(plan.Versions, documents.Version{Kind: documents.KindCouncil, Council: &c})
	}
	for _, st := range reg.Standards() {
		plan.Versions = append(plan.Versions, documents.Version{Kind: documents.KindStandard, Standard: &st})
	}
	for _, b := range reg.AwardingBodies() {
		plan.Versions = append(plan.Versions, documents.Version{Kind: documents.KindAwardingBody, AwardingBody: &b})
	}
	plan.Certificates = reg.Certificates()
	if _, err := s.EnterPlan(ctx, plan, e, Progress{}, nil); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}
