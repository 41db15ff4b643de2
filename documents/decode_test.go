package documents_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
)

func decode(tb testing.TB, raw []byte) (*documents.BaseDocument, deficiency.List) {
	tb.Helper()
	return documents.DecodeBytes(raw, 0)
}

func TestUnknownFieldIsADeficiencyNamingItsPath_R12_2(t *testing.T) {
	raw := mutate(t, documents.CommitteeDecision, func(d map[string]any) {
		cert(d, 3)["grade"] = "A"
		d["remarks"] = "x"
		obj(d, "contact")["fax"] = "123"
	})
	doc, defs := decode(t, raw)
	if doc != nil {
		t.Error("document decoded despite unknown fields")
	}
	wantDeficiency(t, defs, "payload.certificates[3].grade", documents.CodeJSONUnknownField)
	wantDeficiency(t, defs, "remarks", documents.CodeJSONUnknownField)
	wantDeficiency(t, defs, "contact.fax", documents.CodeJSONUnknownField)
	if len(defs) != 3 {
		t.Errorf("want exactly 3 deficiencies:\n%s", listString(defs))
	}
}

func TestWrongTypeNamesTheFieldPath_R12_2(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"string for integer", func(d map[string]any) { cert(d, 3)["level"] = "4" }, "payload.certificates[3].level"},
		{"fraction for integer", func(d map[string]any) { cert(d, 2)["level"] = 4.5 }, "payload.certificates[2].level"},
		{"integer beyond int64", func(d map[string]any) { cert(d, 1)["eqfLevel"] = 1e19 }, "payload.certificates[1].eqfLevel"},
		{"number for string", func(d map[string]any) { cert(d, 0)["number"] = 214001 }, "payload.certificates[0].number"},
		{"object for array", func(d map[string]any) { cert(d, 4)["competences"] = map[string]any{} }, "payload.certificates[4].competences"},
		{"array for object", func(d map[string]any) { cert(d, 0)["standard"] = []any{1, 2} }, "payload.certificates[0].standard"},
		{"string for boolean", func(d map[string]any) { cert(d, 1)["hideName"] = "yes" }, "payload.certificates[1].hideName"},
		{"number for date", func(d map[string]any) { d["date"] = 20250612 }, "date"},
		{"nested", func(d map[string]any) { obj(cert(d, 3), "standard")["version"] = "4" }, "payload.certificates[3].standard.version"},
		{"array of wrong elements", func(d map[string]any) { cert(d, 0)["competences"] = []any{"a", 2} }, "payload.certificates[0].competences[1]"},
		{"top level", func(d map[string]any) { d["payload"] = "none" }, "payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, defs := decode(t, mutate(t, documents.CommitteeDecision, tt.edit))
			if doc != nil {
				t.Error("document decoded despite a type error")
			}
			wantDeficiency(t, defs, tt.field, documents.CodeJSONType)
		})
	}
}

func TestDatesMustBeRealAndWrittenYYYYMMDD_R12_2(t *testing.T) {
	for _, bad := range []string{"2025-02-30", "12.06.2025", "2025-6-12", "", "2025-06-12T00:00:00Z"} {
		raw := mutate(t, documents.CommitteeDecision, func(d map[string]any) { cert(d, 2)["validUntil"] = bad })
		_, defs := decode(t, raw)
		wantDeficiency(t, defs, "payload.certificates[2].validUntil", documents.CodeDateFormat)
	}
	// An escaped but well-formed date is a date.
	raw := bytes.Replace(readExample(t, documents.CommitteeDecision), []byte(`"date": "2025-06-12"`), []byte(`"date": "2025\u002d06-12"`), 1)
	doc, defs := decode(t, raw)
	wantClean(t, defs)
	if doc == nil || doc.Date.String() != "2025-06-12" {
		t.Errorf("escaped date decoded as %v", doc)
	}
}

