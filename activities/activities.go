// Package activities does BaseDocumentWorkflow's I/O: validating documents,
// computing working-day deadlines, keeping the read model and the processing
// log, writing register records, storing and sending notices. Activities are
// methods on Activities, which holds their clients; every write is idempotent
// (deterministic IDs, upserts), because FerretDB has no transactions and an
// activity may be retried after a crash.
package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/retention"
	"github.com/kutsekoda/alusdok/store"
	"github.com/kutsekoda/alusdok/workdays"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// Mailer sends one e-mail; nil when no SMTP server is configured.
type Mailer interface {
	Send(ctx context.Context, msg notices.Message) error
}

// AuditLog appends and lists processing-log entries (R17); *audit.Log is
// one.
type AuditLog interface {
	Append(ctx context.Context, e audit.Entry) (audit.Entry, error)
	List(ctx context.Context, f audit.Filter, p audit.Page) ([]audit.Entry, error)
}

// Activities holds what the activities need. Register it once with a
// pointer: worker.RegisterActivity(&Activities{...}).
type Activities struct {
	Calendar  *workdays.Calendar
	Periods   Periods
	Store     *store.Store
	Validator *documents.Validator
	Notices   *notices.Renderer
	Mailer    Mailer // nil: notices stay in the portal only
	Audit     AuditLog
	AlarmTo   map[wf.AlarmKind]string // mailboxes of clerks and supervisors; "" or nil: none
	SpoolDir  string                  // where upload parts are spooled; "": the system's temporary directory
	Signals   Signaler                // tells reports of corrections entered (R14.3); nil: none
	OpenData  OpenDataOptions         // the open-data export
	// AuditLog and AuditSigner anchor the processing log (Checkpoint);
	// without a signer no checkpoint is made.
	AuditLog    *audit.Log
	AuditSigner *audit.Signer
	// Deliveries counts notice e-mails by result and DecisionTime observes
	// receipt to decision; nil: not measured.
	Deliveries   *prometheus.CounterVec
	DecisionTime prometheus.Observer
	Log          *slog.Logger

	// Retention dates what is stored (R4.2); ArchiveDir receives archived
	// packages (R18).
	Retention  retention.Policy
	ArchiveDir string
	// HolderAddress makes a certificate holder's e-mail address from
	// their personal code ("{personalCode}@eesti.ee"); "": holders are not
	// e-mailed.
	HolderAddress string
	// Temporal starts the holder-notice workflow after an entry; nil: none
	// is started (activity tests).
	Temporal  client.Client
	TaskQueue string

	// sets caches stored sets of deficiencies by ref for Record, which
	// shows the current set with every step: a set is written once, by the
	// activity that found it, before the workflow refers to it.
	setsOnce sync.Once
	sets     *lru.Cache[string, deficiency.List]
}

// staged reads a staged upload and its metadata (which the store keeps
// once read or written in this process); a missing one is a permanent
// failure of the activity.
func (a *Activities) staged(ctx context.Context, id string) (store.Upload, []byte, error) {
	up, err := a.Store.Upload(ctx, id)
	if err != nil {
		return up, nil, permanentIfMissing(err)
	}
	raw, err := a.Store.UploadMetadata(ctx, up)
	if err != nil {
		return up, nil, permanentIfMissing(err)
	}
	return up, raw, nil
}

// setCache is the cache of stored sets, made on first use.
func (a *Activities) setCache() *lru.Cache[string, deficiency.List] {
	a.setsOnce.Do(func() { a.sets, _ = lru.New[string, deficiency.List](256) })
	return a.sets
}

// deficiencySet reads the set stored under ref, once per worker while it
// is cached.
func (a *Activities) deficiencySet(ctx context.Context, ref string) (deficiency.List, error) {
	if defs, ok := a.setCache().Get(ref); ok {
		return defs, nil
	}
	defs, err := a.Store.Deficiencies(ctx, ref)
	if err != nil {
		return nil, err
	}
	a.setCache().Add(ref, defs)
	return defs, nil
}

// putDeficiencies stores a set under ref (R13.3) and keeps it in the cache
// for the records and notices that refer to it.
func (a *Activities) putDeficiencies(ctx context.Context, submission, ref string, defs deficiency.List, at time.Time) error {
	err := a.Store.PutDeficiencies(ctx, store.DeficiencySet{Ref: ref, SubmissionID: submission, List: defs, At: at})
	if err == nil {
		a.setCache().Add(ref, defs)
	}
	return err
}

// Validate checks one staged upload again, against the register as it is
// now: its metadata field by field and against existing records, plus what
// PDF intake found (R10, R11.1, R13.3, R9.4, R9.7).
func (a *Activities) Validate(ctx context.Context, in wf.ValidateInput) (wf.ValidateResult, error) {
	defer heartbeatWhileRunning(ctx)()
	up, raw, err := a.staged(ctx, in.Upload.ID)
	if err != nil {
		return wf.ValidateResult{}, err
	}
	sub := documents.Submitter{Organisation: in.Submitter.Organisation, Name: in.Submitter.Name}
	today := documents.DateOf(in.Upload.ReceivedAt)
	sum, defs, err := a.validateUpload(ctx, up, raw, sub, today)
	if err != nil {
		return wf.ValidateResult{}, err
	}
	defs = append(defs, up.PDFDeficiencies...)
	res := wf.ValidateResult{Deficiencies: defs}
	if sum != nil {
		res.Summary = *sum
	}
	if in.DeficiencyRef != "" {
		return res, a.storeDeficiencies(ctx, &res, in.SubmissionID, in.DeficiencyRef, in.Upload.ReceivedAt)
	}
	return res, nil
}

