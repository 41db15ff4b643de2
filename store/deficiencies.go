package store

import (
	"context"
	"fmt"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// CollDeficiencies holds the sets of deficiencies a submission's procedure
// found or a clerk listed (R13.3), one document per set under a
// deterministic ref: the workflow keeps only the ref and the counts, so
// that a list of a thousand deficiencies is not repeated through its
// history.
const CollDeficiencies = "deficiency_sets"

// DeficiencySet is one stored set.
type DeficiencySet struct {
	Ref          string          `bson:"_id"`
	SubmissionID string          `bson:"submission"`
	List         deficiency.List `bson:"list"`
	At           time.Time       `bson:"at"`
}

// PutDeficiencies stores a set under its ref, replacing what an earlier
// attempt of the same activity stored there: the attempt that completes is
// the one whose counts the workflow holds.
func (s *Store) PutDeficiencies(ctx context.Context, set DeficiencySet) error {
	set.At = set.At.UTC()
	return s.upsert(ctx, CollDeficiencies, set.Ref, set)
}

// Deficiencies returns the set stored under ref; ErrNotFound when there is
// none.
func (s *Store) Deficiencies(ctx context.Context, ref string) (deficiency.List, error) {
	var set DeficiencySet
	if err := s.findByID(ctx, CollDeficiencies, ref, &set); err != nil {
		return nil, fmt.Errorf("deficiencies %s: %w", ref, err)
	}
	return set.List, nil
}

// DeleteDeficiencies removes a stored set (retention, R18); a set already
// gone is no error.
func (s *Store) DeleteDeficiencies(ctx context.Context, ref string) error {
	if _, err := s.c(CollDeficiencies).DeleteOne(ctx, byID(ref)); err != nil {
		return fmt.Errorf("delete deficiencies %s: %w", ref, err)
	}
	return nil
}
