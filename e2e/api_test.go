package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.temporal.io/api/workflowservice/v1"
	"gopkg.in/yaml.v3"

	"github.com/kutsekoda/alusdok/api"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// The callers of the API tests: one API key each, made in the test's
// database; public is the anonymous public (no credentials).
const (
	public     = ""
	kutsekoda  = "kutsekoda"  // Kutsekoda's submitter
	body       = "body"       // the example awarding body's submitter (examples.ElectriciansUnion)
	otherBody  = "other-body" // another awarding body's submitter (examples.RefrigerationUnion)
	clerk      = "clerk"
	supervisor = "supervisor"
	person     = "person" // the holder of the committee decision's first certificate
	badKey     = "bad-key"
)

// holder is the committee decision's first certificate's holder, the
// person whose key the tests use.
var holder = examples.Document(documents.CommitteeDecision).Payload.Certificates[0]

// apiStack is alusdok's HTTP API — the real router on httptest — over the
// embedded stack, with a key for every caller.
type apiStack struct {
	sys  *system
	srv  *httptest.Server
	keys map[string]string
	spec *openAPIDoc
}

// startAPI wires alusdok on a fresh database (start) and serves its router
// as internal/app.Run builds it, with maxBody as the body cap (0: the
// configured one) and no rate limit (the configuration's default).
func startAPI(tb testing.TB, maxBody int64) *apiStack {
	tb.Helper()
	sys := start(tb, defaults(tb))
	w, cl := sys.wiring, sys.clients
	if maxBody == 0 {
		maxBody = int64(w.Limits.MaxBody)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	deps := api.Deps{Logger: log, Checks: cl.Checks(), Store: w.Store, Intake: w.Intake, Temporal: cl.Temporal,
		Audit: w.Audit, Access: w.Access, Keys: w.Keys, MaxBody: maxBody, Metrics: api.NewMetrics(),
		TrustedProxies: w.Limits.TrustedProxies, TaskQueue: w.TaskQueue}
	deps.Metrics.WatchSubmissions(w.Store)
	if w.Tokens != nil {
		deps.Tokens = w.Tokens
	}
	if w.Limits.Rate > 0 {
		deps.Limiter = api.NewRateLimiter(w.Limits.Rate, w.Limits.Burst)
	}
	gin.SetMode(gin.TestMode)
	srv := httptest.NewServer(api.NewRouter(deps))
	tb.Cleanup(srv.Close)
	a := &apiStack{sys: sys, srv: srv, keys: map[string]string{}, spec: loadOpenAPI(tb)}
	specs := map[string]auth.KeySpec{
		kutsekoda:  {Role: auth.RoleSubmitter, Organisation: auth.Kutsekoda, Name: "Kutsekoda, registriosakond"},
		body:       {Role: auth.RoleSubmitter, Organisation: examples.ElectriciansUnion, Name: "Eesti Elektritööde Ettevõtjate Liit, infosüsteem"},
		otherBody:  {Role: auth.RoleSubmitter, Organisation: examples.RefrigerationUnion, Name: "Eesti Külmatehnika Liit, infosüsteem"},
		clerk:      {Role: auth.RoleClerk, Name: "Menetleja (test)"},
		supervisor: {Role: auth.RoleSupervisor, Name: "Järelevalve (test)"},
		person:     {Role: auth.RolePerson, PersonalCode: holder.PersonalCode, Name: "Isik (test)"},
	}
	for who, spec := range specs {
		k, err := w.Keys.Create(context.Background(), spec)
		if err != nil {
			tb.Fatalf("key for %s: %v", who, err)
		}
		a.keys[who] = k.Key
	}
	a.keys[badKey] = "adk_notakey_0000000000000000"
	return a
}

// response is one answer of the API.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string {
	b := r.body
	if len(b) > 600 {
		b = b[:600]
	}
	return fmt.Sprintf("%d %s %s", r.status, r.header.Get("Content-Type"), b)
}

// json decodes the body into v.
func (r response) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("decode %s: %v", r, err)
	}
}

// request is what do sends.
type request struct {
	who         string
	method      string
	path        string // with the query
	body        io.Reader
	contentType string
	header      map[string]string
	chunked     bool // send the body without Content-Length
}

// do sends a request as rq.who and checks the answer against openapi.yaml:
// its status must be one the operation lists, its content type one the
// status lists, and a JSON body must fit the schema.
func (a *apiStack) do(tb testing.TB, rq request) response {
	tb.Helper()
	body := rq.body
	if rq.chunked && body != nil {
		body = io.MultiReader(body) // hides the length: sent chunked
	}
	req, err := http.NewRequest(rq.method, a.srv.URL+rq.path, body)
	if err != nil {
		tb.Fatal(err)
	}
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	if rq.who != public {
		key, ok := a.keys[rq.who]
		if !ok {
			tb.Fatalf("no key for %q", rq.who)
		}
		req.Header.Set("X-API-Key", key)
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	res, err := a.srv.Client().Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", rq.method, rq.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read: %v", rq.method, rq.path, err)
	}
	r := response{status: res.StatusCode, header: res.Header, body: b}
	a.spec.conform(tb, rq.method, strings.SplitN(rq.path, "?", 2)[0], r)
	return r
}

func (a *apiStack) get(tb testing.TB, who, path string) response {
	tb.Helper()
	return a.do(tb, request{who: who, method: http.MethodGet, path: path})
}

func (a *apiStack) postJSON(tb testing.TB, who, path string, v any) response {
	tb.Helper()
	var b []byte
	switch v := v.(type) {
	case nil:
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			tb.Fatal(err)
		}
	}
	return a.do(tb, request{who: who, method: http.MethodPost, path: path, body: bytes.NewReader(b), contentType: "application/json"})
}

// upload posts a multipart form with a document and a metadata part (nil
// leaves the part out) to path.
func (a *apiStack) upload(tb testing.TB, who, path string, meta, pdf []byte, header map[string]string) response {
	tb.Helper()
	b, ct := multipartForm(tb, meta, pdf)
	return a.do(tb, request{who: who, method: http.MethodPost, path: path, body: bytes.NewReader(b), contentType: ct, header: header})
}

func multipartForm(tb testing.TB, meta, pdf []byte) ([]byte, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if pdf != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="document"; filename="alusdokument.pdf"`)
		h.Set("Content-Type", "application/pdf")
		p, err := mw.CreatePart(h)
		if err != nil {
			tb.Fatal(err)
		}
		p.Write(pdf)
	}
	if meta != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="metadata"; filename="metadata.json"`)
		h.Set("Content-Type", "application/json")
		p, err := mw.CreatePart(h)
		if err != nil {
			tb.Fatal(err)
		}
		p.Write(meta)
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// receipt is the API's answer to an accepted upload.
type receipt struct {
	ID         string       `json:"id"`
	Status     wf.Status    `json:"status"`
	ReceivedAt time.Time    `json:"receivedAt"`
	Deadlines  wf.Deadlines `json:"deadlines"`
	Late       bool         `json:"late"`
}

