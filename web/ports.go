package web

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/kutsekoda/alusdok/accesslog"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// The ports: what the web front needs from the layers below, in its own
// types. backend.go is the one adapter from store, intake, audit and
// accesslog to these; when those packages change shape, only it changes.

// ErrNotFound is a submission, document, notice or record that does not
// exist (or that the caller may not see: the handlers answer both alike).
var ErrNotFound = errors.New("not found")

// ErrAssignUnsupported says the submission's workflow cannot be assigned
// (a worker older than the assignment Update).
var ErrAssignUnsupported = errors.New("assignment is not supported by the workflow")

// Backend is everything the pages read and do.
type Backend interface {
	Submissions
	Actions
	PublicRegister
	People
}

// Submissions reads submissions and their documents.
type Submissions interface {
	// ListSubmissions returns every submission q selects, sorted by entry
	// deadline (soonest first, those without one last).
	ListSubmissions(ctx context.Context, q SubmissionQuery) ([]SubmissionView, error)
	// Submission returns one submission (ErrNotFound).
	Submission(ctx context.Context, id string) (SubmissionView, error)
	// LatestUpload returns the latest upload's details and its metadata,
	// decoded (nil when it cannot be decoded).
	LatestUpload(ctx context.Context, sub SubmissionView) (UploadView, *documents.BaseDocument, error)
	// OpenDocument opens a stored PDF of a submission: the original of its
	// latest upload, the stamped rendition, or the n-th notice.
	OpenDocument(ctx context.Context, sub SubmissionView, which DocumentRef) (Blob, error)
	// LogRead records that who read the personal data of the certificates'
	// holders (Andmejälgija, R16.3); reads of one's own data are skipped.
	LogRead(ctx context.Context, who *auth.Principal, why, docNumber string, certs []documents.Certificate)
	// Timeline returns the processing-log entries of a submission (R17).
	Timeline(ctx context.Context, id string) ([]LogEntry, error)
	// AuditLog returns a page of the processing log (R19.2) and
	// VerifyLog the chain's verification.
	AuditLog(ctx context.Context, f AuditFilter) ([]LogEntry, error)
	VerifyLog(ctx context.Context) (ChainReport, error)
}

// Actions change submissions: through intake, the same path as the API.
type Actions interface {
	// Submit checks and starts a submission; a *RejectedError lists the
	// deficiencies (nothing is stored).
	Submit(ctx context.Context, req UploadRequest) (string, deficiency.List, error)
	// Correct hands corrected documents to a submission (R12.2).
	Correct(ctx context.Context, id string, req UploadRequest) (deficiency.List, error)
	Decide(ctx context.Context, id string, d wf.Decision) error
	Withdraw(ctx context.Context, id string, w wf.Withdrawal) error
	Assign(ctx context.Context, id, assignee, by string) error
	// Refusal reports the reason when err is the workflow refusing an
	// Update (its validator's message).
	Refusal(err error) (string, bool)
}

// PublicRegister reads the public register: no personal data (R15.1).
type PublicRegister interface {
	Standards(ctx context.Context) ([]documents.Standard, error)
	Councils(ctx context.Context) ([]PublicCouncil, error)
	AwardingBodies(ctx context.Context) ([]documents.AwardingBody, error)
	Certificate(ctx context.Context, number string, typ documents.CertificateType) (PublicCertificate, error)
	Statistics(ctx context.Context) ([]StatRow, error)
}

// People answers a person about themself (R16.3).
type People interface {
	Me(ctx context.Context, personalCode string) (MeView, error)
}

// SubmissionQuery selects submissions.
type SubmissionQuery struct {
	Organisation string // "": every organisation's
	Statuses     []wf.Status
	Kind         string
	Escalated    bool // only escalated ones
	Assignee     string
}

