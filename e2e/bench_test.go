package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"golang.org/x/sync/errgroup"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/internal/connect"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// The throughput runs: each iteration pushes pushDocuments items through,
// pushInFlight at a time (run them with -benchtime=1x).
const (
	pushDocuments = 500
	pushInFlight  = 16
	pushTimeout   = 15 * time.Minute
)

// BenchmarkPipeline500 pushes 500 committee decisions (two certificates
// each, distinct numbers and holders) through the whole procedure on the
// embedded stack with the worker in-process: intake (metadata validation
// against the register, PDF signature check, staging, workflow start),
// validation, a clerk's approval as a Temporal Update, the entry, the entry
// notice, the processing log — each document done when the approval
// returns "entered" and the read model says so. It reports documents per
// second, seconds to the last entry, and each document's latency;
// BenchmarkBareWorkflow500 is the baseline measured the same way.
func BenchmarkPipeline500(b *testing.B) {
	sys := start(b, defaults(b))
	_, pdf := readExample(b, documents.CommitteeDecision)
	sub := submitterOf(documents.CommitteeDecision)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	// Holders: two per document, the same in every iteration.
	holders := examples.GenerateCommitteeDecision(2 * pushDocuments).Payload.Certificates

	push(b, func(round int) func(ctx context.Context, i int) error {
		metas := pipelineMetas(b, fmt.Sprintf("%s-%d", run, round), holders)
		return func(ctx context.Context, i int) error {
			_, err := pipelineOne(ctx, sys, sub, metas[i], pdf)
			return err
		}
	})
}

// pipelineMetas is one committee decision's metadata for every two of
// holders, with two certificates each: numbers made distinct by token, the
// holders the same whenever the same holders are given.
func pipelineMetas(tb testing.TB, token string, holders []documents.Certificate) [][]byte {
	tb.Helper()
	metas := make([][]byte, len(holders)/2)
	for i := range metas {
		doc := examples.GenerateCommitteeDecision(2)
		t := fmt.Sprintf("%s-%d", token, i)
		doc.Number = "EK-2025/B" + t
		doc.Payload.Certificates = slices.Clone(holders[2*i : 2*i+2])
		for j := range doc.Payload.Certificates {
			doc.Payload.Certificates[j].Number = fmt.Sprintf("B%s-%d", t, j)
		}
		meta, err := json.Marshal(doc)
		if err != nil {
			tb.Fatal(err)
		}
		metas[i] = meta
	}
	return metas
}

