package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/deficiency"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// Submission is the read model of one submission: what worklists and status
// pages show, written by the workflow's Record activity at every step, so
// that they never depend on Temporal's visibility store.
type Submission struct {
	ID               string          `bson:"_id" json:"id"`
	Status           wf.Status       `bson:"status" json:"status"`
	Turn             wf.Turn         `bson:"turn" json:"turn"`
	Organisation     string          `bson:"organisation" json:"organisation"`
	SubmitterName    string          `bson:"submitterName" json:"submitterName"`
	Kind             string          `bson:"kind" json:"kind"`
	Number           string          `bson:"number" json:"number"`
	DecisionDate     string          `bson:"decisionDate" json:"decisionDate"`
	Title            string          `bson:"title" json:"title"`
	Records          int             `bson:"records" json:"records"`
	ReceivedAt       time.Time       `bson:"receivedAt" json:"receivedAt"`
	FirstReceivedAt  time.Time       `bson:"firstReceivedAt" json:"firstReceivedAt"`
	Late             bool            `bson:"late" json:"late"`
	Deadlines        wf.Deadlines    `bson:"deadlines" json:"deadlines"`
	Escalated        bool            `bson:"escalated" json:"escalated"`
	CorrectionRounds int             `bson:"correctionRounds" json:"correctionRounds"`
	Deficiencies     deficiency.List `bson:"deficiencies" json:"deficiencies"`
	Uploads          []wf.Upload     `bson:"uploads" json:"uploads"`
	Notices          []wf.Notice     `bson:"notices" json:"notices"`
	Extensions       []wf.Extension  `bson:"extensions" json:"extensions"`
	EntryNumbers     []string        `bson:"entryNumbers" json:"entryNumbers"`
	Reason           string          `bson:"reason" json:"reason,omitempty"`
	DecidedAt        time.Time       `bson:"decidedAt" json:"decidedAt,omitzero"`
	Step             int             `bson:"step" json:"-"`
	UpdatedAt        time.Time       `bson:"updatedAt" json:"updatedAt"`
}

// Overdue reports whether the entry deadline has passed undecided.
func (s Submission) Overdue(now time.Time) bool {
	return !s.Status.Final() && !s.Deadlines.Entry.IsZero() && now.After(s.Deadlines.Entry)
}

// SubmissionFromState builds the read model from the workflow's state.
func SubmissionFromState(st wf.State, step int, at time.Time) Submission {
	first := st.ReceivedAt
	if len(st.Uploads) > 0 {
		first = st.Uploads[0].ReceivedAt
	}
	return Submission{
		ID: st.SubmissionID, Status: st.Status, Turn: st.Turn,
		Organisation: st.Submitter.Organisation, SubmitterName: st.Submitter.Name,
		Kind: st.Summary.Kind, Number: st.Summary.Number, DecisionDate: st.Summary.DecisionDate,
		Title: st.Summary.Title, Records: st.Summary.Records,
		ReceivedAt: st.ReceivedAt, FirstReceivedAt: first, Late: st.Late, Deadlines: st.Deadlines,
		Escalated: st.Escalated, CorrectionRounds: st.CorrectionRounds, Deficiencies: st.Deficiencies,
		Uploads: st.Uploads, Notices: st.Notices, Extensions: st.Extensions, EntryNumbers: st.EntryNumbers,
		Reason: st.Reason, DecidedAt: st.DecidedAt, Step: step, UpdatedAt: at.UTC(),
	}
}

// PutSubmission writes the read model unless a later step is already
// written (a retried or late Record never moves it backwards).
func (s *Store) PutSubmission(ctx context.Context, sub Submission) error {
	var cur Submission
	if err := s.findByID(ctx, CollSubmissions, sub.ID, &cur); err == nil {
		if cur.Step > sub.Step {
			return nil
		}
		if sub.Kind == "" {
			// Before validation the workflow knows no summary yet; keep
			// the one intake wrote.
			sub.Kind, sub.Number, sub.DecisionDate, sub.Title = cur.Kind, cur.Number, cur.DecisionDate, cur.Title
		}
	}
	return s.upsert(ctx, CollSubmissions, sub.ID, sub)
}

// Submission returns one submission's read model.
func (s *Store) Submission(ctx context.Context, id string) (Submission, error) {
	var sub Submission
	err := s.findByID(ctx, CollSubmissions, id, &sub)
	return sub, err
}

// SubmissionFilter selects submissions for a worklist.
type SubmissionFilter struct {
	Organisation string      // "" for all (clerks)
	Statuses     []wf.Status // any of
	Kind         string
	Overdue      bool
	DueBefore    time.Time
	Now          time.Time
}

// ListSubmissions returns the submissions that match f, sorted by entry
// deadline (soonest first, those without one last), with paging. Worklists
// are a few thousand submissions a year: this reads the collection once.
func (s *Store) ListSubmissions(ctx context.Context, f SubmissionFilter, offset, limit int) ([]Submission, int, error) {
	filter := bson.D{}
	if f.Organisation != "" {
		filter = append(filter, bson.E{Key: "organisation", Value: f.Organisation})
	}
	if f.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: f.Kind})
	}
	if len(f.Statuses) > 0 {
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: f.Statuses}}})
	}
	cur, err := s.c(CollSubmissions).Find(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("list submissions: %w", err)
	}
	var all []Submission
	if err := cur.All(ctx, &all); err != nil {
		return nil, 0, fmt.Errorf("list submissions: %w", err)
	}
	out := all[:0]
	for _, sub := range all {
		if f.Overdue && !sub.Overdue(f.Now) {
			continue
		}
		if !f.DueBefore.IsZero() && (sub.Deadlines.Entry.IsZero() || !sub.Deadlines.Entry.Before(f.DueBefore)) {
			continue
		}
		out = append(out, sub)
	}
	slices.SortStableFunc(out, func(a, b Submission) int {
		switch {
		case a.Deadlines.Entry.IsZero() && b.Deadlines.Entry.IsZero():
			return a.ReceivedAt.Compare(b.ReceivedAt)
		case a.Deadlines.Entry.IsZero():
			return 1
		case b.Deadlines.Entry.IsZero():
			return -1
		}
		return a.Deadlines.Entry.Compare(b.Deadlines.Entry)
	})
	total := len(out)
	if offset > total {
		offset = total
	}
	end := min(total, offset+limit)
	return out[offset:end], total, nil
}
