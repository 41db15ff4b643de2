package documents

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Validate is the one entry point for a submitted base document's metadata:
// it decodes raw strictly (DecodeBytes, with the policy's MaxBytes), applies
// the field rules (Rules) and checks the result against the register and the
// submitter's entitlement (Check). today is the current date in
// Europe/Tallinn, from the caller's clock.
//
// When raw cannot be decoded, the document is nil and only the decoding
// deficiencies are returned; register checks are skipped. Otherwise the
// document is returned with every deficiency found — at most the policy's
// MaxDeficiencies, the rest summarised in a deficiencies.truncated warning.
// The error is only for an infrastructure failure (the register could not
// be read), never for bad input.
func (v *Validator) Validate(ctx context.Context, raw []byte, sub Submitter, reg Register, today Date) (*BaseDocument, deficiency.List, error) {
	doc, defs := DecodeBytes(raw, v.policy.Limits.MaxBytes)
	if doc == nil {
		return nil, v.truncate(defs), nil
	}
	defs = append(defs, v.rules(doc, today)...)
	more, err := Check(ctx, doc, sub, reg)
	if err != nil {
		return doc, v.truncate(defs), fmt.Errorf("validate base document: %w", err)
	}
	return doc, v.truncate(append(defs, more...)), nil
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
