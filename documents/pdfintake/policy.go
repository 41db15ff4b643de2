package pdfintake

import (
	"fmt"
	"strings"

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
//   - the signer rules (signerRules), whatever the verdict;
//   - bytes after a signature's range: CodeSignatureModifiedAfterSigning
//     (error) when a later revision changes what the signature covered —
//     page content, annotations, any object of the signed revision —
//     whatever signs it afterwards; CodeSignatureLaterRevision (warning)
//     when later revisions only add signatures, validation data or nothing
//     that renders. Both regardless of RequireSignature, because a
//     signature that does not cover the document must not be read as
//     approval of it.
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
		switch {
		case s.findings != nil:
			signerRules(&l, field, *s.findings, requireSignature)
		case strings.Contains(s.SubFilter, "sha1"):
			// No signer certificate found, but the format itself is SHA-1.
			add(&l, deficiency.Error, field, CodeWeakAlgorithm)
		}
		if !s.ModifiedAfterSigning {
			continue
		}
		if s.changedAfter {
			add(&l, deficiency.Error, field, CodeSignatureModifiedAfterSigning)
		} else {
			add(&l, deficiency.Warning, field, CodeSignatureLaterRevision)
		}
	}
	return l
}

// signerRules reports what a signer certificate breaks:
//
//   - a PNOEE- identifier that is not a valid personal code:
//     CodeSignerIdentity, always an error;
//   - no natural person's identifier: CodeSignerIdentity, an error when
//     the kind needs a person's signature, otherwise a warning;
//   - a foreign identifier (PNOLV-, PAS…, IDC…): CodeForeignIdentity, a
//     warning (recorded in Signature.Identity for the clerk);
//   - no nonRepudiation key usage: CodeKeyUsage;
//   - not valid at the signing time: CodeNotValidAtSigning;
//   - SHA-1, MD5, RSA under 2048 bits: CodeWeakAlgorithm.
func signerRules(l *deficiency.List, field string, f certFindings, requireSignature bool) {
	switch f.identity {
	case identityInvalid:
		add(l, deficiency.Error, field, CodeSignerIdentity)
	case identityNone:
		sev := deficiency.Warning
		if requireSignature {
			sev = deficiency.Error
		}
		add(l, sev, field, CodeSignerIdentity)
	case identityForeign:
		add(l, deficiency.Warning, field, CodeForeignIdentity)
	}
	if f.noNonRepudiation {
		add(l, deficiency.Error, field, CodeKeyUsage)
	}
	if f.notValidAtSigning {
		add(l, deficiency.Error, field, CodeNotValidAtSigning)
	}
	if f.weak {
		add(l, deficiency.Error, field, CodeWeakAlgorithm)
	}
}
