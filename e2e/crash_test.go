package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"golang.org/x/sync/errgroup"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/connect"
	"github.com/kutsekoda/alusdok/internal/devstack"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestWorkerKilledMidEntryCompletesOnce_R12_1 kills the worker — a real
// "alusdok worker" process — with SIGKILL while it enters a committee
// decision of crashCertificates certificates, and starts it again: the
// Enter activity misses its heartbeat, Temporal retries it on the new
// process, the entry completes, and every certificate is in the register
// exactly once, indexed once by person, with the processing log whole.
func TestWorkerKilledMidEntryCompletesOnce_R12_1(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and enters thousands of certificates across a worker crash; run without -short")
	}
	const n = crashCertificates
	bin := buildAlusdok(t)
	cfg := defaults(t)
	sys := wireWithoutWorker(t, cfg)
	queue, db := sys.wiring.TaskQueue, sys.clients.DB.Name()
	args := []string{"worker",
		"--temporal-address", stack.TemporalAddress, "--temporal-namespace", devstack.Namespace,
		"--temporal-task-queue", queue,
		"--mongodb-uri", stack.MongoURI, "--mongodb-database", db,
		"--codec-keys-file", cfg.Codec.KeysFile,
		"--log-level", "warn",
	}
	logPath := filepath.Join(t.TempDir(), "worker.log")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	first := startWorkerProcess(t, bin, args, logPath)
	waitPolling(t, sys, queue, first)

	// Submit and validate a large decision.
	doc := examples.GenerateCommitteeDecision(n)
	meta, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, pdf := readExample(t, documents.CommitteeDecision)
	rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: submitterOf(documents.CommitteeDecision),
		PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
	var rejected *intake.RejectedError
	if errors.As(err, &rejected) {
		t.Fatalf("the generated decision is refused: %v", rejected.Deficiencies)
	}
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	id := rc.SubmissionID
	defer func() {
		if t.Failed() {
			describe(t, sys, id)
			dumpLog(t, logPath)
		}
	}()
	waitFor(t, 2*time.Minute, "status in-review", first, func() (bool, error) { return hasStatus(ctx, sys, id, wf.StatusInReview) })

	// Approve; the update is accepted at once and completes with the entry.
	approvedAt := time.Now()
	h, err := sys.clients.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: wf.SubmissionWorkflowID(id), UpdateName: wf.UpdateDecide,
		WaitForStage: client.WorkflowUpdateStageAccepted,
		Args:         []any{wf.Decision{Action: wf.ActionApprove, Clerk: "Mari Maasikas"}},
	})
	if err != nil {
		t.Fatalf("approve: %v", err)
	}

	// Kill the worker once the entry is demonstrably under way: some of
	// the decision's certificates written, not all.
	certs := sys.clients.DB.Collection(store.CollCertificates)
	ofSubmission := bson.D{{Key: "submission", Value: id}}
	var seen int64
	waitFor(t, 2*time.Minute, "entry under way", first, func() (bool, error) {
		c, err := bounded(ctx, func(ctx context.Context) (int64, error) { return certs.CountDocuments(ctx, ofSubmission) })
		if err != nil {
			return false, err
		}
		if c >= int64(n) {
			return false, fmt.Errorf("all %d certificates were written before the kill: raise crashCertificates or lower crashKillAt", c)
		}
		seen = c
		return c >= crashKillAt, nil
	})
	first.kill(t)
	killedAt := time.Now()
	atKill, err := certs.CountDocuments(ctx, ofSubmission)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SIGKILL %s after the approval, with %d of %d certificates seen written (%d once the last write settled)",
		killedAt.Sub(approvedAt).Round(time.Millisecond), seen, n, atKill)
	if atKill >= int64(n) {
		t.Fatalf("the entry had finished (%d certificates) when the worker died: nothing was tested", atKill)
	}
	if p := pendingEnter(t, sys, id); p != nil {
		t.Logf("Enter pending after the kill: attempt %d, state %v, last heartbeat at %s with progress %+v", p.GetAttempt(), p.GetState(),
			p.GetLastHeartbeatTime().AsTime().Format(time.RFC3339Nano), heartbeat(p))
	} else {
		t.Fatalf("no Enter activity pending after the kill")
	}

	// Start the worker again; after the heartbeat timeout Temporal hands
	// the entry to it.
	second := startWorkerProcess(t, bin, args, logPath)
	restartedAt := time.Now()
	waitFor(t, 3*time.Minute, "status entered after the restart", second, func() (bool, error) { return hasStatus(ctx, sys, id, wf.StatusEntered) })
	enteredAt := time.Now()
	var res wf.DecisionResult
	if err := h.Get(ctx, &res); err != nil || res.Status != wf.StatusEntered {
		t.Fatalf("approval: %v, %s", err, res.Status)
	}
	var final wf.State
	wctx, wcancel := context.WithTimeout(ctx, time.Minute)
	defer wcancel()
	if err := sys.clients.Temporal.GetWorkflow(wctx, wf.SubmissionWorkflowID(id), "").Get(wctx, &final); err != nil {
		t.Fatalf("workflow result: %v", err)
	}
	d, err := sys.clients.Temporal.DescribeWorkflowExecution(ctx, wf.SubmissionWorkflowID(id), "")
	if err != nil {
		t.Fatal(err)
	}
	if st := d.GetWorkflowExecutionInfo().GetStatus(); st != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED || final.Status != wf.StatusEntered {
		t.Fatalf("workflow %v, status %s", st, final.Status)
	}
	attempt := enterAttempt(t, sys, id)
	t.Logf("entered %s after the restart (%s after the kill; Enter attempt %d); %s from approval to entry",
		enteredAt.Sub(restartedAt).Round(time.Millisecond), enteredAt.Sub(killedAt).Round(time.Millisecond), attempt,
		enteredAt.Sub(approvedAt).Round(time.Millisecond))
	if attempt < 2 {
		t.Errorf("Enter completed on attempt %d: the killed attempt was not retried", attempt)
	}

	// Every certificate exactly once, traceable to the submission.
	if c, err := certs.CountDocuments(ctx, ofSubmission); err != nil || c != int64(n) {
		t.Errorf("certificates of the submission: %d (%v), want %d", c, err, n)
	}
	if got := final.Summary.Records; got != n {
		t.Errorf("summary records %d, want %d", got, n)
	}
	checkCertificates(t, sys, id, doc.Payload.Certificates)
	checkPersonIndex(t, sys, doc.Payload.Certificates)

	// The processing log is whole.
	rep, err := audit.New(sys.clients.DB).Verify(ctx)
	if err != nil || !rep.Whole() {
		t.Errorf("verify: %v, %s", err, rep)
	}
	t.Logf("processing log: %s", rep)
}

