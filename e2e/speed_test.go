package e2e

// The speed benchmarks of issue #15 (make bench-speed): the procedure at the
// speed of its store. Each benchmark measures a figure of alusdok next to a
// baseline on the same embedded stack in the same run, as medians of
// speedPairs interleaved pairs (target, baseline, target, baseline, …), and
// reports both medians and their ratio with b.ReportMetric, the load average
// at the start and the end (2 shared cores make every figure move), and, for
// the first pair, where the time went. They report; they never fail on a
// figure. Run each alone, once:
//
//	go test -run '^$' -bench BenchmarkSpeedProcedure -benchtime=1x ./e2e
//
// b.N is not looped over: the pairs are the repetitions.

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.temporal.io/api/enums/v1"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

const (
	speedPairs     = 3      // interleaved pairs; the medians are reported
	speedDocuments = 200    // committee decisions (and bare workflows) a round
	speedInFlight  = 16     // of them at a time
	speedSample    = 10     // workflows whose histories are counted
	speedLarge     = 10_000 // certificates of the large decision
)

// BenchmarkSpeedProcedure: the whole procedure — speedDocuments committee
// decisions of two certificates each (distinct numbers and holders)
// submitted, approved and entered, speedInFlight in flight (pipelineOne) —
// in documents per second, next to as many bare one-activity workflows at
// as many in flight on the same Temporal (bareRunner). Issue #15 wants the
// ratio ≥ 0.30. The first pair also reports, per document, the history
// events, workflow tasks and activities (from speedSample histories), the
// MongoDB commands of the system (not the benchmark's own polling) by
// command and collection, and the process's CPU time (the embedded Temporal
// and FerretDB included).
func BenchmarkSpeedProcedure(b *testing.B) {
	cmds := newCommandCounter()
	sys := startMonitored(b, defaults(b), cmds.monitor())
	bare := bareRunner(b)
	_, pdf := readExample(b, documents.CommitteeDecision)
	sub := submitterOf(documents.CommitteeDecision)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	// Two holders a document, the same in every round.
	holders := examples.GenerateCommitteeDecision(2 * speedDocuments).Payload.Certificates
	ctx, cancel := context.WithTimeout(context.Background(), pushTimeout)
	defer cancel()
	if _, err := pipelineOne(ctx, sys, sub, pipelineMetas(b, run+"-warm", holders[:2])[0], pdf); err != nil {
		b.Fatalf("warm-up: %v", err)
	}
	if err := bare(-1)(ctx, 0); err != nil {
		b.Fatalf("warm-up: %v", err)
	}
	token := func(pair int) string { return fmt.Sprintf("%s-%d", run, pair) }

	var during commandCounts // the system's commands during the first round
	interleaved(b,
		measure{"docs/s", func(pair int) float64 {
			metas := pipelineMetas(b, token(pair), holders)
			cmds.reset()
			cpu := cpuTime()
			ids := make([]string, speedDocuments)
			elapsed, _, err := pushRound(ctx, speedDocuments, speedInFlight, func(ctx context.Context, i int) error {
				var err error
				ids[i], err = pipelineOne(ctx, sys, sub, metas[i], pdf)
				return err
			})
			if err != nil {
				b.Fatalf("procedure, pair %d: %v", pair, err)
			}
			// What follows an entry (its notice) is done before the
			// baseline runs, not during it.
			for _, id := range ids {
				waitClosed(b, sys, id)
			}
			b.Logf("procedure, pair %d: %d documents in %s, %.0f ms CPU a document", pair+1, speedDocuments,
				elapsed.Round(time.Millisecond), perItem(cpuTime()-cpu, speedDocuments))
			counts := cmds.snapshot()
			if pair > 0 {
				b.Logf("  pair %d's MongoDB commands (the store grows from pair to pair):", pair+1)
				counts.log(b, speedDocuments, "document")
			}
			if pair == 0 {
				during = counts
				b.Logf("where the time went, per document of pair 1 (%d documents):", speedDocuments)
				during.log(b, speedDocuments, "document")
				numbers := make([]string, speedSample)
				for i := range numbers {
					numbers[i] = "EK-2025/B" + token(pair) + "-" + strconv.Itoa(i)
				}
				histories(ctx, b, sys, numbers)
			}
			return speedDocuments / elapsed.Seconds()
		}},
		measure{"bare-wf/s", func(pair int) float64 {
			cpu := cpuTime()
			elapsed, _, err := pushRound(ctx, speedDocuments, speedInFlight, bare(pair))
			if err != nil {
				b.Fatalf("bare workflows, pair %d: %v", pair, err)
			}
			b.Logf("bare workflows, pair %d: %d in %s, %.0f ms CPU a workflow", pair+1, speedDocuments,
				elapsed.Round(time.Millisecond), perItem(cpuTime()-cpu, speedDocuments))
			if pair == 0 {
				after := cmds.snapshot()
				b.Logf("  and the system's MongoDB commands after the last of pair 1 was entered (its workflows' remaining steps: the notices): %.1f a document",
					float64(after.total-during.total)/speedDocuments)
			}
			return speedDocuments / elapsed.Seconds()
		}},
	)
}

