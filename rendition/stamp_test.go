package rendition

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// samplePDF makes an A4 PDF of n pages, each saying "Otsus, lehekülg i".
func samplePDF(tb testing.TB, n int) []byte {
	tb.Helper()
	ctx, err := pdfcpu.CreateContextWithXRefTable(pdfConfig(), types.PaperSize["A4"])
	if err != nil {
		tb.Fatal(err)
	}
	xt := ctx.XRefTable
	root, err := xt.Catalog()
	if err != nil {
		tb.Fatal(err)
	}
	pagesRef := root.IndirectRefEntry("Pages")
	pagesDict, err := xt.DereferenceDict(*pagesRef)
	if err != nil {
		tb.Fatal(err)
	}
	font := types.Dict{"Type": types.Name("Font"), "Subtype": types.Name("Type1"),
		"BaseFont": types.Name("Times-Roman"), "Encoding": types.Name("WinAnsiEncoding")}
	kids := types.Array{}
	for i := 1; i <= n; i++ {
		sd, _ := xt.NewStreamDictForBuf([]byte(fmt.Sprintf("BT /F1 14 Tf 72 720 Td (Otsus, lehek\\374lg %d) Tj ET", i)))
		if err := sd.Encode(); err != nil {
			tb.Fatal(err)
		}
		contents, err := xt.IndRefForNewObject(*sd)
		if err != nil {
			tb.Fatal(err)
		}
		page, err := xt.IndRefForNewObject(types.Dict{
			"Type": types.Name("Page"), "Parent": *pagesRef, "Contents": *contents,
			"Resources": types.Dict{"Font": types.Dict{"F1": font}},
		})
		if err != nil {
			tb.Fatal(err)
		}
		kids = append(kids, *page)
	}
	pagesDict["Kids"], pagesDict["Count"] = kids, types.Integer(n)
	xt.PageCount = n
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// pdfPages returns the text of each page, as pdftotext extracts it, or
// skips the test when pdftotext is not installed.
func pdfPages(tb testing.TB, pdf []byte) []string {
	tb.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		tb.Skip("pdftotext (poppler-utils) not installed")
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-raw", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	pages := strings.Split(out.String(), "\f")
	return pages[:len(pages)-1] // the text ends with a form feed
}

const stampText = "Kantud registrisse 02.03.2027, kanne nr KR-2027-000123 (õäöüšž ÕÄÖÜŠŽ)"

func TestStampLeavesOriginalUnchanged_R13_2(t *testing.T) {
	original := samplePDF(t, 3)
	before := sha256.Sum256(original)
	kept := bytes.Clone(original)
	stamped, err := Stamp(original, stampText, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if after := sha256.Sum256(original); after != before || !bytes.Equal(original, kept) {
		t.Fatal("Stamp changed the original's bytes")
	}
	if bytes.Equal(stamped, original) {
		t.Fatal("stamped copy equals the original")
	}
	if dir := os.Getenv("NOTICES_OUT"); dir != "" {
		if err := os.WriteFile(dir+"/stamped.pdf", stamped, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStampedCopyShowsTheEntry_R12_4(t *testing.T) {
	original := samplePDF(t, 3)
	tests := []struct {
		name    string
		opts    Options
		stamped []bool
	}{
		{"every page", Options{}, []bool{true, true, true}},
		{"first page only", Options{Pages: FirstPage}, []bool{true, false, false}},
		{"larger red stamp", Options{FontSize: 12, Color: "#8B0000"}, []bool{true, true, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stamped, err := Stamp(original, stampText, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, stamped)
			if len(pages) != len(tc.stamped) {
				t.Fatalf("stamped copy has %d pages, want %d", len(pages), len(tc.stamped))
			}
			for i, want := range tc.stamped {
				text := strings.Join(strings.Fields(pages[i]), " ")
				if !strings.Contains(text, fmt.Sprintf("Otsus, lehekülg %d", i+1)) {
					t.Errorf("page %d lost its own text: %q", i+1, text)
				}
				if got := strings.Contains(text, stampText); got != want {
					t.Errorf("page %d stamped = %v, want %v: %q", i+1, got, want, text)
				}
			}
		})
	}
}

func TestStampKeepsPercentSigns(t *testing.T) {
	const text = "Kantud 100% ja 50 %, 7%"
	stamped, err := Stamp(samplePDF(t, 1), text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := pdfPages(t, stamped)[0]; !strings.Contains(got, text) {
		t.Errorf("stamp text changed: %q", got)
	}
}

func TestStampRejectsBadInput(t *testing.T) {
	pdf := samplePDF(t, 1)
	tests := []struct {
		name     string
		original []byte
		text     string
		opts     Options
		invalid  bool
	}{
		{"empty text", pdf, "  ", Options{}, true},
		{"pdfcpu placeholder", pdf, "lehekülg %p", Options{}, true},
		{"too long text", pdf, strings.Repeat("x", 600), Options{}, true},
		{"bad colour", pdf, "x", Options{Color: "red"}, true},
		{"font too large", pdf, "x", Options{FontSize: 100}, true},
		{"unknown pages", pdf, "x", Options{Pages: 7}, true},
		{"empty PDF", nil, "x", Options{}, true},
		{"not a PDF", []byte("<html>not a pdf</html>"), "x", Options{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Stamp(tc.original, tc.text, tc.opts)
			if err == nil || out != nil {
				t.Fatalf("Stamp = %d bytes, %v; want an error", len(out), err)
			}
			if errors.Is(err, ErrInvalidInput) != tc.invalid {
				t.Errorf("Stamp error %v: ErrInvalidInput %v, want %v", err, errors.Is(err, ErrInvalidInput), tc.invalid)
			}
		})
	}
}

// TestStampSurvivesDamagedPDFs: a damaged original never panics the
// stamper, and what it answers is either an error (the viewers then fall
// back to the original) or a whole PDF with the stamp on it — never half a
// document that looks like a copy.
func TestStampSurvivesDamagedPDFs(t *testing.T) {
	pdf := samplePDF(t, 2)
	check := func(t *testing.T, damaged []byte) {
		t.Helper()
		out, err := Stamp(damaged, stampText, Options{})
		if err != nil {
			if len(out) != 0 {
				t.Errorf("an error with %d bytes of output", len(out))
			}
			return
		}
		// pdfcpu repaired the damage: the copy must be a readable PDF of
		// the original's pages with the stamp text in it.
		if !bytes.HasPrefix(out, []byte("%PDF-")) {
			t.Fatalf("the stamped copy does not start as a PDF: %q", out[:min(len(out), 16)])
		}
		n, err := api.PageCount(bytes.NewReader(out), nil)
		if err != nil || n < 1 || n > 2 {
			t.Errorf("the stamped copy reads as %d pages (%v), want the original's 1–2", n, err)
		}
		if _, err := api.ReadContext(bytes.NewReader(out), nil); err != nil {
			t.Errorf("the stamped copy does not read back: %v", err)
		}
	}
	for _, cut := range []int{9, 64, len(pdf) / 3, len(pdf) / 2, len(pdf) - 40, len(pdf) - 5} {
		t.Run(fmt.Sprintf("truncated at %d", cut), func(t *testing.T) { check(t, pdf[:cut]) })
	}
	for _, at := range []int{len(pdf) / 4, len(pdf) / 2, len(pdf) - 60} {
		t.Run(fmt.Sprintf("garbled at %d", at), func(t *testing.T) {
			damaged := bytes.Clone(pdf)
			copy(damaged[at:], "<<>>]][[ 0 R obj")
			check(t, damaged)
		})
	}
	// The first cut leaves nothing to repair: that one must be an error.
	if _, err := Stamp(pdf[:9], stampText, Options{}); err == nil {
		t.Error("nine bytes of a PDF were stamped without an error")
	}
}

func BenchmarkStamp(b *testing.B) {
	pdf := samplePDF(b, 5)
	for b.Loop() {
		if _, err := Stamp(pdf, stampText, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStampWritesNoPdfcpuConfigDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if _, err := Stamp(samplePDF(t, 1), stampText, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + "/pdfcpu"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pdfcpu configuration directory created under %s (stat: %v)", dir, err)
	}
}

// pdfsigOutput runs pdfsig on pdf, or skips the test when it is not
// installed. pdfsig exits non-zero for a file without signatures.
func pdfsigOutput(tb testing.TB, pdf []byte) string {
	tb.Helper()
	if _, err := exec.LookPath("pdfsig"); err != nil {
		tb.Skip("pdfsig (poppler-utils) not installed")
	}
	f := tb.TempDir() + "/copy.pdf"
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, _ := exec.Command("pdfsig", f).CombinedOutput()
	return string(out)
}

func TestStampedCopyOfASignedDocumentCarriesNoBrokenSignature_R13_2(t *testing.T) {
	for _, file := range []string{
		"../documents/testdata/examples/committee-decision.pdf",
		"../documents/testdata/examples/government-order.pdf",
		"../documents/pdfintake/testdata/revisions/cosigned-untrusted.pdf",
	} {
		t.Run(file[strings.LastIndex(file, "/")+1:], func(t *testing.T) {
			original, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			kept := bytes.Clone(original)
			if out := pdfsigOutput(t, original); !strings.Contains(out, "Signature #1") {
				t.Fatalf("the original is not signed:\n%s", out)
			}
			stamped, err := Stamp(original, stampText, Options{Pages: FirstPage})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(original, kept) {
				t.Fatal("Stamp changed the original's bytes")
			}
			// The copy's signature fields are empty: pdfsig lists them as
			// not signed and validates nothing, so it reports nothing broken.
			out := pdfsigOutput(t, stamped)
			for _, bad := range []string{"Signature Validation", "Signed Ranges", "Syntax Error", "Invalid", "Mismatch"} {
				if strings.Contains(out, bad) {
					t.Errorf("pdfsig reports %q on the copy:\n%s", bad, out)
				}
			}
			if fields := strings.Count(out, "Signature #"); fields == 0 || strings.Count(out, "The signature form field is not signed.") != fields {
				t.Errorf("pdfsig on the copy:\n%s", out)
			}
			for _, key := range []string{"/SigFlags", "/ByteRange"} {
				if bytes.Contains(stamped, []byte(key)) {
					t.Errorf("the copy still has %s", key)
				}
			}
			first := strings.Join(strings.Fields(pdfPages(t, stamped)[0]), " ")
			for _, want := range []string{CopyMark + " · " + stampText, SignaturesRemoved} {
				if !strings.Contains(first, want) {
					t.Errorf("the copy's first page lacks %q:\n%s", want, first)
				}
			}
			if dir := os.Getenv("NOTICES_OUT"); dir != "" {
				_ = os.WriteFile(dir+"/stamped-signed-"+file[strings.LastIndex(file, "/")+1:], stamped, 0o644)
			}
		})
	}
}

func TestStampedCopyOfAnUnsignedDocumentSaysOnlyThatItIsACopy(t *testing.T) {
	stamped, err := Stamp(samplePDF(t, 1), stampText, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := strings.Join(strings.Fields(pdfPages(t, stamped)[0]), " ")
	if !strings.Contains(first, CopyMark+" · "+stampText) || strings.Contains(first, SignaturesRemoved) {
		t.Errorf("first page: %q", first)
	}
}
