// Package authtest is a stand-in OpenID Connect issuer for tests: an
// httptest server with a discovery document and a JWKS, and tokens signed
// with its key (or, to test refusals, with a key it does not publish).
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/kutsekoda/alusdok/internal/config"
)

// Audience is the audience the issuer's tokens name by default.
const Audience = "alusdok-test"

// Issuer is a running test issuer.
type Issuer struct {
	URL      string
	key      *rsa.PrivateKey
	foreign  *rsa.PrivateKey
	keysDown atomic.Bool

	// The authorization-code flow (/authorize, /token) for the web
	// front's sign-in: who signs in next, and the codes handed out.
	mu    sync.Mutex
	login map[string]any
	codes map[string]grant
}

// grant is an authorization code's sign-in.
type grant struct {
	claims    map[string]any
	challenge string
	redirect  string
}

// NewIssuer starts an issuer; it stops when the test ends.
func NewIssuer(tb testing.TB) *Issuer {
	tb.Helper()
	iss := &Issuer{key: mustKey(tb), foreign: mustKey(tb)}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	iss.URL = srv.URL
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{
			"issuer":                                iss.URL,
			"jwks_uri":                              iss.URL + "/keys",
			"authorization_endpoint":                iss.URL + "/authorize",
			"token_endpoint":                        iss.URL + "/token",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /authorize", iss.authorize)
	mux.HandleFunc("POST /token", iss.token)
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, _ *http.Request) {
		if iss.keysDown.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &iss.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"},
		}})
	})
	return iss
}

func mustKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Config is the OIDC configuration that trusts this issuer, with the
// default claim names.
func (iss *Issuer) Config() config.OIDC {
	return config.OIDC{
		Issuer: iss.URL, Audience: Audience,
		RoleClaim: "role", OrganisationClaim: "org", PersonalCodeClaim: "personal_code", NameClaim: "name",
	}
}

// SignInAs sets the claims of whoever signs in next at /authorize (the
// issuer adds iss, aud = the client id, iat, exp and the nonce).
func (iss *Issuer) SignInAs(claims map[string]any) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.login = claims
}

// authorize signs in the SignInAs claims at once and sends the browser back
// with a code. It insists on PKCE (S256).
func (iss *Issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "want response_type=code with an S256 code_challenge", http.StatusBadRequest)
		return
	}
	iss.mu.Lock()
	claims := map[string]any{}
	for k, v := range iss.login {
		claims[k] = v
	}
	now := time.Now()
	claims["iss"], claims["aud"], claims["iat"], claims["exp"] = iss.URL, q.Get("client_id"), now.Unix(), now.Add(time.Hour).Unix()
	if n := q.Get("nonce"); n != "" {
		claims["nonce"] = n
	}
	code := base64.RawURLEncoding.EncodeToString(randomBytes(16))
	if iss.codes == nil {
		iss.codes = map[string]grant{}
	}
	iss.codes[code] = grant{claims: claims, challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	iss.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code for an ID token, once, given the PKCE verifier.
func (iss *Issuer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	iss.mu.Lock()
	g, ok := iss.codes[r.PostForm.Get("code")]
	delete(iss.codes, r.PostForm.Get("code"))
	iss.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge || r.PostForm.Get("redirect_uri") != g.redirect {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	idToken, err := signErr(iss.key, "k1", g.claims)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"access_token": "at-" + r.PostForm.Get("code"), "token_type": "Bearer", "expires_in": 3600, "id_token": idToken})
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// SetKeysDown makes the JWKS endpoint answer 503 (an issuer outage).
func (iss *Issuer) SetKeysDown(down bool) { iss.keysDown.Store(down) }

// Claims returns valid claims for a token of the given role, valid for an
// hour; tests change them before signing.
func (iss *Issuer) Claims(role string) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss":  iss.URL,
		"aud":  Audience,
		"sub":  "subject-" + role,
		"iat":  now.Unix(),
		"exp":  now.Add(time.Hour).Unix(),
		"role": role,
		"name": "Test " + role,
	}
}

// Sign signs claims with the issuer's published key.
func (iss *Issuer) Sign(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	return sign(tb, iss.key, "k1", claims)
}

// SignForeign signs claims with a key the issuer does not publish, under the
// published key's id: a forged token.
func (iss *Issuer) SignForeign(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	return sign(tb, iss.foreign, "k1", claims)
}

// SignUnknownKey signs claims with an unpublished key under an unknown key
// id, which makes the verifier refetch the issuer's keys.
func (iss *Issuer) SignUnknownKey(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	return sign(tb, iss.foreign, "k2", claims)
}

func sign(tb testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	tb.Helper()
	raw, err := signErr(key, kid, claims)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func signErr(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}
