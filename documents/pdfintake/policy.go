package pdfintake

import (
	"fmt"

	"github.com/kutsekoda/alusdok/deficiency"
)

// FieldDocument is the deficiency field of document-level findings;
// signature findings use FieldDocument + ".signatures[i]", i indexing
// Result.Signatures.
const FieldDocument = "document"

func signatureField(i int) string {
	return fmt.Sprintf("%s.signatures[%d]", FieldDocument, i)
}

// signaturePolicy turns checked signatures into deficiencies:
//
//   - none at all: CodeSignatureMissing when a signature is required;
//   - invalid: CodeSignatureInvalid, always an error;
//   - untrusted or unverifiable: an error when a signature is required and
//     no signature of the document is valid, otherwise a warning;
//   - bytes after a signature's range: CodeSignatureLaterRevision (warning)
//     when a later valid signature covers the whole file, otherwise
//     CodeSignatureModifiedAfterSigning (error) — regardless of
//     RequireSignature, because a signature that does not cover the
//     document must not be read as approval of it.
func signaturePolicy(sigs []checkedSignature, requireSignature bool) deficiency.List {
	var l deficiency.List
	if len(sigs) == 0 {
		if requireSignature {
			add(&l, deficiency.Error, FieldDocument, CodeSignatureMissing)
		}
		return l
	}
	anyValid := false
	for _, s := range sigs {
		anyValid = anyValid || s.verdict == verdictValid
	}
	doubtful := deficiency.Warning
	if requireSignature && !anyValid {
		doubtful = deficiency.Error
	}
	for i, s := range sigs {
		field := signatureField(i)
		switch s.verdict {
		case verdictInvalid:
			addInvalid(&l, field, s.reason)
		case verdictUntrusted:
			add(&l, doubtful, field, CodeSignatureUntrusted)
		case verdictUnverifiable:
			add(&l, doubtful, field, CodeSignatureUnverifiable)
		}
		if !s.ModifiedAfterSigning {
			continue
		}
		if coveredByLaterValid(sigs, s.SignedBytes) {
			add(&l, deficiency.Warning, field, CodeSignatureLaterRevision)
		} else {
			add(&l, deficiency.Error, field, CodeSignatureModifiedAfterSigning)
		}
	}
	return l
}

// coveredByLaterValid reports whether a valid signature whose range ends
// after end covers the whole file.
func coveredByLaterValid(sigs []checkedSignature, end int64) bool {
	for _, s := range sigs {
		if s.verdict == verdictValid && !s.ModifiedAfterSigning && s.SignedBytes > end {
			return true
		}
	}
	return false
}
