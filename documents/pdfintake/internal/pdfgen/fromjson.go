package pdfgen

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// kindHeadings are the document titles of each kind.
var kindHeadings = map[string]string{
	"government-order":        "KORRALDUS",
	"minister-directive":      "KÄSKKIRI",
	"standard-decision":       "OTSUS",
	"awarding-right-decision": "OTSUS",
	"procedure-decision":      "OTSUS",
	"committee-decision":      "OTSUS",
	"other":                   "KIRI",
}

// genitiveMonths are the Estonian month names as dates write them
// ("12. juuni 2025").
var genitiveMonths = []string{"jaanuari", "veebruari", "märtsi", "aprilli", "mai", "juuni", "juuli", "augusti",
	"septembri", "oktoobri", "novembri", "detsembri"}

// EstonianDate writes a YYYY-MM-DD date as "12. juuni 2025".
func EstonianDate(iso string) (string, error) {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d. %s %d", t.Day(), genitiveMonths[t.Month()-1], t.Year()), nil
}

// LetterFromMetadata renders the letter that carries exactly the data of a
// base document's metadata JSON: issuer, kind, date and number, title, and
// every value of the payload, one entry per line group; as many pages as
// it takes. The contact person is not part of the document.
func LetterFromMetadata(meta []byte) ([]byte, error) {
	var m struct {
		Kind    string          `json:"kind"`
		Number  string          `json:"number"`
		Date    string          `json:"date"`
		Issuer  string          `json:"issuer"`
		Title   string          `json:"title"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(meta, &m); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	heading, ok := kindHeadings[m.Kind]
	if !ok {
		return nil, fmt.Errorf("unknown kind %q", m.Kind)
	}
	date, err := EstonianDate(m.Date)
	if err != nil {
		return nil, fmt.Errorf("metadata date: %w", err)
	}
	var payload any
	if err := json.Unmarshal(m.Payload, &payload); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	lines := []textLine{
		{"F2", 14, strings.ToUpper(m.Issuer), 12},
		{"F2", 12, heading, 0},
		{"F1", 11, fmt.Sprintf("Tallinn, %s nr %s", date, m.Number), 12},
	}
	for _, l := range wrap(m.Title, 80) {
		lines = append(lines, textLine{"F2", 11, l, 0})
	}
	lines[len(lines)-1].after = 8
	for _, entry := range flatten("", payload) {
		for _, l := range wrap(entry, 100) {
			lines = append(lines, textLine{"F1", 9, l, 0})
		}
		lines[len(lines)-1].after = 2
	}
	lines = append(lines, textLine{"F1", 11, "", 30}, textLine{"F1", 11, "(allkirjastatud digitaalselt)", 0})
	return render(m.Kind, m.Title, m.Issuer, lines), nil
}

// flatten writes a JSON value as entries "path: value; path: value", one
// entry per object of an array (so that a certificate is one entry).
func flatten(path string, v any) []string {
	switch x := v.(type) {
	case []any:
		var out []string
		for i, e := range x {
			out = append(out, flatten(fmt.Sprintf("%s[%d]", path, i), e)...)
		}
		return out
	case map[string]any:
		var leaves, nested []string
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			switch e := x[k].(type) {
			case map[string]any:
				leaves = append(leaves, strings.Join(flatten(p, e), "; "))
			case []any:
				if scalars(e) {
					leaves = append(leaves, fmt.Sprintf("%s: %s", k, joinScalars(e)))
				} else {
					nested = append(nested, flatten(p, e)...)
				}
			default:
				leaves = append(leaves, fmt.Sprintf("%s: %v", k, scalar(e)))
			}
		}
		var out []string
		if len(leaves) > 0 {
			head := path
			if head != "" {
				head += " — "
			}
			out = append(out, head+strings.Join(leaves, "; "))
		}
		return append(out, nested...)
	default:
		return []string{fmt.Sprintf("%s: %v", path, scalar(x))}
	}
}

func scalars(a []any) bool {
	for _, e := range a {
		switch e.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func joinScalars(a []any) string {
	s := make([]string, len(a))
	for i, e := range a {
		s[i] = fmt.Sprint(scalar(e))
	}
	return strings.Join(s, ", ")
}

// scalar formats numbers as integers where they are.
func scalar(v any) any {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return int64(f)
	}
	return v
}
