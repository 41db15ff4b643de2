// Package authtest is a stand-in OpenID Connect issuer for tests: an
// httptest server with a discovery document and a JWKS, and tokens signed
// with its key (or, to test refusals, with a key it does not publish).
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}
