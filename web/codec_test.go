package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
)

// TestCodecEndpointTakesTheWebSignIn: the Temporal UI calls the API's codec
// endpoint with the browser's cookies, so the endpoint takes the web
// front's session — a clerk's passes its guard (here it answers that
// nothing is encrypted: this stack has no codec keys), a submitter's is
// refused, and without a session the caller is the public. No other API
// endpoint takes the cookie.
func TestCodecEndpointTakesTheWebSignIn(t *testing.T) {
	s := startSite(t)
	post := func(c *http.Client, path string) int {
		t.Helper()
		res, err := c.Post(s.url+path, "application/json", strings.NewReader(`{"payloads":[]}`))
		fail(t, path, err)
		res.Body.Close()
		return res.StatusCode
	}
	signedIn := func(name, landing string) *http.Client {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		signInHTTPAs(t, c, s.url, name, landing)
		return c
	}
	clerk, body := signedIn(clerkName, "/tooloend"), signedIn(bodyName, "/taotlused")
	cases := []struct {
		name   string
		client *http.Client
		path   string
		want   int
	}{
		{"a clerk's session", clerk, "/api/v1/codec/decode", http.StatusNotFound},
		{"a submitter's session", body, "/api/v1/codec/decode", http.StatusForbidden},
		{"no session", http.DefaultClient, "/api/v1/codec/decode", http.StatusUnauthorized},
		{"a clerk's session elsewhere in the API", clerk, "/api/v1/reports/x/resolution", http.StatusUnauthorized},
	}
	for _, tc := range cases {
		if got := post(tc.client, tc.path); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
