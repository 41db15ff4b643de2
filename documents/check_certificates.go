package documents

import (
	"fmt"

	"github.com/kutsekoda/alusdok/deficiency"
)

// committeeDecision checks the certificates of a committee decision
// against the register with one batched certificate lookup (R8, R9.4,
// R9.7, R13.3).
func (c *checker) committeeDecision(certs []Certificate) error {
	keys := make([]CertificateKey, 0, len(certs))
	for i := range certs {
		cert := &certs[i]
		if blank(cert.Number) || cert.Type < OccupationalCertificate || cert.Type > FirstQualification {
			continue
		}
		keys = append(keys, cert.Key())
		if !blank(cert.DuplicateOf) && cert.DuplicateOf != cert.Number {
			keys = append(keys, cert.originalKey())
		}
	}
	existing, err := c.certificates(keys)
	if err != nil {
		return err
	}
	for i := range certs {
		if err := c.committeeCertificate(index("payload.certificates", i), &certs[i], existing); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) committeeCertificate(at string, cert *Certificate, existing map[CertificateKey]Certificate) error {
	date := c.doc.Date
	var body *AwardingBody
	if ValidRegistryCode(cert.Issuer) {
		var err error
		if body, err = c.body(cert.Issuer); err != nil {
			return err
		}
		switch {
		case body == nil:
			c.reportOnce(onceKey{CodeRegisterNotFound, "body " + cert.Issuer}, at+".issuer", record(RecordAwardingBody))
		case !date.IsZero() && closedBy(body.Closed, date):
			c.reportOnce(onceKey{CodeRegisterNotInForce, "body " + cert.Issuer}, at+".issuer", record(RecordAwardingBody))
			body = nil
		}
	}
	ref := cert.Standard
	levelOK := cert.Level >= minLevel && cert.Level <= maxLevel
	if ref.ID >= 1 && ref.Version >= 1 {
		st, err := c.standard(ref)
		if err != nil {
			return err
		}
		switch {
		case st == nil:
			c.reportOnce(onceKey{CodeRegisterNotFound, fmt.Sprintf("standard %d/%d", ref.ID, ref.Version)}, at+".standard", record(RecordStandard))
		case !date.IsZero() && !st.inForce(date):
			c.reportOnce(onceKey{CodeRegisterNotInForce, fmt.Sprintf("standard %d/%d", ref.ID, ref.Version)}, at+".standard", record(RecordStandard))
		}
		if st != nil && levelOK && cert.Level != st.Level {
			report(&c.defs, at+".level", CodeStandardLevelMismatch)
		}
		// R9.4, R9.7, R11.1: only what the body's right covers on the
		// decision date.
		if st != nil && body != nil && levelOK && !date.IsZero() && !body.Covers(ref.ID, cert.Level, date) {
			c.reportOnce(onceKey{CodeRightMissing, fmt.Sprintf("right %s %d %d", cert.Issuer, ref.ID, cert.Level)}, at+".standard")
		}
	}
	if blank(cert.Number) {
		return nil
	}
	// R8.2, R13.3: the number is new, unless a duplicate re-uses its
	// original's number.
	if _, taken := existing[cert.Key()]; taken && cert.DuplicateOf != cert.Number {
		report(&c.defs, at+".number", CodeCertificateNumberExists)
	}
	if !blank(cert.DuplicateOf) {
		orig, ok := existing[cert.originalKey()]
		switch {
		case !ok:
			report(&c.defs, at+".duplicateOf", CodeCertificateOriginalAbsent)
		case orig.Closed != nil:
			report(&c.defs, at+".duplicateOf", CodeRegisterClosed)
		default:
			duplicateAgrees(&c.defs, at, cert, &orig)
		}
	}
	return nil
}

// duplicateAgrees checks that a duplicate is of the same holder and
// qualification as its original (R13.3).
func duplicateAgrees(defs *deficiency.List, at string, dup, orig *Certificate) {
	if dup.PersonalCode != "" && orig.PersonalCode != "" && dup.PersonalCode != orig.PersonalCode {
		report(defs, at+".personalCode", CodeCertificateOriginalDiffer)
	}
	if !dup.BirthDate.IsZero() && !orig.BirthDate.IsZero() && dup.BirthDate != orig.BirthDate {
		report(defs, at+".birthDate", CodeCertificateOriginalDiffer)
	}
	if dup.Standard.ID != orig.Standard.ID {
		report(defs, at+".standard", CodeCertificateOriginalDiffer)
	}
	if dup.Level != orig.Level {
		report(defs, at+".level", CodeCertificateOriginalDiffer)
	}
}
