package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// BenchmarkStress runs the whole procedure (submit, validate, approve,
// enter, notice, log) at twice the cores' worth of documents in flight for
// ALUSDOK_STRESS_MINUTES (default 10), reporting every minute how many
// documents finished in it: progress must be steady, a minute with none is
// a stall and fails the run. It runs only with ALUSDOK_STRESS=1 (make
// stress): it is long by design.
func BenchmarkStress(b *testing.B) {
	if os.Getenv("ALUSDOK_STRESS") != "1" {
		b.Skip("set ALUSDOK_STRESS=1 (make stress) to run the 10-minute stress run")
	}
	minutes := 10
	if v, err := strconv.Atoi(os.Getenv("ALUSDOK_STRESS_MINUTES")); err == nil && v > 0 {
		minutes = v
	}
	inFlight := 2 * runtime.NumCPU()
	sys := start(b, defaults(b))
	_, pdf := readExample(b, documents.CommitteeDecision)
	sub := submitterOf(documents.CommitteeDecision)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	holders := examples.GenerateCommitteeDecision(2).Payload.Certificates
	var next atomic.Int64
	meta := func() []byte {
		i := next.Add(1)
		doc := examples.GenerateCommitteeDecision(2)
		doc.Number = fmt.Sprintf("EK-2025/S%s-%d", run, i)
		doc.Payload.Certificates = slices.Clone(holders)
		for j := range doc.Payload.Certificates {
			doc.Payload.Certificates[j].Number = fmt.Sprintf("S%s-%d-%d", run, i, j)
		}
		m, err := json.Marshal(doc)
		if err != nil {
			panic(err)
		}
		return m
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(minutes)*time.Minute)
	defer cancel()
	var done, failed atomic.Int64
	var wg sync.WaitGroup
	for range inFlight {
		wg.Go(func() {
			for ctx.Err() == nil {
				_, err := pipelineOne(ctx, sys, sub, meta(), pdf)
				switch {
				case err == nil:
					done.Add(1)
				case ctx.Err() == nil:
					failed.Add(1)
					b.Logf("document failed: %v", err)
				}
			}
		})
	}
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	var perMinute []int64
	last := int64(0)
	for m := 1; m <= minutes; m++ {
		select {
		case <-tick.C:
		case <-ctx.Done():
		}
		now := done.Load()
		perMinute = append(perMinute, now-last)
		b.Logf("minute %d: %d documents entered (%d in all, %d failed)", m, now-last, now, failed.Load())
		last = now
	}
	cancel()
	wg.Wait()
	b.ReportMetric(float64(done.Load())/float64(minutes*60), "docs/s")
	b.ReportMetric(float64(slices.Min(perMinute)), "min-docs/minute")
	b.ReportMetric(float64(slices.Max(perMinute)), "max-docs/minute")
	if slices.Contains(perMinute, 0) || failed.Load() > 0 {
		b.Errorf("progress per minute %v, %d failed: not steady", perMinute, failed.Load())
	}
}
