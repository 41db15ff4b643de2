package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// NoticeRecord is a written notice as stored with its submission: the PDF
// (a blob) and the e-mail composed for it, with its delivery status.
type NoticeRecord struct {
	ID           string    `bson:"_id"`
	SubmissionID string    `bson:"submission"`
	Seq          int       `bson:"seq"`
	Type         string    `bson:"type"`
	At           time.Time `bson:"at"`
	Blob         string    `bson:"blob"`
	To           string    `bson:"to"`
	Subject      string    `bson:"subject"`
	Body         string    `bson:"body"`
	MessageID    string    `bson:"messageId"`
	Delivery     string    `bson:"delivery"` // pending, sent, failed, not-mailed
	Attempts     int       `bson:"attempts"`
	LastError    string    `bson:"lastError,omitempty"`
	DeliveredAt  time.Time `bson:"deliveredAt,omitempty"`
}

// DeliverySent is the delivery status of a notice that went out by e-mail.
const DeliverySent = "sent"

// NoticeID is the _id of a submission's n-th notice.
func NoticeID(submissionID string, seq int) string { return submissionID + "-" + strconv.Itoa(seq) }

// PutNotice records a notice unless it is recorded already (retries).
func (s *Store) PutNotice(ctx context.Context, n NoticeRecord) error {
	return s.insertOnce(ctx, CollNotices, n)
}

// Notice returns one notice.
func (s *Store) Notice(ctx context.Context, submissionID string, seq int) (NoticeRecord, error) {
	var n NoticeRecord
	err := s.findByID(ctx, CollNotices, NoticeID(submissionID, seq), &n)
	return n, err
}

// MarkDelivery records an attempt to e-mail a notice.
func (s *Store) MarkDelivery(ctx context.Context, id string, d string, attempt int, lastErr string, at time.Time) error {
	set := bson.D{{Key: "delivery", Value: d}, {Key: "attempts", Value: attempt}, {Key: "lastError", Value: lastErr}}
	if d == DeliverySent {
		set = append(set, bson.E{Key: "deliveredAt", Value: at.UTC()})
	}
	if _, err := s.c(CollNotices).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: set}}); err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return nil
}
