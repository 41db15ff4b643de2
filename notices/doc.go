// Package notices makes and sends the written notices of the procedure:
// the correction request (R12.2), the extension of the entry deadline
// (R12.3) and the notice of entry or of refusal with its reasons (R12.4).
//
// A Renderer turns a notice (CorrectionRequest, Extension, Entry, Refusal)
// into a PDF letter in Estonian made with pdfcpu: letterhead, addressee,
// date and references, subject, body, closing, and "Lk n/N" on every page;
// long lists continue over pages with their table header repeated. The
// same notice always gives the same bytes (the PDF's dates come from the
// notice, its file id from its content), so a retried activity produces
// an identical document.
//
// Fonts: the letters use the standard PDF fonts Helvetica and
// Helvetica-Bold in WinAnsiEncoding, which every PDF reader has and which
// hold every Estonian letter (õ ä ö ü š ž Õ Ä Ö Ü Š Ž), so nothing is
// embedded and nothing is read from the machine at run time. Text stays
// extractable (pdftotext, search, copy). A character outside WinAnsi is
// written without its diacritics where that gives a WinAnsi letter, else
// as "?".
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
