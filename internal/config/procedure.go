package config

import "time"

// Procedure is the statute's periods and the calendar: every period is
// configurable policy with the 2009 values as defaults (SPEC.md). A change
// applies to new deadlines only: running workflows keep what they recorded.
type Procedure struct {
	SubmissionDays   int    `name:"submission-days" env:"ALUSDOK_SUBMISSION_DAYS" default:"10" help:"R11.2: working days after the decision within which it should be submitted (later: marked late)."`
	EntryDays        int    `name:"entry-days" env:"ALUSDOK_ENTRY_DAYS" default:"10" help:"R12.1: working days after receipt within which the data is entered."`
	CorrectionDays   int    `name:"correction-days" env:"ALUSDOK_CORRECTION_DAYS" default:"10" help:"R12.2: working days the submitter has for corrections."`
	MaxExtensionDays int    `name:"max-extension-days" env:"ALUSDOK_MAX_EXTENSION_DAYS" default:"20" help:"R12.3: working days all extensions of one entry deadline may add together."`
	ReminderDays     []int  `name:"reminder-days" env:"ALUSDOK_REMINDER_DAYS" default:"3,0" help:"Remind clerks this many working days before the entry deadline (0: on the day)."`
	ReminderTime     string `name:"reminder-time" env:"ALUSDOK_REMINDER_TIME" default:"09:00" help:"Time of day (Europe/Tallinn) of reminders."`
	ReviewDays       int    `name:"review-days" env:"ALUSDOK_REVIEW_DAYS" default:"10" help:"R14.2: working days within which data reported wrong is corrected (reminders and escalation as for entry)."`
	HolidaysFile     string `name:"holidays-file" env:"ALUSDOK_HOLIDAYS_FILE" help:"YAML file replacing the built-in table of Estonian public holidays."`
}

// SMTP configures the e-mailing of written notices; without a host notices
// stay in the portal only.
type SMTP struct {
	Host     string        `name:"smtp-host" env:"ALUSDOK_SMTP_HOST" help:"SMTP server for written notices (empty: notices are not e-mailed)."`
	Port     int           `name:"smtp-port" env:"ALUSDOK_SMTP_PORT" help:"SMTP port (default by TLS mode: 25, 587 or 465)."`
	Username string        `name:"smtp-username" env:"ALUSDOK_SMTP_USERNAME" help:"SMTP user name."`
	Password Secret        `name:"smtp-password" env:"ALUSDOK_SMTP_PASSWORD" help:"SMTP password."`
	From     string        `name:"smtp-from" env:"ALUSDOK_SMTP_FROM" default:"Kutseregister <kutseregister@kutsekoda.ee>" help:"Sender of notices."`
	TLS      string        `name:"smtp-tls" env:"ALUSDOK_SMTP_TLS" default:"starttls" enum:"none,starttls,tls" help:"SMTP encryption: none, starttls or tls."`
	Timeout  time.Duration `name:"smtp-timeout" env:"ALUSDOK_SMTP_TIMEOUT" default:"30s" help:"Bound on connecting and each SMTP command."`
}

// Alarms says where reminders and escalations are e-mailed (through SMTP);
// without addresses they are logged and shown in the worklist only.
type Alarms struct {
	Clerks      string `name:"clerks-email" env:"ALUSDOK_CLERKS_EMAIL" help:"Mailbox of the clerks, for reminders of entry deadlines."`
	Supervisors string `name:"supervisors-email" env:"ALUSDOK_SUPERVISORS_EMAIL" help:"Mailbox of the supervisors, for entry deadlines passed undecided."`
}

// Documents configures PDF intake.
type Documents struct {
	TrustDir    string        `name:"trust-dir" env:"ALUSDOK_TRUST_DIR" help:"Directory of trusted CA certificates for PDF signatures (PEM or DER)."`
	MaxPDFBytes ByteSize      `name:"max-pdf" env:"ALUSDOK_MAX_PDF" default:"20MiB" help:"Largest PDF accepted."`
	MaxPages    int           `name:"max-pages" env:"ALUSDOK_MAX_PAGES" default:"500" help:"Most pages a PDF may have."`
	PDFTimeout  time.Duration `name:"pdf-timeout" env:"ALUSDOK_PDF_TIMEOUT" default:"30s" help:"Time budget for checking one PDF."`
	PDFWorkers  int           `name:"pdf-workers" env:"ALUSDOK_PDF_WORKERS" default:"0" help:"PDFs checked at once, each in its own child process (0: the number of CPU cores)."`
	PDFMemory   ByteSize      `name:"pdf-memory" env:"ALUSDOK_PDF_MEMORY" default:"1GiB" help:"Address space one PDF-checking child process may use beyond its start; more is answered pdf.too-complex."`
	// PDFChild is the command that checks one PDF in a child process:
	// set by the binary (itself with the subcommand pdfcheck), not by
	// flags. Empty: PDFs are checked in process, without isolation
	// (test binaries that cannot serve as the child).
	PDFChild []string `kong:"-"`
}

