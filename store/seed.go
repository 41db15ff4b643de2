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
	for _, c := range reg.Councils() {
		if err := putVersion(ctx, s, CollCouncils, c.ID, c, e); err != nil {
			return fmt.Errorf("seed council: %w", err)
		}
	}
	for _, st := range reg.Standards() {
		if err := s.putStandard(ctx, st, e); err != nil {
			return fmt.Errorf("seed standard: %w", err)
		}
	}
	for _, b := range reg.AwardingBodies() {
		if err := putVersion(ctx, s, CollAwardingBodies, b.RegistryCode, b, e); err != nil {
			return fmt.Errorf("seed awarding body: %w", err)
		}
	}
	if err := s.PutCertificates(ctx, reg.Certificates(), e, nil); err != nil {
		return fmt.Errorf("seed certificates: %w", err)
	}
	return nil
}