func TestSyntaxErrorGivesTheByteOffset_R12_2(t *testing.T) {
	tests := []struct {
		raw    string
		offset string
	}{
		{`{"kind": "other",, }`, "17"},
		{`{"kind": "other"`, "16"},
		{``, "0"},
		{`   `, "3"},
		{`{"kind": tru}`, "9"},
		{`{"kind": "a` + "\n" + `b"}`, "11"},
		{`{"kind": "other"} {}`, "18"},
		{`{"kind": 01}`, "10"},
		{`{"kind": "\x"}`, "11"},
		{`{"number": "` + "\xef\xbb\xbf" + `"}`, ""}, // a BOM inside a string is fine UTF-8
		{"\xef\xbb\xbf{}", "0"},                      // a leading BOM is not JSON
		{strings.Repeat("[", 10001), "10000"},
	}
	for _, tt := range tests {
		_, defs := decode(t, []byte(tt.raw))
		if tt.offset == "" {
			for _, d := range defs {
				if d.Code == documents.CodeJSONSyntax {
					t.Errorf("%q: unexpected syntax error %v", tt.raw, d)
				}
			}
			continue
		}
		if len(defs) == 0 || defs[len(defs)-1].Code != documents.CodeJSONSyntax {
			t.Errorf("%.40q: want a syntax error last, got\n%s", tt.raw, listString(defs))
			continue
		}
		d := defs[len(defs)-1]
		if want := "at byte " + tt.offset + "."; !strings.HasSuffix(d.Message.EN, want) || !strings.Contains(d.Message.ET, "baidil "+tt.offset) {
			t.Errorf("%.40q: message %q, want offset %s", tt.raw, d.Message.EN, tt.offset)
		}
	}
}

func TestFieldNamesAreCaseSensitiveAndGivenOnce_R12_2(t *testing.T) {
	raw := []byte(`{"Kind": "other", "number": "1", "number": "2", "payload": {"Changes": []}}`)
	doc, defs := decode(t, raw)
	if doc != nil {
		t.Error("decoded")
	}
	wantDeficiency(t, defs, "kind", documents.CodeJSONFieldCase)
	wantDeficiency(t, defs, "number", documents.CodeJSONDuplicate)
	wantDeficiency(t, defs, "payload.changes", documents.CodeJSONFieldCase)
	for _, d := range defs {
		if d.Code == documents.CodeJSONFieldCase && !strings.Contains(d.Message.EN, "the field is ") {
			t.Errorf("no hint in %q", d.Message.EN)
		}
	}
}

// Fields the register keeps (closure, a council's decisions, a body's
// procedures) cannot be submitted (R13.2: the register enters exactly what
// the procedure decides).
func TestRegisterKeptFieldsAreRefused_R13_2(t *testing.T) {
	raw := mutate(t, documents.CommitteeDecision, func(d map[string]any) {
		cert(d, 0)["closed"] = map[string]any{"on": "2025-01-01"}
	})
	_, defs := decode(t, raw)
	wantDeficiency(t, defs, "payload.certificates[0].closed", documents.CodeRegisterOnly)

	raw = mutate(t, documents.AwardingRightDecision, func(d map[string]any) {
		obj(obj(d, "payload"), "awardingBody")["procedures"] = []any{}
	})
	_, defs = decode(t, raw)
	wantDeficiency(t, defs, "payload.awardingBody.procedures", documents.CodeRegisterOnly)
}

