package documents

import "strconv"

// other checks each change against its target record: it exists, is not
// closed (R13.3, R14.3), and — for certificates — belongs to the submitting
// awarding body (R11.1). Certificate targets are looked up in one batch.
func (c *checker) other(changes []Change) error {
	var keys []CertificateKey
	for _, ch := range changes {
		if ch.Target == RecordCertificate && !blank(ch.TargetID) && ch.CertificateType != 0 {
			keys = append(keys, CertificateKey{Type: ch.CertificateType, Number: ch.TargetID})
		}
	}
	certs, err := c.certificates(keys)
	if err != nil {
		return err
	}
	for i := range changes {
		if err := c.change(index("payload.changes", i), &changes[i], certs); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) change(at string, ch *Change, certs map[CertificateKey]Certificate) error {
	if blank(ch.TargetID) {
		return nil
	}
	var (
		found, closed bool
		err           error
	)
	switch ch.Target {
	case RecordCouncil:
		var co *Council
		co, err = c.council(ch.TargetID)
		found, closed = co != nil, co != nil && co.Closed != nil
	case RecordStandard:
		id, convErr := strconv.Atoi(ch.TargetID)
		if convErr != nil || id < 1 || ch.TargetVersion < 1 {
			return nil
		}
		var st *Standard
		st, err = c.standard(StandardRef{ID: id, Version: ch.TargetVersion})
		found, closed = st != nil, st != nil && st.Closed != nil
	case RecordAwardingBody:
		if !ValidRegistryCode(ch.TargetID) {
			return nil
		}
		var b *AwardingBody
		b, err = c.body(ch.TargetID)
		found, closed = b != nil, b != nil && b.Closed != nil
	case RecordCertificate:
		if ch.CertificateType == 0 {
			return nil
		}
		cert, ok := certs[CertificateKey{Type: ch.CertificateType, Number: ch.TargetID}]
		found, closed = ok, ok && cert.Closed != nil
		if ok && !c.sub.IsKutsekoda() && cert.Issuer != c.sub.Organisation {
			report(&c.defs, at+".targetId", CodeSubmitterNotEntitled, whoIssuer)
		}
		if ok && ch.Certificate != nil && ch.Certificate.Issuer != "" && ch.Certificate.Issuer != cert.Issuer {
			report(&c.defs, at+".certificate.issuer", CodeRegisterContradiction, record(RecordCertificate))
		}
	default:
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case !found:
		report(&c.defs, at+".targetId", CodeRegisterNotFound, record(ch.Target))
	case closed:
		report(&c.defs, at+".targetId", CodeRegisterClosed)
	}
	return nil
}
