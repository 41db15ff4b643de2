package documents

// Standard is an occupational standard (kutsestandard) as the register keeps
// it (R7). A standard has a numeric id and a version; each amendment is a
// new version. Its title names the qualification and level
// ("Külmamehaanik, tase 4").
type Standard struct {
	ID      int    `json:"id" bson:"id" validate:"gte=1,lte=999999999"`
	Version int    `json:"version" bson:"version" validate:"gte=1,lte=999"`
	Title   string `json:"title" bson:"title" validate:"nonblank,max=300"`
	// Level is the EKR level (R7.1).
	Level int `json:"level" bson:"level" validate:"level"`
	// RegistryMark is the standard's registritähis (R7.2).
	RegistryMark string `json:"registryMark" bson:"registryMark" validate:"nonblank,max=64"`
	// ApprovedOn and ApprovalDecision: approval date and decision number
	// (R7.3).
	ApprovedOn       Date   `json:"approvedOn" bson:"approvedOn" validate:"required"`
	ApprovalDecision string `json:"approvalDecision" bson:"approvalDecision" validate:"nonblank,max=64"`
	// AmendedOn and AmendmentDecision: amendment date and decision number
	// (R7.4); both or neither.
	AmendedOn         Date   `json:"amendedOn,omitzero" bson:"amendedOn,omitempty"`
	AmendmentDecision string `json:"amendmentDecision,omitempty" bson:"amendmentDecision,omitempty" validate:"max=64"`
	// ValidFrom and ValidUntil: validity (R7.5); ValidUntil may be open.
	ValidFrom  Date `json:"validFrom" bson:"validFrom" validate:"required"`
	ValidUntil Date `json:"validUntil,omitzero" bson:"validUntil,omitempty"`
	// CouncilID is the approving council (R7.6).
	CouncilID string `json:"councilId" bson:"councilId" validate:"nonblank,max=64"`
	// Statistical codes (R7.7): ISCO-08 occupation, ESCO occupation (URI or
	// code), ISCED-F 2013 field of education.
	ISCO  string `json:"isco,omitempty" bson:"isco,omitempty" validate:"omitempty,isco"`
	ESCO  string `json:"esco,omitempty" bson:"esco,omitempty" validate:"max=300"`
	ISCED string `json:"isced,omitempty" bson:"isced,omitempty" validate:"omitempty,isced"`
	// Area is the field of activity (the register's valdkond), Field the
	// occupational field (kutseala, R6.5).
	Area  string `json:"area,omitempty" bson:"area,omitempty" validate:"max=300"`
	Field string `json:"field" bson:"field" validate:"nonblank,max=300"`
	// Specialisations, PartialQualifications and Competences name the
	// parts of the standard a certificate may refer to.
	Specialisations       []string `json:"specialisations,omitempty" bson:"specialisations,omitempty" validate:"max=100,dive,nonblank,max=300"`
	PartialQualifications []string `json:"partialQualifications,omitempty" bson:"partialQualifications,omitempty" validate:"max=100,dive,nonblank,max=300"`
	Competences           []string `json:"competences,omitempty" bson:"competences,omitempty" validate:"max=200,dive,nonblank,max=500"`
	// Closed is set when the standard was closed by an "other" document.
	Closed *Closure `json:"closed,omitempty" bson:"closed,omitempty" alusdok:"register"`
}

// StandardRef names one version of a standard. Version 0 means "the latest
// version" in a register lookup.
type StandardRef struct {
	ID      int `json:"id" bson:"id" validate:"gte=1,lte=999999999"`
	Version int `json:"version" bson:"version" validate:"gte=1,lte=999"`
}

// Ref returns the reference to s.
func (s *Standard) Ref() StandardRef { return StandardRef{ID: s.ID, Version: s.Version} }

// inForce reports whether the standard is valid on day d.
func (s *Standard) inForce(d Date) bool {
	if d.Before(s.ValidFrom) || closedBy(s.Closed, d) {
		return false
	}
	return s.ValidUntil.IsZero() || !d.After(s.ValidUntil)
}
