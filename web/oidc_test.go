package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/auth/authtest"
	"github.com/kutsekoda/alusdok/internal/config"
)

// A person signs in through the issuer (authorization code, PKCE, nonce) as
// Estonian eID does it — the personal code in sub with its EE prefix — and
// lands on their own data; no URL on the way carries the personal code, and
// the callback cannot be replayed.
func TestPersonSignsInWithOpenIDConnect(t *testing.T) {
	iss := authtest.NewIssuer(t)
	s := startSiteWith(t, func(cfg *config.Server, siteURL string) {
		o := iss.Config()
		o.PersonalCodeClaim, o.PersonalCodePrefix, o.WebURL = "sub", "EE", siteURL
		cfg.API.OIDC = o
	})
	iss.SignInAs(map[string]any{"sub": "EE" + holder.PersonalCode, "role": "person", "name": personName})
	jar, _ := cookiejar.New(nil)
	var visited []string
	c := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		visited = append(visited, r.URL.String())
		return nil
	}}
	res, err := c.Get(s.url + "/sisene?tagasi=/minu-andmed")
	fail(t, "sign-in page", err)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(page), `id="oidc-sign-in"`) {
		t.Fatalf("the sign-in page offers no OpenID Connect sign-in")
	}
	res, err = c.Get(s.url + "/sisene/oidc?tagasi=/minu-andmed")
	fail(t, "sign in", err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/minu-andmed" || !strings.Contains(string(body), personName) {
		t.Fatalf("after sign-in: %d %s\n%.400s", res.StatusCode, res.Request.URL, body)
	}
	var callback string
	for _, u := range visited {
		if strings.Contains(u, holder.PersonalCode) {
			t.Errorf("a URL carries the personal code: %s", u)
		}
		if strings.Contains(u, "/sisene/oidc/tagasi") {
			callback = u
		}
	}
	if callback == "" {
		t.Fatalf("no callback among %v", visited)
	}
	res, err = c.Get(callback)
	fail(t, "replay", err)
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a replayed callback answers %d", res.StatusCode)
	}
}
