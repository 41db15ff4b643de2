package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/kutsekoda/alusdok/documents"
)

// payloadRow is one field of a base document's register data, by its JSON
// path (the path deficiencies name), with the deficiencies at it.
type payloadRow struct {
	Path  string
	Label string
	Value string
	Errs  []string
}

// payloadRows flattens the register data of a document that carries no
// certificates (a council, a standard, an awarding body, a procedure,
// changes) into rows, in the JSON's order of fields, so that each
// deficiency shows next to its field.
func payloadRows(lang string, doc *documents.BaseDocument, errs map[string][]string) []payloadRow {
	raw, err := json.Marshal(doc.Payload)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var rows []payloadRow
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(path+"."+k, x[k])
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		default:
			rows = append(rows, payloadRow{Path: path, Label: payloadLabel(lang, path), Value: fmt.Sprint(x), Errs: errs[path]})
		}
	}
	walk("payload", v)
	// A deficiency of a whole object or list shows at its first field.
	for f, msgs := range errs {
		if !strings.HasPrefix(f, "payload.") {
			continue
		}
		placed := false
		for i := range rows {
			if rows[i].Path == f {
				placed = true
				break
			}
		}
		for i := range rows {
			if !placed && strings.HasPrefix(rows[i].Path, f) {
				rows[i].Errs = append(rows[i].Errs, msgs...)
				placed = true
			}
		}
	}
	return rows
}

// payloadLabel shows a path without its "payload." and with 1-based
// positions: "council.members 2.name".
func payloadLabel(lang, path string) string {
	p := strings.TrimPrefix(path, "payload.")
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '[' {
			j := strings.IndexByte(p[i:], ']')
			if j > 0 {
				var n int
				fmt.Sscanf(p[i+1:i+j], "%d", &n)
				fmt.Fprintf(&b, " %d", n+1)
				i += j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
