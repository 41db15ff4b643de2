package documents

import (
	"strconv"
	"strings"
)

// certificates applies the rules of a committee decision (R8) to its
// certificates, in one pass: O(n) with two maps.
func (r *ruleSet) certificates(certs []Certificate) {
	numbers := make(map[CertificateKey]int, len(certs))
	holders := make(map[holderKey]int, len(certs))
	for i := range certs {
		c := &certs[i]
		at := index("payload.certificates", i)
		r.certificate(at, c)
		// R8.3: issued on or after the committee's decision.
		if !c.IssuedOn.IsZero() && !r.doc.Date.IsZero() && c.IssuedOn.Before(r.doc.Date) {
			report(&r.defs, at+".issuedOn", CodeIssuedBeforeDecision)
		}
		// R8.2: a number names one certificate of its type.
		if !blank(c.Number) {
			key := CertificateKey{Type: c.Type, Number: strings.TrimSpace(c.Number)}
			if j, dup := numbers[key]; dup {
				report(&r.defs, at+".number", CodeCertificateNumberDup, param("index", strconv.Itoa(j)))
			} else {
				numbers[key] = i
			}
		}
		// The same person awarded the same qualification twice in one
		// decision is most likely a slip (R13.3: obviously wrong data).
		if ValidPersonalCode(c.PersonalCode) {
			key := holderKey{personalCode: c.PersonalCode, standardID: c.Standard.ID, typ: c.Type, partial: c.PartialQualification}
			if j, dup := holders[key]; dup {
				report(&r.defs, at, CodeHolderRepeated, param("index", strconv.Itoa(j)))
			} else {
				holders[key] = i
			}
		}
	}
}

type holderKey struct {
	personalCode string
	standardID   int
	typ          CertificateType
	partial      string
}

// certificate checks one certificate's own consistency, wherever it
// appears (a committee decision, or the new values of an "other" change).
func (r *ruleSet) certificate(at string, c *Certificate) {
	// R8.1: personal code, or where there is none the birth date; if both
	// are given they agree.
	var birth Date
	birthPath := at + ".birthDate"
	switch pc, err := ParsePersonalCode(c.PersonalCode); {
	case c.PersonalCode == "" && c.BirthDate.IsZero():
		report(&r.defs, at+".personalCode", CodeHolderIdentifierMissing)
	case c.PersonalCode == "":
		birth = c.BirthDate
	case err != nil:
		// the tag rule has reported the personal code
	case !c.BirthDate.IsZero() && c.BirthDate != pc.BirthDate:
		report(&r.defs, at+".birthDate", CodeHolderBirthDateMismatch)
	default:
		birth, birthPath = pc.BirthDate, at+".personalCode"
	}
	if !birth.IsZero() && !c.IssuedOn.IsZero() && !birth.Before(c.IssuedOn) {
		report(&r.defs, birthPath, CodeHolderBirthDateRange)
	}
	r.level(c.Level, at+".level")
	if c.EQFLevel != 0 && c.Level >= minLevel && c.Level <= maxLevel && c.EQFLevel != c.Level {
		report(&r.defs, at+".eqfLevel", CodeLevelEQFMismatch)
	}
	if c.Type == PartialCertificate && blank(c.PartialQualification) {
		report(&r.defs, at+".partialQualification", CodePartialQualification)
	}
	r.order(c.ValidFrom, c.ValidUntil, "validFrom", at+".validUntil")
	if c.Closed != nil {
		report(&r.defs, at+".closed", CodeRegisterOnly)
	}
}
