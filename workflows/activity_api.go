package workflows

import (
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Activity names: the methods of activities.Activities that the workflow
// calls. The workflow names them rather than importing the activities
// package, so that activities can use this contract's types without an
// import cycle; a test in package activities checks that each is a method.
const (
	ActivityDeadlines       = "Deadlines"
	ActivityExtend          = "Extend"
	ActivityCorrectionLimit = "CorrectionLimit"
	ActivityValidate        = "Validate"
	ActivityRecord          = "Record"
	ActivitySendNotice      = "SendNotice"
	ActivityDeliverNotice   = "DeliverNotice"
	ActivityEnter           = "Enter"
	ActivityAlarm           = "Alarm"
	// ActivityStoreDeficiencies keeps a clerk's list in MongoDB (a local
	// activity: the list is in the history once, as the Update's argument).
	ActivityStoreDeficiencies = "StoreDeficiencies"
)

// ActivityNames lists every activity the workflows call.
func ActivityNames() []string {
	return []string{ActivityDeadlines, ActivityExtend, ActivityCorrectionLimit, ActivityValidate,
		ActivityRecord, ActivitySendNotice, ActivityDeliverNotice, ActivityEnter, ActivityAlarm, ActivitySweep, ActivityCheckpoint,
		ActivityListForRetention, ActivityRetain, ActivityHolderNotices, ActivityExpiryNotices,
		ActivityCloseForReview, ActivityReopen, ActivityReviewDeadline, ActivityRecordReport, ActivitySendInquiry,
		ActivityTellReporter, ActivityExport, ActivityStoreDeficiencies}

}

// DeadlinesInput asks for a submission's deadlines after a complete receipt.
type DeadlinesInput struct {
	ReceivedAt   time.Time
	DecisionDate string // YYYY-MM-DD; empty when the document could not be read
}

// AlarmKind tells a reminder to clerks from an escalation to supervisors.
type AlarmKind string

const (
	AlarmReminder   AlarmKind = "reminder"
	AlarmEscalation AlarmKind = "escalation"
)

// Alarm is a reminder or escalation due at At.
type Alarm struct {
	At   time.Time
	Kind AlarmKind
}

// DeadlinesResult is computed in an activity and so recorded in the
// workflow's history: a later change of the holiday table or of a period
// cannot change what a running workflow already decided.
type DeadlinesResult struct {
	LateMark         time.Time
	Late             bool // received after LateMark (R11.2)
	Entry            time.Time
	Alarms           []Alarm // reminders before Entry and the escalation at Entry
	MaxExtensionDays int     // R12.3: all extensions together at most this
}

// ExtendInput moves an entry deadline by working days (R12.3).
type ExtendInput struct {
	Entry       time.Time
	WorkingDays int
}

// ExtendResult is the moved deadline and its new alarms.
type ExtendResult struct {
	Entry  time.Time
	Alarms []Alarm
}

// CorrectionLimitInput asks when a wait for corrections that starts at From
// ends (R12.2).
type CorrectionLimitInput struct {
	From time.Time
}

// CorrectionLimitResult is the end of the wait and, should it pass, the entry
// deadline that then starts (the clerk decides within the usual period).
type CorrectionLimitResult struct {
	Limit       time.Time
	EntryAfter  time.Time
	AlarmsAfter []Alarm
}

// ValidateInput asks to validate one upload.
type ValidateInput struct {
	SubmissionID string
	Upload       Upload
	Submitter    Submitter
	// DeficiencyRef, when set (lean histories), is where the activity
	// stores what it finds (DeficiencySetRef): the result then carries
	// only the counts, and the list never enters the workflow's history.
	DeficiencyRef string `json:",omitempty"`
}

// ValidateResult is the document's summary and what is wrong with it:
// the list itself, or, when ValidateInput.DeficiencyRef was given, its
// counts (the list stored under the ref when it is not empty).
type ValidateResult struct {
	Summary      Summary
	Deficiencies deficiency.List `json:",omitempty"`
	Errors       int             `json:",omitempty"`
	Warnings     int             `json:",omitempty"`
}

// RecordInput is one step of the procedure: the read model takes State, the
// processing log (R17) takes an entry. Since lean histories Record is a
// local activity (its input never enters the history) and State carries
// deficiencies by reference (State.DeficiencyRef), which Record reads back
// for the read model.
type RecordInput struct {
	Step   int // the workflow's step counter: with SubmissionID, the idempotency key
	State  State
	Actor  string // a clerk's or submitter's name, or "system"
	Action string
	Detail string
	At     time.Time
}

// NoticeInput asks for one written notice (R12.2–R12.4). Runs before lean
// histories send the whole State; later ones the Subject, a few small
// values, with deficiencies by reference.
type NoticeInput struct {
	Seq     int
	Type    NoticeType
	State   State          `json:",omitzero"`
	Subject *NoticeSubject `json:",omitempty"`
	// Deficiencies of a correction request: inline when a clerk listed
	// them (the activity then stores them under DeficiencyRef first), or
	// only DeficiencyRef when validation stored them.
	Deficiencies  deficiency.List `json:",omitempty"`
	DeficiencyRef string          `json:",omitempty"`
	Reason        string          // extension, refusal
	NewDeadline   time.Time       // extension
	Limit         time.Time       // correction request
	Clerk         string
	At            time.Time
}

// StoreDeficienciesInput asks to store a set of deficiencies under Ref
// (DeficiencySetRef).
type StoreDeficienciesInput struct {
	SubmissionID string
	Ref          string
	List         deficiency.List
	At           time.Time
}

// NoticeSubject is what a notice says about its submission.
type NoticeSubject struct {
	SubmissionID string
	Submitter    Submitter
	Summary      Summary
	Upload       Upload   // the last one: what an entry notice lists
	ExtendedDays int      // all extensions together (R12.3)
	EntryNumbers []string `json:",omitempty"`
	DecidedAt    time.Time
	// DeficiencyRef names the deficiencies a refusal repeats.
	DeficiencyRef string `json:",omitempty"`
}

// DeliverInput asks to e-mail a stored notice to the submitter.
type DeliverInput struct {
	SubmissionID string
	Seq          int
	To           string
}

// DeliverResult says whether the notice went out by e-mail.
type DeliverResult struct {
	Delivery Delivery
}

// EnterInput asks to enter a submission's register records (R12.1).
type EnterInput struct {
	SubmissionID string
	Upload       Upload
	Submitter    Submitter
	Clerk        string
	At           time.Time
	// ConflictRef, when set (lean histories), is where conflicts are
	// stored; the result then carries their count and first field only.
	ConflictRef string `json:",omitempty"`
}

// EnterResult names what was entered, or, when the register changed since
// review so that the document cannot be entered as it is (a certificate
// number another entry took meanwhile), the conflict: then nothing was
// entered and the submission goes back to the clerk (R13.3).
type EnterResult struct {
	EntryNumbers []string
	Records      int
	Conflicts    deficiency.List `json:",omitempty"`
	// ConflictCount and FirstConflict describe the conflicts stored under
	// EnterInput.ConflictRef.
	ConflictCount int    `json:",omitempty"`
	FirstConflict string `json:",omitempty"`
}

// AlarmInput asks to remind clerks or escalate to supervisors.
type AlarmInput struct {
	SubmissionID string
	Alarm        Alarm
	Deadline     time.Time
	Summary      Summary
}
