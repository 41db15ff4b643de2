package documents

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Decode reads the metadata JSON of a base document from r — at most
// maxBytes bytes (DefaultMaxBytes when maxBytes ≤ 0) — and decodes it
// strictly (see DecodeBytes). The error is only for a failure to read r.
func Decode(r io.Reader, maxBytes int64) (*BaseDocument, deficiency.List, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read metadata: %w", err)
	}
	doc, defs := DecodeBytes(data, maxBytes)
	return doc, defs, nil
}

// DecodeBytes decodes the metadata JSON of a base document strictly:
//
//   - at most maxBytes bytes (DefaultMaxBytes when maxBytes ≤ 0), valid UTF-8;
//   - a syntax error is reported with its byte offset;
//   - every unknown field, field given twice, field in the wrong letter case,
//     field kept by the register, value of the wrong JSON type and malformed
//     date is reported, each with its JSON path
//     (payload.certificates[3].level);
//   - the kind must be one of the seven and the payload must be the one of
//     that kind (R10).
//
// The document is nil when the JSON could not be decoded into it; it is
// returned, with deficiencies, when only the kind or payload is wrong.
// DecodeBytes never panics.
func DecodeBytes(data []byte, maxBytes int64) (*BaseDocument, deficiency.List) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	var defs deficiency.List
	if int64(len(data)) > maxBytes {
		report(&defs, "", CodeTooLarge, param("max", strconv.FormatInt(maxBytes, 10)))
		return nil, defs
	}
	if !utf8.Valid(data) {
		report(&defs, "", CodeJSONEncoding)
		return nil, defs
	}
	s := scanner{data: data, defs: &defs, limit: DefaultMaxDeficiencies}
	s.document()
	if len(defs) > 0 {
		return nil, defs
	}
	var doc BaseDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		// Unreachable if the scanner agrees with encoding/json, which
		// FuzzDecode checks; kept so a disagreement is a deficiency, not
		// a crash.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			report(&defs, "", CodeJSONSyntax, param("offset", strconv.FormatInt(se.Offset, 10)))
		} else {
			report(&defs, "", CodeJSONInvalid)
		}
		return nil, defs
	}
	defs = append(defs, checkShape(&doc)...)
	return &doc, defs
}

// checkShape checks that the kind is known and that exactly its payload is
// present (R10).
func checkShape(doc *BaseDocument) deficiency.List {
	var defs deficiency.List
	info, ok := doc.Kind.Info()
	switch {
	case doc.Kind == "":
		report(&defs, "kind", CodeRequired)
		return defs
	case !ok:
		report(&defs, "kind", CodeKindUnknown, param("allowed", kindList()))
		return defs
	}
	present := map[string]bool{
		"council":      doc.Payload.Council != nil,
		"standard":     doc.Payload.Standard != nil,
		"awardingBody": doc.Payload.AwardingBody != nil,
		"procedure":    doc.Payload.Procedure != nil,
		"certificates": len(doc.Payload.Certificates) > 0,
		"changes":      len(doc.Payload.Changes) > 0,
	}
	if !present[info.PayloadField] {
		report(&defs, "payload."+info.PayloadField, CodePayloadMissing, param("kind", string(doc.Kind)))
	}
	for _, f := range []string{"council", "standard", "awardingBody", "procedure", "certificates", "changes"} {
		if f != info.PayloadField && present[f] {
			report(&defs, "payload."+f, CodePayloadMismatch,
				param("kind", string(doc.Kind)), param("other", kindsCarrying(f)))
		}
	}
	return defs
}

func kindList() string {
	ks := Kinds()
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// kindsCarrying lists the kinds whose payload is field f.
func kindsCarrying(f string) string {
	var s []string
	for _, k := range Kinds() {
		if info, _ := k.Info(); info.PayloadField == f {
			s = append(s, string(k))
		}
	}
	return strings.Join(s, " / ")
}
