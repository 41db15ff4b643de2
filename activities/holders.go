package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// holderEvent is one certificate whose holder is told of one event.
type holderEvent struct {
	key      documents.CertificateKey
	event    wf.HolderEvent
	original string
}

// holderEvents lists the holder notices an entered document causes:
// certificates entered (a duplicate as such) and certificates closed.
func holderEvents(doc *documents.BaseDocument) []holderEvent {
	var out []holderEvent
	for _, c := range doc.Payload.Certificates {
		ev := holderEvent{key: c.Key(), event: wf.HolderEntered}
		if c.DuplicateOf != "" {
			ev.event, ev.original = wf.HolderDuplicate, c.DuplicateOf
		}
		out = append(out, ev)
	}
	for _, ch := range doc.Payload.Changes {
		if ch.Target == documents.RecordCertificate && ch.Action == documents.ActionClose {
			typ := ch.CertificateType
			if typ == 0 {
				typ = documents.OccupationalCertificate
			}
			out = append(out, holderEvent{key: documents.CertificateKey{Type: typ, Number: ch.TargetID}, event: wf.HolderInvalidated})
		}
	}
	return out
}

// mailsHolders reports whether holders can be e-mailed at all: an address
// template and an SMTP server are configured.
func (a *Activities) mailsHolders() bool { return a.HolderAddress != "" && a.Mailer != nil }

// startHolderNotices starts the holder-notice workflow of an entry that
// concerns certificates. Its workflow ID is the submission's, and a second
// start (a retried Enter) is refused by Temporal: one workflow per entry.
func (a *Activities) startHolderNotices(ctx context.Context, doc *documents.BaseDocument, submission string) error {
	if a.Temporal == nil || !a.mailsHolders() || len(holderEvents(doc)) == 0 {
		return nil // nothing could be sent: no workflow, no claims
	}
	queue := a.TaskQueue
	if queue == "" {
		queue = wf.TaskQueue
	}
	_, err := a.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                                       wf.HolderNoticesWorkflowID(submission),
		TaskQueue:                                queue,
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy:                 enums.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, wf.HolderNoticesWorkflow, wf.HolderNoticesInput{SubmissionID: submission})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start holder notices: %w", err)
	}
	return nil
}

// HolderNotices tells the holders of the certificates one entered
// submission wrote, duplicated or closed, each once.
func (a *Activities) HolderNotices(ctx context.Context, in wf.HolderNoticesInput) (wf.HolderNoticesResult, error) {
	var res wf.HolderNoticesResult
	if !a.mailsHolders() {
		return res, nil
	}
	sub, err := a.Store.Submission(ctx, in.SubmissionID)
	if err != nil {
		return res, permanentIfMissing(err)
	}
	if len(sub.Uploads) == 0 {
		return res, nil
	}
	up, err := a.Store.Upload(ctx, sub.Uploads[len(sub.Uploads)-1].ID)
	if err != nil {
		return res, permanentIfMissing(err)
	}
	raw, err := a.Store.UploadMetadata(ctx, up)
	if err != nil {
		return res, permanentIfMissing(err)
	}
	doc, _ := documents.DecodeBytes(raw, a.Validator.Policy().Limits.MaxBytes)
	if doc == nil {
		return res, nil
	}
	for i, ev := range holderEvents(doc) {
		activity.RecordHeartbeat(ctx, i)
		id := store.CertificateID(ev.key) + "/" + string(ev.event)
		if err := a.tellHolder(ctx, id, ev, in.SubmissionID, &res); err != nil {
			return res, err
		}
	}
	a.Log.InfoContext(ctx, "holder notices", "submission", in.SubmissionID, "sent", res.Sent, "already", res.Already, "notMailed", res.NotMailed, "failed", res.Failed)
	return res, nil
}