// Janitor configures the scheduled removal of what no submission uses:
// upload parts spooled by killed requests, uploads staged but never handed
// to a workflow, and stored files that nothing references.
type Janitor struct {
	Schedule string        `name:"janitor-schedule" env:"ALUSDOK_JANITOR_SCHEDULE" default:"30 3 * * *" help:"When the janitor runs: a cron expression in Europe/Tallinn time (empty: no schedule)."`
	Grace    time.Duration `name:"janitor-grace" env:"ALUSDOK_JANITOR_GRACE" default:"24h" help:"How old an unreferenced upload, stored file or spooled part must be before the janitor removes it."`
}

// OpenData configures the daily open-data export (SPEC.md "Open data").
type OpenData struct {
	Schedule string `name:"opendata-schedule" env:"ALUSDOK_OPENDATA_SCHEDULE" default:"0 2 * * *" help:"When the open data is exported: a cron expression in Europe/Tallinn time (empty: no schedule)."`
	Keep     int    `name:"opendata-keep" env:"ALUSDOK_OPENDATA_KEEP" default:"30" help:"How many exported versions of the open data are kept."`
	MinCell  int    `name:"opendata-min-cell" env:"ALUSDOK_OPENDATA_MIN_CELL" default:"3" help:"Statistics cells with fewer certificates than this are left out of the open data, so that no one is singled out."`
	BaseURL  string `name:"opendata-base-url" env:"ALUSDOK_OPENDATA_BASE_URL" default:"http://127.0.0.1:8080/opendata/" help:"Public URL under which the open data is served (the DCAT-AP catalogue's download URLs)."`
}

// AuditKey is the Ed25519 key that signs the processing log's checkpoints
// (package audit): kept outside the database, so that whoever can write to
// MongoDB cannot rewrite the log unseen.
type AuditKey struct {
	File       string `name:"audit-key-file" env:"ALUSDOK_AUDIT_KEY_FILE" help:"File of the Ed25519 seed (base64) that signs processing-log checkpoints (alusdok dev makes one in its data directory)."`
	Checkpoint string `name:"audit-checkpoint-schedule" env:"ALUSDOK_AUDIT_CHECKPOINT_SCHEDULE" default:"0 2 * * *" help:"When the processing log's head is checked and signed: a cron expression in Europe/Tallinn time (empty: no schedule)."`
}

// WorkerOptions is what only the worker reads.
type WorkerOptions struct {
	Procedure  Procedure          `embed:""`
	SMTP       SMTP               `embed:""`
	Alarms     Alarms             `embed:""`
	Janitor    Janitor            `embed:""`
	AuditKey   AuditKey           `embed:""`
	Letterhead Letterhead         `embed:""`
	Seal       Seal               `embed:""`
	Retention  RetentionProcedure `embed:""`
	Holders    HolderNotices      `embed:""`
	OpenData   OpenData           `embed:""`
}

// APIOptions is what only the API reads.
type APIOptions struct {
	Documents Documents `embed:""`
	OIDC      OIDC      `embed:""`
	Limits    Limits    `embed:""`
	AccessLog AccessLog `embed:""`
}

// Server is what the API and the worker need to run.
type Server struct {
	Temporal Temporal
	Codec    Codec
	Mongo    Mongo
	HTTP     HTTP
	Shutdown Shutdown
	Retain   Retention
	API      APIOptions
	Worker   WorkerOptions
}

// Retention is the retention policy of base documents (R4.2, R18): read by
// intake, which dates the documents it stores, and by the worker, which
// dates notices and renditions and runs the retention procedure.
type Retention struct {
	Years   int    `name:"retention-years" env:"ALUSDOK_RETENTION_YEARS" default:"10" help:"R4.2: years base documents (and their notices and records) are kept after their date (0: kept without end)."`
	Periods string `name:"retention-periods" env:"ALUSDOK_RETENTION_PERIODS" help:"Retention per base-document kind overriding --retention-years: kind=years or kind=keep, comma-separated (committee-decision=15,government-order=keep)."`
}

// RetentionProcedure configures the explicit retention procedure (R18): a
// daily schedule lists for a supervisor what is due, and archives or
// destroys what they decide.
type RetentionProcedure struct {
	Schedule   string `name:"retention-schedule" env:"ALUSDOK_RETENTION_SCHEDULE" default:"0 4 * * *" help:"When documents past their retention date are listed for a supervisor: a cron expression in Europe/Tallinn time (empty: no schedule)."`
	BatchSize  int    `name:"retention-batch" env:"ALUSDOK_RETENTION_BATCH" default:"100" help:"Most base documents one retention batch lists for a supervisor's decision."`
	ArchiveDir string `name:"archive-dir" env:"ALUSDOK_ARCHIVE_DIR" default:"./archive" help:"Directory where archived base documents are written, one self-contained package (files and a SHA-256 manifest) each."`
}

// HolderNotices configures the e-mails to certificate holders (entry,
// duplicate, invalidation, expiry within six months).
type HolderNotices struct {
	EmailTemplate  string `name:"holder-email-template" env:"ALUSDOK_HOLDER_EMAIL_TEMPLATE" default:"{personalCode}@eesti.ee" help:"Address of a certificate holder, {personalCode} replaced (the state forwards <personal code>@eesti.ee; empty: holders are not e-mailed)."`
	ExpirySchedule string `name:"expiry-schedule" env:"ALUSDOK_EXPIRY_SCHEDULE" default:"0 5 * * *" help:"When holders of certificates expiring within six months are told: a cron expression in Europe/Tallinn time (empty: no schedule)."`
}
