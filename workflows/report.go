package workflows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// ReportWorkflow runs one report that register data is wrong: access to the
// record is closed at once (R14.1), the submitter gets a written inquiry
// (R13.3), the correction deadline of 10 working days is held with reminders
// to clerks and an escalation to supervisors when it passes (R14.2), and the
// report ends when the submitter's correcting base document is entered
// (R14.3) or a clerk establishes that the data was correct; then access is
// reopened and the reporter told. Every step is in the processing log (R17).
func ReportWorkflow(ctx workflow.Context, in ReportInput) (ReportState, error) {
	r, err := newReview(ctx, in)
	if err != nil {
		return ReportState{}, err
	}
	return r.run(ctx)
}

// review is ReportWorkflow's state.
type review struct {
	st         ReportState
	step       int
	alarms     []Alarm
	correction *CorrectionEntered
	resolution *Resolution
	busy       bool
	recording  bool
	mail       workflow.WaitGroup
}

func newReview(ctx workflow.Context, in ReportInput) (*review, error) {
	if in.ReportID == "" || in.Target.Number == "" || in.Target.Type < 1 || in.Target.Type > 3 {
		return nil, temporal.NewNonRetryableApplicationError("report id and a certificate (type and number) are required", "invalid-input", nil)
	}
	r := &review{
		st: ReportState{ReportID: in.ReportID, Target: in.Target, Reporter: in.Reporter, Reason: in.Reason,
			ReportedAt: in.ReportedAt},
		mail: workflow.NewWaitGroup(ctx),
	}
	if r.st.Target.Record == "" {
		r.st.Target.Record = "certificate"
	}
	if err := workflow.SetQueryHandler(ctx, QueryReport, func() (ReportState, error) { return r.st, nil }); err != nil {
		return nil, fmt.Errorf("register query: %w", err)
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateResolve, r.onResolve,
		workflow.UpdateHandlerOptions{Validator: r.validateResolution}); err != nil {
		return nil, fmt.Errorf("register update: %w", err)
	}
	ch := workflow.GetSignalChannel(ctx, SignalCorrectionEntered)
	workflow.Go(ctx, func(gctx workflow.Context) {
		for {
			var c CorrectionEntered
			ch.Receive(gctx, &c)
			if r.correction == nil && !r.st.Status.Final() {
				r.correction = &c
			}
		}
	})
	return r, nil
}

func (r *review) run(ctx workflow.Context) (ReportState, error) {
	// R14.1: closed at once, before anything else.
	var cr CloseResult
	if err := workflow.ExecuteActivity(shortCtx(ctx), ActivityCloseForReview, CloseInput{
		ReportID: r.st.ReportID, Target: r.st.Target, At: workflow.Now(ctx),
	}).Get(ctx, &cr); err != nil {
		return r.st, fmt.Errorf("close for review: %w", err)
	}
	r.st.Owner = cr.Owner
	who := r.reporterName()
	switch {
	case !cr.Found:
		r.st.Status = ReportNotFound
		if err := r.record(ctx, who, "report: record not found", r.target()+" is not in the register"); err != nil {
			return r.st, err
		}
		return r.finish(ctx)
	case cr.HeldBy != r.st.ReportID:
		r.st.Status = ReportJoined
		r.st.JoinedReport = cr.HeldBy
		if err := r.record(ctx, who, "report joined", r.target()+" is already under review in report "+cr.HeldBy); err != nil {
			return r.st, err
		}
		return r.finish(ctx)
	}
	r.st.Status = ReportUnderReview
	r.st.ClosedAt = workflow.Now(ctx)
	if err := r.record(ctx, who, "closed for review",
		fmt.Sprintf("%s reported wrong by %s; public access closed (R14.1): %s", r.target(), r.st.Reporter.Role, r.st.Reason)); err != nil {
		return r.st, err
	}

	var dl ReviewDeadlineResult
	if err := workflow.ExecuteActivity(shortCtx(ctx), ActivityReviewDeadline, ReviewDeadlineInput{
		ReportedAt: r.st.ReportedAt,
	}).Get(ctx, &dl); err != nil {
		return r.st, fmt.Errorf("review deadline: %w", err)
	}
	r.st.Deadline = dl.Deadline
	now := workflow.Now(ctx)
	for _, a := range dl.Alarms {
		if a.At.After(now) || a.Kind == AlarmEscalation {
			r.alarms = append(r.alarms, a)
		}
	}

	// R13.3: the written inquiry to the submitter.
	if err := r.inquiry(ctx); err != nil {
		return r.st, err
	}

	for !r.st.Status.Final() {
		if err := r.wait(ctx); err != nil {
			return r.st, err
		}
	}
	return r.finish(ctx)
}

