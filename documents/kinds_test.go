package documents_test

import (
	"testing"

	"github.com/kutsekoda/alusdok/documents"
)

func TestSevenKindsWithTheirFacts_R10(t *testing.T) {
	kinds := documents.Kinds()
	if len(kinds) != 7 {
		t.Fatalf("%d kinds, want 7", len(kinds))
	}
	wantSubmitter := map[documents.Kind]documents.SubmittedBy{
		documents.GovernmentOrder:       documents.ByKutsekoda,
		documents.MinisterDirective:     documents.ByKutsekoda,
		documents.StandardDecision:      documents.ByKutsekoda,
		documents.AwardingRightDecision: documents.ByKutsekoda,
		documents.ProcedureDecision:     documents.ByKutsekoda,
		documents.CommitteeDecision:     documents.ByAwardingBody,
		documents.Other:                 documents.ByTarget,
	}
	payloads := map[string]bool{}
	for i, k := range kinds {
		info, ok := k.Info()
		if !ok || !k.Valid() || info.Kind != k {
			t.Fatalf("%s: no info", k)
		}
		if info.NameET == "" || info.NameEN == "" || info.TitleET == "" || info.TitleEN == "" || info.PayloadField == "" {
			t.Errorf("%s: incomplete info %+v", k, info)
		}
		if want := "§ 10 p " + string(rune('1'+i)); info.Statute != want {
			t.Errorf("%s: statute %q, want %q", k, info.Statute, want)
		}
		if info.SubmittedBy != wantSubmitter[k] {
			t.Errorf("%s: submitted by %s, want %s (R11.1)", k, info.SubmittedBy, wantSubmitter[k])
		}
		payloads[info.PayloadField] = true
	}
	if info, _ := documents.GovernmentOrder.Info(); info.NameET != "Vabariigi Valitsuse korraldus" {
		t.Errorf("government order is called %q", info.NameET)
	}
	if len(payloads) != 6 { // council serves two kinds
		t.Errorf("payload fields %v", payloads)
	}
	for _, k := range []documents.Kind{"", "decision", "Government-Order"} {
		if k.Valid() {
			t.Errorf("%q is valid", k)
		}
	}
}

func TestSignatureIsRequiredByDefaultAndConfigurable(t *testing.T) {
	p := documents.DefaultPolicy()
	for _, k := range documents.Kinds() {
		if !p.RequiresSignature(k) {
			t.Errorf("%s does not require a signature by default", k)
		}
	}
	p.SignatureRequired[documents.Other] = false
	if p.RequiresSignature(documents.Other) || !p.RequiresSignature(documents.CommitteeDecision) {
		t.Error("override not honoured")
	}
	var zero documents.Policy
	if !zero.RequiresSignature(documents.StandardDecision) {
		t.Error("a kind missing from the map must require a signature")
	}
	// The Validator keeps its own copy of the policy.
	v := documents.NewValidator(p)
	p.SignatureRequired[documents.Other] = true
	if v.Policy().RequiresSignature(documents.Other) {
		t.Error("Validator shares the caller's map")
	}
	if v.Policy().Limits != documents.DefaultLimits() {
		t.Errorf("limits %+v", v.Policy().Limits)
	}
	if got := documents.NewValidator(documents.Policy{}).Policy().Limits; got != documents.DefaultLimits() {
		t.Errorf("zero limits not defaulted: %+v", got)
	}
}
