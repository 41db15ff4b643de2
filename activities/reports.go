package activities

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// The activities of ReportWorkflow (R13.3, R14).

// Signaler sends a signal to a workflow; client.Client is one. Enter uses
// it to tell a report that the correcting base document was entered.
type Signaler interface {
	SignalWorkflow(ctx context.Context, workflowID, runID, signalName string, arg any) error
}

// defaultReviewDays is R14.2's correction deadline.
const defaultReviewDays = 10

func certKey(t wf.ReportTarget) documents.CertificateKey {
	return documents.CertificateKey{Type: documents.CertificateType(t.Type), Number: t.Number}
}

// CloseForReview closes public access to the reported record at once
// (R14.1): the marker goes on it unless another report holds it already.
// It answers who submitted the record, the addressee of the inquiry.
func (a *Activities) CloseForReview(ctx context.Context, in wf.CloseInput) (wf.CloseResult, error) {
	rec, err := a.Store.Certificate(ctx, certKey(in.Target))
	if errors.Is(err, store.ErrNotFound) {
		return wf.CloseResult{Found: false}, nil
	}
	if err != nil {
		return wf.CloseResult{}, err
	}
	held, err := a.Store.CloseForReview(ctx, store.CertificateReviewKey(certKey(in.Target)), in.ReportID, in.At)
	if err != nil {
		return wf.CloseResult{}, err
	}
	return wf.CloseResult{Found: true, HeldBy: held, Owner: a.owner(ctx, rec)}, nil
}

// owner is who submitted a certificate: the awarding body, reached at the
// contact address of its register record.
func (a *Activities) owner(ctx context.Context, rec store.Record[documents.Certificate]) wf.RecordOwner {
	o := wf.RecordOwner{
		Submission: rec.Submission,
		Submitter:  wf.Submitter{Organisation: rec.Data.Issuer},
		Document: wf.Summary{Kind: string(rec.Document.Kind), Number: rec.Document.Number,
			DecisionDate: rec.Document.Date.String(), Title: rec.Document.Title, Records: 1},
	}
	if o.Document.Number == "" {
		// A record entered without a base document's reference (seeded or
		// migrated): the letter names its register entry instead.
		o.Document = wf.Summary{Kind: "kutseregistri kanne", Number: rec.EntryNumber,
			DecisionDate: documents.DateOf(rec.EnteredAt).String(), Records: 1}
	}
	if sub, err := a.Store.Submission(ctx, rec.Submission); err == nil {
		o.Submitter.Name = sub.SubmitterName
		o.Submitter.Organisation = sub.Organisation
	}
	if b, err := a.Store.Register().AwardingBody(ctx, rec.Data.Issuer); err == nil {
		o.Submitter.Email = b.Contacts.Email
		if o.Submitter.Name == "" {
			o.Submitter.Name = b.Name
		}
	}
	return o
}

// Reopen opens access again: removes the marker this report holds.
func (a *Activities) Reopen(ctx context.Context, in wf.ReopenInput) error {
	return a.Store.Reopen(ctx, store.CertificateReviewKey(certKey(in.Target)), in.ReportID)
}

// ReviewDeadline is the report + 10 working days (R14.2), with reminders
// to clerks before it and the escalation when it passes.
func (a *Activities) ReviewDeadline(_ context.Context, in wf.ReviewDeadlineInput) (wf.ReviewDeadlineResult, error) {
	days := a.Periods.Review
	if days <= 0 {
		days = defaultReviewDays
	}
	d := a.Calendar.AddWorkingDays(in.ReportedAt, days)
	return wf.ReviewDeadlineResult{Deadline: d, Alarms: a.alarms(d)}, nil
}

// RecordReport writes the report's row and one processing-log entry (R17)
// under the base document that entered the record, so that the log of that
// submission, and the person's view of it (R16.3), show the report.
func (a *Activities) RecordReport(ctx context.Context, in wf.RecordReportInput) error {
	st := in.State
	if err := a.Store.PutReport(ctx, ReportRow(st, in.Step, in.At)); err != nil {
		return err
	}
	sub := st.Owner.Submission
	if sub == "" {
		sub = wf.ReportRef(st.ReportID)
	}
	_, err := a.Audit.Append(ctx, audit.Entry{
		Key:              fmt.Sprintf("%s/%d", wf.ReportWorkflowID(st.ReportID), in.Step),
		SubmissionID:     sub,
		SubmitterName:    st.Owner.Submitter.Name,
		DocumentKind:     st.Owner.Document.Kind,
		DocumentKindName: kindName(st.Owner.Document.Kind),
		DocumentNumber:   st.Owner.Document.Number,
		DocumentDate:     st.Owner.Document.DecisionDate,
		Actor:            in.Actor,
		Action:           in.Action,
		Detail:           fmt.Sprintf("report %s: %s", st.ReportID, in.Detail),
		Time:             in.At,
	})
	if errors.Is(err, audit.ErrInvalid) || errors.Is(err, audit.ErrCorrupt) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "invalid-log-entry", err)
	}
	return err
}

