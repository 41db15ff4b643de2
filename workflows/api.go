// Package workflows holds the durable procedure of one base document
// (SPEC.md R11–R14, R17): BaseDocumentWorkflow. This file is its contract: the
// task queue, message names, workflow-ID helpers and the structs that cross
// the boundary. Callers (the API) import this contract, not the workflow's
// internals.
package workflows

import (
	"slices"
	"strconv"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// TaskQueue is the Temporal task queue of alusdok's worker.
const TaskQueue = "alusdok"

// Message names.
const (
	// QueryState answers the workflow's full State.
	QueryState = "state"
	// UpdateDecide carries a clerk's Decision (validated: R12.3, R12.4).
	UpdateDecide = "decide"
	// UpdateCorrect carries the submitter's corrected documents (R12.2).
	UpdateCorrect = "correct"
	// UpdateWithdraw withdraws the submission before a decision.
	UpdateWithdraw = "withdraw"
	// UpdateAssign carries an Assignment: a clerk claims an open
	// submission, or hands it to another (a substitute during an absence).
	UpdateAssign = "assign"
	// UpdateSettled takes no argument and answers the State once the
	// first validation is done (deadlines computed, or corrections
	// requested): the submit path sends it with the workflow's start
	// (Update-with-Start), so that the receipt carries the deadlines without
	// polling the read model. It changes nothing.
	UpdateSettled = "settled"
)

// SubmissionWorkflowID is the workflow ID of a submission: the business ID,
// so that one submission can never run twice.
func SubmissionWorkflowID(submissionID string) string { return "submission-" + submissionID }

// Submitter is who submitted the base document: the organisation ("kutsekoda"
// or an awarding body's registry code), the person or system acting for it,
// and where written notices go.
type Submitter struct {
	Organisation string `json:"organisation"`
	Name         string `json:"name"`
	Email        string `json:"email,omitempty"`
}

// Upload is one received set of base documents (the signed PDF and its
// metadata), staged in MongoDB by the API before the workflow sees it.
type Upload struct {
	ID         string    `json:"id"`
	SHA256     string    `json:"sha256"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// Input starts a BaseDocumentWorkflow.
type Input struct {
	SubmissionID string    `json:"submissionId"`
	Submitter    Submitter `json:"submitter"`
	Upload       Upload    `json:"upload"`
	// Summary is what intake read from the document, so that the read model
	// shows it from the workflow's first step (validation confirms it).
	Summary Summary `json:"summary"`
}

// Status is where a submission stands.
type Status string

const (
	StatusReceived            Status = "received"
	StatusAwaitingCorrections Status = "awaiting-corrections"
	StatusInReview            Status = "in-review"
	StatusEntering            Status = "entering"
	StatusEntered             Status = "entered"
	StatusRefused             Status = "refused"
	StatusWithdrawn           Status = "withdrawn"
)

// Final reports whether nothing more happens to a submission in this status.
func (s Status) Final() bool {
	return s == StatusEntered || s == StatusRefused || s == StatusWithdrawn
}

// Action is a clerk's decision.
type Action string

const (
	ActionApprove            Action = "approve"
	ActionRefuse             Action = "refuse"
	ActionRequestCorrections Action = "request-corrections"
	ActionExtend             Action = "extend"
)

// Decision is a clerk's decision on a submission in review.
type Decision struct {
	Action       Action          `json:"action"`
	Reason       string          `json:"reason,omitempty"`       // required for refuse and extend
	Deficiencies deficiency.List `json:"deficiencies,omitempty"` // required for request-corrections
	WorkingDays  int             `json:"workingDays,omitempty"`  // required for extend
	Clerk        string          `json:"clerk"`                  // the clerk's name, for the log (R17)
}

// DecisionResult answers an accepted decision: the status it led to. The
// read model has that step when the answer arrives (its Record ran before),
// so a caller reads it once, without polling.
type DecisionResult struct {
	Status Status `json:"status"`
}

// Correction carries corrected documents (R12.2).
type Correction struct {
	Upload Upload `json:"upload"`
	By     string `json:"by"`
}

// Assignment gives an open submission to a clerk: By claims it for
// themself when Assignee is By, or hands it to Assignee (R17: logged).
type Assignment struct {
	Assignee string `json:"assignee"`
	By       string `json:"by"`
}

// Withdrawal withdraws a submission before a decision.
type Withdrawal struct {
	By     string `json:"by"`
	Reason string `json:"reason,omitempty"`
}

// Deadlines are a submission's working-day deadlines (SPEC.md "Working days").
type Deadlines struct {
	// LateMark is decision date + 10 working days (R11.2): a later receipt is
	// marked late, not refused.
	LateMark time.Time `json:"lateMark,omitzero"`
	// Entry is receipt of the complete documents + 10 working days (R12.1),
	// moved by extensions (R12.3).
	Entry time.Time `json:"entry,omitzero"`
	// CorrectionLimit is when the wait for corrections ends (R12.2); zero
	// when none are awaited.
	CorrectionLimit time.Time `json:"correctionLimit,omitzero"`
	// ExtendedDays is the working days all extensions added together.
	ExtendedDays int `json:"extendedDays"`
}

// Extension is one extension of the entry deadline (R12.3).
type Extension struct {
	WorkingDays int       `json:"workingDays"`
	Reason      string    `json:"reason"`
	NewDeadline time.Time `json:"newDeadline"`
	Clerk       string    `json:"clerk"`
	At          time.Time `json:"at"`
}

// Summary is what the base document says about itself.
type Summary struct {
	Kind         string `json:"kind"`
	Number       string `json:"number"`
	DecisionDate string `json:"decisionDate"` // YYYY-MM-DD
	Title        string `json:"title"`
	Issuer       string `json:"issuer"`
	Records      int    `json:"records"` // register records it carries
}

// Notice is one written notice sent to the submitter (R12.2–R12.4).
type Notice struct {
	Seq      int        `json:"seq"`
	Type     NoticeType `json:"type"`
	At       time.Time  `json:"at"`
	Delivery Delivery   `json:"delivery"`
}

// NoticeType is the kind of written notice.
type NoticeType string

const (
	NoticeCorrectionRequest NoticeType = "correction-request"
	NoticeExtension         NoticeType = "extension"
	NoticeEntry             NoticeType = "entry"
	NoticeRefusal           NoticeType = "refusal"
	NoticeInquiry           NoticeType = "inquiry" // R13.3, of a report (ReportWorkflow)
)

// Turn says who must act next.
type Turn string

const (
	TurnClerk     Turn = "clerk"
	TurnSubmitter Turn = "submitter"
	TurnNone      Turn = "none"
)

// State is the workflow's full state, answered by QueryState.
type State struct {
	SubmissionID     string      `json:"submissionId"`
	Status           Status      `json:"status"`
	Turn             Turn        `json:"turn"`
	Assignee         string      `json:"assignee,omitempty"` // the clerk who claimed it
	Submitter        Submitter   `json:"submitter"`
	Summary          Summary     `json:"summary"`
	Uploads          []Upload    `json:"uploads"`
	ReceivedAt       time.Time   `json:"receivedAt"` // the latest complete submission (R12.2)
	Late             bool        `json:"late"`       // R11.2
	Deadlines        Deadlines   `json:"deadlines"`
	MaxExtensionDays int         `json:"maxExtensionDays"`
	Extensions       []Extension `json:"extensions,omitempty"`
	// Deficiencies is what is wrong with the document (R13.3), inline in
	// runs started before lean histories; later runs keep the list in
	// MongoDB under DeficiencyRef and only its counts here.
	Deficiencies       deficiency.List `json:"deficiencies,omitempty"`
	DeficiencyRef      string          `json:"deficiencyRef,omitempty"`
	DeficiencyErrors   int             `json:"deficiencyErrors,omitempty"`
	DeficiencyWarnings int             `json:"deficiencyWarnings,omitempty"`
	// DeficiencySets counts the sets stored so far: the next one's ref is
	// DeficiencySetRef(SubmissionID, DeficiencySets+1).
	DeficiencySets        int         `json:"deficiencySets,omitempty"`
	CorrectionRounds      int         `json:"correctionRounds"`
	CorrectionLimitPassed bool        `json:"correctionLimitPassed"`
	RemindersSent         []time.Time `json:"remindersSent,omitempty"`
	Escalated             bool        `json:"escalated"`
	Notices               []Notice    `json:"notices,omitempty"`
	Decision              *Decision   `json:"decision,omitempty"`
	Reason                string      `json:"reason,omitempty"` // refusal or withdrawal reason
	EntryNumbers          []string    `json:"entryNumbers,omitempty"`
	DecidedAt             time.Time   `json:"decidedAt,omitzero"`
}

// DeficiencySetRef names a submission's n-th stored set of deficiencies:
// deterministic, so that the activity that stores it may be retried.
func DeficiencySetRef(submissionID string, n int) string {
	return submissionID + "/deficiencies/" + strconv.Itoa(n)
}

// HasErrors reports whether the document has deficiencies that stop its
// entry, wherever the list is kept.
func (s State) HasErrors() bool {
	return s.DeficiencyErrors > 0 || s.Deficiencies.HasErrors()
}

// clone is a deep copy of the State, sharing no slice with it.
func (s State) clone() State {
	s.Uploads = slices.Clone(s.Uploads)
	s.Extensions = slices.Clone(s.Extensions)
	s.Deficiencies = slices.Clone(s.Deficiencies)
	s.RemindersSent = slices.Clone(s.RemindersSent)
	s.Notices = slices.Clone(s.Notices)
	s.EntryNumbers = slices.Clone(s.EntryNumbers)
	if s.Decision != nil {
		d := *s.Decision
		d.Deficiencies = slices.Clone(d.Deficiencies)
		s.Decision = &d
	}
	return s
}

// Delivery is where the e-mailing of a notice stands.
type Delivery string

const (
	DeliveryPending   Delivery = "pending"
	DeliverySent      Delivery = "sent"
	DeliveryFailed    Delivery = "failed"
	DeliveryNotMailed Delivery = "not-mailed" // no address, or no SMTP configured: in the portal only
)
