package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Submission is the read model's row of one submission: what worklists and
// status pages show, so that they never depend on Temporal's visibility
// store. It is the store's own type: the workflow's activities build it
// from the workflow's state, and the API and the web front answer with
// types of their own.
//
// One owner writes it: the submission's workflow, through its Record
// activity, each write carrying the workflow's step counter. Intake writes
// only a first row (step 0), and only when there is none yet.
type Submission struct {
	ID               string          `bson:"_id"`
	Status           string          `bson:"status"`
	Open             bool            `bson:"open"` // not entered, refused or withdrawn
	Turn             string          `bson:"turn"`
	Assignee         string          `bson:"assignee,omitempty"` // the clerk who claimed it
	Organisation     string          `bson:"organisation"`
	SubmitterName    string          `bson:"submitterName"`
	Kind             string          `bson:"kind"`
	Number           string          `bson:"number"`
	DecisionDate     string          `bson:"decisionDate"`
	Title            string          `bson:"title"`
	Records          int             `bson:"records"`
	ReceivedAt       time.Time       `bson:"receivedAt"`
	FirstReceivedAt  time.Time       `bson:"firstReceivedAt"`
	Late             bool            `bson:"late"`
	Deadlines        Deadlines       `bson:"deadlines"`
	Escalated        bool            `bson:"escalated"`
	CorrectionRounds int             `bson:"correctionRounds"`
	Deficiencies     deficiency.List `bson:"deficiencies"`
	// DeficiencySets is how many sets of deficiencies are stored for the
	// submission (DeficiencySet), for retention to remove.
	DeficiencySets int         `bson:"deficiencySets,omitempty"`
	Uploads        []UploadRef `bson:"uploads"`
	Notices        []NoticeRef `bson:"notices"`
	Extensions     []Extension `bson:"extensions"`
	EntryNumbers   []string    `bson:"entryNumbers"`
	Reason         string      `bson:"reason"`
	DecidedAt      time.Time   `bson:"decidedAt"`
	Step           int         `bson:"step"`
	UpdatedAt      time.Time   `bson:"updatedAt"`
}

// Deadlines are a submission's working-day deadlines as stored.
type Deadlines struct {
	LateMark        time.Time `bson:"lateMark"`
	Entry           time.Time `bson:"entry"`
	CorrectionLimit time.Time `bson:"correctionLimit"`
	ExtendedDays    int       `bson:"extendedDays"`
}

// UploadRef names one upload of a submission.
type UploadRef struct {
	ID         string    `bson:"id"`
	SHA256     string    `bson:"sha256"`
	ReceivedAt time.Time `bson:"receivedAt"`
}

// NoticeRef lists one written notice of a submission.
type NoticeRef struct {
	Seq      int       `bson:"seq"`
	Type     string    `bson:"type"`
	At       time.Time `bson:"at"`
	Delivery string    `bson:"delivery"`
}

// Extension is one extension of the entry deadline as stored.
type Extension struct {
	WorkingDays int       `bson:"workingDays"`
	Reason      string    `bson:"reason"`
	NewDeadline time.Time `bson:"newDeadline"`
	Clerk       string    `bson:"clerk"`
	At          time.Time `bson:"at"`
}

// Overdue reports whether the entry deadline has passed undecided.
func (s Submission) Overdue(now time.Time) bool {
	return s.Open && !s.Deadlines.Entry.IsZero() && now.After(s.Deadlines.Entry)
}

// PutSubmission writes the read model's row at its step, unless the row
// already holds that step or a later one: a retried or late write never
// moves it backwards. On MongoDB it is one update filtered on the step (no
// read-then-write); a row at a later step makes the upsert collide with the
// existing _id, which is the answer "already newer".
//
// FerretDB v1 serves only a filter that is exactly {_id} from its index;
// the filter on _id and step scans the collection, so each write cost more
// the more submissions there were (32 ms at 200, 266 ms at 600, measured).
// There it reads the row's step by _id and replaces the row by _id: two
// point operations. That is not atomic, but FerretDB's own update is a
// query then a write too, and the row has one writer, the submission's
// workflow, whose records run one at a time.
func (s *Store) PutSubmission(ctx context.Context, sub Submission) error {
	if s.isFerretDB(ctx) {
		return s.putSubmissionByID(ctx, sub)
	}
	filter := bson.D{{Key: "_id", Value: sub.ID}, {Key: "step", Value: bson.D{{Key: "$lt", Value: sub.Step}}}}
	_, err := s.c(CollSubmissions).ReplaceOne(ctx, filter, sub, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return nil // the row is at this step or later already
	}
	if err != nil {
		return fmt.Errorf("write submission %s: %w", sub.ID, err)
	}
	return nil
}

func (s *Store) putSubmissionByID(ctx context.Context, sub Submission) error {
	var at struct {
		Step int `bson:"step"`
	}
	err := s.c(CollSubmissions).FindOne(ctx, byID(sub.ID), options.FindOne().SetProjection(bson.D{{Key: "step", Value: 1}})).Decode(&at)
	switch {
	case err == nil && at.Step >= sub.Step:
		return nil // the row is at this step or later already
	case err != nil && !errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("read submission %s: %w", sub.ID, err)
	}
	return s.upsert(ctx, CollSubmissions, sub.ID, sub)
}

