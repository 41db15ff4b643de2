package workflows_test

import (
	"log/slog"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/kutsekoda/alusdok/codec"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestRecordedHistoriesReplay replays every history recorded from real runs
// (testdata/histories, recorded by the e2e tests) against today's workflow
// code: a change that would break running workflows fails here. Such a
// change must go behind workflow.GetVersion.
func TestRecordedHistoriesReplay(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recorded histories in testdata/histories")
	}
	keys, err := codec.LoadKeys("../codec/testdata/test-keys")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			// Histories recorded since the payload codec are encrypted
			// with the test keys; older ones are plain and pass through.
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: keys.DataConverter()})
			if err != nil {
				t.Fatal(err)
			}
			r.RegisterWorkflow(wf.BaseDocumentWorkflow)
			r.RegisterWorkflow(wf.JanitorWorkflow)
			r.RegisterWorkflow(wf.ReportWorkflow)
			r.RegisterWorkflow(wf.ExportWorkflow)
			r.RegisterWorkflow(wf.RetentionWorkflow)
			r.RegisterWorkflow(wf.HolderNoticesWorkflow)
			r.RegisterWorkflow(wf.ExpiryNoticesWorkflow)
			if err := r.ReplayWorkflowHistoryFromJSONFile(log.NewStructuredLogger(slog.New(slog.DiscardHandler)), f); err != nil {
				t.Errorf("replay %s: %v", f, err)
			}
		})
	}
}
