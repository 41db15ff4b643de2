package audit

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Filter chooses entries for List. Zero fields do not filter; the fields
// given must all match.
type Filter struct {
	SubmissionID string
	Actor        string
	// From and To bound Time: From ≤ Time < To.
	From, To time.Time
	// Subject is a person's key: only entries about that person (R16.3).
	Subject string
}

// Page says which page of a listing to return.
type Page struct {
	// After is the Seq of the last entry of the previous page (0: from the
	// start).
	After int64
	// Limit is the most entries to return: DefaultLimit when 0, at most
	// MaxLimit.
	Limit int
}

// Page sizes.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// List returns the entries that match f in Seq order, a page at a time: pass
// the last returned entry's Seq as the next page's After. It serves
// supervisors (R19.2) and persons asking about themselves (R16.3).
//
// Its filters are not by _id, so on FerretDB every call scans the whole log;
// such reads are rare. On MongoDB, indexes on submissionId, actor, time and
// subjects would make them cheap.
func (l *Log) List(ctx context.Context, f Filter, p Page) ([]Entry, error) {
	limit := p.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	q := bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: EntryID(p.After)}}}}
	if f.SubmissionID != "" {
		q = append(q, bson.E{Key: "submissionId", Value: f.SubmissionID})
	}
	if f.Actor != "" {
		q = append(q, bson.E{Key: "actor", Value: f.Actor})
	}
	if f.Subject != "" {
		q = append(q, bson.E{Key: "subjects", Value: f.Subject})
	}
	var span bson.D
	if !f.From.IsZero() {
		span = append(span, bson.E{Key: "$gte", Value: f.From.UTC()})
	}
	if !f.To.IsZero() {
		span = append(span, bson.E{Key: "$lt", Value: f.To.UTC()})
	}
	if span != nil {
		q = append(q, bson.E{Key: "time", Value: span})
	}

	cur, err := l.entries.Find(ctx, q, options.Find().
		SetSort(bson.D{{Key: "_id", Value: 1}}).
		SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("list processing log: %w", err)
	}
	var rs []record
	if err := cur.All(ctx, &rs); err != nil {
		return nil, fmt.Errorf("list processing log: %w", err)
	}
	out := make([]Entry, len(rs))
	for i, r := range rs {
		r.Time = r.Time.UTC()
		out[i] = r.Entry
	}
	return out, nil
}
