package accesslog

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	_ "modernc.org/sqlite" // to add an index to the embedded FerretDB's SQLite file

	"github.com/kutsekoda/alusdok/auth"
)

// The log in the benchmark: 100,000 entries, five per person.
const (
	benchEntries   = 100_000
	benchPerPerson = 5
)

// benchCode makes the i-th test personal code (well formed; the store checks
// only the shape).
func benchCode(i int) string { return fmt.Sprintf("3%010d", i) }

// BenchmarkListForPersonAt100kEntries lists one person's entries, and
// records one read, in a log of 100,000 entries on the embedded FerretDB, in
// the same run:
//
//   - the store's design, one document per person: one lookup by _id, which
//     FerretDB hands to SQLite — as FerretDB v1.24 is, where SQLite still
//     scans the table (the query's expression misses FerretDB's own index),
//     and with an index on the expression FerretDB queries, as MongoDB's _id
//     index behaves;
//   - the scan baseline, one document per entry with a "person" field and
//     find({person: key}), which FerretDB applies in Go to every document.
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
	var perPerson, perEntry []any
	for p := range persons {
		person, _, _ := s.personKey(benchCode(p))
		d := personDoc{ID: person}
		for i := range benchPerPerson {
			e := Entry{ID: fmt.Sprintf("bench-%d/%d", p, i), When: now, Who: who, What: fmt.Sprintf("certificate KT-%06d", p), Why: "GET /api/v1/certificates/:number"}
			d.Entries = append(d.Entries, e)
			perEntry = append(perEntry, bson.D{{Key: "person", Value: person}, {Key: "entry", Value: e}})
		}
		perPerson = append(perPerson, d)
	}
	insertAll(b, s.coll, perPerson)
	insertAll(b, flat, perEntry)
	b.Logf("loaded %d entries as %d person documents and as %d entry documents in %s",
		benchEntries, len(perPerson), len(perEntry), time.Since(start).Round(time.Millisecond))

	list := func(b *testing.B) {
		i := 0
		for b.Loop() {
			got, err := s.ListForPerson(ctx, benchCode(i*7919%persons))
			if err != nil || len(got) < benchPerPerson { // the record benchmark may have added some
				b.Fatalf("listed %d entries, %v", len(got), err)
			}
			i++
		}
	}
	record := func(b *testing.B) {
		clerk := &auth.Principal{Role: auth.RoleClerk, Name: "Kati Menetleja", KeyID: "bench"}
		i := 0
		for b.Loop() {
			err := s.Record(ctx, Event{Who: clerk, Why: "GET /x", Reads: []Read{{PersonalCode: benchCode(i * 104729 % persons), What: "certificate"}}})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	b.Run("list: person document by _id (chosen), FerretDB as is", list)
	b.Run("list: entry documents filtered on person (scan baseline)", func(b *testing.B) {
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
	b.Run("record: upsert by _id, FerretDB as is", record)
	indexPushdown(b, db, Collection)
	b.Run("list: person document by _id, with an index on FerretDB's _id expression", list)
	b.Run("record: upsert by _id, with an index on FerretDB's _id expression", record)
}

// indexPushdown adds to the embedded FerretDB's table of collection coll an
// index on the very expression that FerretDB's _id pushdown queries
// (_ferretdb_sjson->'$._id'), so that SQLite searches instead of scanning.
func indexPushdown(tb testing.TB, db *mongo.Database, coll string) {
	tb.Helper()
	sdb, err := sql.Open("sqlite", "file:"+filepath.Join(testFerret.Dir(), "ferretdb", db.Name()+".sqlite")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		tb.Fatal(err)
	}
	defer sdb.Close()
	var table string
	if err := sdb.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
		tb.Fatal(err)
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_pushdown", table)
	if _, err := sdb.Exec(q); err != nil {
		tb.Fatal(err)
	}
	var plan string
	var id, parent, unused int
	row := sdb.QueryRow(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"x"`)
	if err := row.Scan(&id, &parent, &unused, &plan); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("query plan of the _id pushdown with the index: %s", plan)
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
