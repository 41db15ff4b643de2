package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// fastClock stands in for the calendar activities: deadlines seconds away
// instead of working days, so that the timer paths — a reminder, an
// escalation, a correction limit passing — run on the real server within
// the test. The workflow cannot tell: deadlines come to it from activities.
type fastClock struct{ reminder, entry, limit time.Duration }

func (f fastClock) Deadlines(context.Context, wf.DeadlinesInput) (wf.DeadlinesResult, error) {
	now := time.Now()
	entry := now.Add(f.entry)
	return wf.DeadlinesResult{LateMark: now.Add(time.Hour), Entry: entry, MaxExtensionDays: 20,
		Alarms: []wf.Alarm{{At: now.Add(f.reminder), Kind: wf.AlarmReminder}, {At: entry, Kind: wf.AlarmEscalation}}}, nil
}

func (f fastClock) CorrectionLimit(context.Context, wf.CorrectionLimitInput) (wf.CorrectionLimitResult, error) {
	limit := time.Now().Add(f.limit)
	after := limit.Add(time.Hour)
	return wf.CorrectionLimitResult{Limit: limit, EntryAfter: after, AlarmsAfter: []wf.Alarm{{At: after, Kind: wf.AlarmEscalation}}}, nil
}

// TestTimerAndClerkPaths runs on the real stack the paths whose timers fire
// — reminded then escalated then entered; corrections asked for and the
// limit passing, then refused — and the clerk's newer paths: claimed and
// handed over then entered; an entry conflict back to the clerk then
// refused. With ALUSDOK_RECORD_HISTORIES=1 it records their histories for
// the replay tests.
func TestTimerAndClerkPaths(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sys := wireWithoutWorker(t, defaults(t))
	wk := worker.New(sys.clients.Temporal, sys.wiring.TaskQueue, worker.Options{})
	sys.wiring.Register(wk)
	clock := fastClock{reminder: 2 * time.Second, entry: 4 * time.Second, limit: 2 * time.Second}
	again := activity.RegisterOptions{DisableAlreadyRegisteredCheck: true}
	again.Name = wf.ActivityDeadlines
	wk.RegisterActivityWithOptions(clock.Deadlines, again)
	again.Name = wf.ActivityCorrectionLimit
	wk.RegisterActivityWithOptions(clock.CorrectionLimit, again)
	if err := wk.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(wk.Stop)

	sub := submitterOf(documents.CommitteeDecision)
	_, pdf := readExample(t, documents.CommitteeDecision)
	holders := examples.GenerateCommitteeDecision(8).Payload.Certificates
	run := fmt.Sprint(time.Now().UnixNano())
	n := 0
	submitDoc := func(numbers ...string) string {
		t.Helper()
		doc := examples.GenerateCommitteeDecision(len(numbers))
		doc.Number = fmt.Sprintf("EK-2025/T%s-%d", run, n)
		doc.Payload.Certificates = append(doc.Payload.Certificates[:0:0], holders[n:n+len(numbers)]...)
		n += len(numbers)
		for i := range doc.Payload.Certificates {
			doc.Payload.Certificates[i].Number = numbers[i]
		}
		meta, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: sub, PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, sys, rc.SubmissionID, wf.StatusInReview)
		return rc.SubmissionID
	}
	must := func(res wf.DecisionResult, err error) wf.DecisionResult {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	finish := func(name, id string, want wf.Status) {
		t.Helper()
		waitStatus(t, sys, id, want)
		if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" {
			record(ctx, t, sys, id, name)
		}
	}

	t.Run("reminded-escalated-then-entered", func(t *testing.T) {
		id := submitDoc("T" + run + "-a")
		eventually(t, time.Minute, "escalated", func() (bool, error) {
			s, err := sys.wiring.Store.Submission(ctx, id)
			return err == nil && s.Escalated, nil
		})
		must(decide(ctx, t, sys, id, approve("Mari Maasikas")))
		finish(t.Name()[len("TestTimerAndClerkPaths/"):], id, wf.StatusEntered)
	})
	t.Run("correction-limit-passed-then-refused", func(t *testing.T) {
		id := submitDoc("T" + run + "-b")
		var defs deficiency.List
		defs.Add("payload.certificates[0].placeOfIssue", "field.required", "Väljaandmise koht puudub.", "The place of issue is missing.")
		if res := must(decide(ctx, t, sys, id, wf.Decision{Action: wf.ActionRequestCorrections, Deficiencies: defs, Clerk: "Mari Maasikas"})); res.Status != wf.StatusAwaitingCorrections {
			t.Fatalf("request corrections: %s", res.Status)
		}
		s := waitStatus(t, sys, id, wf.StatusInReview) // the limit passed: the clerk decides
		if s.CorrectionRounds != 0 {
			t.Errorf("correction rounds %d", s.CorrectionRounds)
		}
		must(decide(ctx, t, sys, id, wf.Decision{Action: wf.ActionRefuse, Reason: "Parandusi ei esitatud tähtajaks.", Clerk: "Mari Maasikas"}))
		finish("correction-limit-passed-then-refused", id, wf.StatusRefused)
	})
	t.Run("claimed-reassigned-then-entered", func(t *testing.T) {
		id := submitDoc("T" + run + "-c")
		for _, a := range []wf.Assignment{{Assignee: "Mari Maasikas", By: "Mari Maasikas"}, {Assignee: "Jüri Juurikas", By: "Mari Maasikas"}} {
			h, err := sys.clients.Temporal.UpdateWorkflow(ctx, updateOptions(id, wf.UpdateAssign, a))
			if err == nil {
				err = h.Get(ctx, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if s, _ := sys.wiring.Store.Submission(ctx, id); s.Assignee != "Jüri Juurikas" {
			t.Errorf("assignee %q in the worklist", s.Assignee)
		}
		must(decide(ctx, t, sys, id, approve("Jüri Juurikas")))
		finish("claimed-reassigned-then-entered", id, wf.StatusEntered)
	})
	t.Run("entry-conflict-then-refused", func(t *testing.T) {
		shared := "T" + run + "-d"
		first := submitDoc(shared, "T"+run+"-e")
		second := submitDoc("T"+run+"-f", shared)
		must(decide(ctx, t, sys, first, approve("Mari Maasikas")))
		if res := must(decide(ctx, t, sys, second, approve("Mari Maasikas"))); res.Status != wf.StatusInReview {
			t.Fatalf("the second approval: %s, want back in review", res.Status)
		}
		must(decide(ctx, t, sys, second, wf.Decision{Action: wf.ActionRefuse, Reason: "Tunnistuse number on juba kasutusel.", Clerk: "Mari Maasikas"}))
		finish("entry-conflict-then-refused", second, wf.StatusRefused)
	})
}
