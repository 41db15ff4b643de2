package pdfintake

import (
	"crypto/dsa" //nolint:staticcheck // only to measure legacy keys
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"regexp"
	"strings"
	"time"

	"github.com/kutsekoda/alusdok/documents"
)

// The signer rules, beyond what pdfcpu checks (the signed bytes, the
// cryptographic signature, the chain to a trust anchor): who the signer
// is, whether the certificate was meant for signatures and valid when it
// signed, and whether the algorithms are still strong.

// identityKind classifies the subject serialNumber of a signer
// certificate, an ETSI EN 319 412-1 semantics identifier
// ("PNOEE-48803150230": type, country, "-", identifier).
type identityKind int

const (
	// identityEstonian: PNOEE- with a valid personal code.
	identityEstonian identityKind = iota
	// identityInvalid: PNOEE- with something that is not a valid
	// personal code (check digit, impossible date, format).
	identityInvalid
	// identityForeign: a natural person's identifier of another country
	// or document: PNO (not EE), PAS (passport), IDC (identity card).
	identityForeign
	// identityNone: no serialNumber, or one that names no natural person
	// (NTR, a legal person's e-seal; VAT; anything else).
	identityNone
)

// semanticsIdentifier matches an ETSI EN 319 412-1 natural-person
// identifier: type, ISO 3166 country, hyphen, identifier.
var semanticsIdentifier = regexp.MustCompile(`^(PNO|PAS|IDC)([A-Z]{2})-(.+)$`)

// classifyIdentity classifies a subject serialNumber. The personal code is
// checked by package documents' own validator (check digit, real date).
func classifyIdentity(serialNumber string) identityKind {
	m := semanticsIdentifier.FindStringSubmatch(serialNumber)
	switch {
	case m == nil:
		return identityNone
	case m[1] == "PNO" && m[2] == "EE":
		if documents.ValidPersonalCode(m[3]) {
			return identityEstonian
		}
		return identityInvalid
	default:
		return identityForeign
	}
}

// certFindings are the signer rules a certificate and signature break.
type certFindings struct {
	identity identityKind
	// noNonRepudiation: key usage lacks nonRepudiation
	// (contentCommitment), so the key was not certified for signatures
	// that commit its holder.
	noNonRepudiation bool
	// notValidAtSigning: the signing time lies outside the certificate's
	// validity period.
	notValidAtSigning bool
	// weak: a SHA-1 or MD5 digest or signature, or an RSA or DSA key under
	// 2048 bits.
	weak bool
}

// minRSABits is the smallest RSA (and DSA) key accepted.
const minRSABits = 2048

// Digest and signature algorithms refused as weak (SHA-1 and MD5).
var weakAlgorithms = []asn1.ObjectIdentifier{
	{1, 3, 14, 3, 2, 26},         // sha1
	{1, 2, 840, 113549, 2, 5},    // md5
	{1, 2, 840, 113549, 1, 1, 4}, // md5WithRSAEncryption
	{1, 2, 840, 113549, 1, 1, 5}, // sha1WithRSAEncryption
	{1, 2, 840, 10045, 4, 1},     // ecdsa-with-SHA1
	{1, 2, 840, 10040, 4, 3},     // dsa-with-sha1
	{1, 3, 14, 3, 2, 29},         // sha1WithRSASignature (OIW)
	{1, 2, 840, 113549, 1, 1, 3}, // md4WithRSAEncryption
	{1, 2, 840, 113549, 2, 2},    // md2
	{1, 2, 840, 113549, 1, 1, 2}, // md2WithRSAEncryption
}

func isWeak(oid asn1.ObjectIdentifier) bool {
	for _, w := range weakAlgorithms {
		if oid.Equal(w) {
			return true
		}
	}
	return false
}

// findingsOf applies the signer rules to a signer certificate, the
// digest and signature algorithms of its SignerInfo, and the signing time
// (zero: unknown, then now is used).
func findingsOf(cert *x509.Certificate, digestAlg, sigAlg asn1.ObjectIdentifier, subFilter string, signingTime, now time.Time) certFindings {
	f := certFindings{identity: classifyIdentity(cert.Subject.SerialNumber)}
	f.noNonRepudiation = cert.KeyUsage&x509.KeyUsageContentCommitment == 0
	t := signingTime
	if t.IsZero() {
		t = now
	}
	f.notValidAtSigning = t.Before(cert.NotBefore) || t.After(cert.NotAfter)
	f.weak = isWeak(digestAlg) || isWeak(sigAlg) || weakKey(cert) || strings.Contains(subFilter, "sha1")
	switch cert.SignatureAlgorithm {
	case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		f.weak = true
	}
	return f
}

// weakKey reports an RSA or DSA key under 2048 bits (or an ECDSA key under
// 256).
func weakKey(cert *x509.Certificate) bool {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen() < minRSABits
	case *dsa.PublicKey:
		return k.P.BitLen() < minRSABits
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize < 256
	}
	return false
}

// String is the identity's name in Signature.Identity.
func (k identityKind) String() string {
	switch k {
	case identityEstonian:
		return "estonian"
	case identityInvalid:
		return "invalid"
	case identityForeign:
		return "foreign"
	default:
		return "none"
	}
}
