package topology

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// alusdokProc is one `alusdok api` or `alusdok worker` process, with the
// environment it was started with so that it can be started again alike.
type alusdokProc struct {
	*proc
	role   string // api, worker
	env    []string
	health string // http://host:port of /readyz
}

// startAlusdok runs `alusdok <role>` configured only by env (ALUSDOK_*
// variables and TMPDIR).
func (s settings) startAlusdok(tb testing.TB, name, role string, env []string, health string) *alusdokProc {
	tb.Helper()
	a := &alusdokProc{role: role, env: env, health: health}
	a.proc = s.spawn(tb, name, spawnOpts{env: minimalEnv(env...)}, s.alusdok, role)
	return a
}

func (s settings) restart(tb testing.TB, a *alusdokProc) {
	tb.Helper()
	a.proc = s.spawn(tb, a.name, spawnOpts{env: minimalEnv(a.env...)}, s.alusdok, a.role)
}

// ready polls /readyz until it answers 200 and returns the answer's body.
func (a *alusdokProc) ready(tb testing.TB, timeout time.Duration) string {
	tb.Helper()
	var body string
	waitUntil(tb, timeout, a.name+" ready", func() bool {
		resp, err := http.Get(a.health + "/readyz")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = strings.TrimSpace(string(b))
		return resp.StatusCode == http.StatusOK
	}, a.proc)
	return body
}

// keys makes an API key with `alusdok keys create` and returns it and its id.
func (s settings) key(tb testing.TB, mongoURI string, args ...string) (key, id string) {
	tb.Helper()
	cmd := exec.Command(s.alusdok, append([]string{"keys", "create"}, args...)...)
	cmd.Env = minimalEnv("ALUSDOK_MONGODB_URI=" + mongoURI)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("keys create %v: %v\n%s", args, err, out)
	}
	for _, f := range strings.Fields(string(out)) {
		if strings.HasPrefix(f, "adk_") {
			key = f
			id = strings.Split(f, "_")[1]
		}
	}
	if key == "" {
		tb.Fatalf("keys create printed no key:\n%s", out)
	}
	return key, id
}

// doc is one committee decision ready to be sent.
type doc struct {
	number string
	certs  int
	form   []byte
	ctype  string
}

// makeDocs generates n committee decisions of two certificates each, with
// numbers and certificate numbers distinct by prefix, as the pipeline
// benchmark does.
func makeDocs(tb testing.TB, prefix string, n, certs int, pdf []byte) []doc {
	tb.Helper()
	holders := examples.GenerateCommitteeDecision(certs * n).Payload.Certificates
	out := make([]doc, n)
	for i := range n {
		d := examples.GenerateCommitteeDecision(certs)
		d.Number = fmt.Sprintf("EK-2025/%s%d", prefix, i)
		d.Payload.Certificates = slices.Clone(holders[certs*i : certs*i+certs])
		for j := range d.Payload.Certificates {
			d.Payload.Certificates[j].Number = fmt.Sprintf("%s%d-%d", prefix, i, j)
		}
		meta, err := json.Marshal(d)
		if err != nil {
			tb.Fatal(err)
		}
		form, ctype := multipartForm(tb, meta, pdf)
		out[i] = doc{number: d.Number, certs: certs, form: form, ctype: ctype}
	}
	return out
}

func multipartForm(tb testing.TB, meta, pdf []byte) ([]byte, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, part := range []struct {
		name, file, ctype string
		body              []byte
	}{
		{"document", "otsus.pdf", "application/pdf", pdf},
		{"metadata", "metadata.json", "application/json", meta},
	} {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, part.name, part.file))
		h.Set("Content-Type", part.ctype)
		w, err := mw.CreatePart(h)
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = w.Write(part.body)
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// clients is what the test's clients use: an API base (the round-robin or
// one API), the awarding body's and the clerk's keys, and the database
// to watch the read model in.
type clients struct {
	base  string // http://host:port
	body  string
	clerk string
	db    *mongo.Database
	http  *http.Client

	retries atomic.Int64 // requests sent again after no answer, 502, 503 or 429
	fivexx  atomic.Int64 // 5xx answers of the APIs
	dropped atomic.Int64 // requests the round-robin answered 502: cut off by a stopping API, or no API up
}

