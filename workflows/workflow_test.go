package workflows_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/workdays"
	wf "github.com/kutsekoda/alusdok/workflows"
)

var tallinn = func() *time.Location {
	loc, err := workdays.LoadTallinn()
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, tallinn)
}

func endOfDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 23, 59, 59, 0, tallinn)
}

// fakes stand in for the activities that do I/O; the calendar activities are
// the real ones.
type fakes struct {
	mu          sync.Mutex
	env         *testsuite.TestWorkflowEnvironment
	validations []deficiency.List // returned in turn; the last one repeats
	validated   int
	entered     int
	notices     []wf.NoticeType
	alarms      []firedAlarm
	actions     []string
	conflicts   []deficiency.List // Enter answers these in turn before it enters
	lastStep    int
	outOfOrder  []int // steps recorded after a later one
	inFlight    atomic.Int32
	overlaps    int                        // records that started while another ran
	sets        map[string]deficiency.List // stored deficiency sets by ref
	refs        []string                   // the DeficiencyRef of every record, in turn
}

type firedAlarm struct {
	kind wf.AlarmKind
	at   time.Time // virtual time it fired
}

func (f *fakes) validate(_ context.Context, in wf.ValidateInput) (wf.ValidateResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := min(f.validated, len(f.validations)-1)
	f.validated++
	res := wf.ValidateResult{
		Summary:      wf.Summary{Kind: "committee-decision", Number: "KK-7/2026", DecisionDate: "2026-11-20", Title: "Kutse andmine", Records: 3},
		Deficiencies: f.validations[i],
	}
	if in.DeficiencyRef != "" { // lean histories: stored, counted
		f.store(in.DeficiencyRef, res.Deficiencies)
		res.Errors = len(res.Deficiencies.Errors())
		res.Warnings = len(res.Deficiencies) - res.Errors
		res.Deficiencies = nil
	}
	return res, nil
}

func (f *fakes) storeDeficiencies(_ context.Context, in wf.StoreDeficienciesInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.store(in.Ref, in.List)
	return nil
}

// store keeps a set as the activities store it in MongoDB; f.mu is held.
func (f *fakes) store(ref string, l deficiency.List) {
	if len(l) == 0 {
		return
	}
	if f.sets == nil {
		f.sets = map[string]deficiency.List{}
	}
	f.sets[ref] = l
}

func (f *fakes) record(_ context.Context, in wf.RecordInput) error {
	// Two records of one run in flight at once would be a race for the
	// read model: hold each a moment so that an overlap shows.
	if f.inFlight.Add(1) > 1 {
		f.mu.Lock()
		f.overlaps++
		f.mu.Unlock()
	}
	time.Sleep(time.Millisecond)
	f.inFlight.Add(-1)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, in.Action)
	f.refs = append(f.refs, in.State.DeficiencyRef)
	if in.Step <= f.lastStep {
		f.outOfOrder = append(f.outOfOrder, in.Step)
	}
	f.lastStep = max(f.lastStep, in.Step)
	return nil
}

func (f *fakes) sendNotice(_ context.Context, in wf.NoticeInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notices = append(f.notices, in.Type)
	if len(in.Deficiencies) > 0 {
		f.store(in.DeficiencyRef, in.Deficiencies)
	}
	return nil
}

func (f *fakes) deliver(_ context.Context, in wf.DeliverInput) (wf.DeliverResult, error) {
	return wf.DeliverResult{Delivery: wf.DeliverySent}, nil
}

func (f *fakes) enter(_ context.Context, in wf.EnterInput) (wf.EnterResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.conflicts) > 0 {
		c := f.conflicts[0]
		f.conflicts = f.conflicts[1:]
		if in.ConflictRef != "" {
			f.store(in.ConflictRef, c)
			return wf.EnterResult{ConflictCount: len(c), FirstConflict: c[0].Field}, nil
		}
		return wf.EnterResult{Conflicts: c}, nil
	}
	f.entered++
	return wf.EnterResult{EntryNumbers: []string{"KR-" + in.SubmissionID}, Records: 3}, nil
}

