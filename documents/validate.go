package documents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Validate is the one entry point for a submitted base document's metadata:
// it decodes raw strictly (DecodeBytes, with the policy's MaxBytes), applies
// the field rules (Rules) and checks the result against the register and the
// submitter's entitlement (Check): Fields, then Validator.Check. today is
// the current date in Europe/Tallinn, from the caller's clock.
//
// When raw cannot be decoded, the document is nil and only the decoding
// deficiencies are returned; register checks are skipped. Otherwise the
// document is returned with every deficiency found — at most the policy's
// MaxDeficiencies, the rest summarised in a deficiencies.truncated warning.
// The error is only for an infrastructure failure (the register could not
// be read), never for bad input.
func (v *Validator) Validate(ctx context.Context, raw []byte, sub Submitter, reg Register, today Date) (*BaseDocument, deficiency.List, error) {
	doc, defs := v.Fields(raw, today)
	all, err := v.Check(ctx, doc, defs, sub, reg)
	return doc, all, err
}

// Fields is the half of Validate that depends on raw and today alone (and
// the Validator's rules, RulesID): the strict decode and the field rules.
// Its result cannot change after receipt, so a caller may keep it and later
// run only Check again. The deficiencies are not truncated.
func (v *Validator) Fields(raw []byte, today Date) (*BaseDocument, deficiency.List) {
	doc, defs := DecodeBytes(raw, v.policy.Limits.MaxBytes)
	if doc == nil {
		return nil, defs
	}
	return doc, append(defs, v.rules(doc, today)...)
}

// Check is the other half of Validate: doc against the register and the
// submitter's entitlement (the package function Check), which can change
// after receipt. fields are what Fields found for doc (kept from an earlier
// call, or just made); the result is fields and what the register says,
// truncated as Validate truncates. The error is only for a register that
// could not be read; the fields are returned with it. A nil doc (raw did
// not decode) has no register checks: the result is fields, truncated.
func (v *Validator) Check(ctx context.Context, doc *BaseDocument, fields deficiency.List, sub Submitter, reg Register) (deficiency.List, error) {
	more, err := Check(ctx, doc, sub, reg)
	if err != nil {
		return v.truncate(fields), fmt.Errorf("validate base document: %w", err)
	}
	return v.truncate(slices.Concat(fields, more)), nil
}

// rulesVersion names the field rules of this code; change it whenever a
// change of DecodeBytes or the rules could find other deficiencies in the
// same metadata, so that results kept under the old rules are not re-used.
const rulesVersion = "2026-11-28"

// RulesID identifies what Fields applies: the rules' version and the
// Validator's policy. A kept Fields result counts only under the same id.
func (v *Validator) RulesID() string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%v", rulesVersion, v.policy))
	return rulesVersion + "/" + hex.EncodeToString(sum[:6])
}

// truncate keeps the first MaxDeficiencies entries, preferring errors, and
// adds one warning saying that there are more.
func (v *Validator) truncate(defs deficiency.List) deficiency.List {
	max := v.policy.Limits.MaxDeficiencies
	if len(defs) <= max {
		return defs
	}
	out := make(deficiency.List, 0, max+1)
	for _, d := range defs {
		if len(out) < max && d.Severity == deficiency.Error {
			out = append(out, d)
		}
	}
	for _, d := range defs {
		if len(out) < max && d.Severity != deficiency.Error {
			out = append(out, d)
		}
	}
	report(&out, "", CodeDeficienciesTruncated, param("max", strconv.Itoa(max)))
	return out
}
