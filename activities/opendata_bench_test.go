package activities_test

// The daily export at register scale, next to a bare cursor scan of the
// same certificates in the same run (SPEC.md "Open data"; issue 13):
//
//	go test -run '^$' -bench OpenDataExport -benchtime=1x ./activities
//	go test -run '^$' -bench OpenDataExport -benchtime=1x ./activities -opendata-certificates 500000
//	go test -run '^$' -bench OpenDataExport -benchtime=1x ./activities -opendata-in-process
//
// Each runs in a child process (this test binary again) that holds only
// the MongoDB client, so that its peak heap in use is the scan's or the
// export's own; with -opendata-in-process also in this process, where the
// embedded FerretDB's heap is in the figure. Each reports its time and peak heap in use (sampled every
// 5 ms), and the export its time as a multiple of the scan's.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
)

var (
	exportCertificates = flag.Int("opendata-certificates", 100_000, "certificates seeded for the open-data export benchmark")
	inProcessToo       = flag.Bool("opendata-in-process", false, "measure the open-data export also in this process, next to the embedded FerretDB")
)

// peakHeap runs fn and answers its duration and the highest HeapInuse seen.
func peakHeap(fn func() error) (time.Duration, uint64, error) {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	err := fn()
	took := time.Since(start)
	close(stop)
	wg.Wait()
	return took, peak.Load(), err
}

