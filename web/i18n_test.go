package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/documents"
	wf "github.com/kutsekoda/alusdok/workflows"
)

func TestEveryMessageHasBothLanguages(t *testing.T) {
	for key, m := range catalogue {
		if strings.TrimSpace(m.et) == "" {
			t.Errorf("%s: no Estonian", key)
		}
		if strings.TrimSpace(m.en) == "" {
			t.Errorf("%s: no English", key)
		}
		if strings.Count(m.et, "%") != strings.Count(m.en, "%") {
			t.Errorf("%s: the languages take different arguments: %q, %q", key, m.et, m.en)
		}
	}
}

// usedKeys are the catalogue keys the templates and handlers name
// literally, and the keys they build from values (status.<status>, …).
func usedKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	literal := regexp.MustCompile(`(?:\.T|translate\([a-z()]+,)\s*"([a-z][a-z0-9.-]*[a-z0-9])"`)
	quoted := regexp.MustCompile(`"((?:error|refusal|csv|form|field)\.[a-zA-Z.-]+)"`)
	scan := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
		if strings.HasSuffix(path, ".go") {
			for _, m := range quoted.FindAllStringSubmatch(string(b), -1) {
				keys[m[1]] = true
			}
		}
	}
	_ = fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go")) {
			scan(filepath.Clean(p))
		}
		return nil
	})
	delete(keys, "error.html")
	// Keys built from values.
	for _, s := range []wf.Status{wf.StatusReceived, wf.StatusAwaitingCorrections, wf.StatusInReview, wf.StatusEntering,
		wf.StatusEntered, wf.StatusRefused, wf.StatusWithdrawn} {
		keys["status."+string(s)] = true
	}
	for _, k := range documents.Kinds() {
		keys["kind."+string(k)] = true
	}
	for _, n := range []wf.NoticeType{wf.NoticeCorrectionRequest, wf.NoticeExtension, wf.NoticeEntry, wf.NoticeRefusal} {
		keys["notice."+string(n)] = true
	}
	for _, d := range []wf.Delivery{wf.DeliveryPending, wf.DeliverySent, wf.DeliveryFailed, wf.DeliveryNotMailed} {
		keys["delivery."+string(d)] = true
	}
	for _, k := range []string{"group.overdue", "group.soon", "group.later", "role.clerk", "role.supervisor", "role.submitter",
		"role.person", "role.public", "sig.valid", "sig.invalid", "sig.unknown", "cert.type-1", "cert.type-2", "cert.type-3",
		"error.not-found.body", "error.forbidden.body", "error.csrf.body", "error.internal.body", "error.bad-request.body",
		"error.too-large.body", "error.signin.body"} {
		keys[k] = true
	}
	for _, f := range []string{"number", "date", "issuer", "title", "contactName", "contactEmail", "contactPhone"} {
		keys["form."+f] = true
	}
	return keys
}

func TestEveryMessageUsedIsInTheCatalogue(t *testing.T) {
	for key := range usedKeys(t) {
		if !hasKey(key) {
			t.Errorf("%s is used but not in the catalogue", key)
		}
	}
}

func TestTranslateFallsBackToTheKey(t *testing.T) {
	if got := translate("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("got %q", got)
	}
	if got := translate("en", "pager.page", 2, 7); got != "Page 2 of 7" {
		t.Errorf("got %q", got)
	}
	if got := translate("et", "pager.page", 2, 7); got != "Lehekülg 2 / 7" {
		t.Errorf("got %q", got)
	}
}
