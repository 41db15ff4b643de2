package pdfintake

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfgen"
)

const (
	signersDir   = "testdata/signers"
	revisionsDir = "testdata/revisions"
)

// Each fixture of testdata/signers is other.pdf signed by a test signer
// (scripts/make-test-pdfs.sh) whose certificate, issued by the trusted
// test CA, breaks one rule. The signature itself verifies.
func TestSignerRulesRefuseWhatTheRegisterCannotTrust_R13_1(t *testing.T) {
	tests := []struct {
		file     string
		require  bool
		want     deficiency.Code
		sev      deficiency.Severity
		identity string
	}{
		{"bad-check-digit.pdf", false, CodeSignerIdentity, deficiency.Error, "invalid"},
		{"impossible-date.pdf", false, CodeSignerIdentity, deficiency.Error, "invalid"},
		{"no-serial.pdf", true, CodeSignerIdentity, deficiency.Error, "none"},
		{"no-serial.pdf", false, CodeSignerIdentity, deficiency.Warning, "none"},
		{"foreign-serial.pdf", true, CodeForeignIdentity, deficiency.Warning, "foreign"},
		{"no-nonrepudiation.pdf", true, CodeKeyUsage, deficiency.Error, "estonian"},
		{"expired.pdf", true, CodeNotValidAtSigning, deficiency.Error, "estonian"},
		{"sha1.pdf", true, CodeWeakAlgorithm, deficiency.Error, "estonian"},
		{"rsa1024.pdf", true, CodeWeakAlgorithm, deficiency.Error, "estonian"},
	}
	for _, tt := range tests {
		name := tt.file
		if tt.require {
			name += "/signature required"
		}
		t.Run(name, func(t *testing.T) {
			in := mustInspector(t, Options{RequireSignature: tt.require})
			o := inspectWithin(t, in, mustRead(t, filepath.Join(signersDir, tt.file)), time.Minute)
			if o.err != nil || len(o.res.Signatures) != 1 {
				t.Fatalf("Inspect = %+v, %v; want one signature", o.res, o.err)
			}
			if !hasCode(o.defs, tt.want, tt.sev) {
				t.Errorf("deficiencies %v; want %s as %s", o.defs, tt.want, tt.sev)
			}
			if got := o.res.Signatures[0].Identity; got != tt.identity {
				t.Errorf("identity %q, want %q", got, tt.identity)
			}
			for _, d := range o.defs {
				if d.Field != "document.signatures[0]" {
					t.Errorf("deficiency %v not on the signature", d)
				}
			}
		})
	}
}

func TestForeignSignerIsRecordedWithAWarningOnly(t *testing.T) {
	in := mustInspector(t, Options{RequireSignature: true})
	o := inspectWithin(t, in, mustRead(t, filepath.Join(signersDir, "foreign-serial.pdf")), time.Minute)
	if o.defs.HasErrors() || len(o.defs) != 1 {
		t.Errorf("deficiencies %v; want only the foreign-identity warning", o.defs)
	}
	if s := o.res.Signatures[0]; s.SubjectSerialNumber != "PNOLV-150288-12345" || s.PersonalCode != "" || s.Status != SignatureValid {
		t.Errorf("signature %+v; want the foreign identifier recorded, no personal code, valid", s)
	}
}

func TestIdentityClassification(t *testing.T) {
	tests := map[string]identityKind{
		"PNOEE-48803150230":  identityEstonian,
		"PNOEE-48803150231":  identityInvalid, // check digit
		"PNOEE-38802300212":  identityInvalid, // 30 February
		"PNOEE-4880315023":   identityInvalid, // format
		"PNOLV-150288-12345": identityForeign,
		"PNOLT-38001010000":  identityForeign,
		"PASEE-K1234567":     identityForeign,
		"IDCLT-AB123456":     identityForeign,
		"NTREE-10000000":     identityNone, // an e-seal: no natural person
		"":                   identityNone,
		"48803150230":        identityNone,
	}
	for in, want := range tests {
		if got := classifyIdentity(in); got != want {
			t.Errorf("classifyIdentity(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestRevisionsAfterSigning_R13_2(t *testing.T) {
	tests := []struct {
		file string
		want []deficiency.Deficiency // in addition, nothing else but what is listed
	}{
		{"changed-then-signed.pdf", []deficiency.Deficiency{
			{Field: "document.signatures[0]", Code: CodeSignatureModifiedAfterSigning, Severity: deficiency.Error}}},
		{"changed-then-signed-bad-code.pdf", []deficiency.Deficiency{
			{Field: "document.signatures[0]", Code: CodeSignatureModifiedAfterSigning, Severity: deficiency.Error},
			{Field: "document.signatures[1]", Code: CodeSignerIdentity, Severity: deficiency.Error}}},
		{"cosigned.pdf", []deficiency.Deficiency{
			{Field: "document.signatures[0]", Code: CodeSignatureLaterRevision, Severity: deficiency.Warning}}},
		{"cosigned-untrusted.pdf", []deficiency.Deficiency{
			{Field: "document.signatures[0]", Code: CodeSignatureLaterRevision, Severity: deficiency.Warning},
			{Field: "document.signatures[1]", Code: CodeSignatureUntrusted, Severity: deficiency.Warning}}},
	}
	in := mustInspector(t, Options{RequireSignature: true})
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			o := inspectWithin(t, in, mustRead(t, filepath.Join(revisionsDir, tt.file)), time.Minute)
			if o.err != nil || len(o.res.Signatures) != 2 {
				t.Fatalf("Inspect = %+v, %v; want two signatures", o.res, o.err)
			}
			if len(o.defs) != len(tt.want) {
				t.Fatalf("deficiencies %v; want %v", o.defs, tt.want)
			}
			for _, w := range tt.want {
				found := false
				for _, d := range o.defs {
					found = found || (d.Field == w.Field && d.Code == w.Code && d.Severity == w.Severity)
				}
				if !found {
					t.Errorf("deficiencies %v lack %s %s on %s", o.defs, w.Severity, w.Code, w.Field)
				}
			}
		})
	}
}

