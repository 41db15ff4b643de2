package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestAppendChainsEntriesFromGenesis_R17(t *testing.T) {
	l := New(newDB(t))
	got := appendN(t, l, "S-1", 3)
	for i, e := range got {
		if e.Seq != int64(i+1) {
			t.Errorf("entry %d has seq %d", i+1, e.Seq)
		}
		want := GenesisHash
		if i > 0 {
			want = got[i-1].Hash
		}
		if e.PrevHash != want {
			t.Errorf("entry %d links to %s, want %s", e.Seq, e.PrevHash, want)
		}
		if e.Hash != ComputeHash(e) {
			t.Errorf("entry %d's hash %s is not the hash of its fields", e.Seq, e.Hash)
		}
		if e.Time.IsZero() || e.Time.Location() != time.UTC {
			t.Errorf("entry %d's time %v is not set in UTC", e.Seq, e.Time)
		}
	}
	rep := mustVerify(t, l)
	if !rep.Whole() || rep.Count != 3 || rep.LastHash != got[2].Hash {
		t.Errorf("report %v, want whole with 3 entries ending in %s", rep, got[2].Hash)
	}
}

func TestAppendStoresTimeToTheMillisecondAndStillVerifies_R17(t *testing.T) {
	l := New(newDB(t))
	e := sample("S-1/1")
	e.Time = time.Date(2025, 3, 14, 12, 30, 45, 123456789, time.FixedZone("EET", 2*3600))
	got, err := l.Append(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 3, 14, 10, 30, 45, 123000000, time.UTC)
	if !got.Time.Equal(want) || got.Time.Location() != time.UTC {
		t.Errorf("time %v, want %v", got.Time, want)
	}
	if rep := mustVerify(t, l); !rep.Whole() {
		t.Error(rep)
	}
}

func TestAppendIsIdempotentByKey_R17(t *testing.T) {
	db := newDB(t)
	l := New(db)
	ctx := context.Background()
	first, err := l.Append(ctx, sample("S-1/1"))
	if err != nil {
		t.Fatal(err)
	}
	retry := sample("S-1/1")
	retry.Detail = "the retry says something else"
	retry.Time = first.Time.Add(time.Hour)
	for _, appender := range []*Log{l, New(db)} { // the same process, another process
		again, err := appender.Append(ctx, retry)
		if err != nil {
			t.Fatal(err)
		}
		if again.Seq != first.Seq || again.Hash != first.Hash || again.Detail != first.Detail {
			t.Errorf("retry returned %+v, want the entry written first %+v", again, first)
		}
	}
	for coll, want := range map[string]int64{CollEntries: 1, CollKeys: 1} {
		if n := count(t, db, coll); n != want {
			t.Errorf("%s holds %d documents after a retried append, want %d", coll, n, want)
		}
	}
}

// TestRetryAfterACrashWritesNoDuplicate_R17 stops an append in each of its
// crash windows (by writing what it would have written so far), lets
// another process append after it, and retries.
func TestRetryAfterACrashWritesNoDuplicate_R17(t *testing.T) {
	for _, tc := range []struct {
		name         string
		entryWritten bool
		wantEntries  int64
	}{
		{"after the claim, before the entry", false, 5},
		{"after the entry, before the head", true, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := newDB(t)
			crashed, other := New(db), New(db)
			appendN(t, crashed, "S-0", 2)

			// The crashed attempt claimed its key, perhaps wrote
			// entry 3, and stopped.
			if first, err := crashed.claim(ctx, "S-1/1"); err != nil || !first {
				t.Fatalf("claim: %v, %v", first, err)
			}
			orphan := sample("S-1/1")
			if tc.entryWritten {
				orphan.Time = normalTime(time.Now())
				orphan.Seq, orphan.PrevHash = 3, mustEntry(t, crashed, 2).Hash
				orphan.Hash = ComputeHash(orphan)
				if _, err := db.Collection(CollEntries).InsertOne(ctx, record{ID: EntryID(3), Entry: orphan}); err != nil {
					t.Fatal(err)
				}
			}
			// Meanwhile another process appends.
			appendN(t, other, "S-2", 2)

			again, err := crashed.Append(ctx, sample("S-1/1"))
			if err != nil {
				t.Fatal(err)
			}
			if tc.entryWritten && (again.Seq != 3 || again.Hash != orphan.Hash) {
				t.Errorf("retry returned entry %d (%s), want the orphan 3 (%s)", again.Seq, again.Hash, orphan.Hash)
			}
			if !tc.entryWritten && again.Seq != 5 {
				t.Errorf("retry wrote entry %d, want 5", again.Seq)
			}
			if n := count(t, db, CollEntries); n != tc.wantEntries {
				t.Errorf("the log holds %d entries, want %d", n, tc.wantEntries)
			}
			if _, err := crashed.Append(ctx, sample("S-1/1")); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, CollEntries); n != tc.wantEntries {
				t.Errorf("a second retry wrote: the log holds %d entries, want %d", n, tc.wantEntries)
			}
			assertKeysUnique(t, New(db))
			if rep := mustVerify(t, other); !rep.Whole() || rep.Count != tc.wantEntries {
				t.Error(rep)
			}
		})
	}
}

