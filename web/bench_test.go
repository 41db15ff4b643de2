package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// BenchmarkWorklist10k is the clerk's worklist page over 10,000 open
// submissions (seeded directly in the read model), next to the API's list
// endpoint on the same data in the same run: server time per page of 50.
func BenchmarkWorklist10k(b *testing.B) {
	s := startSite(b)
	ctx := context.Background()
	const n = 10000
	now := time.Now()
	coll := s.cl.DB.Collection(store.CollSubmissions)
	batch := make([]any, 0, 500)
	for i := range n {
		sub := store.Submission{
			ID: fmt.Sprintf("bench%06d", i), Status: string(wf.StatusInReview), Open: true, Turn: string(wf.TurnClerk),
			Organisation: examples.ElectriciansUnion, SubmitterName: "Tiina Org", Kind: "committee-decision",
			Number: fmt.Sprintf("EK-2026/%d", i), DecisionDate: "2026-11-02", Title: "Kutse andmine: Elektrik, tase 4",
			Records: 5, ReceivedAt: now.Add(-time.Duration(i) * time.Minute), FirstReceivedAt: now.Add(-time.Duration(i) * time.Minute),
			Deadlines: store.Deadlines{Entry: now.Add(time.Duration(i-2000) * 5 * time.Minute)},
			Uploads:   []store.UploadRef{{ID: fmt.Sprintf("u%06d", i), SHA256: "00", ReceivedAt: now}}, Step: 3, UpdatedAt: now,
		}
		batch = append(batch, sub)
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := coll.InsertMany(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	key, err := s.wiring.Keys.Create(ctx, auth.KeySpec{Role: auth.RoleClerk, Name: "Menetleja (bench)"})
	if err != nil {
		b.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar}
	signInHTTP(b, web, s.url, clerkName)

	get := func(b *testing.B, c *http.Client, path string, header http.Header) []byte {
		req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		res, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d %.300s", path, res.StatusCode, body)
		}
		return body
	}
	b.Run("web-worklist-page", func(b *testing.B) {
		for b.Loop() {
			body := get(b, web, "/tooloend?page=3", nil)
			if !regexp.MustCompile(`Kokku: <strong>10000</strong>`).Match(body) {
				b.Fatalf("the page does not count 10,000: %.500s", body)
			}
		}
	})
	b.Run("api-list-page", func(b *testing.B) {
		h := http.Header{"X-Api-Key": {key.Key}}
		for b.Loop() {
			body := get(b, http.DefaultClient, "/api/v1/submissions?page=3&size=50", h)
			if !regexp.MustCompile(`"total":10000`).Match(body) {
				b.Fatalf("the API does not count 10,000: %.300s", body)
			}
		}
	})
}

// signInHTTP signs in on the dev sign-in page without a browser, as a clerk.
func signInHTTP(tb testing.TB, c *http.Client, base, name string) {
	tb.Helper()
	signInHTTPAs(tb, c, base, name, "/tooloend")
}

func storeFilterAll() store.SubmissionFilter { return store.SubmissionFilter{} }

// signInHTTPAs signs in as name, who lands on landing.
func signInHTTPAs(tb testing.TB, c *http.Client, base, name, landing string) {
	tb.Helper()
	res, err := c.Get(base + "/sisene")
	if err != nil {
		tb.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		tb.Fatal("no CSRF token on the sign-in page")
	}
	res, err = c.PostForm(base+"/sisene/demo", url.Values{"csrf_token": {string(m[1])}, "identity": {name}})
	if err != nil {
		tb.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != landing {
		tb.Fatalf("signed in to %s", res.Request.URL)
	}
}
