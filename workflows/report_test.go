package workflows_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/workdays"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// reportFakes stand in for the report's I/O; the calendar is real.
type reportFakes struct {
	mu       sync.Mutex
	env      *testsuite.TestWorkflowEnvironment
	found    bool
	heldBy   string // "" : this report
	closedAt time.Time
	reopened []time.Time
	inquiry  []time.Time
	actions  []string
	alarms   []firedAlarm
	told     []wf.ReportStatus
}

func (f *reportFakes) close(_ context.Context, in wf.CloseInput) (wf.CloseResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closedAt = f.env.Now().In(tallinn)
	held := f.heldBy
	if held == "" {
		held = in.ReportID
	}
	return wf.CloseResult{Found: f.found, HeldBy: held, Owner: wf.RecordOwner{
		Submission: "s1", Submitter: wf.Submitter{Organisation: "80037514", Name: "EETEL", Email: "kutse@example.ee"},
		Document: wf.Summary{Kind: "committee-decision", Number: "EK-2025/14", DecisionDate: "2025-06-12"},
	}}, nil
}

func (f *reportFakes) reopen(_ context.Context, in wf.ReopenInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reopened = append(f.reopened, f.env.Now().In(tallinn))
	return nil
}

func (f *reportFakes) record(_ context.Context, in wf.RecordReportInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, in.Action)
	return nil
}

func (f *reportFakes) sendInquiry(_ context.Context, in wf.InquiryInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inquiry = append(f.inquiry, f.env.Now().In(tallinn))
	return nil
}

func (f *reportFakes) deliver(_ context.Context, in wf.DeliverInput) (wf.DeliverResult, error) {
	return wf.DeliverResult{Delivery: wf.DeliverySent}, nil
}

func (f *reportFakes) tell(_ context.Context, in wf.TellReporterInput) (wf.DeliverResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.told = append(f.told, in.State.Status)
	return wf.DeliverResult{Delivery: wf.DeliverySent}, nil
}

func (f *reportFakes) alarm(_ context.Context, in wf.AlarmInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.alarms = append(f.alarms, firedAlarm{kind: in.Alarm.Kind, at: f.env.Now().In(tallinn)})
	return nil
}

func newReportEnv(t *testing.T, start time.Time) (*testsuite.TestWorkflowEnvironment, *reportFakes) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	cal, err := workdays.Default()
	if err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{Calendar: cal, Periods: activities.DefaultPeriods()}
	env.RegisterActivityWithOptions(acts.ReviewDeadline, activity.RegisterOptions{Name: wf.ActivityReviewDeadline})
	f := &reportFakes{env: env, found: true}
	env.RegisterActivityWithOptions(f.close, activity.RegisterOptions{Name: wf.ActivityCloseForReview})
	env.RegisterActivityWithOptions(f.reopen, activity.RegisterOptions{Name: wf.ActivityReopen})
	env.RegisterActivityWithOptions(f.record, activity.RegisterOptions{Name: wf.ActivityRecordReport})
	env.RegisterActivityWithOptions(f.sendInquiry, activity.RegisterOptions{Name: wf.ActivitySendInquiry})
	env.RegisterActivityWithOptions(f.deliver, activity.RegisterOptions{Name: wf.ActivityDeliverNotice})
	env.RegisterActivityWithOptions(f.tell, activity.RegisterOptions{Name: wf.ActivityTellReporter})
	env.RegisterActivityWithOptions(f.alarm, activity.RegisterOptions{Name: wf.ActivityAlarm})
	env.RegisterWorkflow(wf.ReportWorkflow)
	return env, f
}

func reportInput(at time.Time) wf.ReportInput {
	return wf.ReportInput{ReportID: "r1", Target: wf.ReportTarget{Record: "certificate", Type: 1, Number: "214001"},
		Reporter: wf.Reporter{Role: wf.ReporterPerson, Name: "Mart Kuusk", Email: "mart@example.ee"},
		Reason:   "the level is 3, not 4", ReportedAt: at}
}