func (f *fakes) alarm(_ context.Context, in wf.AlarmInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.alarms = append(f.alarms, firedAlarm{kind: in.Alarm.Kind, at: f.env.Now().In(tallinn)})
	return nil
}

func newEnv(t *testing.T, start time.Time, validations ...deficiency.List) (*testsuite.TestWorkflowEnvironment, *fakes) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	cal, err := workdays.Default()
	if err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{Calendar: cal, Periods: activities.DefaultPeriods()}
	env.RegisterActivityWithOptions(acts.Deadlines, activity.RegisterOptions{Name: wf.ActivityDeadlines})
	env.RegisterActivityWithOptions(acts.Extend, activity.RegisterOptions{Name: wf.ActivityExtend})
	env.RegisterActivityWithOptions(acts.CorrectionLimit, activity.RegisterOptions{Name: wf.ActivityCorrectionLimit})
	if len(validations) == 0 {
		validations = []deficiency.List{nil}
	}
	f := &fakes{env: env, validations: validations}
	env.RegisterActivityWithOptions(f.validate, activity.RegisterOptions{Name: wf.ActivityValidate})
	env.RegisterActivityWithOptions(f.record, activity.RegisterOptions{Name: wf.ActivityRecord})
	env.RegisterActivityWithOptions(f.storeDeficiencies, activity.RegisterOptions{Name: wf.ActivityStoreDeficiencies})
	env.RegisterActivityWithOptions(f.sendNotice, activity.RegisterOptions{Name: wf.ActivitySendNotice})
	env.RegisterActivityWithOptions(f.deliver, activity.RegisterOptions{Name: wf.ActivityDeliverNotice})
	env.RegisterActivityWithOptions(f.enter, activity.RegisterOptions{Name: wf.ActivityEnter})
	env.RegisterActivityWithOptions(f.alarm, activity.RegisterOptions{Name: wf.ActivityAlarm})
	env.RegisterWorkflow(wf.BaseDocumentWorkflow)
	t.Cleanup(func() {
		// One Record at a time: the read model receives the steps in order.
		if len(f.outOfOrder) > 0 || f.overlaps > 0 {
			t.Errorf("read-model steps recorded after a later one: %v; records overlapping: %d", f.outOfOrder, f.overlaps)
		}
	})
	return env, f
}

func input(received time.Time) wf.Input {
	return wf.Input{
		SubmissionID: "s1",
		Submitter:    wf.Submitter{Organisation: "10000356", Name: "Eesti Elektritööde Ettevõtjate Liit", Email: "kutse@example.ee"},
		Upload:       wf.Upload{ID: "u1", SHA256: "aa", ReceivedAt: received},
	}
}

// update sends an update after delay and records its outcome.
type outcome struct {
	accepted bool
	rejected error
	result   wf.DecisionResult
	err      error
}

func update(env *testsuite.TestWorkflowEnvironment, delay time.Duration, name string, arg any) *outcome {
	o := &outcome{}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnAccept: func() { o.accepted = true },
			OnReject: func(err error) { o.rejected = err },
			OnComplete: func(r any, err error) {
				o.err = err
				if r != nil {
					o.result = r.(wf.DecisionResult)
				}
			},
		}, arg)
	}, delay)
	return o
}