// BenchmarkSpeedLargeDecision: one committee decision of speedLarge
// certificates from upload (intake.Submit) to entered (approved with the
// decide Update, which answers once it is entered: pipelineOne), in
// seconds, next to one InsertMany of the same certificate records (as the
// store writes them) into a scratch collection of the same database. Issue
// #15 wants the ratio ≤ 2.0. The first pair also reports the MongoDB
// commands by command and collection, with their time, and the workflow's
// history.
func BenchmarkSpeedLargeDecision(b *testing.B) {
	cmds := newCommandCounter()
	sys := startMonitored(b, defaults(b), cmds.monitor())
	_, pdf := readExample(b, documents.CommitteeDecision)
	sub := submitterOf(documents.CommitteeDecision)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	ctx, cancel := context.WithTimeout(context.Background(), pushTimeout)
	defer cancel()
	// The holders are the same in every pair; the numbers are new.
	holders := examples.GenerateCommitteeDecision(speedLarge).Payload.Certificates
	decision := func(pair int) (meta []byte, records []any) {
		doc := examples.GenerateCommitteeDecision(2)
		doc.Number = fmt.Sprintf("EK-2025/L%s-%d", run, pair)
		doc.Payload.Certificates = slices.Clone(holders)
		records = make([]any, len(holders))
		e := store.Entry{SubmissionID: "insertmany-" + run, EntryNumber: "KR-insertmany-" + run, At: time.Now()}
		for i := range doc.Payload.Certificates {
			c := &doc.Payload.Certificates[i]
			c.Number = fmt.Sprintf("L%s-%d-%d", run, pair, i)
			records[i] = store.Record[documents.Certificate]{ID: store.CertificateID(c.Key()), Data: *c, Version: 1,
				Submission: e.SubmissionID, EntryNumber: e.EntryNumber, Document: e.Document, EnteredAt: e.At.UTC()}
		}
		meta, err := json.Marshal(doc)
		if err != nil {
			b.Fatal(err)
		}
		return meta, records
	}
	if _, err := pipelineOne(ctx, sys, sub, pipelineMetas(b, run+"-warm", holders[:2])[0], pdf); err != nil {
		b.Fatalf("warm-up: %v", err)
	}

	interleaved(b,
		measure{"upload-to-entered-s", func(pair int) float64 {
			meta, _ := decision(pair)
			cmds.reset()
			cpu := cpuTime()
			t0 := time.Now()
			id, err := pipelineOne(ctx, sys, sub, meta, pdf)
			if err != nil {
				b.Fatalf("large decision, pair %d: %v", pair, err)
			}
			took := time.Since(t0)
			waitClosed(b, sys, id) // the entry notice: before the baseline, not during it
			b.Logf("large decision, pair %d: %d certificates from upload to entered in %s, %s CPU",
				pair+1, speedLarge, took.Round(time.Millisecond), (cpuTime() - cpu).Round(time.Millisecond))
			if pair == 0 {
				b.Logf("where the time went, pair 1 (one document of %d certificates):", speedLarge)
				cmds.snapshot().log(b, 1, "document")
				histories(ctx, b, sys, []string{fmt.Sprintf("EK-2025/L%s-%d", run, pair)})
				timeline(ctx, b, sys, fmt.Sprintf("EK-2025/L%s-%d", run, pair), t0)
			}
			return took.Seconds()
		}},
		measure{"insertmany-s", func(pair int) float64 {
			_, records := decision(pair)
			coll := sys.clients.DB.Collection(fmt.Sprintf("scratch_insertmany_%s_%d", run, pair))
			t0 := time.Now()
			// Unordered, as the store enters certificates.
			if _, err := coll.InsertMany(ctx, records, options.InsertMany().SetOrdered(false)); err != nil {
				b.Fatalf("InsertMany, pair %d: %v", pair, err)
			}
			took := time.Since(t0)
			b.Logf("InsertMany, pair %d: %d records in %s", pair+1, len(records), took.Round(time.Millisecond))
			if err := coll.Drop(ctx); err != nil {
				b.Fatal(err)
			}
			return took.Seconds()
		}},
	)
}

