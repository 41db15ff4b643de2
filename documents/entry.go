package documents

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/kutsekoda/alusdok/deficiency"
)

// What entering a base document means (R12.1, R6.4, R14.3): the rules that
// turn a validated document and the register as it stands into the records
// to write. They are the register's own rules, so they live here; the store
// only carries out the resulting Plan, and it writes nothing until the plan
// is whole.

// RecordKind names a kind of versioned register record.
type RecordKind string

// The versioned record kinds: each change writes a new version and keeps
// the previous one.
const (
	KindCouncil      RecordKind = "council"
	KindStandard     RecordKind = "standard"
	KindAwardingBody RecordKind = "awarding-body"
	KindProcedure    RecordKind = "procedure"
	KindCertificate  RecordKind = "certificate"
)

// Version is one new version of a record: exactly the value field of its
// kind is set.
type Version struct {
	Kind         RecordKind
	Council      *Council
	Standard     *Standard
	AwardingBody *AwardingBody
	Procedure    *AwardingProcedure
	Certificate  *Certificate
}

// Plan is everything one entry writes: new versions of existing or new
// records, and new certificates (each entered once, R8).
type Plan struct {
	Versions     []Version
	Certificates []Certificate
}

// Records is how many register records the plan writes.
func (p Plan) Records() int { return len(p.Versions) + len(p.Certificates) }

// ConflictError says the register changed since the document was checked
// so that it can no longer be entered as it is: a record it changes is
// gone, or a certificate number it enters is taken. It names the field.
type ConflictError struct {
	Field string // the document's field, e.g. payload.certificates[3].number
	Code  deficiency.Code
}

func (e *ConflictError) Error() string { return "entry conflict at " + e.Field + ": " + string(e.Code) }

// Deficiencies is the conflict as the deficiency a clerk sees (R13.3).
func (e *ConflictError) Deficiencies() deficiency.List {
	var l deficiency.List
	report(&l, e.Field, e.Code)
	return l
}

// PlanEntry resolves what entering doc writes, against the register as it
// is now: every record it changes must exist, or a *ConflictError names the
// first that does not. Nothing is written here. That the certificates it
// enters are still free is for the writer to establish, atomically with
// claiming them (see store.EnterPlan); it reports a taken number as a
// *ConflictError from CertificateConflict.
func PlanEntry(ctx context.Context, doc *BaseDocument, reg Register) (Plan, error) {
	p := doc.Payload
	var plan Plan
	switch doc.Kind {
	case GovernmentOrder, MinisterDirective:
		if p.Council == nil {
			return plan, fmt.Errorf("%s without a council", doc.Kind)
		}
		c := *p.Council
		if doc.Kind == MinisterDirective {
			// R6.4: the directive sets the members of an existing council.
			cur, err := reg.Council(ctx, c.ID)
			if err != nil {
				return plan, conflictIfMissing(err, "payload.council.id")
			}
			members := c.Members
			c = *cur
			c.Members = members
		}
		plan.Versions = append(plan.Versions, Version{Kind: KindCouncil, Council: &c})
	case StandardDecision:
		if p.Standard == nil {
			return plan, fmt.Errorf("%s without a standard", doc.Kind)
		}
		plan.Versions = append(plan.Versions, Version{Kind: KindStandard, Standard: p.Standard})
	case AwardingRightDecision:
		if p.AwardingBody == nil {
			return plan, fmt.Errorf("%s without an awarding body", doc.Kind)
		}
		plan.Versions = append(plan.Versions, Version{Kind: KindAwardingBody, AwardingBody: p.AwardingBody})
	case ProcedureDecision:
		if p.Procedure == nil {
			return plan, fmt.Errorf("%s without a procedure", doc.Kind)
		}
		plan.Versions = append(plan.Versions, Version{Kind: KindProcedure, Procedure: p.Procedure})
	case CommitteeDecision:
		plan.Certificates = p.Certificates
	case Other:
		for i, ch := range p.Changes {
			v, err := planChange(ctx, ch, doc, reg)
			if err != nil {
				return plan, conflictIfMissing(err, fmt.Sprintf("payload.changes[%d].targetId", i))
			}
			plan.Versions = append(plan.Versions, v)
		}
	default:
		return plan, fmt.Errorf("unknown kind %q", doc.Kind)
	}
	return plan, nil
}

// planChange changes or closes one existing record (R14.3); closing marks
// it closed with its base document, keeping it and its history.
func planChange(ctx context.Context, ch Change, doc *BaseDocument, reg Register) (Version, error) {
	closure := &Closure{On: doc.Date, Reason: ch.Reason, Document: doc.Number}
	closing := ch.Action == ActionClose
	switch ch.Target {
	case RecordCouncil:
		c, err := reg.Council(ctx, ch.TargetID)
		if err != nil {
			return Version{}, err
		}
		if !closing && ch.Council != nil {
			c = ch.Council
		}
		if closing {
			c.Closed = closure
		}
		return Version{Kind: KindCouncil, Council: c}, nil
	case RecordStandard:
		id, err := strconv.Atoi(ch.TargetID)
		if err != nil {
			return Version{}, fmt.Errorf("standard id %q: %w", ch.TargetID, ErrNotFound)
		}
		std, err := reg.Standard(ctx, StandardRef{ID: id, Version: ch.TargetVersion})
		if err != nil {
			return Version{}, err
		}
		if !closing && ch.Standard != nil {
			std = ch.Standard
		}
		if closing {
			std.Closed = closure
		}
		return Version{Kind: KindStandard, Standard: std}, nil
	case RecordAwardingBody:
		b, err := reg.AwardingBody(ctx, ch.TargetID)
		if err != nil {
			return Version{}, err
		}
		if !closing && ch.AwardingBody != nil {
			b = ch.AwardingBody
		}
		if closing {
			b.Closed = closure
		}
		return Version{Kind: KindAwardingBody, AwardingBody: b}, nil
	case RecordCertificate:
		key := CertificateKey{Type: ch.CertificateType, Number: ch.TargetID}
		if key.Type == 0 {
			key.Type = OccupationalCertificate
		}
		found, err := reg.ExistingCertificates(ctx, []CertificateKey{key})
		if err != nil {
			return Version{}, err
		}
		c, ok := found[key]
		if !ok {
			return Version{}, fmt.Errorf("certificate %s: %w", key.Number, ErrNotFound)
		}
		if !closing && ch.Certificate != nil {
			c = *ch.Certificate
		}
		if closing {
			c.Closed = closure
		}
		return Version{Kind: KindCertificate, Certificate: &c}, nil
	}
	return Version{}, fmt.Errorf("unknown target %q", ch.Target)
}

// CertificateConflict is the conflict of the i-th certificate of a committee
// decision, whose number another submission entered first.
func CertificateConflict(i int) *ConflictError {
	return &ConflictError{Field: fmt.Sprintf("payload.certificates[%d].number", i), Code: CodeEntryCertificateTaken}
}

func conflictIfMissing(err error, field string) error {
	if errors.Is(err, ErrNotFound) {
		return &ConflictError{Field: field, Code: CodeEntryTargetGone}
	}
	return err
}

// ValidOn reports whether the certificate is valid on day: not closed
// (kehtetu), and day within its validity (R8.5).
func (c *Certificate) ValidOn(day Date) bool {
	return c.Closed == nil && !day.Before(c.ValidFrom) && (c.ValidUntil.IsZero() || !day.After(c.ValidUntil))
}