// The crash test's decision size, and how many certificates must be
// written before the worker is killed (a batch of 1000 in).
const (
	crashCertificates = 5000
	crashKillAt       = 1000
)

// dbAnswer bounds each read of the test's polls: a database that stops
// answering fails the test at once instead of hanging it.
const dbAnswer = 20 * time.Second

// bounded runs read with the dbAnswer bound.
func bounded[T any](ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	rctx, cancel := context.WithTimeout(ctx, dbAnswer)
	defer cancel()
	v, err := read(rctx)
	if err != nil && ctx.Err() == nil && (rctx.Err() != nil || errors.Is(err, context.DeadlineExceeded)) {
		return v, fmt.Errorf("the database did not answer within %s: %w", dbAnswer, err)
	}
	return v, err
}

// hasStatus reads the submission's status from the read model.
func hasStatus(ctx context.Context, sys *system, id string, want wf.Status) (bool, error) {
	sub, err := bounded(ctx, func(ctx context.Context) (store.Submission, error) { return sys.wiring.Store.Submission(ctx, id) })
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && sub.Status == string(want), err
}

// buildAlusdok builds cmd/alusdok once for the test.
func buildAlusdok(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "alusdok")
	start := time.Now()
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/alusdok")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	tb.Logf("built %s in %s", bin, time.Since(start).Round(time.Millisecond))
	return bin
}

// wireWithoutWorker is start without the worker: alusdok wired on a fresh
// database (named after the test) with the example register seeded, its
// task queue named after the test too, for a worker in another process.
func wireWithoutWorker(tb testing.TB, cfg config.Server) *system {
	tb.Helper()
	return wireMonitored(tb, cfg, nil)
}

