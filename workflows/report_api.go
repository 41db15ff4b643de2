package workflows

import "time"

// The contract of ReportWorkflow: a report that register data is wrong
// (R13.3, R14). One workflow per report closes access to the record at
// once (R14.1), sends the submitter a written inquiry (R13.3), holds the
// correction deadline of 10 working days with reminders and escalation
// (R14.2), and ends when the submitter's correcting base document is
// entered (R14.3) or a clerk establishes that the data was correct.

// Report message names.
const (
	// QueryReport answers the report's ReportState.
	QueryReport = "report"
	// UpdateResolve carries a clerk's Resolution (validated).
	UpdateResolve = "resolve"
	// SignalCorrectionEntered carries a CorrectionEntered: the entry of a
	// base document that changes or closes the reported record.
	SignalCorrectionEntered = "correction-entered"
)

// ReportWorkflowID is the workflow ID of a report: the business ID.
func ReportWorkflowID(reportID string) string { return "report-" + reportID }

// ReportRef is the reference under which a report's notices are stored and
// its letters are referenced ("Meie viide").
func ReportRef(reportID string) string { return "R-" + reportID }

// ReporterRole says who reported (R14.1: the submitter, a user or recipient
// of the data, the controller; R13.3: the person the data concerns).
type ReporterRole string

const (
	ReporterPerson    ReporterRole = "person"    // the holder, about their own certificate
	ReporterPublic    ReporterRole = "public"    // anyone, about a certificate number
	ReporterSubmitter ReporterRole = "submitter" // the awarding body that submitted it
	ReporterClerk     ReporterRole = "clerk"     // the processor's clerk
)

// Reporter is who reported. It holds no personal code: a person is named
// by the name they gave, and the record they reported is their own.
type Reporter struct {
	Role         ReporterRole `json:"role"`
	Name         string       `json:"name,omitempty"`
	Email        string       `json:"email,omitempty"` // where the outcome is sent
	Organisation string       `json:"organisation,omitempty"`
}

// ReportTarget names the reported record: a certificate by type and number.
type ReportTarget struct {
	Record string `json:"record"` // "certificate"
	Type   int    `json:"type"`
	Number string `json:"number"`
}

// ReportInput starts a ReportWorkflow.
type ReportInput struct {
	ReportID   string       `json:"reportId"`
	Target     ReportTarget `json:"target"`
	Reporter   Reporter     `json:"reporter"`
	Reason     string       `json:"reason"` // what is wrong, in the reporter's words (no personal codes)
	ReportedAt time.Time    `json:"reportedAt"`
}

// ReportStatus is where a report stands.
type ReportStatus string

const (
	// ReportUnderReview: access is closed, the submitter has been asked.
	ReportUnderReview ReportStatus = "under-review"
	// ReportCorrected: the correcting base document was entered; access
	// is open again to the corrected record.
	ReportCorrected ReportStatus = "corrected"
	// ReportConfirmed: a clerk established that the data was correct;
	// access is open again, with the reason.
	ReportConfirmed ReportStatus = "confirmed"
	// ReportJoined: the record was already under review by another report,
	// which this one joined.
	ReportJoined ReportStatus = "joined"
	// ReportNotFound: no such record in the register.
	ReportNotFound ReportStatus = "not-found"
)

// Final reports whether nothing more happens to a report.
func (s ReportStatus) Final() bool { return s != ReportUnderReview && s != "" }

// ResolveAction is a clerk's resolution of a report.
type ResolveAction string

const (
	// ResolveDataCorrect: the data was correct; access reopens.
	ResolveDataCorrect ResolveAction = "data-correct"
	// ResolveCorrected: the correcting document was entered (named by its
	// submission), should its entry not have reached the report.
	ResolveCorrected ResolveAction = "corrected"
)

// Resolution is a clerk's resolution of a report under review.
type Resolution struct {
	Action     ResolveAction `json:"action"`
	Reason     string        `json:"reason"`
	Submission string        `json:"submission,omitempty"` // for corrected
	Clerk      string        `json:"clerk"`
}

// CorrectionEntered says a base document changing or closing the reported
// record was entered (R14.3).
type CorrectionEntered struct {
	Submission  string    `json:"submission"`
	EntryNumber string    `json:"entryNumber"`
	At          time.Time `json:"at"`
}

// RecordOwner is who submitted the reported record, and from which base
// document: the addressee of the inquiry and the log's document (R17).
type RecordOwner struct {
	Submission string    `json:"submission"`
	Submitter  Submitter `json:"submitter"`
	Document   Summary   `json:"document"`
}

// ReportState is a report's full state, answered by QueryReport.
type ReportState struct {
	ReportID     string       `json:"reportId"`
	Status       ReportStatus `json:"status"`
	Target       ReportTarget `json:"target"`
	Reporter     Reporter     `json:"reporter"`
	Reason       string       `json:"reason"`
	ReportedAt   time.Time    `json:"reportedAt"`
	Owner        RecordOwner  `json:"owner"`
	JoinedReport string       `json:"joinedReport,omitempty"`
	// Deadline is the report + 10 working days (R14.2).
	Deadline      time.Time          `json:"deadline,omitzero"`
	RemindersSent []time.Time        `json:"remindersSent,omitempty"`
	Escalated     bool               `json:"escalated"`
	Inquiry       *Notice            `json:"inquiry,omitempty"`
	Correction    *CorrectionEntered `json:"correction,omitempty"`
	Resolution    *Resolution        `json:"resolution,omitempty"`
	ReporterTold  Delivery           `json:"reporterTold,omitempty"`
	ClosedAt      time.Time          `json:"closedAt,omitzero"`
	ReopenedAt    time.Time          `json:"reopenedAt,omitzero"`
}

// ReportAlarmKind is the Summary.Kind of a report's reminders and
// escalation (ActivityAlarm), so that their mail speaks of correction.
const ReportAlarmKind = "report"

// Report activities: methods of activities.Activities.
const (
	ActivityCloseForReview = "CloseForReview"
	ActivityReopen         = "Reopen"
	ActivityReviewDeadline = "ReviewDeadline"
	ActivityRecordReport   = "RecordReport"
	ActivitySendInquiry    = "SendInquiry"
	ActivityTellReporter   = "TellReporter"
)

// CloseInput closes access to the reported record (R14.1).
type CloseInput struct {
	ReportID string
	Target   ReportTarget
	At       time.Time
}

// CloseResult says whether the record exists, whether this report holds its
// marker (or which report already does), and who submitted it.
type CloseResult struct {
	Found  bool
	HeldBy string // the report holding the marker: this one, or another
	Owner  RecordOwner
}

// ReopenInput reopens access to the record this report closed.
type ReopenInput struct {
	ReportID string
	Target   ReportTarget
	Reason   string
	At       time.Time
}

// ReviewDeadlineInput asks for the correction deadline of a report (R14.2).
type ReviewDeadlineInput struct {
	ReportedAt time.Time
}

// ReviewDeadlineResult is the deadline and its reminders and escalation.
type ReviewDeadlineResult struct {
	Deadline time.Time
	Alarms   []Alarm
}

// RecordReportInput writes the report's read-model row and one
// processing-log entry (R17).
type RecordReportInput struct {
	Step   int
	State  ReportState
	Actor  string
	Action string
	Detail string
	At     time.Time
}

// InquiryInput asks for the written inquiry to the submitter (R13.3).
type InquiryInput struct {
	Seq   int
	State ReportState
	At    time.Time
}

// TellReporterInput tells the reporter the outcome.
type TellReporterInput struct {
	State ReportState
}