// ReportRow is a report's state as the read model's row.
func ReportRow(st wf.ReportState, step int, at time.Time) store.Report {
	r := store.Report{
		ID: st.ReportID, Status: string(st.Status), Open: !st.Status.Final(),
		CertType: st.Target.Type, CertNumber: st.Target.Number,
		ReporterRole: string(st.Reporter.Role), ReporterName: st.Reporter.Name, Reason: st.Reason,
		ReportedAt: st.ReportedAt.UTC(), Submission: st.Owner.Submission, Organisation: st.Owner.Submitter.Organisation,
		Deadline: st.Deadline.UTC(), Escalated: st.Escalated, JoinedReport: st.JoinedReport,
		ReopenedAt: st.ReopenedAt.UTC(), ReporterTold: string(st.ReporterTold), Step: step, UpdatedAt: at.UTC(),
	}
	if st.Status == "" {
		r.Open = true
	}
	if st.Resolution != nil {
		r.Resolution, r.ResolutionNote = string(st.Resolution.Action), st.Resolution.Reason
	}
	if st.Correction != nil {
		r.Correction = st.Correction.Submission
	}
	return r
}

var reporterET = map[wf.ReporterRole]string{
	wf.ReporterPerson:    "isik, keda andmed puudutavad",
	wf.ReporterPublic:    "andmete kasutaja",
	wf.ReporterSubmitter: "andmete esitaja",
	wf.ReporterClerk:     "menetleja",
}

// SendInquiry renders the written inquiry to the submitter (R13.3) and
// stores it under the report's reference; DeliverNotice e-mails it.
func (a *Activities) SendInquiry(ctx context.Context, in wf.InquiryInput) error {
	defer heartbeatWhileRunning(ctx)()
	st := in.State
	ref := wf.ReportRef(st.ReportID)
	if _, err := a.Store.Notice(ctx, ref, in.Seq); err == nil {
		return nil // stored by an earlier attempt
	}
	date, _ := time.ParseInLocation("2006-01-02", st.Owner.Document.DecisionDate, a.Calendar.Location())
	letterRef, err := a.Store.LetterReference(ctx, ref, in.At.In(a.Calendar.Location()).Year())
	if err != nil {
		return err
	}
	h := notices.Header{
		SubmissionID: ref, Reference: letterRef, Date: in.At,
		Addressee: notices.Addressee{
			Organisation: a.organisationName(ctx, st.Owner.Submitter.Organisation),
			Contact:      st.Owner.Submitter.Name, Email: st.Owner.Submitter.Email,
		},
		BaseDocument: notices.BaseDocument{Kind: st.Owner.Document.Kind, Number: st.Owner.Document.Number,
			Date: date, Title: st.Owner.Document.Title},
	}
	if st.Owner.Submitter.Organisation != documents.Kutsekoda {
		h.Addressee.RegistryCode = st.Owner.Submitter.Organisation
	}
	kind := "kutsetunnistus"
	switch st.Target.Type {
	case 2:
		kind = "osakutsetunnistus"
	case 3:
		kind = "esmane kutse"
	}
	n := notices.Inquiry{Header: h, Record: kind + " " + st.Target.Number, ReportedBy: reporterET[st.Reporter.Role],
		Reason: st.Reason, Deadline: st.Deadline}
	pdf, err := a.Notices.Render(n)
	if errors.Is(err, notices.ErrInvalidNotice) {
		return temporal.NewNonRetryableApplicationError("render inquiry: "+err.Error(), "render", err)
	}
	if err != nil {
		return fmt.Errorf("render inquiry: %w", err) // sealing may fail for a while: retried
	}
	id := store.NoticeID(ref, in.Seq)
	blob := "notice-" + id
	if _, _, err := a.Store.PutBlob(ctx, store.BucketDocuments, blob, blob+".pdf", bytes.NewReader(pdf),
		store.BlobMeta{ContentType: "application/pdf", Kind: string(wf.NoticeInquiry), Submission: ref}, in.At); err != nil {
		return err
	}
	rec := store.NoticeRecord{ID: id, SubmissionID: ref, Seq: in.Seq, Type: string(wf.NoticeInquiry), At: in.At.UTC(),
		Blob: blob, To: h.Addressee.Email, Delivery: string(wf.DeliveryPending)}
	if rec.To != "" {
		msg, err := a.Notices.Mail(n, pdf)
		if err != nil {
			return temporal.NewNonRetryableApplicationError("compose inquiry mail: "+err.Error(), "render", err)
		}
		rec.Subject, rec.Body, rec.MessageID = msg.Subject, msg.Body, msg.MessageID
	}
	return a.Store.PutNotice(ctx, rec)
}

