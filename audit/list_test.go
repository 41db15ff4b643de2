package audit

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestListFiltersForSupervisorsAndPersons_R19_2_R16_3 lists by submission,
// actor, time and subject, and pages through the results.
func TestListFiltersForSupervisorsAndPersons_R19_2_R16_3(t *testing.T) {
	ctx := context.Background()
	l := New(newDB(t))
	day := func(d int) time.Time { return time.Date(2025, 3, d, 9, 0, 0, 0, time.UTC) }
	for _, e := range []Entry{
		{Key: "A/1", SubmissionID: "A", Actor: ActorSystem, Action: ActionReceived, Time: day(1), Subjects: []string{"p:1", "p:2"}},
		{Key: "A/2", SubmissionID: "A", Actor: "Mari Maasikas", Action: ActionEntered, Time: day(2), Subjects: []string{"p:1", "p:2"}},
		{Key: "B/1", SubmissionID: "B", Actor: ActorSystem, Action: ActionReceived, Time: day(3), Subjects: []string{"p:2"}},
		{Key: "B/2", SubmissionID: "B", Actor: "Mari Maasikas", Action: ActionRefused, Time: day(4)},
		{Key: "C/1", SubmissionID: "C", Actor: ActorSystem, Action: ActionReceived, Time: day(5)},
	} {
		if _, err := l.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		filter Filter
		page   Page
		want   []int64
	}{
		{"everything", Filter{}, Page{}, []int64{1, 2, 3, 4, 5}},
		{"one submission", Filter{SubmissionID: "B"}, Page{}, []int64{3, 4}},
		{"one clerk", Filter{Actor: "Mari Maasikas"}, Page{}, []int64{2, 4}},
		{"a time range, To excluded", Filter{From: day(2), To: day(4)}, Page{}, []int64{2, 3}},
		{"a person", Filter{Subject: "p:2"}, Page{}, []int64{1, 2, 3}},
		{"a person and a clerk", Filter{Subject: "p:1", Actor: "Mari Maasikas"}, Page{}, []int64{2}},
		{"nobody", Filter{Subject: "p:3"}, Page{}, nil},
		{"the first page", Filter{}, Page{Limit: 2}, []int64{1, 2}},
		{"the next page", Filter{}, Page{After: 2, Limit: 2}, []int64{3, 4}},
		{"a filtered page", Filter{Actor: ActorSystem}, Page{After: 1, Limit: 1}, []int64{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := l.List(ctx, tc.filter, tc.page)
			if err != nil {
				t.Fatal(err)
			}
			var seqs []int64
			for _, e := range got {
				seqs = append(seqs, e.Seq)
				if e.Hash != ComputeHash(e) {
					t.Errorf("entry %d comes back with fields that do not hash to its Hash", e.Seq)
				}
			}
			if !slices.Equal(seqs, tc.want) {
				t.Errorf("got entries %v, want %v", seqs, tc.want)
			}
		})
	}
}
