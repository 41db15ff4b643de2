package pdfintake

import (
	"fmt"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Deficiency codes of PDF intake. They are stable: a code never changes
// meaning once published. Codes lists them with their meaning for the README
// table.
const (
	// CodeNotPDF: the bytes do not start with a PDF header (%PDF- within the
	// first 1024 bytes). File names and content types are not consulted.
	CodeNotPDF deficiency.Code = "pdf.not-pdf"
	// CodeTooLarge: the file is larger than Options.MaxBytes; it is not parsed.
	CodeTooLarge deficiency.Code = "pdf.too-large"
	// CodeStreamTooLarge: a compressed stream inflates beyond
	// Options.MaxDecodedStreamBytes (a decompression bomb), all streams
	// together beyond 16 times that, or a cross-reference stream uses a
	// filter other than FlateDecode.
	CodeStreamTooLarge deficiency.Code = "pdf.stream-too-large"
	// CodeTooComplex: before parsing, the file holds more objects than
	// Options.MaxObjects, more syntax tokens than Options.MaxTokens (object
	// streams included), or more than four times Options.MaxPages page
	// objects: parsing it would take too much memory.
	CodeTooComplex deficiency.Code = "pdf.too-complex"
	// CodeTooManyPages: the document has more pages than Options.MaxPages.
	CodeTooManyPages deficiency.Code = "pdf.too-many-pages"
	// CodeTruncated: the file has no %%EOF marker in its last 1024 bytes, the
	// usual sign of an interrupted upload or copy.
	CodeTruncated deficiency.Code = "pdf.truncated"
	// CodeMalformed: the file could not be parsed or validated as PDF (in
	// relaxed mode), has no pages, or made the parser fail.
	CodeMalformed deficiency.Code = "pdf.malformed"
	// CodeEncrypted: the file is encrypted, with or without a user password.
	CodeEncrypted deficiency.Code = "pdf.encrypted"
	// CodeTimeout: parsing and signature checks did not finish within
	// Options.Timeout.
	CodeTimeout deficiency.Code = "pdf.timeout"
	// CodeSignatureMissing: Options.RequireSignature is set and the document
	// carries no digital signature.
	CodeSignatureMissing deficiency.Code = "pdf.signature.missing"
	// CodeSignatureInvalid: a signature is broken — the signed bytes do not
	// match it, its data is malformed, or the signer's certificate is
	// invalid, expired or revoked. Always an error.
	CodeSignatureInvalid deficiency.Code = "pdf.signature.invalid"
	// CodeSignatureUntrusted: a signature is intact but its certificate does
	// not chain to a configured trust anchor.
	CodeSignatureUntrusted deficiency.Code = "pdf.signature.untrusted"
	// CodeSignatureUnverifiable: a signature uses a format or algorithm that
	// cannot be verified.
	CodeSignatureUnverifiable deficiency.Code = "pdf.signature.unverifiable"
	// CodeSignatureModifiedAfterSigning: bytes were appended after a
	// signature's signed range (an incremental update) and no later valid
	// signature covers them.
	CodeSignatureModifiedAfterSigning deficiency.Code = "pdf.signature.modified-after-signing"
	// CodeSignatureLaterRevision: the document was extended after a
	// signature, but a later valid signature covers the whole file (the
	// usual shape of a co-signed document).
	CodeSignatureLaterRevision deficiency.Code = "pdf.signature.later-revision"
)

// Severity names used in CodeInfo for codes whose severity depends on the
// policy in Options.
const severityPolicy = "error or warning"

// CodeInfo documents one deficiency code.
type CodeInfo struct {
	Code deficiency.Code `json:"code"`
	// Severity is "error", "warning", or "error or warning" where Options
	// decide.
	Severity string `json:"severity"`
	// Meaning is the rule, in English, for the README table.
	Meaning string `json:"meaning"`
}

// Codes returns every deficiency code this package produces, in a stable
// order, with its severity and meaning.
func Codes() []CodeInfo {
	e, w := string(deficiency.Error), string(deficiency.Warning)
	return []CodeInfo{
		{CodeNotPDF, e, "The bytes are not a PDF: no %PDF- header within the first 1024 bytes (file name and content type are ignored)."},
		{CodeTooLarge, e, "The file is larger than the configured limit (default 20 MiB); it is not parsed."},
		{CodeStreamTooLarge, e, "A compressed stream inflates beyond the configured limit (default 64 MiB; all streams together 16 times that), or a cross-reference stream uses a filter other than FlateDecode: the decompression-bomb guard."},
		{CodeTooComplex, e, "Counted before parsing, the file holds more objects (default limit 200 000), syntax tokens (default 3 000 000, object streams included) or page objects (4 × the page limit) than allowed: parsing it would take too much memory."},
		{CodeTooManyPages, e, "The document has more pages than the configured limit (default 500)."},
		{CodeTruncated, e, "The file has no %%EOF marker in its last 1024 bytes: the upload or copy was cut short."},
		{CodeMalformed, e, "The file cannot be parsed or validated as PDF (relaxed mode), has no pages, or made the parser fail."},
		{CodeEncrypted, e, "The file is encrypted or password-protected; an unencrypted document must be submitted."},
		{CodeTimeout, e, "Parsing and signature checks did not finish within the time budget (default 30 s)."},
		{CodeSignatureMissing, e, "A signature is required and the document carries none."},
		{CodeSignatureInvalid, e, "A signature is broken: signed bytes changed, malformed signature data, or an invalid, expired or revoked certificate."},
		{CodeSignatureUntrusted, severityPolicy, "A signature is intact but its certificate does not chain to a trusted CA. Error when a signature is required and no signature of the document is valid; otherwise a warning."},
		{CodeSignatureUnverifiable, severityPolicy, "A signature uses an unsupported format or algorithm and cannot be checked. Error when a signature is required and no signature of the document is valid; otherwise a warning."},
		{CodeSignatureModifiedAfterSigning, e, "The document was changed after signing (an incremental update after the signed byte range) and no later valid signature covers the change."},
		{CodeSignatureLaterRevision, w, "The document was extended after this signature, and a later valid signature covers the whole file (typical of co-signing)."},
	}
}

// message is a deficiency text in both languages. Format verbs are filled
// with numbers and limits only: messages never carry signer names, personal
// codes or any other text taken from the document.
type message struct{ et, en string }

// messageFor returns the catalogue message of code.
func messageFor(code deficiency.Code) message {
	switch code {
	case CodeNotPDF:
		return message{
			"Fail ei ole PDF-dokument.",
			"The file is not a PDF document.",
		}
	case CodeTooLarge:
		return message{
			"Fail on liiga suur: lubatud on kuni %s.",
			"The file is too large: at most %s is allowed.",
		}
	case CodeStreamTooLarge:
		return message{
			"PDF-failis on pakitud andmeid, mis lahtipakituna ületavad lubatud mahu (%s).",
			"The PDF file holds compressed data that expands beyond the allowed size (%s).",
		}
	case CodeTooComplex:
		return message{
			"PDF-fail on kontrollimiseks liiga keeruline: selles on lubatust rohkem objekte, lehekülgi või süntaksielemente.",
			"The PDF file is too complex to check: it holds more objects, pages or syntax elements than allowed.",
		}
	case CodeTooManyPages:
		return message{
			"Dokumendis on %d lehekülge, lubatud on kuni %d.",
			"The document has %d pages; at most %d are allowed.",
		}
	case CodeTruncated:
		return message{
			"PDF-fail on poolik (faili lõpp puudub). Laadige fail uuesti üles.",
			"The PDF file is truncated (its end is missing). Upload the file again.",
		}
	case CodeMalformed:
		return message{
			"PDF-faili ei õnnestunud lugeda: fail on vigane.",
			"The PDF file could not be read: it is malformed.",
		}
	case CodeEncrypted:
		return message{
			"PDF-fail on krüpteeritud või parooliga kaitstud. Esitage krüpteerimata dokument.",
			"The PDF file is encrypted or password-protected. Submit an unencrypted document.",
		}
	case CodeTimeout:
		return message{
			"PDF-faili kontroll ei lõppenud ettenähtud aja (%s) jooksul: fail on liiga keeruline või vigane.",
			"Checking the PDF file did not finish within the time limit (%s): the file is too complex or malformed.",
		}
	case CodeSignatureMissing:
		return message{
			"Dokument ei ole digitaalselt allkirjastatud.",
			"The document is not digitally signed.",
		}
	case CodeSignatureInvalid:
		return message{
			"Digitaalallkiri ei kehti: %s.",
			"The digital signature is not valid: %s.",
		}
	case CodeSignatureUntrusted:
		return message{
			"Allkirjastaja sertifikaadi väljastaja ei ole usaldusväärne, allkirja ei saa kinnitada.",
			"The signer's certificate was not issued by a trusted certification authority; the signature cannot be confirmed.",
		}
	case CodeSignatureUnverifiable:
		return message{
			"Allkirja ei saa kontrollida: allkirja vorming või algoritm ei ole toetatud.",
			"The signature cannot be checked: its format or algorithm is not supported.",
		}
	case CodeSignatureModifiedAfterSigning:
		return message{
			"Dokumenti on pärast allkirjastamist muudetud ja muudatused ei ole allkirjastatud.",
			"The document was changed after it was signed, and the changes are not signed.",
		}
	case CodeSignatureLaterRevision:
		return message{
			"Dokumenti on pärast seda allkirja täiendatud; täiendused on kaetud hilisema allkirjaga.",
			"The document was extended after this signature; the additions are covered by a later signature.",
		}
	default:
		return message{string(code), string(code)}
	}
}

// invalidReason says why a signature is invalid.
type invalidReason int

const (
	reasonContentMismatch invalidReason = iota
	reasonCertExpired
	reasonCertRevoked
	reasonCertInvalid
	reasonMalformed
)

func (r invalidReason) text() message {
	switch r {
	case reasonContentMismatch:
		return message{"allkirjastatud sisu ei vasta allkirjale", "the signed content does not match the signature"}
	case reasonCertExpired:
		return message{"allkirjastaja sertifikaat on aegunud", "the signer's certificate has expired"}
	case reasonCertRevoked:
		return message{"allkirjastaja sertifikaat on tühistatud", "the signer's certificate has been revoked"}
	case reasonCertInvalid:
		return message{"allkirjastaja sertifikaat on vigane", "the signer's certificate is invalid"}
	default:
		return message{"allkirja andmed on vigased", "the signature data is malformed"}
	}
}

// add appends a deficiency with the catalogue message for code. args fill
// the message's verbs; pass numbers and limits only.
func add(l *deficiency.List, sev deficiency.Severity, field string, code deficiency.Code, args ...any) {
	m := messageFor(code)
	et, en := m.et, m.en
	if len(args) > 0 {
		et, en = fmt.Sprintf(m.et, args...), fmt.Sprintf(m.en, args...)
	}
	if sev == deficiency.Warning {
		l.Warn(field, code, et, en)
		return
	}
	l.Add(field, code, et, en)
}

// addInvalid appends CodeSignatureInvalid with the reason in both languages.
func addInvalid(l *deficiency.List, field string, r invalidReason) {
	m, t := messageFor(CodeSignatureInvalid), r.text()
	l.Add(field, CodeSignatureInvalid, fmt.Sprintf(m.et, t.et), fmt.Sprintf(m.en, t.en))
}
