// Package notices makes and sends the written notices of the procedure:
// the correction request (R12.2), the extension of the entry deadline
// (R12.3) and the notice of entry or of refusal with its reasons (R12.4).
//
// A Renderer turns a notice (CorrectionRequest, Extension, Entry, Refusal)
// into a PDF letter in Estonian: letterhead, addressee, date and
// references, subject, body, closing, and "Lk n/N" on every page; long
// lists continue over pages with their table header repeated. The layout
// is alusdok's own (layout.go); go-pdf/fpdf writes it.
//
// The letter is a self-contained PDF/A-2b document: DejaVu Sans and DejaVu
// Sans Bold (compiled in, fonts/) embedded as subsets with their Unicode
// maps, so the text is the same in every reader and extractable
// (pdftotext, search, copy); the sRGB output intent; XMP metadata equal to
// the information dictionary (title, author, reference, dates, pdfaid part
// 2, conformance B); a file identifier; no encryption. Characters the
// fonts lack are replaced (a letter without its diacritics, else "?"), so
// no missing glyph is ever drawn. Unsealed, the same notice always gives
// the same bytes (the dates come from the notice, the file identifier
// from the content).
//
// A Renderer made WithSeal signs every letter with the register's e-seal
// (Seal, loaded by LoadSeal from PKCS#12 or PEM files): a PAdES baseline
// signature (ETSI.CAdES.detached, SHA-256, ESS signing-certificate-v2,
// the claimed signing time in /M: B-B; an RFC 3161 timestamp when a
// timestamp authority is configured: B-T) appended as an incremental
// update (pades.go). The signing time makes every sealed rendering
// differ; the activity stores the first. Package sealtest issues test
// seals from the test CA.
//
// A letter reads as a letter: the letterhead comes from the Sender
// (address, registry code, contacts), the reference is the submission's
// human reference ("KR-2026/000123", Header.Reference), and deficiencies
// are named by the field's Estonian label and row and their message
// (labels.go), never by a JSON path or code; the e-mail lists the same.
//
// Personal data: a notice names the submitter organisation, the base
// document, the submission and register entry numbers, never a
// certificate holder, personal code or birth date. Anything in a free text
// that looks like a personal code is printed as "[isikukood]".
//
// A Mailer sends a notice's PDF by SMTP (go-mail); Renderer.Mail composes
// the e-mail. Send failures are *SendError, permanent or temporary
// (IsPermanent). Package smtptest runs an SMTP server for tests.
package notices