func query(t *testing.T, env *testsuite.TestWorkflowEnvironment) wf.State {
	t.Helper()
	v, err := env.QueryWorkflow(wf.QueryState)
	if err != nil {
		t.Fatal(err)
	}
	var st wf.State
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func result(t *testing.T, env *testsuite.TestWorkflowEnvironment) wf.State {
	t.Helper()
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	var st wf.State
	if err := env.GetWorkflowResult(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func approve(clerk string) wf.Decision { return wf.Decision{Action: wf.ActionApprove, Clerk: clerk} }

func oneError() deficiency.List {
	var l deficiency.List
	l.Add("payload.certificates[0].number", "certificate.number.exists", "Number on juba registris.", "Number already in the register.")
	return l
}

// TestCleanEntry_R12_1: received Monday 23.11.2026 10:00, the entry deadline
// is the 10th working day after, Monday 07.12.2026 23:59:59; approved the
// next day, entered once, the entry notice sent (R12.4).
func TestCleanEntry_R12_1(t *testing.T) {
	env, f := newEnv(t, at(2026, 11, 23, 10, 0))
	var inReview wf.State
	env.RegisterDelayedCallback(func() { inReview = query(t, env) }, time.Hour)
	o := update(env, 24*time.Hour, wf.UpdateDecide, approve("Mari Maasikas"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(at(2026, 11, 23, 10, 0)))
	st := result(t, env)

	if inReview.Status != wf.StatusInReview || inReview.Turn != wf.TurnClerk {
		t.Errorf("before the decision: status %s turn %s, want in-review, clerk", inReview.Status, inReview.Turn)
	}
	if want := endOfDay(2026, 12, 7); !inReview.Deadlines.Entry.Equal(want) {
		t.Errorf("entry deadline = %v, want %v", inReview.Deadlines.Entry.In(tallinn), want)
	}
	// R11.2: decision 20.11.2026 + 10 working days = 04.12.2026; received in time.
	if want := endOfDay(2026, 12, 4); !inReview.Deadlines.LateMark.Equal(want) || inReview.Late {
		t.Errorf("late mark = %v late=%v, want %v not late", inReview.Deadlines.LateMark.In(tallinn), inReview.Late, want)
	}
	if !o.accepted || o.err != nil || o.result.Status != wf.StatusEntered {
		t.Errorf("approve: accepted=%v err=%v status=%s", o.accepted, o.err, o.result.Status)
	}
	if st.Status != wf.StatusEntered || f.entered != 1 || len(st.EntryNumbers) != 1 {
		t.Errorf("status %s, entered %d times, entry numbers %v", st.Status, f.entered, st.EntryNumbers)
	}
	if want := []wf.NoticeType{wf.NoticeEntry}; !slices.Equal(f.notices, want) {
		t.Errorf("notices %v, want %v", f.notices, want)
	}
	if len(st.Notices) != 1 || st.Notices[0].Delivery != wf.DeliverySent {
		t.Errorf("notice delivery: %+v", st.Notices)
	}
	for _, a := range []string{"received", "validated", "approved", "entered", "notice mailed"} {
		if !slices.Contains(f.actions, a) {
			t.Errorf("processing log lacks %q: %v (R17)", a, f.actions)
		}
	}
}

// TestApprovalIsAnsweredOnceEnteredTheNoticeFollows_R12_4: the clerk's
// approval is answered, and the read model says "entered", once the
// records are in the register; the entry notice is written after, and the
// workflow closes only when it is written and mailed.
func TestApprovalIsAnsweredOnceEnteredTheNoticeFollows_R12_4(t *testing.T) {
	env, f := newEnv(t, at(2026, 11, 23, 10, 0))
	var noticesAtAnswer int
	var actionsAtAnswer []string
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(wf.UpdateDecide, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { t.Errorf("approval rejected: %v", err) },
			OnComplete: func(r any, err error) {
				if err != nil || r.(wf.DecisionResult).Status != wf.StatusEntered {
					t.Errorf("approval answered %v, %v; want entered", r, err)
				}
				f.mu.Lock()
				defer f.mu.Unlock()
				noticesAtAnswer = len(f.notices)
				actionsAtAnswer = slices.Clone(f.actions)
			},
		}, approve("Mari Maasikas"))
	}, time.Hour)
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(at(2026, 11, 23, 10, 0)))
	st := result(t, env)
	if noticesAtAnswer != 0 || len(actionsAtAnswer) == 0 || actionsAtAnswer[len(actionsAtAnswer)-1] != "entered" {
		t.Errorf("at the answer: %d notices, processing log %v; want none yet, ending with entered", noticesAtAnswer, actionsAtAnswer)
	}
	if want := []wf.NoticeType{wf.NoticeEntry}; !slices.Equal(f.notices, want) || len(st.Notices) != 1 || st.Notices[0].Delivery != wf.DeliverySent {
		t.Errorf("at the close: notices %v, %+v; want the entry notice, mailed", f.notices, st.Notices)
	}
	if n := len(f.actions); n < 2 || !slices.Contains(f.actions[n-2:], "notice written") || !slices.Contains(f.actions[n-2:], "notice mailed") {
		t.Errorf("the last steps logged are %v, want the notice written and mailed", f.actions)
	}
}