// wireMonitored is wireWithoutWorker with monitor (nil: none) watching
// every MongoDB command of the system's client.
func wireMonitored(tb testing.TB, cfg config.Server, monitor *event.CommandMonitor) *system {
	tb.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	keys, err := connect.Keys(cfg.Codec)
	if err != nil {
		tb.Fatal(err)
	}
	tc, err := connect.Temporal(ctx, cfg.Temporal, keys, log)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(tc.Close)
	mc, err := connect.Mongo(ctx, cfg.Mongo, monitor)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = mc.Disconnect(context.Background()) })
	db := mc.Database(dbName(tb))
	if err := db.Drop(ctx); err != nil { // a second run (-count) starts afresh
		tb.Fatal(err)
	}
	cl := app.Clients{Temporal: tc, Mongo: mc, DB: db, Keys: keys}
	cfg.Temporal.TaskQueue = dbName(tb)
	w, err := app.Build(ctx, log, cl, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Store.Seed(ctx, examples.Register(), store.Entry{SubmissionID: "seed", EntryNumber: "KR-seed", At: time.Now()}); err != nil {
		tb.Fatal(err)
	}
	// As alusdok dev does: the new database's _id lookups are indexed at
	// once, not at the indexer's next round.
	if err := stack.IndexIDs(ctx); err != nil {
		tb.Fatal(err)
	}
	return &system{clients: cl, wiring: w}
}

// workerProcess is an "alusdok worker" child process.
type workerProcess struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has exited
	err    error         // its exit status, once exited
}

// startWorkerProcess starts bin with args (an "alusdok worker" or "alusdok
// dev"), its output appended to logPath, with extraEnv (KEY=value) added to
// the environment; the test's cleanup kills it.
func startWorkerProcess(tb testing.TB, bin string, args []string, logPath string, extraEnv ...string) *workerProcess {
	tb.Helper()
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	// Only the flags configure it: no ALUSDOK_* variable of the caller's.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ALUSDOK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		tb.Fatalf("start worker: %v", err)
	}
	fmt.Fprintf(out, "--- worker pid %d started %s\n", cmd.Process.Pid, time.Now().Format(time.RFC3339Nano))
	p := &workerProcess{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		out.Close()
		close(p.exited)
	}()
	tb.Cleanup(func() { p.kill(tb) })
	return p
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *workerProcess) kill(tb testing.TB) {
	select {
	case <-p.exited:
		return
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		tb.Errorf("kill worker %d: %v", p.cmd.Process.Pid, err)
	}
	<-p.exited
}

// dead reports an error when the process has exited.
func (p *workerProcess) dead() error {
	select {
	case <-p.exited:
		return fmt.Errorf("worker %d exited: %v", p.cmd.Process.Pid, p.err)
	default:
		return nil
	}
}

// waitFor is eventually that also fails as soon as the worker process dies.
func waitFor(tb testing.TB, timeout time.Duration, what string, p *workerProcess, cond func() (bool, error)) {
	tb.Helper()
	eventually(tb, timeout, what, func() (bool, error) {
		if err := p.dead(); err != nil {
			return false, err
		}
		return cond()
	})
}

// waitPolling waits until the worker process polls the task queue for
// workflow tasks (the SDK's identity starts with the process id).
func waitPolling(tb testing.TB, sys *system, queue string, p *workerProcess) {
	tb.Helper()
	prefix := fmt.Sprintf("%d@", p.cmd.Process.Pid)
	waitFor(tb, time.Minute, "worker polling "+queue, p, func() (bool, error) {
		d, err := sys.clients.Temporal.DescribeTaskQueue(context.Background(), queue, enums.TASK_QUEUE_TYPE_WORKFLOW)
		if err != nil {
			return false, err
		}
		return slices.ContainsFunc(d.GetPollers(), func(pi *taskqueuepb.PollerInfo) bool {
			return strings.HasPrefix(pi.GetIdentity(), prefix)
		}), nil
	})
}

func dumpLog(tb testing.TB, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Logf("worker log: %v", err)
		return
	}
	tb.Logf("worker log:\n%s", b)
}

