package activities

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/rendition"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// permanentMailFailure is the error type the workflow does not retry.
const permanentMailFailure = "permanent-mail-failure"

// SendNotice renders a written notice in Estonian (R12.2–R12.4), stores it
// with the submission, and composes its e-mail. Rendering is deterministic,
// so a retry stores the same bytes under the same id.
func (a *Activities) SendNotice(ctx context.Context, in wf.NoticeInput) error {
	defer heartbeatWhileRunning(ctx)()
	st := subjectOf(in)
	id := store.NoticeID(st.SubmissionID, in.Seq)
	if _, err := a.Store.Notice(ctx, st.SubmissionID, in.Seq); err == nil {
		return nil // stored by an earlier attempt
	}
	defs, err := a.noticeDeficiencies(ctx, in, st)
	if err != nil {
		return err
	}
	n, err := a.notice(ctx, in, st, defs)
	if err != nil {
		return err
	}
	if n, err = a.withReference(ctx, n, st.SubmissionID, in.At); err != nil {
		return err
	}
	pdf, err := a.Notices.Render(n)
	if errors.Is(err, notices.ErrInvalidNotice) {
		return temporal.NewNonRetryableApplicationError("render notice: "+err.Error(), "render", err)
	}
	if err != nil {
		// Sealing can fail for a while (a timestamp authority down): retried.
		return fmt.Errorf("render notice: %w", err)
	}
	blob := "notice-" + id
	// A notice is kept as long as the base document it answers (R4.2).
	date, _ := time.Parse(time.DateOnly, st.Summary.DecisionDate)
	until := a.Retention.Until(st.Summary.Kind, date)
	if _, _, err := a.Store.PutBlob(ctx, store.BucketDocuments, blob, blob+".pdf", bytes.NewReader(pdf),
		store.BlobMeta{ContentType: "application/pdf", Kind: string(in.Type), Submission: st.SubmissionID, RetainUntil: until}, in.At); err != nil {
		return err
	}
	rec := store.NoticeRecord{ID: id, SubmissionID: st.SubmissionID, Seq: in.Seq, Type: string(in.Type), At: in.At.UTC(),
		Blob: blob, To: st.Submitter.Email, Delivery: string(wf.DeliveryPending)}
	if rec.To != "" {
		msg, err := a.Notices.Mail(n, pdf)
		if err != nil {
			return temporal.NewNonRetryableApplicationError("compose notice mail: "+err.Error(), "render", err)
		}
		rec.Subject, rec.Body, rec.MessageID = msg.Subject, msg.Body, msg.MessageID
	}
	return a.Store.PutNotice(ctx, rec)
}

// DeliverNotice e-mails a stored notice with its PDF attached, recording
// every attempt; a permanent refusal (5xx) is not retried.
func (a *Activities) DeliverNotice(ctx context.Context, in wf.DeliverInput) (wf.DeliverResult, error) {
	res, err := a.deliverNotice(ctx, in)
	if a.Deliveries != nil {
		result := string(res.Delivery)
		if err != nil {
			result = string(wf.DeliveryFailed)
		}
		a.Deliveries.WithLabelValues(result).Inc()
	}
	return res, err
}

func (a *Activities) deliverNotice(ctx context.Context, in wf.DeliverInput) (wf.DeliverResult, error) {
	rec, err := a.Store.Notice(ctx, in.SubmissionID, in.Seq)
	if err != nil {
		return wf.DeliverResult{}, permanentIfMissing(err)
	}
	if rec.Delivery == string(wf.DeliverySent) {
		return wf.DeliverResult{Delivery: wf.DeliverySent}, nil
	}
	if rec.To == "" || a.Mailer == nil {
		return wf.DeliverResult{Delivery: wf.DeliveryNotMailed}, a.Store.MarkDelivery(ctx, rec.ID, string(wf.DeliveryNotMailed), 0, "", time.Now())
	}
	pdf, _, err := a.Store.ReadBlob(ctx, store.BucketDocuments, rec.Blob)
	if err != nil {
		return wf.DeliverResult{}, err
	}
	attempt := int(activity.GetInfo(ctx).Attempt)
	err = a.Mailer.Send(ctx, notices.Message{
		To: rec.To, Subject: rec.Subject, Body: rec.Body, MessageID: rec.MessageID,
		Attachment: notices.Attachment{Name: fmt.Sprintf("teade-%s-%d.pdf", rec.SubmissionID, rec.Seq), ContentType: "application/pdf", Data: pdf},
	})
	if err != nil {
		if mErr := a.Store.MarkDelivery(ctx, rec.ID, string(wf.DeliveryFailed), attempt, err.Error(), time.Now()); mErr != nil {
			a.Log.WarnContext(ctx, "record delivery attempt", "error", mErr)
		}
		if notices.IsPermanent(err) {
			return wf.DeliverResult{}, temporal.NewNonRetryableApplicationError(err.Error(), permanentMailFailure, err)
		}
		return wf.DeliverResult{}, err
	}
	return wf.DeliverResult{Delivery: wf.DeliverySent}, a.Store.MarkDelivery(ctx, rec.ID, string(wf.DeliverySent), attempt, "", time.Now())
}