// TestTwoCorrectionRoundsRestartTheEntryClock_R12_2: deficient twice, the
// submitter corrects twice; the entry deadline counts from the second
// correction's receipt.
func TestTwoCorrectionRoundsRestartTheEntryClock_R12_2(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start, oneError(), oneError(), nil)
	var first wf.State
	env.RegisterDelayedCallback(func() { first = query(t, env) }, time.Hour)
	c1 := update(env, 48*time.Hour, wf.UpdateCorrect, wf.Correction{Upload: wf.Upload{ID: "u2", ReceivedAt: at(2026, 11, 25, 10, 0)}, By: "Jaan"})
	c2 := update(env, 96*time.Hour, wf.UpdateCorrect, wf.Correction{Upload: wf.Upload{ID: "u3", ReceivedAt: at(2026, 11, 27, 10, 0)}, By: "Jaan"})
	var afterSecond wf.State
	env.RegisterDelayedCallback(func() { afterSecond = query(t, env) }, 97*time.Hour)
	update(env, 100*time.Hour, wf.UpdateDecide, approve("Mari"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)

	if first.Status != wf.StatusAwaitingCorrections || first.Turn != wf.TurnSubmitter {
		t.Errorf("after the first validation: %s/%s", first.Status, first.Turn)
	}
	// Correction limit: 23.11.2026 + 10 working days = 07.12.2026.
	if want := endOfDay(2026, 12, 7); !first.Deadlines.CorrectionLimit.Equal(want) {
		t.Errorf("correction limit %v, want %v", first.Deadlines.CorrectionLimit.In(tallinn), want)
	}
	if c1.result.Status != wf.StatusAwaitingCorrections || c2.result.Status != wf.StatusInReview {
		t.Errorf("after corrections: %s then %s", c1.result.Status, c2.result.Status)
	}
	// Clock restarted at the second correction: Fri 27.11.2026 + 10 = Fri 11.12.2026.
	if want := endOfDay(2026, 12, 11); !afterSecond.Deadlines.Entry.Equal(want) {
		t.Errorf("entry deadline after corrections %v, want %v", afterSecond.Deadlines.Entry.In(tallinn), want)
	}
	if st.Status != wf.StatusEntered || st.CorrectionRounds != 2 || len(st.Uploads) != 3 {
		t.Errorf("final: status %s, rounds %d, uploads %d", st.Status, st.CorrectionRounds, len(st.Uploads))
	}
	want := []wf.NoticeType{wf.NoticeCorrectionRequest, wf.NoticeCorrectionRequest, wf.NoticeEntry}
	if !slices.Equal(f.notices, want) {
		t.Errorf("notices %v, want %v", f.notices, want)
	}
}

