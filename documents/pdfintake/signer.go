package pdfintake

import (
	"crypto/x509"
	"encoding/asn1"
	"strings"
)

// signerIdentity is what a signer certificate says about its holder.
type signerIdentity struct {
	name         string
	personalCode string
	serialNumber string
	country      string
	issuer       string
	certSerial   string
}

// Subject attribute types not exposed by pkix.Name.
var (
	oidGivenName = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSurname   = asn1.ObjectIdentifier{2, 5, 4, 4}
)

// identityOf reads the holder's identity from a certificate. Estonian ID
// card certificates carry CN "SURNAME,GIVENNAME,CODE", the name parts in GN
// and SN, and serialNumber "PNOEE-CODE" (ETSI EN 319 412-1 semantics
// identifier).
func identityOf(c *x509.Certificate) signerIdentity {
	id := signerIdentity{
		serialNumber: c.Subject.SerialNumber,
		personalCode: personalCode(c.Subject.SerialNumber),
		issuer:       c.Issuer.CommonName,
	}
	if len(c.Subject.Country) > 0 {
		id.country = c.Subject.Country[0]
	}
	if c.SerialNumber != nil {
		id.certSerial = c.SerialNumber.Text(16)
	}
	var given, sur string
	for _, atv := range c.Subject.Names {
		s, ok := atv.Value.(string)
		if !ok {
			continue
		}
		switch {
		case atv.Type.Equal(oidGivenName):
			given = s
		case atv.Type.Equal(oidSurname):
			sur = s
		}
	}
	if name := strings.TrimSpace(given + " " + sur); name != "" {
		id.name = name
	} else {
		id.name = c.Subject.CommonName
	}
	return id
}

// personalCode returns the 11 digits of an Estonian personal-number
// semantics identifier ("PNOEE-48803150230"), or "" for anything else. The
// checksum is left to the domain's personal-code validation.
func personalCode(serialNumber string) string {
	code, ok := strings.CutPrefix(serialNumber, "PNOEE-")
	if !ok || len(code) != 11 {
		return ""
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return code
}