// wait waits for the correction or the clerk's resolution, firing the next
// reminder or the escalation when its time comes first.
func (r *review) wait(ctx workflow.Context) error {
	ready := func() bool { return r.correction != nil || r.resolution != nil }
	if len(r.alarms) > 0 && !ready() {
		next := r.alarms[0]
		if wait := next.At.Sub(workflow.Now(ctx)); wait > 0 {
			ok, err := workflow.AwaitWithTimeout(ctx, wait, ready)
			if err != nil {
				return err
			}
			if ok {
				return r.conclude(ctx)
			}
		}
		r.alarms = r.alarms[1:]
		return r.alarm(ctx, next)
	}
	if err := workflow.Await(ctx, ready); err != nil {
		return err
	}
	return r.conclude(ctx)
}

func (r *review) alarm(ctx workflow.Context, a Alarm) error {
	if err := workflow.ExecuteActivity(shortCtx(ctx), ActivityAlarm, AlarmInput{
		SubmissionID: ReportRef(r.st.ReportID), Alarm: a, Deadline: r.st.Deadline,
		Summary: Summary{Kind: ReportAlarmKind, Number: r.target(), Title: "R14.2 correction of reported data"},
	}).Get(ctx, nil); err != nil {
		return fmt.Errorf("alarm: %w", err)
	}
	if a.Kind == AlarmEscalation {
		r.st.Escalated = true
		return r.record(ctx, system, "report escalated", "correction deadline (R14.2) passed: supervisors told")
	}
	r.st.RemindersSent = append(r.st.RemindersSent, a.At)
	return r.record(ctx, system, "report reminder", "clerks reminded of the correction deadline "+r.st.Deadline.Format(time.RFC3339))
}

// conclude carries out the correction or the resolution: access reopens.
func (r *review) conclude(ctx workflow.Context) error {
	var actor, action, detail, reason string
	switch {
	case r.correction != nil:
		c := *r.correction
		r.st.Correction = &c
		r.st.Status = ReportCorrected
		actor, action = system, "corrected"
		reason = "corrected by base document of submission " + c.Submission
		detail = fmt.Sprintf("correcting base document entered (R14.3) as %s (submission %s); access reopened", c.EntryNumber, c.Submission)
	default:
		res := *r.resolution
		r.st.Resolution = &res
		actor = res.Clerk
		if res.Action == ResolveCorrected {
			r.st.Status = ReportCorrected
			r.st.Correction = &CorrectionEntered{Submission: res.Submission, At: workflow.Now(ctx)}
			action, reason = "corrected", res.Reason
			detail = fmt.Sprintf("clerk: corrected by submission %s; access reopened: %s", res.Submission, res.Reason)
		} else {
			r.st.Status = ReportConfirmed
			action, reason = "data confirmed", res.Reason
			detail = "clerk established the data was correct; access reopened: " + res.Reason
		}
	}
	if err := workflow.ExecuteActivity(shortCtx(ctx), ActivityReopen, ReopenInput{
		ReportID: r.st.ReportID, Target: r.st.Target, Reason: reason, At: workflow.Now(ctx),
	}).Get(ctx, nil); err != nil {
		return fmt.Errorf("reopen: %w", err)
	}
	r.st.ReopenedAt = workflow.Now(ctx)
	r.alarms = nil
	err := r.record(ctx, actor, action, detail)
	r.busy = false
	return err
}