func TestMetadataSizeIsBounded_R12_2(t *testing.T) {
	raw := readExample(t, documents.GovernmentOrder)
	doc, defs := documents.DecodeBytes(raw, int64(len(raw)-1))
	if doc != nil {
		t.Error("decoded")
	}
	wantDeficiency(t, defs, "", documents.CodeTooLarge)
	if _, defs := documents.DecodeBytes(raw, int64(len(raw))); len(defs) != 0 {
		t.Errorf("exact size refused:\n%s", listString(defs))
	}
	// Decode reads at most the limit plus one byte.
	r := &countingReader{r: bytes.NewReader(bytes.Repeat([]byte(" "), 1<<20))}
	_, defs, err := documents.Decode(r, 1000)
	if err != nil || !has(defs, "", documents.CodeTooLarge) || r.n > 1001 {
		t.Errorf("Decode read %d bytes, defs %v, err %v", r.n, defs, err)
	}
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestDecodeFromReader(t *testing.T) {
	doc, defs, err := documents.Decode(bytes.NewReader(readExample(t, documents.StandardDecision)), 0)
	if err != nil || doc == nil || len(defs) != 0 {
		t.Fatalf("Decode = %v, %v, %v", doc, defs, err)
	}
	if doc.Payload.Standard.Title != "Külmamehaanik, tase 4" {
		t.Errorf("title %q", doc.Payload.Standard.Title)
	}
	boom := errors.New("connection reset")
	if _, _, err := documents.Decode(iotest.ErrReader(boom), 0); !errors.Is(err, boom) {
		t.Errorf("read error = %v", err)
	}
}

func TestMetadataMustBeUTF8_R12_2(t *testing.T) {
	_, defs := decode(t, []byte("{\"title\": \"Kutse\xff\"}"))
	wantDeficiency(t, defs, "", documents.CodeJSONEncoding)
}

func TestPayloadMustMatchKind_R10(t *testing.T) {
	certificates := `"certificates": [{"number": "1"}]`
	tests := []struct {
		name    string
		raw     string
		field   string
		code    deficiency.Code
		decoded bool
	}{
		{"missing kind", `{"payload": {}}`, "kind", documents.CodeRequired, true},
		{"unknown kind", `{"kind": "decision", "payload": {}}`, "kind", documents.CodeKindUnknown, true},
		{"certificates missing", `{"kind": "committee-decision", "payload": {}}`, "payload.certificates", documents.CodePayloadMissing, true},
		{"certificates empty", `{"kind": "committee-decision", "payload": {"certificates": []}}`, "payload.certificates", documents.CodePayloadMissing, true},
		{"certificates in a standard decision", `{"kind": "standard-decision", "payload": {` + certificates + `}}`, "payload.certificates", documents.CodePayloadMismatch, true},
		{"standard missing", `{"kind": "standard-decision", "payload": {` + certificates + `}}`, "payload.standard", documents.CodePayloadMissing, true},
		{"council in other", `{"kind": "other", "payload": {"council": {}, "changes": [{}]}}`, "payload.council", documents.CodePayloadMismatch, true},
		{"null payload", `{"kind": "government-order", "payload": null}`, "payload.council", documents.CodePayloadMissing, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, defs := decode(t, []byte(tt.raw))
			wantDeficiency(t, defs, tt.field, tt.code)
			if (doc != nil) != tt.decoded {
				t.Errorf("decoded = %v", doc != nil)
			}
		})
	}
	// Every kind's example carries exactly its own payload.
	for _, k := range documents.Kinds() {
		if _, defs := decode(t, readExample(t, k)); len(defs) != 0 {
			t.Errorf("%s:\n%s", k, listString(defs))
		}
	}
}

// An unknown key is shown in the field path only when it looks like a
// field name; a key that could be personal data is masked (R15.1).
func TestUnknownKeysThatMayBePersonalDataAreMasked_R15_1(t *testing.T) {
	raw := mutate(t, documents.CommitteeDecision, func(d map[string]any) {
		cert(d, 0)["36805280109"] = true
		cert(d, 1)["ik36805280109"] = true
		cert(d, 2)["Mari Maasikas"] = true
		cert(d, 3)["remark2"] = true
	})
	_, defs := decode(t, raw)
	wantDeficiency(t, defs, "payload.certificates[0].*", documents.CodeJSONUnknownField)
	wantDeficiency(t, defs, "payload.certificates[1].*", documents.CodeJSONUnknownField)
	wantDeficiency(t, defs, "payload.certificates[2].*", documents.CodeJSONUnknownField)
	wantDeficiency(t, defs, "payload.certificates[3].remark2", documents.CodeJSONUnknownField)
}

func TestNullLeavesAFieldEmpty(t *testing.T) {
	raw := mutate(t, documents.CommitteeDecision, func(d map[string]any) {
		cert(d, 0)["validUntil"] = nil
		cert(d, 0)["competences"] = nil
	})
	doc, defs := decode(t, raw)
	wantClean(t, defs)
	if c := doc.Payload.Certificates[0]; !c.ValidUntil.IsZero() || c.Competences != nil {
		t.Errorf("null not empty: %+v", c)
	}
}

func TestTooManyDecodingProblemsAreTruncated(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"kind": "committee-decision", "payload": {"certificates": [`)
	for i := 0; i < 3000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"x": 1}`)
	}
	b.WriteString(`]}}`)
	_, defs := decode(t, []byte(b.String()))
	if len(defs) != documents.DefaultMaxDeficiencies+1 || defs[len(defs)-1].Code != documents.CodeDeficienciesTruncated {
		t.Errorf("%d deficiencies, last %v", len(defs), defs[len(defs)-1])
	}
}