// pipelineOne submits one document, waits for it to be in review,
// approves it and checks that it is entered.
func pipelineOne(ctx context.Context, sys *system, sub intake.Submitter, meta, pdf []byte) (string, error) {
	rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: sub, PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
	var rejected *intake.RejectedError
	if errors.As(err, &rejected) {
		return "", fmt.Errorf("refused: %v", rejected.Deficiencies)
	}
	if err != nil {
		return "", fmt.Errorf("submit: %w", err)
	}
	id := rc.SubmissionID
	poll := harness(ctx) // the benchmark's own reads, not the system's
	for {
		s, err := sys.wiring.Store.Submission(poll, id)
		if err == nil && s.Status == string(wf.StatusInReview) {
			break
		}
		if err == nil && s.Status != string(wf.StatusReceived) {
			return "", fmt.Errorf("submission %s: status %s, deficiencies %v", id, s.Status, s.Deficiencies)
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("submission %s: not in review: %w", id, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	h, err := sys.clients.Temporal.UpdateWorkflow(ctx, updateOptions(id, wf.UpdateDecide, wf.Decision{Action: wf.ActionApprove, Clerk: "Mari Maasikas"}))
	var res wf.DecisionResult
	if err == nil {
		err = h.Get(ctx, &res)
	}
	if err != nil || res.Status != wf.StatusEntered {
		return "", fmt.Errorf("approve %s: %v, %s", id, err, res.Status)
	}
	if s, err := sys.wiring.Store.Submission(poll, id); err != nil || s.Status != string(wf.StatusEntered) {
		return "", fmt.Errorf("submission %s after approval: %v, %s", id, err, s.Status)
	}
	return id, nil
}

// BenchmarkBareWorkflow500 is BenchmarkPipeline500's baseline: a workflow
// of one trivial activity, on a worker of its own task queue in this
// process, started 500 times, 16 at a time, each done when its result is
// back — what Temporal on the embedded stack costs with nothing of
// alusdok's work.
func BenchmarkBareWorkflow500(b *testing.B) {
	push(b, bareRunner(b))
}

// bareRunner starts a worker of bareWorkflow on a task queue of its own in
// this process, on a Temporal client without payload encryption, and
// returns push's prepare: each item one bareWorkflow, done when its result
// is back.
func bareRunner(b *testing.B) func(round int) func(ctx context.Context, i int) error {
	b.Helper()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Bare Temporal: no payload encryption either.
	tc, err := connect.Temporal(context.Background(), defaults(b).Temporal, nil, log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tc.Close)
	queue := dbName(b) + "_bare" // not the task queue of a system the benchmark also starts
	wk := worker.New(tc, queue, worker.Options{})
	wk.RegisterWorkflow(bareWorkflow)
	wk.RegisterActivity(bareActivity)
	if err := wk.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(wk.Stop)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)

	return func(round int) func(ctx context.Context, i int) error {
		return func(ctx context.Context, i int) error {
			id := fmt.Sprintf("bare-%s-%d-%d", run, round, i)
			r, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, bareWorkflow, id)
			if err != nil {
				return err
			}
			var out string
			if err := r.Get(ctx, &out); err != nil || out != id {
				return fmt.Errorf("workflow %s: %q, %v", id, out, err)
			}
			return nil
		}
	}
}

func bareWorkflow(ctx workflow.Context, in string) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	var out string
	err := workflow.ExecuteActivity(ctx, bareActivity, in).Get(ctx, &out)
	return out, err
}

func bareActivity(_ context.Context, in string) (string, error) { return in, nil }

// push runs b.N iterations; each prepares pushDocuments items (untimed)
// and runs them, pushInFlight at a time. One warm-up item from round -1
// goes first, untimed. It reports docs/s over all iterations, the mean
// seconds to the last item of an iteration, and the items' p50 and p99
// latency.
func push(b *testing.B, prepare func(round int) func(ctx context.Context, i int) error) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), pushTimeout)
	defer cancel()
	if err := prepare(-1)(ctx, 0); err != nil {
		b.Fatalf("warm-up: %v", err)
	}
	var (
		total     time.Duration
		latencies []time.Duration
	)
	b.ResetTimer()
	for round := range b.N {
		b.StopTimer()
		one := prepare(round)
		b.StartTimer()
		elapsed, lat, err := pushRound(ctx, pushDocuments, pushInFlight, one)
		if err != nil {
			b.Fatalf("round %d: %v", round, err)
		}
		total += elapsed
		latencies = append(latencies, lat...)
		b.Logf("round %d: %d items in %s (%.1f/s)", round, pushDocuments, elapsed.Round(time.Millisecond), pushDocuments/elapsed.Seconds())
	}
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 { return latencies[int(p*float64(len(latencies)-1))].Seconds() }
	b.ReportMetric(float64(pushDocuments*b.N)/total.Seconds(), "docs/s")
	b.ReportMetric(total.Seconds()/float64(b.N), "s-to-last")
	b.ReportMetric(pct(0.5), "p50-s")
	b.ReportMetric(pct(0.99), "p99-s")
}

// pushRound runs one(ctx, i) for i in [0, n), inFlight at a time, and
// returns the time to the last one and each one's latency; the first error
// stops the round.
func pushRound(ctx context.Context, n, inFlight int, one func(ctx context.Context, i int) error) (time.Duration, []time.Duration, error) {
	lat := make([]time.Duration, n)
	begin := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(inFlight)
	for i := range n {
		g.Go(func() error {
			t0 := time.Now()
			err := one(gctx, i)
			lat[i] = time.Since(t0)
			return err
		})
	}
	err := g.Wait()
	return time.Since(begin), lat, err
}