// PutFirstSubmission writes a submission's first row (step 0) unless the
// workflow has already written one: intake's row, superseded by the
// workflow's first step.
func (s *Store) PutFirstSubmission(ctx context.Context, sub Submission) error {
	sub.Step = 0
	return s.insertOnce(ctx, CollSubmissions, sub)
}

// Submission returns one submission's read model.
func (s *Store) Submission(ctx context.Context, id string) (Submission, error) {
	var sub Submission
	err := s.findByID(ctx, CollSubmissions, id, &sub)
	return sub, err
}

// SubmissionFilter selects submissions for a worklist.
type SubmissionFilter struct {
	Organisation string   // "" for all (clerks)
	Statuses     []string // any of
	Kind         string
	Assignee     string
	OpenOnly     bool
	Escalated    bool
	Overdue      bool
	DueBefore    time.Time
	Now          time.Time
}

func (f SubmissionFilter) query() bson.D {
	filter := bson.D{}
	if f.Organisation != "" {
		filter = append(filter, bson.E{Key: "organisation", Value: f.Organisation})
	}
	if f.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: f.Kind})
	}
	if f.Assignee != "" {
		filter = append(filter, bson.E{Key: "assignee", Value: f.Assignee})
	}
	if f.OpenOnly {
		filter = append(filter, bson.E{Key: "open", Value: true})
	}
	if f.Escalated {
		filter = append(filter, bson.E{Key: "escalated", Value: true})
	}
	if len(f.Statuses) > 0 {
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: f.Statuses}}})
	}
	return filter
}

func (f SubmissionFilter) keep(sub Submission) bool {
	if f.Overdue && !sub.Overdue(f.Now) {
		return false
	}
	if !f.DueBefore.IsZero() && (sub.Deadlines.Entry.IsZero() || !sub.Deadlines.Entry.Before(f.DueBefore)) {
		return false
	}
	return true
}

// ListSubmissions returns the submissions that match f, sorted by entry
// deadline (soonest first, those without one last), with paging. Worklists
// are a few thousand submissions a year: this reads the matching rows once.
func (s *Store) ListSubmissions(ctx context.Context, f SubmissionFilter, offset, limit int) ([]Submission, int, error) {
	cur, err := s.c(CollSubmissions).Find(ctx, f.query())
	if err != nil {
		return nil, 0, fmt.Errorf("list submissions: %w", err)
	}
	var all []Submission
	if err := cur.All(ctx, &all); err != nil {
		return nil, 0, fmt.Errorf("list submissions: %w", err)
	}
	out := all[:0]
	for _, sub := range all {
		if f.keep(sub) {
			out = append(out, sub)
		}
	}
	slices.SortStableFunc(out, ByDeadline)
	total := len(out)
	offset = min(max(offset, 0), total)
	end := min(total, offset+limit)
	return out[offset:end], total, nil
}

// ByDeadline orders submissions by entry deadline, soonest first, those
// without one last (by receipt).
func ByDeadline(a, b Submission) int {
	switch {
	case a.Deadlines.Entry.IsZero() && b.Deadlines.Entry.IsZero():
		return a.ReceivedAt.Compare(b.ReceivedAt)
	case a.Deadlines.Entry.IsZero():
		return 1
	case b.Deadlines.Entry.IsZero():
		return -1
	}
	return a.Deadlines.Entry.Compare(b.Deadlines.Entry)
}

// SubmissionCounts is the read model summed up for operators' metrics.
type SubmissionCounts struct {
	ByStatusTurn map[[2]string]int // [status, turn] → submissions
	Overdue      int               // open and past the entry deadline
	Escalated    int               // open and escalated
}

// CountSubmissions sums the read model up: one scan of the collection
// (worklists are a few thousand rows), reading only the fields it needs.
func (s *Store) CountSubmissions(ctx context.Context, now time.Time) (SubmissionCounts, error) {
	out := SubmissionCounts{ByStatusTurn: map[[2]string]int{}}
	proj := bson.D{{Key: "status", Value: 1}, {Key: "turn", Value: 1}, {Key: "open", Value: 1}, {Key: "escalated", Value: 1}, {Key: "deadlines", Value: 1}}
	cur, err := s.c(CollSubmissions).Find(ctx, bson.D{}, options.Find().SetProjection(proj))
	if err != nil {
		return out, fmt.Errorf("count submissions: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var sub Submission
		if err := cur.Decode(&sub); err != nil {
			return out, fmt.Errorf("count submissions: %w", err)
		}
		out.ByStatusTurn[[2]string{sub.Status, sub.Turn}]++
		if sub.Overdue(now) {
			out.Overdue++
		}
		if sub.Open && sub.Escalated {
			out.Escalated++
		}
	}
	return out, cur.Err()
}
