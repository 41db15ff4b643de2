package store_test

// Read-path benchmarks at register scale: 100,000 certificates on the
// embedded FerretDB v1 (SQLite), the store's point lookups by _id next to the
// scans they replace, in the same run.
//
//	go test -run '^$' -bench . -benchtime=1x ./store
//
// The store is seeded once per test binary, on the first benchmark that
// needs it (plain "go test ./store" starts nothing); -certificates changes
// its size.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"
	_ "modernc.org/sqlite" // to ask the embedded FerretDB's SQLite file for its query plan

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/devstack"
	"github.com/kutsekoda/alusdok/store"
)

var benchCertificates = flag.Int("certificates", 100_000, "certificates seeded for the store benchmarks")

// seeded is the store of the benchmarks: the example register plus
// benchCertificates generated certificates, entered with PutCertificates.
type seeded struct {
	once   sync.Once
	err    error
	dir    string
	stack  *devstack.Stack
	client *mongo.Client
	db     *mongo.Database
	st     *store.Store
	keys   []documents.CertificateKey // the generated certificates, in entry order
	took   time.Duration              // seeding
}

var big seeded

func mainWithBench(m *testing.M) {
	flag.Parse()
	code := m.Run()
	big.close()
	testFerret.Close()
	os.Exit(code)
}

// bigStore returns the seeded store, seeding it on first use.
func bigStore(b *testing.B) *seeded {
	b.Helper()
	big.once.Do(func() { big.err = big.seed(b) })
	if big.err != nil {
		b.Fatalf("seed the benchmark store: %v", big.err)
	}
	return &big
}

func (s *seeded) seed(b *testing.B) error {
	ctx := context.Background()
	var err error
	if s.dir, err = os.MkdirTemp("", "alusdok-store-bench-"); err != nil {
		return err
	}
	if s.stack, err = devstack.Start(ctx, devstack.Options{Dir: s.dir}); err != nil {
		return err
	}
	if s.client, err = mongo.Connect(options.Client().ApplyURI(s.stack.MongoURI)); err != nil {
		return err
	}
	s.db = s.client.Database("bench")
	s.st = store.New(s.db)
	e := store.Entry{SubmissionID: "seed", EntryNumber: "KR-seed", At: time.Now()}
	if err := s.st.Seed(ctx, examples.Register(), e); err != nil {
		return err
	}
	certs := seedCertificates(*benchCertificates)
	s.keys = make([]documents.CertificateKey, len(certs))
	for i, c := range certs {
		s.keys[i] = c.Key()
	}
	start := time.Now()
	last := start
	_, err = s.st.EnterPlan(ctx, documents.Plan{Certificates: certs}, store.Entry{SubmissionID: "bench-seed", EntryNumber: "KR-bench-seed", At: time.Now()},
		store.Progress{}, func(p store.Progress) {
			if done := p.Certificates; done > 0 && (done%10_000 == 0 || done == len(certs)) {
				b.Logf("seeded %d certificates in %s (last 10,000 in %s)", done, time.Since(start).Round(time.Millisecond), time.Since(last).Round(time.Millisecond))
				last = time.Now()
			}
		})
	s.took = time.Since(start)
	if err != nil {
		return err
	}
	n, err := s.db.Collection(store.CollCertificates).EstimatedDocumentCount(ctx)
	if err != nil {
		return err
	}
	b.Logf("seeded %d certificates with EnterPlan (claims and records) in %s (%.0f/s); the collection holds %d",
		len(certs), s.took.Round(time.Millisecond), float64(len(certs))/s.took.Seconds(), n)
	b.Logf("SQLite's plan for a lookup by _id: %s", s.queryPlan(b, store.CollCertificates))
	return nil
}