// BenchmarkSpeedStatus: GET /api/v1/submissions/{id} through the real
// router (statusRouter: API-key authentication, no rate limit) at
// loadClients clients, loadRequests requests a round, in requests per
// second, next to findOne by _id on the same read-model collection from as
// many goroutines on the same MongoDB client. Issue #15 wants the ratio ≥
// 0.70. The first pair also reports the MongoDB commands a request costs.
// (BenchmarkLoadTrivialGin, the HTTP floor of a Gin handler on loopback,
// is kept as it is: it measures what this baseline does not.)
func BenchmarkSpeedStatus(b *testing.B) {
	cmds := newCommandCounter()
	sys := startMonitored(b, defaults(b), cmds.monitor())
	router, path, key := statusRouter(b, sys)
	get := httpGetter(b, router, path, key, []byte(`"status":"in-review"`))
	id := path[strings.LastIndexByte(path, '/')+1:]
	coll := sys.clients.DB.Collection(store.CollSubmissions)
	findOne := func(ctx context.Context) error {
		var raw bson.Raw
		return coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&raw)
	}
	for _, warm := range []func(context.Context) error{get, findOne} {
		if err := warm(context.Background()); err != nil {
			b.Fatalf("warm-up: %v", err)
		}
	}
	round := func(what string, pair int, f func(context.Context) error) float64 {
		cmds.reset()
		r := hammer(loadClients, loadRequests, f)
		if r.failures > 0 {
			b.Fatalf("%s, pair %d: %d failed; the first: %v", what, pair+1, r.failures, r.firstErr)
		}
		slices.Sort(r.latencies)
		pct := func(p float64) time.Duration {
			return r.latencies[min(len(r.latencies)-1, int(float64(len(r.latencies))*p))]
		}
		b.Logf("%s, pair %d: %d in %s (%.0f/s), p50 %s, p99 %s", what, pair+1, len(r.latencies),
			r.elapsed.Round(time.Millisecond), r.rate(), pct(0.5).Round(time.Microsecond), pct(0.99).Round(time.Microsecond))
		if pair == 0 {
			b.Logf("  MongoDB commands a request, pair 1:")
			cmds.snapshot().log(b, len(r.latencies), "request")
		}
		return r.rate()
	}
	interleaved(b,
		measure{"status-req/s", func(pair int) float64 { return round("GET status", pair, get) }},
		measure{"findone/s", func(pair int) float64 { return round("findOne by _id", pair, findOne) }},
	)
}

// measure is one side of an interleaved benchmark: the unit of its figure
// and a function that measures it once (pair counts from 0).
type measure struct {
	unit string
	run  func(pair int) float64
}