// subjectOf is what a notice says about its submission: the lean input's
// Subject or, for runs before lean histories, the same read from the State.
func subjectOf(in wf.NoticeInput) wf.NoticeSubject {
	if in.Subject != nil {
		return *in.Subject
	}
	st := in.State
	s := wf.NoticeSubject{
		SubmissionID: st.SubmissionID, Submitter: st.Submitter, Summary: st.Summary,
		ExtendedDays: st.Deadlines.ExtendedDays, EntryNumbers: st.EntryNumbers, DecidedAt: st.DecidedAt,
	}
	if len(st.Uploads) > 0 {
		s.Upload = st.Uploads[len(st.Uploads)-1]
	}
	return s
}

// noticeDeficiencies are the deficiencies a notice lists: a correction
// request's (a clerk's list, stored under its ref first so that the read
// model shows it, or validation's, read by ref) and those a refusal
// repeats (R12.4: its reasons).
func (a *Activities) noticeDeficiencies(ctx context.Context, in wf.NoticeInput, st wf.NoticeSubject) (deficiency.List, error) {
	switch in.Type {
	case wf.NoticeCorrectionRequest:
		if in.DeficiencyRef == "" {
			return in.Deficiencies, nil
		}
		defs, err := a.deficiencySet(ctx, in.DeficiencyRef)
		return defs, permanentIfMissing(err)
	case wf.NoticeRefusal:
		if in.Subject == nil {
			return in.State.Deficiencies.Errors(), nil
		}
		if st.DeficiencyRef == "" {
			return nil, nil
		}
		defs, err := a.deficiencySet(ctx, st.DeficiencyRef)
		return defs.Errors(), permanentIfMissing(err)
	}
	return nil, nil
}

// notice builds the letter's content.
func (a *Activities) notice(ctx context.Context, in wf.NoticeInput, st wf.NoticeSubject, defs deficiency.List) (notices.Notice, error) {
	date, _ := time.ParseInLocation("2006-01-02", st.Summary.DecisionDate, a.Calendar.Location())
	h := notices.Header{
		SubmissionID: st.SubmissionID,
		Date:         in.At,
		Addressee: notices.Addressee{
			Organisation: a.organisationName(ctx, st.Submitter.Organisation),
			Contact:      st.Submitter.Name,
			Email:        st.Submitter.Email,
		},
		BaseDocument: notices.BaseDocument{Kind: kindName(st.Summary.Kind), Number: st.Summary.Number, Date: date, Title: st.Summary.Title},
		Clerk:        in.Clerk,
	}
	if h.Clerk == "system" {
		h.Clerk = ""
	}
	if st.Submitter.Organisation != documents.Kutsekoda {
		h.Addressee.RegistryCode = st.Submitter.Organisation
	}
	switch in.Type {
	case wf.NoticeCorrectionRequest:
		return notices.CorrectionRequest{Header: h, Deficiencies: defs, Limit: in.Limit}, nil
	case wf.NoticeExtension:
		return notices.Extension{Header: h, NewDeadline: in.NewDeadline, Reason: in.Reason, TotalWorkingDays: st.ExtendedDays}, nil
	case wf.NoticeRefusal:
		return notices.Refusal{Header: h, Reasons: []string{in.Reason}, Deficiencies: defs}, nil
	case wf.NoticeEntry:
		records, err := a.enteredRecords(ctx, st)
		if err != nil {
			return nil, err
		}
		return notices.Entry{Header: h, EnteredAt: st.DecidedAt, Records: records}, nil
	}
	return nil, temporal.NewNonRetryableApplicationError("unknown notice type "+string(in.Type), "render", nil)
}

