package accesslog

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kutsekoda/alusdok/auth"
)

// benchEntries is the size of the log in the benchmark: 100,000 entries,
// five per person.
const (
	benchEntries   = 100_000
	benchPerPerson = 5
)

// benchCode makes the i-th test personal code (well formed, not
// necessarily with a valid check digit: the store checks only the shape).
func benchCode(i int) string { return fmt.Sprintf("3%010d", i) }

// BenchmarkListForPersonAt100kEntries lists one person's entries in a log of
// 100,000 entries on the embedded FerretDB, two ways, in the same run:
//
//   - buckets: the store's design, one document per person and year keyed by
//     _id; ListForPerson does ListYears (10) lookups by _id, each pushed
//     down to SQLite;
//   - scan: the obvious design, one document per entry with a "person"
//     field and find({person: key}), which FerretDB v1 answers by reading
//     every document.
func BenchmarkListForPersonAt100kEntries(b *testing.B) {
	ctx := context.Background()
	db := mustOpenDB(b)
	s, err := NewStore(db, testKey, Options{})
	if err != nil {
		b.Fatal(err)
	}
	persons := benchEntries / benchPerPerson
	flat := db.Collection("access_log_flat")
	now := s.now().UTC().Truncate(time.Millisecond)
	who := AccessorOf(&auth.Principal{Role: auth.RoleClerk, Name: "Kati Menetleja", KeyID: "bench"})

	start := time.Now()
	var buckets, entries []any
	for p := range persons {
		person, _, _ := s.personKey(benchCode(p))
		bk := bucket{ID: bucketID(person, now.Year()), Person: person, Year: now.Year()}
		for i := range benchPerPerson {
			e := Entry{ID: fmt.Sprintf("bench-%d/%d", p, i), When: now, Who: who, What: fmt.Sprintf("certificate KT-%06d", p), Why: "GET /api/v1/certificates/:number"}
			bk.Entries = append(bk.Entries, e)
			entries = append(entries, bson.D{{Key: "person", Value: person}, {Key: "entry", Value: e}})
		}
		buckets = append(buckets, bk)
	}
	insertAll(b, s.coll, buckets)
	insertAll(b, flat, entries)
	b.Logf("loaded %d entries as %d bucket documents and as %d flat documents in %s",
		benchEntries, len(buckets), len(entries), time.Since(start).Round(time.Millisecond))

	b.Run("buckets by _id (chosen)", func(b *testing.B) {
		i := 0
		for b.Loop() {
			got, err := s.ListForPerson(ctx, benchCode(i*7919%persons))
			if err != nil || len(got) != benchPerPerson {
				b.Fatalf("listed %d entries, %v", len(got), err)
			}
			i++
		}
	})
	b.Run("one document per entry, filter on person (scan baseline)", func(b *testing.B) {
		i := 0
		for b.Loop() {
			person, _, _ := s.personKey(benchCode(i * 7919 % persons))
			cur, err := flat.Find(ctx, bson.D{{Key: "person", Value: person}})
			if err != nil {
				b.Fatal(err)
			}
			var docs []bson.Raw
			if err := cur.All(ctx, &docs); err != nil || len(docs) != benchPerPerson {
				b.Fatalf("found %d entries, %v", len(docs), err)
			}
			i++
		}
	})
}

// BenchmarkRecordOneRead records one read into a log of 1,000 persons:
// one upsert by _id.
func BenchmarkRecordOneRead(b *testing.B) {
	ctx := context.Background()
	s, err := NewStore(mustOpenDB(b), testKey, Options{})
	if err != nil {
		b.Fatal(err)
	}
	clerk := &auth.Principal{Role: auth.RoleClerk, Name: "Kati Menetleja", KeyID: "bench"}
	i := 0
	for b.Loop() {
		if err := s.Record(ctx, Event{Who: clerk, Why: "GET /x", Reads: []Read{{PersonalCode: benchCode(i % 1000), What: "certificate"}}}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func insertAll(tb testing.TB, coll *mongo.Collection, docs []any) {
	tb.Helper()
	for len(docs) > 0 {
		n := min(len(docs), 1000)
		if _, err := coll.InsertMany(context.Background(), docs[:n]); err != nil {
			tb.Fatal(err)
		}
		docs = docs[n:]
	}
}