// interleaved measures target and baseline alternately speedPairs times,
// target first, logging each pair and the load average before and after,
// and reports the medians of both and their ratio, target ÷ baseline
// ("ratio").
func interleaved(b *testing.B, target, baseline measure) {
	b.Helper()
	start := loadAvg()
	b.Logf("load average at start: %s", start)
	b.ResetTimer()
	var ts, bs []float64
	for pair := range speedPairs {
		t := target.run(pair)
		base := baseline.run(pair)
		ts, bs = append(ts, t), append(bs, base)
		b.Logf("pair %d: %.3f %s, %.3f %s: ratio %.3f (load %s)", pair+1, t, target.unit, base, baseline.unit, t/base, loadAvg())
	}
	b.StopTimer()
	end := loadAvg()
	mt, mb := median(ts), median(bs)
	b.Logf("medians of %d pairs: %.3f %s, %.3f %s: ratio %.3f; load average at start %s, at end %s",
		speedPairs, mt, target.unit, mb, baseline.unit, mt/mb, start, end)
	b.ReportMetric(mt, target.unit)
	b.ReportMetric(mb, baseline.unit)
	b.ReportMetric(mt/mb, "ratio")
	b.ReportMetric(load1(start), "load1-start")
	b.ReportMetric(load1(end), "load1-end")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// loadAvg is /proc/loadavg's 1-, 5- and 15-minute load averages ("?" where
// there is none).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func load1(avg string) float64 {
	v, err := strconv.ParseFloat(strings.Fields(avg + " ?")[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// cpuTime is the CPU time (user and system) this process has used: with
// the embedded Temporal and FerretDB in-process, all of the stack's.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func perItem(d time.Duration, n int) float64 {
	return float64(d) / float64(time.Millisecond) / float64(n)
}

// histories counts, over the workflows of the submissions with the given
// numbers (as they stand now), the history events, workflow tasks,
// activities (by type) and local activities (markers), and logs them per
// workflow.
func histories(ctx context.Context, b *testing.B, sys *system, numbers []string) {
	b.Helper()
	var subs []store.Submission
	cur, err := sys.clients.DB.Collection(store.CollSubmissions).Find(ctx, bson.D{{Key: "number", Value: bson.D{{Key: "$in", Value: numbers}}}})
	if err == nil {
		err = cur.All(ctx, &subs)
	}
	if err != nil || len(subs) == 0 {
		b.Logf("  histories: no submissions found (%v)", err)
		return
	}
	var events, tasks, markers int
	activities := map[string]int{}
	for _, s := range subs {
		it := sys.clients.Temporal.GetWorkflowHistory(ctx, wf.SubmissionWorkflowID(s.ID), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				b.Logf("  history of %s: %v", s.ID, err)
				return
			}
			events++
			switch e.GetEventType() {
			case enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
				tasks++
			case enums.EVENT_TYPE_MARKER_RECORDED:
				markers++
			case enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
				activities[e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()]++
			}
		}
	}
	n := float64(len(subs))
	total := 0
	var kinds []string
	for _, name := range slices.Sorted(maps.Keys(activities)) {
		total += activities[name]
		kinds = append(kinds, fmt.Sprintf("%s %.1f", name, float64(activities[name])/n))
	}
	b.Logf("  Temporal, over %d workflows' histories: %.1f events, %.1f workflow tasks, %.1f activities (%s), %.1f markers (local activities, versions) a workflow",
		len(subs), float64(events)/n, float64(tasks)/n, float64(total)/n, strings.Join(kinds, ", "), float64(markers)/n)
}

// timeline logs when the workflow of the submission with number started
// and when each of its activities ran, from upload (t0): where one large
// document's time went. Local activities (Record, the working-day
// arithmetic) run inside the workflow tasks between them.
func timeline(ctx context.Context, b *testing.B, sys *system, number string, t0 time.Time) {
	b.Helper()
	var sub store.Submission
	if err := sys.clients.DB.Collection(store.CollSubmissions).FindOne(harness(ctx), bson.D{{Key: "number", Value: number}}).Decode(&sub); err != nil {
		b.Logf("  timeline: %v", err)
		return
	}
	at := func(t time.Time) string { return t.Sub(t0).Round(time.Millisecond).String() }
	scheduled := map[int64]string{}
	started := map[int64]time.Time{}
	var steps []string
	it := sys.clients.Temporal.GetWorkflowHistory(ctx, wf.SubmissionWorkflowID(sub.ID), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			b.Logf("  timeline: %v", err)
			return
		}
		t := e.GetEventTime().AsTime()
		switch e.GetEventType() {
		case enums.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			steps = append(steps, "started "+at(t))
		case enums.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			steps = append(steps, "update "+e.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetName()+" "+at(t))
		case enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			scheduled[e.GetEventId()] = e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()
		case enums.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			started[e.GetActivityTaskStartedEventAttributes().GetScheduledEventId()] = t
		case enums.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			id := e.GetActivityTaskCompletedEventAttributes().GetScheduledEventId()
			steps = append(steps, fmt.Sprintf("%s %s–%s", scheduled[id], at(started[id]), at(t)))
		case enums.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
			steps = append(steps, "completed "+at(t))
		}
	}
	b.Logf("  timeline from upload: %s", strings.Join(steps, ", "))
}

