package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/devstack/devstacktest"
	"github.com/kutsekoda/alusdok/store"
)

// testFerret is the embedded FerretDB shared by the package's tests.
var testFerret = devstacktest.Shared{Name: "store"}

func mustOpenStore(tb testing.TB) *store.Store {
	tb.Helper()
	return store.New(testFerret.Database(tb))
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func TestReadModelNeverMovesBackwards(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	row := func(step int, status string) store.Submission {
		return store.Submission{ID: "s1", Status: status, Open: true, Step: step, UpdatedAt: t0.Add(time.Duration(step) * time.Minute)}
	}
	steps := []struct {
		name string
		put  func() error
		want string
	}{
		{"intake's first row", func() error { return st.PutFirstSubmission(ctx, row(0, "received")) }, "received"},
		{"the workflow's first step supersedes it", func() error { return st.PutSubmission(ctx, row(2, "in-review")) }, "in-review"},
		{"intake's row written late changes nothing", func() error { return st.PutFirstSubmission(ctx, row(0, "received")) }, "in-review"},
		{"an earlier step written late changes nothing", func() error { return st.PutSubmission(ctx, row(1, "received")) }, "in-review"},
		{"the same step again changes nothing", func() error { return st.PutSubmission(ctx, row(2, "entering")) }, "in-review"},
		{"a later step moves it on", func() error { return st.PutSubmission(ctx, row(3, "entered")) }, "entered"},
	}
	for _, s := range steps {
		if err := s.put(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := st.Submission(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != s.want {
			t.Errorf("%s: status %q, want %q", s.name, got.Status, s.want)
		}
	}
}

func TestReadModelWrittenConcurrentlyEndsAtTheLastStep(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	var wg sync.WaitGroup
	for step := 1; step <= 12; step++ {
		wg.Go(func() {
			if err := st.PutSubmission(ctx, store.Submission{ID: "s2", Status: fmt.Sprint(step), Step: step}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// FerretDB has no atomic conditional update: what it guarantees is that
	// a step written after the last one is never taken back.
	if err := st.PutSubmission(ctx, store.Submission{ID: "s2", Status: "13", Step: 13}); err != nil {
		t.Fatal(err)
	}
	for step := 1; step <= 12; step++ {
		if err := st.PutSubmission(ctx, store.Submission{ID: "s2", Status: fmt.Sprint(step), Step: step}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := st.Submission(ctx, "s2"); got.Step != 13 || got.Status != "13" {
		t.Errorf("row at step %d (%s), want 13", got.Step, got.Status)
	}
}

// certs are n certificates numbered from prefix+from.
func certs(prefix string, from, n int) []documents.Certificate {
	cs := examples.GenerateCommitteeDecision(n).Payload.Certificates
	for i := range cs {
		cs[i].Number = fmt.Sprintf("%s%05d", prefix, from+i)
	}
	return cs
}

func entry(sub string) store.Entry {
	return store.Entry{SubmissionID: sub, EntryNumber: "KR-" + sub, At: t0}
}

// countOf reports how many of cs are in the register, and how many of
// them name sub.
func countOf(t *testing.T, st *store.Store, cs []documents.Certificate, sub string) (present, own int) {
	t.Helper()
	for _, c := range cs {
		rec, err := st.Certificate(context.Background(), c.Key())
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		present++
		if rec.Submission == sub {
			own++
		}
	}
	return present, own
}

func TestEntryWithATakenNumberWritesNothing_R12_1_R13_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	first := certs("T", 10, 5) // T00010 … T00014
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: first}, entry("a"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	// b's numbers: T00001…T00003 are free and sort before T00012, which a
	// entered; then T00020.
	b := append(certs("T", 1, 3), certs("T", 12, 1)[0], certs("T", 20, 1)[0])
	_, err := st.EnterPlan(ctx, documents.Plan{Certificates: b}, entry("b"), store.Progress{}, nil)
	var conflict *documents.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("entering a taken number: %v, want a ConflictError", err)
	}
	if conflict.Field != "payload.certificates[3].number" || conflict.Code != documents.CodeEntryCertificateTaken {
		t.Errorf("conflict at %s (%s), want payload.certificates[3].number", conflict.Field, conflict.Code)
	}
	if present, own := countOf(t, st, b, "b"); own != 0 || present != 1 {
		t.Errorf("after the conflict: %d of b's certificates present, %d entered by b; want only a's one, none of b's", present, own)
	}
	// b's claims were released: the free numbers can be entered by another.
	free := certs("T", 1, 3)
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: free}, entry("c"), store.Progress{}, nil); err != nil {
		t.Fatalf("the numbers b claimed and released: %v", err)
	}
}

func TestEntryRetriedOrResumedWritesEachRecordOnce_R12_1(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	cs := certs("R", 0, 1200)
	council := examples.Register().Councils()[0]
	plan := documents.Plan{Certificates: cs, Versions: []documents.Version{{Kind: documents.KindCouncil, Council: &council}}}
	var last store.Progress
	if _, err := st.EnterPlan(ctx, plan, entry("r"), store.Progress{}, func(p store.Progress) { last = p }); err != nil {
		t.Fatal(err)
	}
	if last.Claimed != len(cs) || last.Certificates != len(cs) || last.Versions != 1 {
		t.Errorf("progress at the end %+v, want every step done", last)
	}
	for _, from := range []store.Progress{{}, {Claimed: 700}, {Claimed: 1200, Versions: 1, Certificates: 500}, last} {
		n, err := st.EnterPlan(ctx, plan, entry("r"), from, nil)
		if err != nil || n != len(cs)+1 {
			t.Fatalf("retry from %+v: %d, %v", from, n, err)
		}
	}
	if present, own := countOf(t, st, cs, "r"); present != len(cs) || own != len(cs) {
		t.Errorf("%d certificates present, %d entered by r; want %d", present, own, len(cs))
	}
	hist, err := store.History[documents.Council](ctx, st, store.CollCouncils, council.ID)
	if err != nil || len(hist) != 1 {
		t.Errorf("council history %d versions, %v; want 1 version", len(hist), err)
	}
}

func TestTwoEntriesRacingForANumberEnterOneAndNothingOfTheOther_R13_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	a := certs("X", 0, 300)   // X00000 … X00299
	b := certs("X", 250, 300) // X00250 … X00549: 50 shared
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, cs := range [][]documents.Certificate{a, b} {
		wg.Go(func() {
			_, errs[i] = st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry(fmt.Sprint("race", i)), store.Progress{}, nil)
		})
	}
	wg.Wait()
	var conflict *documents.ConflictError
	won := -1
	for i, err := range errs {
		switch {
		case err == nil && won == -1:
			won = i
		case errors.As(err, &conflict):
		default:
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	if won == -1 {
		t.Fatalf("neither entry went through: %v", errs)
	}
	lost := 1 - won
	if errs[lost] == nil {
		t.Fatalf("both entries went through")
	}
	all := [][]documents.Certificate{a, b}
	if _, own := countOf(t, st, all[lost], fmt.Sprint("race", lost)); own != 0 {
		t.Errorf("the losing entry left %d certificates behind", own)
	}
	if present, own := countOf(t, st, all[won], fmt.Sprint("race", won)); present != 300 || own != 300 {
		t.Errorf("the winning entry: %d present, %d its own; want 300", present, own)
	}
}

func TestMain(m *testing.M) { mainWithBench(m) }

// TestDeficiencySetsByRef: a set of deficiencies is stored under its ref
// (R13.3), a retried store replaces it, a missing one is ErrNotFound, and
// retention removes it (R18), twice without an error.
func TestDeficiencySetsByRef(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	var first, again deficiency.List
	first.Add("payload.certificates[0].number", "field.required", "Number puudub.", "The number is missing.")
	again.Add("payload.certificates[1].number", "field.required", "Number puudub.", "The number is missing.")
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		name string
		do   func() error
		want deficiency.List // nil: not stored
	}{
		{"none yet", func() error { return nil }, nil},
		{"stored", func() error {
			return st.PutDeficiencies(ctx, store.DeficiencySet{Ref: "s9/deficiencies/1", SubmissionID: "s9", List: first, At: at})
		}, first},
		{"a retry replaces it", func() error {
			return st.PutDeficiencies(ctx, store.DeficiencySet{Ref: "s9/deficiencies/1", SubmissionID: "s9", List: again, At: at})
		}, again},
		{"removed", func() error { return st.DeleteDeficiencies(ctx, "s9/deficiencies/1") }, nil},
		{"removed again", func() error { return st.DeleteDeficiencies(ctx, "s9/deficiencies/1") }, nil},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := st.Deficiencies(ctx, "s9/deficiencies/1")
		switch {
		case s.want == nil && !errors.Is(err, store.ErrNotFound):
			t.Errorf("%s: %v, %v; want ErrNotFound", s.name, got, err)
		case s.want != nil && (err != nil || len(got) != 1 || got[0].Field != s.want[0].Field):
			t.Errorf("%s: %v, %v; want %v", s.name, got, err, s.want)
		}
	}
}