// TellReporter e-mails the reporter the outcome, where they gave an
// address and SMTP is configured; the outcome is also in the report's row.
func (a *Activities) TellReporter(ctx context.Context, in wf.TellReporterInput) (wf.DeliverResult, error) {
	st := in.State
	if st.Reporter.Email == "" || a.Mailer == nil {
		return wf.DeliverResult{Delivery: wf.DeliveryNotMailed}, nil
	}
	var et, en string
	switch st.Status {
	case wf.ReportCorrected:
		et, en = "Andmed parandati ja on taas avalikud.", "The data was corrected and is public again."
	case wf.ReportConfirmed:
		reason := ""
		if st.Resolution != nil {
			reason = " Põhjendus: " + st.Resolution.Reason
		}
		et, en = "Menetleja tuvastas, et andmed on õiged; juurdepääs taastati."+reason, "A clerk established that the data was correct; access was reopened."
	case wf.ReportJoined:
		et, en = "Andmete kohta on menetlus juba pooleli (teade "+st.JoinedReport+").", "The data is already under review (report "+st.JoinedReport+")."
	case wf.ReportNotFound:
		et, en = "Selliseid andmeid kutseregistris ei ole.", "No such record is in the register."
	default:
		et, en = "Teade on menetluses.", "The report is under review."
	}
	body := fmt.Sprintf("Teie teade ebaõigete andmete kohta (viide %s, tunnistus %s):\n%s\n\nYour report (reference %s): %s\n",
		wf.ReportRef(st.ReportID), st.Target.Number, et, wf.ReportRef(st.ReportID), en)
	err := a.Mailer.Send(ctx, notices.Message{To: st.Reporter.Email,
		Subject: "Kutseregister: teate " + wf.ReportRef(st.ReportID) + " tulemus", Body: body,
		MessageID: fmt.Sprintf("report-outcome.%s@alusdok", st.ReportID)})
	if err != nil {
		if notices.IsPermanent(err) {
			return wf.DeliverResult{}, temporal.NewNonRetryableApplicationError(err.Error(), permanentMailFailure, err)
		}
		return wf.DeliverResult{}, err
	}
	return wf.DeliverResult{Delivery: wf.DeliverySent}, nil
}

// notifyReports tells the report holding the marker of a record that a
// base document changing it was entered (R14.3).
func (a *Activities) notifyReports(ctx context.Context, plan documents.Plan, in wf.EnterInput, entryNumber string) error {
	if a.Signals == nil {
		return nil
	}
	var keys []documents.CertificateKey
	for _, v := range plan.Versions {
		if v.Kind == documents.KindCertificate && v.Certificate != nil {
			keys = append(keys, v.Certificate.Key())
		}
	}
	for _, c := range plan.Certificates {
		if c.DuplicateOf != "" {
			keys = append(keys, documents.CertificateKey{Type: c.Type, Number: c.DuplicateOf})
		}
	}
	for _, k := range keys {
		m, err := a.Store.UnderReview(ctx, store.CertificateReviewKey(k))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		err = a.Signals.SignalWorkflow(ctx, wf.ReportWorkflowID(m.Report), "", wf.SignalCorrectionEntered,
			wf.CorrectionEntered{Submission: in.SubmissionID, EntryNumber: entryNumber, At: in.At})
		if err != nil && !isNotFoundErr(err) {
			return fmt.Errorf("tell report %s: %w", m.Report, err)
		}
	}
	return nil
}