// TestCorrectionLimitPassedGoesToTheClerk_R12_2: no corrections by
// 07.12.2026; from 08.12.2026 a clerk decides, and refuses with reasons.
func TestCorrectionLimitPassedGoesToTheClerk_R12_2(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start, oneError())
	late := update(env, 15*24*time.Hour, wf.UpdateCorrect, wf.Correction{Upload: wf.Upload{ID: "late"}, By: "Jaan"})
	var passed wf.State
	env.RegisterDelayedCallback(func() { passed = query(t, env) }, 15*24*time.Hour+time.Minute)
	update(env, 16*24*time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionRefuse, Reason: "Parandusi ei esitatud tähtajaks.", Clerk: "Mari"})
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)

	if !passed.CorrectionLimitPassed || passed.Status != wf.StatusInReview {
		t.Errorf("after the limit: passed=%v status=%s", passed.CorrectionLimitPassed, passed.Status)
	}
	if late.rejected == nil || !strings.Contains(late.rejected.Error(), "not possible") {
		t.Errorf("a correction after the limit: rejected=%v", late.rejected)
	}
	// After the limit the usual 10 working days: 07.12.2026 + 10 = 21.12.2026.
	if want := endOfDay(2026, 12, 21); !passed.Deadlines.Entry.Equal(want) {
		t.Errorf("entry deadline after the limit %v, want %v", passed.Deadlines.Entry.In(tallinn), want)
	}
	if st.Status != wf.StatusRefused || st.Reason == "" {
		t.Errorf("final %s reason %q", st.Status, st.Reason)
	}
	if !slices.Contains(f.actions, "correction limit passed") {
		t.Errorf("log lacks the limit: %v", f.actions)
	}
}

// TestRefusalWithoutReasonIsRejected_R12_4: the validator refuses it; it
// never enters history; a refusal with a reason then goes through.
func TestRefusalWithoutReasonIsRejected_R12_4(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start)
	bad := update(env, time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionRefuse, Reason: "   ", Clerk: "Mari"})
	good := update(env, 2*time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionRefuse, Reason: "Otsus ei ole allkirjastatud.", Clerk: "Mari"})
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)
	if bad.accepted || bad.rejected == nil || !strings.Contains(bad.rejected.Error(), wf.ErrReasonRequired.Error()) {
		t.Errorf("refusal without reason: accepted=%v rejected=%v", bad.accepted, bad.rejected)
	}
	if !good.accepted || st.Status != wf.StatusRefused || st.Reason != "Otsus ei ole allkirjastatud." {
		t.Errorf("refusal with reason: accepted=%v status=%s reason=%q", good.accepted, st.Status, st.Reason)
	}
	if want := []wf.NoticeType{wf.NoticeRefusal}; !slices.Equal(f.notices, want) {
		t.Errorf("notices %v, want %v", f.notices, want)
	}
}

// TestExtensionBeyondTwentyWorkingDaysIsRejected_R12_3: 15 then 6 more
// (21) is refused; 15 then 5 (20) is accepted; each extension moves the
// deadline and is told in writing.
func TestExtensionBeyondTwentyWorkingDaysIsRejected_R12_3(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start)
	x1 := update(env, time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionExtend, WorkingDays: 15, Reason: "Vaja täiendavat kontrolli.", Clerk: "Mari"})
	x2 := update(env, 2*time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionExtend, WorkingDays: 6, Reason: "Veel.", Clerk: "Mari"})
	noReason := update(env, 3*time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionExtend, WorkingDays: 1, Clerk: "Mari"})
	x3 := update(env, 4*time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionExtend, WorkingDays: 5, Reason: "Veel.", Clerk: "Mari"})
	var extended wf.State
	env.RegisterDelayedCallback(func() { extended = query(t, env) }, 5*time.Hour)
	update(env, 6*time.Hour, wf.UpdateDecide, approve("Mari"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)

	if !x1.accepted || x2.accepted || x2.rejected == nil || !strings.Contains(x2.rejected.Error(), "limit is 20") {
		t.Errorf("x1 accepted=%v; x2 accepted=%v rejected=%v", x1.accepted, x2.accepted, x2.rejected)
	}
	if noReason.accepted {
		t.Error("an extension without a reason was accepted (R12.3)")
	}
	if !x3.accepted || extended.Deadlines.ExtendedDays != 20 {
		t.Errorf("x3 accepted=%v extended days %d", x3.accepted, extended.Deadlines.ExtendedDays)
	}
	// 07.12.2026 + 20 working days, over Christmas (24–26.12) and New Year: 07.01.2027.
	if want := endOfDay(2027, 1, 7); !extended.Deadlines.Entry.Equal(want) {
		t.Errorf("extended deadline %v, want %v", extended.Deadlines.Entry.In(tallinn), want)
	}
	want := []wf.NoticeType{wf.NoticeExtension, wf.NoticeExtension, wf.NoticeEntry}
	if !slices.Equal(f.notices, want) || len(st.Extensions) != 2 {
		t.Errorf("notices %v extensions %d", f.notices, len(st.Extensions))
	}
}

