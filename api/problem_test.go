package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/deficiency"
)

// newTestEngine is an engine with the problem handlers and the given
// middleware.
func newTestEngine(tb testing.TB, mw ...gin.HandlerFunc) *gin.Engine {
	tb.Helper()
	gin.SetMode(gin.TestMode)
	r := gin.New()
	InstallProblemHandlers(r)
	r.Use(mw...)
	return r
}

// serve runs one request through r.
func serve(r http.Handler, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// mustProblem decodes a problem answer, checking its media type.
func mustProblem(tb testing.TB, w *httptest.ResponseRecorder) Problem {
	tb.Helper()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, ProblemContentType) {
		tb.Fatalf("Content-Type = %q, want %s; body %s", ct, ProblemContentType, w.Body)
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		tb.Fatalf("problem body %s: %v", w.Body, err)
	}
	if p.Status != w.Code || p.Type == "" || p.Title == "" || !strings.HasPrefix(p.Instance, "urn:alusdok:request:") {
		tb.Errorf("problem %+v does not match status %d or lacks type, title, instance", p, w.Code)
	}
	return p
}

// codedErr is a domain error that states its kind, as a package that does
// not import api writes it.
type codedErr struct{ code string }

func (e codedErr) Error() string     { return "submission S-1 is already decided" }
func (e codedErr) ErrorCode() string { return e.code }

func TestErrorsMapToProblemsAtTheEdge(t *testing.T) {
	var defs deficiency.List
	defs.Add("payload.certificates[3].personalCode", "personal-code.check-digit", "kontrollnumber ei klapi", "check digit does not match")
	tests := []struct {
		name       string
		err        error
		status     int
		detail     string
		logged     bool
		wantHeader [2]string
	}{
		{"not found", NotFound("no such submission"), 404, "no such submission", false, [2]string{}},
		{"wrapped problem", fmt.Errorf("load: %w", Conflict("already decided")), 409, "already decided", false, [2]string{}},
		{"body over the cap", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}), 413, "the request body exceeds the limit of 10 bytes", false, [2]string{}},
		{"refused credentials", &auth.RefusedError{Reason: auth.ErrRevokedKey}, 401, auth.ErrRevokedKey.Error(), false, [2]string{"WWW-Authenticate", `Bearer realm="alusdok", ApiKey realm="alusdok"`}},
		{"issuer down", fmt.Errorf("%w: dial", auth.ErrIssuerUnavailable), 503, "the identity provider cannot be reached; try again later", false, [2]string{}},
		{"deficiencies", fmt.Errorf("check: %w", defs), 422, "the document has deficiencies; see errors", false, [2]string{}},
		{"coded domain error", fmt.Errorf("decide: %w", codedErr{"conflict"}), 409, "submission S-1 is already decided", false, [2]string{}},
		{"rate limited", RateLimited(1500 * time.Millisecond), 429, "", false, [2]string{"Retry-After", "2"}},
		{"deadline", context.DeadlineExceeded, 503, "the request took too long; try again later", false, [2]string{}},
		{"internal", errors.New("mongo: password=hunter2 refused"), 500, "an internal error occurred; it has been logged", true, [2]string{}},
		{"coded internal stays internal", codedErr{"internal"}, 500, "an internal error occurred; it has been logged", true, [2]string{}},
		{"unknown code is internal", codedErr{"teapot"}, 500, "an internal error occurred; it has been logged", true, [2]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logs, nil))
			r := newTestEngine(t)
			r.GET("/x", func(c *gin.Context) { WriteError(c, log, tt.err) })
			w := serve(r, httptest.NewRequest(http.MethodGet, "/x", nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			p := mustProblem(t, w)
			if tt.detail != "" && p.Detail != tt.detail {
				t.Errorf("detail %q, want %q", p.Detail, tt.detail)
			}
			if h := tt.wantHeader; h[0] != "" && w.Header().Get(h[0]) != h[1] {
				t.Errorf("%s = %q, want %q", h[0], w.Header().Get(h[0]), h[1])
			}
			if strings.Contains(w.Body.String(), "hunter2") {
				t.Error("the answer shows the internal error")
			}
			if logged := strings.Contains(logs.String(), p.Instance); logged != tt.logged {
				t.Errorf("logged under the instance: %v, want %v; log %s", logged, tt.logged, logs.String())
			}
			if tt.status == 422 && (len(p.Errors) != 1 || p.Errors[0].Field != "payload.certificates[3].personalCode") {
				t.Errorf("errors member = %+v, want the deficiency with its field path", p.Errors)
			}
		})
	}
}

func TestPanicAnswers500ProblemAndIsLogged(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	r := newTestEngine(t, Recovery(log))
	r.GET("/boom", func(*gin.Context) { panic("nil map write") })
	w := serve(r, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	}
	p := mustProblem(t, w)
	if strings.Contains(w.Body.String(), "nil map") {
		t.Error("the answer shows the panic")
	}
	if !strings.Contains(logs.String(), "nil map write") || !strings.Contains(logs.String(), p.Instance) || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("the panic, its instance and stack are not logged: %s", logs.String())
	}
}

func TestUnknownRoutesAndMethodsAnswerProblems(t *testing.T) {
	r := newTestEngine(t)
	r.GET("/things/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/nowhere", http.StatusNotFound, ""},
		{http.MethodDelete, "/things/1", http.StatusMethodNotAllowed, "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := serve(r, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			mustProblem(t, w)
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

func TestRetryAfterIsWholeSecondsRoundedUp(t *testing.T) {
	for d, want := range map[time.Duration]int64{
		time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, 59*time.Second + 1: 60,
	} {
		if got := retrySeconds(d); got != want {
			t.Errorf("retrySeconds(%s) = %d, want %d", d, got, want)
		}
	}
}
