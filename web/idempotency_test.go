package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"regexp"
	"testing"
)

// The same upload form sent twice (a double click, a reload after a slow
// answer) starts one submission: the form carries an idempotency key.
func TestSameUploadFormSentTwiceStartsOneSubmission_R11(t *testing.T) {
	s := startSite(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	signInHTTPAs(t, c, s.url, bodyName, "/taotlused")
	res, err := c.Get(s.url + "/esitamine")
	fail(t, "form", err)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]+)"`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("no %s in the form", name)
		}
		return string(m[1])
	}
	csrf, key := field("csrf_token"), field("idempotency_key")
	pdf, err := os.ReadFile("../documents/testdata/examples/committee-decision.pdf")
	fail(t, "pdf", err)
	meta, err := os.ReadFile("../documents/testdata/examples/committee-decision.json")
	fail(t, "metadata", err)
	send := func() string {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("csrf_token", csrf)
		_ = mw.WriteField("idempotency_key", key)
		fw, _ := mw.CreateFormFile("document", "committee-decision.pdf")
		_, _ = fw.Write(pdf)
		fw, _ = mw.CreateFormFile("metadata", "committee-decision.json")
		_, _ = fw.Write(meta)
		_ = mw.Close()
		res, err := c.Post(s.url+"/esitamine", mw.FormDataContentType(), &b)
		fail(t, "upload", err)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("upload answers %d at %s", res.StatusCode, res.Request.URL)
		}
		return res.Request.URL.Path
	}
	first, second := send(), send()
	if first != second || len(first) < len("/taotlus/x") {
		t.Errorf("the two sends went to %s and %s", first, second)
	}
	subs, _, err := s.wiring.Store.ListSubmissions(t.Context(), storeFilterAll(), 0, 10)
	fail(t, "list", err)
	if len(subs) != 1 {
		t.Errorf("%d submissions", len(subs))
	}
}
