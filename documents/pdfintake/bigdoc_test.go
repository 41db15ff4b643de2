package pdfintake

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfgen"
)

// signWithPdfsig signs the PDF at in into out as the test signer, with
// pdfsig and a throw-away NSS database; it skips the test when the tools
// are missing.
func signWithPdfsig(tb testing.TB, in, out string) {
	tb.Helper()
	for _, tool := range []string{"openssl", "certutil", "pk12util", "pdfsig"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s not installed (scripts/install-test-deps.sh)", tool)
		}
	}
	dir := tb.TempDir()
	nss := filepath.Join(dir, "nss")
	if err := os.Mkdir(nss, 0o700); err != nil {
		tb.Fatal(err)
	}
	pki := "../testdata/pki"
	p12 := filepath.Join(dir, "signer.p12")
	for _, args := range [][]string{
		{"certutil", "-N", "-d", "sql:" + nss, "--empty-password"},
		{"openssl", "pkcs12", "-export", "-inkey", filepath.Join(pki, "signer.key"), "-in", filepath.Join(pki, "signer.pem"),
			"-name", "signer", "-passout", "pass:x", "-out", p12},
		{"pk12util", "-i", p12, "-d", "sql:" + nss, "-W", "x"},
		{"pdfsig", "-add-signature", "-nssdir", "sql:" + nss, "-nick", "signer", "-digest", "SHA256",
			"-new-signature-field-name", "Allkiri1", in, out},
	} {
		if b, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			tb.Fatalf("%v: %v\n%s", args, err, b)
		}
	}
}

// TestLegitimateDocumentNearTheLimitsPasses: a signed, uncompressed text
// PDF of 490 pages (98% of the page limit) and 19.8 MiB (99% of the size
// limit) — the heaviest legitimate shape for the complexity guards — is
// accepted with the default limits, checked in the child.
func TestLegitimateDocumentNearTheLimitsPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and signs a 19.8 MiB PDF")
	}
	dir := t.TempDir()
	unsigned, signed := filepath.Join(dir, "big.pdf"), filepath.Join(dir, "big-signed.pdf")
	target := int64(DefaultMaxBytes)*99/100 - 16<<10 // room for the signature
	if err := os.WriteFile(unsigned, pdfgen.TextDocument(490, target), 0o600); err != nil {
		t.Fatal(err)
	}
	signWithPdfsig(t, unsigned, signed)
	data := mustRead(t, signed)
	t.Logf("unsigned %d B, signed %d B", len(mustRead(t, unsigned)), len(data))
	cx := countComplexity(data)
	in := mustInspector(t, Options{RequireSignature: true})
	start := time.Now()
	o := inspectWithin(t, in, data, 2*time.Minute)
	t.Logf("%d pages, %.2f MiB (%.1f%% of the limit), %d tokens (limit %d), checked in %s: %v",
		o.res.Pages, float64(len(data))/(1<<20), 100*float64(len(data))/float64(DefaultMaxBytes), cx.tokens, in.opts.MaxTokens,
		time.Since(start).Round(time.Millisecond), codes(o.defs))
	if o.err != nil || len(o.defs) != 0 || o.res.Pages != 490 || len(o.res.Signatures) != 1 || o.res.Signatures[0].Status != SignatureValid {
		t.Errorf("Inspect = %v, %v, %d pages, %+v; want accepted", o.defs, o.err, o.res.Pages, o.res.Signatures)
	}
}