func reportResult(t *testing.T, env *testsuite.TestWorkflowEnvironment) wf.ReportState {
	t.Helper()
	if !env.IsWorkflowCompleted() {
		t.Fatal("the report's workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var st wf.ReportState
	if err := env.GetWorkflowResult(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// Reported on Thursday 18 June 2026; 23 and 24 June are holidays, so the
// 10 working days (R14.2) end on Monday 6 July 2026.
var reportedAt = at(2026, time.June, 18, 10, 0)

func TestReportClosesAccessAtOnceAndSendsTheInquiry_R14_1_R13_3(t *testing.T) {
	env, f := newReportEnv(t, reportedAt)
	var st wf.ReportState
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(wf.QueryReport)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Get(&st); err != nil {
			t.Fatal(err)
		}
		// Done with the check: the clerk establishes the data was correct.
		env.UpdateWorkflow(wf.UpdateResolve, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("resolution refused: %v", err) },
			OnComplete: func(any, error) {},
		}, wf.Resolution{Action: wf.ResolveDataCorrect, Reason: "checked against the committee's minutes", Clerk: "Kadri Clerk"})
	}, time.Minute)
	env.ExecuteWorkflow(wf.ReportWorkflow, reportInput(reportedAt))
	res := reportResult(t, env)

	if !f.closedAt.Equal(reportedAt) {
		t.Errorf("access closed at %v, want at once (%v)", f.closedAt, reportedAt)
	}
	if st.Status != wf.ReportUnderReview || st.Inquiry == nil || st.Inquiry.Type != wf.NoticeInquiry {
		t.Errorf("a minute after the report: status %q, inquiry %+v; want under review with the inquiry sent", st.Status, st.Inquiry)
	}
	if len(f.inquiry) != 1 || !f.inquiry[0].Equal(reportedAt) {
		t.Errorf("inquiries %v, want one at once", f.inquiry)
	}
	if want := endOfDay(2026, time.July, 6); !st.Deadline.Equal(want) {
		t.Errorf("correction deadline %v, want %v (10 working days, Midsummer holidays skipped)", st.Deadline.In(tallinn), want)
	}
	if res.Status != wf.ReportConfirmed || len(f.reopened) != 1 || res.Resolution.Reason == "" {
		t.Errorf("status %q, reopened %v, resolution %+v; want confirmed, reopened once with the reason", res.Status, f.reopened, res.Resolution)
	}
	if !slices.Equal(f.told, []wf.ReportStatus{wf.ReportConfirmed}) {
		t.Errorf("reporter told %v, want the outcome once", f.told)
	}
	for _, a := range []string{"closed for review", "inquiry sent", "data confirmed", "reporter told"} {
		if !slices.Contains(f.actions, a) {
			t.Errorf("processing log %v lacks %q (R17)", f.actions, a)
		}
	}
}

func TestCorrectionEnteredOnDay7ReopensAccess_R14_3(t *testing.T) {
	env, f := newReportEnv(t, reportedAt)
	day7 := at(2026, time.July, 1, 14, 0) // the 7th working day after the report
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(wf.SignalCorrectionEntered, wf.CorrectionEntered{Submission: "s2", EntryNumber: "KR-s2", At: env.Now()})
	}, day7.Sub(reportedAt))
	env.ExecuteWorkflow(wf.ReportWorkflow, reportInput(reportedAt))
	res := reportResult(t, env)

	if res.Status != wf.ReportCorrected || res.Correction == nil || res.Correction.Submission != "s2" {
		t.Fatalf("status %q, correction %+v; want corrected by s2", res.Status, res.Correction)
	}
	if len(f.reopened) != 1 || !f.reopened[0].Equal(day7) {
		t.Errorf("reopened %v, want once on %v", f.reopened, day7)
	}
	if res.Escalated {
		t.Error("escalated although corrected in time")
	}
	// The reminder 3 working days before the deadline (1 July 09:00) fired
	// before the correction; nothing after it.
	if len(f.alarms) != 1 || f.alarms[0].kind != wf.AlarmReminder || !f.alarms[0].at.Equal(at(2026, time.July, 1, 9, 0)) {
		t.Errorf("alarms %+v, want only the reminder of 1 July 09:00", f.alarms)
	}
	if !slices.Equal(f.told, []wf.ReportStatus{wf.ReportCorrected}) {
		t.Errorf("reporter told %v", f.told)
	}
}