// StoreDeficiencies keeps a clerk's list of deficiencies under its ref
// (R13.3), so that the workflow refers to it instead of repeating it.
func (a *Activities) StoreDeficiencies(ctx context.Context, in wf.StoreDeficienciesInput) error {
	return a.putDeficiencies(ctx, in.SubmissionID, in.Ref, in.List, in.At)
}

// storeDeficiencies keeps what validation found in MongoDB under ref and
// leaves only its counts in the result (lean histories).
func (a *Activities) storeDeficiencies(ctx context.Context, res *wf.ValidateResult, submission, ref string, at time.Time) error {
	defs := res.Deficiencies
	res.Deficiencies = nil
	res.Errors = len(defs.Errors())
	res.Warnings = len(defs) - res.Errors
	if len(defs) == 0 {
		return nil
	}
	return a.putDeficiencies(ctx, submission, ref, defs, at)
}

func summary(doc *documents.BaseDocument) wf.Summary {
	return wf.Summary{
		Kind: string(doc.Kind), Number: doc.Number, DecisionDate: doc.Date.String(),
		Title: doc.Title, Issuer: doc.Issuer, Records: doc.RecordCount(),
	}
}

// Record writes the read model and appends the step to the processing log
// (R17). Both writes are idempotent by submission and step, and the read
// model never goes back to an earlier step.
func (a *Activities) Record(ctx context.Context, in wf.RecordInput) error {
	st := in.State
	if st.DeficiencyRef != "" {
		// Lean histories: the read model shows the list the ref names.
		defs, err := a.deficiencySet(ctx, st.DeficiencyRef)
		if err != nil {
			return permanentIfMissing(err)
		}
		st.Deficiencies = defs
	}
	if err := a.Store.PutSubmission(ctx, SubmissionRow(st, in.Step, in.At)); err != nil {
		return err
	}
	if a.DecisionTime != nil && (st.Status == wf.StatusEntered || st.Status == wf.StatusRefused) && in.Action == string(st.Status) {
		a.DecisionTime.Observe(st.DecidedAt.Sub(st.ReceivedAt).Seconds())
	}
	name := st.Summary.Kind
	if info, ok := documents.Kind(st.Summary.Kind).Info(); ok {
		name = info.NameET
	}
	_, err := a.Audit.Append(ctx, audit.Entry{
		Key:              fmt.Sprintf("%s/%d", st.SubmissionID, in.Step),
		SubmissionID:     st.SubmissionID,
		SubmitterName:    st.Submitter.Name,
		DocumentKind:     st.Summary.Kind,
		DocumentKindName: name,
		DocumentNumber:   st.Summary.Number,
		DocumentDate:     st.Summary.DecisionDate,
		Actor:            in.Actor,
		Action:           in.Action,
		Detail:           in.Detail,
		Time:             in.At,
	})
	if errors.Is(err, audit.ErrInvalid) || errors.Is(err, audit.ErrCorrupt) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "invalid-log-entry", err)
	}
	return err
}

// Enter writes the register records of the submission's last upload
// (R12.1), all or nothing, then keeps the original document with its
// retention date and a stamped rendition for viewing (R4.2, R13.2). It
// heartbeats its progress, and a retry resumes from the last progress
// reported. When the register changed since review so that the document
// cannot be entered as it is, nothing is written and the result names the
// conflict: a business outcome for the clerk, not a failure.
func (a *Activities) Enter(ctx context.Context, in wf.EnterInput) (wf.EnterResult, error) {
	up, raw, err := a.staged(ctx, in.Upload.ID)
	if err != nil {
		return wf.EnterResult{}, err
	}
	doc, defs := documents.DecodeBytes(raw, a.Validator.Policy().Limits.MaxBytes)
	if doc == nil {
		return wf.EnterResult{}, temporal.NewNonRetryableApplicationError("the approved document no longer decodes: "+defs.Error(), "undecodable", nil)
	}
	var from store.Progress
	if activity.HasHeartbeatDetails(ctx) {
		if err := activity.GetHeartbeatDetails(ctx, &from); err != nil {
			a.Log.WarnContext(ctx, "entry progress unreadable; starting again", "submission", in.SubmissionID, "error", err)
			from = store.Progress{}
		}
	}
	entryNumber := EntryNumber(in.SubmissionID)
	e := store.Entry{SubmissionID: in.SubmissionID, EntryNumber: entryNumber, Document: doc.Ref(), At: in.At}
	plan, err := documents.PlanEntry(ctx, doc, a.Store.Register())
	var n int
	if err == nil {
		n, err = a.Store.EnterPlan(ctx, plan, e, from, func(p store.Progress) { activity.RecordHeartbeat(ctx, p) })
	}
	var conflict *documents.ConflictError
	if errors.As(err, &conflict) {
		a.Log.InfoContext(ctx, "entry conflict: back to the clerk", "submission", in.SubmissionID, "field", conflict.Field, "code", conflict.Code)
		defs := conflict.Deficiencies()
		if in.ConflictRef == "" {
			return wf.EnterResult{Conflicts: defs}, nil
		}
		if err := a.putDeficiencies(ctx, in.SubmissionID, in.ConflictRef, defs, in.At); err != nil {
			return wf.EnterResult{}, err
		}
		return wf.EnterResult{ConflictCount: len(defs), FirstConflict: defs[0].Field}, nil
	}
	if err != nil {
		return wf.EnterResult{}, fmt.Errorf("enter: %w", err)
	}
	if err := a.keepDocument(ctx, up, doc, in, entryNumber); err != nil {
		return wf.EnterResult{}, err
	}
	if err := a.notifyReports(ctx, plan, in, entryNumber); err != nil {
		return wf.EnterResult{}, err
	}
	// Holders of the certificates it entered, duplicated or closed are told
	// by a workflow of their own, started once per entry.
	if err := a.startHolderNotices(ctx, doc, in.SubmissionID); err != nil {
		return wf.EnterResult{}, err
	}
	return wf.EnterResult{EntryNumbers: []string{entryNumber}, Records: n}, nil
}