// TestWithdrawal: the submitter withdraws while in review; nothing is
// entered; a decision afterwards is refused.
func TestWithdrawal(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start)
	w := update(env, time.Hour, wf.UpdateWithdraw, wf.Withdrawal{By: "Jaan", Reason: "Esitatud ekslikult."})
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)
	if !w.accepted || st.Status != wf.StatusWithdrawn || f.entered != 0 {
		t.Errorf("withdraw accepted=%v status=%s entered=%d", w.accepted, st.Status, f.entered)
	}
	if !slices.Contains(f.actions, "withdrawn") {
		t.Errorf("log lacks the withdrawal: %v", f.actions)
	}
}

func TestDecisionAfterWithdrawalIsRefused(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start)
	w := update(env, time.Hour, wf.UpdateWithdraw, wf.Withdrawal{By: "Jaan", Reason: "Esitatud ekslikult."})
	d := update(env, time.Hour, wf.UpdateDecide, approve("Mari"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)
	if !w.accepted || st.Status != wf.StatusWithdrawn {
		t.Fatalf("withdraw accepted=%v status=%s", w.accepted, st.Status)
	}
	if d.accepted || d.rejected == nil || !strings.Contains(d.rejected.Error(), wf.ErrNotNow.Error()) {
		t.Errorf("a decision after the withdrawal: accepted=%v rejected=%v, want refused as not possible now", d.accepted, d.rejected)
	}
	if f.entered != 0 || slices.Contains(f.actions, "approved") {
		t.Errorf("entered %d times, log %v: the refused decision changed something", f.entered, f.actions)
	}
}

// TestEntryConflictGoesBackToTheClerk_R13_3: a certificate number taken
// between review and entry is a business outcome: nothing entered, the
// submission back in review with the conflict at its field, the workflow
// alive; the clerk then refuses it with reasons (R12.4).
func TestEntryConflictGoesBackToTheClerk_R13_3(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start)
	var conflict deficiency.List
	conflict.Add("payload.certificates[3].number", "entry.certificate-taken", "Number võeti vahepeal.", "The number was taken meanwhile.")
	f.conflicts = []deficiency.List{conflict}
	a := update(env, time.Hour, wf.UpdateDecide, approve("Mari"))
	var back wf.State
	env.RegisterDelayedCallback(func() { back = query(t, env) }, 2*time.Hour)
	again := update(env, 3*time.Hour, wf.UpdateDecide, approve("Mari"))
	r := update(env, 4*time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionRefuse, Reason: "Tunnistuse number on juba kasutusel.", Clerk: "Mari"})
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)

	if a.err != nil || a.result.Status != wf.StatusInReview {
		t.Errorf("the approval that met the conflict: %v, status %s; want answered in-review", a.err, a.result.Status)
	}
	// Lean histories: the state holds the conflict by reference.
	defs := f.sets[back.DeficiencyRef]
	if back.Status != wf.StatusInReview || back.Turn != wf.TurnClerk || back.DeficiencyErrors != 1 || len(defs) != 1 ||
		defs[0].Field != "payload.certificates[3].number" || len(back.EntryNumbers) != 0 || len(back.Deficiencies) != 0 {
		t.Errorf("after the conflict: %s, turn %s, deficiencies %v (ref %q: %v), entries %v", back.Status, back.Turn,
			back.Deficiencies, back.DeficiencyRef, defs, back.EntryNumbers)
	}
	if !errors.Is(again.rejected, wf.ErrUnresolved) && (again.rejected == nil || !strings.Contains(again.rejected.Error(), wf.ErrUnresolved.Error())) {
		t.Errorf("approving again over the conflict: %v, want refused as unresolved", again.rejected)
	}
	if st.Status != wf.StatusRefused || f.entered != 0 || r.err != nil {
		t.Errorf("final %s, entered %d, refusal %v", st.Status, f.entered, r.err)
	}
	if !slices.Contains(f.actions, "entry conflict") {
		t.Errorf("the log lacks the conflict: %v", f.actions)
	}
}

