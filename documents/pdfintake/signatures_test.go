package pdfintake

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

func TestSignatureModifiedAfterSigningIsDeficiency_R13_2(t *testing.T) {
	for _, require := range []bool{true, false} {
		in := mustInspector(t, Options{RequireSignature: require})
		data := mustRead(t, filepath.Join(hostileDir, "modified-after-signing.pdf"))
		o := inspectWithin(t, in, data, 30*time.Second)
		if o.err != nil || len(o.res.Signatures) != 1 {
			t.Fatalf("Inspect = %+v, %v; want one signature", o.res, o.err)
		}
		s := o.res.Signatures[0]
		if !s.ModifiedAfterSigning || s.SignedBytes >= int64(len(data)) {
			t.Errorf("signed %d of %d bytes, modified after signing %t; want the appended update detected", s.SignedBytes, len(data), s.ModifiedAfterSigning)
		}
		if s.Status != SignatureValid {
			t.Errorf("status %s; the signed revision itself is intact", s.Status)
		}
		if len(o.defs) != 1 || !hasCode(o.defs, CodeSignatureModifiedAfterSigning, deficiency.Error) ||
			o.defs[0].Field != "document.signatures[0]" {
			t.Errorf("RequireSignature=%t: deficiencies %v, want only the error %s on document.signatures[0]", require, o.defs, CodeSignatureModifiedAfterSigning)
		}
	}
}

func TestByteChangedInsideSignedRangeInvalidatesSignature_R13_2(t *testing.T) {
	in := mustInspector(t, Options{})
	o := inspectWithin(t, in, mustRead(t, filepath.Join(hostileDir, "flipped-byte.pdf")), 30*time.Second)
	if o.err != nil || len(o.res.Signatures) != 1 {
		t.Fatalf("Inspect = %+v, %v; want one signature", o.res, o.err)
	}
	if s := o.res.Signatures[0]; s.Status != SignatureInvalid || s.ModifiedAfterSigning {
		t.Errorf("status %s, modified after signing %t; want invalid, no appended bytes", s.Status, s.ModifiedAfterSigning)
	}
	if !hasCode(o.defs, CodeSignatureInvalid, deficiency.Error) {
		t.Errorf("deficiencies %v, want %s", o.defs, CodeSignatureInvalid)
	}
}

func TestUntrustedSignatureIsErrorOnlyWhenASignatureIsRequired(t *testing.T) {
	data := mustRead(t, filepath.Join(hostileDir, "untrusted-ca.pdf"))
	for require, sev := range map[bool]deficiency.Severity{true: deficiency.Error, false: deficiency.Warning} {
		in := mustInspector(t, Options{RequireSignature: require})
		o := inspectWithin(t, in, data, 30*time.Second)
		if o.err != nil || len(o.res.Signatures) != 1 {
			t.Fatalf("Inspect = %+v, %v; want one signature", o.res, o.err)
		}
		s := o.res.Signatures[0]
		if s.Status != SignatureUnknown || s.Trusted {
			t.Errorf("status %s, trusted %t; want unknown, untrusted", s.Status, s.Trusted)
		}
		if s.PersonalCode != rogueCode {
			t.Errorf("personal code %q, want %s even for an untrusted signer", s.PersonalCode, rogueCode)
		}
		if len(o.defs) != 1 || !hasCode(o.defs, CodeSignatureUntrusted, sev) {
			t.Errorf("RequireSignature=%t: deficiencies %v, want only %s as %s", require, o.defs, CodeSignatureUntrusted, sev)
		}
	}
}

func TestMissingSignatureIsDeficiencyOnlyWhenRequired(t *testing.T) {
	data := mustRead(t, filepath.Join(unsignedDir, "committee-decision.pdf"))
	for require, want := range map[bool]int{true: 1, false: 0} {
		in := mustInspector(t, Options{RequireSignature: require})
		o := inspectWithin(t, in, data, 30*time.Second)
		if o.err != nil || len(o.defs) != want || (want == 1 && !hasCode(o.defs, CodeSignatureMissing, deficiency.Error)) {
			t.Errorf("RequireSignature=%t: deficiencies %v, %v; want %d × %s", require, o.defs, o.err, want, CodeSignatureMissing)
		}
	}
}

func TestSignaturePolicy(t *testing.T) {
	valid := func(end int64, modified bool) checkedSignature {
		return checkedSignature{Signature: Signature{Status: SignatureValid, SignedBytes: end, ModifiedAfterSigning: modified}, verdict: verdictValid}
	}
	changed := func(s checkedSignature) checkedSignature { s.changedAfter = true; return s }
	untrusted := func(end int64, modified bool) checkedSignature {
		return checkedSignature{Signature: Signature{Status: SignatureUnknown, SignedBytes: end, ModifiedAfterSigning: modified}, verdict: verdictUntrusted}
	}
	tests := []struct {
		name    string
		sigs    []checkedSignature
		require bool
		want    []deficiency.Deficiency
	}{
		{"co-signature adds only a signature", []checkedSignature{valid(100, true), valid(200, false)}, true,
			[]deficiency.Deficiency{{Field: "document.signatures[0]", Code: CodeSignatureLaterRevision, Severity: deficiency.Warning}}},
		{"later revision changes content, then signed validly", []checkedSignature{changed(valid(100, true)), valid(200, false)}, false,
			[]deficiency.Deficiency{{Field: "document.signatures[0]", Code: CodeSignatureModifiedAfterSigning, Severity: deficiency.Error}}},
		{"later revision changes content, unsigned", []checkedSignature{changed(valid(100, true))}, false,
			[]deficiency.Deficiency{{Field: "document.signatures[0]", Code: CodeSignatureModifiedAfterSigning, Severity: deficiency.Error}}},
		{"only untrusted, required", []checkedSignature{untrusted(200, false)}, true,
			[]deficiency.Deficiency{{Field: "document.signatures[0]", Code: CodeSignatureUntrusted, Severity: deficiency.Error}}},
		{"untrusted beside a valid one", []checkedSignature{valid(100, false), untrusted(100, false)}, true,
			[]deficiency.Deficiency{{Field: "document.signatures[1]", Code: CodeSignatureUntrusted, Severity: deficiency.Warning}}},
		{"unverifiable, not required", []checkedSignature{{Signature: Signature{SignedBytes: 10}, verdict: verdictUnverifiable}}, false,
			[]deficiency.Deficiency{{Field: "document.signatures[0]", Code: CodeSignatureUnverifiable, Severity: deficiency.Warning}}},
		{"invalid is always an error", []checkedSignature{{Signature: Signature{SignedBytes: 10}, verdict: verdictInvalid, reason: reasonCertExpired}}, false,
			[]deficiency.Deficiency{{Field: "document.signatures[0]", Code: CodeSignatureInvalid, Severity: deficiency.Error}}},
		{"none, not required", nil, false, nil},
		{"none, required", nil, true,
			[]deficiency.Deficiency{{Field: "document", Code: CodeSignatureMissing, Severity: deficiency.Error}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := signaturePolicy(tt.sigs, tt.require)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i, d := range got {
				w := tt.want[i]
				if d.Field != w.Field || d.Code != w.Code || d.Severity != w.Severity || d.Message.ET == "" || d.Message.EN == "" {
					t.Errorf("[%d] = %+v, want %+v with messages", i, d, w)
				}
			}
		})
	}
}
