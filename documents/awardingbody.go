package documents

// AwardingBody is an awarding body (kutse andja) as the register keeps it
// (R9): name, seat, address and contacts, registry code, and the rights it
// holds — which standards and levels it may award, and for how long (R9.4,
// R9.7). Its awarding procedures with their committees (R9.5–6) are entered
// from procedure decisions.
type AwardingBody struct {
	// RegistryCode is the body's registrikood (R9.3), its identity.
	RegistryCode string `json:"registryCode" bson:"_id" validate:"required,registrycode"`
	Name         string `json:"name" bson:"name" validate:"nonblank,max=300"`
	// Seat is the asukoht (a place name), Address the postal address (R9.2).
	Seat     string   `json:"seat" bson:"seat" validate:"nonblank,max=200"`
	Address  string   `json:"address" bson:"address" validate:"nonblank,max=500"`
	Contacts Contacts `json:"contacts" bson:"contacts"`
	// Rights are the awarding rights (R9.4, R9.7).
	Rights []Right `json:"rights" bson:"rights" validate:"min=1,max=500,dive"`
	// Procedures are the approved awarding procedures (R9.5–6).
	Procedures []AwardingProcedure `json:"procedures,omitempty" bson:"procedures,omitempty" alusdok:"register"`
	// Closed is set when the body ceased to be an awarding body.
	Closed *Closure `json:"closed,omitempty" bson:"closed,omitempty" alusdok:"register"`
}

// Contacts are an awarding body's public contacts (R9.2): an e-mail address
// or a phone number, or both.
type Contacts struct {
	Email   string `json:"email,omitempty" bson:"email,omitempty" validate:"required_without=Phone,omitempty,max=254,email"`
	Phone   string `json:"phone,omitempty" bson:"phone,omitempty" validate:"max=50"`
	Website string `json:"website,omitempty" bson:"website,omitempty" validate:"omitempty,max=300,http_url"`
}

// Right is an awarding body's right to award the qualifications of one
// standard (any version) at the given levels, for a term (R9.4, R9.7). A
// revoking decision sets RevokedOn: from that day the right no longer
// covers anything.
type Right struct {
	StandardID int   `json:"standardId" bson:"standardId" validate:"gte=1,lte=999999999"`
	Levels     []int `json:"levels" bson:"levels" validate:"min=1,max=8,dive,level"`
	ValidFrom  Date  `json:"validFrom" bson:"validFrom" validate:"required"`
	ValidUntil Date  `json:"validUntil" bson:"validUntil" validate:"required"`
	RevokedOn  Date  `json:"revokedOn,omitzero" bson:"revokedOn,omitempty"`
}

// covers reports whether the right allows awarding standard id at level on
// day d.
func (r Right) covers(id, level int, d Date) bool {
	if r.StandardID != id || d.Before(r.ValidFrom) || d.After(r.ValidUntil) {
		return false
	}
	if !r.RevokedOn.IsZero() && !d.Before(r.RevokedOn) {
		return false
	}
	for _, l := range r.Levels {
		if l == level {
			return true
		}
	}
	return false
}

// Covers reports whether the body, on day d, may award standard id at
// level (R9.4, R9.7).
func (b *AwardingBody) Covers(id, level int, d Date) bool {
	if closedBy(b.Closed, d) {
		return false
	}
	for _, r := range b.Rights {
		if r.covers(id, level, d) {
			return true
		}
	}
	return false
}

// AwardingProcedure is an awarding body's procedure for assessing and
// awarding qualifications (kutse andmise kord, R9.6) with the composition of
// its qualification committee (R9.5), as a procedure decision approves it.
type AwardingProcedure struct {
	// AwardingBody is the registry code of the body the procedure is for.
	AwardingBody string `json:"awardingBody" bson:"awardingBody" validate:"required,registrycode"`
	Title        string `json:"title" bson:"title" validate:"nonblank,max=500"`
	// Standards are the ids of the standards the procedure applies to.
	Standards  []int     `json:"standards" bson:"standards" validate:"min=1,max=500,dive,gte=1,lte=999999999"`
	ValidFrom  Date      `json:"validFrom" bson:"validFrom" validate:"required"`
	ValidUntil Date      `json:"validUntil,omitzero" bson:"validUntil,omitempty"`
	Committee  Committee `json:"committee" bson:"committee"`
}

// Committee is a qualification committee (kutsekomisjon, R9.5).
type Committee struct {
	Name    string   `json:"name" bson:"name" validate:"nonblank,max=300"`
	Members []Member `json:"members" bson:"members" validate:"min=1,max=100,dive"`
}