// SubmissionView is a submission as the pages show it.
type SubmissionView struct {
	ID               string
	Status           wf.Status
	Turn             wf.Turn
	Organisation     string
	SubmitterName    string
	Kind             string
	Number           string
	DecisionDate     string // YYYY-MM-DD
	Title            string
	Records          int
	ReceivedAt       time.Time
	FirstReceivedAt  time.Time
	Late             bool
	Escalated        bool
	EntryDeadline    time.Time
	CorrectionLimit  time.Time
	LateMark         time.Time
	ExtendedDays     int
	CorrectionRounds int
	Deficiencies     deficiency.List
	Uploads          int
	Notices          []NoticeView
	Extensions       []wf.Extension
	Reason           string
	DecidedAt        time.Time
	Assignee         string
}

// Overdue reports whether the entry deadline passed undecided.
func (s SubmissionView) Overdue(now time.Time) bool {
	return !s.Status.Final() && !s.EntryDeadline.IsZero() && now.After(s.EntryDeadline)
}

// NoticeView is one written notice.
type NoticeView struct {
	Seq      int
	Type     wf.NoticeType
	At       time.Time
	Delivery wf.Delivery
}

// UploadView is the latest upload of a submission.
type UploadView struct {
	Filename   string
	Size       int64
	Pages      int
	SHA256     string
	ReceivedAt time.Time
	Signatures []SignatureView
	Warnings   deficiency.List
}

// SignatureView is one signature of a PDF.
type SignatureView struct {
	Signer  string
	Time    time.Time
	Status  string
	Trusted bool
	Reason  string
}

// DocumentRef names a stored PDF of a submission.
type DocumentRef struct {
	Rendition bool
	Notice    int // > 0: the n-th notice
}

// Blob is an open stored file.
type Blob struct {
	Length   int64
	SHA256   string
	Filename string
	WriteTo  func(w io.Writer) error
}

// UploadRequest is a PDF and its metadata from a submitter.
type UploadRequest struct {
	Organisation string
	Name         string
	PDF          io.Reader
	Filename     string
	Metadata     []byte
	// IdempotencyKey comes with the form: the same form sent twice (a
	// double click, a reload) starts one submission.
	IdempotencyKey string
}

// RejectedError says an upload is deficient; nothing was stored.
type RejectedError struct{ Deficiencies deficiency.List }

func (e *RejectedError) Error() string { return "the base document is deficient" }

// LogEntry is one processing-log entry (R17).
type LogEntry struct {
	Seq            int64
	Time           time.Time
	SubmissionID   string
	SubmitterName  string
	DocumentKind   string
	DocumentNumber string
	DocumentDate   string
	Actor          string
	Action         string
	Detail         string
}

// AuditFilter selects processing-log entries.
type AuditFilter struct {
	SubmissionID string
	Actor        string
	From, To     time.Time
	After        int64
	Limit        int
}

// ChainReport is the processing log's verification.
type ChainReport struct {
	Whole    bool
	Count    int64
	LastHash string
	BrokenAt int64
	Problem  string
}

// PublicCouncil is a council without its members' names.
type PublicCouncil struct {
	ID            string
	Name          string
	FormationDate documents.Date
	Institutions  []documents.Institution
	Members       int
	Fields        []string
	Closed        bool
}

// PublicCertificate answers whether a certificate is valid: never a name,
// personal code or birth date.
type PublicCertificate struct {
	Number         string
	Type           documents.CertificateType
	Valid          bool
	Qualification  string
	Level          int
	Specialisation string
	Issuer         string
	IssuerName     string
	IssuedOn       documents.Date
	ValidFrom      documents.Date
	ValidUntil     documents.Date
	Duplicate      bool
	Closed         bool
	// UnderReview: reported wrong and closed until its correctness is
	// established (R14.1); then nothing else is filled in.
	UnderReview bool
}

// StatRow counts the certificates of a year, standard and level.
type StatRow struct {
	Year          int
	StandardID    int
	StandardTitle string
	Level         int
	Count         int
}

// MeView is what the register holds about a person and how it was
// processed (R16.3), as GET /api/v1/me/certificates answers it.
type MeView struct {
	Certificates []MyCertificate
	Log          []LogEntry
	Reads        []accesslog.Entry
}

// MyCertificate is a person's own certificate.
type MyCertificate struct {
	Certificate   documents.Certificate
	Qualification string
	EntryNumber   string
	Document      documents.DecisionRef
}
