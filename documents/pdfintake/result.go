package pdfintake

import "time"

// Result describes an inspected document. Inspect returns a Result for
// every input it could read, deficient or not, so that even a refused
// document is identified by its hash.
type Result struct {
	// SHA256 is the lower-case hex SHA-256 of the original bytes: the
	// document's identity. Empty only when the input was larger than
	// MaxBytes (and therefore not read to the end).
	SHA256 string `json:"sha256" bson:"sha256"`
	// Size is the length of the original bytes; 0 when larger than MaxBytes.
	Size int64 `json:"size" bson:"size"`
	// Pages is the page count; 0 when the document could not be parsed.
	Pages int `json:"pages" bson:"pages"`
	// PDFVersion is the effective version ("1.7"): the catalog's /Version
	// when it overrides the header. Empty when not parsed.
	PDFVersion string `json:"pdfVersion" bson:"pdfVersion"`
	// Signatures are the document's signatures, oldest first (by the end of
	// their signed byte range). Document timestamps (ETSI.RFC3161) and
	// empty signature fields are not listed.
	Signatures []Signature `json:"signatures" bson:"signatures"`
	// ActiveContent lists the kinds of active content found, sorted:
	// "javascript", "external-action" (Launch, SubmitForm, ImportData,
	// GoToE), "embedded-file", "multimedia". Never run.
	ActiveContent []string `json:"activeContent,omitempty" bson:"activeContent,omitempty"`
}

// SignatureStatus is the verdict on one signature.
type SignatureStatus string

const (
	// SignatureValid: the signed bytes match, the signature verifies, and
	// the certificate chains to a trust anchor and is within its validity
	// period. Revocation is not checked (intake runs offline); see
	// Signature.RevocationChecked.
	SignatureValid SignatureStatus = "valid"
	// SignatureInvalid: the signature is broken (see CodeSignatureInvalid).
	SignatureInvalid SignatureStatus = "invalid"
	// SignatureUnknown: the signature is intact as far as it could be
	// checked, but its certificate is untrusted or its format unsupported.
	SignatureUnknown SignatureStatus = "unknown"
)

// Signature is what intake learned about one signature. Signer data lives
// only here, never in deficiency messages or logs.
type Signature struct {
	// Field is the signature form field's name (/T), as the document has it.
	Field string `json:"field" bson:"field"`
	// SubFilter is the signature's encoding, e.g. "adbe.pkcs7.detached".
	SubFilter string `json:"subFilter" bson:"subFilter"`

	// SignerName is the signer's name from the certificate subject: given
	// name and surname when present (as on Estonian ID cards), otherwise
	// the common name. Empty when no signer certificate was found.
	SignerName string `json:"signerName" bson:"signerName"`
	// PersonalCode is the Estonian personal identification code: the 11
	// digits of a subject serialNumber of the form "PNOEE-<11 digits>".
	// Empty for other serial numbers; the checksum is not verified here.
	PersonalCode string `json:"personalCode,omitempty" bson:"personalCode,omitempty"`
	// SubjectSerialNumber is the certificate subject's serialNumber as is
	// (e.g. "PNOEE-48803150230", "PNOLV-…", "NTREE-…" for an e-seal).
	SubjectSerialNumber string `json:"subjectSerialNumber,omitempty" bson:"subjectSerialNumber,omitempty"`
	// Identity classifies SubjectSerialNumber (ETSI EN 319 412-1):
	// "estonian" (PNOEE- and a valid personal code), "invalid" (PNOEE-
	// and no valid personal code), "foreign" (PNO of another country,
	// PAS, IDC: recorded, with a warning), "none" (no natural person's
	// identifier). Empty when no signer certificate was found.
	Identity string `json:"identity,omitempty" bson:"identity,omitempty"`
	// Country is the certificate subject's country (C).
	Country string `json:"country,omitempty" bson:"country,omitempty"`
	// Issuer is the common name of the certificate's issuer.
	Issuer string `json:"issuer,omitempty" bson:"issuer,omitempty"`
	// CertificateSerial is the signer certificate's serial number in hex.
	CertificateSerial string `json:"certificateSerial,omitempty" bson:"certificateSerial,omitempty"`
	// SigningTime is the claimed signing time: the CMS signingTime
	// attribute, else the signature dictionary's /M. Zero when neither is
	// present. It is the signer's claim, not a trusted timestamp.
	SigningTime time.Time `json:"signingTime" bson:"signingTime"`

	// Status is the verdict.
	Status SignatureStatus `json:"status" bson:"status"`
	// Reason is pdfcpu's short reason for the verdict (English, no signer
	// data), e.g. "document has been modified".
	Reason string `json:"reason" bson:"reason"`
	// Trusted reports whether the certificate chained to a trust anchor.
	Trusted bool `json:"trusted" bson:"trusted"`
	// RevocationChecked is always false: intake does not fetch CRLs or
	// OCSP responses.
	RevocationChecked bool `json:"revocationChecked" bson:"revocationChecked"`
	// SignedBytes is where the signed byte range ends (offset of the last
	// signed byte + 1).
	SignedBytes int64 `json:"signedBytes" bson:"signedBytes"`
	// ModifiedAfterSigning reports bytes after SignedBytes (other than
	// trailing whitespace): an incremental update appended after signing.
	ModifiedAfterSigning bool `json:"modifiedAfterSigning" bson:"modifiedAfterSigning"`
}
