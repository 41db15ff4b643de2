package activities

import (
	"context"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// validateUpload validates an upload's metadata raw as
// documents.Validator.Validate does, re-using what intake kept on the
// upload (store.IntakeCheck) where it still holds: the decode and the field
// rules depend only on the bytes, the rules and the day they were applied
// for, so under the same rules and day their result is intake's. The
// checks against the register run again only when the register may have
// changed since intake's (R13.3: a number entered meanwhile, a standard or
// a right that ended): when no entry or deletion has written to it since
// (store.RegisterChangedSince) — or, when intake noted which certificates
// its checks read, none that wrote those or anything but certificates
// (store.RegisterChangedIn) — intake's whole result still holds, and the
// metadata is not even decoded again. An upload without a kept result
// (staged before intake kept one, or with more field deficiencies than it
// keeps), or kept under other rules or for another day, is validated in
// full.
func (a *Activities) validateUpload(ctx context.Context, up store.Upload, raw []byte, sub documents.Submitter, today documents.Date) (*wf.Summary, deficiency.List, error) {
	k := up.Intake
	if k == nil || k.Rules != a.Validator.RulesID() || k.Day != today.String() {
		return a.validateInFull(ctx, raw, sub, today)
	}
	var changed bool
	var err error
	if k.Scoped {
		changed, err = a.Store.RegisterChangedIn(ctx, k.RegisterMark, k.Blocks)
	} else {
		changed, err = a.Store.RegisterChangedSince(ctx, k.RegisterMark)
	}
	if err != nil {
		a.Log.WarnContext(ctx, "register changes unreadable; checking the register again", "upload", up.ID, "error", err)
	}
	if err == nil && !changed && k.Summary != nil {
		s := k.Summary
		return &wf.Summary{Kind: s.Kind, Number: s.Number, DecisionDate: s.DecisionDate, Title: s.Title, Issuer: s.Issuer, Records: s.Records},
			k.Deficiencies, nil
	}
	doc, _ := documents.DecodeBytes(raw, a.Validator.Policy().Limits.MaxBytes)
	if doc == nil {
		// Intake decoded these bytes under these rules; should they not
		// decode now, the full validation says why.
		return a.validateInFull(ctx, raw, sub, today)
	}
	sum := summary(doc)
	if err == nil && !changed {
		return &sum, k.Deficiencies, nil
	}
	defs, err := a.Validator.Check(ctx, doc, k.Fields, sub, a.Store.Register())
	return &sum, defs, err
}

// validateInFull is documents.Validator.Validate with the summary of what
// decoded.
func (a *Activities) validateInFull(ctx context.Context, raw []byte, sub documents.Submitter, today documents.Date) (*wf.Summary, deficiency.List, error) {
	doc, defs, err := a.Validator.Validate(ctx, raw, sub, a.Store.Register(), today)
	if doc == nil {
		return nil, defs, err
	}
	sum := summary(doc)
	return &sum, defs, err
}
