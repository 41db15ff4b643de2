package documents_test

import (
	"sync"
	"testing"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// largeDecision is a committee decision of 10,000 certificates with every
// optional field filled, encoded as the indented JSON an API client might
// send: the worst realistic case for size.
var largeDecision = sync.OnceValue(func() *documents.BaseDocument {
	doc := examples.GenerateCommitteeDecision(10000)
	for i := range doc.Payload.Certificates {
		c := &doc.Payload.Certificates[i]
		pc, _ := documents.ParsePersonalCode(c.PersonalCode)
		c.BirthDate = pc.BirthDate
		c.Specialisation = "Hooneautomaatika"
		c.PartialQualification = "Elektripaigaldise ehitamine madalpingel"
		c.HideName, c.HideBirthDate = true, true
	}
	return doc
})

func largeDecisionJSON(tb testing.TB) []byte {
	tb.Helper()
	return mustJSON(tb, largeDecision())
}

// The default size limit holds the largest legitimate committee decision
// with ample headroom (policy.go states the measured size).
func TestDefaultMaxBytesHoldsTenThousandCertificates_R12_2(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("builds 10,000 certificates; run without -race and -short")
	}
	raw := largeDecisionJSON(t)
	t.Logf("10,000 certificates, every field, indented: %d bytes (%.1f MiB); limit %d MiB",
		len(raw), float64(len(raw))/(1<<20), documents.DefaultMaxBytes>>20)
	if int64(len(raw))*3 > documents.DefaultMaxBytes {
		t.Errorf("less than threefold headroom: %d bytes against %d", len(raw), documents.DefaultMaxBytes)
	}
	_, defs := validate(t, raw, eetel, examples.Register())
	wantClean(t, defs)
}

// BenchmarkDecodeCommitteeDecision10000 is the strict JSON decode alone.
func BenchmarkDecodeCommitteeDecision10000(b *testing.B) {
	raw := largeDecisionJSON(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		doc, defs := documents.DecodeBytes(raw, 0)
		if doc == nil || len(defs) != 0 {
			b.Fatalf("decode: %v", defs)
		}
	}
}

// BenchmarkValidateCommitteeDecision10000 is the whole pipeline: decode,
// field rules and register checks against the in-memory register.
func BenchmarkValidateCommitteeDecision10000(b *testing.B) {
	raw := largeDecisionJSON(b)
	v := documents.NewValidator(documents.DefaultPolicy())
	reg := examples.Register()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		doc, defs, err := v.Validate(b.Context(), raw, eetel, reg, examples.Today())
		if err != nil || doc == nil || len(defs) != 0 {
			b.Fatalf("validate: %v %v", defs, err)
		}
	}
}

// BenchmarkRulesCommitteeDecision10000 is the field rules alone, to see
// where Validate's time goes.
func BenchmarkRulesCommitteeDecision10000(b *testing.B) {
	doc := largeDecision()
	v := documents.NewValidator(documents.DefaultPolicy())
	b.ReportAllocs()
	for b.Loop() {
		if defs := v.Rules(doc, examples.Today()); len(defs) != 0 {
			b.Fatal(defs)
		}
	}
}
