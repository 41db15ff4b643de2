package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/auth/authtest"
)

// fakeKeys is a key store in a map: key → principal; "adk_revoked" is
// refused as revoked, "adk_broken" fails as a database would.
type fakeKeys map[string]*auth.Principal

func (f fakeKeys) Authenticate(_ context.Context, key string) (*auth.Principal, error) {
	switch key {
	case "adk_revoked":
		return nil, &auth.RefusedError{Reason: auth.ErrRevokedKey}
	case "adk_broken":
		return nil, errors.New("server selection timeout")
	}
	if p, ok := f[key]; ok {
		return p, nil
	}
	return nil, &auth.RefusedError{Reason: auth.ErrUnknownKey}
}

var (
	clerkKey     = &auth.Principal{Role: auth.RoleClerk, Name: "clerk", KeyID: "c1"}
	bodyKey      = &auth.Principal{Role: auth.RoleSubmitter, Organisation: "70000740", Name: "school", KeyID: "s1"}
	otherBodyKey = &auth.Principal{Role: auth.RoleSubmitter, Organisation: "10000005", Name: "other", KeyID: "s2"}
	keys         = fakeKeys{"adk_clerk": clerkKey, "adk_body": bodyKey, "adk_other": otherBodyKey}
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// whoami answers the principal's role, or "public".
func whoami(c *gin.Context) {
	p := PrincipalOf(c)
	if p == nil {
		c.String(http.StatusOK, "public")
		return
	}
	c.String(http.StatusOK, string(p.Role)+" "+p.ID())
}

func TestCredentialsGiveAPrincipalOrA401_NeverSilentlyAnonymous(t *testing.T) {
	r := newTestEngine(t, Authenticate(AuthOptions{Keys: keys, Logger: discard()}))
	r.GET("/whoami", whoami)
	tests := []struct {
		name    string
		headers map[string]string
		status  int
		body    string // the answer, or the problem's detail
	}{
		{"no credentials: the public", nil, 200, "public"},
		{"ApiKey scheme", map[string]string{"Authorization": "ApiKey adk_clerk"}, 200, "clerk key:c1"},
		{"X-API-Key header", map[string]string{"X-API-Key": "adk_body"}, 200, "submitter key:s1"},
		{"API key sent as a bearer token", map[string]string{"Authorization": "Bearer adk_clerk"}, 200, "clerk key:c1"},
		{"scheme in lower case", map[string]string{"Authorization": "apikey adk_clerk"}, 200, "clerk key:c1"},
		{"revoked key", map[string]string{"X-API-Key": "adk_revoked"}, 401, auth.ErrRevokedKey.Error()},
		{"unknown key", map[string]string{"Authorization": "ApiKey adk_nobody"}, 401, auth.ErrUnknownKey.Error()},
		{"Basic scheme", map[string]string{"Authorization": "Basic dXNlcjpwdw=="}, 401, auth.ErrUnsupportedScheme.Error()},
		{"empty bearer", map[string]string{"Authorization": "Bearer"}, 401, auth.ErrUnsupportedScheme.Error()},
		{"two credentials", map[string]string{"Authorization": "ApiKey adk_clerk", "X-API-Key": "adk_body"}, 401, auth.ErrAmbiguous.Error()},
		{"bearer token without an issuer", map[string]string{"Authorization": "Bearer eyJhbGciOi.x.y"}, 401, auth.ErrNoTokens.Error()},
		{"key store down", map[string]string{"X-API-Key": "adk_broken"}, 500, "an internal error occurred; it has been logged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			w := serve(r, req)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			if tt.status == 200 {
				if w.Body.String() != tt.body {
					t.Errorf("body %q, want %q", w.Body, tt.body)
				}
				return
			}
			if p := mustProblem(t, w); p.Detail != tt.body {
				t.Errorf("detail %q, want %q", p.Detail, tt.body)
			}
			if tt.status == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestBearerTokensAreCheckedAgainstTheIssuer(t *testing.T) {
	iss := authtest.NewIssuer(t)
	tokens, err := auth.NewTokenVerifier(context.Background(), iss.Config())
	if err != nil {
		t.Fatal(err)
	}
	r := newTestEngine(t, Authenticate(AuthOptions{Keys: keys, Tokens: tokens, Logger: discard()}))
	r.GET("/whoami", whoami)
	claims := func(edit func(map[string]any)) map[string]any {
		c := iss.Claims("supervisor")
		edit(c)
		return c
	}
	tests := []struct {
		name   string
		token  string
		status int
		detail string
	}{
		{"valid", iss.Sign(t, claims(func(map[string]any) {})), 200, ""},
		{"expired", iss.Sign(t, claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() })), 401, auth.ErrTokenExpired.Error()},
		{"wrong audience", iss.Sign(t, claims(func(c map[string]any) { c["aud"] = "another-app" })), 401, auth.ErrTokenAudience.Error()},
		{"wrong issuer", iss.Sign(t, claims(func(c map[string]any) { c["iss"] = "https://evil.example" })), 401, auth.ErrTokenIssuer.Error()},
		{"bad signature", iss.SignForeign(t, claims(func(map[string]any) {})), 401, auth.ErrTokenSignature.Error()},
		{"unknown role", iss.Sign(t, claims(func(c map[string]any) { c["role"] = "root" })), 401, auth.ErrUnknownRole.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
			req.Header.Set("Authorization", "Bearer "+tt.token)
			w := serve(r, req)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			if tt.status == 200 {
				if !strings.HasPrefix(w.Body.String(), "supervisor oidc:") {
					t.Errorf("body %q", w.Body)
				}
				return
			}
			if p := mustProblem(t, w); !strings.HasPrefix(p.Detail, tt.detail) {
				t.Errorf("detail %q, want %q", p.Detail, tt.detail)
			}
		})
	}

	t.Run("issuer down answers 503", func(t *testing.T) {
		// A verifier of its own: the shared one may still have a key
		// refresh from the cases above in flight, which would answer this
		// request with the keys it fetched before the outage (go-oidc
		// shares one in-flight refresh among callers).
		tokens, err := auth.NewTokenVerifier(context.Background(), iss.Config())
		if err != nil {
			t.Fatal(err)
		}
		r := newTestEngine(t, Authenticate(AuthOptions{Keys: keys, Tokens: tokens, Logger: discard()}))
		r.GET("/whoami", whoami)
		iss.SetKeysDown(true)
		defer iss.SetKeysDown(false)
		req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
		req.Header.Set("Authorization", "Bearer "+iss.SignUnknownKey(t, iss.Claims("clerk")))
		w := serve(r, req)
		if w.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503; body %s", w.Code, w.Body)
		}
		mustProblem(t, w)
	})
}

