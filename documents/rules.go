package documents

import (
	"strconv"
	"strings"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Rules applies the field rules to doc: the kind and payload shape (R10),
// every field's format and size (tags), and the rules across fields — dates
// in order, the decision date not after today (R11.2), holder identity
// (R8.1), unique certificate numbers (R8.2), levels (R7.1, R8.4).
//
// today is the current date in Europe/Tallinn (DateOf(clock.Now())); Rules
// never reads the clock. A zero today skips the future-date check.
func (v *Validator) Rules(doc *BaseDocument, today Date) deficiency.List {
	if doc == nil {
		return nil
	}
	defs := checkShape(doc)
	return append(defs, v.rules(doc, today)...)
}

// rules is Rules without the shape check, which DecodeBytes has done.
func (v *Validator) rules(doc *BaseDocument, today Date) deficiency.List {
	info, kindOK := doc.Kind.Info()
	lim := v.policy.Limits
	r := ruleSet{doc: doc}

	// The tag rules see only the header and the payload of the document's
	// own kind (a misplaced payload is reported once, by checkShape), and
	// no list longer than its limit, which is reported instead.
	view := *doc
	view.Payload = Payload{}
	if kindOK {
		switch info.PayloadField {
		case "council":
			view.Payload.Council = doc.Payload.Council
		case "standard":
			view.Payload.Standard = doc.Payload.Standard
		case "awardingBody":
			view.Payload.AwardingBody = doc.Payload.AwardingBody
		case "procedure":
			view.Payload.Procedure = doc.Payload.Procedure
		case "certificates":
			if n := len(doc.Payload.Certificates); n > lim.MaxCertificates {
				report(&r.defs, "payload.certificates", CodeTooMany, param("max", strconv.Itoa(lim.MaxCertificates)))
			} else {
				view.Payload.Certificates = doc.Payload.Certificates
			}
		case "changes":
			if n := len(doc.Payload.Changes); n > lim.MaxChanges {
				report(&r.defs, "payload.changes", CodeTooMany, param("max", strconv.Itoa(lim.MaxChanges)))
			} else {
				view.Payload.Changes = doc.Payload.Changes
			}
		}
	}
	r.defs = append(r.defs, v.structRules(&view)...)

	// R11.2: the decision, order or directive has been made.
	if !today.IsZero() && doc.Date.After(today) {
		report(&r.defs, "date", CodeDateFuture)
	}
	// R6.6: a council decision names its council; other kinds do not.
	if kindOK {
		switch {
		case info.CouncilDecision && strings.TrimSpace(doc.CouncilID) == "":
			report(&r.defs, "councilId", CodeRequired)
		case !info.CouncilDecision && doc.CouncilID != "":
			r.notAllowed("councilId")
		}
	}

	p := view.Payload
	switch doc.Kind {
	case GovernmentOrder:
		if p.Council != nil {
			r.governmentOrder(p.Council)
		}
	case MinisterDirective:
		if p.Council != nil {
			r.ministerDirective(p.Council)
		}
	case StandardDecision:
		if p.Standard != nil {
			r.standardDecision(p.Standard)
		}
	case AwardingRightDecision:
		if p.AwardingBody != nil {
			r.awardingBody("payload.awardingBody", p.AwardingBody)
		}
	case ProcedureDecision:
		if p.Procedure != nil {
			r.procedure("payload.procedure", p.Procedure)
		}
	case CommitteeDecision:
		r.certificates(p.Certificates)
	case Other:
		r.changes(p.Changes)
	}
	return r.defs
}

// ruleSet collects the deficiencies of one document's cross-field rules.
type ruleSet struct {
	doc  *BaseDocument
	defs deficiency.List
}

func (r *ruleSet) notAllowed(path string) {
	report(&r.defs, path, CodeNotAllowed, param("kind", string(r.doc.Kind)))
}

// order reports laterPath when later is before earlier (both set).
func (r *ruleSet) order(earlier, later Date, earlierName, laterPath string) {
	if !earlier.IsZero() && !later.IsZero() && later.Before(earlier) {
		report(&r.defs, laterPath, CodeDateOrder, param("other", earlierName))
	}
}

// level adds the warning for a level accepted but unusual for an
// occupation (R7.1, R8.4); out-of-range levels are the tag rule's.
func (r *ruleSet) level(l int, path string) {
	if l >= minLevel && l < minUsualLevel {
		report(&r.defs, path, CodeLevelUnusual)
	}
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// governmentOrder: a council is formed with its name, formation date,
// institutional composition and fields (R6.1–3, R6.5), not its members.
func (r *ruleSet) governmentOrder(c *Council) {
	const at = "payload.council"
	if blank(c.Name) {
		report(&r.defs, at+".name", CodeRequired)
	}
	if c.FormationDate.IsZero() {
		report(&r.defs, at+".formationDate", CodeRequired)
	}
	r.order(r.doc.Date, c.FormationDate, "date", at+".formationDate")
	if len(c.Institutions) == 0 {
		report(&r.defs, at+".institutions", CodeTooFew, param("min", "1"))
	}
	if len(c.Members) > 0 {
		r.notAllowed(at + ".members")
	}
	r.councilRegisterFields(at, c)
}

// ministerDirective: the personal composition of an existing council
// (R6.4); the institutional data is the government order's.
func (r *ruleSet) ministerDirective(c *Council) {
	const at = "payload.council"
	if len(c.Members) == 0 {
		report(&r.defs, at+".members", CodeTooFew, param("min", "1"))
	}
	if !c.FormationDate.IsZero() {
		r.notAllowed(at + ".formationDate")
	}
	if len(c.Institutions) > 0 {
		r.notAllowed(at + ".institutions")
	}
	if len(c.Fields) > 0 {
		r.notAllowed(at + ".fields")
	}
	r.members(at+".members", c.Members)
	r.councilRegisterFields(at, c)
}

func (r *ruleSet) councilRegisterFields(at string, c *Council) {
	if len(c.Decisions) > 0 {
		report(&r.defs, at+".decisions", CodeRegisterOnly)
	}
	if c.Closed != nil {
		report(&r.defs, at+".closed", CodeRegisterOnly)
	}
}

// members checks a composition: at most one chair and one deputy chair, a
// warning without a chair, mandates in order (R6.4, R9.5).
func (r *ruleSet) members(at string, ms []Member) {
	if len(ms) == 0 {
		return
	}
	chairs, deputies := 0, 0
	for i, m := range ms {
		p := index(at, i)
		switch m.Role {
		case RoleChair:
			chairs++
			if chairs == 2 {
				report(&r.defs, p+".role", CodeMembersChair)
			}
		case RoleDeputyChair:
			deputies++
			if deputies == 2 {
				report(&r.defs, p+".role", CodeMembersChair)
			}
		}
		r.order(m.MandateFrom, m.MandateUntil, "mandateFrom", p+".mandateUntil")
	}
	if chairs == 0 {
		report(&r.defs, at, CodeMembersNoChair)
	}
}

// standardDecision: the standard is the decision's (R7.3, R7.4, R7.6).
func (r *ruleSet) standardDecision(s *Standard) {
	const at = "payload.standard"
	r.standard(at, s)
	if !blank(s.CouncilID) && !blank(r.doc.CouncilID) && s.CouncilID != r.doc.CouncilID {
		report(&r.defs, at+".councilId", CodeCouncilMismatch)
	}
	number, date, path := s.ApprovalDecision, s.ApprovedOn, at+".approvalDecision"
	if !s.AmendedOn.IsZero() || s.AmendmentDecision != "" {
		number, date, path = s.AmendmentDecision, s.AmendedOn, at+".amendmentDecision"
	}
	if !blank(number) && !date.IsZero() && (number != r.doc.Number || date != r.doc.Date) {
		report(&r.defs, path, CodeStandardDecisionMismatch)
	}
}

// standard checks a standard's own consistency (R7).
func (r *ruleSet) standard(at string, s *Standard) {
	r.level(s.Level, at+".level")
	if l, ok := titleLevel(s.Title); ok && s.Level >= minLevel && s.Level <= maxLevel && l != s.Level {
		report(&r.defs, at+".title", CodeStandardTitleLevel)
	}
	switch {
	case !s.AmendedOn.IsZero() && blank(s.AmendmentDecision):
		report(&r.defs, at+".amendmentDecision", CodeRequired)
	case s.AmendedOn.IsZero() && s.AmendmentDecision != "":
		report(&r.defs, at+".amendedOn", CodeRequired)
	}
	r.order(s.ApprovedOn, s.AmendedOn, "approvedOn", at+".amendedOn")
	r.order(s.ApprovedOn, s.ValidFrom, "approvedOn", at+".validFrom")
	r.order(s.ValidFrom, s.ValidUntil, "validFrom", at+".validUntil")
	if s.Closed != nil {
		report(&r.defs, at+".closed", CodeRegisterOnly)
	}
}

// titleLevel finds the level a title states in its "…, tase N" ending.
func titleLevel(title string) (int, bool) {
	t := strings.ToLower(strings.TrimSpace(title))
	i := strings.LastIndex(t, "tase ")
	if i < 0 || (i > 0 && t[i-1] != ' ' && t[i-1] != ',') {
		return 0, false
	}
	rest := strings.TrimSpace(t[i+len("tase "):])
	if len(rest) != 1 || rest[0] < '0' || rest[0] > '9' {
		return 0, false
	}
	return int(rest[0] - '0'), true
}

// awardingBody checks an awarding body's rights (R9.4, R9.7).
func (r *ruleSet) awardingBody(at string, b *AwardingBody) {
	first := make(map[int]int, len(b.Rights))
	for i, rt := range b.Rights {
		p := index(at+".rights", i)
		if j, dup := first[rt.StandardID]; dup && rt.StandardID > 0 {
			report(&r.defs, p+".standardId", CodeRightDuplicate, param("index", strconv.Itoa(j)))
		} else {
			first[rt.StandardID] = i
		}
		for k, l := range rt.Levels {
			r.level(l, index(p+".levels", k))
		}
		r.order(rt.ValidFrom, rt.ValidUntil, "validFrom", p+".validUntil")
		r.order(rt.ValidFrom, rt.RevokedOn, "validFrom", p+".revokedOn")
	}
	if len(b.Procedures) > 0 {
		report(&r.defs, at+".procedures", CodeRegisterOnly)
	}
	if b.Closed != nil {
		report(&r.defs, at+".closed", CodeRegisterOnly)
	}
}

// procedure checks an awarding procedure and its committee (R9.5, R9.6).
func (r *ruleSet) procedure(at string, p *AwardingProcedure) {
	r.order(p.ValidFrom, p.ValidUntil, "validFrom", at+".validUntil")
	r.members(at+".committee.members", p.Committee.Members)
}
