package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// countingBody records how much of it was read.
type countingBody struct {
	r    io.Reader
	read int
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

func (b *countingBody) Close() error { return nil }

// echoLength reads the whole body as a handler would and answers its length.
func echoLength(c *gin.Context) {
	b, err := io.ReadAll(c.Request.Body)
	if err != nil {
		WriteError(c, discard(), fmt.Errorf("read document: %w", err))
		return
	}
	c.String(http.StatusOK, "%d", len(b))
}

func TestBodyOverCapIs413BeforeReadingIt(t *testing.T) {
	called := false
	r := newTestEngine(t, BodyLimit(1000))
	r.POST("/documents", func(c *gin.Context) { called = true; echoLength(c) })
	body := &countingBody{r: strings.NewReader(strings.Repeat("x", 5000))}
	req := httptest.NewRequest(http.MethodPost, "/documents", body)
	req.ContentLength = 5000
	w := serve(r, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", w.Code)
	}
	if p := mustProblem(t, w); p.Detail != "the request body exceeds the limit of 1000 bytes" {
		t.Errorf("detail %q", p.Detail)
	}
	if body.read != 0 || called {
		t.Errorf("read %d bytes, handler called %v; want the answer before any read", body.read, called)
	}
}

func TestBodyWithoutLengthOverCapIs413WhenReadPastTheCap(t *testing.T) {
	r := newTestEngine(t, BodyLimit(1000))
	r.POST("/documents", echoLength)
	body := &countingBody{r: strings.NewReader(strings.Repeat("x", 1<<20))}
	req := httptest.NewRequest(http.MethodPost, "/documents", body)
	req.ContentLength = -1 // chunked
	w := serve(r, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413; body %s", w.Code, w.Body)
	}
	mustProblem(t, w)
	if body.read > 64<<10 {
		t.Errorf("read %d bytes of a 1000-byte cap", body.read)
	}
}

func TestBodyUpToTheCapPasses(t *testing.T) {
	r := newTestEngine(t, BodyLimit(1000))
	r.POST("/documents", echoLength)
	w := serve(r, httptest.NewRequest(http.MethodPost, "/documents", strings.NewReader(strings.Repeat("x", 1000))))
	if w.Code != http.StatusOK || w.Body.String() != "1000" {
		t.Errorf("status %d body %s, want 200 1000", w.Code, w.Body)
	}
}

// fakeClock is a settable clock for the rate limiter.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestLimiter(perSecond float64, burst int) (*RateLimiter, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	l := NewRateLimiter(perSecond, burst)
	l.now = clock.now
	return l, clock
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	l, clock := newTestLimiter(0.5, 2) // a token every two seconds
	r := newTestEngine(t, Authenticate(AuthOptions{Keys: keys, Logger: discard()}), RateLimit(l))
	r.GET("/whoami", whoami)
	get := func(key, addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/whoami", nil)
		req.RemoteAddr = addr + ":40000"
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		return serve(r, req)
	}
	for i := range 2 {
		if w := get("adk_body", "192.0.2.1"); w.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, w.Code)
		}
	}
	w := get("adk_body", "192.0.2.1")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("request past the burst: %d, want 429", w.Code)
	}
	mustProblem(t, w)
	if got := w.Header().Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q, want 2 (whole seconds until the next token)", got)
	}

	tests := []struct {
		name, key, addr string
		status          int
	}{
		{"another key from the same address has its own bucket", "adk_clerk", "192.0.2.1", 200},
		{"the same key from another address shares its bucket", "adk_body", "192.0.2.2", 429},
		{"the public is limited by address", "", "192.0.2.1", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := get(tt.key, tt.addr); w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
		})
	}
	clock.advance(2 * time.Second)
	if w := get("adk_body", "192.0.2.1"); w.Code != http.StatusOK {
		t.Errorf("after Retry-After: %d, want 200", w.Code)
	}
}

func TestIdleLimitersAreEvicted(t *testing.T) {
	l, clock := newTestLimiter(20, 40)
	for i := range 1000 {
		l.Allow(fmt.Sprintf("ip:198.51.100.%d", i))
	}
	if l.Len() != 1000 {
		t.Fatalf("%d buckets, want 1000", l.Len())
	}
	clock.advance(l.idle)
	l.Allow("ip:203.0.113.1")
	if l.Len() != 1 {
		t.Errorf("%d buckets after every other client was idle for a refill time, want 1", l.Len())
	}
}

func TestClientsBeyondTheCapShareOneBucket(t *testing.T) {
	l, _ := newTestLimiter(1, 1)
	l.max = 10
	for i := range 10 {
		l.Allow(fmt.Sprintf("ip:198.51.100.%d", i))
	}
	allowed := 0
	for i := range 5 {
		if ok, _ := l.Allow(fmt.Sprintf("ip:203.0.113.%d", i)); ok {
			allowed++
		}
	}
	if l.Len() != 11 || allowed != 1 {
		t.Errorf("%d buckets, %d newcomers allowed; want 11 (one overflow) and 1", l.Len(), allowed)
	}
}

func TestNoRateLimitWhenDisabled(t *testing.T) {
	l := NewRateLimiter(0, 0)
	if l != nil {
		t.Fatal("a zero rate made a limiter")
	}
	for range 100 {
		if ok, _ := l.Allow("k"); !ok {
			t.Fatal("a nil limiter refused")
		}
	}
}

func TestMaxBytesErrorIsMatchedThroughWrapping(t *testing.T) {
	err := fmt.Errorf("decode: %w", &http.MaxBytesError{Limit: 5})
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		t.Fatal("errors.As does not find the MaxBytesError")
	}
}
