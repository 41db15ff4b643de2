package topology

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

const (
	namespace = "default"
	database  = "alusdok"
)

// TestProductionTopology is `make topology`: see the package comment and
// README, "The production topology, run here".
func TestProductionTopology(t *testing.T) {
	if os.Getenv("TOPOLOGY_RUN") != "1" {
		t.Skip("starts PostgreSQL, Temporal, FerretDB and six alusdok processes: run it with `make topology`")
	}
	s := loadSettings(t)
	for _, d := range []string{"logs", "pids"} {
		if err := os.MkdirAll(filepath.Join(s.dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pdf, trust := pdfAndTrust(t)
	var report []string
	say := func(format string, args ...any) {
		line := fmt.Sprintf(format, args...)
		report = append(report, line)
		t.Log(line)
	}
	defer func() {
		fmt.Printf("\n== production topology: report ==\n%s\n", strings.Join(report, "\n"))
		if t.Failed() {
			fmt.Printf("(failed; logs in %s/logs)\n", s.dir)
		}
	}()

	// 1. The embedded stack first, alone on the machine: `alusdok dev`.
	devFig := s.runDev(t, makeDocs(t, "D", s.docs+1, 2, pdf), trust)
	say("%s", devFig)

	// 2. The production topology.
	begin := time.Now()
	pg := s.startPostgres(t)
	t.Cleanup(func() { pg.proc.stop(syscall.SIGINT, 30*time.Second) })
	say("PostgreSQL 15 cluster (initdb, as user %s) on 127.0.0.1:%d ready in %s", s.pgUser, pg.port, time.Since(begin).Round(time.Millisecond))
	t0 := time.Now()
	s.setupTemporalSchema(t, pg)
	say("Temporal schema (temporal-sql-tool create-database, setup-schema, update-schema; temporal and temporal_visibility) in %s", time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	temporal, taddr := s.startTemporal(t, pg, namespace)
	t.Cleanup(func() { temporal.stop(syscall.SIGTERM, 30*time.Second) })
	say("temporal-server (frontend, history, matching, worker) on PostgreSQL at %s, namespace %q usable in %s", taddr, namespace, time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	ferret, muri := s.startFerretDB(t, pg)
	t.Cleanup(func() { ferret.stop(syscall.SIGTERM, 30*time.Second) })
	say("FerretDB v1.24.2 (postgresql handler) at %s in %s", muri, time.Since(t0).Round(time.Millisecond))

	db := mongoDB(t, muri, database)
	seedCtx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := store.New(db).Seed(seedCtx, examples.Register(), store.Entry{SubmissionID: "examples", EntryNumber: "KR-examples", At: time.Now()}); err != nil {
		t.Fatalf("seed the example register: %v", err)
	}
	body, _ := s.key(t, muri, "--role", "submitter", "--org", examples.ElectriciansUnion, "--name", "topology: awarding body")
	clerk, _ := s.key(t, muri, "--role", "clerk", "--name", "topology: clerk")

	secrets := secretFiles(t, s.dir, muri)
	var apis, workers []*alusdokProc
	t0 = time.Now()
	for i := range 2 {
		addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
		spool := filepath.Join(s.dir, fmt.Sprintf("api-%d-tmp", i+1))
		if err := os.MkdirAll(spool, 0o700); err != nil {
			t.Fatal(err)
		}
		apis = append(apis, s.startAlusdok(t, fmt.Sprintf("api-%d", i+1), "api",
			processEnv("api", processParams{temporal: taddr, secrets: secrets, addr: addr, trust: trust, spool: spool}), "http://"+addr))
		haddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
		workers = append(workers, s.startAlusdok(t, fmt.Sprintf("worker-%d", i+1), "worker",
			processEnv("worker", processParams{temporal: taddr, secrets: secrets, addr: haddr}), "http://"+haddr))
	}
	t.Cleanup(func() {
		for _, a := range append(slicesClone(apis), workers...) {
			if d := a.stop(syscall.SIGTERM, 45*time.Second); d > 0 {
				t.Logf("%s stopped in %s (%v)", a.name, d.Round(time.Millisecond), a.err)
			}
		}
	})
	for _, a := range append(slicesClone(apis), workers...) {
		b := a.ready(t, 2*time.Minute)
		say("%-8s (alusdok %s, pid %d) /readyz: %s", a.name, a.role, a.cmd.Process.Pid, b)
		var r struct{ Checks map[string]string }
		if err := json.Unmarshal([]byte(b), &r); err != nil || r.Checks["temporal"] != "ok" || r.Checks["mongodb"] != "ok" {
			t.Errorf("%s: /readyz does not name temporal and mongodb as ok: %s", a.name, b)
		}
	}
	say("two alusdok api and two alusdok worker processes ready %s after their start", time.Since(t0).Round(time.Millisecond))
	rr := startRoundRobin(t, apis[0].health, apis[1].health)
	c := newClients(rr.addr, body, clerk, db)
	var subs []expected

	// 3. What must hold across processes.
	subs = append(subs, s.checkIdempotency(t, c, apis, taddr, pdf, say)...)
	s.checkRateLimits(t, c, apis, muri, say)
	s.checkRevocation(t, c, apis, muri, say)

	// 4. Throughput with two workers, no faults.
	docs := makeDocs(t, "T", s.docs+1, 2, pdf)
	f2, ids := push(t, c, "topology, 2 api + 2 workers", docs, s.inFlight, nil)
	subs = appendIDs(subs, ids, 2)

	// 5. Under faults: a large entry whose worker is SIGKILLed, an API
	// SIGTERMed halfway, while the batch goes on.
	ff, fsubs := s.faultRun(t, c, apis, workers, taddr, pdf, say)
	subs = append(subs, fsubs...)

	// 6. One worker.
	stopped := workers[1].stop(syscall.SIGTERM, 45*time.Second)
	say("worker-2 SIGTERMed for the one-worker run: exited in %s (%v)", stopped.Round(time.Millisecond), exitText(workers[1].err))
	f1, ids := push(t, c, "topology, 2 api + 1 worker", makeDocs(t, "S", s.docs+1, 2, pdf), s.inFlight, nil)
	subs = appendIDs(subs, ids, 2)

	// 7. Exactly once, and the processing log whole.
	// Every workflow closed first: an entered submission's notice follows
	// its entry.
	say("workflows: %s", countWorkflows(t, taddr, len(subs)))
	say("exactly once: %s", checkExactlyOnce(t, db, subs))
	say("alusdok audit verify: %s", s.auditVerify(t, muri, filepath.Join(secrets, "audit-key")))
	say("requests served by the round-robin: api-1 %d, api-2 %d", rr.served[0].Load(), rr.served[1].Load())

	say("")
	say("throughput (%d committee decisions of 2 certificates each, %d in flight, submitted, approved and entered through the HTTP API):", s.docs, s.inFlight)
	say("  %s", devFig)
	say("  %s", f2)
	say("  %s", f1)
	say("  %s", ff)
}

// processParams are what differs between the runner's alusdok processes.
type processParams struct {
	temporal     string
	secrets      string // the directory of the secret files (secretFiles)
	addr         string // the API's address, or the worker's health address
	trust, spool string // the API's trust store and upload spool
}

// processEnv is the whole configuration of one of the runner's `alusdok
// api` or `alusdok worker` processes: ALUSDOK_* variables as production
// sets them — secrets in files, as docker-compose.yml mounts them (a test
// keeps the two naming the same variables) — and the API's private TMPDIR.
func processEnv(role string, p processParams) []string {
	secret := func(name string) string { return filepath.Join(p.secrets, name) }
	env := []string{
		"ALUSDOK_TEMPORAL_ADDRESS=" + p.temporal, "ALUSDOK_TEMPORAL_NAMESPACE=" + namespace,
		"ALUSDOK_MONGODB_URI_FILE=" + secret("mongodb-uri"), "ALUSDOK_MONGODB_DATABASE=" + database,
		"ALUSDOK_CODEC_KEYS_FILE=" + secret("codec-keys"),
		"ALUSDOK_LOG_FORMAT=json", "ALUSDOK_LOG_LEVEL=warn", "ALUSDOK_SHUTDOWN_TIMEOUT=30s",
	}
	if role == "api" {
		return append(env, "ALUSDOK_HTTP_ADDR="+p.addr, "ALUSDOK_TRUST_DIR="+p.trust,
			"ALUSDOK_ACCESSLOG_KEY_FILE="+secret("accesslog-key"),
			// The codec endpoint's browser origin: no Temporal UI runs here.
			"ALUSDOK_CODEC_CORS_ORIGINS=http://127.0.0.1:8233", "TMPDIR="+p.spool)
	}
	return append(env, "ALUSDOK_HEALTH_ADDR="+p.addr, "ALUSDOK_AUDIT_KEY_FILE="+secret("audit-key"))
}

// secretFiles writes the run's secrets, one file each, readable only by
// their owner: the MongoDB URI, the data-access log's key, the payload codec's
// AES-256 key and the processing log's Ed25519 checkpoint seed.
func secretFiles(tb testing.TB, dir, mongoURI string) string {
	tb.Helper()
	dir = filepath.Join(dir, "secrets")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	random := func() string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return base64.StdEncoding.EncodeToString(b)
	}
	for name, v := range map[string]string{
		"mongodb-uri": mongoURI, "accesslog-key": random(), "codec-keys": "topology:" + random(), "audit-key": random(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }

func exitText(err error) string {
	if err == nil {
		return "exit 0"
	}
	return err.Error()
}

func appendIDs(subs []expected, ids []string, certs int) []expected {
	for _, id := range ids {
		subs = append(subs, expected{id: id, certs: certs})
	}
	return subs
}

// runDev runs the documents on `alusdok dev` (embedded Temporal and
// FerretDB on SQLite, API and worker in one process) and stops it.
func (s settings) runDev(t *testing.T, docs []doc, trust string) figures {
	t.Helper()
	httpAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	mport := freePort(t)
	muri := fmt.Sprintf("mongodb://127.0.0.1:%d/", mport)
	dev := s.startAlusdok(t, "dev", "dev", []string{
		"ALUSDOK_DATA=" + filepath.Join(s.dir, "dev"), "ALUSDOK_HTTP_ADDR=" + httpAddr,
		"ALUSDOK_TEMPORAL_PORT=" + strconv.Itoa(freePort(t)), "ALUSDOK_TEMPORAL_UI_PORT=0",
		"ALUSDOK_MONGODB_PORT=" + strconv.Itoa(mport), "ALUSDOK_TRUST_DIR=" + trust, "ALUSDOK_LOG_LEVEL=warn",
	}, "http://"+httpAddr)
	defer func() {
		d := dev.stop(syscall.SIGTERM, time.Minute)
		t.Logf("alusdok dev stopped in %s (%s)", d.Round(time.Millisecond), exitText(dev.err))
	}()
	dev.ready(t, 2*time.Minute)
	body, _ := s.key(t, muri, "--role", "submitter", "--org", examples.ElectriciansUnion, "--name", "topology: awarding body")
	clerk, _ := s.key(t, muri, "--role", "clerk", "--name", "topology: clerk")
	c := newClients(dev.health, body, clerk, mongoDB(t, muri, database))
	f, _ := push(t, c, "alusdok dev (embedded, one process)", docs, s.inFlight, nil)
	return f
}

// checkIdempotency sends each of a few documents to both APIs at once with
// the same Idempotency-Key: one submission and one workflow each.
func (s settings) checkIdempotency(t *testing.T, c *clients, apis []*alusdokProc, taddr string, pdf []byte, say func(string, ...any)) []expected {
	t.Helper()
	const pairs = 5
	docs := makeDocs(t, "I", pairs, 2, pdf)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var subs []expected
	accepted, repeated := 0, 0
	for _, d := range docs {
		var wg sync.WaitGroup
		var ids [2]string
		var codes [2]int
		var errs [2]error
		start := make(chan struct{})
		for i := range 2 {
			wg.Go(func() {
				<-start
				ids[i], codes[i], errs[i] = c.submit(ctx, apis[i].health, d)
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("idempotent submit of %s: %v, %v", d.number, errs[0], errs[1])
		}
		if ids[0] != ids[1] {
			t.Errorf("the same Idempotency-Key to both APIs made two submissions: %s and %s", ids[0], ids[1])
		}
		for _, code := range codes {
			switch code {
			case http.StatusAccepted:
				accepted++
			case http.StatusOK:
				repeated++
			}
		}
		if n := workflowCount(t, taddr, fmt.Sprintf("WorkflowId = '%s'", wf.SubmissionWorkflowID(ids[0]))); n != 1 {
			t.Errorf("submission %s: %d workflow runs, want 1", ids[0], n)
		}
		uploads, err := c.db.Collection(store.CollUploads).CountDocuments(ctx, bson.D{{Key: "submission", Value: ids[0]}})
		if err == nil && uploads > 1 {
			t.Errorf("submission %s: %d uploads kept, want 1", ids[0], uploads)
		}
		subs = append(subs, expected{id: ids[0], certs: 2})
	}
	if accepted != pairs {
		t.Errorf("%d of %d pairs answered 202 once and 200 once", accepted, pairs)
	}
	for _, sub := range subs {
		if err := c.enter(ctx, sub.id); err != nil {
			t.Fatal(err)
		}
	}
	say("idempotency: %d documents each sent to api-1 and api-2 at once with one Idempotency-Key: %d answered 202 (started), %d answered 200 (the same id), one submission and one workflow run each",
		pairs, accepted, repeated)
	return subs
}

// checkRateLimits exhausts one key's allowance on api-1, then sends the
// same key to api-2: each process keeps its own buckets.
func (s settings) checkRateLimits(t *testing.T, c *clients, apis []*alusdokProc, muri string, say func(string, ...any)) {
	t.Helper()
	key, _ := s.key(t, muri, "--role", "clerk", "--name", "topology: rate limits")
	burst := func(base string, n int) (ok, limited int) {
		var okN, limN atomic.Int64
		var wg sync.WaitGroup
		sem := make(chan struct{}, 16)
		for range n {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				code, _ := c.do(context.Background(), base, http.MethodGet, "/submissions/none", key, "", nil, nil)
				switch code {
				case http.StatusTooManyRequests:
					limN.Add(1)
				case http.StatusNotFound:
					okN.Add(1)
				}
			})
		}
		wg.Wait()
		return int(okN.Load()), int(limN.Load())
	}
	t0 := time.Now()
	ok1, lim1 := burst(apis[0].health, 120)
	ok2, lim2 := burst(apis[1].health, 120)
	el := time.Since(t0)
	if lim1 == 0 || ok2 < 30 {
		t.Errorf("rate limits: api-1 %d answered, %d limited; then api-2 %d answered, %d limited: want api-1 limited and api-2 still answering",
			ok1, lim1, ok2, lim2)
	}
	say("rate limits (default 20/s, burst 40, per key): 120 requests of one key to api-1: %d answered, %d 429; then 120 to api-2: %d answered, %d 429 (%s in all) — each API process keeps its own buckets: N processes allow N × the configured rate",
		ok1, lim1, ok2, lim2, el.Round(time.Millisecond))
}

// checkRevocation revokes a key used on both APIs (so that both have
// it cached) and checks the documented bound: each refuses it within
// auth.KeyCacheTTL of the revocation, and no request sent after that bound
// is accepted. How soon each refused it is reported, not asserted.
func (s settings) checkRevocation(t *testing.T, c *clients, apis []*alusdokProc, muri string, say func(string, ...any)) {
	t.Helper()
	key, id := s.key(t, muri, "--role", "clerk", "--name", "topology: revoked")
	for _, a := range apis {
		if code, b := c.do(context.Background(), a.health, http.MethodGet, "/submissions?size=1", key, "", nil, nil); code != http.StatusOK {
			t.Fatalf("%s before revocation: %d %s", a.name, code, b)
		}
	}
	cmd := exec.Command(s.alusdok, "keys", "revoke", id)
	cmd.Env = minimalEnv("ALUSDOK_MONGODB_URI=" + muri)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("keys revoke: %v\n%s", err, out)
	}
	// The revocation is written before the command returns, so every
	// cached copy of the key expires before bound.
	revoked := time.Now()
	bound := revoked.Add(auth.KeyCacheTTL)
	var reports []string
	for _, a := range apis {
		var accepted, late int
		// The margin is for a slow machine: the refusal must come, however late.
		waitUntil(t, auth.KeyCacheTTL+time.Minute, a.name+" refuses the revoked key", func() bool {
			sent := time.Now()
			code, _ := c.do(context.Background(), a.health, http.MethodGet, "/submissions?size=1", key, "", nil, nil)
			if code == http.StatusOK {
				accepted++
				if sent.After(bound) {
					late++
				}
			}
			return code == http.StatusUnauthorized
		})
		reports = append(reports, fmt.Sprintf("%s refused it %s after the revoke command returned (%d requests accepted meanwhile)",
			a.name, time.Since(revoked).Round(time.Millisecond), accepted))
		if late > 0 {
			t.Errorf("%s accepted the revoked key %d times in requests sent more than %s after the revocation", a.name, late, auth.KeyCacheTTL)
		}
		if code, _ := c.do(context.Background(), a.health, http.MethodGet, "/submissions?size=1", key, "", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("%s accepted the revoked key again after refusing it: %d", a.name, code)
		}
	}
	say("revocation (a checked key is trusted for at most %s without a read): %s", auth.KeyCacheTTL, strings.Join(reports, "; "))
}

// faultRun pushes a batch through the round-robin while a large decision
// is entered: the worker running its entry is SIGKILLed once some of its
// certificates are written and started again; halfway through the batch
// api-2 is SIGTERMed and started again.
func (s settings) faultRun(t *testing.T, c *clients, apis, workers []*alusdokProc, taddr string, pdf []byte, say func(string, ...any)) (figures, []expected) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	large := makeDocs(t, "L", 1, s.large, pdf)[0]
	largeID, _, err := c.submit(ctx, c.base, large)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := client.Dial(client.Options{HostPort: taddr, Namespace: namespace, Logger: quietLogger{}})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	waitUntil(t, 3*time.Minute, "the large decision in review", func() bool { return c.status(ctx, largeID) == wf.StatusInReview })

	var kill, term string
	during := func(ctx context.Context, done *atomic.Int64) error {
		var wg sync.WaitGroup
		// The large decision: approved, its worker killed mid-entry.
		wg.Go(func() {
			approved := time.Now()
			enterErr := make(chan error, 1)
			go func() { enterErr <- c.enter(ctx, largeID) }()
			certs := c.db.Collection(store.CollCertificates)
			var seen int64
			waitUntil(t, 5*time.Minute, "the large entry under way", func() bool {
				seen, _ = certs.CountDocuments(ctx, bson.D{{Key: "submission", Value: largeID}})
				return seen >= int64(min(1000, s.large/5))
			})
			victim := enteringWorker(t, tc, largeID, workers)
			victim.signal(syscall.SIGKILL)
			killedAt := time.Now()
			<-victim.done
			atKill, _ := certs.CountDocuments(ctx, bson.D{{Key: "submission", Value: largeID}})
			s.restart(t, victim)
			victim.ready(t, 2*time.Minute)
			readyAt := time.Now()
			if err := <-enterErr; err != nil {
				t.Errorf("large decision: %v", err)
				return
			}
			enteredAt := time.Now()
			attempt, encoding := enterAttempt(t, tc, largeID)
			if encoding != "binary/encrypted" {
				t.Errorf("the workflow's input is stored in Temporal as %q, want binary/encrypted", encoding)
			}
			kill = fmt.Sprintf("%s SIGKILLed %s after the approval of a %d-certificate decision with %d certificates written; restarted and ready in %s; the entry finished %s after the kill (Enter attempt %d; the other worker or the new process took it over after the 30 s heartbeat timeout)",
				victim.name, killedAt.Sub(approved).Round(time.Millisecond), s.large, atKill, readyAt.Sub(killedAt).Round(time.Millisecond),
				enteredAt.Sub(killedAt).Round(time.Millisecond), attempt)
			say("payloads in Temporal's PostgreSQL: the workflow's input stored with encoding %q (ALUSDOK_CODEC_KEYS_FILE)", encoding)
		})
		// api-2: SIGTERM halfway through the batch, then started again.
		wg.Go(func() {
			for done.Load() < int64(s.docs/2) {
				if ctx.Err() != nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			a := apis[1]
			at := done.Load()
			took := a.stop(syscall.SIGTERM, 45*time.Second)
			exit := exitText(a.err)
			if a.err != nil {
				t.Errorf("api-2 after SIGTERM: %v, want exit 0", a.err)
			}
			t0 := time.Now()
			s.restart(t, a)
			a.ready(t, 2*time.Minute)
			term = fmt.Sprintf("api-2 SIGTERMed after %d of %d documents: drained and exited in %s (%s); restarted and ready in %s",
				at, s.docs, took.Round(time.Millisecond), exit, time.Since(t0).Round(time.Millisecond))
		})
		wg.Wait()
		return nil
	}
	f, ids := push(t, c, "topology under faults (kill, SIGTERM)", makeDocs(t, "F", s.docs+1, 2, pdf), s.inFlight, during)
	if f.err > 0 {
		t.Errorf("the APIs answered 5xx %d times during the faults", f.err)
	}
	say("worker kill: %s", kill)
	say("API stop: %s", term)
	subs := appendIDs([]expected{{id: largeID, certs: s.large}}, ids, 2)
	return f, subs
}

// enteringWorker finds the worker process whose identity (pid@host) last
// took the submission's pending Enter activity.
func enteringWorker(t *testing.T, tc client.Client, id string, workers []*alusdokProc) *alusdokProc {
	t.Helper()
	var victim *alusdokProc
	waitUntil(t, time.Minute, "the worker running Enter", func() bool {
		d, err := tc.DescribeWorkflowExecution(context.Background(), wf.SubmissionWorkflowID(id), "")
		if err != nil {
			return false
		}
		for _, p := range d.GetPendingActivities() {
			if p.GetActivityType().GetName() != "Enter" {
				continue
			}
			pid, _, _ := strings.Cut(p.GetLastWorkerIdentity(), "@")
			for _, w := range workers {
				if strconv.Itoa(w.cmd.Process.Pid) == pid {
					victim = w
				}
			}
		}
		return victim != nil
	})
	return victim
}

// enterAttempt returns the last attempt of the submission's activities
// (Enter's, after a kill) and the encoding of the workflow's input as
// Temporal stores it.
func enterAttempt(t *testing.T, tc client.Client, id string) (attempt int32, encoding string) {
	t.Helper()
	it := tc.GetWorkflowHistory(context.Background(), wf.SubmissionWorkflowID(id), "", false, 0)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Errorf("history: %v", err)
			return 0, ""
		}
		if a := e.GetWorkflowExecutionStartedEventAttributes(); a != nil && len(a.GetInput().GetPayloads()) > 0 {
			encoding = string(a.GetInput().GetPayloads()[0].GetMetadata()["encoding"])
		}
		if a := e.GetActivityTaskStartedEventAttributes(); a != nil && a.GetAttempt() > attempt {
			attempt = a.GetAttempt()
		}
	}
	return attempt, encoding
}

func workflowCount(t *testing.T, taddr, query string) int64 {
	t.Helper()
	tc, err := client.Dial(client.Options{HostPort: taddr, Namespace: namespace, Logger: quietLogger{}})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	r, err := tc.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{Namespace: namespace, Query: query})
	if err != nil {
		t.Fatalf("count workflows %q: %v", query, err)
	}
	return r.GetCount()
}

// countWorkflows checks that every submission has one workflow run, and
// that visibility (on PostgreSQL) agrees.
func countWorkflows(t *testing.T, taddr string, want int) string {
	t.Helper()
	// An entered submission's workflow still sends its notice and
	// finishes its handlers; visibility then follows.
	var n, done int64
	waitUntil(t, 2*time.Minute, "visibility counts every workflow completed", func() bool {
		n = workflowCount(t, taddr, "WorkflowType = 'BaseDocumentWorkflow'")
		done = workflowCount(t, taddr, "WorkflowType = 'BaseDocumentWorkflow' AND ExecutionStatus = 'Completed'")
		return n > int64(want) || done >= int64(want)
	})
	if n != int64(want) || done != int64(want) {
		t.Errorf("%d BaseDocumentWorkflow runs, %d completed; want %d", n, done, want)
	}
	return fmt.Sprintf("%d BaseDocumentWorkflow runs for %d submissions, %d completed (Temporal's visibility on PostgreSQL)", n, want, done)
}