// TestClaimAndReassignAreLogged_R17: a clerk claims a submission, hands it to
// a substitute, who approves it; each step is in the log with its actor.
func TestClaimAndReassignAreLogged_R17(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start)
	c := update(env, time.Hour, wf.UpdateAssign, wf.Assignment{Assignee: "Mari", By: "Mari"})
	var claimed wf.State
	env.RegisterDelayedCallback(func() { claimed = query(t, env) }, 90*time.Minute)
	r := update(env, 2*time.Hour, wf.UpdateAssign, wf.Assignment{Assignee: "Jüri", By: "Mari"})
	blank := update(env, 2*time.Hour, wf.UpdateAssign, wf.Assignment{Assignee: " ", By: "Mari"})
	update(env, 3*time.Hour, wf.UpdateDecide, approve("Jüri"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)
	if c.err != nil || r.err != nil || claimed.Assignee != "Mari" || st.Assignee != "Jüri" {
		t.Errorf("claim %v, reassign %v; assignee after the claim %q, at the end %q", c.err, r.err, claimed.Assignee, st.Assignee)
	}
	if blank.rejected == nil {
		t.Error("an assignment to no one was accepted")
	}
	if !slices.Contains(f.actions, "claimed") || !slices.Contains(f.actions, "assigned") {
		t.Errorf("the log lacks the claim or the reassignment: %v", f.actions)
	}
}

// TestRemindersAndEscalationAcrossChristmas_R12_1: received Friday
// 18.12.2026; 24, 25, 26 December and 1 January are holidays, so the entry
// deadline is Wednesday 06.01.2027. Reminders: Thursday 31.12.2026 09:00
// (three working days before) and 06.01.2027 09:00 (on the day); the
// escalation at 07.01.2027 00:00 when the deadline has passed undecided.
func TestRemindersAndEscalationAcrossChristmas_R12_1(t *testing.T) {
	start := at(2026, 12, 18, 14, 0)
	env, f := newEnv(t, start)
	var escalated wf.State
	env.RegisterDelayedCallback(func() { escalated = query(t, env) }, 21*24*time.Hour)
	update(env, 22*24*time.Hour, wf.UpdateDecide, approve("Mari"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	result(t, env)

	want := []firedAlarm{
		{wf.AlarmReminder, at(2026, 12, 31, 9, 0)},
		{wf.AlarmReminder, at(2027, 1, 6, 9, 0)},
		{wf.AlarmEscalation, at(2027, 1, 7, 0, 0)},
	}
	assertAlarms(t, f.alarms, want)
	if want := endOfDay(2027, 1, 6); !escalated.Deadlines.Entry.Equal(want) || !escalated.Escalated {
		t.Errorf("deadline %v escalated=%v, want %v and escalated", escalated.Deadlines.Entry.In(tallinn), escalated.Escalated, want)
	}
}

// TestRemindersAndEscalationAcrossEaster_R12_1: received Monday 22.03.2027;
// Good Friday 26.03.2027 is a holiday, so the deadline is Tuesday
// 06.04.2027; reminders Thursday 01.04.2027 09:00 and 06.04.2027 09:00;
// escalation 07.04.2027 00:00.
func TestRemindersAndEscalationAcrossEaster_R12_1(t *testing.T) {
	start := at(2027, 3, 22, 9, 30)
	env, f := newEnv(t, start)
	update(env, 20*24*time.Hour, wf.UpdateDecide, approve("Mari"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	result(t, env)
	assertAlarms(t, f.alarms, []firedAlarm{
		{wf.AlarmReminder, at(2027, 4, 1, 9, 0)},
		{wf.AlarmReminder, at(2027, 4, 6, 9, 0)},
		{wf.AlarmEscalation, at(2027, 4, 7, 0, 0)},
	})
}

// TestLateSubmissionIsMarkedNotRefused_R11_2: decided 20.11.2026, received
// 10.12.2026, after the late mark of 04.12.2026: marked late, processed.
func TestLateSubmissionIsMarkedNotRefused_R11_2(t *testing.T) {
	start := at(2026, 12, 10, 10, 0)
	env, _ := newEnv(t, start)
	update(env, time.Hour, wf.UpdateDecide, approve("Mari"))
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)
	if !st.Late || st.Status != wf.StatusEntered {
		t.Errorf("late=%v status=%s, want late and entered", st.Late, st.Status)
	}
}

// TestApproveWithUnresolvedDeficienciesIsRejected: after the correction
// limit passes with errors outstanding, the clerk cannot approve.
func TestApproveWithUnresolvedDeficienciesIsRejected(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start, oneError())
	a := update(env, 15*24*time.Hour, wf.UpdateDecide, approve("Mari"))
	update(env, 15*24*time.Hour+time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionRefuse, Reason: "Puudused jäid kõrvaldamata.", Clerk: "Mari"})
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)
	if a.accepted || st.Status != wf.StatusRefused || f.entered != 0 {
		t.Errorf("approve accepted=%v status=%s entered=%d", a.accepted, st.Status, f.entered)
	}
}

