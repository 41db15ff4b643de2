package notices

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/kutsekoda/alusdok/documents/pdfintake"
	"github.com/kutsekoda/alusdok/notices/sealtest"
)

// testCADir holds the repository's test CA (scripts/make-test-pdfs.sh).
const testCADir = "../documents/testdata/pki"

var (
	sealOnce          sync.Once
	sealCert, sealKey string
	sealDir           string
	sealErr           error
)

// testSealFiles issues one test seal per test binary from the test CA and
// returns its PEM files.
func testSealFiles(tb testing.TB) (certFile, keyFile string) {
	tb.Helper()
	sealOnce.Do(func() {
		sealDir, sealErr = os.MkdirTemp("", "alusdok-seal-")
		if sealErr == nil {
			sealCert, sealKey, sealErr = sealtest.Ensure(sealDir, testCADir, time.Now())
		}
	})
	if sealErr != nil {
		tb.Fatal(sealErr)
	}
	return sealCert, sealKey
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sealDir != "" {
		os.RemoveAll(sealDir)
	}
	os.Exit(code)
}

// sealedRenderer returns a renderer that seals with the test seal.
func sealedRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	cert, key := testSealFiles(tb)
	seal, err := LoadSeal(SealFiles{Certificate: cert, Key: key}, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	s := DefaultSender()
	s.Lines = []string{"kutseregister@example.ee"}
	r, err := NewRenderer(s, WithSeal(seal))
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func testCA(tb testing.TB) *x509.Certificate {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(testCADir, "ca.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	b, _ := pem.Decode(data)
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var (
	nssOnce sync.Once
	nssDir  string
	nssErr  error
)

// pdfsig runs poppler's pdfsig on pdf with an NSS database that trusts the
// test CA, or skips the test when pdfsig or certutil is not installed.
// Not with -no-ocsp: poppler 22.12 then answers "Unknown issue with
// Certificate" for every certificate, trusted or not. The test seal names
// no OCSP responder, so nothing is fetched.
func pdfsig(tb testing.TB, pdf []byte) string {
	tb.Helper()
	for _, tool := range []string{"pdfsig", "certutil"} {
		if _, err := exec.LookPath(tool); err != nil {
			tb.Skipf("%s not installed (poppler-utils, libnss3-tools)", tool)
		}
	}
	nssOnce.Do(func() {
		if nssDir, nssErr = os.MkdirTemp("", "alusdok-nss-"); nssErr != nil {
			return
		}
		if out, err := exec.Command("certutil", "-N", "-d", "sql:"+nssDir, "--empty-password").CombinedOutput(); err != nil {
			nssErr = &exec.Error{Name: "certutil -N: " + string(out), Err: err}
			return
		}
		ca, _ := filepath.Abs(filepath.Join(testCADir, "ca.pem"))
		if out, err := exec.Command("certutil", "-A", "-d", "sql:"+nssDir, "-n", "alusdok-test-ca", "-t", "CT,C,C", "-i", ca).CombinedOutput(); err != nil {
			nssErr = &exec.Error{Name: "certutil -A: " + string(out), Err: err}
		}
	})
	if nssErr != nil {
		tb.Fatal(nssErr)
	}
	f := filepath.Join(tb.TempDir(), "notice.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, _ := exec.Command("pdfsig", "-nssdir", "sql:"+nssDir, f).CombinedOutput()
	return string(out)
}

func TestEveryNoticeKindIsSealedAndVerifiesWithPdfsig(t *testing.T) {
	r := sealedRenderer(t)
	for _, n := range []Notice{correctionRequest(t, 4), extension(t), entry(t, 3), refusal(t)} {
		t.Run(string(n.Kind()), func(t *testing.T) {
			pdf, err := r.Render(n)
			if err != nil {
				t.Fatal(err)
			}
			keep(t, "sealed-"+string(n.Kind())+".pdf", pdf)
			out := pdfsig(t, pdf)
			for _, want := range []string{
				"Signature #1:",
				"Signer Certificate Common Name: Kutseregister TEST e-tempel",
				"Signing Hash Algorithm: SHA-256",
				"Signature Type: ETSI.CAdES.detached",
				"Signature Validation: Signature is Valid.",
				"Certificate Validation: Certificate is Trusted.",
				"Total document signed",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("pdfsig lacks %q:\n%s", want, out)
				}
			}
			if strings.Count(out, "Signature #") != 1 {
				t.Errorf("want exactly one signature:\n%s", out)
			}
			if !strings.Contains(squash(pdfText(t, pdf)), "Kiri on kinnitatud kutseregistri e-templiga") {
				t.Error("the letter does not say that it is sealed")
			}
		})
	}
}

func TestSealedNoticeVerifiesWithAlusdoksOwnIntake(t *testing.T) {
	in, err := pdfintake.New(pdfintake.Options{InProcess: true, TrustedCerts: []*x509.Certificate{testCA(t)}})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Add(-time.Minute)
	pdf, err := sealedRenderer(t).Render(entry(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	res, defs, err := in.Inspect(context.Background(), bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	// An e-seal is a legal person's (NTREE-), not a person's signature: the
	// intake notes that as a warning — base documents need a person's —
	// and finds nothing else.
	if defs.HasErrors() || len(defs) > 1 || len(defs) == 1 && defs[0].Code != "pdf.signature.signer-identity" {
		t.Errorf("intake finds deficiencies in a sealed notice: %v", defs)
	}
	if len(res.Signatures) != 1 {
		t.Fatalf("intake finds %d signatures, want 1", len(res.Signatures))
	}
	s := res.Signatures[0]
	if s.Status != pdfintake.SignatureValid || !s.Trusted || s.ModifiedAfterSigning {
		t.Errorf("signature %+v: want valid, trusted, not modified after signing", s)
	}
	if s.SubjectSerialNumber != "NTREE-90000245" || s.PersonalCode != "" {
		t.Errorf("signer serial %q, personal code %q: want the seal's NTREE-90000245 and no personal code", s.SubjectSerialNumber, s.PersonalCode)
	}
	if s.SigningTime.Before(before) || s.SigningTime.After(time.Now().Add(time.Minute)) {
		t.Errorf("signing time %s is not now", s.SigningTime)
	}
}

func TestNoticeAlteredAfterSealingFailsVerification_R13_2(t *testing.T) {
	pdf, err := sealedRenderer(t).Render(refusal(t))
	if err != nil {
		t.Fatal(err)
	}
	// Change one letter of the information dictionary's title, inside the
	// signed bytes.
	i := bytes.Index(pdf, []byte("/Title ("))
	if i < 0 {
		t.Fatal("no title")
	}
	altered := bytes.Clone(pdf)
	altered[i+len("/Title (")+5] ^= 0x01

	if out := pdfsig(t, altered); strings.Contains(out, "Signature is Valid") || !strings.Contains(out, "Signature Validation:") {
		t.Errorf("pdfsig accepts an altered notice:\n%s", out)
	}
	in, err := pdfintake.New(pdfintake.Options{InProcess: true, TrustedCerts: []*x509.Certificate{testCA(t)}})
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := in.Inspect(context.Background(), bytes.NewReader(altered))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Signatures) != 1 || res.Signatures[0].Status != pdfintake.SignatureInvalid {
		t.Errorf("intake: signatures %+v, want one invalid", res.Signatures)
	}

	// Bytes appended after the seal are reported too.
	appended := append(bytes.Clone(pdf), []byte("\n1 0 obj\n<< >>\nendobj\n")...)
	res, _, err = in.Inspect(context.Background(), bytes.NewReader(appended))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Signatures) != 1 || !res.Signatures[0].ModifiedAfterSigning {
		t.Errorf("intake: signatures %+v, want modified after signing", res.Signatures)
	}
}

func TestSealLoadsFromPKCS12(t *testing.T) {
	certFile, keyFile := testSealFiles(t)
	pem1, _ := os.ReadFile(certFile)
	certs, err := parseCertificates(pem1)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, _ := os.ReadFile(keyFile)
	key, err := parsePrivateKey(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	p12, err := pkcs12.Modern.Encode(key, certs[0], certs[1:], "salasõna")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "seal.p12")
	if err := os.WriteFile(f, p12, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSeal(SealFiles{Certificate: f, Password: "vale"}, time.Now()); err == nil {
		t.Error("a wrong PKCS#12 password was accepted")
	}
	seal, err := LoadSeal(SealFiles{Certificate: f, Password: "salasõna"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if seal.Name() != "Sihtasutus Kutsekoda" || len(seal.Chain) != 1 {
		t.Errorf("seal %q with %d issuers, want Sihtasutus Kutsekoda with the test CA", seal.Name(), len(seal.Chain))
	}
	if _, err := LoadSeal(SealFiles{Certificate: certFile, Key: keyFile}, time.Now().AddDate(10, 0, 0)); err == nil {
		t.Error("an expired seal certificate was accepted")
	}
	other, _ := os.ReadFile(filepath.Join(testCADir, "signer.key"))
	wrongKey := filepath.Join(t.TempDir(), "wrong.key")
	if err := os.WriteFile(wrongKey, other, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSeal(SealFiles{Certificate: certFile, Key: wrongKey}, time.Now()); err == nil || !strings.Contains(err.Error(), "does not belong") {
		t.Errorf("a key of another certificate: error %v", err)
	}
}

func TestSealRefusesWhatItCannotSealSafely(t *testing.T) {
	cert, key := testSealFiles(t)
	seal, err := LoadSeal(SealFiles{Certificate: cert, Key: key}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	signed, err := os.ReadFile("../documents/testdata/examples/committee-decision.pdf")
	if err != nil {
		t.Fatal(err)
	}
	for name, pdf := range map[string][]byte{
		"a document with a form (signed already)": signed,
		"not a PDF":          []byte("%PDF-1.4\nnot really\n"),
		"a letter cut short": mustRender(t, entry(t, 1))[:30000],
	} {
		if _, err := seal.Sign(pdf, time.Now()); err == nil {
			t.Errorf("%s: sealed", name)
		}
	}
	if _, err := seal.Sign(mustRender(t, entry(t, 1)), seal.Certificate.NotAfter.Add(time.Hour)); err == nil {
		t.Error("sealed after the seal certificate expired")
	}
}
