package e2e

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestJanitorRemovesLeftoversAndNothingInUse: what killed requests leave —
// a spooled upload part, an upload staged but never handed to a workflow,
// its metadata file, a PDF only it used — is removed; a submission's
// uploads, documents and notices are not, however old.
func TestJanitorRemovesLeftoversAndNothingInUse(t *testing.T) {
	ctx := context.Background()
	sys := wireWithoutWorker(t, defaults(t))
	spool := t.TempDir()
	sys.wiring.Activities.SpoolDir = spool
	wk := worker.New(sys.clients.Temporal, sys.wiring.TaskQueue, worker.Options{})
	sys.wiring.Register(wk)
	if err := wk.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(wk.Stop)

	// A submission in use.
	meta, pdf := readExample(t, documents.CommitteeDecision)
	rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: submitterOf(documents.CommitteeDecision), PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, sys, rc.SubmissionID, wf.StatusInReview)

	// Leftovers of killed requests, two days old.
	old := time.Now().Add(-48 * time.Hour)
	st := sys.wiring.Store
	orphan := store.Upload{ID: "orphan-upload", SubmissionID: "never-started", DocumentBlob: "pdf-orphan", MetadataBlob: store.MetadataBlobID("orphan-upload"), ReceivedAt: old}
	for _, id := range []string{orphan.DocumentBlob, orphan.MetadataBlob} {
		if _, _, err := st.PutBlob(ctx, store.BucketDocuments, id, id, bytes.NewReader([]byte("leftover "+id)), store.BlobMeta{}, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutUpload(ctx, orphan); err != nil {
		t.Fatal(err)
	}
	part := filepath.Join(spool, "multipart-123456")
	fresh := filepath.Join(spool, "multipart-654321")
	other := filepath.Join(spool, "not-ours")
	for _, p := range []string{part, fresh, other} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{part, other} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}

	run, err := sys.clients.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "janitor-" + dbName(t), TaskQueue: sys.wiring.TaskQueue},
		wf.JanitorWorkflow, wf.JanitorInput{Grace: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var res wf.SweepResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if res != (wf.SweepResult{SpoolFiles: 1, Uploads: 1, Blobs: 2}) {
		t.Errorf("swept %+v, want the one old spool part, the orphan upload and its two files", res)
	}
	if _, err := st.Upload(ctx, orphan.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the orphan upload is still there: %v", err)
	}
	for _, p := range []string{fresh, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: only old multipart parts go", p)
		}
	}
	if _, err := os.Stat(part); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the old spooled part is still there: %v", err)
	}

	// Nothing in use is removed, however old: sweep again with everything
	// past its grace.
	run, err = sys.clients.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "janitor-all-" + dbName(t), TaskQueue: sys.wiring.TaskQueue},
		wf.JanitorWorkflow, wf.JanitorInput{Grace: -time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if res.Uploads != 0 || res.Blobs != 0 {
		t.Errorf("a second sweep removed %+v of a submission in use", res)
	}
	up, err := st.Upload(ctx, rc.UploadID)
	if err != nil {
		t.Fatalf("the submission's upload: %v", err)
	}
	for _, id := range []string{up.DocumentBlob, up.MetadataBlob} {
		if _, err := st.StatBlob(ctx, store.BucketDocuments, id); err != nil {
			t.Errorf("the submission's file %s: %v", id, err)
		}
	}
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestJanitorScheduleExistsAndFollowsTheConfiguration: a worker's start
// creates the daily schedule, a second start with another time updates it,
// an empty schedule deletes it.
func TestJanitorScheduleExistsAndFollowsTheConfiguration(t *testing.T) {
	ctx := context.Background()
	tc := wireWithoutWorker(t, defaults(t)).clients.Temporal
	for _, c := range []struct {
		cron         string
		hour, minute int
	}{{"30 3 * * *", 3, 30}, {"15 2 * * *", 2, 15}} {
		cron := c.cron
		if err := app.EnsureJanitorSchedule(ctx, discardLog(), tc, "alusdok-test", config.Janitor{Schedule: cron, Grace: 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		d, err := tc.ScheduleClient().GetHandle(ctx, wf.JanitorScheduleID).Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The server keeps a cron expression as a calendar.
		spec := d.Schedule.Spec
		ok := slices.Equal(spec.CronExpressions, []string{cron})
		if len(spec.Calendars) == 1 && len(spec.Calendars[0].Hour) == 1 && len(spec.Calendars[0].Minute) == 1 {
			ok = spec.Calendars[0].Hour[0].Start == c.hour && spec.Calendars[0].Minute[0].Start == c.minute
		}
		if !ok {
			t.Errorf("schedule spec %+v, want %s", spec, cron)
		}
		if d.Schedule.Spec.TimeZoneName != "Europe/Tallinn" {
			t.Errorf("time zone %q", d.Schedule.Spec.TimeZoneName)
		}
	}
	if err := app.EnsureJanitorSchedule(ctx, discardLog(), tc, "alusdok-test", config.Janitor{}); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.ScheduleClient().GetHandle(ctx, wf.JanitorScheduleID).Describe(ctx); err == nil {
		t.Error("the schedule is still there after it was turned off")
	}
}