// EntryNumber is the register entry number of a submission's entry.
func EntryNumber(submissionID string) string { return "KR-" + submissionID }

// Alarm tells clerks of a coming entry deadline, or supervisors of one that
// passed undecided: by e-mail to their mailbox when one is configured, and
// always in the log; the read model carries the flags (overdue, escalated)
// that the worklist shows in red.
func (a *Activities) Alarm(ctx context.Context, in wf.AlarmInput) error {
	a.Log.InfoContext(ctx, "deadline alarm", "submission", in.SubmissionID, "kind", in.Alarm.Kind,
		"deadline", in.Deadline, "document", in.Summary.Number)
	to := a.AlarmTo[in.Alarm.Kind]
	if to == "" || a.Mailer == nil {
		return nil
	}
	deadline := in.Deadline.In(a.Calendar.Location()).Format("02.01.2006")
	subject := fmt.Sprintf("Meeldetuletus: alusdokumendi %s kandmise tähtaeg %s", in.Summary.Number, deadline)
	body := fmt.Sprintf("Alusdokumendi %s (%s) kandmise tähtaeg on %s.\nMenetlus: %s\n\nReminder: the entry deadline of base document %s is %s.\n",
		in.Summary.Number, kindName(in.Summary.Kind), deadline, in.SubmissionID, in.Summary.Number, deadline)
	if in.Summary.Kind == wf.ReportAlarmKind { // a report of wrong data (R14.2)
		subject = fmt.Sprintf("Meeldetuletus: ebaõigete andmete (%s) parandamise tähtaeg %s", in.Summary.Number, deadline)
		body = fmt.Sprintf("Teatatud ebaõigete andmete (%s) parandamise tähtaeg on %s (§ 14 lg 2).\nTeade: %s\n\nReminder: the correction deadline of data reported wrong (%s) is %s.\n",
			in.Summary.Number, deadline, in.SubmissionID, in.Summary.Number, deadline)
		if in.Alarm.Kind == wf.AlarmEscalation {
			subject = fmt.Sprintf("Tähtaeg möödas: ebaõigete andmete (%s) parandamise tähtaeg %s möödus", in.Summary.Number, deadline)
			body = fmt.Sprintf("Teatatud ebaõigete andmete (%s) parandamise tähtaeg %s möödus ilma lahenduseta.\nTeade: %s\n\nEscalation: the correction deadline of data reported wrong (%s) passed unresolved on %s.\n",
				in.Summary.Number, deadline, in.SubmissionID, in.Summary.Number, deadline)
		}
	} else if in.Alarm.Kind == wf.AlarmEscalation {
		subject = fmt.Sprintf("Tähtaeg möödas: alusdokumendi %s kandmise tähtaeg %s möödus otsuseta", in.Summary.Number, deadline)
		body = fmt.Sprintf("Alusdokumendi %s (%s) kandmise tähtaeg %s möödus ilma otsuseta.\nMenetlus: %s\n\nEscalation: the entry deadline of base document %s passed undecided on %s.\n",
			in.Summary.Number, kindName(in.Summary.Kind), deadline, in.SubmissionID, in.Summary.Number, deadline)
	}
	err := a.Mailer.Send(ctx, notices.Message{To: to, Subject: subject, Body: body})
	if err != nil && notices.IsPermanent(err) {
		a.Log.ErrorContext(ctx, "alarm mail refused", "kind", in.Alarm.Kind, "error", err)
		return nil // the worklist still shows it; do not retry a refused address
	}
	return err
}

func permanentIfMissing(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "missing", err)
	}
	return err
}
