package pdfintake

import (
	"bytes"
	"cmp"
	"crypto/x509"
	"encoding/asn1"
	"slices"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/pkcs7"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/sign"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// verdict classifies a checked signature for the deficiency policy.
type verdict int

const (
	verdictValid verdict = iota
	verdictInvalid
	verdictUntrusted
	verdictUnverifiable
)

// checkedSignature is a signature with its verdict.
type checkedSignature struct {
	Signature
	verdict verdict
	reason  invalidReason
	// findings are the signer rules' results; nil when no signer
	// certificate was found.
	findings *certFindings
	// changedAfter: a later revision changes what this signature covered
	// (page content, annotations, any object of the signed revision), or
	// could not be compared.
	changedAfter bool
}

// foundSignature is a signed signature field located in the document.
type foundSignature struct {
	objNr   int
	field   string
	sigDict types.Dict
	// byteRange is the /ByteRange [a b c d]; ok is false when it is
	// missing, not four integers, or outside the file.
	byteRange [4]int64
	ok        bool
}

func (f foundSignature) end() int64 { return f.byteRange[2] + f.byteRange[3] }

// checkSignatures validates every signed signature of a parsed document
// against pool, oldest first.
//
// It drives pdfcpu's exported per-signature validators (package sign) with
// the Inspector's own trust pool instead of calling
// api.ValidateSignaturesRaw, because the latter reads trust anchors from
// pdfcpu's process-global certificate directory and pool. pdfcpu runs
// offline: no CRL or OCSP is fetched.
func checkSignatures(data []byte, pctx *model.Context, pool *x509.CertPool, now time.Time) []checkedSignature {
	found := locateSignatures(data, pctx)
	out := make([]checkedSignature, 0, len(found))
	ra := bytes.NewReader(data)
	for _, f := range found {
		out = append(out, checkSignature(ra, trimmedLen(data), pctx, pool, f, now))
	}
	return out
}

// locateSignatures finds the signed signature fields that pdfcpu's
// validation collected, skipping document timestamps and usage-rights
// signatures, ordered by where their signed range ends.
func locateSignatures(data []byte, pctx *model.Context) []foundSignature {
	seen := map[int]bool{}
	var found []foundSignature
	for _, bySig := range pctx.Signatures {
		for objNr, s := range bySig {
			if seen[objNr] || !s.Signed || s.Type == model.SigTypeDTS || s.Type == model.SigTypeUR {
				continue
			}
			seen[objNr] = true
			found = append(found, locate(pctx, objNr, int64(len(data))))
		}
	}
	slices.SortFunc(found, func(a, b foundSignature) int {
		return cmp.Or(cmp.Compare(a.end(), b.end()), cmp.Compare(a.objNr, b.objNr))
	})
	return found
}

// locate reads a signature field's name, signature dictionary and byte
// range. Any of them may be missing in a hostile file.
func locate(pctx *model.Context, objNr int, size int64) foundSignature {
	f := foundSignature{objNr: objNr}
	field, err := pctx.DereferenceDict(*types.NewIndirectRef(objNr, 0))
	if err != nil || field == nil {
		return f
	}
	f.field = textEntry(field, "T")
	v, ok := field.Find("V")
	if !ok {
		return f
	}
	sigDict, err := pctx.DereferenceDict(v)
	if err != nil || sigDict == nil {
		return f
	}
	f.sigDict = sigDict
	f.byteRange, f.ok = byteRange(sigDict.ArrayEntry("ByteRange"), size)
	return f
}

// byteRange validates a /ByteRange: four non-negative integers, starting at
// 0, the second range after the first, and everything inside the file.
func byteRange(arr types.Array, size int64) ([4]int64, bool) {
	var br [4]int64
	if len(arr) != 4 {
		return br, false
	}
	for i, o := range arr {
		n, ok := o.(types.Integer)
		if !ok || n < 0 {
			return br, false
		}
		br[i] = int64(n)
	}
	ok := br[0] == 0 && br[1] <= size && br[2] >= br[0]+br[1] && br[2] <= size && br[3] <= size-br[2]
	return br, ok
}

// checkSignature validates one signature.
func checkSignature(ra *bytes.Reader, contentEnd int64, pctx *model.Context, pool *x509.CertPool, f foundSignature, now time.Time) (c checkedSignature) {
	c = checkedSignature{Signature: Signature{Field: f.field, Status: SignatureInvalid}, verdict: verdictInvalid, reason: reasonMalformed}
	if f.sigDict == nil {
		c.Reason = "signature dictionary missing"
		return c
	}
	if sf := f.sigDict.NameEntry("SubFilter"); sf != nil {
		c.SubFilter = *sf
	}
	c.SigningTime = dictSigningTime(f.sigDict, pctx)
	if sc, ok := signerCertificate(f.sigDict); ok {
		id := identityOf(sc.cert)
		c.SignerName, c.PersonalCode, c.SubjectSerialNumber = id.name, id.personalCode, id.serialNumber
		c.Country, c.Issuer, c.CertificateSerial = id.country, id.issuer, id.certSerial
		// The signer rules, once the signing time is known.
		defer func() {
			fd := findingsOf(sc.cert, sc.digestAlg, sc.sigAlg, c.SubFilter, c.SigningTime, now)
			c.findings, c.Identity = &fd, fd.identity.String()
		}()
	}
	if !f.ok {
		c.Reason = "signature byte range missing or outside the file"
		return c
	}
	c.SignedBytes = f.end()
	c.ModifiedAfterSigning = c.SignedBytes < contentEnd

	r := &model.SignatureValidationResult{
		Status:      model.SignatureStatusUnknown,
		Reason:      model.SignatureReasonUnknown,
		DocModified: model.Unknown,
	}
	r.Details.SubFilter = c.SubFilter
	var err error
	switch c.SubFilter {
	case "adbe.pkcs7.detached", "ETSI.CAdES.detached", "adbe.pkcs7.sha1":
		err = sign.ValidatePKCS7Signatures(ra, f.sigDict, false, true, true, 0, pool, r, pctx)
	case "adbe.x509.rsa_sha1":
		err = sign.ValidateX509RSASHA1Signature(ra, f.sigDict, false, true, true, 0, pool, r, pctx)
	default:
		c.Status, c.verdict, c.Reason = SignatureUnknown, verdictUnverifiable, "unsupported SubFilter"
		return c
	}
	if t := r.Details.SigningTime; !t.IsZero() {
		c.SigningTime = t.UTC()
	}
	if err != nil {
		c.Reason = "signature could not be validated"
		return c
	}
	c.Reason = r.Reason.String()
	c.Trusted = trusted(r)
	c.Status, c.verdict, c.reason = classify(r)
	return c
}

// classify maps pdfcpu's result to a verdict. pdfcpu runs offline, so a
// signature that passed every check reports "revocation status unknown";
// that counts as valid here, with Signature.RevocationChecked false.
func classify(r *model.SignatureValidationResult) (SignatureStatus, verdict, invalidReason) {
	switch r.Status {
	case model.SignatureStatusValid:
		return SignatureValid, verdictValid, 0
	case model.SignatureStatusInvalid:
		return SignatureInvalid, verdictInvalid, invalidReasonOf(r.Reason)
	}
	switch r.Reason {
	case model.SignatureReasonCertRevocationUnknown:
		if r.DocModified == model.False && trusted(r) {
			return SignatureValid, verdictValid, 0
		}
		return SignatureUnknown, verdictUnverifiable, 0
	case model.SignatureReasonCertNotTrusted:
		return SignatureUnknown, verdictUntrusted, 0
	case model.SignatureReasonUnsupported, model.SignatureReasonInternal, model.SignatureReasonUnknown:
		return SignatureUnknown, verdictUnverifiable, 0
	default:
		return SignatureInvalid, verdictInvalid, invalidReasonOf(r.Reason)
	}
}

func invalidReasonOf(r model.SignatureReason) invalidReason {
	switch r {
	case model.SignatureReasonDocModified, model.SignatureReasonSignatureForged:
		return reasonContentMismatch
	case model.SignatureReasonCertExpired:
		return reasonCertExpired
	case model.SignatureReasonCertRevoked:
		return reasonCertRevoked
	case model.SignatureReasonCertInvalid, model.SignatureReasonSelfSignedCertErr:
		return reasonCertInvalid
	default:
		return reasonMalformed
	}
}

// trusted reports whether every signer's certificate path was resolved to
// a trust anchor.
func trusted(r *model.SignatureValidationResult) bool {
	if len(r.Details.Signers) == 0 {
		return false
	}
	for _, s := range r.Details.Signers {
		if s == nil || s.CertificatePathStatus != model.True {
			return false
		}
	}
	return true
}

// signerCert is the signer's certificate and the algorithms of its
// SignerInfo.
type signerCert struct {
	cert              *x509.Certificate
	digestAlg, sigAlg asn1.ObjectIdentifier
}

// signerCertificate finds the signer's certificate in a PKCS#7 /Contents.
func signerCertificate(sigDict types.Dict) (signerCert, bool) {
	hl := sigDict.HexLiteralEntry("Contents")
	if hl == nil {
		return signerCert{}, false
	}
	der, err := hl.Bytes()
	if err != nil {
		return signerCert{}, false
	}
	p7, err := pkcs7.Parse(der)
	if err != nil || len(p7.Signers) == 0 {
		return signerCert{}, false
	}
	si := p7.Signers[0]
	cert, err := pkcs7.GetCertFromCertsByIssuerAndSerial(p7.Certificates, si.IssuerAndSerialNumber)
	if err != nil || cert == nil {
		return signerCert{}, false
	}
	return signerCert{cert: cert, digestAlg: si.DigestAlgorithm.Algorithm, sigAlg: si.DigestEncryptionAlgorithm.Algorithm}, true
}

// dictSigningTime is the signature dictionary's /M, which the CMS
// signingTime attribute (found by pdfcpu) overrides.
func dictSigningTime(sigDict types.Dict, pctx *model.Context) time.Time {
	s := textEntry(sigDict, "M")
	if s == "" {
		return time.Time{}
	}
	t, ok := types.DateTime(s, pctx.XRefTable.ValidationMode == model.ValidationRelaxed)
	if !ok {
		return time.Time{}
	}
	return t.UTC()
}

// textEntry decodes a text string entry (literal or hex) of d; "" when
// absent or undecodable.
func textEntry(d types.Dict, key string) string {
	if sl := d.StringLiteralEntry(key); sl != nil {
		if s, err := types.StringLiteralToString(*sl); err == nil {
			return s
		}
		return ""
	}
	if hl := d.HexLiteralEntry(key); hl != nil {
		if s, err := types.HexLiteralToString(*hl); err == nil {
			return s
		}
	}
	return ""
}
