package documents

// BaseDocument is the metadata of one base document (alusdokument, R10):
// what kind it is, its number and date, who issued it, whom to send the
// written notices to, and the register data it carries. Exactly one payload
// field is set, the one matching Kind (KindInfo.PayloadField).
type BaseDocument struct {
	Kind Kind `json:"kind" bson:"kind"`
	// Number is the document's own number ("1-3/25/147").
	Number string `json:"number" bson:"number" validate:"nonblank,max=64"`
	// Date is the date of the decision, order or directive; the R11.2
	// submission deadline counts from it.
	Date Date `json:"date" bson:"date" validate:"required"`
	// Issuer names the body that issued it: the Government, the minister,
	// the council, the qualification committee.
	Issuer string `json:"issuer" bson:"issuer" validate:"nonblank,max=300"`
	// CouncilID names the council whose decision this is; required for the
	// council decisions (standard, awarding-right and procedure decisions),
	// which are entered in that council's record (R6.6).
	CouncilID string `json:"councilId,omitempty" bson:"councilId,omitempty" validate:"max=64"`
	// Title is the document's heading.
	Title string `json:"title" bson:"title" validate:"nonblank,max=500"`
	// Contact is where the written notices go (R12.3, R12.4).
	Contact Contact `json:"contact" bson:"contact"`
	// Payload is the register data the document carries.
	Payload Payload `json:"payload" bson:"payload"`
}

// Contact is the submitter's contact person for written notices.
type Contact struct {
	Name  string `json:"name" bson:"name" validate:"nonblank,max=200"`
	Email string `json:"email" bson:"email" validate:"required,max=254,email"`
	Phone string `json:"phone,omitempty" bson:"phone,omitempty" validate:"max=50"`
}

// Payload is the register data of a base document. Exactly one field is
// set, the one of the document's kind:
//
//	government-order         council       (R6.1–3, R6.5)
//	minister-directive       council       (id and members, R6.4)
//	standard-decision        standard      (R7)
//	awarding-right-decision  awardingBody  (R9.1–4, R9.7)
//	procedure-decision       procedure     (R9.5–6)
//	committee-decision       certificates  (R8)
//	other                    changes       (R14.3)
type Payload struct {
	Council      *Council           `json:"council,omitempty" bson:"council,omitempty"`
	Standard     *Standard          `json:"standard,omitempty" bson:"standard,omitempty"`
	AwardingBody *AwardingBody      `json:"awardingBody,omitempty" bson:"awardingBody,omitempty"`
	Procedure    *AwardingProcedure `json:"procedure,omitempty" bson:"procedure,omitempty"`
	Certificates []Certificate      `json:"certificates,omitempty" bson:"certificates,omitempty" validate:"dive"`
	Changes      []Change           `json:"changes,omitempty" bson:"changes,omitempty" validate:"dive"`
}

// DecisionRef is a base document as it is entered in a council's record
// (R6.6: the council's decisions).
type DecisionRef struct {
	Kind   Kind   `json:"kind" bson:"kind"`
	Number string `json:"number" bson:"number"`
	Date   Date   `json:"date" bson:"date"`
	Title  string `json:"title" bson:"title"`
}

// Ref returns the reference to d that a council's record keeps.
func (d *BaseDocument) Ref() DecisionRef {
	return DecisionRef{Kind: d.Kind, Number: d.Number, Date: d.Date, Title: d.Title}
}

// Closure marks a register record as closed (R14.3; for a certificate, the
// register's "kehtetu"): from which day, why, and by which base document.
type Closure struct {
	On       Date   `json:"on" bson:"on"`
	Reason   string `json:"reason" bson:"reason"`
	Document string `json:"document" bson:"document"`
}

// closedBy reports whether a record with closure c is closed on day d.
func closedBy(c *Closure, d Date) bool {
	return c != nil && !d.Before(c.On)
}

// RecordCount is how many register records the document carries.
func (d *BaseDocument) RecordCount() int {
	p := d.Payload
	switch {
	case len(p.Certificates) > 0:
		return len(p.Certificates)
	case len(p.Changes) > 0:
		return len(p.Changes)
	case p.Council != nil || p.Standard != nil || p.AwardingBody != nil || p.Procedure != nil:
		return 1
	}
	return 0
}
