package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/store"
)

// TestCertificateUnderReviewShowsTheMarkerNotTheData_R14_1: the public
// check of a certificate reported wrong answers "under review" and shows
// none of its data, until the marker is removed.
func TestCertificateUnderReviewShowsTheMarkerNotTheData_R14_1(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	get := func() string {
		t.Helper()
		res, err := http.Get(s.url + "/register/tunnistus?number=201588&type=1")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if page := get(); !strings.Contains(page, `id="cert-result"`) {
		t.Fatalf("before the report the certificate is not shown:\n%s", page)
	}
	key := store.CertificateReviewKey(documents.CertificateKey{Type: 1, Number: "201588"})
	if _, err := s.wiring.Store.CloseForReview(ctx, key, "rep-web", time.Now()); err != nil {
		t.Fatal(err)
	}
	page := get()
	if !strings.Contains(page, `id="under-review"`) || strings.Contains(page, `id="cert-result"`) || strings.Contains(page, "Elektrik") {
		t.Errorf("under review, the page shows data or no marker:\n%s", page)
	}
	if err := s.wiring.Store.Reopen(ctx, key, "rep-web"); err != nil {
		t.Fatal(err)
	}
	if page := get(); !strings.Contains(page, `id="cert-result"`) {
		t.Errorf("after reopening the certificate is not shown again")
	}
}