// inquiry stores the written inquiry (R13.3) and e-mails it in the
// background.
func (r *review) inquiry(ctx workflow.Context) error {
	at := workflow.Now(ctx)
	if err := workflow.ExecuteActivity(longCtx(ctx), ActivitySendInquiry, InquiryInput{Seq: 1, State: r.st, At: at}).Get(ctx, nil); err != nil {
		// A letter that cannot be made must not leave the record closed
		// with no one to reopen it: the clerks see it and resolve the report.
		workflow.GetLogger(ctx).Error("inquiry not made", "error", err)
		return r.record(ctx, system, "inquiry failed", "the written inquiry could not be made: clerks contact the submitter")
	}
	r.st.Inquiry = &Notice{Seq: 1, Type: NoticeInquiry, At: at, Delivery: DeliveryPending}
	if err := r.record(ctx, system, "inquiry sent", "written inquiry to the submitter (R13.3); correction due by "+r.st.Deadline.Format(time.RFC3339)); err != nil {
		return err
	}
	r.mail.Add(1)
	workflow.Go(ctx, func(gctx workflow.Context) {
		defer r.mail.Done()
		var dr DeliverResult
		err := workflow.ExecuteActivity(mailCtx(gctx), ActivityDeliverNotice, DeliverInput{
			SubmissionID: ReportRef(r.st.ReportID), Seq: 1, To: r.st.Owner.Submitter.Email,
		}).Get(gctx, &dr)
		action := "inquiry mailed"
		switch {
		case err != nil:
			r.st.Inquiry.Delivery = DeliveryFailed
			action = "inquiry mail failed"
		default:
			r.st.Inquiry.Delivery = dr.Delivery
			if dr.Delivery != DeliverySent {
				action = "inquiry not mailed"
			}
		}
		if err := r.record(gctx, system, action, "inquiry to "+r.st.Owner.Submitter.Organisation); err != nil {
			workflow.GetLogger(gctx).Error("record inquiry delivery", "error", err)
		}
	})
	return nil
}

// finish tells the reporter the outcome and waits for what is in flight.
func (r *review) finish(ctx workflow.Context) (ReportState, error) {
	var told DeliverResult
	if err := workflow.ExecuteActivity(mailCtx(ctx), ActivityTellReporter, TellReporterInput{State: r.st}).Get(ctx, &told); err != nil {
		workflow.GetLogger(ctx).Warn("reporter not told", "error", err)
		told.Delivery = DeliveryFailed
	}
	r.st.ReporterTold = told.Delivery
	if err := r.record(ctx, system, "reporter told", "outcome "+string(r.st.Status)+" ("+string(told.Delivery)+")"); err != nil {
		return r.st, err
	}
	r.mail.Wait(ctx)
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return r.st, err
	}
	return r.st, nil
}

// record writes the report's row and one processing-log entry (R17), one
// at a time in step order.
func (r *review) record(ctx workflow.Context, actor, action, detail string) error {
	if err := workflow.Await(ctx, func() bool { return !r.recording }); err != nil {
		return err
	}
	r.recording = true
	defer func() { r.recording = false }()
	r.step++
	if actor == "" {
		actor = system
	}
	if err := workflow.ExecuteActivity(shortCtx(ctx), ActivityRecordReport, RecordReportInput{
		Step: r.step, State: r.st, Actor: actor, Action: action, Detail: detail, At: workflow.Now(ctx),
	}).Get(ctx, nil); err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

func (r *review) target() string {
	return fmt.Sprintf("certificate %s (type %d)", r.st.Target.Number, r.st.Target.Type)
}

func (r *review) reporterName() string {
	if n := strings.TrimSpace(r.st.Reporter.Name); n != "" {
		return n
	}
	return string(r.st.Reporter.Role)
}

func (r *review) onResolve(ctx workflow.Context, res Resolution) (ReportState, error) {
	r.resolution, r.busy = &res, true
	if err := workflow.Await(ctx, func() bool { return !r.busy }); err != nil {
		return ReportState{}, err
	}
	return r.st, nil
}

// ErrSubmissionRequired refuses a "corrected" resolution that names no
// submission.
var ErrSubmissionRequired = errors.New("the submission of the correcting base document is required")

func (r *review) validateResolution(res Resolution) error {
	if r.st.Status != ReportUnderReview || r.busy || r.correction != nil || r.resolution != nil {
		return fmt.Errorf("resolve: %w (%s)", ErrNotNow, r.st.Status)
	}
	if strings.TrimSpace(res.Clerk) == "" {
		return ErrClerkRequired
	}
	if strings.TrimSpace(res.Reason) == "" {
		return fmt.Errorf("resolve: %w", ErrReasonRequired)
	}
	switch res.Action {
	case ResolveDataCorrect:
	case ResolveCorrected:
		if strings.TrimSpace(res.Submission) == "" {
			return ErrSubmissionRequired
		}
	default:
		return fmt.Errorf("%w %q", ErrUnknownAction, res.Action)
	}
	return nil
}
