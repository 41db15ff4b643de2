package documents_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// FuzzDecode feeds arbitrary bytes to the decoder and the rest of the
// pipeline. Properties:
//
//   - nothing panics (the fuzzer reports panics itself);
//   - the decoder's JSON grammar agrees with encoding/json: valid JSON never
//     gets a syntax deficiency, invalid JSON is never decoded, and a document
//     the scanner passes always unmarshals (no json.invalid);
//   - a decoded document re-encodes and decodes to the same document;
//   - Rules and Check never fail on it with a healthy register.
//
// Seeds: the seven examples plus testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	for _, k := range documents.Kinds() {
		f.Add(readExample(f, k))
	}
	f.Add([]byte(`{"kind":"committee-decision","payload":{"certificates":[{"level":"4"},{"Number":1,"number":"1","number":"2"}]}}`))
	f.Add([]byte(`{"kind":"other","date":"2025-02-29","payload":{"changes":[{"target":"certificate","certificate":{"closed":{}}}]}}`))
	f.Add([]byte(`{"kind":"\u0067overnment-order","payload":{"council":{"id":"x","members":[{"role":"chair"}]}}}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Add([]byte(`{"number":-0.0e+0,"title":"\ud800","payload":{"certificates":[null,{}]}}`))
	v := documents.NewValidator(documents.DefaultPolicy())
	reg := examples.Register()
	const limit = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, defs := documents.DecodeBytes(data, limit)
		if doc == nil && len(defs) == 0 {
			t.Fatal("no document and no deficiency")
		}
		if codeIn(defs, documents.CodeJSONInvalid) {
			t.Fatalf("scanner passed what encoding/json refused:\n%s", listString(defs))
		}
		valid := len(data) <= limit && utf8.Valid(data) && json.Valid(data)
		if valid && codeIn(defs, documents.CodeJSONSyntax) {
			t.Fatalf("syntax error reported for valid JSON:\n%s", listString(defs))
		}
		if !valid && doc != nil {
			t.Fatal("invalid JSON decoded")
		}
		if doc == nil {
			return
		}
		first, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, defs2 := documents.DecodeBytes(first, 0)
		if again == nil {
			t.Fatalf("re-encoded document does not decode:\n%s\n%s", first, listString(defs2))
		}
		second, err := json.Marshal(again)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the document:\n%s\n%s", first, second)
		}
		v.Rules(doc, examples.Today())
		if _, err := documents.Check(t.Context(), doc, examples.Submitter(doc.Kind), reg); err != nil {
			t.Fatalf("Check: %v", err)
		}
		for _, d := range defs {
			if strings.ContainsAny(d.Message.EN, "{}") {
				t.Fatalf("unfilled placeholder: %v", d)
			}
		}
	})
}

func codeIn(defs deficiency.List, code deficiency.Code) bool {
	for _, d := range defs {
		if d.Code == code {
			return true
		}
	}
	return false
}
