package api

import (
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/store"
)

// The API's own answer types: converted from the store's rows here, at the
// edge, so that neither the database schema nor the workflow's contract is
// the API's schema by accident (openapi.yaml describes these).

// submissionJSON is a submission as the worklist and its status page show it.
type submissionJSON struct {
	ID               string          `json:"id"`
	Status           string          `json:"status"`
	Turn             string          `json:"turn"`
	Assignee         string          `json:"assignee,omitempty"`
	Organisation     string          `json:"organisation"`
	SubmitterName    string          `json:"submitterName"`
	Kind             string          `json:"kind"`
	Number           string          `json:"number"`
	DecisionDate     string          `json:"decisionDate"`
	Title            string          `json:"title"`
	Records          int             `json:"records"`
	ReceivedAt       time.Time       `json:"receivedAt"`
	FirstReceivedAt  time.Time       `json:"firstReceivedAt"`
	Late             bool            `json:"late"`
	Deadlines        deadlinesJSON   `json:"deadlines"`
	Escalated        bool            `json:"escalated"`
	CorrectionRounds int             `json:"correctionRounds"`
	Deficiencies     deficiency.List `json:"deficiencies"`
	Uploads          []uploadJSON    `json:"uploads"`
	Notices          []noticeJSON    `json:"notices"`
	Extensions       []extensionJSON `json:"extensions"`
	EntryNumbers     []string        `json:"entryNumbers"`
	Reason           string          `json:"reason,omitempty"`
	DecidedAt        time.Time       `json:"decidedAt,omitzero"`
	UpdatedAt        time.Time       `json:"updatedAt"`
	Overdue          bool            `json:"overdue"`
}

type deadlinesJSON struct {
	LateMark        time.Time `json:"lateMark,omitzero"`
	Entry           time.Time `json:"entry,omitzero"`
	CorrectionLimit time.Time `json:"correctionLimit,omitzero"`
	ExtendedDays    int       `json:"extendedDays"`
}

type uploadJSON struct {
	ID         string    `json:"id"`
	SHA256     string    `json:"sha256"`
	ReceivedAt time.Time `json:"receivedAt"`
}

type noticeJSON struct {
	Seq      int       `json:"seq"`
	Type     string    `json:"type"`
	At       time.Time `json:"at"`
	Delivery string    `json:"delivery"`
}

type extensionJSON struct {
	WorkingDays int       `json:"workingDays"`
	Reason      string    `json:"reason"`
	NewDeadline time.Time `json:"newDeadline"`
	Clerk       string    `json:"clerk"`
	At          time.Time `json:"at"`
}

func deadlinesView(d store.Deadlines) deadlinesJSON {
	return deadlinesJSON{LateMark: d.LateMark, Entry: d.Entry, CorrectionLimit: d.CorrectionLimit, ExtendedDays: d.ExtendedDays}
}

func noticesView(ns []store.NoticeRef) []noticeJSON {
	out := make([]noticeJSON, len(ns))
	for i, n := range ns {
		out[i] = noticeJSON{Seq: n.Seq, Type: n.Type, At: n.At, Delivery: n.Delivery}
	}
	return out
}

// view is a submission's answer at now (overdue is judged then).
func view(s store.Submission, now time.Time) submissionJSON {
	v := submissionJSON{
		ID: s.ID, Status: s.Status, Turn: s.Turn, Assignee: s.Assignee, Organisation: s.Organisation,
		SubmitterName: s.SubmitterName, Kind: s.Kind, Number: s.Number, DecisionDate: s.DecisionDate,
		Title: s.Title, Records: s.Records, ReceivedAt: s.ReceivedAt, FirstReceivedAt: s.FirstReceivedAt,
		Late: s.Late, Deadlines: deadlinesView(s.Deadlines), Escalated: s.Escalated,
		CorrectionRounds: s.CorrectionRounds, Deficiencies: s.Deficiencies, EntryNumbers: s.EntryNumbers,
		Reason: s.Reason, DecidedAt: s.DecidedAt, UpdatedAt: s.UpdatedAt, Overdue: s.Overdue(now),
	}
	if s.Uploads != nil {
		v.Uploads = make([]uploadJSON, len(s.Uploads))
		for i, u := range s.Uploads {
			v.Uploads[i] = uploadJSON{ID: u.ID, SHA256: u.SHA256, ReceivedAt: u.ReceivedAt}
		}
	}
	if s.Notices != nil {
		v.Notices = noticesView(s.Notices)
	}
	if s.Extensions != nil {
		v.Extensions = make([]extensionJSON, len(s.Extensions))
		for i, x := range s.Extensions {
			v.Extensions[i] = extensionJSON{WorkingDays: x.WorkingDays, Reason: x.Reason, NewDeadline: x.NewDeadline, Clerk: x.Clerk, At: x.At}
		}
	}
	return v
}
