package pdfintake

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

func TestPersonalCodeFromSubjectSerialNumber(t *testing.T) {
	tests := map[string]string{
		"PNOEE-48803150230":  "48803150230",
		"PNOEE-4880315023":   "",
		"PNOEE-488031502301": "",
		"PNOEE-4880315023X":  "",
		"PNOLV-010101-12345": "",
		"NTREE-10000000":     "",
		"IDCEE-AB1234567":    "",
		"48803150230":        "",
		"":                   "",
	}
	for in, want := range tests {
		if got := personalCode(in); got != want {
			t.Errorf("personalCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestByteRangeMustLieInsideTheFile(t *testing.T) {
	arr := func(v ...int) types.Array {
		a := make(types.Array, len(v))
		for i, n := range v {
			a[i] = types.Integer(n)
		}
		return a
	}
	tests := []struct {
		name string
		arr  types.Array
		ok   bool
	}{
		{"whole file", arr(0, 10, 20, 80), true},
		{"ends before the end", arr(0, 10, 20, 30), true},
		{"beyond the end", arr(0, 10, 20, 81), false},
		{"not from the start", arr(1, 10, 20, 10), false},
		{"overlapping", arr(0, 30, 20, 10), false},
		{"negative", arr(0, -1, 20, 10), false},
		{"three numbers", arr(0, 10, 20), false},
		{"not integers", types.Array{types.Integer(0), types.Name("x"), types.Integer(2), types.Integer(3)}, false},
		{"huge", arr(0, 10, 20, 1<<62), false},
	}
	for _, tt := range tests {
		if _, ok := byteRange(tt.arr, 100); ok != tt.ok {
			t.Errorf("%s: ok = %t, want %t", tt.name, ok, tt.ok)
		}
	}
}

func TestClassifyMapsPdfcpuVerdicts(t *testing.T) {
	trustedSigner := model.SignatureDetails{Signers: []*model.Signer{{CertificatePathStatus: model.True}}}
	tests := []struct {
		name string
		r    model.SignatureValidationResult
		want SignatureStatus
		v    verdict
	}{
		{"valid", model.SignatureValidationResult{Status: model.SignatureStatusValid}, SignatureValid, verdictValid},
		{"offline revocation only", model.SignatureValidationResult{Status: model.SignatureStatusUnknown, Reason: model.SignatureReasonCertRevocationUnknown, DocModified: model.False, Details: trustedSigner}, SignatureValid, verdictValid},
		{"revocation unknown, path unresolved", model.SignatureValidationResult{Status: model.SignatureStatusUnknown, Reason: model.SignatureReasonCertRevocationUnknown, DocModified: model.False}, SignatureUnknown, verdictUnverifiable},
		{"untrusted", model.SignatureValidationResult{Status: model.SignatureStatusUnknown, Reason: model.SignatureReasonCertNotTrusted}, SignatureUnknown, verdictUntrusted},
		{"modified", model.SignatureValidationResult{Status: model.SignatureStatusInvalid, Reason: model.SignatureReasonDocModified}, SignatureInvalid, verdictInvalid},
		{"expired", model.SignatureValidationResult{Status: model.SignatureStatusUnknown, Reason: model.SignatureReasonCertExpired}, SignatureInvalid, verdictInvalid},
		{"malformed", model.SignatureValidationResult{Status: model.SignatureStatusUnknown, Reason: model.SignatureReasonMalformed}, SignatureInvalid, verdictInvalid},
		{"unsupported", model.SignatureValidationResult{Status: model.SignatureStatusUnknown, Reason: model.SignatureReasonUnsupported}, SignatureUnknown, verdictUnverifiable},
	}
	for _, tt := range tests {
		if got, v, _ := classify(&tt.r); got != tt.want || v != tt.v {
			t.Errorf("%s: classify = %s/%d, want %s/%d", tt.name, got, v, tt.want, tt.v)
		}
	}
}

func TestXRefStreamFiltersLimitedToFlate(t *testing.T) {
	tests := map[string]bool{
		"<< /Type /XRef /W [1 2 1] >>":                                true,
		"<< /Type /XRef /Filter /FlateDecode >>":                      true,
		"<< /Type /XRef /Filter [/FlateDecode /FlateDecode] >>":       true,
		"<< /Type /XRef /Filter[/FlateDecode/FlateDecode]>>":          true,
		"<< /Type /XRef /Filter /RunLengthDecode >>":                  false,
		"<< /Type /XRef /Filter [/FlateDecode /LZWDecode] >>":         false,
		"<< /Type /XRef /Filter 7 0 R >>":                             false,
		"<< /Type /XRef /Filter [7 0 R] >>":                           false,
		"<< /Type /XRef /Filter /FlateDecode /DecodeParms << >> >>":   true,
		"<< /Type /XRef /Filter [/ASCIIHexDecode /FlateDecode] >>":    false,
		"<< /Type /XRef /Filter /ASCII85Decode /Length 9 /Size 3 >> ": false,
	}
	for dict, want := range tests {
		if got := flateOnly([]byte(dict)); got != want {
			t.Errorf("flateOnly(%s) = %t, want %t", dict, got, want)
		}
	}
}

func TestExpansionGuardCountsNestedZlibLayers(t *testing.T) {
	zeros := func(n int, layers int) []byte {
		b := make([]byte, n)
		for range layers {
			var z bytes.Buffer
			w := zlib.NewWriter(&z)
			_, _ = w.Write(b)
			_ = w.Close()
			b = z.Bytes()
		}
		return b
	}
	pdf := func(body []byte) []byte {
		return append(append([]byte("1 0 obj\n<< /Length 9 >>\nstream\n"), body...), "\nendstream\nendobj\n"...)
	}
	ctx := context.Background()
	if _, err := checkExpansion(ctx, pdf(zeros(1000, 2)), 1000); err != nil {
		t.Errorf("1000 bytes under a 1000-byte limit: %v", err)
	}
	if _, err := checkExpansion(ctx, pdf(zeros(1001, 2)), 1000); !errors.Is(err, errExpansion) {
		t.Errorf("1001 bytes behind two layers: %v, want errExpansion", err)
	}
	many := bytes.Repeat(pdf(zeros(900, 1)), totalExpansionFactor+2)
	if _, err := checkExpansion(ctx, many, 1000); !errors.Is(err, errExpansion) {
		t.Errorf("streams over the total budget: %v, want errExpansion", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := checkExpansion(cancelled, pdf(zeros(100_000, 1)), 1<<20); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

func TestLexerCountsPessimistically(t *testing.T) {
	tests := []struct {
		in   string
		want complexity
	}{
		{"1 0 obj << /Type /Page >> endobj", complexity{tokens: 8, objects: 1, pages: 1}},
		{"2 0 obj<</Type/Pages/Kids[3 0 R]>>endobj", complexity{tokens: 13, objects: 1}},
		// A string cannot hide an object from the count.
		{"(((( 5 0 obj [1 2 3] endobj", complexity{tokens: 12, objects: 1}},
		{"% comment obj\n", complexity{tokens: 2, objects: 1}},
		{"/Typeobj /Page", complexity{tokens: 2}},
	}
	for _, tt := range tests {
		if got := countComplexity([]byte(tt.in)); got != tt.want {
			t.Errorf("countComplexity(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestEveryCodeIsDocumentedInBothLanguages(t *testing.T) {
	seen := map[deficiency.Code]bool{}
	for _, c := range Codes() {
		if seen[c.Code] {
			t.Errorf("%s listed twice", c.Code)
		}
		seen[c.Code] = true
		if c.ET == "" || c.EN == "" || c.ET == c.EN || c.Requirement == "" || c.Severity == "" {
			t.Errorf("%s lacks a message, requirement or severity", c.Code)
		}
	}
	for _, r := range []invalidReason{reasonContentMismatch, reasonCertExpired, reasonCertRevoked, reasonCertInvalid, reasonMalformed} {
		if m := r.text(); m.et == "" || m.en == "" {
			t.Errorf("reason %d lacks text", r)
		}
	}
	if len(seen) != 22 {
		t.Errorf("%d codes documented; update this test and the README table together", len(seen))
	}
}

func TestXRefSizesTheFileCannotHoldAreRefused(t *testing.T) {
	pad := strings.Repeat("%", 2000) + "\n"
	tests := []struct {
		name string
		in   string
		want deficiency.Code
	}{
		{"plausible", "%PDF-1.7\n" + pad + "xref\n0 3\n" + strings.Repeat("0000000000 65535 f \n", 3) + "trailer << /Size 3 >>", ""},
		{"size over the file's length", "%PDF-1.7\nxref\n1 1\n0000000000 65535 f \ntrailer << /Size 2147483647 >>", CodeMalformed},
		{"size over MaxObjects", "%PDF-1.7\n" + strings.Repeat(pad, 100) + "trailer << /Size 150000 >>", CodeTooComplex},
		{"subsection longer than the file", "%PDF-1.7\nxref\n0 1000\n0000000000 65535 f \ntrailer << /Size 3 >>", CodeMalformed},
		{"startxref is not a section", "%PDF-1.7\nstartxref\n0 1000\n", ""},
		{"20-digit size", "%PDF-1.7\ntrailer << /Size 99999999999999999999 >>", CodeMalformed},
		{"sampled function sizes are arrays", "%PDF-1.7\n<< /FunctionType 0 /Size [ 99999 ] >>", ""},
	}
	for _, tt := range tests {
		code, bad := checkXRefSizes([]byte(tt.in), 100_000)
		if bad != (tt.want != "") || code != tt.want {
			t.Errorf("%s: %q, %t; want %q", tt.name, code, bad, tt.want)
		}
	}
}