func assertAlarms(t *testing.T, got, want []firedAlarm) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("alarms fired: %v, want %v", got, want)
	}
	for i := range want {
		if got[i].kind != want[i].kind || !got[i].at.Equal(want[i].at) {
			t.Errorf("alarm %d: %s at %v, want %s at %v", i, got[i].kind, got[i].at, want[i].kind, want[i].at)
		}
	}
}

// TestDeficienciesTravelByReference_R13_3: in lean runs the lists of
// deficiencies stay in MongoDB: validation stores what it finds under the
// next ref, a clerk's list is stored by the correction request's notice,
// and the state (and so every Record) carries only the ref and counts.
func TestDeficienciesTravelByReference_R13_3(t *testing.T) {
	start := at(2026, 11, 23, 10, 0)
	env, f := newEnv(t, start, oneError(), nil)
	update(env, 48*time.Hour, wf.UpdateCorrect, wf.Correction{Upload: wf.Upload{ID: "u2", ReceivedAt: at(2026, 11, 25, 10, 0)}, By: "Jaan"})
	asked := oneError()
	update(env, 72*time.Hour, wf.UpdateDecide, wf.Decision{Action: wf.ActionRequestCorrections, Deficiencies: asked, Clerk: "Mari"})
	update(env, 96*time.Hour, wf.UpdateWithdraw, wf.Withdrawal{By: "Jaan", Reason: "Esitame uuesti."})
	env.ExecuteWorkflow(wf.BaseDocumentWorkflow, input(start))
	st := result(t, env)

	first, second := wf.DeficiencySetRef(st.SubmissionID, 1), wf.DeficiencySetRef(st.SubmissionID, 2)
	if len(f.sets[first]) != 1 || len(f.sets[second]) != 1 {
		t.Fatalf("stored sets %v, want validation's under %s and the clerk's under %s", f.sets, first, second)
	}
	if !slices.Contains(f.refs, first) || !slices.Contains(f.refs, "") || !slices.Contains(f.refs, second) || f.refs[len(f.refs)-1] != second {
		t.Errorf("records' refs %q: want %s, then none after the clean correction, then %s", f.refs, first, second)
	}
	if len(st.Deficiencies) != 0 || st.DeficiencySets != 2 {
		t.Errorf("state: %d deficiencies inline, %d sets; want none inline, 2 sets", len(st.Deficiencies), st.DeficiencySets)
	}
}
