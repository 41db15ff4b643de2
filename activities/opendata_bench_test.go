package activities_test

// The daily export at register scale, next to a bare cursor scan of the
// same certificates in the same run (SPEC.md "Open data"; issue 13):
//
//	go test -run '^$' -bench OpenDataExport -benchtime=1x ./activities
//	go test -run '^$' -bench OpenDataExport -benchtime=1x ./activities -opendata-certificates 500000
//
// Each reports its time and the peak heap in use while it ran (sampled
// every 5 ms; the embedded FerretDB runs in this process, so its heap is in
// both figures), and the export its time as a multiple of the scan's.

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
)

var exportCertificates = flag.Int("opendata-certificates", 100_000, "certificates seeded for the open-data export benchmark")

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
	b.Run("bare-cursor-scan", func(b *testing.B) {
		for range b.N {
			var seen int
			took, peak, err := peakHeap(func() error {
				cur, err := db.Collection(store.CollCertificates).Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
				if err != nil {
					return err
				}
				defer cur.Close(ctx)
				for cur.Next(ctx) {
					seen++
				}
				return cur.Err()
			})
			if err != nil {
				b.Fatal(err)
			}
			scan = took
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
			if scan > 0 {
				b.ReportMetric(took.Seconds()/scan.Seconds(), "x-scan")
			}
			b.Logf("export of %d certificates (%d suppressed cells) into %d files, %d bytes: %s (%.2f× the bare scan), peak heap in use %.1f MiB",
				v.Certificates, v.Suppressed, len(v.Files), size, took.Round(time.Millisecond), took.Seconds()/scan.Seconds(), float64(peak)/(1<<20))
		}
	})
}