func (s *seeded) close() {
	if s.client != nil {
		_ = s.client.Disconnect(context.Background())
	}
	if s.stack != nil {
		s.stack.Close()
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

// seedCertificates are n generated certificates numbered S0000001…, so that
// the generated committee decisions (G0000001…) are new to the register.
func seedCertificates(n int) []documents.Certificate {
	certs := examples.GenerateCommitteeDecision(n).Payload.Certificates
	for i := range certs {
		certs[i].Number = fmt.Sprintf("S%07d", i+1)
	}
	return certs
}

// pick spreads the i-th lookup over the seeded certificates.
func (s *seeded) pick(i int) documents.CertificateKey { return s.keys[(i*7919)%len(s.keys)] }

// The lookups one benchmark iteration makes, so that -benchtime=1x still
// measures more than one: fewer for the scan, which takes seconds each.
const (
	lookupsPerOp     = 50
	scanLookupsPerOp = 5
)

func reportLookups(b *testing.B, lookups int) {
	b.ReportMetric(float64(lookups)/b.Elapsed().Seconds(), "lookups/s")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(lookups), "ms/lookup")
}

// BenchmarkCertificateByID is store.Certificate: FindOne({_id: …}), the one
// filter FerretDB v1 hands to SQLite, which answers it from the index the
// devstack adds.
func BenchmarkCertificateByID(b *testing.B) {
	s := bigStore(b)
	benchByID(b, s)
}

func benchByID(b *testing.B, s *seeded) {
	ctx := context.Background()
	i := 0
	for b.Loop() {
		for range lookupsPerOp {
			k := s.pick(i)
			r, err := s.st.Certificate(ctx, k)
			if err != nil || r.Data.Number != k.Number {
				b.Fatalf("certificate %s: %q, %v", k.Number, r.Data.Number, err)
			}
			i++
		}
	}
	reportLookups(b, i)
}

// BenchmarkCertificateByNumberScan is the baseline the store avoids:
// FindOne({"data.number": …}), which FerretDB answers by decoding and
// filtering every certificate in Go.
func BenchmarkCertificateByNumberScan(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	coll := s.db.Collection(store.CollCertificates)
	i := 0
	for b.Loop() {
		for range scanLookupsPerOp {
			k := s.pick(i)
			var r store.Record[documents.Certificate]
			err := coll.FindOne(ctx, bson.D{{Key: "data.number", Value: k.Number}}).Decode(&r)
			if err != nil || r.Data.Number != k.Number {
				b.Fatalf("certificate %s: %q, %v", k.Number, r.Data.Number, err)
			}
			i++
		}
	}
	reportLookups(b, i)
}

// existingKeys are 10,000 certificate keys, every other one seeded.
func (s *seeded) existingKeys() []documents.CertificateKey {
	keys := make([]documents.CertificateKey, 10_000)
	for i := range keys {
		if i%2 == 0 {
			keys[i] = s.pick(i)
		} else {
			keys[i] = documents.CertificateKey{Type: documents.OccupationalCertificate, Number: fmt.Sprintf("X%07d", i)}
		}
	}
	return keys
}

// BenchmarkExistingCertificates10000 is the register check's one batched
// lookup for a 10,000-certificate decision: 10,000 point lookups by _id,
// eight at a time, half of them found.
func BenchmarkExistingCertificates10000(b *testing.B) {
	s := bigStore(b)
	benchExisting(b, s)
}

func benchExisting(b *testing.B, s *seeded) {
	keys := s.existingKeys()
	reg := s.st.Register()
	for b.Loop() {
		found, err := reg.ExistingCertificates(context.Background(), keys)
		if err != nil || len(found) != len(keys)/2 {
			b.Fatalf("found %d of %d, %v", len(found), len(keys), err)
		}
	}
	b.ReportMetric(float64(len(keys)*b.N)/b.Elapsed().Seconds(), "keys/s")
}

// BenchmarkExistingCertificatesIn10000 is the same question as one query,
// {_id: {$in: [10,000 ids]}}: one scan of the collection.
func BenchmarkExistingCertificatesIn10000(b *testing.B) {
	s := bigStore(b)
	keys := s.existingKeys()
	ids := make(bson.A, len(keys))
	for i, k := range keys {
		ids[i] = store.CertificateID(k)
	}
	coll := s.db.Collection(store.CollCertificates)
	for b.Loop() {
		cur, err := coll.Find(context.Background(), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
		if err != nil {
			b.Fatal(err)
		}
		var found []store.Record[documents.Certificate]
		if err := cur.All(context.Background(), &found); err != nil || len(found) != len(keys)/2 {
			b.Fatalf("found %d of %d, %v", len(found), len(keys), err)
		}
	}
	b.ReportMetric(float64(len(keys)*b.N)/b.Elapsed().Seconds(), "keys/s")
}

// decision10000 is a clean 10,000-certificate committee decision, as JSON.
var decision10000 = sync.OnceValue(func() []byte {
	raw, err := json.Marshal(examples.GenerateCommitteeDecision(10_000))
	if err != nil {
		panic(err)
	}
	return raw
})

// BenchmarkValidateCommitteeDecision10000OnStore is what intake and the
// Validate activity do with a 10,000-certificate decision: decode, field
// rules, and the register checks against the 100,000-certificate store.
func BenchmarkValidateCommitteeDecision10000OnStore(b *testing.B) {
	s := bigStore(b)
	benchValidate(b, s)
}

func benchValidate(b *testing.B, s *seeded) {
	raw := decision10000()
	v := documents.NewValidator(documents.DefaultPolicy())
	sub := examples.Submitter(documents.CommitteeDecision)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		doc, defs, err := v.Validate(context.Background(), raw, sub, s.st.Register(), examples.Today())
		if err != nil || doc == nil || defs.HasErrors() {
			b.Fatalf("validate: %v %v", defs, err)
		}
	}
}

// BenchmarkDecodeCommitteeDecision10000 is the strict decode alone, the
// floor under the validation above.
func BenchmarkDecodeCommitteeDecision10000(b *testing.B) {
	raw := decision10000()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if doc, defs := documents.DecodeBytes(raw, 0); doc == nil || len(defs) != 0 {
			b.Fatalf("decode: %v", defs)
		}
	}
}

