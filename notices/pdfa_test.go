package notices

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// tool runs a poppler or qpdf tool on pdf and returns its output, or skips
// the test when the tool is not installed.
func tool(tb testing.TB, pdf []byte, name string, args ...string) string {
	tb.Helper()
	if _, err := exec.LookPath(name); err != nil {
		tb.Skipf("%s not installed (scripts/install-test-deps.sh)", name)
	}
	f := filepath.Join(tb.TempDir(), "notice.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(name, append(args, f)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

// The PDF/A-2b requirements a letter must meet, checked one by one with
// the tools Debian has (veraPDF is not packaged): sealed or not, every
// font embedded, with a Unicode map, no encryption, the XMP metadata with
// the PDF/A identification and the letter's own data, the sRGB output
// intent, a file identifier, and a file qpdf finds sound.
func TestNoticesMeetPDFA2bRequirements(t *testing.T) {
	plain, sealed := mustRenderer(t), sealedRenderer(t)
	for _, tc := range []struct {
		name string
		r    *Renderer
		n    Notice
	}{
		{"correction request", plain, correctionRequest(t, 40)},
		{"extension", plain, extension(t)},
		{"sealed entry", sealed, entry(t, 3)},
		{"sealed refusal", sealed, refusal(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := tc.r.Render(tc.n)
			if err != nil {
				t.Fatal(err)
			}
			t.Run("fonts embedded subsets with Unicode maps", func(t *testing.T) {
				out := tool(t, pdf, "pdffonts")
				lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
				if len(lines) != 2 {
					t.Errorf("want the two DejaVu fonts:\n%s", out)
				}
				for _, l := range lines {
					f := strings.Fields(l)
					// name type… encoding emb sub uni object gen
					if n := len(f); n < 7 || f[n-5] != "yes" || f[n-4] != "yes" || f[n-3] != "yes" || !strings.Contains(f[0], "+DejaVuSans") {
						t.Errorf("font not an embedded subset with a Unicode map: %q", l)
					}
				}
			})
			t.Run("not encrypted", func(t *testing.T) {
				out := tool(t, pdf, "pdfinfo")
				if !strings.Contains(out, "Encrypted:       no") {
					t.Errorf("pdfinfo:\n%s", out)
				}
				if bytes.Contains(pdf, []byte("/Encrypt")) {
					t.Error("the file has an /Encrypt dictionary")
				}
			})
			t.Run("XMP metadata identifies PDF/A-2b and the letter", func(t *testing.T) {
				xmp := tool(t, pdf, "pdfinfo", "-meta")
				for _, want := range []string{
					"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
					"<rdf:li xml:lang=\"x-default\">" + subject(tc.n.Kind()) + "</rdf:li>",
					"<rdf:li>Sihtasutus Kutsekoda, Kutseregister</rdf:li>",
					"<dc:identifier>", "<xmp:CreateDate>2027-03-02T10:15:00+02:00</xmp:CreateDate>",
				} {
					if !strings.Contains(xmp, want) {
						t.Errorf("XMP lacks %q:\n%s", want, xmp)
					}
				}
				info := tool(t, pdf, "pdfinfo", "-isodates")
				for _, want := range []string{"Title:           " + subject(tc.n.Kind()), "CreationDate:    2027-03-02T10:15:00+02", "Metadata Stream: yes"} {
					if !strings.Contains(info, want) {
						t.Errorf("information dictionary lacks %q:\n%s", want, info)
					}
				}
			})
			t.Run("sRGB output intent and file identifier", func(t *testing.T) {
				if !regexp.MustCompile(`/OutputIntents \[\s*<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier \(sRGB\)`).Match(pdf) {
					t.Error("no GTS_PDFA1 output intent")
				}
				if !regexp.MustCompile(`/ID \[<[0-9A-F]{32}> <[0-9A-F]{32}>\]`).Match(pdf) {
					t.Error("no file identifier in the trailer")
				}
			})
			t.Run("qpdf finds the file sound", func(t *testing.T) {
				out := tool(t, pdf, "qpdf", "--check")
				if !strings.Contains(out, "No syntax or stream encoding errors found") {
					t.Errorf("qpdf --check:\n%s", out)
				}
			})
			t.Run("the last revision's catalog keeps metadata and output intent", func(t *testing.T) {
				trailer := tool(t, pdf, "qpdf", "--show-object=trailer")
				m := regexp.MustCompile(`/Root (\d+) 0 R`).FindStringSubmatch(trailer)
				if m == nil || !strings.Contains(trailer, "/ID [") {
					t.Fatalf("trailer: %s", trailer)
				}
				root := tool(t, pdf, "qpdf", "--show-object="+m[1])
				for _, want := range []string{"/Metadata ", "/OutputIntents [", "/GTS_PDFA1", "/Lang (et)"} {
					if !strings.Contains(root, want) {
						t.Errorf("catalog lacks %s: %s", want, root)
					}
				}
			})
			t.Run("Estonian letters extract exactly", func(t *testing.T) {
				text := pdfText(t, pdf)
				for _, want := range []string{"õäöüšž ÕÄÖÜŠŽ", "Tõõtsa Ääremaa Kutseõppekeskus", "Žanna Šults", "Mari-Liis Õunapuu"} {
					if !strings.Contains(text, want) {
						t.Errorf("pdftotext lacks %q:\n%s", want, text)
					}
				}
			})
		})
	}
}