// harnessKey marks a context whose MongoDB commands are the benchmark's
// own (polling the read model), not the system's.
type harnessKey struct{}

func harness(ctx context.Context) context.Context { return context.WithValue(ctx, harnessKey{}, true) }

// commandCounter counts the MongoDB commands a client sends, by command and
// collection, with the time each took; those sent under a harness context
// are counted apart.
type commandCounter struct {
	mu      sync.Mutex
	pending map[int64]string // request id → "command collection"; "" for the harness's
	counts  commandCounts
}

type commandCounts struct {
	total   int // the system's
	harness int // the benchmark's own
	by      map[string]commandStat
}

type commandStat struct {
	n    int
	took time.Duration
}

func newCommandCounter() *commandCounter {
	c := &commandCounter{}
	c.reset()
	return c
}

func (c *commandCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = map[int64]string{}
	c.counts = commandCounts{by: map[string]commandStat{}}
}

func (c *commandCounter) snapshot() commandCounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.counts
	s.by = maps.Clone(c.counts.by)
	return s
}

func (c *commandCounter) monitor() *event.CommandMonitor {
	done := func(id int64, took time.Duration) {
		c.mu.Lock()
		defer c.mu.Unlock()
		key, ok := c.pending[id]
		if !ok || key == "" {
			return
		}
		delete(c.pending, id)
		s := c.counts.by[key]
		s.took += took
		c.counts.by[key] = s
	}
	return &event.CommandMonitor{
		Started: func(ctx context.Context, e *event.CommandStartedEvent) {
			key := e.CommandName + " " + collectionOf(e)
			c.mu.Lock()
			defer c.mu.Unlock()
			if ctx.Value(harnessKey{}) != nil {
				c.counts.harness++
				c.pending[e.RequestID] = ""
				return
			}
			c.counts.total++
			s := c.counts.by[key]
			s.n++
			c.counts.by[key] = s
			c.pending[e.RequestID] = key
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) { done(e.RequestID, e.Duration) },
		Failed:    func(_ context.Context, e *event.CommandFailedEvent) { done(e.RequestID, e.Duration) },
	}
}

// collectionOf is the collection a command names (its first element's
// value, or getMore's "collection").
func collectionOf(e *event.CommandStartedEvent) string {
	if e.CommandName == "getMore" {
		if v, ok := e.Command.Lookup("collection").StringValueOK(); ok {
			return v
		}
	}
	el, err := e.Command.IndexErr(0)
	if err != nil {
		return ""
	}
	v, _ := el.Value().StringValueOK()
	return v
}

// log writes the counts per item (n items), the most frequent first.
func (s commandCounts) log(b *testing.B, n int, item string) {
	b.Helper()
	var took time.Duration
	for _, st := range s.by {
		took += st.took
	}
	b.Logf("  MongoDB: %.1f commands a %s (%s of command time a %s); the benchmark's own polling %.1f more",
		float64(s.total)/float64(n), item, (took / time.Duration(n)).Round(time.Microsecond), item, float64(s.harness)/float64(n))
	// The most time first: where the time went.
	keys := slices.SortedFunc(maps.Keys(s.by), func(x, y string) int {
		return cmp.Or(cmp.Compare(s.by[y].took, s.by[x].took), strings.Compare(x, y))
	})
	for _, k := range keys {
		st := s.by[k]
		b.Logf("    %-34s %8.2f a %s, %9s each, %9s a %s", k, float64(st.n)/float64(n), item,
			(st.took / time.Duration(st.n)).Round(time.Microsecond), (st.took / time.Duration(n)).Round(time.Microsecond), item)
	}
}
