package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// CollLetterNumbers holds the human references of the submissions' letters
// ("KR-2026/000123"): one insert-only claim per number (_id the number),
// per submission the number it kept (_id "submission:<id>"), and per year
// a hint of the highest number claimed (_id "year:<year>").
const CollLetterNumbers = "letter_numbers"

// letterNumber is a claim of a number, or a submission's number.
type letterNumber struct {
	ID         string `bson:"_id"`
	Number     string `bson:"number,omitempty"`
	Submission string `bson:"submission,omitempty"`
}

// maxLetterProbes bounds how far past the hint a claim looks.
const maxLetterProbes = 100_000

// LetterReference returns the human reference of the submission's letters,
// "KR-<year>/<number>", allocating the next number of year on first use;
// every later call (a retry, the next notice) returns the same. Only point
// lookups and inserts by _id: a number is claimed by inserting its own
// document, so two submissions never share one (a duplicate key sends the
// claim to the next number), and the submission keeps the first number it
// claimed ($setOnInsert). The year's hint only shortens the search: a lost
// update of it (FerretDB has no transactions) costs a few probes, never a
// duplicate. A number claimed by an attempt that then died stays unused.
func (s *Store) LetterReference(ctx context.Context, submissionID string, year int) (string, error) {
	key := "submission:" + submissionID
	var got letterNumber
	err := s.findByID(ctx, CollLetterNumbers, key, &got)
	if err == nil {
		return got.Number, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("letter reference: %w", err)
	}
	hintID := fmt.Sprintf("year:%d", year)
	var hint struct {
		Seq int `bson:"seq"`
	}
	if err := s.findByID(ctx, CollLetterNumbers, hintID, &hint); err != nil && !errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("letter reference: %w", err)
	}
	coll := s.c(CollLetterNumbers)
	for seq := hint.Seq + 1; seq <= hint.Seq+maxLetterProbes; seq++ {
		number := fmt.Sprintf("KR-%d/%06d", year, seq)
		_, err := coll.InsertOne(ctx, letterNumber{ID: number, Submission: submissionID})
		if mongo.IsDuplicateKeyError(err) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("letter reference: claim %s: %w", number, err)
		}
		if _, err := coll.UpdateOne(ctx, byID(hintID), bson.D{{Key: "$max", Value: bson.D{{Key: "seq", Value: seq}}}},
			options.UpdateOne().SetUpsert(true)); err != nil && !mongo.IsDuplicateKeyError(err) {
			return "", fmt.Errorf("letter reference: %w", err)
		}
		keep := bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "number", Value: number}}}}
		if _, err := coll.UpdateOne(ctx, byID(key), keep, options.UpdateOne().SetUpsert(true)); err != nil && !mongo.IsDuplicateKeyError(err) {
			return "", fmt.Errorf("letter reference: %w", err)
		}
		if err := s.findByID(ctx, CollLetterNumbers, key, &got); err != nil {
			return "", fmt.Errorf("letter reference: %w", err)
		}
		return got.Number, nil
	}
	return "", fmt.Errorf("letter reference: no free number of %d within %d of the hint", year, maxLetterProbes)
}