// TestAppendStepsOverAStaleHead_R17 moves the head back, as a lost race of
// two head updates may, and appends.
func TestAppendStepsOverAStaleHead_R17(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	l := New(db)
	es := appendN(t, l, "S-1", 3)
	if _, err := db.Collection(CollHead).ReplaceOne(ctx, byID(headID), headDoc{ID: headID, Seq: 1, Hash: es[0].Hash}); err != nil {
		t.Fatal(err)
	}
	e, err := l.Append(ctx, sample("S-2/1"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Seq != 4 || e.PrevHash != es[2].Hash {
		t.Errorf("appended entry %d linked to %s, want 4 linked to %s", e.Seq, e.PrevHash, es[2].Hash)
	}
	if again, err := l.Append(ctx, sample("S-1/2")); err != nil || again.Seq != 2 {
		t.Errorf("retry of entry 2 returned %d, %v", again.Seq, err)
	}
	if rep := mustVerify(t, l); !rep.Whole() || rep.Count != 4 {
		t.Error(rep)
	}
}

// TestConcurrentAppendsGiveAGapFreeChain_R17 appends from many goroutines of
// one process and from two processes at once, some of them with the same
// keys (an activity retried while its first attempt still runs).
func TestConcurrentAppendsGiveAGapFreeChain_R17(t *testing.T) {
	for _, tc := range []struct {
		name      string
		processes int
		workers   int // per process
	}{
		{"8 goroutines in one process", 1, 8},
		{"two processes with 4 goroutines each", 2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const perWorker = 6
			ctx := context.Background()
			db := newDB(t)
			var logs []*Log
			for range tc.processes {
				logs = append(logs, New(connect(t).Database(db.Name())))
			}
			var wg sync.WaitGroup
			errs := make(chan error, tc.processes*tc.workers*perWorker)
			for p, l := range logs {
				for w := range tc.workers {
					wg.Go(func() {
						for i := range perWorker {
							// Workers w and w+1 share their odd steps'
							// keys, across processes too.
							key := fmt.Sprintf("S-%d/%d", w, i)
							if i%2 == 1 {
								key = fmt.Sprintf("S-%d/%d", w/2*2, i)
							}
							e := sample(key)
							e.Detail = fmt.Sprintf("process %d worker %d", p, w)
							if _, err := l.Append(ctx, e); err != nil {
								errs <- err
							}
						}
					})
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}

			keys := map[string]bool{}
			for w := range tc.workers {
				for i := range perWorker {
					keys[fmt.Sprintf("S-%d/%d", w, i)] = true
					if i%2 == 1 {
						delete(keys, fmt.Sprintf("S-%d/%d", w, i))
						keys[fmt.Sprintf("S-%d/%d", w/2*2, i)] = true
					}
				}
			}
			rep := mustVerify(t, logs[0])
			if !rep.Whole() || rep.Count != int64(len(keys)) {
				t.Errorf("%v; want whole with %d entries", rep, len(keys))
			}
			assertKeysUnique(t, logs[0])
			if n := count(t, db, CollKeys); n != int64(len(keys)) {
				t.Errorf("%d keys recorded, want %d", n, len(keys))
			}
		})
	}
}

func TestAppendRefusesWhatCannotBeLogged_R17(t *testing.T) {
	l := New(newDB(t))
	for _, tc := range []struct {
		name   string
		change func(*Entry)
	}{
		{"no key", func(e *Entry) { e.Key = "" }},
		{"no actor", func(e *Entry) { e.Actor = "" }},
		{"no action", func(e *Entry) { e.Action = "" }},
		{"a document date not YYYY-MM-DD", func(e *Entry) { e.DocumentDate = "14.03.2025" }},
		{"a raw personal code as subject", func(e *Entry) { e.Subjects = []string{"38001085718"} }},
		{"an empty subject", func(e *Entry) { e.Subjects = []string{""} }},
		{"text that is not UTF-8", func(e *Entry) { e.Detail = "\xff" }},
		{"a NUL in text", func(e *Entry) { e.SubmitterName = "a\x00b" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := sample("S-1/1")
			tc.change(&e)
			if _, err := l.Append(context.Background(), e); !errors.Is(err, ErrInvalid) {
				t.Errorf("Append: %v, want ErrInvalid", err)
			}
		})
	}
	if rep := mustVerify(t, l); rep.Count != 0 {
		t.Errorf("refused entries were written: %v", rep)
	}
}

// mustEntry reads entry seq.
func mustEntry(tb testing.TB, l *Log, seq int64) Entry {
	tb.Helper()
	e, ok, err := l.entry(context.Background(), seq)
	if err != nil || !ok {
		tb.Fatalf("entry %d: ok %v, %v", seq, ok, err)
	}
	return e
}

// assertKeysUnique checks that no two entries carry the same key and that
// every entry's key is claimed.
func assertKeysUnique(tb testing.TB, l *Log) {
	tb.Helper()
	ctx := context.Background()
	cur, err := l.entries.Find(ctx, bson.D{})
	if err != nil {
		tb.Fatal(err)
	}
	var rs []record
	if err := cur.All(ctx, &rs); err != nil {
		tb.Fatal(err)
	}
	seen := map[string]int64{}
	for _, r := range rs {
		if prev, dup := seen[r.Key]; dup {
			tb.Errorf("entries %d and %d both carry key %q", prev, r.Seq, r.Key)
		}
		seen[r.Key] = r.Seq
		if first, err := l.claim(ctx, r.Key); err != nil || first {
			tb.Errorf("the key %q of entry %d was not claimed (%v)", r.Key, r.Seq, err)
		}
	}
}
