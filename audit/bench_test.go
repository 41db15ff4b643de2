package audit

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkAppend appends one entry after another through the whole
// algorithm; compare with BenchmarkInsertOnly, the cost of one plain insert.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	l := New(newDB(b))
	i := 0
	for b.Loop() {
		i++
		if _, err := l.Append(ctx, sample(fmt.Sprintf("S-1/%d", i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendAfter10k appends to a log that holds 10,000 entries: the
// usual path reads no entry, so it costs what BenchmarkAppend does.
func BenchmarkAppendAfter10k(b *testing.B) {
	ctx := context.Background()
	l := seed(b, 10_000)
	i := 0
	for b.Loop() {
		i++
		if _, err := l.Append(ctx, sample(fmt.Sprintf("S-x/%d", i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInsertOnly inserts the same documents with one InsertOne each,
// into a collection of their own.
func BenchmarkInsertOnly(b *testing.B) {
	ctx := context.Background()
	c := newDB(b).Collection("plain")
	e := sample("")
	e.Time, e.PrevHash, e.Hash = time.Now(), GenesisHash, GenesisHash
	i := int64(0)
	for b.Loop() {
		i++
		e.Seq, e.Key = i, fmt.Sprintf("S-1/%d", i)
		if _, err := c.InsertOne(ctx, record{ID: EntryID(i), Entry: e}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify10k verifies a log of 10,000 entries.
func BenchmarkVerify10k(b *testing.B) {
	ctx := context.Background()
	l := seed(b, 10_000)
	for b.Loop() {
		rep, err := l.Verify(ctx)
		if err != nil || !rep.Whole() || rep.Count != 10_000 {
			b.Fatalf("%v, %v", err, rep)
		}
	}
}

// BenchmarkPointLookups10k reads the same 10,000 entries one _id lookup at
// a time: the least a Verify that walked the chain by lookups would cost.
func BenchmarkPointLookups10k(b *testing.B) {
	ctx := context.Background()
	l := seed(b, 10_000)
	for b.Loop() {
		for seq := int64(1); seq <= 10_000; seq++ {
			if _, ok, err := l.entry(ctx, seq); err != nil || !ok {
				b.Fatalf("entry %d: %v, %v", seq, ok, err)
			}
		}
	}
}

// seed writes a valid log of n entries in batches, faster than Append.
func seed(tb testing.TB, n int64) *Log {
	tb.Helper()
	ctx := context.Background()
	l := New(newDB(tb))
	prev, start := GenesisHash, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var batch []any
	for seq := int64(1); seq <= n; seq++ {
		e := sample(fmt.Sprintf("S-%d/1", seq))
		e.Seq, e.Time, e.PrevHash = seq, start.Add(time.Duration(seq)*time.Second), prev
		e.Hash = ComputeHash(e)
		prev = e.Hash
		batch = append(batch, record{ID: EntryID(seq), Entry: e})
		if len(batch) == 1000 || seq == n {
			if _, err := l.entries.InsertMany(ctx, batch); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := l.moveHead(ctx, Entry{Seq: n, Hash: prev}); err != nil {
		tb.Fatal(err)
	}
	return l
}