func BenchmarkOpenDataExport(b *testing.B) {
	ctx := context.Background()
	db := testFerret.Database(b)
	st := store.New(db)
	if err := st.Seed(ctx, examples.Register(), store.Entry{SubmissionID: "seed", EntryNumber: "KR-seed", At: time.Now()}); err != nil {
		b.Fatal(err)
	}
	n := *exportCertificates
	start := time.Now()
	const batch = 1000
	for from := 0; from < n; from += batch {
		part := examples.GenerateCommitteeDecision(min(batch, n-from)).Payload.Certificates
		docs := make([]any, len(part))
		for i := range part {
			c := &part[i]
			k := from + i
			c.Number = fmt.Sprintf("B%08d", k)
			c.Standard = documents.StandardRef{ID: 10000000 + k%200, Version: 1 + k%3}
			c.Level = 2 + (k/200)%7
			c.Issuer = fmt.Sprintf("8%07d", k%200%40)
			c.IssuedOn = documents.MustDate(2001+(k/7)%25, time.June, 1+k%28)
			docs[i] = store.Record[documents.Certificate]{ID: store.CertificateID(c.Key()), Data: *c, Version: 1,
				Submission: "bench", EntryNumber: "KR-bench", EnteredAt: time.Now()}
		}
		if _, err := db.Collection(store.CollCertificates).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d certificates in %s", n, time.Since(start).Round(time.Millisecond))
	b.ResetTimer()

	var scan time.Duration
	if *inProcessToo {
		inProcess(b, ctx, db, st, &scan)
	}
	b.Run("child-process", func(b *testing.B) {
		for i := range b.N {
			sc := runChild(b, "scan", db.Name(), 0)
			ex := runChild(b, "export", db.Name(), i)
			b.ReportMetric(sc.PeakMiB, "scan-peak-heap-MiB")
			b.ReportMetric(ex.PeakMiB, "export-peak-heap-MiB")
			b.ReportMetric(ex.Seconds/sc.Seconds, "x-scan")
			b.Logf("child processes: bare scan %.1fs, peak heap %.1f MiB; export %.1fs (%.2f× the scan), peak heap %.1f MiB",
				sc.Seconds, sc.PeakMiB, ex.Seconds, ex.Seconds/sc.Seconds, ex.PeakMiB)
		}
	})
}

// inProcess measures the scan and the export in this process, next to the
// embedded FerretDB.
func inProcess(b *testing.B, ctx context.Context, db *mongo.Database, st *store.Store, scanTook *time.Duration) {
	b.Run("bare-cursor-scan", func(b *testing.B) {
		for range b.N {
			var seen int
			took, peak, err := peakHeap(func() (err error) {
				seen, err = bareScan(ctx, db)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			*scanTook = took
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(took.Seconds(), "s/scan")
			b.Logf("bare scan of %d documents: %s, peak heap in use %.1f MiB", seen, took.Round(time.Millisecond), float64(peak)/(1<<20))
		}
	})
	b.Run("export", func(b *testing.B) {
		for i := range b.N {
			at := time.Date(2026, 11, 28, 2, 0, i, 0, time.UTC)
			var v store.OpenDataVersion
			took, peak, err := peakHeap(func() error {
				var err error
				v, err = activities.ExportVersion(ctx, st, activities.VersionID(at), at, 3, "http://127.0.0.1:8080/opendata/")
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			var size int64
			for _, f := range v.Files {
				size += f.Length
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(took.Seconds(), "s/export")
			if *scanTook > 0 {
				b.ReportMetric(took.Seconds()/scanTook.Seconds(), "x-scan")
			}
			b.Logf("export of %d certificates (%d suppressed cells) into %d files, %d bytes: %s (%.2f× the bare scan), peak heap in use %.1f MiB",
				v.Certificates, v.Suppressed, len(v.Files), size, took.Round(time.Millisecond), took.Seconds()/scanTook.Seconds(), float64(peak)/(1<<20))
		}
	})

}

func bareScan(ctx context.Context, db *mongo.Database) (int, error) {
	cur, err := db.Collection(store.CollCertificates).Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return 0, err
	}
	defer cur.Close(ctx)
	seen := 0
	for cur.Next(ctx) {
		seen++
	}
	return seen, cur.Err()
}

type childResult struct {
	Seconds float64 `json:"seconds"`
	PeakMiB float64 `json:"peakMiB"`
}

// runChild runs this test binary as a child that scans or exports the
// database over the parent's embedded FerretDB.
func runChild(b *testing.B, what, dbName string, round int) childResult {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenDataBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ALUSDOK_OPENDATA_CHILD="+what, "ALUSDOK_OPENDATA_CHILD_URI="+testFerret.Stack().MongoURI,
		"ALUSDOK_OPENDATA_CHILD_DB="+dbName, fmt.Sprintf("ALUSDOK_OPENDATA_CHILD_ROUND=%d", round))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child %s: %v\n%s", what, err, out)
	}
	for _, line := range bytesLines(out) {
		var r childResult
		if json.Unmarshal([]byte(line), &r) == nil && r.Seconds > 0 {
			return r
		}
	}
	b.Fatalf("child %s answered no result:\n%s", what, out)
	return childResult{}
}

func bytesLines(b []byte) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c == '\n' {
			out = append(out, string(b[start:i]))
			start = i + 1
		}
	}
	return append(out, string(b[start:]))
}

// TestOpenDataBenchChild is the benchmark's child process; it does nothing
// in a normal test run.
func TestOpenDataBenchChild(t *testing.T) {
	what := os.Getenv("ALUSDOK_OPENDATA_CHILD")
	if what == "" {
		t.Skip("only the open-data benchmark's child process")
	}
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(os.Getenv("ALUSDOK_OPENDATA_CHILD_URI")))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	db := client.Database(os.Getenv("ALUSDOK_OPENDATA_CHILD_DB"))
	var round int
	fmt.Sscan(os.Getenv("ALUSDOK_OPENDATA_CHILD_ROUND"), &round)
	took, peak, err := peakHeap(func() error {
		if what == "scan" {
			_, err := bareScan(ctx, db)
			return err
		}
		at := time.Date(2026, 11, 29, 2, 0, round, 0, time.UTC)
		_, err := activities.ExportVersion(ctx, store.New(db), activities.VersionID(at), at, 3, "http://127.0.0.1:8080/opendata/")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(childResult{Seconds: took.Seconds(), PeakMiB: float64(peak) / (1 << 20)})
	fmt.Println(string(b))
}
