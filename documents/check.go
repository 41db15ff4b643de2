package documents

import (
	"context"
	"errors"
	"fmt"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Check verifies doc against the data already in the register and the
// submitter's entitlement:
//
//   - R11.1: Kutsekoda submits council, standard and awarding-body data; an
//     awarding body submits only its own certificates, and changes only its
//     own certificates;
//   - the council, standard or awarding body a document refers to exists and
//     is in force on the decision date (R6.6, R13.3);
//   - R9.4, R9.7: the awarding body's right covers the standard and level of
//     each certificate on the decision date;
//   - R8.2, R13.3: a certificate number is not already in the register,
//     except for a duplicate re-using its original's number; a duplicate's
//     original exists and agrees with it;
//   - R13.3: contradictions with existing records are named — a standard
//     decision re-using an id and version with other content, a change of a
//     closed record.
//
// Certificates are looked up with one batched ExistingCertificates call per
// document, councils, standards and awarding bodies once each. A problem
// shared by many certificates (an unknown standard, a missing right) is
// reported once, at the first certificate it affects.
//
// Check relies on Rules for field formats and skips what is malformed. The
// error is only for a register that could not be read.
func Check(ctx context.Context, doc *BaseDocument, sub Submitter, reg Register) (deficiency.List, error) {
	if doc == nil || !doc.Kind.Valid() {
		return nil, nil
	}
	c := &checker{
		ctx: ctx, reg: reg, doc: doc, sub: sub,
		councils:  map[string]*Council{},
		standards: map[StandardRef]*Standard{},
		bodies:    map[string]*AwardingBody{},
		once:      map[onceKey]bool{},
	}
	c.entitlement()
	var err error
	p := doc.Payload
	switch doc.Kind {
	case GovernmentOrder:
		err = c.governmentOrder(p.Council)
	case MinisterDirective:
		err = c.ministerDirective(p.Council)
	case StandardDecision:
		err = c.standardDecision(p.Standard)
	case AwardingRightDecision:
		err = c.awardingRightDecision(p.AwardingBody)
	case ProcedureDecision:
		err = c.procedureDecision(p.Procedure)
	case CommitteeDecision:
		err = c.committeeDecision(p.Certificates)
	case Other:
		err = c.other(p.Changes)
	}
	if err != nil {
		return c.defs, fmt.Errorf("check base document against the register: %w", err)
	}
	return c.defs, nil
}

// checker holds one Check's lookups, each record fetched at most once.
type checker struct {
	ctx  context.Context
	reg  Register
	doc  *BaseDocument
	sub  Submitter
	defs deficiency.List

	councils  map[string]*Council // nil value: not in the register
	standards map[StandardRef]*Standard
	bodies    map[string]*AwardingBody
	once      map[onceKey]bool
}

// onceKey identifies a problem to report only once per document: a code
// and what it is about ("standard 10789561/4").
type onceKey struct {
	code deficiency.Code
	what string
}

func (c *checker) reportOnce(k onceKey, path string, args ...arg) {
	if c.once[k] {
		return
	}
	c.once[k] = true
	report(&c.defs, path, k.code, args...)
}

func (c *checker) council(id string) (*Council, error) {
	if v, ok := c.councils[id]; ok {
		return v, nil
	}
	got, err := c.reg.Council(c.ctx, id)
	if errors.Is(err, ErrNotFound) {
		got, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up council: %w", err)
	}
	c.councils[id] = got
	return got, nil
}

func (c *checker) standard(ref StandardRef) (*Standard, error) {
	if v, ok := c.standards[ref]; ok {
		return v, nil
	}
	got, err := c.reg.Standard(c.ctx, ref)
	if errors.Is(err, ErrNotFound) {
		got, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up standard: %w", err)
	}
	c.standards[ref] = got
	return got, nil
}

func (c *checker) body(code string) (*AwardingBody, error) {
	if v, ok := c.bodies[code]; ok {
		return v, nil
	}
	got, err := c.reg.AwardingBody(c.ctx, code)
	if errors.Is(err, ErrNotFound) {
		got, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up awarding body: %w", err)
	}
	c.bodies[code] = got
	return got, nil
}

func (c *checker) certificates(keys []CertificateKey) (map[CertificateKey]Certificate, error) {
	if len(keys) == 0 {
		return map[CertificateKey]Certificate{}, nil
	}
	got, err := c.reg.ExistingCertificates(c.ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("look up certificates: %w", err)
	}
	return got, nil
}

// record names a record type in messages.
func record(t RecordType) arg {
	switch t {
	case RecordCouncil:
		return param2("record", "kutsenõukogu", "council")
	case RecordStandard:
		return param2("record", "kutsestandard", "occupational standard")
	case RecordAwardingBody:
		return param2("record", "kutse andja", "awarding body")
	default:
		return param2("record", "kutsetunnistus", "certificate")
	}
}

var (
	whoKutsekoda    = param2("who", "Kutsekoda", "Kutsekoda")
	whoAwardingBody = param2("who", "kutse andja", "an awarding body")
	whoIssuer       = param2("who", "kutsetunnistuse välja andnud kutse andja", "the awarding body that issues the certificate")
)

// entitlement checks who may submit what (R11.1). Changes of certificates
// are checked against their register records in other.
func (c *checker) entitlement() {
	if !c.sub.IsKutsekoda() && !ValidRegistryCode(c.sub.Organisation) {
		report(&c.defs, "", CodeSubmitterOrganisation)
		return
	}
	info, _ := c.doc.Kind.Info()
	switch info.SubmittedBy {
	case ByKutsekoda:
		if !c.sub.IsKutsekoda() {
			report(&c.defs, "kind", CodeSubmitterNotEntitled, whoKutsekoda)
		}
	case ByAwardingBody:
		if c.sub.IsKutsekoda() {
			report(&c.defs, "kind", CodeSubmitterNotEntitled, whoAwardingBody)
			return
		}
		for i := range c.doc.Payload.Certificates {
			cert := &c.doc.Payload.Certificates[i]
			if cert.Issuer != "" && cert.Issuer != c.sub.Organisation {
				report(&c.defs, index("payload.certificates", i)+".issuer", CodeSubmitterNotEntitled, whoIssuer)
			}
		}
	case ByTarget:
		for i, ch := range c.doc.Payload.Changes {
			if ch.Target != RecordCertificate && ch.Target != "" && !c.sub.IsKutsekoda() {
				report(&c.defs, index("payload.changes", i)+".target", CodeSubmitterNotEntitled, whoKutsekoda)
			}
			if ch.Target == RecordCertificate && c.sub.IsKutsekoda() {
				report(&c.defs, index("payload.changes", i)+".target", CodeSubmitterNotEntitled, whoIssuer)
			}
		}
	}
}

// councilInForce checks that the council id names exists and is in force on
// the decision date (R6.6: the decision is entered in its record).
func (c *checker) councilInForce(path, id string) error {
	if blank(id) || c.doc.Date.IsZero() {
		return nil
	}
	co, err := c.council(id)
	if err != nil {
		return err
	}
	switch {
	case co == nil:
		report(&c.defs, path, CodeRegisterNotFound, record(RecordCouncil))
	case !co.inForce(c.doc.Date):
		report(&c.defs, path, CodeRegisterNotInForce, record(RecordCouncil))
	}
	return nil
}
