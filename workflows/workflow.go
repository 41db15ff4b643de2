package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kutsekoda/alusdok/deficiency"
)

// system is the actor of steps no person took (R17).
const system = "system"

// Changes to the workflow's logic that alter the commands a run issues go
// behind workflow.GetVersion, so that runs started before them replay as
// they ran (the recorded histories in testdata prove it).
const (
	// changeSerialRecords: at most one Record activity of a run is in
	// flight, so that the read model is written in step order; before it,
	// a notice's delivery could record alongside the main procedure.
	changeSerialRecords = "serial-records"
	// changeLeanSteps: lean histories and fewer tasks. Deficiencies are
	// stored in MongoDB by the activity that finds them and referenced by
	// id (State.DeficiencyRef); notices take a NoticeSubject, not the
	// State; the read-model and processing-log write (Record) and the
	// working-day arithmetic (Deadlines, CorrectionLimit, Extend) run as
	// local activities, whose inputs never enter the history and which need
	// no activity task of their own.
	changeLeanSteps = "lean-steps"
	// changeAnswerOnEntry: an approval is answered, and the read model
	// says "entered", once the records are in the register; the entry
	// notice follows (before: after the notice).
	changeAnswerOnEntry = "answer-on-entry"
)

// BaseDocumentWorkflow runs the statutory procedure of one received base
// document: validation, corrections (R12.2), review with working-day
// deadlines, reminders and escalation (R12.1), extensions (R12.3), entry
// exactly once or refusal with reasons (R12.4), written notices, and a
// processing-log entry for every step (R17).
func BaseDocumentWorkflow(ctx workflow.Context, in Input) (State, error) {
	p, err := newProcedure(ctx, in)
	if err != nil {
		return State{}, err
	}
	return p.run(ctx)
}

// procedure is the workflow's state; only the workflow's own coroutines
// touch it.
type procedure struct {
	st        State
	step      int     // processing-log steps so far: the idempotency key of Record
	alarms    []Alarm // pending reminders and escalation of the current entry deadline
	decision  *Decision
	corrected *Correction
	withdrawn *Withdrawal
	busy      bool // a decision, correction or withdrawal is being carried out
	mail      workflow.WaitGroup
	// serialRecords: records wait for each other (changeSerialRecords);
	// recording says one is in flight.
	serialRecords bool
	recording     bool
	// lean: changeLeanSteps applies to this run.
	lean bool
}

