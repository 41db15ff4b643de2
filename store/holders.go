package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Holder notices: one claim per certificate and event, inserted once, so a
// notice is sent once however often its workflow, activity or schedule
// runs; and each person's choice to have none.
const (
	CollHolderNotices = "holder_notices"
	CollHolderPrefs   = "holder_preferences"
)

// Holder-notice delivery states.
const (
	HolderPending   = "pending"
	HolderSent      = "sent"
	HolderFailed    = "failed"     // the address was refused for good
	HolderNotMailed = "not-mailed" // no personal code, no template or no SMTP
	HolderOptedOut  = "opted-out"  // the person turned holder notices off
)

// HolderNotice is one notice to a certificate's holder. It names the
// certificate and the holder's key, never the address (it carries the
// personal code).
type HolderNotice struct {
	ID          string    `bson:"_id"` // certificate/event[/date]
	Certificate string    `bson:"certificate"`
	Event       string    `bson:"event"`
	Person      string    `bson:"person,omitempty"` // PersonKey
	Submission  string    `bson:"submission,omitempty"`
	State       string    `bson:"state"`
	Attempts    int       `bson:"attempts"`
	LastError   string    `bson:"lastError,omitempty"`
	ClaimedAt   time.Time `bson:"claimedAt"`
	DeliveredAt time.Time `bson:"deliveredAt,omitempty"`
}

// ClaimHolderNotice inserts the notice's claim unless there is one; it
// returns the claim as stored and whether this call made it.
func (s *Store) ClaimHolderNotice(ctx context.Context, n HolderNotice) (HolderNotice, bool, error) {
	n.State = HolderPending
	n.ClaimedAt = n.ClaimedAt.UTC()
	_, err := s.c(CollHolderNotices).InsertOne(ctx, n)
	if err == nil {
		return n, true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return n, false, fmt.Errorf("claim holder notice: %w", err)
	}
	var cur HolderNotice
	if err := s.findByID(ctx, CollHolderNotices, n.ID, &cur); err != nil {
		return n, false, err
	}
	return cur, false, nil
}

// MarkHolderNotice records a delivery attempt's outcome.
func (s *Store) MarkHolderNotice(ctx context.Context, id, state string, attempts int, lastErr string, at time.Time) error {
	set := bson.D{{Key: "state", Value: state}, {Key: "attempts", Value: attempts}, {Key: "lastError", Value: lastErr}}
	if state == HolderSent {
		set = append(set, bson.E{Key: "deliveredAt", Value: at.UTC()})
	}
	if _, err := s.c(CollHolderNotices).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: set}}); err != nil {
		return fmt.Errorf("record holder notice: %w", err)
	}
	return nil
}

// HolderNoticeByID returns one notice's claim.
func (s *Store) HolderNoticeByID(ctx context.Context, id string) (HolderNotice, error) {
	var n HolderNotice
	err := s.findByID(ctx, CollHolderNotices, id, &n)
	return n, err
}

type holderPrefs struct {
	ID  string    `bson:"_id"` // PersonKey
	Off bool      `bson:"off"`
	At  time.Time `bson:"at"`
}

// SetHolderNotices turns a person's holder notices on or off.
func (s *Store) SetHolderNotices(ctx context.Context, personalCode string, on bool, at time.Time) error {
	p := holderPrefs{ID: PersonKey(personalCode), Off: !on, At: at.UTC()}
	_, err := s.c(CollHolderPrefs).ReplaceOne(ctx, byID(p.ID), p, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("holder notice preference: %w", err)
	}
	return nil
}

// HolderNoticesOn reports whether the person with this key (PersonKey)
// wants holder notices (the default).
func (s *Store) HolderNoticesOn(ctx context.Context, personKey string) (bool, error) {
	var p holderPrefs
	err := s.findByID(ctx, CollHolderPrefs, personKey, &p)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return !p.Off, nil
}
