package pdfintake

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestTrustStoreFromDirectoryOrCertificates(t *testing.T) {
	caPEM := mustRead(t, filepath.Join(trustDir, "ca.pem"))
	certs, err := parseCertificates(caPEM)
	if err != nil || len(certs) != 1 {
		t.Fatalf("parse test CA: %v", err)
	}
	block, _ := pem.Decode(caPEM)

	derDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(derDir, "ca.der"), block.Bytes, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(derDir, "README.txt"), []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}

	data := mustRead(t, filepath.Join(examplesDir, "standard-decision.pdf"))
	for name, opts := range map[string]Options{
		"PEM directory":       {TrustDir: trustDir},
		"DER directory":       {TrustDir: derDir},
		"certificates direct": {TrustedCerts: certs},
	} {
		opts.RequireSignature = true
		in := mustInspector(t, opts)
		o := inspectWithin(t, in, data, 30*time.Second)
		if len(o.defs) != 0 || o.res.Signatures[0].Status != SignatureValid {
			t.Errorf("%s: %v, %+v; want a valid signature", name, o.defs, o.res.Signatures)
		}
	}

	// Without trust anchors the same signature is intact but untrusted:
	// the system roots are never consulted.
	in, err := New(Options{RequireSignature: true, Child: testChild(t)})
	if err != nil {
		t.Fatal(err)
	}
	o := inspectWithin(t, in, data, 30*time.Second)
	if s := o.res.Signatures[0]; s.Status != SignatureUnknown || s.Trusted || !hasCode(o.defs, CodeSignatureUntrusted, "error") {
		t.Errorf("empty trust store: %+v, %v; want untrusted", s, o.defs)
	}
}

func TestBrokenTrustStoreFailsAtStartup(t *testing.T) {
	empty := t.TempDir()
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "ca.pem"), []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"empty": empty, "broken": broken, "missing": filepath.Join(empty, "nope")} {
		if _, err := New(Options{TrustDir: dir, InProcess: true}); err == nil {
			t.Errorf("%s trust directory accepted", name)
		}
	}
	if _, err := New(Options{TrustedCerts: nil, InProcess: true}); err != nil {
		t.Errorf("no trust anchors at all: %v; want accepted", err)
	}
}

func TestPdfcpuConfigDirIsNeitherReadNorWritten(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	in := mustInspector(t, Options{})
	for _, dir := range []string{examplesDir, hostileDir} {
		for _, p := range fixtureFiles(t, dir) {
			inspectWithin(t, in, mustRead(t, p), time.Minute)
		}
	}
	if _, err := os.Stat(filepath.Join(home, ".config", "pdfcpu")); !os.IsNotExist(err) {
		t.Errorf("pdfcpu config dir created under $XDG_CONFIG_HOME (stat: %v)", err)
	}
	entries, _ := os.ReadDir(home)
	if len(entries) != 0 {
		t.Errorf("files written to $HOME: %v", entries)
	}
}