func newProcedure(ctx workflow.Context, in Input) (*procedure, error) {
	if in.SubmissionID == "" || in.Upload.ID == "" {
		return nil, temporal.NewNonRetryableApplicationError("submission id and upload are required", "invalid-input", nil)
	}
	p := &procedure{
		st: State{
			SubmissionID: in.SubmissionID,
			Status:       StatusReceived,
			Turn:         TurnNone,
			Submitter:    in.Submitter,
			Summary:      in.Summary,
			Uploads:      []Upload{in.Upload},
			ReceivedAt:   in.Upload.ReceivedAt,
		},
		mail:          workflow.NewWaitGroup(ctx),
		serialRecords: workflow.GetVersion(ctx, changeSerialRecords, workflow.DefaultVersion, 1) >= 1,
	}
	p.lean = workflow.GetVersion(ctx, changeLeanSteps, workflow.DefaultVersion, 1) >= 1
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (State, error) { return p.st, nil }); err != nil {
		return nil, fmt.Errorf("register query: %w", err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateDecide, p.onDecide,
		workflow.UpdateHandlerOptions{Validator: p.validateDecision}); err != nil {
		return nil, fmt.Errorf("register update: %w", err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateCorrect, p.onCorrect,
		workflow.UpdateHandlerOptions{Validator: p.validateCorrection}); err != nil {
		return nil, fmt.Errorf("register update: %w", err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateWithdraw, p.onWithdraw,
		workflow.UpdateHandlerOptions{Validator: p.validateWithdrawal}); err != nil {
		return nil, fmt.Errorf("register update: %w", err)
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateSettled, p.onSettled); err != nil {
		return nil, fmt.Errorf("register update: %w", err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateAssign, p.onAssign,
		workflow.UpdateHandlerOptions{Validator: p.validateAssignment}); err != nil {
		return nil, fmt.Errorf("register update: %w", err)
	}
	return p, nil
}

func (p *procedure) run(ctx workflow.Context) (State, error) {
	if err := p.record(ctx, p.st.Submitter.Name, "received", "base document received"); err != nil {
		return p.st, err
	}
	if err := p.validate(ctx, p.st.Uploads[0], true); err != nil {
		return p.st, err
	}
	for !p.st.Status.Final() {
		var err error
		switch p.st.Status {
		case StatusAwaitingCorrections:
			err = p.awaitCorrections(ctx)
		case StatusInReview:
			err = p.review(ctx)
		default:
			err = fmt.Errorf("unexpected status %q", p.st.Status)
		}
		if err != nil {
			return p.st, err
		}
	}
	// Let e-mails and update handlers finish before the workflow closes.
	p.mail.Wait(ctx)
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return p.st, err
	}
	return p.st, nil
}

// validate checks one complete upload and starts its entry clock: the R12.1
// period restarts with every complete submission (R12.2).
func (p *procedure) validate(ctx workflow.Context, up Upload, first bool) error {
	in := ValidateInput{SubmissionID: p.st.SubmissionID, Upload: up, Submitter: p.st.Submitter}
	if p.lean {
		in.DeficiencyRef = p.nextSetRef()
	}
	var vr ValidateResult
	if err := workflow.ExecuteActivity(longCtx(ctx), ActivityValidate, in).Get(ctx, &vr); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	found := listed(vr.Deficiencies)
	if p.lean && len(vr.Deficiencies) == 0 {
		// (An activity worker older than lean histories answers the list
		// itself: then it is kept inline, as before.)
		found = p.stored(in.DeficiencyRef, vr.Errors, vr.Warnings)
	}
	p.st.Summary = vr.Summary
	p.st.ReceivedAt = up.ReceivedAt

	var dl DeadlinesResult
	if err := p.quick(ctx, ActivityDeadlines, DeadlinesInput{
		ReceivedAt: up.ReceivedAt, DecisionDate: vr.Summary.DecisionDate,
	}, &dl); err != nil {
		return fmt.Errorf("deadlines: %w", err)
	}
	p.st.MaxExtensionDays = dl.MaxExtensionDays
	if first {
		// R11.2: lateness is judged on the first receipt, and only marked.
		p.st.Deadlines.LateMark = dl.LateMark
		p.st.Late = dl.Late
	}

	if found.errors > 0 {
		return p.requestCorrections(ctx, found, system)
	}
	p.setDeficiencies(found) // warnings only, for the clerk
	p.st.Deadlines.Entry = dl.Entry
	p.st.Deadlines.CorrectionLimit = time.Time{}
	p.setAlarms(ctx, dl.Alarms)
	p.setStatus(StatusInReview)
	detail := "validated; entry deadline " + dl.Entry.Format(time.RFC3339)
	if found.warnings > 0 {
		detail += fmt.Sprintf("; %d warning(s)", found.warnings)
	}
	return p.record(ctx, system, "validated", detail)
}

// requestCorrections asks the submitter for corrected documents within the
// correction limit and tells them in writing what is wrong (R12.2, R13.3).
func (p *procedure) requestCorrections(ctx workflow.Context, defs deficiencies, actor string) error {
	var cl CorrectionLimitResult
	if err := p.quick(ctx, ActivityCorrectionLimit, CorrectionLimitInput{
		From: workflow.Now(ctx),
	}, &cl); err != nil {
		return fmt.Errorf("correction limit: %w", err)
	}
	p.setDeficiencies(defs)
	p.st.Deadlines.CorrectionLimit = cl.Limit
	p.st.CorrectionLimitPassed = false
	p.alarms = cl.AlarmsAfter // kept for when the limit passes
	p.st.Deadlines.Entry = cl.EntryAfter
	p.setStatus(StatusAwaitingCorrections)
	if err := p.notice(ctx, NoticeInput{Type: NoticeCorrectionRequest, Deficiencies: defs.list, DeficiencyRef: defs.ref,
		Limit: cl.Limit, Clerk: actor}); err != nil {
		return err
	}
	return p.record(ctx, actor, "corrections requested",
		fmt.Sprintf("%d deficiencies; corrections due by %s", defs.errors, cl.Limit.Format(time.RFC3339)))
}

// awaitCorrections waits for corrected documents until the correction limit
// (R12.2); when it passes, the submission goes to a clerk to decide.
func (p *procedure) awaitCorrections(ctx workflow.Context) error {
	wait := p.st.Deadlines.CorrectionLimit.Sub(workflow.Now(ctx))
	arrived := true
	if wait > 0 {
		var err error
		arrived, err = workflow.AwaitWithTimeout(ctx, wait, func() bool { return p.corrected != nil || p.withdrawn != nil })
		if err != nil {
			return err
		}
	} else {
		arrived = p.corrected != nil || p.withdrawn != nil
	}
	switch {
	case p.withdrawn != nil:
		return p.withdraw(ctx)
	case arrived:
		c := p.corrected
		p.st.Uploads = append(p.st.Uploads, c.Upload)
		p.st.CorrectionRounds++
		if err := p.record(ctx, c.By, "corrections received", "corrected documents "+c.Upload.SHA256); err != nil {
			return err
		}
		err := p.validate(ctx, c.Upload, false)
		p.corrected, p.busy = nil, false
		return err
	default:
		p.st.CorrectionLimitPassed = true
		p.st.Deadlines.CorrectionLimit = time.Time{}
		p.setAlarms(ctx, p.alarms)
		p.setStatus(StatusInReview)
		return p.record(ctx, system, "correction limit passed", "no corrected documents; a clerk decides")
	}
}

// review waits for the clerk's decision, sending reminders before the entry
// deadline and escalating when it passes undecided (R12.1).
func (p *procedure) review(ctx workflow.Context) error {
	ready := func() bool { return p.decision != nil || p.withdrawn != nil }
	if len(p.alarms) > 0 {
		next := p.alarms[0]
		wait := next.At.Sub(workflow.Now(ctx))
		decided := ready()
		if !decided && wait > 0 {
			var err error
			decided, err = workflow.AwaitWithTimeout(ctx, wait, ready)
			if err != nil {
				return err
			}
		}
		if !decided {
			p.alarms = p.alarms[1:]
			return p.alarm(ctx, next)
		}
	} else if err := workflow.Await(ctx, ready); err != nil {
		return err
	}
	if p.withdrawn != nil {
		return p.withdraw(ctx)
	}
	d := *p.decision
	err := p.decide(ctx, d)
	p.decision, p.busy = nil, false
	return err
}

func (p *procedure) alarm(ctx workflow.Context, a Alarm) error {
	if err := workflow.ExecuteActivity(shortCtx(ctx), ActivityAlarm, AlarmInput{
		SubmissionID: p.st.SubmissionID, Alarm: a, Deadline: p.st.Deadlines.Entry, Summary: p.st.Summary,
	}).Get(ctx, nil); err != nil {
		return fmt.Errorf("alarm: %w", err)
	}
	if a.Kind == AlarmEscalation {
		p.st.Escalated = true
		return p.record(ctx, system, "escalated", "entry deadline passed undecided: supervisors told")
	}
	p.st.RemindersSent = append(p.st.RemindersSent, a.At)
	return p.record(ctx, system, "reminder", "clerks reminded of the entry deadline "+p.st.Deadlines.Entry.Format(time.RFC3339))
}

// decide carries out a clerk's decision that the validator accepted.
func (p *procedure) decide(ctx workflow.Context, d Decision) error {
	switch d.Action {
	case ActionApprove:
		return p.enter(ctx, d)
	case ActionRefuse:
		p.st.Decision = &d
		p.st.Reason = d.Reason
		p.st.DecidedAt = workflow.Now(ctx)
		p.setStatus(StatusRefused)
		if err := p.notice(ctx, NoticeInput{Type: NoticeRefusal, Reason: d.Reason, Clerk: d.Clerk}); err != nil {
			return err
		}
		return p.record(ctx, d.Clerk, "refused", d.Reason)
	case ActionRequestCorrections:
		defs := listed(d.Deficiencies)
		if p.lean {
			// The clerk's list is in the history once, as this Update's
			// argument; stored by a local activity (whose input is not
			// recorded), everything after refers to it.
			defs.ref = p.nextSetRef()
			if err := workflow.ExecuteLocalActivity(localCtx(ctx), ActivityStoreDeficiencies, StoreDeficienciesInput{
				SubmissionID: p.st.SubmissionID, Ref: defs.ref, List: slices.Clone(d.Deficiencies), At: workflow.Now(ctx),
			}).Get(ctx, nil); err != nil {
				return fmt.Errorf("store deficiencies: %w", err)
			}
			p.st.DeficiencySets++
			defs.list = nil
		}
		return p.requestCorrections(ctx, defs, d.Clerk)
	case ActionExtend:
		return p.extend(ctx, d)
	}
	return fmt.Errorf("unknown action %q", d.Action)
}

// enter writes the register records once (R12.1) and tells the submitter
// (R12.4).
func (p *procedure) enter(ctx workflow.Context, d Decision) error {
	p.setStatus(StatusEntering)
	if err := p.record(ctx, d.Clerk, "approved", "entry approved"); err != nil {
		return err
	}
	var er EnterResult
	last := p.st.Uploads[len(p.st.Uploads)-1]
	in := EnterInput{SubmissionID: p.st.SubmissionID, Upload: last, Submitter: p.st.Submitter, Clerk: d.Clerk, At: workflow.Now(ctx)}
	if p.lean {
		in.ConflictRef = p.nextSetRef()
	}
	if err := workflow.ExecuteActivity(entryCtx(ctx), ActivityEnter, in).Get(ctx, &er); err != nil {
		return fmt.Errorf("enter: %w", err)
	}
	if er.ConflictCount > 0 {
		// As below, with the conflicts stored under the ref.
		p.setDeficiencies(p.stored(in.ConflictRef, er.ConflictCount, 0))
		p.setStatus(StatusInReview)
		return p.record(ctx, system, "entry conflict",
			fmt.Sprintf("nothing entered: %d conflict(s) with the register, first at %s", er.ConflictCount, er.FirstConflict))
	}
	if len(er.Conflicts) > 0 {
		// The register changed since review (a certificate number entered
		// by another decision meanwhile): nothing was entered, and the
		// document goes back to the clerk with the conflict at its field
		// (R13.3), who refuses it or asks for corrections. Runs before
		// this change never got conflicts from Enter (it failed instead),
		// so they replay unchanged without a version marker.
		p.st.Deficiencies = er.Conflicts
		p.setStatus(StatusInReview)
		return p.record(ctx, system, "entry conflict",
			fmt.Sprintf("nothing entered: %d conflict(s) with the register, first at %s", len(er.Conflicts), er.Conflicts[0].Field))
	}
	p.st.Decision = &d
	p.st.EntryNumbers = er.EntryNumbers
	p.st.DecidedAt = workflow.Now(ctx)
	p.setStatus(StatusEntered)
	detail := fmt.Sprintf("%d register records entered as %s", er.Records, strings.Join(er.EntryNumbers, ", "))
	if workflow.GetVersion(ctx, changeAnswerOnEntry, workflow.DefaultVersion, 1) >= 1 {
		// The register holds the records: the read model says so and the
		// clerk's decision is answered now, not after the notice (R12.4),
		// which follows at once — a letter listing 10,000 certificates
		// takes a while to write. The read model lists it once written.
		if err := p.record(ctx, d.Clerk, "entered", detail); err != nil {
			return err
		}
		p.busy = false
		if err := p.notice(ctx, NoticeInput{Type: NoticeEntry, Clerk: d.Clerk}); err != nil {
			return err
		}
		return p.record(ctx, system, "notice written", fmt.Sprintf("notice %d (%s)", len(p.st.Notices), NoticeEntry))
	}
	if err := p.notice(ctx, NoticeInput{Type: NoticeEntry, Clerk: d.Clerk}); err != nil {
		return err
	}
	return p.record(ctx, d.Clerk, "entered", detail)
}

// extend moves the entry deadline (R12.3) and tells the submitter in writing
// with the reason.
func (p *procedure) extend(ctx workflow.Context, d Decision) error {
	var xr ExtendResult
	if err := p.quick(ctx, ActivityExtend, ExtendInput{
		Entry: p.st.Deadlines.Entry, WorkingDays: d.WorkingDays,
	}, &xr); err != nil {
		return fmt.Errorf("extend: %w", err)
	}
	p.st.Deadlines.Entry = xr.Entry
	p.st.Deadlines.ExtendedDays += d.WorkingDays
	p.st.Escalated = false
	p.st.Extensions = append(p.st.Extensions, Extension{
		WorkingDays: d.WorkingDays, Reason: d.Reason, NewDeadline: xr.Entry, Clerk: d.Clerk, At: workflow.Now(ctx),
	})
	p.setAlarms(ctx, xr.Alarms)
	if err := p.notice(ctx, NoticeInput{Type: NoticeExtension, Reason: d.Reason, NewDeadline: xr.Entry, Clerk: d.Clerk}); err != nil {
		return err
	}
	return p.record(ctx, d.Clerk, "extended",
		fmt.Sprintf("entry deadline extended by %d working days to %s: %s", d.WorkingDays, xr.Entry.Format(time.RFC3339), d.Reason))
}

func (p *procedure) withdraw(ctx workflow.Context) error {
	w := *p.withdrawn
	p.st.Reason = w.Reason
	p.st.DecidedAt = workflow.Now(ctx)
	p.alarms = nil
	p.setStatus(StatusWithdrawn)
	err := p.record(ctx, w.By, "withdrawn", w.Reason)
	p.withdrawn, p.busy = nil, false
	return err
}

// notice stores a written notice and, where the submitter has an address,
// e-mails it in the background with its own retries.
func (p *procedure) notice(ctx workflow.Context, in NoticeInput) error {
	in.Seq = len(p.st.Notices) + 1
	in.At = workflow.Now(ctx)
	if p.lean {
		in.Subject = &NoticeSubject{
			SubmissionID: p.st.SubmissionID, Submitter: p.st.Submitter, Summary: p.st.Summary,
			Upload: p.st.Uploads[len(p.st.Uploads)-1], ExtendedDays: p.st.Deadlines.ExtendedDays,
			EntryNumbers: p.st.EntryNumbers, DecidedAt: p.st.DecidedAt, DeficiencyRef: p.st.DeficiencyRef,
		}
	} else {
		in.State = p.st
	}
	if err := workflow.ExecuteActivity(longCtx(ctx), ActivitySendNotice, in).Get(ctx, nil); err != nil {
		return fmt.Errorf("notice: %w", err)
	}
	idx := len(p.st.Notices)
	p.st.Notices = append(p.st.Notices, Notice{Seq: in.Seq, Type: in.Type, At: in.At, Delivery: DeliveryPending})
	p.mail.Add(1)
	workflow.Go(ctx, func(gctx workflow.Context) {
		defer p.mail.Done()
		var dr DeliverResult
		err := workflow.ExecuteActivity(mailCtx(gctx), ActivityDeliverNotice, DeliverInput{
			SubmissionID: p.st.SubmissionID, Seq: in.Seq, To: p.st.Submitter.Email,
		}).Get(gctx, &dr)
		action, detail := "notice mailed", fmt.Sprintf("notice %d (%s)", in.Seq, in.Type)
		switch {
		case err != nil:
			p.st.Notices[idx].Delivery = DeliveryFailed
			action = "notice mail failed"
			workflow.GetLogger(gctx).Warn("notice delivery failed", "seq", in.Seq, "error", err)
		default:
			p.st.Notices[idx].Delivery = dr.Delivery
			if dr.Delivery != DeliverySent {
				action = "notice not mailed"
			}
		}
		if err := p.record(gctx, system, action, detail); err != nil {
			workflow.GetLogger(gctx).Error("record notice delivery", "error", err)
		}
	})
	return nil
}

// record writes the read model and one processing-log entry (R17). Each
// record carries the next step; they run one at a time, so the read model
// receives them in step order.
func (p *procedure) record(ctx workflow.Context, actor, action, detail string) error {
	if p.serialRecords {
		if err := workflow.Await(ctx, func() bool { return !p.recording }); err != nil {
			return err
		}
		p.recording = true
		defer func() { p.recording = false }()
	}
	p.step++
	if actor == "" {
		actor = system
	}
	in := RecordInput{Step: p.step, State: p.st, Actor: actor, Action: action, Detail: detail, At: workflow.Now(ctx)}
	var err error
	if p.lean {
		// A local activity gets its input as it is, not a serialised
		// copy: it must not share slices the workflow goes on changing.
		in.State = in.State.clone()
		err = workflow.ExecuteLocalActivity(localCtx(ctx), ActivityRecord, in).Get(ctx, nil)
	} else {
		err = workflow.ExecuteActivity(shortCtx(ctx), ActivityRecord, in).Get(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

func (p *procedure) setStatus(s Status) {
	p.st.Status = s
	switch s {
	case StatusInReview:
		p.st.Turn = TurnClerk
	case StatusAwaitingCorrections:
		p.st.Turn = TurnSubmitter
	default:
		p.st.Turn = TurnNone
	}
}

// setAlarms keeps the alarms that are still ahead, in time order.
func (p *procedure) setAlarms(ctx workflow.Context, alarms []Alarm) {
	now := workflow.Now(ctx)
	p.alarms = p.alarms[:0:0]
	for _, a := range alarms {
		if a.At.After(now) || a.Kind == AlarmEscalation {
			p.alarms = append(p.alarms, a)
		}
	}
}

// quick runs a short computation (working-day arithmetic): a local
// activity in lean runs, an activity before.
func (p *procedure) quick(ctx workflow.Context, name string, in, out any) error {
	if p.lean {
		return workflow.ExecuteLocalActivity(localCtx(ctx), name, in).Get(ctx, out)
	}
	return workflow.ExecuteActivity(shortCtx(ctx), name, in).Get(ctx, out)
}

// deficiencies is a set of deficiencies as the workflow holds it: the list
// itself (runs before lean histories, and a clerk's list on its way to
// being stored), or a reference to it in MongoDB, with its counts.
type deficiencies struct {
	list             deficiency.List
	ref              string
	errors, warnings int
}

func listed(l deficiency.List) deficiencies {
	e := len(l.Errors())
	return deficiencies{list: l, errors: e, warnings: len(l) - e}
}

// nextSetRef is where the next set of deficiencies is stored.
func (p *procedure) nextSetRef() string {
	return DeficiencySetRef(p.st.SubmissionID, p.st.DeficiencySets+1)
}

// stored is the set an activity stored under ref: none when it found
// nothing, so that the ref is used again for the next set.
func (p *procedure) stored(ref string, errors, warnings int) deficiencies {
	if errors+warnings == 0 {
		return deficiencies{}
	}
	p.st.DeficiencySets++
	return deficiencies{ref: ref, errors: errors, warnings: warnings}
}

func (p *procedure) setDeficiencies(d deficiencies) {
	p.st.Deficiencies = d.list // inline: runs before lean histories, or an older activity's answer
	if p.lean {
		p.st.DeficiencyRef, p.st.DeficiencyErrors, p.st.DeficiencyWarnings = d.ref, d.errors, d.warnings
	}
}

// Update handlers. Each waits until the main loop has carried out what it
// accepted, so that the caller learns the outcome.

// onSettled answers the State once the first validation is done: the
// submit path's Update-with-Start, so that the receipt carries the
// deadlines without polling.
func (p *procedure) onSettled(ctx workflow.Context) (State, error) {
	if err := workflow.Await(ctx, func() bool { return p.st.Status != StatusReceived }); err != nil {
		return State{}, err
	}
	return p.st, nil
}

func (p *procedure) onDecide(ctx workflow.Context, d Decision) (DecisionResult, error) {
	p.decision, p.busy = &d, true
	if err := workflow.Await(ctx, func() bool { return !p.busy }); err != nil {
		return DecisionResult{}, err
	}
	return DecisionResult{Status: p.st.Status}, nil
}

func (p *procedure) onCorrect(ctx workflow.Context, c Correction) (DecisionResult, error) {
	p.corrected, p.busy = &c, true
	if err := workflow.Await(ctx, func() bool { return !p.busy }); err != nil {
		return DecisionResult{}, err
	}
	return DecisionResult{Status: p.st.Status}, nil
}

func (p *procedure) onWithdraw(ctx workflow.Context, w Withdrawal) (DecisionResult, error) {
	p.withdrawn, p.busy = &w, true
	if err := workflow.Await(ctx, func() bool { return !p.busy }); err != nil {
		return DecisionResult{}, err
	}
	return DecisionResult{Status: p.st.Status}, nil
}

// onAssign gives the submission to a clerk: claimed by themself, or handed
// to a substitute. It changes nothing of the procedure but whose it is.
func (p *procedure) onAssign(ctx workflow.Context, a Assignment) (DecisionResult, error) {
	p.st.Assignee = a.Assignee
	action, detail := "assigned", "assigned to "+a.Assignee
	if a.Assignee == a.By {
		action, detail = "claimed", "claimed by "+a.By
	}
	if err := p.record(ctx, a.By, action, detail); err != nil {
		return DecisionResult{}, err
	}
	return DecisionResult{Status: p.st.Status}, nil
}

// Validators: an invalid message is refused before it enters history, and
// the API answers 422 with the reason.

// ErrNotNow and friends are the validators' refusals.
var (
	ErrNotNow          = errors.New("not possible in the submission's present status")
	ErrReasonRequired  = errors.New("a reason is required")
	ErrClerkRequired   = errors.New("the clerk's name is required")
	ErrDeficiencies    = errors.New("a list of deficiencies is required")
	ErrWorkingDays     = errors.New("working days must be at least 1")
	ErrExtensionLimit  = errors.New("extensions together may not exceed the limit")
	ErrUnknownAction   = errors.New("unknown action")
	ErrUnresolved      = errors.New("the document has unresolved deficiencies: refuse it or request corrections")
	ErrUploadRequired  = errors.New("the corrected documents are required")
	ErrWithdrawerNamed = errors.New("who withdraws must be named")
	ErrAssigneeNamed   = errors.New("the clerk to assign must be named")
)

func (p *procedure) validateDecision(d Decision) error {
	if p.st.Status != StatusInReview || p.busy {
		return fmt.Errorf("decision: %w (%s)", ErrNotNow, p.st.Status)
	}
	if strings.TrimSpace(d.Clerk) == "" {
		return ErrClerkRequired
	}
	switch d.Action {
	case ActionApprove:
		if p.st.HasErrors() {
			return ErrUnresolved
		}
	case ActionRefuse: // R12.4: a refusal gives its reasons
		if strings.TrimSpace(d.Reason) == "" {
			return fmt.Errorf("refuse: %w (R12.4)", ErrReasonRequired)
		}
	case ActionRequestCorrections:
		if len(d.Deficiencies.Errors()) == 0 {
			return fmt.Errorf("request-corrections: %w", ErrDeficiencies)
		}
	case ActionExtend: // R12.3: at most 20 working days in all, with a reason
		if d.WorkingDays < 1 {
			return fmt.Errorf("extend: %w", ErrWorkingDays)
		}
		if strings.TrimSpace(d.Reason) == "" {
			return fmt.Errorf("extend: %w (R12.3)", ErrReasonRequired)
		}
		if total := p.st.Deadlines.ExtendedDays + d.WorkingDays; total > p.st.MaxExtensionDays {
			return fmt.Errorf("extend: %w: %d working days already, %d more would make %d, the limit is %d (R12.3)",
				ErrExtensionLimit, p.st.Deadlines.ExtendedDays, d.WorkingDays, total, p.st.MaxExtensionDays)
		}
	default:
		return fmt.Errorf("%w %q", ErrUnknownAction, d.Action)
	}
	return nil
}

func (p *procedure) validateCorrection(c Correction) error {
	if p.st.Status != StatusAwaitingCorrections || p.busy {
		return fmt.Errorf("corrections: %w (%s)", ErrNotNow, p.st.Status)
	}
	if c.Upload.ID == "" {
		return ErrUploadRequired
	}
	return nil
}

func (p *procedure) validateAssignment(a Assignment) error {
	if p.st.Status.Final() {
		return fmt.Errorf("assign: %w (%s)", ErrNotNow, p.st.Status)
	}
	if strings.TrimSpace(a.By) == "" {
		return ErrClerkRequired
	}
	if strings.TrimSpace(a.Assignee) == "" {
		return ErrAssigneeNamed
	}
	return nil
}

func (p *procedure) validateWithdrawal(w Withdrawal) error {
	if p.st.Status.Final() || p.st.Status == StatusEntering || p.busy {
		return fmt.Errorf("withdraw: %w (%s)", ErrNotNow, p.st.Status)
	}
	if strings.TrimSpace(w.By) == "" {
		return ErrWithdrawerNamed
	}
	return nil
}

// Activity options.

func shortCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		},
	})
}

// longCtx is for validation and notices: a 10,000-certificate decision takes
// a while to check and to list. They heartbeat while they work, so that a
// worker that stops or dies is noticed within the heartbeat timeout and
// another takes the activity over, not only after the start-to-close one.
func longCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		},
	})
}

// entryCtx is for the entry: it heartbeats its progress, so a worker that
// dies mid-entry is noticed within the heartbeat timeout and the retry
// resumes from the last progress it reported; its writes are idempotent,
// so what the dead worker wrote is not written twice.
func entryCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		},
	})
}

// localCtx is for the local activities: the read-model and processing-log
// write and the working-day arithmetic, retried within the workflow task
// while MongoDB is unreachable.
func localCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		},
	})
}

// mailCtx retries SMTP for about a day before the notice is marked failed
// (it stays in the portal either way).
func mailCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 30 * time.Second, BackoffCoefficient: 2, MaximumInterval: 2 * time.Hour,
			MaximumAttempts: 12, NonRetryableErrorTypes: []string{"permanent-mail-failure"},
		},
	})
}
