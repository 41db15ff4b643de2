package documents

import "reflect"

// governmentOrder: forming a council that is already in the register with
// other data is a contradiction (R13.3); with the same data, a repeat.
func (c *checker) governmentOrder(co *Council) error {
	if co == nil || blank(co.ID) {
		return nil
	}
	existing, err := c.council(co.ID)
	if err != nil || existing == nil {
		return err
	}
	c.contradictions("payload.council", RecordCouncil, co, existing, true)
	return nil
}

// ministerDirective: the council exists and is in force on the directive's
// date (R6.4); a name given must be the register's.
func (c *checker) ministerDirective(co *Council) error {
	if co == nil || blank(co.ID) {
		return nil
	}
	if err := c.councilInForce("payload.council.id", co.ID); err != nil {
		return err
	}
	existing, err := c.council(co.ID)
	if err != nil || existing == nil {
		return err
	}
	if co.Name != "" && co.Name != existing.Name {
		report(&c.defs, "payload.council.name", CodeRegisterContradiction, record(RecordCouncil))
	}
	if len(co.Members) > 0 && reflect.DeepEqual(co.Members, existing.Members) {
		report(&c.defs, "payload.council.members", CodeRegisterAlreadyEntered, record(RecordCouncil))
	}
	return nil
}

// standardDecision: the council is in force; a standard version already in
// the register must not be re-submitted with other content (R13.3).
func (c *checker) standardDecision(s *Standard) error {
	if err := c.councilInForce("councilId", c.doc.CouncilID); err != nil {
		return err
	}
	if s == nil || s.ID < 1 || s.Version < 1 {
		return nil
	}
	existing, err := c.standard(s.Ref())
	if err != nil || existing == nil {
		return err
	}
	c.contradictions("payload.standard", RecordStandard, s, existing, false)
	return nil
}

// awardingRightDecision: the council is in force; every standard a right
// names exists and has the right's levels (R9.7); a revoked right exists
// (R9.4); the body is not closed.
func (c *checker) awardingRightDecision(b *AwardingBody) error {
	if err := c.councilInForce("councilId", c.doc.CouncilID); err != nil {
		return err
	}
	if b == nil {
		return nil
	}
	var existing *AwardingBody
	if ValidRegistryCode(b.RegistryCode) {
		var err error
		if existing, err = c.body(b.RegistryCode); err != nil {
			return err
		}
	}
	if existing != nil && existing.Closed != nil {
		report(&c.defs, "payload.awardingBody.registryCode", CodeRegisterClosed)
	}
	for i, rt := range b.Rights {
		at := index("payload.awardingBody.rights", i)
		if rt.StandardID < 1 {
			continue
		}
		st, err := c.standard(StandardRef{ID: rt.StandardID})
		if err != nil {
			return err
		}
		if st == nil {
			report(&c.defs, at+".standardId", CodeRegisterNotFound, record(RecordStandard))
		} else {
			for k, l := range rt.Levels {
				if l >= minLevel && l <= maxLevel && l != st.Level {
					report(&c.defs, index(at+".levels", k), CodeStandardLevelMismatch)
				}
			}
		}
		if !rt.RevokedOn.IsZero() && !holdsRight(existing, rt.StandardID) {
			report(&c.defs, at+".revokedOn", CodeRightNotFound)
		}
	}
	return nil
}

func holdsRight(b *AwardingBody, standardID int) bool {
	if b == nil {
		return false
	}
	for _, r := range b.Rights {
		if r.StandardID == standardID {
			return true
		}
	}
	return false
}

// hasRightOn reports whether b holds any right for the standard on day d.
func hasRightOn(b *AwardingBody, standardID int, d Date) bool {
	for l := minLevel; l <= maxLevel; l++ {
		if b.Covers(standardID, l, d) {
			return true
		}
	}
	return false
}

// procedureDecision: the council is in force; the body and the standards
// exist; the body holds a right for each standard (a warning: the right
// decision may come separately) (R9.5–7).
func (c *checker) procedureDecision(p *AwardingProcedure) error {
	if err := c.councilInForce("councilId", c.doc.CouncilID); err != nil {
		return err
	}
	if p == nil {
		return nil
	}
	var body *AwardingBody
	if ValidRegistryCode(p.AwardingBody) {
		var err error
		if body, err = c.body(p.AwardingBody); err != nil {
			return err
		}
		switch {
		case body == nil:
			report(&c.defs, "payload.procedure.awardingBody", CodeRegisterNotFound, record(RecordAwardingBody))
		case !c.doc.Date.IsZero() && closedBy(body.Closed, c.doc.Date):
			report(&c.defs, "payload.procedure.awardingBody", CodeRegisterNotInForce, record(RecordAwardingBody))
		}
	}
	for j, id := range p.Standards {
		if id < 1 {
			continue
		}
		at := index("payload.procedure.standards", j)
		st, err := c.standard(StandardRef{ID: id})
		if err != nil {
			return err
		}
		if st == nil {
			report(&c.defs, at, CodeRegisterNotFound, record(RecordStandard))
			continue
		}
		if body != nil && !c.doc.Date.IsZero() && !hasRightOn(body, id, c.doc.Date) {
			report(&c.defs, at, CodeProcedureRightMissing)
		}
	}
	return nil
}