func TestRequireRoleAnswers401ForThePublicAnd403ForAnotherRole(t *testing.T) {
	r := newTestEngine(t, Authenticate(AuthOptions{Keys: keys, Logger: discard()}))
	r.GET("/queue", RequireRole(auth.RoleClerk, auth.RoleSupervisor), whoami)
	tests := []struct {
		name, key string
		status    int
	}{
		{"the public", "", 401},
		{"a submitter", "adk_body", 403},
		{"a clerk", "adk_clerk", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/queue", nil)
			if tt.key != "" {
				req.Header.Set("X-API-Key", tt.key)
			}
			w := serve(r, req)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if tt.status != 200 {
				mustProblem(t, w)
			}
		})
	}
}

func TestOtherOrganisationAnswers404_R11_1(t *testing.T) {
	// A handler as the submission handlers are written: look up, then
	// VisibleTo; a missing submission and another organisation's answer
	// alike.
	submissions := map[string]string{"S-1": "70000740", "S-2": "10000005"}
	r := newTestEngine(t, Authenticate(AuthOptions{Keys: keys, Logger: discard()}))
	r.GET("/submissions/:id", RequireRole(auth.RoleSubmitter, auth.RoleClerk), func(c *gin.Context) {
		org, ok := submissions[c.Param("id")]
		if !ok {
			WriteError(c, discard(), NotFound("no such submission"))
			return
		}
		if err := VisibleTo(c, org); err != nil {
			WriteError(c, discard(), err)
			return
		}
		c.String(http.StatusOK, org)
	})
	get := func(key, id string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/submissions/"+id, nil)
		req.Header.Set("X-API-Key", key)
		return serve(r, req)
	}
	tests := []struct {
		name, key, id string
		status        int
	}{
		{"own organisation's submission", "adk_body", "S-1", 200},
		{"another organisation's submission", "adk_body", "S-2", 404},
		{"a submission that does not exist", "adk_body", "S-9", 404},
		{"the other organisation sees its own", "adk_other", "S-2", 200},
		{"a clerk sees every organisation's", "adk_clerk", "S-2", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := get(tt.key, tt.id); w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
		})
	}
	other, missing := mustProblem(t, get("adk_body", "S-2")), mustProblem(t, get("adk_body", "S-9"))
	other.Instance, missing.Instance = "", ""
	if other.Type != missing.Type || other.Title != missing.Title || other.Detail != missing.Detail {
		t.Errorf("another organisation's answer %+v differs from a missing one's %+v", other, missing)
	}
}

func TestRefusedCredentialsAreThrottledPerAddress(t *testing.T) {
	var logs bytes.Buffer
	lim := NewRateLimiter(1, 3)
	r := newTestEngine(t, Authenticate(AuthOptions{Keys: keys, Limiter: lim, Logger: slog.New(slog.NewTextHandler(&logs, nil))}))
	r.GET("/whoami", whoami)
	var codes []int
	for range 5 {
		req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
		req.Header.Set("X-API-Key", "adk_guess")
		codes = append(codes, serve(r, req).Code)
	}
	if codes[0] != 401 || codes[2] != 401 || codes[3] != 429 || codes[4] != 429 {
		t.Errorf("statuses %v, want three 401 then 429", codes)
	}
	if strings.Contains(logs.String(), "adk_guess") {
		t.Error("the log shows the presented key")
	}
}
