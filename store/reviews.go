package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/documents"
)

// Closing access to reported data (R14.1). A record under review carries a
// marker in the reviews collection, keyed by the record ("certificates/1-
// 214001"), held by exactly one report (insert-only: of two reports at once
// the first holds it, the second joins it). Public endpoints answer "under
// review" instead of the record, and statistics and open data leave it out,
// until the report that holds the marker removes it.

// Collection names of reports.
const (
	CollReviews = "reviews"
	CollReports = "reports"
)

// ReviewMark is the closed-for-review marker of one record.
type ReviewMark struct {
	ID     string    `bson:"_id"` // ReviewKey
	Report string    `bson:"report"`
	Since  time.Time `bson:"since"`
}

// ReviewKey is the marker's _id for the record id of collection coll.
func ReviewKey(coll, id string) string { return coll + "/" + id }

// CertificateReviewKey is the marker's _id of a certificate.
func CertificateReviewKey(k documents.CertificateKey) string {
	return ReviewKey(CollCertificates, CertificateID(k))
}

// CloseForReview puts the marker on a record for report, unless another
// report holds it already; it answers the report that holds it.
func (s *Store) CloseForReview(ctx context.Context, key, report string, at time.Time) (string, error) {
	if err := s.insertOnce(ctx, CollReviews, ReviewMark{ID: key, Report: report, Since: at.UTC()}); err != nil {
		return "", err
	}
	var m ReviewMark
	if err := s.findByID(ctx, CollReviews, key, &m); err != nil {
		return "", err
	}
	return m.Report, nil
}

// Reopen removes the marker that report holds on a record; another report's
// marker, or none, is left as it is.
func (s *Store) Reopen(ctx context.Context, key, report string) error {
	var m ReviewMark
	err := s.findByID(ctx, CollReviews, key, &m)
	if errors.Is(err, ErrNotFound) || err == nil && m.Report != report {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := s.c(CollReviews).DeleteOne(ctx, byID(key)); err != nil {
		return fmt.Errorf("reopen %s: %w", key, err)
	}
	return nil
}

// UnderReview answers the marker of a record, or ErrNotFound.
func (s *Store) UnderReview(ctx context.Context, key string) (ReviewMark, error) {
	var m ReviewMark
	err := s.findByID(ctx, CollReviews, key, &m)
	return m, err
}

// ReviewMarks returns the keys of every record under review: a small set
// (the open reports), read once by statistics and exports.
func (s *Store) ReviewMarks(ctx context.Context) (map[string]bool, error) {
	cur, err := s.c(CollReviews).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("read reviews: %w", err)
	}
	defer cur.Close(ctx)
	out := map[string]bool{}
	for cur.Next(ctx) {
		var m ReviewMark
		if err := cur.Decode(&m); err != nil {
			return nil, fmt.Errorf("read reviews: %w", err)
		}
		out[m.ID] = true
	}
	return out, cur.Err()
}

// Report is the read model's row of one report (R14): what the clerks'
// list shows. One owner writes it: the report's workflow, step by step.
type Report struct {
	ID             string    `bson:"_id"`
	Status         string    `bson:"status"`
	Open           bool      `bson:"open"`
	CertType       int       `bson:"certificateType"`
	CertNumber     string    `bson:"certificateNumber"`
	ReporterRole   string    `bson:"reporterRole"`
	ReporterName   string    `bson:"reporterName"`
	Reason         string    `bson:"reason"`
	ReportedAt     time.Time `bson:"reportedAt"`
	Submission     string    `bson:"submission"`
	Organisation   string    `bson:"organisation"`
	Deadline       time.Time `bson:"deadline"`
	Escalated      bool      `bson:"escalated"`
	JoinedReport   string    `bson:"joinedReport,omitempty"`
	Resolution     string    `bson:"resolution,omitempty"`
	ResolutionNote string    `bson:"resolutionNote,omitempty"`
	Correction     string    `bson:"correction,omitempty"` // the correcting submission
	ReopenedAt     time.Time `bson:"reopenedAt,omitzero"`
	ReporterTold   string    `bson:"reporterTold,omitempty"`
	Step           int       `bson:"step"`
	UpdatedAt      time.Time `bson:"updatedAt"`
}

// PutReport writes a report's row unless the row is at this step or later.
func (s *Store) PutReport(ctx context.Context, r Report) error {
	filter := bson.D{{Key: "_id", Value: r.ID}, {Key: "step", Value: bson.D{{Key: "$lt", Value: r.Step}}}}
	_, err := s.c(CollReports).ReplaceOne(ctx, filter, r, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("write report %s: %w", r.ID, err)
	}
	return nil
}

// Report returns one report's row.
func (s *Store) Report(ctx context.Context, id string) (Report, error) {
	var r Report
	err := s.findByID(ctx, CollReports, id, &r)
	return r, err
}

// Reports lists the reports, open ones first, then by deadline and report
// time.
func (s *Store) Reports(ctx context.Context, onlyOpen bool) ([]Report, error) {
	cur, err := s.c(CollReports).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	var out []Report
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	if onlyOpen {
		out = slices.DeleteFunc(out, func(r Report) bool { return !r.Open })
	}
	slices.SortFunc(out, func(a, b Report) int {
		switch {
		case a.Open != b.Open:
			if a.Open {
				return -1
			}
			return 1
		case !a.Deadline.Equal(b.Deadline):
			return a.Deadline.Compare(b.Deadline)
		case !a.ReportedAt.Equal(b.ReportedAt):
			return a.ReportedAt.Compare(b.ReportedAt)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}
