package documents_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// update rewrites the generated files (testdata/examples/*.json, CODES.md).
var update = flag.Bool("update", false, "rewrite generated test files")

// mustJSON encodes v as the indented JSON the example files use.
func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		tb.Fatalf("encode: %v", err)
	}
	return buf.Bytes()
}

// exampleFile is the path of the JSON example of kind k.
func exampleFile(k documents.Kind) string {
	return filepath.Join("testdata", "examples", string(k)+".json")
}

// readExample returns the JSON example of kind k.
func readExample(tb testing.TB, k documents.Kind) []byte {
	tb.Helper()
	b, err := os.ReadFile(exampleFile(k))
	if err != nil {
		tb.Fatalf("read example: %v", err)
	}
	return b
}

// validate runs the whole pipeline with the default policy against reg, as
// the example's entitled submitter, on examples.Today().
func validate(tb testing.TB, raw []byte, sub documents.Submitter, reg documents.Register) (*documents.BaseDocument, deficiency.List) {
	tb.Helper()
	v := documents.NewValidator(documents.DefaultPolicy())
	doc, defs, err := v.Validate(tb.Context(), raw, sub, reg, examples.Today())
	if err != nil {
		tb.Fatalf("Validate: %v", err)
	}
	return doc, defs
}

// validateDoc encodes doc and validates it.
func validateDoc(tb testing.TB, doc *documents.BaseDocument, sub documents.Submitter, reg documents.Register) deficiency.List {
	tb.Helper()
	_, defs := validate(tb, mustJSON(tb, doc), sub, reg)
	return defs
}

// has reports whether defs holds code at field.
func has(defs deficiency.List, field string, code deficiency.Code) bool {
	for _, d := range defs {
		if d.Field == field && d.Code == code {
			return true
		}
	}
	return false
}

// wantDeficiency fails unless defs holds code at field.
func wantDeficiency(tb testing.TB, defs deficiency.List, field string, code deficiency.Code) {
	tb.Helper()
	if !has(defs, field, code) {
		tb.Errorf("want %s at %q, got:\n%s", code, field, listString(defs))
	}
}

// wantClean fails if defs holds anything at all.
func wantClean(tb testing.TB, defs deficiency.List) {
	tb.Helper()
	if len(defs) > 0 {
		tb.Errorf("want no deficiencies, got:\n%s", listString(defs))
	}
}

func listString(defs deficiency.List) string {
	if len(defs) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for _, d := range defs {
		b.WriteString("  " + string(d.Severity) + " " + d.String() + "\n")
	}
	return b.String()
}

// mutate decodes the JSON example of kind k into generic maps, lets edit
// change it, and encodes it again: a way to build invalid documents.
func mutate(tb testing.TB, k documents.Kind, edit func(doc map[string]any)) []byte {
	tb.Helper()
	var doc map[string]any
	if err := json.Unmarshal(readExample(tb, k), &doc); err != nil {
		tb.Fatal(err)
	}
	edit(doc)
	return mustJSON(tb, doc)
}

// obj and arr navigate generic JSON.
func obj(v any, key string) map[string]any { return v.(map[string]any)[key].(map[string]any) }
func arr(v any, key string) []any          { return v.(map[string]any)[key].([]any) }

// cert returns certificate i of a generic committee decision.
func cert(doc map[string]any, i int) map[string]any {
	return arr(obj(doc, "payload"), "certificates")[i].(map[string]any)
}
