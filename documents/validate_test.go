package documents_test

import (
	"slices"
	"testing"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// Validate is Fields then Validator.Check: a caller that kept what Fields
// found at receipt re-runs only the register checks, and they see what the
// register holds now (R13.3: a number entered since receipt).
func TestCheckAfterFieldsIsValidateAgainstTheRegisterAsItIsNow_R13_3(t *testing.T) {
	v := documents.NewValidator(documents.DefaultPolicy())
	doc := examples.GenerateCommitteeDecision(3)
	raw := mustJSON(t, doc)
	taken := examples.Register()
	taken.PutCertificate(doc.Payload.Certificates[1])
	kept := deficiency.List{{Field: "payload.certificates[0].note", Code: "kept.at.intake", Severity: deficiency.Warning}}
	cases := []struct {
		name   string
		reg    documents.Register
		fields deficiency.List // nil: what Fields finds now
		want   []string        // field/code of every deficiency
	}{
		{"the register as at receipt", examples.Register(), nil, nil},
		{"a number entered since receipt", taken, nil, []string{"payload.certificates[1].number/" + string(documents.CodeCertificateNumberExists)}},
		{"kept field deficiencies are kept, not found again", taken, kept,
			[]string{"payload.certificates[0].note/kept.at.intake", "payload.certificates[1].number/" + string(documents.CodeCertificateNumberExists)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parsed, fields := v.Fields(raw, examples.Today())
			if parsed == nil || len(fields) != 0 {
				t.Fatalf("Fields: %v", fields)
			}
			if c.fields != nil {
				fields = c.fields
			}
			got, err := v.Check(t.Context(), parsed, fields, eetel, c.reg)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, d := range got {
				codes = append(codes, d.Field+"/"+string(d.Code))
			}
			if !slices.Equal(codes, c.want) {
				t.Errorf("Check: %v, want %v", codes, c.want)
			}
			if c.fields == nil {
				_, all, err := v.Validate(t.Context(), raw, eetel, c.reg, examples.Today())
				if err != nil || listString(all) != listString(got) {
					t.Errorf("Validate: %v, %v; Fields then Check: %v", listString(all), err, listString(got))
				}
			}
		})
	}
}

// A kept Fields result counts only under the rules that made it.
func TestRulesIDNamesThePolicy(t *testing.T) {
	p := documents.DefaultPolicy()
	a, b := documents.NewValidator(p), documents.NewValidator(p)
	p.Limits.MaxCertificates = 20
	c := documents.NewValidator(p)
	if a.RulesID() != b.RulesID() || a.RulesID() == c.RulesID() {
		t.Errorf("RulesID: same policy %q and %q, other limits %q", a.RulesID(), b.RulesID(), c.RulesID())
	}
}