// queryPlan is SQLite's plan for the query FerretDB v1.24 makes of a
// filter {_id: <string>} on coll: a SEARCH using the index the devstack
// adds (internal/devstack/idindex.go), not a SCAN.
func (s *seeded) queryPlan(tb testing.TB, coll string) string {
	tb.Helper()
	path := filepath.Join(s.dir, "ferretdb", s.db.Name()+".sqlite")
	sdb, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		tb.Fatal(err)
	}
	defer sdb.Close()
	var table string
	if err := sdb.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
		tb.Fatal(err)
	}
	var id, parent, unused int
	var plan string
	row := sdb.QueryRow(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"x"`)
	if err := row.Scan(&id, &parent, &unused, &plan); err != nil {
		tb.Fatal(err)
	}
	return plan
}

// entryCertificates are n generated certificates numbered prefix0000001…,
// new to the benchmark store.
func entryCertificates(prefix string, n int) []documents.Certificate {
	certs := examples.GenerateCommitteeDecision(n).Payload.Certificates
	for i := range certs {
		certs[i].Number = fmt.Sprintf("%s%07d", prefix, i+1)
	}
	return certs
}

// BenchmarkEnterPlan10000VsInsertMany is issue #15's entry figure: the
// entry of a 10,000-certificate committee decision (EnterPlan: claims,
// certificates, the index by person) next to one InsertMany of the same
// 10,000 certificate records into the same collection, in the same
// iteration, which one goes first alternating. Run it with -benchtime=3x
// for three interleaved pairs; it reports the median of each.
func BenchmarkEnterPlan10000VsInsertMany(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	var enter, insert, ratio []float64
	iter := 0
	for b.Loop() {
		iter++
		base := entryCertificates(fmt.Sprintf("B%02d-", iter), 10_000)
		plan := entryCertificates(fmt.Sprintf("E%02d-", iter), 10_000)
		sub := fmt.Sprintf("bench-enter-%d", iter)
		e := store.Entry{SubmissionID: sub, EntryNumber: "KR-" + sub, At: time.Now()}
		insertMany := func() time.Duration {
			docs := make([]any, len(base))
			for i, c := range base {
				docs[i] = store.Record[documents.Certificate]{ID: store.CertificateID(c.Key()), Data: c, Version: 1,
					Submission: "bench-insert", EntryNumber: "KR-bench-insert", EnteredAt: e.At.UTC()}
			}
			start := time.Now()
			if _, err := s.db.Collection(store.CollCertificates).InsertMany(ctx, docs); err != nil {
				b.Fatal(err)
			}
			return time.Since(start)
		}
		enterPlan := func() time.Duration {
			start := time.Now()
			if _, err := s.st.EnterPlan(ctx, documents.Plan{Certificates: plan}, e, store.Progress{}, nil); err != nil {
				b.Fatal(err)
			}
			return time.Since(start)
		}
		var te, ti time.Duration
		if iter%2 == 1 {
			ti, te = insertMany(), enterPlan()
		} else {
			te, ti = enterPlan(), insertMany()
		}
		b.Logf("pair %d: EnterPlan %s, InsertMany %s: %.2f×; load %s", iter, te.Round(time.Millisecond), ti.Round(time.Millisecond),
			te.Seconds()/ti.Seconds(), loadavg())
		enter, insert, ratio = append(enter, te.Seconds()), append(insert, ti.Seconds()), append(ratio, te.Seconds()/ti.Seconds())
	}
	b.ReportMetric(median(enter)*1000, "enter-ms")
	b.ReportMetric(median(insert)*1000, "insertmany-ms")
	b.ReportMetric(median(ratio), "enter/insertmany")
}

// BenchmarkValidatePhases10000OnStore splits the validation of a
// 10,000-certificate committee decision on the 100,000-certificate store
// into its phases: the strict decode, the field rules, and the register
// checks (one ExistingCertificates for every number).
func BenchmarkValidatePhases10000OnStore(b *testing.B) {
	s := bigStore(b)
	raw := decision10000()
	v := documents.NewValidator(documents.DefaultPolicy())
	sub := examples.Submitter(documents.CommitteeDecision)
	var dec, rules, check []float64
	for b.Loop() {
		t0 := time.Now()
		doc, defs := documents.DecodeBytes(raw, 0)
		t1 := time.Now()
		defs = append(defs, v.Rules(doc, examples.Today())...)
		t2 := time.Now()
		more, err := documents.Check(context.Background(), doc, sub, s.st.Register())
		t3 := time.Now()
		if err != nil || append(defs, more...).HasErrors() {
			b.Fatalf("validate: %v %v %v", defs, more, err)
		}
		dec, rules, check = append(dec, t1.Sub(t0).Seconds()), append(rules, t2.Sub(t1).Seconds()), append(check, t3.Sub(t2).Seconds())
	}
	b.ReportMetric(median(dec)*1000, "decode-ms")
	b.ReportMetric(median(rules)*1000, "rules-ms")
	b.ReportMetric(median(check)*1000, "check-ms")
	b.Logf("load %s", loadavg())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// BenchmarkPersonCertificates is a person asking for their certificates
// (R16.3): a range of _id in the index by person, which FerretDB answers by
// reading the whole index (one row per certificate), then a point lookup
// per certificate; next to it, in the same iteration, one point lookup, the
// least a database with an index on the range would need.
func BenchmarkPersonCertificates(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	certs := seedCertificates(len(s.keys))
	var person, point []float64
	i := 0
	for b.Loop() {
		c := certs[(i*7919)%len(certs)]
		i++
		t0 := time.Now()
		recs, err := s.st.PersonCertificates(ctx, c.PersonalCode)
		t1 := time.Now()
		if err != nil || len(recs) == 0 {
			b.Fatalf("person's certificates: %d, %v", len(recs), err)
		}
		if _, err := s.st.Certificate(ctx, c.Key()); err != nil {
			b.Fatal(err)
		}
		person, point = append(person, t1.Sub(t0).Seconds()), append(point, time.Since(t1).Seconds())
	}
	b.ReportMetric(median(person)*1000, "person-ms")
	b.ReportMetric(median(point)*1000, "pointlookup-ms")
}

// BenchmarkExistingCertificatesNew10000 is the register check of a new
// 10,000-certificate decision (no number taken) as ExistingCertificates
// plans it, next to the plan it replaced in the same iteration: 10,000
// point lookups by _id, eight at a time.
func BenchmarkExistingCertificatesNew10000(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	keys := make([]documents.CertificateKey, 10_000)
	for i := range keys {
		keys[i] = documents.CertificateKey{Type: documents.OccupationalCertificate, Number: fmt.Sprintf("N%07d", i+1)}
	}
	var planned, points []float64
	for b.Loop() {
		t0 := time.Now()
		found, err := s.st.Register().ExistingCertificates(ctx, keys)
		if err != nil || len(found) != 0 {
			b.Fatalf("found %d, %v", len(found), err)
		}
		t1 := time.Now()
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(8)
		for _, k := range keys {
			g.Go(func() error {
				if _, err := s.st.Certificate(gctx, k); !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("certificate %s: %v", k.Number, err)
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		planned, points = append(planned, t1.Sub(t0).Seconds()), append(points, time.Since(t1).Seconds())
	}
	b.ReportMetric(median(planned)*1000, "existing-ms")
	b.ReportMetric(median(points)*1000, "pointlookups-ms")
	b.Logf("load %s", loadavg())
}
