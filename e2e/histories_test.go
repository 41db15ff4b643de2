package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/intake"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// historiesDir is where the replay tests of package workflows read recorded
// histories. Set ALUSDOK_RECORD_HISTORIES=1 to record them anew: do that only
// for a new path, never to make a changed workflow pass its replay test.
const historiesDir = "../workflows/testdata/histories"

// TestProcedurePaths runs the workflow's main paths on the real stack —
// refusal, extension then entry, withdrawal — and checks each ends right;
// with ALUSDOK_RECORD_HISTORIES=1 it also records their histories for
// replay.
func TestProcedurePaths(t *testing.T) {
	sys := start(t, defaults(t))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	paths := []struct {
		name      string
		kind      documents.Kind
		decisions []wf.Decision
		withdraw  bool
		want      wf.Status
	}{
		{"refused", documents.StandardDecision, []wf.Decision{{Action: wf.ActionRefuse, Reason: "Kutsestandard on juba registris.", Clerk: "Mari Maasikas"}}, false, wf.StatusRefused},
		{"extended-then-entered", documents.AwardingRightDecision, []wf.Decision{
			{Action: wf.ActionExtend, WorkingDays: 5, Reason: "Kutse andja andmete kontroll.", Clerk: "Mari Maasikas"},
			{Action: wf.ActionApprove, Clerk: "Mari Maasikas"},
		}, false, wf.StatusEntered},
		{"withdrawn", documents.GovernmentOrder, nil, true, wf.StatusWithdrawn},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			meta, pdf := readExample(t, p.kind)
			rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: submitterOf(p.kind), PDF: bytes.NewReader(pdf), Filename: "doc.pdf", Metadata: meta})
			var rej *intake.RejectedError
			if errors.As(err, &rej) {
				t.Fatalf("submit: %v", rej.Deficiencies)
			}
			if err != nil {
				t.Fatalf("submit: %v", err)
			}
			waitStatus(t, sys, rc.SubmissionID, wf.StatusInReview)
			for _, d := range p.decisions {
				if _, err := decide(ctx, t, sys, rc.SubmissionID, d); err != nil {
					t.Fatalf("%s: %v", d.Action, err)
				}
			}
			if p.withdraw {
				if err := withdraw(ctx, sys, rc.SubmissionID, "Kutsekoda"); err != nil {
					t.Fatalf("withdraw: %v", err)
				}
			}
			waitStatus(t, sys, rc.SubmissionID, p.want)
			run := sys.clients.Temporal.GetWorkflow(ctx, wf.SubmissionWorkflowID(rc.SubmissionID), "")
			var st wf.State
			if err := run.Get(ctx, &st); err != nil || st.Status != p.want {
				t.Fatalf("workflow result: %v, %s", err, st.Status)
			}
			if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" {
				record(ctx, t, sys, rc.SubmissionID, p.name)
			}
		})
	}
}

func withdraw(ctx context.Context, sys *system, id, by string) error {
	h, err := sys.clients.Temporal.UpdateWorkflow(ctx, updateOptions(id, wf.UpdateWithdraw, wf.Withdrawal{By: by, Reason: "Esitatud ekslikult."}))
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

// record writes a submission workflow's history as JSON for the replay
// tests.
func record(ctx context.Context, tb testing.TB, sys *system, id, name string) {
	tb.Helper()
	recordWorkflow(ctx, tb, sys, wf.SubmissionWorkflowID(id), name)
}

// recordWorkflow writes the history of the workflow with this ID.
func recordWorkflow(ctx context.Context, tb testing.TB, sys *system, workflowID, name string) {
	tb.Helper()
	// Only a closed workflow's history is whole.
	if err := sys.clients.Temporal.GetWorkflow(ctx, workflowID, "").Get(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	var h historypb.History
	it := sys.clients.Temporal.GetWorkflowHistory(ctx, workflowID, "", false, 0)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			tb.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(&h)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(historiesDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(historiesDir, name+".json"), b, 0o644); err != nil {
		tb.Fatal(err)
	}
}