// enteredRecords lists what was entered: record kinds and identifiers
// (certificate numbers, never holders' names or codes).
func (a *Activities) enteredRecords(ctx context.Context, st wf.NoticeSubject) ([]notices.EnteredRecord, error) {
	_, raw, err := a.staged(ctx, st.Upload.ID)
	if err != nil {
		return nil, err
	}
	doc, _ := documents.DecodeBytes(raw, a.Validator.Policy().Limits.MaxBytes)
	entry := strings.Join(st.EntryNumbers, ", ")
	if doc == nil {
		return []notices.EnteredRecord{{EntryNumber: entry, Kind: kindName(st.Summary.Kind)}}, nil
	}
	p := doc.Payload
	var out []notices.EnteredRecord
	add := func(kind, id string) {
		out = append(out, notices.EnteredRecord{EntryNumber: entry, Kind: kind, Identifier: id})
	}
	for _, c := range p.Certificates {
		add("kutsetunnistus", c.Number)
	}
	if p.Council != nil {
		add("kutsenõukogu", p.Council.Name)
	}
	if p.Standard != nil {
		add("kutsestandard", fmt.Sprintf("%s (%s)", p.Standard.Title, store.StandardID(p.Standard.Ref())))
	}
	if p.AwardingBody != nil {
		add("kutse andja", p.AwardingBody.Name)
	}
	if p.Procedure != nil {
		add("kutse andmise kord", p.Procedure.Title)
	}
	for _, ch := range p.Changes {
		add("muudatus", string(ch.Target)+" "+ch.TargetID)
	}
	return out, nil
}

func (a *Activities) organisationName(ctx context.Context, org string) string {
	if org == documents.Kutsekoda {
		return "Sihtasutus Kutsekoda"
	}
	if b, err := a.Store.Register().AwardingBody(ctx, org); err == nil && b.Name != "" {
		return b.Name
	}
	return org
}

func kindName(kind string) string {
	if info, ok := documents.Kind(kind).Info(); ok {
		return info.NameET
	}
	return kind
}

// keepDocument gives the original document its retention date (R4.2) and
// stores a stamped rendition for viewing; the original bytes stay untouched
// (R13.2).
func (a *Activities) keepDocument(ctx context.Context, up store.Upload, doc *documents.BaseDocument, in wf.EnterInput, entryNumber string) error {
	retain := a.Retention.Until(string(doc.Kind), doc.Date.Time())
	if err := a.Store.RetainBlob(ctx, store.BucketDocuments, up.DocumentBlob, retain, string(doc.Kind), in.SubmissionID); err != nil {
		return fmt.Errorf("retention of the original: %w", err)
	}
	id := store.RenditionBlobID(in.SubmissionID)
	if _, err := a.Store.StatBlob(ctx, store.BucketDocuments, id); err == nil {
		return nil
	}
	original, _, err := a.Store.ReadBlob(ctx, store.BucketDocuments, up.DocumentBlob)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Kantud registrisse %s, kanne nr %s", in.At.In(a.Calendar.Location()).Format("02.01.2006"), entryNumber)
	stamped, err := rendition.Stamp(original, text, rendition.Options{Pages: rendition.FirstPage})
	if err != nil {
		// A document pdfcpu cannot stamp is still entered; the original is
		// what counts, and viewers fall back to it.
		a.Log.WarnContext(ctx, "stamp rendition", "submission", in.SubmissionID, "error", err)
		return nil
	}
	_, _, err = a.Store.PutBlob(ctx, store.BucketDocuments, id, id+".pdf", bytes.NewReader(stamped),
		store.BlobMeta{ContentType: "application/pdf", Kind: "rendition", Submission: in.SubmissionID, RetainUntil: retain}, in.At)
	return err
}

// withReference gives the letter its human reference ("KR-2026/000123"),
// the same for every notice of the submission: the year of its first
// notice and a number counted per year (Store.LetterReference).
func (a *Activities) withReference(ctx context.Context, n notices.Notice, submission string, at time.Time) (notices.Notice, error) {
	ref, err := a.Store.LetterReference(ctx, submission, at.In(a.Calendar.Location()).Year())
	if err != nil {
		return nil, err
	}
	switch n := n.(type) {
	case notices.CorrectionRequest:
		n.Reference = ref
		return n, nil
	case notices.Extension:
		n.Reference = ref
		return n, nil
	case notices.Entry:
		n.Reference = ref
		return n, nil
	case notices.Refusal:
		n.Reference = ref
		return n, nil
	}
	return n, nil
}
