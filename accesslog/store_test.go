package accesslog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/auth"
)

const (
	mari = "36805280109"
	jaan = "49403136526"
	juri = "38001085718"
)

var (
	testKey = []byte("0123456789abcdef0123456789abcdef")
	clerk   = &auth.Principal{Role: auth.RoleClerk, Name: "Kati Menetleja", KeyID: "k1"}
)

func mustStore(tb testing.TB, opts Options) *Store {
	tb.Helper()
	s, err := NewStore(mustOpenDB(tb), testKey, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestDataAccessIsListedForThePerson_R16_3(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t, Options{})
	err := s.Record(ctx, Event{
		Who: clerk, Why: "GET /api/v1/submissions/:id",
		Reads: []Read{{PersonalCode: mari, What: "certificate KT-123456"}, {PersonalCode: jaan, What: "certificate KT-123457"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code string
		want []string
	}{
		{mari, []string{"certificate KT-123456"}},
		{jaan, []string{"certificate KT-123457"}},
		{juri, nil},
	}
	for _, tt := range tests {
		t.Run(tt.code[7:], func(t *testing.T) {
			got, err := s.ListForPerson(ctx, tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d entries, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, e := range got {
				want := Accessor{Name: "Kati Menetleja", Role: "clerk", Credential: "key:k1"}
				if e.What != tt.want[i] || e.Who != want || e.Why != "GET /api/v1/submissions/:id" || e.When.IsZero() {
					t.Errorf("entry %+v", e)
				}
			}
		})
	}
}

func TestReadingOnesOwnDataIsNotLogged(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t, Options{})
	self := &auth.Principal{Role: auth.RolePerson, PersonalCode: mari, Subject: "EE" + mari, Name: "Mari"}
	if err := s.Record(ctx, Event{Who: self, Why: "GET /api/v1/me", Reads: []Read{{PersonalCode: mari, What: "certificate KT-1"}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ListForPerson(ctx, mari); len(got) != 0 {
		t.Errorf("own read logged: %+v", got)
	}
}

func TestRetriedRecordAddsNothingTwice(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t, Options{})
	ev := Event{ID: "req-1", When: time.Now(), Who: clerk, Why: "GET /x", Reads: []Read{{PersonalCode: mari, What: "certificate KT-1"}}}
	for range 3 {
		if err := s.Record(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListForPerson(ctx, mari)
	if err != nil || len(got) != 1 || got[0].ID != "req-1/0" {
		t.Fatalf("after three records of one event: %+v, %v", got, err)
	}
}

func TestConcurrentReadsOfOnePersonAreAllLogged(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t, Options{})
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- s.Record(ctx, Event{Who: clerk, Why: "GET /x", Reads: []Read{
				{PersonalCode: mari, What: fmt.Sprintf("certificate KT-%d", i)},
				{PersonalCode: jaan, What: fmt.Sprintf("certificate KT-%d", i)},
			}})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, code := range []string{mari, jaan} {
		if got, err := s.ListForPerson(ctx, code); err != nil || len(got) != n {
			t.Errorf("%d concurrent reads logged %d entries (%v)", n, len(got), err)
		}
	}
}

func TestEntriesAreListedNewestFirst(t *testing.T) {
	ctx := context.Background()
	s := mustStore(t, Options{})
	for _, when := range []time.Time{
		time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC),
	} {
		if err := s.Record(ctx, Event{When: when, Who: clerk, Why: "x", Reads: []Read{{PersonalCode: mari, What: when.Format("2006-01-02")}}}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListForPerson(ctx, mari)
	if err != nil {
		t.Fatal(err)
	}
	var whats []string
	for _, e := range got {
		whats = append(whats, e.What)
	}
	if strings.Join(whats, " ") != "2026-01-05 2025-12-31 2022-06-01" {
		t.Errorf("listed %v, want newest first", whats)
	}
}

func TestLogStoresNoPersonalCode(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	s, err := NewStore(db, testKey, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Record(ctx, Event{Who: clerk, Why: "x", Reads: []Read{{PersonalCode: mari, What: "certificate KT-1"}}}); err != nil {
		t.Fatal(err)
	}
	cur, err := db.Collection(Collection).Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil || len(docs) != 1 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	if strings.Contains(docs[0].String(), mari) {
		t.Errorf("the log holds the personal code: %s", docs[0])
	}
	other, _ := NewStore(db, []byte("another key of thirty-two bytes!"), Options{})
	if got, _ := other.ListForPerson(ctx, mari); len(got) != 0 {
		t.Error("a store with another key finds the entries")
	}
}

func TestMalformedPersonalCodeIsRefusedWithoutEchoingIt(t *testing.T) {
	s := mustStore(t, Options{})
	err := s.Record(context.Background(), Event{Who: clerk, Reads: []Read{{PersonalCode: "EE12345", What: "x"}}})
	if !errors.Is(err, ErrPersonalCode) || strings.Contains(err.Error(), "12345") {
		t.Errorf("Record = %v, want ErrPersonalCode without the value", err)
	}
	if _, err := s.ListForPerson(context.Background(), "1234"); !errors.Is(err, ErrPersonalCode) {
		t.Errorf("ListForPerson = %v, want ErrPersonalCode", err)
	}
}

func TestShortKeyIsRefused(t *testing.T) {
	if _, err := NewStore(nil, []byte("short"), Options{}); err == nil {
		t.Error("NewStore accepted a 5-byte key")
	}
}

func TestDevelopmentKeyIsKeptAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	a, err := DevelopmentKey(ctx, db)
	if err != nil || len(a) < MinKeyLen {
		t.Fatalf("DevelopmentKey = %d bytes, %v", len(a), err)
	}
	b, err := DevelopmentKey(ctx, db)
	if err != nil || string(a) != string(b) {
		t.Errorf("the second DevelopmentKey differs (%v)", err)
	}
}
