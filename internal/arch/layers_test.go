// Package arch holds the test that keeps alusdok's layers in order: the
// route of a document is cmd → api and web → intake → workflows →
// activities → store, with capability packages (documents, notices, audit,
// …) beside them; a lower layer never imports a higher one.
package arch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/kutsekoda/alusdok/"

// forbidden lists, for each package (and its subpackages), the packages it
// must not import, directly or through others. activities may use the
// workflow's contract (workflows/api.go, activity_api.go): it is what the
// workflow calls them with.
var forbidden = map[string][]string{
	"store":      {"workflows", "activities", "intake", "api", "web", "internal/app", "cmd"},
	"activities": {"intake", "api", "web", "internal/app", "cmd"},
	"workflows":  {"activities", "store", "intake", "api", "web", "internal/app", "cmd"},
	"intake":     {"activities", "api", "web", "internal/app", "cmd"},
	"api":        {"activities", "web", "internal/app", "cmd"},
	"web":        {"activities", "internal/app", "cmd"},
	// Capabilities beside the route know nothing of it.
	"documents":  {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"deficiency": {"documents", "store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"notices":    {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"audit":      {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"workdays":   {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"rendition":  {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"auth":       {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"accesslog":  {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"opendata":   {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
	"retention":  {"store", "workflows", "activities", "intake", "api", "web", "internal/app"},
}

type pkg struct {
	ImportPath string
	Deps       []string
}

func TestLowerLayersNeverImportHigherOnes(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Deps", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(bufio.NewReader(bytes.NewReader(out)))
	checked := 0
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(p.ImportPath, module)
		for layer, bans := range forbidden {
			if rel != layer && !strings.HasPrefix(rel, layer+"/") {
				continue
			}
			checked++
			for _, dep := range p.Deps {
				d := strings.TrimPrefix(dep, module)
				if d == dep {
					continue // outside the module
				}
				if slices.ContainsFunc(bans, func(b string) bool { return d == b || strings.HasPrefix(d, b+"/") }) {
					t.Errorf("%s imports %s: a lower layer must not import a higher one", rel, d)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d packages checked: is go list answering for the whole module?", checked)
	}
}

// TestNoHandlerOrActivityReachesPastTheStore: the API, the web front, intake
// and the activities read and write through the store's methods, never a
// collection of their own (only the composition root and tests may).
func TestNoHandlerOrActivityReachesPastTheStore(t *testing.T) {
	for _, dir := range []string{"api", "web", "intake", "activities", "workflows"} {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(src, []byte(".DB()")) {
				t.Errorf("%s reaches past the store to its database (.DB())", f)
			}
		}
	}
}
