package documents

// RecordType names the kind of register record an "other" document changes.
type RecordType string

// The record types a Change may target.
const (
	RecordCouncil      RecordType = "council"
	RecordStandard     RecordType = "standard"
	RecordAwardingBody RecordType = "awarding-body"
	RecordCertificate  RecordType = "certificate"
)

// ChangeAction is what a Change does to its target.
type ChangeAction string

// The two actions.
const (
	// ActionChange replaces the target's data with the values given.
	ActionChange ChangeAction = "change"
	// ActionClose closes the target (a certificate becomes invalid,
	// kehtetu); a reason is required.
	ActionClose ChangeAction = "close"
)

// Change is one change or closure of an existing register record, carried
// by an "other" base document (R10.7, R14.3).
//
// The target is named by TargetID: a council id, a standard's numeric id
// (with TargetVersion), an awarding body's registry code, or a certificate
// number (with CertificateType, numbers being unique per type). For
// ActionChange exactly the values field of the target's type is set and
// holds the record as it is to be after the change.
type Change struct {
	Target          RecordType      `json:"target" bson:"target" validate:"required,oneof=council standard awarding-body certificate"`
	TargetID        string          `json:"targetId" bson:"targetId" validate:"nonblank,max=64"`
	TargetVersion   int             `json:"targetVersion,omitempty" bson:"targetVersion,omitempty" validate:"gte=0,lte=999"`
	CertificateType CertificateType `json:"certificateType,omitempty" bson:"certificateType,omitempty" validate:"omitempty,oneof=1 2 3"`
	Action          ChangeAction    `json:"action" bson:"action" validate:"required,oneof=change close"`
	Reason          string          `json:"reason,omitempty" bson:"reason,omitempty" validate:"max=2000"`

	Council      *Council      `json:"council,omitempty" bson:"council,omitempty"`
	Standard     *Standard     `json:"standard,omitempty" bson:"standard,omitempty"`
	AwardingBody *AwardingBody `json:"awardingBody,omitempty" bson:"awardingBody,omitempty"`
	Certificate  *Certificate  `json:"certificate,omitempty" bson:"certificate,omitempty"`
}