func TestCorrectionDeadlinePassingEscalatesOnTheRightWorkingDay_R14_2(t *testing.T) {
	env, f := newReportEnv(t, reportedAt)
	// Nobody acts for a month; then the clerk establishes the data was correct.
	resolveAt := at(2026, time.July, 20, 10, 0)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(wf.UpdateResolve, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("resolution refused: %v", err) },
			OnComplete: func(any, error) {},
		}, wf.Resolution{Action: wf.ResolveDataCorrect, Reason: "the holder's claim was not borne out", Clerk: "Kadri Clerk"})
	}, resolveAt.Sub(reportedAt))
	env.ExecuteWorkflow(wf.ReportWorkflow, reportInput(reportedAt))
	res := reportResult(t, env)

	want := []firedAlarm{
		{wf.AlarmReminder, at(2026, time.July, 1, 9, 0)},
		{wf.AlarmReminder, at(2026, time.July, 6, 9, 0)},
		{wf.AlarmEscalation, at(2026, time.July, 7, 0, 0)},
	}
	if len(f.alarms) != len(want) {
		t.Fatalf("alarms %+v, want %+v", f.alarms, want)
	}
	for i := range want {
		if f.alarms[i].kind != want[i].kind || !f.alarms[i].at.Equal(want[i].at) {
			t.Errorf("alarm %d: %s at %v, want %s at %v", i, f.alarms[i].kind, f.alarms[i].at, want[i].kind, want[i].at)
		}
	}
	if !res.Escalated || !slices.Contains(f.actions, "report escalated") {
		t.Errorf("escalated %v, log %v", res.Escalated, f.actions)
	}
	if res.Status != wf.ReportConfirmed || len(f.reopened) != 1 || !f.reopened[0].Equal(resolveAt) {
		t.Errorf("status %q reopened %v", res.Status, f.reopened)
	}
}

func TestReportOfARecordUnderReviewJoinsTheOpenReport(t *testing.T) {
	env, f := newReportEnv(t, reportedAt)
	f.heldBy = "r0"
	env.ExecuteWorkflow(wf.ReportWorkflow, reportInput(reportedAt))
	res := reportResult(t, env)
	if res.Status != wf.ReportJoined || res.JoinedReport != "r0" || len(f.inquiry) != 0 || len(f.reopened) != 0 {
		t.Errorf("status %q joined %q inquiries %d reopened %d; want joined r0, nothing else", res.Status, res.JoinedReport, len(f.inquiry), len(f.reopened))
	}
}

func TestResolutionWithoutReasonIsRefused(t *testing.T) {
	env, _ := newReportEnv(t, reportedAt)
	var refused error
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(wf.UpdateResolve, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { refused = err }, OnComplete: func(any, error) {},
		}, wf.Resolution{Action: wf.ResolveDataCorrect, Clerk: "Kadri Clerk"})
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(wf.SignalCorrectionEntered, wf.CorrectionEntered{Submission: "s2", EntryNumber: "KR-s2"})
	}, 2*time.Hour)
	env.ExecuteWorkflow(wf.ReportWorkflow, reportInput(reportedAt))
	reportResult(t, env)
	if refused == nil {
		t.Error("a resolution without a reason was accepted")
	}
}

func TestALetterThatCannotBeMadeLeavesTheReportToTheClerks(t *testing.T) {
	env, f := newReportEnv(t, reportedAt)
	env.OnActivity(wf.ActivitySendInquiry, mock.Anything, mock.Anything).Return(temporal.NewNonRetryableApplicationError("render", "render", nil))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(wf.UpdateResolve, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("resolution refused: %v", err) }, OnComplete: func(any, error) {},
		}, wf.Resolution{Action: wf.ResolveDataCorrect, Reason: "asked by phone: correct", Clerk: "Kadri Clerk"})
	}, 24*time.Hour)
	env.ExecuteWorkflow(wf.ReportWorkflow, reportInput(reportedAt))
	res := reportResult(t, env)
	if res.Status != wf.ReportConfirmed || len(f.reopened) != 1 || !slices.Contains(f.actions, "inquiry failed") {
		t.Errorf("status %q reopened %d log %v; want the clerk's resolution to reopen it", res.Status, len(f.reopened), f.actions)
	}
}

func TestReportOfAnUnknownCertificateEndsAndTellsTheReporter(t *testing.T) {
	env, f := newReportEnv(t, reportedAt)
	f.found = false
	env.ExecuteWorkflow(wf.ReportWorkflow, reportInput(reportedAt))
	res := reportResult(t, env)
	if res.Status != wf.ReportNotFound || len(f.inquiry) != 0 || !slices.Equal(f.told, []wf.ReportStatus{wf.ReportNotFound}) {
		t.Errorf("status %q inquiries %d told %v", res.Status, len(f.inquiry), f.told)
	}
}