// submissionView is the API's submission, as a client decodes it.
type submissionView struct {
	ID               string          `json:"id"`
	Status           wf.Status       `json:"status"`
	Turn             wf.Turn         `json:"turn"`
	Assignee         string          `json:"assignee"`
	Organisation     string          `json:"organisation"`
	SubmitterName    string          `json:"submitterName"`
	Kind             string          `json:"kind"`
	Number           string          `json:"number"`
	DecisionDate     string          `json:"decisionDate"`
	Title            string          `json:"title"`
	Records          int             `json:"records"`
	ReceivedAt       time.Time       `json:"receivedAt"`
	FirstReceivedAt  time.Time       `json:"firstReceivedAt"`
	Late             bool            `json:"late"`
	Deadlines        wf.Deadlines    `json:"deadlines"`
	Escalated        bool            `json:"escalated"`
	CorrectionRounds int             `json:"correctionRounds"`
	Deficiencies     deficiency.List `json:"deficiencies"`
	Uploads          []wf.Upload     `json:"uploads"`
	Notices          []wf.Notice     `json:"notices"`
	Extensions       []wf.Extension  `json:"extensions"`
	EntryNumbers     []string        `json:"entryNumbers"`
	Reason           string          `json:"reason"`
	DecidedAt        time.Time       `json:"decidedAt"`
	UpdatedAt        time.Time       `json:"updatedAt"`
	Overdue          bool            `json:"overdue"`
}

type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail"`
	Errors []problemError `json:"errors"`
}

