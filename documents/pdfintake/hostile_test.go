package pdfintake

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

func TestHostileInputEndsAsDeficiencyNeverPanicOrHang(t *testing.T) {
	in := mustInspector(t, Options{RequireSignature: true})
	cases := map[string]deficiency.Code{
		"empty.pdf":                  CodeNotPDF,
		"not-a-pdf.pdf":              CodeNotPDF,
		"header-too-late.pdf":        CodeNotPDF,
		"truncated.pdf":              CodeTruncated,
		"truncated-in-signature.pdf": CodeTruncated,
		"garbage-after-header.pdf":   CodeMalformed,
		"huge-xref-stream.pdf":       CodeMalformed,
		"xref-size-bomb.pdf":         CodeMalformed,
		"flate-bomb-content.pdf":     CodeStreamTooLarge,
		"flate-bomb-objstm.pdf":      CodeStreamTooLarge,
		"flate-bomb-xref.pdf":        CodeStreamTooLarge,
		"encrypted.pdf":              CodeEncrypted,
		"encrypted-no-user-pw.pdf":   CodeEncrypted,
		"flipped-byte.pdf":           CodeSignatureInvalid,
		"byterange-beyond-eof.pdf":   CodeSignatureInvalid,
		"modified-after-signing.pdf": CodeSignatureModifiedAfterSigning,
		"untrusted-ca.pdf":           CodeSignatureUntrusted,
		// Deep nesting parses (pdfcpu's parser is iterative); what makes
		// these deficient is the missing signature.
		"nested-arrays.pdf": CodeSignatureMissing,
		"nested-dicts.pdf":  CodeSignatureMissing,
	}
	for _, path := range fixtureFiles(t, hostileDir) {
		name := filepath.Base(path)
		want, ok := cases[name]
		if !ok {
			t.Errorf("hostile fixture %s has no expectation", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			o := inspectWithin(t, in, mustRead(t, path), time.Minute)
			if o.err != nil {
				t.Fatalf("Inspect error %v; bad input must yield deficiencies", o.err)
			}
			if !o.defs.HasErrors() || !slices.Contains(codes(o.defs), want) {
				t.Fatalf("deficiencies %v; want an error including %s", o.defs, want)
			}
			if o.res == nil || o.res.SHA256 == "" {
				t.Fatalf("Result %+v does not identify the document", o.res)
			}
		})
	}
}

func TestEncryptedPDFRefused_R10(t *testing.T) {
	in := mustInspector(t, Options{})
	for _, name := range []string{"encrypted.pdf", "encrypted-no-user-pw.pdf"} {
		o := inspectWithin(t, in, mustRead(t, filepath.Join(hostileDir, name)), 30*time.Second)
		if o.err != nil || !hasCode(o.defs, CodeEncrypted, deficiency.Error) || len(o.defs) != 1 {
			t.Errorf("%s: Inspect = %v, %v; want exactly the error %s", name, o.defs, o.err, CodeEncrypted)
		}
		if o.defs[0].Field != FieldDocument || o.defs[0].Message.ET == "" || o.defs[0].Message.EN == "" {
			t.Errorf("%s: deficiency %+v lacks field or messages", name, o.defs[0])
		}
	}
}

func TestDecompressionBombRefusedBeforeParsing(t *testing.T) {
	in := mustInspector(t, Options{})
	for _, name := range []string{"flate-bomb-content.pdf", "flate-bomb-objstm.pdf", "flate-bomb-xref.pdf"} {
		start := time.Now()
		o := inspectWithin(t, in, mustRead(t, filepath.Join(hostileDir, name)), 30*time.Second)
		if !hasCode(o.defs, CodeStreamTooLarge, deficiency.Error) {
			t.Errorf("%s: deficiencies %v, want %s", name, o.defs, CodeStreamTooLarge)
		}
		if o.res.Pages != 0 {
			t.Errorf("%s: reached the parser (%d pages); the guard must refuse it first", name, o.res.Pages)
		}
		t.Logf("%s refused in %s", name, time.Since(start).Round(time.Millisecond))
	}
}