func newClients(base, body, clerk string, db *mongo.Database) *clients {
	return &clients{base: base, body: body, clerk: clerk, db: db, http: &http.Client{Timeout: 3 * time.Minute}}
}

// do sends one request; code 0 means no answer.
func (c *clients) do(ctx context.Context, base, method, path, key, ctype string, body []byte, header map[string]string) (int, []byte) {
	req, err := http.NewRequestWithContext(ctx, method, base+"/api/v1"+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil
	}
	req.Header.Set("X-API-Key", key)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	switch {
	case resp.Header.Get(balancerHeader) != "":
		c.dropped.Add(1)
	case resp.StatusCode >= 500:
		c.fivexx.Add(1)
	}
	return resp.StatusCode, b
}

// transient says whether a client retries: no answer, the balancer
// finding no backend, unavailable, rate-limited.
func transient(code int) bool {
	return code == 0 || code == http.StatusBadGateway || code == http.StatusServiceUnavailable ||
		code == http.StatusTooManyRequests || code == http.StatusGatewayTimeout
}

// submit sends d with its number as the Idempotency-Key until it is
// accepted, and returns the submission's id.
func (c *clients) submit(ctx context.Context, base string, d doc) (string, int, error) {
	for {
		code, b := c.do(ctx, base, http.MethodPost, "/submissions", c.body, d.ctype, d.form, map[string]string{"Idempotency-Key": d.number})
		switch {
		case code == http.StatusAccepted || code == http.StatusOK:
			var rc struct{ ID string }
			if err := json.Unmarshal(b, &rc); err != nil || rc.ID == "" {
				return "", code, fmt.Errorf("submit %s: %d %s", d.number, code, b)
			}
			return rc.ID, code, nil
		case transient(code):
			c.retries.Add(1)
		default:
			return "", code, fmt.Errorf("submit %s: %d %s", d.number, code, b)
		}
		select {
		case <-ctx.Done():
			return "", 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// status reads the submission's status from the read model.
func (c *clients) status(ctx context.Context, id string) wf.Status {
	var row struct{ Status string }
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := c.db.Collection(store.CollSubmissions).FindOne(rctx, bson.D{{Key: "_id", Value: id}}).Decode(&row); err != nil {
		return ""
	}
	return wf.Status(row.Status)
}

// enter waits until the submission is in review, approves it and waits
// until it is entered; an approval lost to a stopped process is sent again
// while the submission is still in review.
func (c *clients) enter(ctx context.Context, id string) error {
	approved := false
	for {
		switch st := c.status(ctx, id); st {
		case wf.StatusEntered:
			return nil
		case wf.StatusInReview:
			if approved {
				c.retries.Add(1)
			}
			approved = true
			code, b := c.do(ctx, c.base, http.MethodPost, "/submissions/"+id+"/decision", c.clerk, "application/json", []byte(`{"action":"approve"}`), nil)
			var v struct{ Status string }
			_ = json.Unmarshal(b, &v)
			if code == http.StatusOK && v.Status == string(wf.StatusEntered) {
				return nil
			}
			if !transient(code) && code != http.StatusOK && code != http.StatusConflict && code != http.StatusUnprocessableEntity {
				return fmt.Errorf("approve %s: %d %s", id, code, b)
			}
		case "", wf.StatusReceived, wf.StatusEntering:
		default:
			return fmt.Errorf("submission %s: status %s", id, st)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("submission %s not entered: %w", id, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// figures are one phase's throughput.
type figures struct {
	label                 string
	docs                  int
	elapsed               time.Duration
	p50, p99              time.Duration
	retries, err, dropped int64
}

func (f figures) String() string {
	return fmt.Sprintf("%-44s %4d docs in %7s  %5.2f docs/s  p50 %5.1fs  p99 %5.1fs  retries %d, API 5xx %d, cut off %d",
		f.label, f.docs, f.elapsed.Round(100*time.Millisecond), float64(f.docs)/f.elapsed.Seconds(), f.p50.Seconds(), f.p99.Seconds(), f.retries, f.err, f.dropped)
}

// push submits docs through c.base, inFlight at a time, approves each and
// waits until it is entered; the first goes alone, untimed (warm-up).
// during, when set, runs beside the push with the count of documents done.
func push(tb testing.TB, c *clients, label string, docs []doc, inFlight int, during func(ctx context.Context, done *atomic.Int64) error) (figures, []string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	ids := make([]string, len(docs))
	one := func(ctx context.Context, i int) error {
		id, _, err := c.submit(ctx, c.base, docs[i])
		if err != nil {
			return err
		}
		ids[i] = id
		return c.enter(ctx, id)
	}
	if err := one(ctx, 0); err != nil {
		tb.Fatalf("%s: warm-up: %v", label, err)
	}
	r0, e0, d0 := c.retries.Load(), c.fivexx.Load(), c.dropped.Load()
	lat := make([]time.Duration, len(docs)-1)
	var done atomic.Int64
	begin := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	if during != nil {
		g.Go(func() error { return during(gctx, &done) })
	}
	work, wctx := errgroup.WithContext(gctx)
	work.SetLimit(inFlight)
	for i := 1; i < len(docs); i++ {
		work.Go(func() error {
			t0 := time.Now()
			err := one(wctx, i)
			lat[i-1] = time.Since(t0)
			done.Add(1)
			return err
		})
	}
	g.Go(work.Wait)
	if err := g.Wait(); err != nil {
		tb.Fatalf("%s: %v", label, err)
	}
	f := figures{label: label, docs: len(docs) - 1, elapsed: time.Since(begin), retries: c.retries.Load() - r0, err: c.fivexx.Load() - e0, dropped: c.dropped.Load() - d0}
	slices.Sort(lat)
	if len(lat) > 0 {
		f.p50, f.p99 = lat[len(lat)/2], lat[int(0.99*float64(len(lat)-1))]
	}
	tb.Log(f)
	return f, ids
}

// expected is what one submission must have left in the register.
type expected struct {
	id    string
	certs int
}

// checkExactlyOnce checks every submission in the topology's database: its
// read-model row entered with one entry number and its records, its
// certificates exactly its own (each once), one entry notice, each step of
// the processing log once; and no certificate of another submission.
func checkExactlyOnce(tb testing.TB, db *mongo.Database, subs []expected) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ids := make([]string, len(subs))
	want := map[string]int{}
	total := 0
	for i, s := range subs {
		ids[i] = s.id
		if _, dup := want[s.id]; dup {
			tb.Errorf("submission %s listed twice", s.id)
		}
		want[s.id] = s.certs
		total += s.certs
	}

	// Certificates, notices and audit entries, read whole and counted here:
	// FerretDB's $in on ids scans, one pass over each is cheaper.
	count := func(coll, field string, filter bson.D, key func(bson.M) string) map[string]int {
		cur, err := db.Collection(coll).Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: field, Value: 1}, {Key: "type", Value: 1}, {Key: "action", Value: 1}}))
		if err != nil {
			tb.Fatal(err)
		}
		defer cur.Close(ctx)
		out := map[string]int{}
		for cur.Next(ctx) {
			var m bson.M
			if err := cur.Decode(&m); err != nil {
				tb.Fatal(err)
			}
			out[key(m)]++
		}
		if err := cur.Err(); err != nil {
			tb.Fatal(err)
		}
		return out
	}
	str := func(m bson.M, k string) string { s, _ := m[k].(string); return s }
	certs := count(store.CollCertificates, "submission", bson.D{}, func(m bson.M) string { return str(m, "submission") })
	notices := count(store.CollNotices, "submission", bson.D{}, func(m bson.M) string { return str(m, "submission") + "/" + str(m, "type") })
	steps := count("audit", "submissionId", bson.D{}, func(m bson.M) string { return str(m, "submissionId") + "/" + str(m, "action") })

	bad := 0
	fail := func(format string, args ...any) {
		bad++
		if bad <= 20 {
			tb.Errorf(format, args...)
		}
	}
	rows := 0
	for _, s := range subs {
		var row store.Submission
		if err := db.Collection(store.CollSubmissions).FindOne(ctx, bson.D{{Key: "_id", Value: s.id}}).Decode(&row); err != nil {
			fail("submission %s: read model: %v", s.id, err)
			continue
		}
		rows++
		if row.Status != string(wf.StatusEntered) || len(row.EntryNumbers) != 1 || row.Records != s.certs {
			fail("submission %s: status %s, entry numbers %v, records %d (want entered, one, %d)", s.id, row.Status, row.EntryNumbers, row.Records, s.certs)
		}
		if certs[s.id] != s.certs {
			fail("submission %s: %d certificates, want %d", s.id, certs[s.id], s.certs)
		}
		if n := notices[s.id+"/"+string(wf.NoticeEntry)]; n != 1 {
			fail("submission %s: %d entry notices, want 1", s.id, n)
		}
		for _, step := range []string{"received", "validated", "approved", "entered"} {
			if n := steps[s.id+"/"+step]; n != 1 {
				fail("submission %s: processing log has %q %d times, want once", s.id, step, n)
			}
		}
	}
	strays := 0
	for sub, n := range certs {
		if _, ok := want[sub]; !ok && sub != "examples" {
			strays += n
		}
	}
	if strays > 0 {
		fail("%d certificates of submissions the run did not make", strays)
	}
	if bad > 0 {
		tb.Errorf("%d exactly-once violations", bad)
	}
	return fmt.Sprintf("%d submissions: %d read-model rows entered once, %d certificates each once (%d expected), %d entry notices, processing log steps received/validated/approved/entered once each",
		len(subs), rows, sumOf(certs, want), total, countSuffix(notices, "/"+string(wf.NoticeEntry), want))
}

func sumOf(m map[string]int, only map[string]int) int {
	n := 0
	for k, v := range m {
		if _, ok := only[k]; ok {
			n += v
		}
	}
	return n
}

func countSuffix(m map[string]int, suffix string, only map[string]int) int {
	n := 0
	for k, v := range m {
		if id, ok := strings.CutSuffix(k, suffix); ok {
			if _, mine := only[id]; mine {
				n += v
			}
		}
	}
	return n
}

// auditVerify runs `alusdok audit verify` against the database.
func (s settings) auditVerify(tb testing.TB, mongoURI, keyFile string) string {
	tb.Helper()
	cmd := exec.Command(s.alusdok, "audit", "verify", "--mongodb-uri", mongoURI, "--audit-key-file", keyFile)
	cmd.Env = minimalEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Errorf("alusdok audit verify: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// pdfAndTrust reads the signed example PDF and finds the test CA's
// directory.
func pdfAndTrust(tb testing.TB) ([]byte, string) {
	tb.Helper()
	pdf, err := os.ReadFile(filepath.Join("..", "..", "documents", "testdata", "examples", string(documents.CommitteeDecision)+".pdf"))
	if err != nil {
		tb.Fatal(err)
	}
	trust, err := filepath.Abs(filepath.Join("..", "..", "documents", "testdata", "trust"))
	if err != nil {
		tb.Fatal(err)
	}
	return pdf, trust
}

func mongoDB(tb testing.TB, uri, name string) *mongo.Database {
	tb.Helper()
	mc, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(time.Minute))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = mc.Disconnect(context.Background()) })
	return mc.Database(name)
}
