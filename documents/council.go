package documents

// Role is the role of a member of a professional council or of a
// qualification committee.
type Role string

// The three roles.
const (
	RoleChair       Role = "chair"        // esimees
	RoleDeputyChair Role = "deputy-chair" // aseesimees
	RoleMember      Role = "member"       // liige
)

// Council is a professional council (kutsenõukogu) as the register keeps it
// (R6). A government order carries its id, name, formation date,
// institutions and fields (R6.1–3, R6.5); a minister's directive its id and
// members (R6.4).
//
// Fields tagged alusdok:"register" are kept by the register and are refused
// in a submission.
type Council struct {
	ID   string `json:"id" bson:"_id" validate:"nonblank,max=64"`
	Name string `json:"name,omitempty" bson:"name,omitempty" validate:"max=300"`
	// FormationDate is when the council was formed (R6.2).
	FormationDate Date `json:"formationDate,omitzero" bson:"formationDate,omitempty"`
	// Institutions is the institutional composition (R6.3).
	Institutions []Institution `json:"institutions,omitempty" bson:"institutions,omitempty" validate:"max=100,dive"`
	// Members is the personal composition (R6.4).
	Members []Member `json:"members,omitempty" bson:"members,omitempty" validate:"max=200,dive"`
	// Fields lists the occupational fields (kutsealad) of the council's
	// area (R6.5).
	Fields []string `json:"fields,omitempty" bson:"fields,omitempty" validate:"max=200,dive,nonblank,max=300"`
	// Decisions are the council's decisions (R6.6).
	Decisions []DecisionRef `json:"decisions,omitempty" bson:"decisions,omitempty" alusdok:"register"`
	// Closed is set when the council was dissolved.
	Closed *Closure `json:"closed,omitempty" bson:"closed,omitempty" alusdok:"register"`
}

// Institution is one member institution of a council and how many
// representatives it has (R6.3).
type Institution struct {
	Name            string `json:"name" bson:"name" validate:"nonblank,max=300"`
	Representatives int    `json:"representatives" bson:"representatives" validate:"gte=1,lte=50"`
}

// Member is a member of a council (R6.4) or of a qualification committee
// (R9.5), with their role and, where the document gives it, the mandate.
type Member struct {
	Name         string `json:"name" bson:"name" validate:"nonblank,max=200"`
	Role         Role   `json:"role" bson:"role" validate:"required,oneof=chair deputy-chair member"`
	Institution  string `json:"institution,omitempty" bson:"institution,omitempty" validate:"max=300"`
	MandateFrom  Date   `json:"mandateFrom,omitzero" bson:"mandateFrom,omitempty"`
	MandateUntil Date   `json:"mandateUntil,omitzero" bson:"mandateUntil,omitempty"`
}

// inForce reports whether the council exists on day d: formed by then and
// not dissolved.
func (c *Council) inForce(d Date) bool {
	return !d.Before(c.FormationDate) && !closedBy(c.Closed, d)
}