// ExpiryNotices tells the holders of certificates valid today that expire
// within in.Months: each certificate once per expiry date.
func (a *Activities) ExpiryNotices(ctx context.Context, in wf.ExpiryNoticesInput) (wf.HolderNoticesResult, error) {
	var res wf.HolderNoticesResult
	if !a.mailsHolders() {
		// Nothing could be sent: claim nothing, so that the notices go out
		// once mail is configured.
		return res, nil
	}
	today := documents.DateOf(in.Now)
	horizon := documents.DateOf(in.Now.In(documents.Tallinn()).AddDate(0, in.Months, 0))
	var due []documents.Certificate
	err := a.Store.EachCertificate(ctx, func(r store.Record[documents.Certificate]) error {
		c := r.Data
		if !c.ValidUntil.IsZero() && c.ValidOn(today) && !c.ValidUntil.After(horizon) {
			due = append(due, c)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	for i, c := range due {
		activity.RecordHeartbeat(ctx, i)
		id := store.CertificateID(c.Key()) + "/" + string(wf.HolderExpiring) + "/" + c.ValidUntil.String()
		if err := a.tellHolder(ctx, id, holderEvent{key: c.Key(), event: wf.HolderExpiring}, "", &res); err != nil {
			return res, err
		}
	}
	a.Log.InfoContext(ctx, "expiry notices", "due", len(due), "sent", res.Sent, "already", res.Already, "notMailed", res.NotMailed, "failed", res.Failed)
	return res, nil
}

// tellHolder sends one notice unless its claim says it was dealt with. A
// claim left pending by a crash is sent again (the same Message-ID): at
// least once, and once as far as the claim can tell. The address is made
// here from the certificate's personal code and is never logged.
func (a *Activities) tellHolder(ctx context.Context, id string, ev holderEvent, submission string, res *wf.HolderNoticesResult) error {
	rec, err := a.Store.Certificate(ctx, ev.key)
	if errors.Is(err, store.ErrNotFound) {
		return nil // removed meanwhile
	}
	if err != nil {
		return err
	}
	c := rec.Data
	person := ""
	if c.PersonalCode != "" {
		person = store.PersonKey(c.PersonalCode)
	}
	now := time.Now()
	claim, _, err := a.Store.ClaimHolderNotice(ctx, store.HolderNotice{ID: id, Certificate: rec.ID, Event: string(ev.event),
		Person: person, Submission: submission, ClaimedAt: now})
	if err != nil {
		return err
	}
	if claim.State != store.HolderPending {
		res.Already++
		return nil
	}
	mark := func(state string, attempts int, lastErr string) error {
		return a.Store.MarkHolderNotice(ctx, id, state, attempts, lastErr, time.Now())
	}
	if c.PersonalCode == "" || a.HolderAddress == "" || a.Mailer == nil {
		res.NotMailed++
		return mark(store.HolderNotMailed, 0, "")
	}
	on, err := a.Store.HolderNoticesOn(ctx, person)
	if err != nil {
		return err
	}
	if !on {
		res.NotMailed++
		return mark(store.HolderOptedOut, 0, "")
	}
	n := notices.HolderNotice{Event: notices.HolderEvent(ev.event), Key: id, Number: c.Number, Original: ev.original,
		Issuer: a.organisationName(ctx, c.Issuer)}
	if std, err := a.Store.Register().Standard(ctx, c.Standard); err == nil && std.Title != "" {
		n.Qualification = std.Title
	}
	if !c.ValidUntil.IsZero() {
		n.ValidUntil = c.ValidUntil.Time().Format("02.01.2006")
	}
	to := strings.ReplaceAll(a.HolderAddress, "{personalCode}", c.PersonalCode)
	attempt := claim.Attempts + 1
	if err := a.Mailer.Send(ctx, notices.HolderMessage(to, n)); err != nil {
		// The error may quote the address: record and log only its class.
		if notices.IsPermanent(err) {
			res.Failed++
			a.Log.WarnContext(ctx, "holder notice refused", "notice", id)
			return mark(store.HolderFailed, attempt, "refused by the mail server")
		}
		if mErr := mark(store.HolderPending, attempt, "mail server unreachable or busy"); mErr != nil {
			a.Log.WarnContext(ctx, "record holder notice attempt", "notice", id, "error", mErr)
		}
		return fmt.Errorf("holder notice %s: mail not sent", id)
	}
	res.Sent++
	return mark(store.HolderSent, attempt, "")
}
