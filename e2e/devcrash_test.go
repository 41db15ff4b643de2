package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
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

	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/codec"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/devstack"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// devRun is one "alusdok dev" on a data directory that outlives its
// processes, as a register's does across crashes and restarts.
type devRun struct {
	t        *testing.T
	bin      string
	args     []string
	log      string
	data     string
	spool    string
	base     string // http://host:port/api/v1
	temporal string
	mongo    string
	proc     *workerProcess
	body     string // the awarding body's demo submitter key
	clerk    string // the demo clerk key
	http     *http.Client
}

func newDevRun(t *testing.T) *devRun {
	port := func() string {
		p, err := devstack.FreePort("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(p)
	}
	httpAddr, tport, mport := "127.0.0.1:"+port(), port(), port()
	trust, err := filepath.Abs("../documents/testdata/trust")
	if err != nil {
		t.Fatal(err)
	}
	d := &devRun{
		t: t, bin: buildAlusdok(t), log: filepath.Join(t.TempDir(), "dev.log"), spool: t.TempDir(),
		base: "http://" + httpAddr + "/api/v1", temporal: "127.0.0.1:" + tport, mongo: "mongodb://127.0.0.1:" + mport + "/",
		http: &http.Client{Timeout: 2 * time.Minute},
	}
	d.data = t.TempDir()
	d.args = []string{"dev", "--data", d.data, "--http-addr", httpAddr, "--temporal-port", tport,
		"--temporal-ui-port", "0", "--mongodb-port", mport, "--trust-dir", trust, "--log-level", "warn",
		"--shutdown-timeout", "60s", "--rate-limit", "0"}
	t.Cleanup(func() {
		if t.Failed() {
			dumpLog(t, d.log)
		}
	})
	return d
}

// start starts alusdok dev and waits until it is ready.
func (d *devRun) start() {
	d.t.Helper()
	// Upload parts are spooled to TMPDIR: the test's own, so that what a
	// killed request leaves there can be checked.
	d.proc = startWorkerProcess(d.t, d.bin, d.args, d.log, "TMPDIR="+d.spool)
	waitFor(d.t, 3*time.Minute, "alusdok dev ready", d.proc, func() (bool, error) {
		resp, err := http.Get(strings.TrimSuffix(d.base, "/api/v1") + "/readyz")
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
}

// keys reads the demo keys that the first start printed.
func (d *devRun) keys() {
	d.t.Helper()
	f, err := os.Open(d.log)
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		switch {
		case len(fs) == 3 && fs[0] == "submitter" && fs[1] == examples.ElectriciansUnion && strings.HasPrefix(fs[2], "adk_"):
			d.body = fs[2]
		case len(fs) == 3 && fs[0] == "clerk" && strings.HasPrefix(fs[2], "adk_"):
			d.clerk = fs[2]
		}
	}
	if d.body == "" || d.clerk == "" {
		d.t.Fatalf("no demo keys printed by the first start")
	}
}

// do sends a request; code 0 means no answer (the connection failed).
func (d *devRun) do(method, path, key, contentType string, body []byte, header map[string]string) (int, []byte) {
	req, err := http.NewRequest(method, d.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil
	}
	req.Header.Set("X-API-Key", key)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (d *devRun) get(path string, v any) int {
	code, b := d.do(http.MethodGet, path, d.clerk, "", nil, nil)
	if code == http.StatusOK && v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			d.t.Errorf("GET %s: %v", path, err)
		}
	}
	return code
}

func (d *devRun) approve(id string) (int, []byte) {
	return d.do(http.MethodPost, "/submissions/"+id+"/decision", d.clerk, "application/json", []byte(`{"action":"approve"}`), nil)
}

// TestDevSurvivesKillsAndStopsCleanlyOnSIGTERM_R12_R17 runs `alusdok dev`
// as a register runs: its process SIGKILLed while documents are uploaded
// and validated, and again while they are entered and their notices made;
// SIGTERMed while clerks' decisions are in flight. Every accepted
// submission reaches its final state and is in the worklist at each step;
// every certificate and notice exists exactly once; the processing log is
// whole; SIGTERM exits 0 with no decision answered 5xx; after the janitor
// nothing is left over.
func TestDevSurvivesKillsAndStopsCleanlyOnSIGTERM_R12_R17(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and restarts alusdok dev four times; run without -short")
	}
	const n = 10
	d := newDevRun(t)
	d.start()
	d.keys()

	_, pdf := readExample(t, "committee-decision")
	holders := examples.GenerateCommitteeDecision(2 * n).Payload.Certificates
	forms, types := make([][]byte, n), make([]string, n)
	var numbers []string
	for i := range n {
		doc := examples.GenerateCommitteeDecision(2)
		doc.Number = fmt.Sprintf("EK-2025/K%d", i)
		doc.Payload.Certificates = append(doc.Payload.Certificates[:0:0], holders[2*i:2*i+2]...)
		for j := range doc.Payload.Certificates {
			doc.Payload.Certificates[j].Number = fmt.Sprintf("K%03d-%d", i, j)
			numbers = append(numbers, doc.Payload.Certificates[j].Number)
		}
		meta, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		forms[i], types[i] = multipartForm(t, meta, pdf)
	}
	submit := func(i int) (int, string, []byte) {
		code, b := d.do(http.MethodPost, "/submissions", d.body, types[i], forms[i], map[string]string{"Idempotency-Key": fmt.Sprint("crash-", i)})
		var rc struct{ ID string }
		_ = json.Unmarshal(b, &rc)
		return code, rc.ID, b
	}

	// 1. Uploads (and the validations they start), killed after the first
	// answers.
	var answered atomic.Int32
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			codes[i], _, _ = submit(i)
			answered.Add(1)
		})
	}
	eventually(t, 2*time.Minute, "first uploads answered", func() (bool, error) { return answered.Load() >= 2, nil })
	d.proc.kill(t)
	wg.Wait()
	t.Logf("SIGKILL during uploads: answers before the kill %v", codes)

	// 2. Restarted, the clients retry with their Idempotency-Keys: each
	// document is one submission, in the worklist, in review.
	d.start()
	ids := make([]string, n)
	seen := map[string]bool{}
	for i := range n {
		code, id, body := submit(i)
		if code != http.StatusAccepted && code != http.StatusOK || id == "" || seen[id] {
			t.Fatalf("upload %d retried: %d, id %q (seen: %v): %s", i, code, id, seen[id], body)
		}
		ids[i], seen[id] = id, true
	}
	d.waitWorklist(ids, wf.StatusInReview)

	// 3. Half approved, killed while they are entered and notified.
	answered.Store(0)
	for _, id := range ids[:n/2] {
		wg.Go(func() {
			d.approve(id)
			answered.Add(1)
		})
	}
	eventually(t, 2*time.Minute, "first approvals answered", func() (bool, error) { return answered.Load() >= 1, nil })
	d.proc.kill(t)
	wg.Wait()
	d.start()
	d.settle(ids[:n/2])

	// 4. The other half approved, SIGTERM while the decisions are in
	// flight: the API finishes them (no 5xx), then the worker stops; exit 0.
	var fivexx atomic.Int32
	for _, id := range ids[n/2:] {
		wg.Go(func() {
			if code, b := d.approve(id); code >= 500 {
				fivexx.Add(1)
				t.Logf("approval during SIGTERM answered %d: %s", code, b)
			}
		})
	}
	eventually(t, time.Minute, "an approval under way", func() (bool, error) {
		var list struct{ Total int }
		d.get("/submissions?status=entering,entered", &list)
		return list.Total > n/2, nil
	})
	termAt := time.Now()
	if err := d.proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-d.proc.exited
	wg.Wait()
	if d.proc.err != nil {
		t.Errorf("alusdok dev after SIGTERM: %v, want exit 0", d.proc.err)
	}
	if fivexx.Load() > 0 {
		t.Errorf("%d decisions answered 5xx during the shutdown", fivexx.Load())
	}
	t.Logf("SIGTERM: stopped in %s", time.Since(termAt).Round(time.Millisecond))

	// 5. Restarted: everything entered exactly once.
	d.start()
	d.settle(ids)
	for _, id := range ids {
		var notices struct {
			Items []struct{ Type string }
		}
		// The entry notice follows the entry's answer: written in a moment.
		waitFor(t, time.Minute, "the entry notice of "+id, d.proc, func() (bool, error) {
			d.get("/submissions/"+id+"/notices", &notices)
			return len(notices.Items) > 0, nil
		})
		if len(notices.Items) != 1 || notices.Items[0].Type != string(wf.NoticeEntry) {
			t.Errorf("submission %s: notices %+v, want exactly one entry notice", id, notices.Items)
		}
		var sub struct {
			EntryNumbers []string
			Records      int
		}
		d.get("/submissions/"+id, &sub)
		if len(sub.EntryNumbers) != 1 || sub.Records != 2 {
			t.Errorf("submission %s: entries %v, records %d", id, sub.EntryNumbers, sub.Records)
		}
	}
	for _, num := range numbers {
		if code := d.get("/register/certificates/"+num, nil); code != http.StatusOK {
			t.Errorf("certificate %s: %d", num, code)
		}
	}
	out, err := exec.Command(d.bin, "audit", "verify", "--mongodb-uri", d.mongo, "--audit-key-file", filepath.Join(d.data, "audit-key")).CombinedOutput()
	if err != nil {
		t.Errorf("audit verify: %v\n%s", err, out)
	}

	// 6. The janitor leaves nothing over: after its run a second one finds
	// nothing, and no upload part is left spooled.
	// alusdok dev made its payload key in its data directory on the first
	// start: the janitor's input and result are encrypted with it.
	keys, err := codec.LoadKeys(filepath.Join(d.data, "codec-keys"))
	if err != nil {
		t.Fatal(err)
	}
	tc, err := client.Dial(client.Options{HostPort: d.temporal, Namespace: devstack.Namespace, DataConverter: keys.DataConverter()})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	sweep := func(name string) wf.SweepResult {
		run, err := tc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: name, TaskQueue: wf.TaskQueue},
			wf.JanitorWorkflow, wf.JanitorInput{Grace: -time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		var res wf.SweepResult
		if err := run.Get(context.Background(), &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	t.Logf("janitor: %+v", sweep("janitor-1"))
	if res := sweep("janitor-2"); res != (wf.SweepResult{}) {
		t.Errorf("a second janitor run still found %+v", res)
	}
	if left, _ := filepath.Glob(filepath.Join(d.spool, "multipart-*")); len(left) > 0 {
		t.Errorf("spooled parts left: %v", left)
	}
	// Everything is still there after the janitor.
	for _, num := range numbers[:2] {
		if code := d.get("/register/certificates/"+num, nil); code != http.StatusOK {
			t.Errorf("certificate %s after the janitor: %d", num, code)
		}
	}
	if code, _ := d.do(http.MethodGet, "/submissions/"+ids[0]+"/document", d.clerk, "", nil, nil); code != http.StatusOK {
		t.Errorf("the original document after the janitor: %d", code)
	}
	if err := d.proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-d.proc.exited
	if d.proc.err != nil {
		t.Errorf("the last SIGTERM: %v", d.proc.err)
	}
}

// waitWorklist waits until the clerks' worklist lists every id with status.
func (d *devRun) waitWorklist(ids []string, status wf.Status) {
	d.t.Helper()
	waitFor(d.t, 3*time.Minute, "worklist shows every submission "+string(status), d.proc, func() (bool, error) {
		var list struct {
			Items []struct{ ID, Status string }
		}
		if code := d.get("/submissions?size=500", &list); code != http.StatusOK {
			return false, nil
		}
		got := map[string]string{}
		for _, it := range list.Items {
			got[it.ID] = it.Status
		}
		for _, id := range ids {
			if got[id] != string(status) {
				return false, nil
			}
		}
		return true, nil
	})
}

// settle approves again whatever is still in review (an approval the kill
// lost before it reached the workflow) until every id is entered.
func (d *devRun) settle(ids []string) {
	d.t.Helper()
	waitFor(d.t, 5*time.Minute, "every submission entered", d.proc, func() (bool, error) {
		done := true
		for _, id := range ids {
			var sub struct{ Status string }
			if d.get("/submissions/"+id, &sub) != http.StatusOK {
				return false, nil
			}
			switch wf.Status(sub.Status) {
			case wf.StatusEntered:
			case wf.StatusInReview:
				d.approve(id)
				done = false
			default:
				done = false
			}
		}
		return done, nil
	})
	d.waitWorklist(ids, wf.StatusEntered)
}