type problemError struct {
	Field    string `json:"field"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  struct {
		ET string `json:"et"`
		EN string `json:"en"`
	} `json:"message"`
}

// problemOf checks that r is a problem+json of the status and decodes it.
func problemOf(tb testing.TB, r response, status int) problem {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("want %d, got %s", status, r)
	}
	if ct, _, _ := mime.ParseMediaType(r.header.Get("Content-Type")); ct != api.ProblemContentType {
		tb.Fatalf("want %s, got %s", api.ProblemContentType, r)
	}
	var p problem
	r.json(tb, &p)
	if p.Status != status || p.Type == "" || p.Title == "" {
		tb.Fatalf("problem: %+v", p)
	}
	return p
}

// hasError reports whether the problem names field (with the code, when
// given) among its errors.
func (p problem) hasError(field, code string) bool {
	return slices.ContainsFunc(p.Errors, func(e problemError) bool {
		return e.Field == field && (code == "" || e.Code == code) && e.Message.ET != "" && e.Message.EN != ""
	})
}

func (p problem) fields() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field+" "+e.Code)
	}
	return out
}

// submit uploads an example as who and expects 202.
func (a *apiStack) submit(tb testing.TB, who string, meta, pdf []byte, idempotencyKey string) receipt {
	tb.Helper()
	var h map[string]string
	if idempotencyKey != "" {
		h = map[string]string{"Idempotency-Key": idempotencyKey}
	}
	r := a.upload(tb, who, "/api/v1/submissions", meta, pdf, h)
	if r.status != http.StatusAccepted {
		tb.Fatalf("submit as %s: %s", who, r)
	}
	var rc receipt
	r.json(tb, &rc)
	if rc.ID == "" || r.header.Get("Location") != "/api/v1/submissions/"+rc.ID {
		tb.Fatalf("receipt %+v, Location %q", rc, r.header.Get("Location"))
	}
	return rc
}

// waitStatus polls GET /submissions/{id} as the clerk until the status is
// want.
func (a *apiStack) waitStatus(tb testing.TB, id string, want wf.Status) submissionView {
	tb.Helper()
	var sub submissionView
	eventually(tb, 30*time.Second, "submission "+id+" "+string(want), func() (bool, error) {
		r := a.get(tb, clerk, "/api/v1/submissions/"+id)
		if r.status != http.StatusOK {
			return false, fmt.Errorf("get: %s", r)
		}
		sub = submissionView{}
		r.json(tb, &sub)
		return sub.Status == want, nil
	})
	if want.Final() {
		// As waitStatus: the row once what follows a final step is written.
		waitClosed(tb, a.sys, id)
		r := a.get(tb, clerk, "/api/v1/submissions/"+id)
		sub = submissionView{}
		r.json(tb, &sub)
	}
	return sub
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestAPIEveryEndpointAnswersItsRoleWithItsShape_R11_R12_R13_R16_R19 walks
// one committee decision through the HTTP API — submitted by its awarding
// body, extended, sent back for corrections, corrected, approved — and a
// Kutsekoda government order that is withdrawn, calling every endpoint with
// a role that may, and checks each status and body (every answer is also
// checked against openapi.yaml).
func TestAPIEveryEndpointAnswersItsRoleWithItsShape_R11_R12_R13_R16_R19(t *testing.T) {
	a := startAPI(t, 0)
	meta, pdf := readExample(t, documents.CommitteeDecision)
	doc := examples.Document(documents.CommitteeDecision)

	// Operations.
	var health struct{ Status string }
	a.get(t, public, "/healthz").json(t, &health)
	if health.Status != "alive" {
		t.Errorf("healthz: %+v", health)
	}
	var ready struct {
		Status string
		Checks map[string]string
	}
	if r := a.get(t, public, "/readyz"); r.status != http.StatusOK {
		t.Errorf("readyz: %s", r)
	} else if r.json(t, &ready); ready.Status != "ready" || ready.Checks["temporal"] != "ok" || ready.Checks["mongodb"] != "ok" {
		t.Errorf("readyz: %+v", ready)
	}
	if r := a.get(t, public, "/openapi.yaml"); r.status != http.StatusOK || !bytes.Equal(r.body, a.spec.raw) {
		t.Errorf("openapi.yaml: %d, %d bytes; want the %d bytes of api/openapi.yaml", r.status, len(r.body), len(a.spec.raw))
	}

	// R11: the awarding body submits; Kutsekoda submits a government order.
	// The receipt carries the deadlines when the workflow computed them
	// within the handler's wait (3 s); a slow machine gets them from GET.
	rc := a.submit(t, body, meta, pdf, "")
	switch {
	case rc.Status == "" || rc.ReceivedAt.IsZero():
		t.Errorf("receipt: %+v", rc)
	case rc.Deadlines.Entry.IsZero():
		t.Logf("the receipt came before the deadlines: %+v", rc)
		if rc.Status != wf.StatusReceived {
			t.Errorf("receipt without deadlines in status %s", rc.Status)
		}
	case rc.Deadlines.LateMark.IsZero() || !rc.Late || !rc.Deadlines.Entry.After(rc.ReceivedAt):
		// The example decision is dated 2025-06-12: received now, it is late (R11.2).
		t.Errorf("receipt: %+v", rc)
	}
	id := rc.ID
	gmeta, gpdf := readExample(t, documents.GovernmentOrder)
	gid := a.submit(t, kutsekoda, gmeta, gpdf, "").ID
	sub := a.waitStatus(t, id, wf.StatusInReview)
	a.waitStatus(t, gid, wf.StatusInReview)
	if sub.Organisation != examples.ElectriciansUnion || sub.Kind != string(documents.CommitteeDecision) || sub.Number != doc.Number ||
		sub.Records != len(doc.Payload.Certificates) || len(sub.Uploads) != 1 || sub.Uploads[0].SHA256 != sha(pdf) || sub.Turn != wf.TurnClerk ||
		!sub.Late || sub.Deadlines.LateMark.IsZero() || !sub.Deadlines.Entry.After(sub.ReceivedAt) {
		t.Errorf("submission: %+v", sub)
	}

	// The worklist: a submitter its own organisation's; the clerk filters.
	var page struct {
		Items []submissionView
		Page  int
		Size  int
		Total int
	}
	ids := func() []string {
		var out []string
		for _, s := range page.Items {
			out = append(out, s.ID)
		}
		return out
	}
	a.get(t, body, "/api/v1/submissions").json(t, &page)
	if page.Total != 1 || !slices.Equal(ids(), []string{id}) || page.Page != 1 || page.Size != 50 {
		t.Errorf("the body's worklist: %+v", page)
	}
	a.get(t, clerk, "/api/v1/submissions?status=in-review,entered&kind=committee-decision&submitter="+examples.ElectriciansUnion+"&page=1&size=10").json(t, &page)
	if page.Total != 1 || !slices.Equal(ids(), []string{id}) || page.Size != 10 {
		t.Errorf("the clerk's filtered worklist: %+v", ids())
	}
	a.get(t, supervisor, "/api/v1/submissions?status=in-review&due-before=2999-01-01").json(t, &page)
	if page.Total != 2 {
		t.Errorf("due before 2999: %v", ids())
	}
	a.get(t, clerk, "/api/v1/submissions?overdue=true").json(t, &page)
	if page.Total != 0 {
		t.Errorf("overdue: %v", ids())
	}
	a.get(t, clerk, "/api/v1/submissions?size=1&page=2").json(t, &page)
	if page.Total != 2 || len(page.Items) != 1 {
		t.Errorf("page 2 of size 1: %+v", page)
	}
	for q, field := range map[string]string{"page=0": "query.page", "size=501": "query.size", "overdue=perhaps": "query.overdue", "due-before=tomorrow": "query.due-before"} {
		if p := problemOf(t, a.get(t, clerk, "/api/v1/submissions?"+q), 422); !p.hasError(field, "request.query") {
			t.Errorf("?%s: %v", q, p.fields())
		}
	}

	// One submission; its document byte for byte (R13.2).
	var got submissionView
	a.get(t, supervisor, "/api/v1/submissions/"+id).json(t, &got)
	if got.ID != id || got.Status != wf.StatusInReview || got.Overdue {
		t.Errorf("get: %+v", got)
	}
	for _, who := range []string{supervisor, body} {
		r := a.get(t, who, "/api/v1/submissions/"+id+"/document")
		if r.status != http.StatusOK || sha(r.body) != sha(pdf) || r.header.Get("X-Content-SHA256") != sha(pdf) {
			t.Errorf("document as %s: %d, sha256 %s, want %s", who, r.status, sha(r.body), sha(pdf))
		}
	}
	if r := a.get(t, clerk, "/api/v1/submissions/"+id+"/document?upload=1"); r.status != http.StatusOK || !bytes.Equal(r.body, pdf) {
		t.Errorf("document ?upload=1: %s", r)
	}
	if p := problemOf(t, a.get(t, clerk, "/api/v1/submissions/"+id+"/document?upload=2"), 422); !p.hasError("query.upload", "") {
		t.Errorf("?upload=2: %v", p.fields())
	}
	problemOf(t, a.get(t, clerk, "/api/v1/submissions/"+id+"/rendition"), 404) // not entered yet
	var notices struct{ Items []wf.Notice }
	a.get(t, body, "/api/v1/submissions/"+id+"/notices").json(t, &notices)
	if len(notices.Items) != 0 {
		t.Errorf("notices before any decision: %+v", notices)
	}

	// Corrections when none are awaited: 422, and the staged upload is gone.
	before := countStored(t, a)
	problemOf(t, a.upload(t, body, "/api/v1/submissions/"+id+"/corrections", meta, pdf, nil), 422)
	if after := countStored(t, a); after != before {
		t.Errorf("a refused correction left documents behind: %v, before %v", after, before)
	}

	// Decisions the workflow's validator refuses: 422 with the reason.
	if p := problemOf(t, a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", map[string]any{"action": "refuse"}), 422); !strings.Contains(p.Detail, "reason") {
		t.Errorf("refuse without a reason: %+v", p)
	}
	if p := problemOf(t, a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", "{}"), 422); !p.hasError("body", "request.json") {
		t.Errorf("a decision without an action: %+v", p)
	}
	problemOf(t, a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", map[string]any{"action": "extend", "workingDays": 21, "reason": "too long"}), 422)
	problemOf(t, a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", map[string]any{"action": "maybe"}), 422)

	// R12.3: extend by five working days, in writing.
	var after submissionView
	r := a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", map[string]any{"action": "extend", "workingDays": 5, "reason": "Kutse andmise õigust kontrollitakse kutsenõukoguga."})
	if r.status != http.StatusOK {
		t.Fatalf("extend: %s", r)
	}
	r.json(t, &after)
	if after.Deadlines.ExtendedDays != 5 || len(after.Extensions) != 1 || !after.Deadlines.Entry.After(got.Deadlines.Entry) {
		t.Errorf("after extending: %+v", after.Deadlines)
	}

	// R12.2: request corrections; the body corrects.
	r = a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", map[string]any{"action": "request-corrections",
		"deficiencies": []map[string]any{{"field": "payload.certificates[0].placeOfIssue", "code": "inquiry", "severity": "error",
			"message": map[string]string{"et": "Väljaandmise koht vajab täpsustamist.", "en": "The place of issue needs clarifying."}}}})
	if r.status != http.StatusOK {
		t.Fatalf("request corrections: %s", r)
	}
	r.json(t, &after)
	if after.Status != wf.StatusAwaitingCorrections || after.Turn != wf.TurnSubmitter || len(after.Deficiencies) != 1 {
		t.Errorf("after requesting corrections: %s %s %+v", after.Status, after.Turn, after.Deficiencies)
	}
	r = a.upload(t, body, "/api/v1/submissions/"+id+"/corrections", meta, pdf, nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("corrections: %s", r)
	}
	var crc receipt
	r.json(t, &crc)
	if crc.ID != id || crc.Status != wf.StatusInReview {
		t.Errorf("corrections receipt: %+v", crc)
	}
	a.waitStatus(t, id, wf.StatusInReview)

	// R12.1: approve; the records are entered.
	r = a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", map[string]any{"action": "approve"})
	if r.status != http.StatusOK {
		t.Fatalf("approve: %s", r)
	}
	r.json(t, &after)
	if after.Status != wf.StatusEntering && after.Status != wf.StatusEntered {
		t.Errorf("after approving: %s", after.Status)
	}
	entered := a.waitStatus(t, id, wf.StatusEntered)
	if len(entered.EntryNumbers) == 0 || entered.CorrectionRounds != 1 || len(entered.Uploads) != 2 {
		t.Errorf("entered: %+v", entered)
	}
	problemOf(t, a.postJSON(t, clerk, "/api/v1/submissions/"+id+"/decision", map[string]any{"action": "approve"}), 422)

	// The stamped rendition and the written notices (R12.4).
	if r := a.get(t, body, "/api/v1/submissions/"+id+"/rendition"); r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("%PDF-")) || r.header.Get("X-Content-SHA256") != sha(r.body) {
		t.Errorf("rendition: %d %q", r.status, r.body[:min(len(r.body), 8)])
	}
	eventually(t, 20*time.Second, "three notices", func() (bool, error) {
		a.get(t, body, "/api/v1/submissions/"+id+"/notices").json(t, &notices)
		return len(notices.Items) == 3, nil
	})
	var types []wf.NoticeType
	for _, n := range notices.Items {
		types = append(types, n.Type)
		r := a.get(t, body, "/api/v1/submissions/"+id+"/notices/"+strconv.Itoa(n.Seq))
		if r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("%PDF-")) || r.header.Get("X-Content-SHA256") != sha(r.body) {
			t.Errorf("notice %d: %s", n.Seq, r)
		}
	}
	if !slices.Equal(types, []wf.NoticeType{wf.NoticeExtension, wf.NoticeCorrectionRequest, wf.NoticeEntry}) {
		t.Errorf("notices: %v", types)
	}
	problemOf(t, a.get(t, clerk, "/api/v1/submissions/"+id+"/notices/4"), 404)
	problemOf(t, a.get(t, clerk, "/api/v1/submissions/"+id+"/notices/x"), 404)

	// Withdrawal before a decision; not twice.
	r = a.postJSON(t, kutsekoda, "/api/v1/submissions/"+gid+"/withdraw", map[string]string{"reason": "Esitatud ekslikult."})
	if r.status != http.StatusOK {
		t.Fatalf("withdraw: %s", r)
	}
	r.json(t, &after)
	if after.Status != wf.StatusWithdrawn || after.Reason != "Esitatud ekslikult." {
		t.Errorf("withdrawn: %s %q", after.Status, after.Reason)
	}
	problemOf(t, a.postJSON(t, kutsekoda, "/api/v1/submissions/"+gid+"/withdraw", nil), 422)

	// The public register (R15).
	var councils struct{ Items []map[string]any }
	a.get(t, public, "/api/v1/register/councils").json(t, &councils)
	var standards, bodies struct {
		Items []struct{ Data map[string]any }
	}
	a.get(t, public, "/api/v1/register/standards").json(t, &standards)
	a.get(t, public, "/api/v1/register/awarding-bodies").json(t, &bodies)
	if len(councils.Items) == 0 || len(standards.Items) == 0 || len(bodies.Items) == 0 {
		t.Errorf("register: %d councils, %d standards, %d bodies", len(councils.Items), len(standards.Items), len(bodies.Items))
	}
	var stats struct {
		Items []struct {
			Year, StandardID, Level, Type, Count int
			Issuer                               string
		}
		Licence string
	}
	a.get(t, public, "/api/v1/register/certificates/statistics").json(t, &stats)
	counted := 0
	for _, s := range stats.Items {
		if s.Year == 2025 && s.Issuer == examples.ElectriciansUnion && s.StandardID == examples.ElectricianStandard {
			counted += s.Count
		}
	}
	if counted != len(doc.Payload.Certificates) || stats.Licence == "" {
		t.Errorf("statistics: %d certificates of 2025, want %d: %+v", counted, len(doc.Payload.Certificates), stats)
	}
	var cert map[string]any
	a.get(t, public, "/api/v1/register/certificates/"+holder.Number).json(t, &cert)
	if cert["number"] != holder.Number || cert["valid"] != true || cert["issuer"] != examples.ElectriciansUnion || cert["qualification"] != "Elektrik, tase 4" {
		t.Errorf("certificate: %v", cert)
	}
	problemOf(t, a.get(t, public, "/api/v1/register/certificates/"+holder.Number+"?type=2"), 404)
	if p := problemOf(t, a.get(t, public, "/api/v1/register/certificates/"+holder.Number+"?type=9"), 422); !p.hasError("query.type", "") {
		t.Errorf("?type=9: %v", p.fields())
	}

	// R16.3: the person's own data, with who read it (the supervisor and
	// the body read the document above).
	var me struct {
		Certificates []struct {
			Certificate  documents.Certificate
			EntryNumber  string
			Submission   string
			BaseDocument documents.DecisionRef
		}
		ProcessingLog []struct{ SubmissionID, Action string }
		DataAccess    []struct {
			Who  struct{ Role, Name string }
			What string
		}
	}
	a.get(t, person, "/api/v1/me/certificates").json(t, &me)
	if len(me.Certificates) != 1 || me.Certificates[0].Certificate.Number != holder.Number || me.Certificates[0].Submission != id ||
		me.Certificates[0].EntryNumber == "" || me.Certificates[0].BaseDocument.Number != doc.Number {
		t.Errorf("me: %+v", me.Certificates)
	}
	if len(me.ProcessingLog) == 0 || slices.ContainsFunc(me.ProcessingLog, func(e struct{ SubmissionID, Action string }) bool { return e.SubmissionID != id }) {
		t.Errorf("me: processing log %+v", me.ProcessingLog)
	}
	if !slices.ContainsFunc(me.DataAccess, func(e struct {
		Who  struct{ Role, Name string }
		What string
	}) bool {
		return e.Who.Role == string(auth.RoleSupervisor)
	}) {
		t.Errorf("me: the supervisor's read of the document is not in the data-access log: %+v", me.DataAccess)
	}

	// R19.2: the processing log, filtered and paged.
	var log struct {
		Items []struct {
			Seq          int64
			SubmissionID string
			Action       string
			Actor        string
		}
	}
	a.get(t, supervisor, "/api/v1/audit?submission="+id).json(t, &log)
	if len(log.Items) < 4 || slices.ContainsFunc(log.Items, func(e struct {
		Seq          int64
		SubmissionID string
		Action       string
		Actor        string
	}) bool {
		return e.SubmissionID != id
	}) {
		t.Errorf("audit of %s: %+v", id, log.Items)
	}
	first, n := log.Items[0].Seq, len(log.Items)
	a.get(t, supervisor, "/api/v1/audit?submission="+id+"&after="+strconv.FormatInt(first, 10)+"&from=2000-01-01&to=2999-01-01").json(t, &log)
	if len(log.Items) != n-1 {
		t.Errorf("audit after %d: %d entries, want %d", first, len(log.Items), n-1)
	}
	for _, q := range []string{"from", "to", "after"} {
		if p := problemOf(t, a.get(t, supervisor, "/api/v1/audit?"+q+"=yesterday"), 422); !p.hasError("query."+q, "") {
			t.Errorf("?%s=yesterday: %v", q, p.fields())
		}
	}

	// Metrics are the supervisor's, count by route template, never by id,
	// and carry the read model's and intake's operator metrics.
	if m := a.get(t, public, "/metrics"); m.status != http.StatusUnauthorized {
		t.Errorf("metrics for the public: %d, want 401", m.status)
	}
	m := a.get(t, supervisor, "/metrics")
	if m.status != http.StatusOK || !bytes.Contains(m.body, []byte(`route="/api/v1/submissions/:id"`)) || bytes.Contains(m.body, []byte(id)) {
		t.Errorf("metrics: %d, %d bytes", m.status, len(m.body))
	}
	for _, want := range []string{`alusdok_submissions{status=`, `alusdok_submissions_overdue `, `alusdok_submissions_escalated `} {
		if !bytes.Contains(m.body, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestRoleTableAnotherOrganisationsSubmissionIsNotFound_R11_1_R19_2 calls
// the submission endpoints as every role on a submission of the awarding
// body and one of Kutsekoda: another organisation's submission is 404 (not
// 403: its existence is not told), a role that may not use an endpoint 403,
// the public 401 — and nothing is changed by the refused requests.
func TestRoleTableAnotherOrganisationsSubmissionIsNotFound_R11_1_R19_2(t *testing.T) {
	a := startAPI(t, 0)
	meta, pdf := readExample(t, documents.CommitteeDecision)
	gmeta, gpdf := readExample(t, documents.GovernmentOrder)
	s := a.submit(t, body, meta, pdf, "").ID
	k := a.submit(t, kutsekoda, gmeta, gpdf, "").ID
	a.waitStatus(t, s, wf.StatusInReview)
	a.waitStatus(t, k, wf.StatusInReview)
	eventually(t, 10*time.Second, "both workflows visible", func() (bool, error) { return len(workflowsOn(t, a)) == 2, nil })
	before := countDocs(t, a)

	form, ct := multipartForm(t, meta, pdf)
	sp, kp := "/api/v1/submissions/"+s, "/api/v1/submissions/"+k
	type row struct {
		method, path string
		want         map[string]int
	}
	all := func(status int, except map[string]int) map[string]int {
		m := map[string]int{}
		for _, who := range []string{public, kutsekoda, body, otherBody, clerk, supervisor, person, badKey} {
			m[who] = status
		}
		for who, st := range except {
			m[who] = st
		}
		return m
	}
	// staffRead is the answer of a read of the body's submission s.
	staffRead := all(404, map[string]int{public: 401, badKey: 401, person: 403, body: 200, clerk: 200, supervisor: 200})
	table := []row{
		{"GET", sp, staffRead},
		{"GET", sp + "/document", staffRead},
		{"GET", sp + "/notices", staffRead},
		{"GET", kp, all(404, map[string]int{public: 401, badKey: 401, person: 403, kutsekoda: 200, clerk: 200, supervisor: 200})},
		{"GET", kp + "/document", all(404, map[string]int{public: 401, badKey: 401, person: 403, kutsekoda: 200, clerk: 200, supervisor: 200})},
		// Not entered: 404 for all who may see it, and for who may not.
		{"GET", sp + "/rendition", all(404, map[string]int{public: 401, badKey: 401, person: 403})},
		{"GET", sp + "/notices/1", all(404, map[string]int{public: 401, badKey: 401, person: 403})},
		{"GET", "/api/v1/submissions/00000000000000000000", all(404, map[string]int{public: 401, badKey: 401, person: 403})},
		{"GET", "/api/v1/submissions", all(200, map[string]int{public: 401, badKey: 401, person: 403})},
		// Writes refused before they change anything.
		{"POST", "/api/v1/submissions", all(403, map[string]int{public: 401, badKey: 401, kutsekoda: 0, body: 0, otherBody: 0})},
		{"POST", sp + "/corrections", all(403, map[string]int{public: 401, badKey: 401, kutsekoda: 404, otherBody: 404, body: 0})},
		{"POST", kp + "/corrections", all(403, map[string]int{public: 401, badKey: 401, body: 404, otherBody: 404, kutsekoda: 0})},
		{"POST", sp + "/decision", all(403, map[string]int{public: 401, badKey: 401, clerk: 0})},
		{"POST", sp + "/withdraw", all(403, map[string]int{public: 401, badKey: 401, kutsekoda: 404, otherBody: 404, body: 0})},
		{"POST", kp + "/withdraw", all(403, map[string]int{public: 401, badKey: 401, body: 404, otherBody: 404, kutsekoda: 0})},
		// A person's own data; the supervisor's log.
		{"GET", "/api/v1/me/certificates", all(403, map[string]int{public: 401, badKey: 401, person: 200})},
		{"GET", "/api/v1/audit", all(403, map[string]int{public: 401, badKey: 401, supervisor: 200})},
		// The public register: everyone, but refused credentials are 401.
		{"GET", "/api/v1/register/councils", all(200, map[string]int{badKey: 401})},
		{"GET", "/api/v1/register/standards", all(200, map[string]int{badKey: 401})},
		{"GET", "/api/v1/register/awarding-bodies", all(200, map[string]int{badKey: 401})},
		{"GET", "/api/v1/register/certificates/statistics", all(200, map[string]int{badKey: 401})},
		{"GET", "/api/v1/register/certificates/201587", all(200, map[string]int{badKey: 401})},
		// Not under /api/v1: no authentication at all.
		{"GET", "/healthz", all(200, nil)},
		{"GET", "/openapi.yaml", all(200, nil)},
	}
	for _, tt := range table {
		for who, want := range tt.want {
			if want == 0 {
				continue // a write this role may make: not in a table of refusals
			}
			t.Run(fmt.Sprintf("%s %s as %s", tt.method, strings.ReplaceAll(strings.ReplaceAll(tt.path, s, "S"), k, "K"), orPublic(who)), func(t *testing.T) {
				rq := request{who: who, method: tt.method, path: tt.path}
				if tt.method == http.MethodPost {
					rq.body, rq.contentType = bytes.NewReader(form), ct
					if strings.HasSuffix(tt.path, "/decision") || strings.HasSuffix(tt.path, "/withdraw") {
						rq.body, rq.contentType = strings.NewReader(`{"action":"approve","reason":"x"}`), "application/json"
					}
				}
				r := a.do(t, rq)
				if r.status != want {
					t.Fatalf("got %s, want %d", r, want)
				}
				if want >= 400 {
					problemOf(t, r, want)
				}
			})
		}
	}

	// A submitter's worklist is its own whatever it asks for.
	var page struct {
		Items []submissionView
		Total int
	}
	a.get(t, otherBody, "/api/v1/submissions?submitter="+examples.ElectriciansUnion).json(t, &page)
	if page.Total != 0 || len(page.Items) != 0 {
		t.Errorf("the other body's worklist shows %d submissions", page.Total)
	}
	a.get(t, body, "/api/v1/submissions?submitter="+auth.Kutsekoda).json(t, &page)
	if page.Total != 1 || page.Items[0].ID != s {
		t.Errorf("the body's worklist: %+v", page.Items)
	}

	// Every form of the credentials: the same principal.
	for name, h := range map[string]map[string]string{
		"Authorization: ApiKey":     {"Authorization": "ApiKey " + a.keys[clerk]},
		"Authorization: Bearer key": {"Authorization": "Bearer " + a.keys[clerk]},
	} {
		if r := a.do(t, request{who: public, method: "GET", path: sp, header: h}); r.status != http.StatusOK {
			t.Errorf("%s: %s", name, r)
		}
	}
	for name, h := range map[string]map[string]string{
		"two credentials":           {"Authorization": "ApiKey " + a.keys[clerk], "X-API-Key": a.keys[clerk]},
		"a token without an issuer": {"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"},
		"Basic":                     {"Authorization": "Basic Y2xlcms6Y2xlcms="},
	} {
		if r := a.do(t, request{who: public, method: "GET", path: "/api/v1/register/councils", header: h}); r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %s", name, r)
		}
	}

	// Nothing changed.
	for _, id := range []string{s, k} {
		var sub submissionView
		a.get(t, supervisor, "/api/v1/submissions/"+id).json(t, &sub)
		if sub.Status != wf.StatusInReview || len(sub.Uploads) != 1 || len(sub.Notices) != 0 {
			t.Errorf("%s after the refused requests: %s, %d uploads, %d notices", id, sub.Status, len(sub.Uploads), len(sub.Notices))
		}
	}
	if after := countDocs(t, a); after != before {
		t.Errorf("the refused requests left documents behind: %v, before %v", after, before)
	}
}

func orPublic(who string) string {
	if who == public {
		return "public"
	}
	return who
}

// docCounts is what a request could leave behind: staged uploads, read
// models, stored blobs and their chunks, and workflows on the test's task
// queue.
type docCounts struct {
	Uploads, Submissions, Files, Chunks int64
	Workflows                           string
}

func countDocs(tb testing.TB, a *apiStack) docCounts {
	tb.Helper()
	c := countStored(tb, a)
	c.Workflows = strings.Join(workflowsOn(tb, a), ",")
	return c
}

// countStored is countDocs without the workflows, for tests that cannot
// wait for Temporal's visibility store to catch up.
func countStored(tb testing.TB, a *apiStack) docCounts {
	tb.Helper()
	ctx := context.Background()
	db := a.sys.clients.DB
	var c docCounts
	for coll, n := range map[string]*int64{store.CollUploads: &c.Uploads, store.CollSubmissions: &c.Submissions,
		store.BucketDocuments + ".files": &c.Files, store.BucketDocuments + ".chunks": &c.Chunks} {
		var err error
		if *n, err = db.Collection(coll).CountDocuments(ctx, bson.D{}); err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

// workflowsOn lists the ids of the workflows on the test's task queue, as
// Temporal's visibility store knows them.
func workflowsOn(tb testing.TB, a *apiStack) []string {
	tb.Helper()
	var ids []string
	var token []byte
	for {
		res, err := a.sys.clients.Temporal.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
			Query: "TaskQueue = '" + a.sys.wiring.TaskQueue + "'", NextPageToken: token})
		if err != nil {
			tb.Fatalf("list workflows: %v", err)
		}
		for _, e := range res.GetExecutions() {
			ids = append(ids, e.GetExecution().GetWorkflowId())
		}
		if token = res.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	sort.Strings(ids)
	return ids
}

// TestAPIBadInputIsAProblemNamingTheFieldAndLeavesNothingBehind_R12_2
// sends deficient uploads: each is answered with a problem+json whose
// errors name the field, and none leaves an upload, a read model, a blob or
// a workflow behind.
func TestAPIBadInputIsAProblemNamingTheFieldAndLeavesNothingBehind_R12_2(t *testing.T) {
	const maxBody = 256 << 10
	a := startAPI(t, maxBody)
	meta, pdf := readExample(t, documents.CommitteeDecision)
	// One accepted submission first, so that "nothing new" is not "nothing
	// at all".
	id := a.submit(t, body, meta, pdf, "").ID
	a.waitStatus(t, id, wf.StatusInReview)
	eventually(t, 10*time.Second, "the workflow is visible", func() (bool, error) {
		return len(workflowsOn(t, a)) == 1, nil
	})
	before := countDocs(t, a)

	// The holder's personal code with another check digit.
	spoilt := holder.PersonalCode[:10] + strconv.Itoa((int(holder.PersonalCode[10]-'0')+1)%10)
	wrongCode := bytes.Replace(meta, []byte(holder.PersonalCode), []byte(spoilt), 1)
	if bytes.Equal(wrongCode, meta) {
		t.Fatal("the example has no personal code to spoil")
	}
	big := bytes.Repeat([]byte("%PDF-1.7\n"), maxBody/9+1000)
	tests := []struct {
		name    string
		who     string
		meta    []byte
		pdf     []byte
		raw     []byte // instead of a multipart form
		header  map[string]string
		chunked bool
		status  int
		field   string // the deficiency's field, "" for none expected
		code    string
	}{
		{name: "metadata that is not JSON", who: body, meta: []byte(`{"kind": "committee-decision", "number": `), pdf: pdf, status: 422, field: "metadata", code: "json.syntax"},
		{name: "a personal code with a wrong check digit", who: body, meta: wrongCode, pdf: pdf, status: 422,
			field: "metadata.payload.certificates[0].personalCode", code: "personal-code.check-digit"},
		{name: "certificates of another awarding body", who: otherBody, meta: meta, pdf: pdf, status: 422,
			field: "metadata.payload.certificates[0].issuer", code: "submitter.not-entitled"},
		{name: "a committee decision from Kutsekoda", who: kutsekoda, meta: meta, pdf: pdf, status: 422, field: "metadata.kind", code: "submitter.not-entitled"},
		{name: "a document that is not a PDF", who: body, meta: meta, pdf: []byte("Kutse andmise otsus, lihttekstina.\n"), status: 422, field: "document"},
		{name: "no document part", who: body, meta: meta, status: 422, field: "document", code: "request.document.missing"},
		{name: "no metadata part", who: body, pdf: pdf, status: 422, field: "metadata", code: "request.metadata.missing"},
		{name: "not a multipart form", who: body, raw: meta, status: 422, field: "", code: "request.multipart"},
		{name: "an oversized body", who: body, meta: meta, pdf: big, status: 413},
		{name: "an oversized chunked body", who: body, meta: meta, pdf: big, chunked: true, status: 413},
		{name: "an Idempotency-Key over 200 characters", who: body, meta: meta, pdf: pdf, header: map[string]string{"Idempotency-Key": strings.Repeat("k", 201)}, status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rq := request{who: tt.who, method: http.MethodPost, path: "/api/v1/submissions", header: tt.header, chunked: tt.chunked}
			if tt.raw != nil {
				rq.body, rq.contentType = bytes.NewReader(tt.raw), "application/json"
			} else {
				b, ct := multipartForm(t, tt.meta, tt.pdf)
				rq.body, rq.contentType = bytes.NewReader(b), ct
			}
			p := problemOf(t, a.do(t, rq), tt.status)
			if tt.status == 422 && !p.hasError(tt.field, tt.code) {
				t.Errorf("errors %v do not name %s %s", p.fields(), tt.field, tt.code)
			}
			if after := countDocs(t, a); after != before {
				t.Errorf("left behind: %+v, before %+v", after, before)
			}
		})
	}
}

// TestAPIIdempotencyKeyStartsOneSubmission_R11 sends the same upload with
// the same Idempotency-Key twice: one submission, one workflow, the repeat
// answered 200 with the same id and nothing stored. The key is the
// organisation's own: another organisation's equal key starts its own
// submission.
func TestAPIIdempotencyKeyStartsOneSubmission_R11(t *testing.T) {
	a := startAPI(t, 0)
	meta, pdf := readExample(t, documents.CommitteeDecision)
	first := a.submit(t, body, meta, pdf, "otsus-EK-2025/14")
	before := countStored(t, a)
	r := a.upload(t, body, "/api/v1/submissions", meta, pdf, map[string]string{"Idempotency-Key": "otsus-EK-2025/14"})
	if r.status != http.StatusOK {
		t.Fatalf("repeat: %s", r)
	}
	var again receipt
	r.json(t, &again)
	if again.ID != first.ID || r.header.Get("Location") != "/api/v1/submissions/"+first.ID {
		t.Errorf("repeat: id %s, want %s", again.ID, first.ID)
	}
	if after := countStored(t, a); after.Submissions != before.Submissions || after.Uploads != before.Uploads {
		t.Errorf("the repeat stored something: %+v, before %+v", after, before)
	}

	// Kutsekoda's equal key is another submission.
	gmeta, gpdf := readExample(t, documents.GovernmentOrder)
	if k := a.submit(t, kutsekoda, gmeta, gpdf, "otsus-EK-2025/14"); k.ID == first.ID {
		t.Error("another organisation's equal key found the body's submission")
	}

	var page struct{ Total int }
	a.get(t, clerk, "/api/v1/submissions").json(t, &page)
	if page.Total != 2 {
		t.Errorf("submissions: %d, want 2", page.Total)
	}
	eventually(t, 10*time.Second, "two workflows", func() (bool, error) { return len(workflowsOn(t, a)) == 2, nil })
}

// TestAPIIdempotencyKeyAtOnceStartsOneSubmissionAndKeepsItsDocument_R11_R13_2
// sends the same new upload with the same Idempotency-Key twice at once,
// for three documents whose PDF the store has not seen: one answer 202, the
// other 200, one id — and the one submission's document is still there,
// byte for byte.
//
// (Once a bug: the request that lost the race to start the workflow
// discarded its staged upload with pdfCreated=true and so deleted the
// content-addressed PDF blob that the winner's
// upload points at; store.PutBlob also reports created=true when its
// insert of the files document was a duplicate (insertOnce swallows the
// duplicate-key error); GET …/document then answered 404.)
func TestAPIIdempotencyKeyAtOnceStartsOneSubmissionAndKeepsItsDocument_R11_R13_2(t *testing.T) {
	a := startAPI(t, 0)
	// At once: both answers name one submission, whose document is whole.
	for _, kind := range []documents.Kind{documents.MinisterDirective, documents.StandardDecision, documents.AwardingRightDecision} {
		m, p := readExample(t, kind)
		key := "at-once-" + string(kind)
		var wg sync.WaitGroup
		res := make([]response, 2)
		for i := range res {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i] = a.upload(t, kutsekoda, "/api/v1/submissions", m, p, map[string]string{"Idempotency-Key": key})
			}()
		}
		wg.Wait()
		statuses := []int{res[0].status, res[1].status}
		slices.Sort(statuses)
		var r0, r1 receipt
		res[0].json(t, &r0)
		res[1].json(t, &r1)
		if !slices.Equal(statuses, []int{200, 202}) || r0.ID != r1.ID {
			t.Errorf("%s at once: %v, ids %s %s", kind, statuses, r0.ID, r1.ID)
			continue
		}
		if d := a.get(t, clerk, "/api/v1/submissions/"+r0.ID+"/document"); d.status != http.StatusOK || sha(d.body) != sha(p) {
			t.Errorf("%s at once: the document of the one submission: %s", kind, d)
		}
	}
	var page struct{ Total int }
	a.get(t, clerk, "/api/v1/submissions").json(t, &page)
	if page.Total != 3 {
		t.Errorf("submissions: %d, want 3", page.Total)
	}
}

// personalData is what R15.1 keeps out of public views: holders' personal
// codes, birth dates (both ways of writing them) and names.
type personalData struct {
	codes, dates []string
	names        map[string]bool
}

func (pd *personalData) add(c documents.Certificate) {
	if c.PersonalCode != "" {
		pd.codes = append(pd.codes, c.PersonalCode)
		if pc, err := documents.ParsePersonalCode(c.PersonalCode); err == nil {
			pd.addDate(pc.BirthDate)
		}
	}
	if !c.BirthDate.IsZero() {
		pd.addDate(c.BirthDate)
	}
	pd.names[c.GivenName] = true
	pd.names[c.FamilyName] = true
}

// datesOf is how c's holder's birth date is written, both ways.
func (pd *personalData) datesOf(c documents.Certificate) []string {
	p := &personalData{names: map[string]bool{}}
	p.add(c)
	return p.dates
}

func (pd *personalData) addDate(d documents.Date) {
	pd.dates = append(pd.dates, d.String(), fmt.Sprintf("%02d.%02d.%04d", d.Day(), int(d.Month()), d.Year()))
}

// leaks lists the personal data in body.
func (pd *personalData) leaks(body []byte) []string {
	var out []string
	s := string(body)
	for _, v := range append(slices.Clone(pd.codes), pd.dates...) {
		if strings.Contains(s, v) {
			out = append(out, v)
		}
	}
	for name := range pd.names {
		if containsWord(s, name) {
			out = append(out, name)
		}
	}
	return out
}

// containsWord reports whether w occurs in s as a whole word.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		r0, _ := utf8.DecodeLastRuneInString(s[:start])
		r1, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || !unicode.IsLetter(r0)) && (end == len(s) || !unicode.IsLetter(r1)) {
			return true
		}
		i = start + 1
	}
}

// TestPublicEndpointsLeakNoPersonalData_R15_1 enters the example committee
// decision and a generated one of 50 holders through the API (one
// certificate hidden at its holder's request), and then reads every public
// endpoint as the public — the register lists, the statistics, every
// certificate by its number, the operations endpoints, and the problem
// answers of bad and unknown requests — and finds no holder's personal
// code, birth date or name in any answer.
func TestPublicEndpointsLeakNoPersonalData_R15_1(t *testing.T) {
	a := startAPI(t, 0)
	meta, pdf := readExample(t, documents.CommitteeDecision)
	gen := examples.GenerateCommitteeDecision(50)
	hidden := &gen.Payload.Certificates[6]
	hidden.HideCertificate = true
	gen.Payload.Certificates[7].HideName = true
	gen.Payload.Certificates[8].HideBirthDate = true
	gmeta, err := json.Marshal(gen)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range [][]byte{meta, gmeta} {
		rc := a.submit(t, body, m, pdf, "")
		a.waitStatus(t, rc.ID, wf.StatusInReview)
		if r := a.postJSON(t, clerk, "/api/v1/submissions/"+rc.ID+"/decision", map[string]string{"action": "approve"}); r.status != http.StatusOK {
			t.Fatalf("approve: %s", r)
		}
		ids = append(ids, rc.ID)
	}
	for _, id := range ids {
		a.waitStatus(t, id, wf.StatusEntered)
	}

	// The personal data now in the register: the two decisions' holders
	// and the seeded register's.
	pd := &personalData{names: map[string]bool{}}
	for _, c := range examples.Document(documents.CommitteeDecision).Payload.Certificates {
		pd.add(c)
	}
	for _, c := range gen.Payload.Certificates {
		pd.add(c)
	}
	for _, c := range examples.Register().Certificates() {
		pd.add(c)
	}
	// Every certificate in the register, read from the database.
	cur, err := a.sys.clients.DB.Collection(store.CollCertificates).Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var certs []store.Record[documents.Certificate]
	if err := cur.All(context.Background(), &certs); err != nil {
		t.Fatal(err)
	}
	if want := 5 + 50 + len(examples.Register().Certificates()); len(certs) != want {
		t.Fatalf("%d certificates in the register, want %d", len(certs), want)
	}
	for _, c := range certs {
		pd.add(c.Data)
	}
	if len(pd.codes) < 58 || len(pd.names) < 20 {
		t.Fatalf("too little personal data to look for: %d codes, %d names", len(pd.codes), len(pd.names))
	}

	paths := []string{
		"/api/v1/register/councils", "/api/v1/register/standards", "/api/v1/register/awarding-bodies",
		"/api/v1/register/certificates/statistics", "/openapi.yaml", "/healthz", "/readyz", "/metrics",
		// Problems: unknown certificates and routes, bad parameters, resources
		// that need credentials.
		"/api/v1/register/certificates/" + holder.PersonalCode,
		"/api/v1/register/certificates/" + holder.Number + "?type=3",
		"/api/v1/register/certificates/" + holder.Number + "?type=" + holder.PersonalCode,
		"/api/v1/register/persons/" + holder.PersonalCode,
		"/api/v1/submissions/" + ids[0],
		"/api/v1/submissions/" + ids[0] + "/document",
		"/api/v1/me/certificates",
		"/api/v1/audit?submission=" + ids[0],
	}
	seen := 0
	for _, c := range certs {
		paths = append(paths, fmt.Sprintf("/api/v1/register/certificates/%s?type=%d", c.Data.Number, c.Data.Type))
	}
	for _, p := range paths {
		r := a.get(t, public, p)
		if r.status == http.StatusOK {
			seen++
		}
		if l := pd.leaks(r.body); len(l) > 0 {
			t.Errorf("GET %s (%d) shows personal data: %v", p, r.status, l)
		}
		for k, vs := range r.header {
			if l := pd.leaks([]byte(k + ": " + strings.Join(vs, ","))); len(l) > 0 {
				t.Errorf("GET %s: header %s shows personal data: %v", p, k, l)
			}
		}
	}
	// Problems of other methods and of refused credentials.
	for _, rq := range []request{
		{who: public, method: http.MethodPost, path: "/api/v1/submissions"},
		{who: badKey, method: http.MethodGet, path: "/api/v1/register/certificates/" + holder.Number},
		{who: public, method: http.MethodDelete, path: "/api/v1/register/certificates/" + holder.Number},
	} {
		if r := a.do(t, rq); r.status < 400 || len(pd.leaks(r.body)) > 0 {
			t.Errorf("%s %s: %s, personal data %v", rq.method, rq.path, r, pd.leaks(r.body))
		}
	}

	// The detector finds what it looks for: the holder's own data is in
	// their own answer — and no other holder's is.
	mine := a.get(t, person, "/api/v1/me/certificates")
	if l := pd.leaks(mine.body); !slices.Contains(l, holder.PersonalCode) || !slices.Contains(l, holder.FamilyName) {
		t.Errorf("control: the holder's own /me answer should show their data; found %v", l)
	}
	others := &personalData{names: map[string]bool{}}
	for _, c := range certs {
		if c.Data.PersonalCode != holder.PersonalCode {
			others.add(c.Data)
		}
	}
	delete(others.names, holder.GivenName)
	delete(others.names, holder.FamilyName)
	others.dates = slices.DeleteFunc(others.dates, func(d string) bool { return slices.Contains(pd.datesOf(holder), d) })
	if l := others.leaks(mine.body); len(l) > 0 {
		t.Errorf("the holder's /me answer shows other holders' data: %v", l)
	}

	// The hidden certificate is not found; every other one is.
	r := a.get(t, public, "/api/v1/register/certificates/"+hidden.Number)
	problemOf(t, r, 404)
	if want := 7 + len(certs) - 1; seen != want {
		t.Errorf("%d public answers 200, want %d (every certificate but the hidden one, and the 7 public lists and operations; /metrics is the supervisor's)", seen, want)
	}
	var stats struct {
		Items []struct {
			Issuer string
			Count  int
		}
	}
	a.get(t, public, "/api/v1/register/certificates/statistics").json(t, &stats)
	total := 0
	for _, s := range stats.Items {
		total += s.Count
	}
	if want := len(certs) - 1; total != want {
		t.Errorf("statistics count %d certificates, want %d (all but the hidden one)", total, want)
	}
}

// ---- openapi.yaml as a contract ----

// openAPIDoc is api/openapi.yaml, read to check answers against it.
type openAPIDoc struct {
	raw       []byte
	doc       map[string]any
	templates []string // paths, the most literal first
}

var (
	openAPIOnce sync.Once
	openAPIDocs *openAPIDoc
	openAPIErr  error
)

func loadOpenAPI(tb testing.TB) *openAPIDoc {
	tb.Helper()
	openAPIOnce.Do(func() {
		raw, err := os.ReadFile("../api/openapi.yaml")
		if err != nil {
			openAPIErr = err
			return
		}
		d := &openAPIDoc{raw: raw}
		if err := yaml.Unmarshal(raw, &d.doc); err != nil {
			openAPIErr = err
			return
		}
		paths, _ := d.doc["paths"].(map[string]any)
		for p := range paths {
			d.templates = append(d.templates, p)
		}
		literal := func(p string) int { return strings.Count(p, "/") - strings.Count(p, "{") }
		sort.Slice(d.templates, func(i, j int) bool {
			if literal(d.templates[i]) != literal(d.templates[j]) {
				return literal(d.templates[i]) > literal(d.templates[j])
			}
			return d.templates[i] < d.templates[j]
		})
		openAPIDocs = d
	})
	if openAPIErr != nil {
		tb.Fatalf("api/openapi.yaml: %v", openAPIErr)
	}
	return openAPIDocs
}

// template finds the path template that path matches.
func (d *openAPIDoc) template(path string) (string, bool) {
	segs := strings.Split(path, "/")
	for _, t := range d.templates {
		ts := strings.Split(t, "/")
		if len(ts) != len(segs) {
			continue
		}
		ok := true
		for i := range ts {
			if ts[i] != segs[i] && !(strings.HasPrefix(ts[i], "{") && segs[i] != "") {
				ok = false
				break
			}
		}
		if ok {
			return t, true
		}
	}
	return "", false
}

// conform checks an answer against the operation that path and method
// name. An answer to no operation must be a problem.
func (d *openAPIDoc) conform(tb testing.TB, method, path string, r response) {
	tb.Helper()
	ct, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	tmpl, ok := d.template(path)
	op, _ := d.at("paths", tmpl, strings.ToLower(method)).(map[string]any)
	if !ok || op == nil {
		if ct != api.ProblemContentType {
			tb.Errorf("%s %s: %d with %q: a request to no operation must be answered with a problem", method, path, r.status, ct)
		}
		return
	}
	res := d.at("paths", tmpl, strings.ToLower(method), "responses", strconv.Itoa(r.status))
	if res == nil {
		res = d.at("paths", tmpl, strings.ToLower(method), "responses", "default")
	}
	if res == nil {
		tb.Errorf("%s %s answered %d, which openapi.yaml does not list for %s %s", method, path, r.status, method, tmpl)
		return
	}
	res = d.resolve(res)
	content, _ := d.at2(res, "content").(map[string]any)
	if len(content) == 0 {
		return
	}
	media, ok := content[ct]
	if !ok {
		tb.Errorf("%s %s: %d with content type %q, openapi.yaml lists %v", method, path, r.status, ct, keys(content))
		return
	}
	if ct != "application/json" && ct != api.ProblemContentType {
		return
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		tb.Errorf("%s %s: %d: not JSON: %v", method, path, r.status, err)
		return
	}
	for _, e := range d.validate(d.at2(media, "schema"), v, "body") {
		tb.Errorf("%s %s: %d: does not fit openapi.yaml: %s", method, path, r.status, e)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (d *openAPIDoc) at(path ...string) any { return d.at2(d.doc, path...) }

func (d *openAPIDoc) at2(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// resolve follows $ref.
func (d *openAPIDoc) resolve(v any) any {
	for range 20 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		v = d.at(strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
	}
	return v
}

// validate checks v against the subset of JSON Schema openapi.yaml uses:
// $ref, type (one or a list), enum, const, properties, required,
// additionalProperties, items, minimum, maximum, pattern, and the formats
// date and date-time.
func (d *openAPIDoc) validate(schema, v any, at string) []string {
	s, _ := d.resolve(schema).(map[string]any)
	if s == nil {
		return nil
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	if t, ok := s["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, fmt.Sprint(x))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return isType(v, t) }) {
			bad("%s is not %v", short(v), types)
			return errs
		}
	}
	if e, ok := s["enum"].([]any); ok && !slices.ContainsFunc(e, func(x any) bool { return sameValue(x, v) }) {
		bad("%s is not one of %v", short(v), e)
	}
	if c, ok := s["const"]; ok && !sameValue(c, v) {
		bad("%s is not %v", short(v), c)
	}
	switch v := v.(type) {
	case string:
		switch s["format"] {
		case "date":
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				bad("%q is not a date", v)
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
				bad("%q is not a date-time", v)
			}
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
			bad("%q does not match %s", v, p)
		}
	case json.Number:
		f, _ := v.Float64()
		if m, ok := number(s["minimum"]); ok && f < m {
			bad("%v < minimum %v", f, m)
		}
		if m, ok := number(s["maximum"]); ok && f > m {
			bad("%v > maximum %v", f, m)
		}
	case []any:
		for i, x := range v {
			errs = append(errs, d.validate(s["items"], x, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asSlice(s["required"]) {
			if _, ok := v[fmt.Sprint(r)]; !ok {
				bad("required property %s is missing", r)
			}
		}
		for k, x := range v {
			if ps, ok := props[k]; ok {
				errs = append(errs, d.validate(ps, x, at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					bad("property %s is not in the schema", k)
				}
			case map[string]any:
				errs = append(errs, d.validate(ap, x, at+"."+k)...)
			}
		}
	}
	return errs
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func isType(v any, t string) bool {
	switch v := v.(type) {
	case nil:
		return t == "null"
	case bool:
		return t == "boolean"
	case string:
		return t == "string"
	case json.Number:
		if t == "number" {
			return true
		}
		f, err := v.Float64()
		return t == "integer" && err == nil && f == math.Trunc(f)
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	}
	return false
}

func sameValue(schemaValue, v any) bool {
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		m, ok := number(schemaValue)
		return ok && m == f
	}
	return fmt.Sprint(schemaValue) == fmt.Sprint(v)
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		b = append(b[:120], "…"...)
	}
	return string(b)
}
