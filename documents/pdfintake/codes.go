package pdfintake

import (
	"fmt"
	"strings"

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
	// CodeSignatureModifiedAfterSigning: a revision appended after a
	// signature changes what it covered: page content, annotations, or
	// any object of the signed revision — whatever signs it afterwards.
	CodeSignatureModifiedAfterSigning deficiency.Code = "pdf.signature.modified-after-signing"
	// CodeSignatureLaterRevision: the document was extended after a
	// signature only by signatures, validation data or nothing that
	// renders (the usual shape of a co-signed document).
	CodeSignatureLaterRevision deficiency.Code = "pdf.signature.later-revision"
	// CodeSignerIdentity: the signer certificate's subject serialNumber is
	// PNOEE- with no valid personal code (an error), or names no natural
	// person (an error where the kind needs a person's signature).
	CodeSignerIdentity deficiency.Code = "pdf.signature.signer-identity"
	// CodeForeignIdentity: the signer is identified by another country's
	// or document's identifier (PNOLV-, PNOLT-, PAS…, IDC…): recorded in
	// Signature.Identity, a warning for the clerk.
	CodeForeignIdentity deficiency.Code = "pdf.signature.foreign-identity"
	// CodeKeyUsage: the signer certificate lacks nonRepudiation
	// (contentCommitment) key usage.
	CodeKeyUsage deficiency.Code = "pdf.signature.key-usage"
	// CodeNotValidAtSigning: the signing time lies outside the signer
	// certificate's validity period.
	CodeNotValidAtSigning deficiency.Code = "pdf.signature.not-valid-at-signing"
	// CodeWeakAlgorithm: the signature uses SHA-1 or MD5, or a key under
	// 2048 bits (RSA, DSA).
	CodeWeakAlgorithm deficiency.Code = "pdf.signature.weak-algorithm"
	// CodeActiveContent: the document carries JavaScript, Launch,
	// SubmitForm or ImportData actions, embedded files or RichMedia. An
	// error by default; a warning where the kind's policy allows it.
	CodeActiveContent deficiency.Code = "pdf.active-content"
	// CodeMetadataMismatch: the document's text does not contain the
	// metadata's number or date (a warning for the clerk).
	CodeMetadataMismatch deficiency.Code = "pdf.metadata-mismatch"
)

// severityPolicy is the severity of codes that Options or Expect decide.
const severityPolicy = "error or warning"

// CodeInfo documents one deficiency code.
type CodeInfo struct {
	Code deficiency.Code `json:"code"`
	// Severity is "error", "warning", or "error or warning" where Options
	// or Expect decide.
	Severity string `json:"severity"`
	// Requirement names the requirements (SPEC.md) the rule serves.
	Requirement string `json:"requirement"`
	// ET and EN are the messages; placeholders in braces ({max}) are
	// filled with limits and counts only.
	ET string `json:"et"`
	EN string `json:"en"`
}

// Codes returns every deficiency code this package produces, in a stable
// order, with its severity, requirement and messages.
func Codes() []CodeInfo {
	out := make([]CodeInfo, len(catalogue))
	copy(out, catalogue)
	return out
}

// CodesMarkdown renders Codes as the PDF section of documents/CODES.md.
func CodesMarkdown() string {
	var b strings.Builder
	b.WriteString("\n## PDF codes (package documents/pdfintake)\n\n")
	b.WriteString("Generated from `pdfintake.Codes()` by the same test.\n\n")
	b.WriteString("| code | severity | requirement | message (et) | message (en) |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, ci := range catalogue {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", ci.Code, ci.Severity, ci.Requirement, mdCell(ci.ET), mdCell(ci.EN))
	}
	return b.String()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

const (
	sevE = string(deficiency.Error)
	sevW = string(deficiency.Warning)
)

