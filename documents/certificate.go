package documents

// CertificateType is the register's tyyp of a certificate.
type CertificateType int

// The three certificate types.
const (
	// OccupationalCertificate is a kutsetunnistus.
	OccupationalCertificate CertificateType = 1
	// PartialCertificate is an osakutsetunnistus, for a partial
	// qualification; it has its own number series.
	PartialCertificate CertificateType = 2
	// FirstQualification is an esmane kutse, awarded with a vocational
	// school's final documents.
	FirstQualification CertificateType = 3
)

// Certificate is a certificate of qualification (kutsetunnistus) as the
// register keeps it (R8), with the fields of the register's X-Road
// interface. The holder is identified by personal code or, where there is
// none, by birth date (R8.1); the name, personal code and birth date are
// personal data and never public (R15.1).
type Certificate struct {
	// Number is the registrinumber (R8.2): opaque, unique per Type.
	Number string          `json:"number" bson:"number" validate:"nonblank,max=32"`
	Type   CertificateType `json:"type" bson:"type" validate:"required,oneof=1 2 3"`
	// Holder (R8.1): nimi, isikukood, synniaeg.
	GivenName    string `json:"givenName" bson:"givenName" validate:"nonblank,max=200"`
	FamilyName   string `json:"familyName" bson:"familyName" validate:"nonblank,max=200"`
	PersonalCode string `json:"personalCode,omitempty" bson:"personalCode,omitempty" validate:"omitempty,personalcode"`
	BirthDate    Date   `json:"birthDate,omitzero" bson:"birthDate,omitempty"`
	// Qualification and level (R8.4): standard, ekrtase, eqftase.
	Standard StandardRef `json:"standard" bson:"standard"`
	Level    int         `json:"level" bson:"level" validate:"level"`
	EQFLevel int         `json:"eqfLevel,omitempty" bson:"eqfLevel,omitempty" validate:"omitempty,level"`
	// spetsialiseerumine, osakutse, kompetentsid, kutseala, isco.
	Specialisation       string   `json:"specialisation,omitempty" bson:"specialisation,omitempty" validate:"max=300"`
	PartialQualification string   `json:"partialQualification,omitempty" bson:"partialQualification,omitempty" validate:"max=300"`
	Competences          []string `json:"competences,omitempty" bson:"competences,omitempty" validate:"max=200,dive,nonblank,max=500"`
	Field                string   `json:"field,omitempty" bson:"field,omitempty" validate:"max=300"`
	ISCO                 string   `json:"isco,omitempty" bson:"isco,omitempty" validate:"omitempty,isco"`
	// Language is the exam language (keel), an ISO 639-1 code ("et").
	Language string `json:"language,omitempty" bson:"language,omitempty" validate:"omitempty,lang"`
	// Issuer is the registry code of the awarding body (valjastaja, R8.3).
	Issuer string `json:"issuer" bson:"issuer" validate:"required,registrycode"`
	// PlaceOfIssue and IssuedOn (R8.3), ValidFrom and ValidUntil (R8.5,
	// kehtibalates/kehtibkuni; ValidUntil open for a certificate without
	// term).
	PlaceOfIssue string `json:"placeOfIssue" bson:"placeOfIssue" validate:"nonblank,max=200"`
	IssuedOn     Date   `json:"issuedOn" bson:"issuedOn" validate:"required"`
	ValidFrom    Date   `json:"validFrom" bson:"validFrom" validate:"required"`
	ValidUntil   Date   `json:"validUntil,omitzero" bson:"validUntil,omitempty"`
	// DuplicateOf is, for a duplicate (duplikaat) issued for a lost or
	// damaged original or a data error, the original's number.
	DuplicateOf string `json:"duplicateOf,omitempty" bson:"duplicateOf,omitempty" validate:"max=32"`
	// The awarding body may ask to hide the holder's name, birth date or
	// the whole certificate from public view (nimipeidetud,
	// synniaegpeidetud, tunnistuspeidetud).
	HideName        bool `json:"hideName,omitempty" bson:"hideName,omitempty"`
	HideBirthDate   bool `json:"hideBirthDate,omitempty" bson:"hideBirthDate,omitempty"`
	HideCertificate bool `json:"hideCertificate,omitempty" bson:"hideCertificate,omitempty"`
	// Closed is set when the certificate was declared invalid (kehtetu).
	Closed *Closure `json:"closed,omitempty" bson:"closed,omitempty" alusdok:"register"`
}

// CertificateKey identifies a certificate: numbers are unique per type,
// since partial-qualification certificates have their own series.
type CertificateKey struct {
	Type   CertificateType `json:"type" bson:"type"`
	Number string          `json:"number" bson:"number"`
}

// Key returns the certificate's identity.
func (c *Certificate) Key() CertificateKey {
	return CertificateKey{Type: c.Type, Number: c.Number}
}

// originalKey is the identity of the original a duplicate names.
func (c *Certificate) originalKey() CertificateKey {
	return CertificateKey{Type: c.Type, Number: c.DuplicateOf}
}