// Incremental updates made here on a signed example: what renders is a
// change, what does not is a later revision.
func TestRevisionChangesAreJudgedByWhatTheyChange_R13_2(t *testing.T) {
	signed := mustRead(t, filepath.Join(examplesDir, "other.pdf"))
	catalog := "<< /Type /Catalog /Pages 2 0 R /Lang (et-EE) /AcroForm << /Fields [] /DR << /Font << /popplerfont 8 0 R >> >> " +
		"/DA (/popplerfont 0 Tf 0 g) >> /DSS 20 0 R >>"
	page := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R /Annots 12 0 R >>"
	tests := []struct {
		name string
		objs map[int]string
		want deficiency.Code
		sev  deficiency.Severity
	}{
		{"document information only", map[int]string{7: "<< /Title (Muudetud pealkiri) /Producer (x) >>"}, CodeSignatureLaterRevision, deficiency.Warning},
		{"XMP metadata added and then updated", nil, CodeSignatureLaterRevision, deficiency.Warning},
		{"validation data (DSS)", map[int]string{1: catalog, 20: "<< /Type /DSS /Certs [] >>"}, CodeSignatureLaterRevision, deficiency.Warning},
		{"a text annotation added", map[int]string{12: "[9 0 R 20 0 R]", 20: "<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (Muudetud) >>"},
			CodeSignatureModifiedAfterSigning, deficiency.Error},
		{"page turned to landscape", map[int]string{3: page}, CodeSignatureModifiedAfterSigning, deficiency.Error},
		{"a page added", map[int]string{2: "<< /Type /Pages /Kids [3 0 R 20 0 R] /Count 2 >>",
			20: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R >>"}, CodeSignatureModifiedAfterSigning, deficiency.Error},
		{"a font replaced", map[int]string{4: "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"},
			CodeSignatureModifiedAfterSigning, deficiency.Error},
	}
	in := mustInspector(t, Options{RequireSignature: true})
	// A signed revision whose catalog has XMP metadata (object 20), for
	// the case that updates it.
	withXMP := "<< /Type /Catalog /Pages 2 0 R /Lang (et-EE) /AcroForm << /Fields [] /DR << /Font << /popplerfont 8 0 R >> >> " +
		"/DA (/popplerfont 0 Tf 0 g) >> /Metadata 20 0 R >>"
	xmpSigned := signWithXMP(t, signed, withXMP)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, objs := signed, tt.objs
			if objs == nil {
				base, objs = xmpSigned, map[int]string{20: "<< /Type /Metadata /Subtype /XML /Length 9 >>\nstream\n<x:new/>\nendstream"}
			}
			pdf, err := pdfgen.AppendObjects(base, objs, 21)
			if err != nil {
				t.Fatal(err)
			}
			o := inspectWithin(t, in, pdf, time.Minute)
			if o.err != nil || len(o.defs) != 1 || !hasCode(o.defs, tt.want, tt.sev) {
				t.Errorf("Inspect = %v, %v; want only %s as %s", o.defs, o.err, tt.want, tt.sev)
			}
		})
	}
}

// signWithXMP adds XMP metadata to the unsigned letter other.pdf and signs
// it with pdfsig (skipping without the tools); without them it returns
// the plain signed example, and the XMP case then tests nothing new.
func signWithXMP(t *testing.T, signed []byte, catalog string) []byte {
	t.Helper()
	unsigned := mustRead(t, filepath.Join(unsignedDir, "other.pdf"))
	withXMP, err := pdfgen.AppendObjects(unsigned, map[int]string{1: catalog,
		20: "<< /Type /Metadata /Subtype /XML /Length 9 >>\nstream\n<x:old/>\nendstream"}, 21)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "xmp.pdf"), filepath.Join(dir, "xmp-signed.pdf")
	if err := os.WriteFile(in, withXMP, 0o600); err != nil {
		t.Fatal(err)
	}
	signWithPdfsig(t, in, out)
	return mustRead(t, out)
}
