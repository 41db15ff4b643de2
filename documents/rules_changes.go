package documents

import (
	"strconv"
)

// changeKey identifies the target of a change.
type changeKey struct {
	target  RecordType
	id      string
	version int
	typ     CertificateType
}

// changes applies the rules of an "other" document (R10.7, R14.3): each
// change names its target fully, a change carries the new values of the
// target's type with the target's identity, a closure carries a reason, and
// no record is changed twice in one document.
func (r *ruleSet) changes(cs []Change) {
	first := make(map[changeKey]int, len(cs))
	for i := range cs {
		c := &cs[i]
		at := index("payload.changes", i)
		r.changeTarget(at, c)
		key := changeKey{target: c.Target, id: c.TargetID, version: c.TargetVersion, typ: c.CertificateType}
		if j, dup := first[key]; dup && !blank(c.TargetID) {
			report(&r.defs, at+".targetId", CodeChangeTargetDuplicate, param("index", strconv.Itoa(j)))
		} else {
			first[key] = i
		}
		switch c.Action {
		case ActionChange:
			r.changeValues(at, c)
		case ActionClose:
			if blank(c.Reason) {
				report(&r.defs, at+".reason", CodeRequired)
			}
			for _, f := range c.valueFields() {
				report(&r.defs, at+"."+f, CodeChangeValuesMismatch, param("target", string(c.Target)), param("action", string(c.Action)))
			}
		}
	}
}

// valueFields lists the JSON names of the values fields that are set.
func (c *Change) valueFields() []string {
	var fs []string
	if c.Council != nil {
		fs = append(fs, "council")
	}
	if c.Standard != nil {
		fs = append(fs, "standard")
	}
	if c.AwardingBody != nil {
		fs = append(fs, "awardingBody")
	}
	if c.Certificate != nil {
		fs = append(fs, "certificate")
	}
	return fs
}

// valueField is the JSON name of the values field for a record type.
func valueField(t RecordType) string {
	switch t {
	case RecordCouncil:
		return "council"
	case RecordStandard:
		return "standard"
	case RecordAwardingBody:
		return "awardingBody"
	case RecordCertificate:
		return "certificate"
	}
	return ""
}

// changeTarget checks that the target is named the way its type is
// identified.
func (r *ruleSet) changeTarget(at string, c *Change) {
	switch c.Target {
	case RecordStandard:
		if !blank(c.TargetID) && !digitsBetween(c.TargetID, 1, 9) {
			report(&r.defs, at+".targetId", CodeFormat, param2("format", "kutsestandardi numbriline tunnus", "the numeric id of a standard"))
		}
		if c.TargetVersion == 0 {
			report(&r.defs, at+".targetVersion", CodeRequired)
		}
	case RecordAwardingBody:
		if !blank(c.TargetID) {
			if err := CheckRegistryCode(c.TargetID); err != nil {
				report(&r.defs, at+".targetId", registryCodeDeficiency(err))
			}
		}
	case RecordCertificate:
		if c.CertificateType == 0 {
			report(&r.defs, at+".certificateType", CodeRequired)
		}
	}
	if c.Target != RecordStandard && c.TargetVersion != 0 {
		r.notAllowedChange(at+".targetVersion", c)
	}
	if c.Target != RecordCertificate && c.CertificateType != 0 {
		r.notAllowedChange(at+".certificateType", c)
	}
}

func (r *ruleSet) notAllowedChange(path string, c *Change) {
	report(&r.defs, path, CodeChangeValuesMismatch, param("target", string(c.Target)), param("action", string(c.Action)))
}

// changeValues checks the new values of a change: exactly the target's
// type, the target's identity, and the record's own rules.
func (r *ruleSet) changeValues(at string, c *Change) {
	want := valueField(c.Target)
	for _, f := range c.valueFields() {
		if f != want {
			report(&r.defs, at+"."+f, CodeChangeValuesMismatch, param("target", string(c.Target)), param("action", string(c.Action)))
		}
	}
	if want == "" {
		return // the target itself is wrong; reported by its tag rule
	}
	vat := at + "." + want
	switch c.Target {
	case RecordCouncil:
		if c.Council == nil {
			break
		}
		if c.Council.ID != c.TargetID {
			report(&r.defs, vat+".id", CodeChangeTargetMismatch)
		}
		if blank(c.Council.Name) {
			report(&r.defs, vat+".name", CodeRequired)
		}
		r.members(vat+".members", c.Council.Members)
		r.councilRegisterFields(vat, c.Council)
		return
	case RecordStandard:
		if c.Standard == nil {
			break
		}
		if strconv.Itoa(c.Standard.ID) != c.TargetID || c.Standard.Version != c.TargetVersion {
			report(&r.defs, vat+".id", CodeChangeTargetMismatch)
		}
		r.standard(vat, c.Standard)
		return
	case RecordAwardingBody:
		if c.AwardingBody == nil {
			break
		}
		if c.AwardingBody.RegistryCode != c.TargetID {
			report(&r.defs, vat+".registryCode", CodeChangeTargetMismatch)
		}
		r.awardingBody(vat, c.AwardingBody)
		return
	case RecordCertificate:
		if c.Certificate == nil {
			break
		}
		if c.Certificate.Number != c.TargetID || c.Certificate.Type != c.CertificateType {
			report(&r.defs, vat+".number", CodeChangeTargetMismatch)
		}
		r.certificate(vat, c.Certificate)
		return
	}
	report(&r.defs, vat, CodeChangeValuesMissing, param("field", want))
}
