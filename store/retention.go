package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/documents"
)

// Retention (R4.2, R18): every submission has one row in CollRetention,
// written when its documents are first stored, carrying the date until
// which they are kept and where the explicit procedure stands. Once the
// date passes, a retention workflow lists it for a supervisor, who decides
// to archive, destroy or keep it; what was archived or destroyed leaves a
// tombstone (CollTombstones) with the hashes of every file.
const (
	CollRetention  = "retention"
	CollTombstones = "retention_tombstones"
)

// Retention states.
const (
	RetentionHeld      = "held"      // kept until RetainUntil
	RetentionListed    = "listed"    // due, waiting for the supervisor in Batch
	RetentionArchived  = "archived"  // packaged into the archive, removed here
	RetentionDestroyed = "destroyed" // removed; the tombstone remains
)

// RetentionRow is one submission's retention.
type RetentionRow struct {
	ID           string    `bson:"_id"` // the submission
	Kind         string    `bson:"kind"`
	Number       string    `bson:"number"`
	DecisionDate string    `bson:"decisionDate"`
	RetainUntil  time.Time `bson:"retainUntil"`
	State        string    `bson:"state"`
	Batch        string    `bson:"batch,omitempty"`
	// Reason and DecidedBy are of the last decision to keep it longer.
	Reason    string    `bson:"reason,omitempty"`
	DecidedBy string    `bson:"decidedBy,omitempty"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

// HoldForRetention records that a submission's documents are kept until
// row.RetainUntil. A second hold (corrected documents with another date)
// keeps the later date: the period never shrinks.
func (s *Store) HoldForRetention(ctx context.Context, row RetentionRow) error {
	row.State = RetentionHeld
	row.RetainUntil = row.RetainUntil.UTC()
	if err := s.insertOnce(ctx, CollRetention, row); err != nil {
		return err
	}
	_, err := s.c(CollRetention).UpdateOne(ctx, byID(row.ID), bson.D{
		{Key: "$max", Value: bson.D{{Key: "retainUntil", Value: row.RetainUntil}}},
	})
	if err != nil {
		return fmt.Errorf("retention of %s: %w", row.ID, err)
	}
	return nil
}

// Retention returns a submission's retention row.
func (s *Store) Retention(ctx context.Context, submission string) (RetentionRow, error) {
	var r RetentionRow
	err := s.findByID(ctx, CollRetention, submission, &r)
	return r, err
}

// RetentionRows lists the rows in state, by retention date then id; a zero
// before lists all of them, else only those whose date is not after before.
// It reads the collection once: a daily job and a supervisor's list.
func (s *Store) RetentionRows(ctx context.Context, state string, before time.Time) ([]RetentionRow, error) {
	var out []RetentionRow
	err := s.each(ctx, CollRetention, func(raw bson.Raw) error {
		var r RetentionRow
		if err := bson.Unmarshal(raw, &r); err != nil {
			return err
		}
		if r.State == state && (before.IsZero() || !r.RetainUntil.After(before)) {
			out = append(out, r)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b RetentionRow) int {
		if c := a.RetainUntil.Compare(b.RetainUntil); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// ListForRetention moves a held row to listed in batch, unless another
// batch listed it first; it reports whether the row is now in batch (a
// retry of the same batch answers true again).
func (s *Store) ListForRetention(ctx context.Context, submission, batch string, at time.Time) (bool, error) {
	_, err := s.c(CollRetention).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: submission}, {Key: "state", Value: RetentionHeld}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: RetentionListed}, {Key: "batch", Value: batch}, {Key: "updatedAt", Value: at.UTC()}}}})
	if err != nil {
		return false, fmt.Errorf("list %s for retention: %w", submission, err)
	}
	r, err := s.Retention(ctx, submission)
	if err != nil {
		return false, err
	}
	return r.State == RetentionListed && r.Batch == batch, nil
}

// RelistForRetention moves a row listed by a batch that no longer runs
// (terminated) into batch; it reports whether the row is now in batch.
func (s *Store) RelistForRetention(ctx context.Context, submission, from, batch string, at time.Time) (bool, error) {
	_, err := s.c(CollRetention).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: submission}, {Key: "state", Value: RetentionListed}, {Key: "batch", Value: from}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "batch", Value: batch}, {Key: "updatedAt", Value: at.UTC()}}}})
	if err != nil {
		return false, fmt.Errorf("relist %s for retention: %w", submission, err)
	}
	r, err := s.Retention(ctx, submission)
	if err != nil {
		return false, err
	}
	return r.State == RetentionListed && r.Batch == batch, nil
}

// KeepLonger holds a listed row again until a later date, with the
// supervisor's reason.
func (s *Store) KeepLonger(ctx context.Context, submission, batch string, until time.Time, reason, by string, at time.Time) error {
	_, err := s.c(CollRetention).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: submission}, {Key: "batch", Value: batch}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: RetentionHeld}, {Key: "retainUntil", Value: until.UTC()},
			{Key: "reason", Value: reason}, {Key: "decidedBy", Value: by}, {Key: "updatedAt", Value: at.UTC()}}}})
	if err != nil {
		return fmt.Errorf("keep %s: %w", submission, err)
	}
	return nil
}

// SetRetentionState records the end of a row's procedure (archived,
// destroyed).
func (s *Store) SetRetentionState(ctx context.Context, submission, state, by string, at time.Time) error {
	_, err := s.c(CollRetention).UpdateOne(ctx, byID(submission),
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: state}, {Key: "decidedBy", Value: by}, {Key: "updatedAt", Value: at.UTC()}}}})
	if err != nil {
		return fmt.Errorf("retention state of %s: %w", submission, err)
	}
	return nil
}

// TombstoneFile is one file that was archived or destroyed.
type TombstoneFile struct {
	Name   string `bson:"name"`
	Blob   string `bson:"blob,omitempty"`
	SHA256 string `bson:"sha256"`
	Length int64  `bson:"length"`
}

// Tombstone is what remains of a submission's documents after the
// retention procedure: what was done, by whom, and the hash of every file,
// so that an archived or a surviving copy can still be recognised.
type Tombstone struct {
	ID           string          `bson:"_id"` // the submission
	Action       string          `bson:"action"`
	Kind         string          `bson:"kind"`
	Number       string          `bson:"number"`
	DecisionDate string          `bson:"decisionDate"`
	Files        []TombstoneFile `bson:"files"`
	Package      string          `bson:"package,omitempty"` // the archive package's directory
	Removed      []string        `bson:"removed"`           // records removed (certificate ids)
	Kept         []string        `bson:"kept"`              // records a holder still needs
	By           string          `bson:"by"`
	At           time.Time       `bson:"at"`
}

// PutTombstone records a tombstone once.
func (s *Store) PutTombstone(ctx context.Context, t Tombstone) error {
	t.At = t.At.UTC()
	return s.insertOnce(ctx, CollTombstones, t)
}

// TombstoneOf returns a submission's tombstone.
func (s *Store) TombstoneOf(ctx context.Context, submission string) (Tombstone, error) {
	var t Tombstone
	err := s.findByID(ctx, CollTombstones, submission, &t)
	return t, err
}

// BlobUsedElsewhere reports whether an upload of another submission than
// this one still names the blob as its document (the same PDF submitted
// twice), and that submission's documents are not yet removed.
func (s *Store) BlobUsedElsewhere(ctx context.Context, blob, submission string) (bool, error) {
	var others []string
	err := s.each(ctx, CollUploads, func(raw bson.Raw) error {
		var u Upload
		if err := bson.Unmarshal(raw, &u); err != nil {
			return err
		}
		if u.DocumentBlob == blob && u.SubmissionID != submission {
			others = append(others, u.SubmissionID)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	for _, o := range others {
		r, err := s.Retention(ctx, o)
		if errors.Is(err, ErrNotFound) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if r.State != RetentionArchived && r.State != RetentionDestroyed {
			return true, nil
		}
	}
	return false, nil
}

// ReleaseBlob takes a submission off a shared blob's list of keepers.
func (s *Store) ReleaseBlob(ctx context.Context, bucket, id, submission string) error {
	_, err := s.c(bucket+".files").UpdateOne(ctx, byID(id),
		bson.D{{Key: "$pull", Value: bson.D{{Key: "metadata.submissions", Value: submission}}}})
	if err != nil {
		return fmt.Errorf("release blob %s: %w", id, err)
	}
	return nil
}

// DeleteUploadRecord removes an upload's record (its blobs are removed by
// their own calls).
func (s *Store) DeleteUploadRecord(ctx context.Context, id string) error {
	if _, err := s.c(CollUploads).DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("delete upload %s: %w", id, err)
	}
	return nil
}

// DeleteNotice removes a notice's record.
func (s *Store) DeleteNotice(ctx context.Context, id string) error {
	if _, err := s.c(CollNotices).DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("delete notice %s: %w", id, err)
	}
	return nil
}

// DeleteCertificate removes a certificate record that no holder needs any
// more (R18), and takes it off its holder's index.
func (s *Store) DeleteCertificate(ctx context.Context, r Record[documents.Certificate]) error {
	change := "delete/" + r.ID
	if err := s.changeStarting(ctx, change, certificatesIn([]string{r.ID})); err != nil {
		return err
	}
	if r.Data.PersonalCode != "" {
		if err := s.unindexPerson(ctx, PersonKey(r.Data.PersonalCode), r.ID); err != nil {
			return fmt.Errorf("unindex certificate %s: %w", r.ID, err)
		}
	}
	if _, err := s.c(CollCertificates).DeleteOne(ctx, byID(r.ID)); err != nil {
		return fmt.Errorf("delete certificate %s: %w", r.ID, err)
	}
	return s.changeFinished(ctx, change)
}

// Undated is what was stored before every file got its retention date: a
// submission without a retention row, and the files without a date (or
// with the zero date year 1 that an earlier version wrote).
type Undated struct {
	Submissions []Submission
	Blobs       []Blob
}

// FindUndated reads the submissions, retention rows and stored files once
// each and names what has no retention date yet.
func (s *Store) FindUndated(ctx context.Context) (Undated, error) {
	var out Undated
	held := map[string]bool{}
	err := s.each(ctx, CollRetention, func(raw bson.Raw) error {
		if id, ok := raw.Lookup("_id").StringValueOK(); ok {
			held[id] = true
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	err = s.each(ctx, CollSubmissions, func(raw bson.Raw) error {
		var sub Submission
		if err := bson.Unmarshal(raw, &sub); err != nil {
			return err
		}
		if !held[sub.ID] {
			out.Submissions = append(out.Submissions, sub)
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	err = s.each(ctx, BucketDocuments+".files", func(raw bson.Raw) error {
		var b Blob
		if err := bson.Unmarshal(raw, &b); err != nil {
			return err
		}
		if b.Metadata.RetainUntil.Year() < 1000 {
			out.Blobs = append(out.Blobs, b)
		}
		return nil
	})
	return out, err
}