// pendingEnter is the submission's pending Enter activity, or nil.
func pendingEnter(tb testing.TB, sys *system, id string) *workflowpb.PendingActivityInfo {
	tb.Helper()
	d, err := sys.clients.Temporal.DescribeWorkflowExecution(context.Background(), wf.SubmissionWorkflowID(id), "")
	if err != nil {
		tb.Fatal(err)
	}
	for _, a := range d.GetPendingActivities() {
		if a.GetActivityType().GetName() == wf.ActivityEnter {
			return a
		}
	}
	return nil
}

// heartbeat is the progress the Enter activity last reported, -1 if none.
func heartbeat(a *workflowpb.PendingActivityInfo) store.Progress {
	done := store.Progress{Claimed: -1}
	if a.GetHeartbeatDetails() != nil {
		_ = converter.GetDefaultDataConverter().FromPayloads(a.GetHeartbeatDetails(), &done)
	}
	return done
}

// enterAttempt is the attempt on which the Enter activity completed, from
// the workflow's history.
func enterAttempt(tb testing.TB, sys *system, id string) int32 {
	tb.Helper()
	var scheduled int64
	it := sys.clients.Temporal.GetWorkflowHistory(context.Background(), wf.SubmissionWorkflowID(id), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			tb.Fatal(err)
		}
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil && a.GetActivityType().GetName() == wf.ActivityEnter {
			scheduled = ev.GetEventId()
		}
		if a := ev.GetActivityTaskStartedEventAttributes(); a != nil && scheduled != 0 && a.GetScheduledEventId() == scheduled {
			return a.GetAttempt()
		}
	}
	tb.Fatalf("no started Enter activity in the history")
	return 0
}

// checkCertificates finds every certificate by its key (a point lookup),
// entered by the submission.
func checkCertificates(tb testing.TB, sys *system, id string, certs []documents.Certificate) {
	tb.Helper()
	var (
		mu      sync.Mutex
		missing []string
	)
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(4)
	for _, c := range certs {
		g.Go(func() error {
			r, err := sys.wiring.Store.Certificate(ctx, c.Key())
			if errors.Is(err, store.ErrNotFound) || err == nil && (r.Submission != id || r.EntryNumber != "KR-"+id || r.Data.Number != c.Number) {
				mu.Lock()
				missing = append(missing, c.Number)
				mu.Unlock()
				return nil
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		tb.Fatal(err)
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		tb.Errorf("%d certificates missing or not of the submission, first %v", len(missing), missing[:min(len(missing), 10)])
	}
}

// checkPersonIndex reads the whole by-person index: each certificate is
// listed once, under its holder. Its rows are one per certificate (_id
// PersonKey/CertificateID) or, written before those, one per person with a
// list.
func checkPersonIndex(tb testing.TB, sys *system, certs []documents.Certificate) {
	tb.Helper()
	ctx := context.Background()
	cur, err := sys.clients.DB.Collection(store.CollPersons).Find(ctx, bson.D{})
	if err != nil {
		tb.Fatal(err)
	}
	var rows []struct {
		ID           string   `bson:"_id"`          // person key/certificate id: a row per certificate
		Certificates []string `bson:"certificates"` // person key: a row per person (before)
	}
	if err := cur.All(ctx, &rows); err != nil {
		tb.Fatal(err)
	}
	listed := map[string]map[string]int{} // person key → certificate id → times listed
	for _, r := range rows {
		person, ids := r.ID, r.Certificates
		if key, id, ok := strings.Cut(r.ID, "/"); ok {
			person, ids = key, []string{id}
		}
		m := listed[person]
		if m == nil {
			m = map[string]int{}
			listed[person] = m
		}
		for _, c := range ids {
			m[c]++
			if m[c] == 2 {
				tb.Errorf("person %s lists certificate %s more than once", person, c)
			}
		}
	}
	persons := listed
	bad := 0
	for _, c := range certs {
		if c.PersonalCode == "" {
			continue
		}
		if listed[store.PersonKey(c.PersonalCode)][store.CertificateID(c.Key())] != 1 {
			bad++
		}
	}
	if bad > 0 {
		tb.Errorf("%d certificates not listed exactly once under their holder", bad)
	}
	tb.Logf("by-person index: %d persons checked", len(persons))
}
