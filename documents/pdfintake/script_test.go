package pdfintake

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestFixtureScriptRunsWhenToolsExist runs scripts/make-test-pdfs.sh into a
// temporary root (never over the committed fixtures) and checks that what
// it makes passes Inspect with the new trust anchor. Skipped in -short mode
// and when openssl, certutil, pk12util or pdfsig are not installed; the
// other tests read the committed fixtures and need none of them.
func TestFixtureScriptRunsWhenToolsExist(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fixture script (about a minute)")
	}
	for _, tool := range []string{"bash", "openssl", "certutil", "pk12util", "pdfsig", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	root := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "../../scripts/make-test-pdfs.sh")
	cmd.Env = append(os.Environ(), "FIXTURE_ROOT="+root, "BOMB_BYTES=268435456")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make-test-pdfs.sh: %v\n%s", err, out)
	}

	in := mustInspector(t, Options{TrustDir: filepath.Join(root, "documents/testdata/trust"), RequireSignature: true})
	for _, kind := range kinds {
		data := mustRead(t, filepath.Join(root, "documents/testdata/examples", kind+".pdf"))
		o := inspectWithin(t, in, data, 30*time.Second)
		if o.err != nil || len(o.defs) != 0 || o.res.Signatures[0].PersonalCode != testSignerCode {
			t.Errorf("%s: %v, %v, %+v; want a valid signature by %s", kind, o.err, o.defs, o.res.Signatures, testSignerCode)
		}
	}
	for _, name := range []string{"modified-after-signing.pdf", "flipped-byte.pdf", "untrusted-ca.pdf", "encrypted.pdf", "flate-bomb-xref.pdf"} {
		o := inspectWithin(t, in, mustRead(t, filepath.Join(root, "documents/pdfintake/testdata/hostile", name)), time.Minute)
		if o.err != nil || !o.defs.HasErrors() {
			t.Errorf("%s: %v, %v; want deficient", name, o.err, o.defs)
		}
	}
}