// catalogue is the table of every code, in the order of Codes.
var catalogue = []CodeInfo{
	{CodeNotPDF, sevE, "R12.2", "Fail ei ole PDF-dokument.", "The file is not a PDF document."},
	{CodeTooLarge, sevE, "R12.2", "Fail on liiga suur: lubatud on kuni {max}.", "The file is too large: at most {max} is allowed."},
	{CodeStreamTooLarge, sevE, "R12.2", "PDF-failis on pakitud andmeid, mis lahtipakituna ületavad lubatud mahu ({max}).", "The PDF file holds compressed data that expands beyond the allowed size ({max})."},
	{CodeTooComplex, sevE, "R12.2", "PDF-fail on kontrollimiseks liiga keeruline: selles on lubatust rohkem objekte, lehekülgi või süntaksielemente või vajab selle kontroll lubatust rohkem mälu.", "The PDF file is too complex to check: it holds more objects, pages or syntax elements than allowed, or checking it needs more memory than allowed."},
	{CodeTooManyPages, sevE, "R12.2", "Dokumendis on {pages} lehekülge, lubatud on kuni {max}.", "The document has {pages} pages; at most {max} are allowed."},
	{CodeTruncated, sevE, "R12.2", "PDF-fail on poolik (faili lõpp puudub). Laadige fail uuesti üles.", "The PDF file is truncated (its end is missing). Upload the file again."},
	{CodeMalformed, sevE, "R12.2", "PDF-faili ei õnnestunud lugeda: fail on vigane.", "The PDF file could not be read: it is malformed."},
	{CodeEncrypted, sevE, "R12.2", "PDF-fail on krüpteeritud või parooliga kaitstud. Esitage krüpteerimata dokument.", "The PDF file is encrypted or password-protected. Submit an unencrypted document."},
	{CodeTimeout, sevE, "R12.2", "PDF-faili kontroll ei lõppenud ettenähtud aja ({max}) jooksul: fail on liiga keeruline või vigane.", "Checking the PDF file did not finish within the time limit ({max}): the file is too complex or malformed."},
	{CodeSignatureMissing, sevE, "R10, R13.1", "Dokument ei ole digitaalselt allkirjastatud.", "The document is not digitally signed."},
	{CodeSignatureInvalid, sevE, "R10, R13.1", "Digitaalallkiri ei kehti: {reason}.", "The digital signature is not valid: {reason}."},
	{CodeSignatureUntrusted, severityPolicy, "R10, R13.1", "Allkirjastaja sertifikaadi väljastaja ei ole usaldusväärne, allkirja ei saa kinnitada.", "The signer's certificate was not issued by a trusted certification authority; the signature cannot be confirmed."},
	{CodeSignatureUnverifiable, severityPolicy, "R10, R13.1", "Allkirja ei saa kontrollida: allkirja vorming või algoritm ei ole toetatud.", "The signature cannot be checked: its format or algorithm is not supported."},
	{CodeSignatureModifiedAfterSigning, sevE, "R13.2", "Dokumenti on pärast allkirjastamist muudetud: hilisem versioon muudab allkirjastatud sisu.", "The document was changed after it was signed: a later revision changes the signed content."},
	{CodeSignatureLaterRevision, sevW, "R13.2", "Dokumenti on pärast seda allkirja täiendatud ainult allkirjade või kehtivusandmetega; sisu ei ole muudetud.", "After this signature the document was extended only by signatures or validation data; its content is unchanged."},
	{CodeSignerIdentity, severityPolicy, "R10, R13.1, R17", "Allkirjastaja sertifikaadis ei ole kehtivat isikukoodi (PNOEE-) ega muud füüsilise isiku tunnust.", "The signer's certificate carries no valid personal code (PNOEE-) or other identifier of a natural person."},
	{CodeForeignIdentity, sevW, "R10, R17", "Allkirjastaja on tuvastatud välisriigi isikukoodi või dokumendi numbriga; kontrollige allkirjastaja isikut.", "The signer is identified by a foreign personal number or document number; check who the signer is."},
	{CodeKeyUsage, sevE, "R10, R13.1", "Allkirjastaja sertifikaat ei ole mõeldud digitaalallkirjaks (puudub nonRepudiation-kasutus).", "The signer's certificate is not meant for digital signatures (it lacks nonRepudiation key usage)."},
	{CodeNotValidAtSigning, sevE, "R10, R13.1", "Allkirjastaja sertifikaat ei kehtinud allkirjastamise ajal.", "The signer's certificate was not valid at the time of signing."},
	{CodeWeakAlgorithm, sevE, "R10, R13.1", "Allkiri kasutab nõrka algoritmi (SHA-1, MD5 või alla 2048-bitine RSA-võti).", "The signature uses a weak algorithm (SHA-1, MD5 or an RSA key under 2048 bits)."},
	{CodeActiveContent, severityPolicy, "R13.2", "PDF-failis on aktiivne sisu (JavaScript, toimingud, manustatud failid või multimeedia), mida ei käivitata; esitage dokument ilma selleta.", "The PDF file holds active content (JavaScript, actions, embedded files or multimedia), which is never run; submit the document without it."},
	{CodeMetadataMismatch, sevW, "R13.1, R13.3", "Dokumendi tekstist ei leitud metaandmetes esitatud {what}; kontrollige, kas dokument ja andmed kuuluvad kokku.", "The document's text does not contain the {what} given in the metadata; check that document and data belong together."},
}

// catalogueInfo returns the entry of code.
func catalogueInfo(code deficiency.Code) CodeInfo {
	for _, ci := range catalogue {
		if ci.Code == code {
			return ci
		}
	}
	return CodeInfo{Code: code, ET: string(code), EN: string(code)}
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

// message is a text in both languages.
type message struct{ et, en string }

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

// add appends a deficiency with the catalogue messages of code. kv are
// placeholder names and values, alternating; values are limits and counts,
// never text from the document.
func add(l *deficiency.List, sev deficiency.Severity, field string, code deficiency.Code, kv ...any) {
	ci := catalogueInfo(code)
	et, en := ci.ET, ci.EN
	for i := 0; i+1 < len(kv); i += 2 {
		k, v := "{"+fmt.Sprint(kv[i])+"}", fmt.Sprint(kv[i+1])
		et, en = strings.ReplaceAll(et, k, v), strings.ReplaceAll(en, k, v)
	}
	if sev == deficiency.Warning {
		l.Warn(field, code, et, en)
		return
	}
	l.Add(field, code, et, en)
}

// addInvalid appends CodeSignatureInvalid with the reason in both languages.
func addInvalid(l *deficiency.List, field string, r invalidReason) {
	ci, t := catalogueInfo(CodeSignatureInvalid), r.text()
	l.Add(field, CodeSignatureInvalid, strings.ReplaceAll(ci.ET, "{reason}", t.et), strings.ReplaceAll(ci.EN, "{reason}", t.en))
}
