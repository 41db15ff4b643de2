package notices

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/kutsekoda/alusdok/documents/pdfintake"
)

// startTSA runs an RFC 3161 timestamp authority whose certificate the test
// CA issues, and counts the requests it answers.
func startTSA(tb testing.TB) (url string, answered *atomic.Int64) {
	tb.Helper()
	caPEM, err := os.ReadFile(filepath.Join(testCADir, "ca.key"))
	if err != nil {
		tb.Fatal(err)
	}
	kb, _ := pem.Decode(caPEM)
	caKey, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	ca := testCA(tb)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{Country: []string{"EE"}, CommonName: "alusdok TEST TSA"},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
		BasicConstraintsValid: true,
	}, ca, &key.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	answered = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := timestamp.ParseRequest(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ts := timestamp.Timestamp{
			HashAlgorithm: req.HashAlgorithm, HashedMessage: req.HashedMessage, Time: time.Now(),
			Policy: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Nonce: req.Nonce, AddTSACertificate: req.Certificates,
		}
		resp, err := ts.CreateResponseWithOpts(cert, key, crypto.SHA256)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		answered.Add(1)
		w.Header().Set("Content-Type", "application/timestamp-reply")
		_, _ = w.Write(resp)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL, answered
}

// idSigningTime is the DER of the CMS signing-time attribute type
// (1.2.840.113549.1.9.5), which a PAdES baseline signature must not have.
var idSigningTime = []byte{0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05}

// signatureCMS returns the signature's CMS (with the zero padding of its
// placeholder after it).
func signatureCMS(tb testing.TB, pdf []byte) []byte {
	tb.Helper()
	m := regexp.MustCompile(`/Contents\s*<([0-9a-fA-F]+)>`).FindSubmatch(pdf)
	if m == nil {
		tb.Fatal("no signature contents")
	}
	cms, err := hex.DecodeString(string(m[1]))
	if err != nil {
		tb.Fatal(err)
	}
	return cms
}

func TestSealIsAPAdESBaselineSignature_BB(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 15, 0, 0, time.UTC)
	cert, key := testSealFiles(t)
	seal, err := LoadSeal(SealFiles{Certificate: cert, Key: key}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	unsealed := mustRender(t, entry(t, 1))
	pdf, err := seal.Sign(unsealed, at)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, unsealed) {
		t.Error("the seal did not only append: the letter's bytes changed")
	}
	for _, want := range []string{"/SubFilter /ETSI.CAdES.detached", "/M (D:20261201101500+00'00')", "/SigFlags 3", "/FT /Sig"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the seal lacks %s", want)
		}
	}
	cms := signatureCMS(t, pdf)
	if bytes.Contains(cms, idSigningTime) {
		t.Error("the CMS has a signing-time attribute, which PAdES forbids (the time is /M)")
	}
	signingCertificateV2 := []byte{0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x2F}
	if !bytes.Contains(cms, signingCertificateV2) {
		t.Error("the CMS lacks the ESS signing-certificate-v2 attribute")
	}
	if bytes.Contains(cms, idSignatureTimeStampToken) {
		t.Error("a timestamp without a timestamp authority")
	}
}

// idSignatureTimeStampToken is the DER of the unsigned attribute type
// id-aa-signatureTimeStampToken (1.2.840.113549.1.9.16.2.14).
var idSignatureTimeStampToken = []byte{0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x0E}

func TestSealWithTimestampAuthorityAddsATimestampToken_BT(t *testing.T) {
	url, answered := startTSA(t)
	cert, key := testSealFiles(t)
	seal, err := LoadSeal(SealFiles{Certificate: cert, Key: key, TSA: url}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(DefaultSender(), WithSeal(seal))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Render(extension(t))
	if err != nil {
		t.Fatal(err)
	}
	if answered.Load() != 1 {
		t.Errorf("the TSA answered %d requests, want 1", answered.Load())
	}
	cms := signatureCMS(t, pdf)
	if !bytes.Contains(cms, idSignatureTimeStampToken) {
		t.Error("the signature has no signature-time-stamp attribute")
	}
	if !bytes.Contains(cms, []byte("alusdok TEST TSA")) {
		t.Error("the timestamp token does not carry the TSA's certificate")
	}
	if out := pdfsig(t, pdf); !strings.Contains(out, "Signature Validation: Signature is Valid.") {
		t.Errorf("pdfsig:\n%s", out)
	}
	in, err := pdfintake.New(pdfintake.Options{InProcess: true, TrustedCerts: []*x509.Certificate{testCA(t)}})
	if err != nil {
		t.Fatal(err)
	}
	res, defs, err := in.Inspect(context.Background(), bytes.NewReader(pdf))
	if err != nil || defs.HasErrors() || len(res.Signatures) != 1 || res.Signatures[0].Status != pdfintake.SignatureValid {
		t.Errorf("intake: %v, %v, %+v", err, defs, res)
	}
}

func TestSealFailsWhenTheTimestampAuthorityFails_BT(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	cert, key := testSealFiles(t)
	seal, err := LoadSeal(SealFiles{Certificate: cert, Key: key, TSA: srv.URL}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seal.Sign(mustRender(t, entry(t, 1)), time.Now()); err == nil {
		t.Error("a seal whose TSA failed was made anyway (B-T was asked for)")
	}
}

func mustRender(tb testing.TB, n Notice) []byte {
	tb.Helper()
	pdf, err := mustRenderer(tb).Render(n)
	if err != nil {
		tb.Fatal(err)
	}
	return pdf
}
