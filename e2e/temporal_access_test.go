package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/kutsekoda/alusdok/api"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/intake"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestTemporalHoldsNoPersonalDataAndItsUIIsReadOnly: whoever reaches
// Temporal cannot act through its UI — an Update sent through the UI's
// HTTP API with its CSRF cookie is refused and the submission stays in
// review — and reading a workflow's raw history through Temporal's gRPC API
// finds no contact name, e-mail, personal code or reason in clear text; the
// API's codec endpoint decodes the same payloads for a clerk and refuses
// the public.
func TestTemporalHoldsNoPersonalDataAndItsUIIsReadOnly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sys := start(t, defaults(t))
	meta, pdf := readExample(t, documents.CommitteeDecision)
	var doc documents.BaseDocument
	if err := json.Unmarshal(meta, &doc); err != nil {
		t.Fatal(err)
	}
	rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: submitterOf(documents.CommitteeDecision), PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
	if err != nil {
		t.Fatal(err)
	}
	id := rc.SubmissionID
	waitStatus(t, sys, id, wf.StatusInReview)

	// The Temporal UI: its CSRF cookie is handed to anyone, but with write
	// actions disabled an Update is refused.
	if stack.TemporalUIURL == "" {
		t.Fatal("the test stack runs no Temporal UI")
	}
	jar, _ := cookiejar.New(nil)
	ui := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := ui.Get(stack.TemporalUIURL + "/api/v1/settings")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var csrf string
	for _, c := range resp.Cookies() {
		if c.Name == "_csrf" {
			csrf = c.Value
		}
	}
	body := `{"request":{"input":{"args":{"payloads":[{"metadata":{"encoding":"anNvbi9wbGFpbg=="},"data":"eyJhY3Rpb24iOiJhcHByb3ZlIiwiY2xlcmsiOiJhbnlvbmUifQ=="}]}}}}`
	req, _ := http.NewRequest(http.MethodPost, stack.TemporalUIURL+"/api/v1/namespaces/default/workflows/"+wf.SubmissionWorkflowID(id)+"/update/"+wf.UpdateDecide, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-TOKEN", csrf)
	resp, err = ui.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("an Update through the Temporal UI answered %d, want 405", resp.StatusCode)
	}
	// A query (a read) still works there, and the submission is untouched.
	if s, _ := sys.wiring.Store.Submission(ctx, id); s.Status != string(wf.StatusInReview) {
		t.Errorf("after the UI's Update the submission is %s", s.Status)
	}

	// A refusal with a reason, so that the history carries one.
	reason := "Komisjoni koosseis on registris teine (kontroll 7Q)."
	if _, err := decide(ctx, t, sys, id, wf.Decision{Action: wf.ActionRefuse, Reason: reason, Clerk: "Mari Maasikas"}); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, sys, id, wf.StatusRefused)
	if err := sys.clients.Temporal.GetWorkflow(ctx, wf.SubmissionWorkflowID(id), "").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}

	// The raw history, as whoever reaches Temporal's gRPC API reads it.
	var h historypb.History
	it := sys.clients.Temporal.GetWorkflowHistory(ctx, wf.SubmissionWorkflowID(id), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	raw, err := protojson.Marshal(&h)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{doc.Contact.Name, doc.Contact.Email, reason, "Mari Maasikas", submitterOf(documents.CommitteeDecision).Name}
	for _, c := range doc.Payload.Certificates {
		secrets = append(secrets, c.PersonalCode, c.FamilyName)
	}
	history := string(raw)
	for _, s := range secrets {
		if s != "" && strings.Contains(history, s) {
			t.Errorf("the raw history holds %q in clear text", s)
		}
	}

	// The payloads of the history decode through the API's codec endpoint
	// for a clerk; the public is refused.
	var payloads []json.RawMessage
	for _, ev := range h.Events {
		if a := ev.GetWorkflowExecutionCompletedEventAttributes(); a != nil {
			for _, p := range a.GetResult().GetPayloads() {
				b, _ := protojson.Marshal(p)
				payloads = append(payloads, b)
			}
		}
	}
	if len(payloads) == 0 {
		t.Fatal("no result payload in the history")
	}
	reqBody, _ := json.Marshal(map[string]any{"payloads": payloads})
	router := api.NewRouter(api.Deps{Logger: slog.New(slog.DiscardHandler), Store: sys.wiring.Store, Intake: sys.wiring.Intake,
		Temporal: sys.clients.Temporal, Audit: sys.wiring.Audit, Keys: sys.wiring.Keys, Codec: sys.clients.Keys})
	clerk, err := sys.wiring.Keys.Create(ctx, auth.KeySpec{Role: auth.RoleClerk, Name: "Mari Maasikas"})
	if err != nil {
		t.Fatal(err)
	}
	decode := func(key string) (int, string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/codec/decode", bytes.NewReader(reqBody))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		w := httptest.NewRecorder()
		router.ServeHTTP(w, req)
		b, _ := io.ReadAll(w.Body)
		return w.Code, string(b)
	}
	if code, out := decode(clerk.Key); code != http.StatusOK || !strings.Contains(out, "ZGF0YS") && !strings.Contains(out, "\"data\"") {
		t.Errorf("codec for a clerk: %d %s", code, out)
	} else {
		var decoded struct {
			Payloads []struct{ Data []byte }
		}
		if err := json.Unmarshal([]byte(out), &decoded); err != nil || len(decoded.Payloads) == 0 || !strings.Contains(string(decoded.Payloads[0].Data), "Komisjoni koosseis") {
			t.Errorf("the clerk's decoded result lacks the reason: %v %s", err, out)
		}
	}
	if code, _ := decode(""); code != http.StatusUnauthorized {
		t.Errorf("codec for the public: %d, want 401", code)
	}
}
