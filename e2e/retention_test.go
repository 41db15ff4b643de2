package e2e

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestSupervisorDestroysADocumentPastItsRetentionThroughTheAPI_R18: an
// entered committee decision whose retention date has passed is listed by a
// retention batch (a batch terminated undecided hands it to the next);
// only the supervisor sees the list and decides; a keep
// without a reason is answered 422; the decision to destroy removes the
// document (its download answers 404), leaves a tombstone and log entries,
// and keeps the certificates, all still valid.
func TestSupervisorDestroysADocumentPastItsRetentionThroughTheAPI_R18(t *testing.T) {
	a := startAPI(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	meta, pdf := readExample(t, documents.CommitteeDecision)
	rc := a.submit(t, body, meta, pdf, "")
	a.waitStatus(t, rc.ID, wf.StatusInReview)
	if r := a.postJSON(t, clerk, "/api/v1/submissions/"+rc.ID+"/decision", map[string]any{"action": "approve"}); r.status != http.StatusOK {
		t.Fatalf("approve: %s", r)
	}
	a.waitStatus(t, rc.ID, wf.StatusEntered)

	// Its date passes (as if ten years went by).
	st := a.sys.wiring.Store
	if _, err := st.DB().Collection(store.CollRetention).UpdateOne(ctx, bson.D{{Key: "_id", Value: rc.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "retainUntil", Value: time.Now().Add(-time.Hour).UTC()}}}}); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct{ Submission, Batch, Number string }
	}
	// A batch that lists it and is then terminated undecided does not keep
	// it for ever: the next batch takes it over.
	gone := wf.RetentionScheduleID + "-gone-" + dbName(t)
	if _, err := a.sys.clients.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: gone, TaskQueue: a.sys.wiring.TaskQueue},
		wf.RetentionWorkflow, wf.RetentionInput{Limit: 10}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "listed by the first batch", func() (bool, error) {
		a.get(t, supervisor, "/api/v1/retention").json(t, &list)
		return len(list.Items) == 1 && list.Items[0].Batch == gone, nil
	})
	if err := a.sys.clients.Temporal.TerminateWorkflow(ctx, gone, "", "test: a batch ended undecided"); err != nil {
		t.Fatal(err)
	}
	batch := wf.RetentionScheduleID + "-" + dbName(t)
	run, err := a.sys.clients.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: batch, TaskQueue: a.sys.wiring.TaskQueue},
		wf.RetentionWorkflow, wf.RetentionInput{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "listed by the second batch", func() (bool, error) {
		a.get(t, supervisor, "/api/v1/retention").json(t, &list)
		return len(list.Items) == 1 && list.Items[0].Batch == batch, nil
	})
	if list.Items[0].Submission != rc.ID || list.Items[0].Batch != batch {
		t.Fatalf("listed %+v", list.Items)
	}
	for _, who := range []string{clerk, body, person} {
		if r := a.get(t, who, "/api/v1/retention"); r.status != http.StatusForbidden {
			t.Errorf("GET /retention as %s: %d", who, r.status)
		}
	}
	path := "/api/v1/retention/" + batch + "/decision"
	problemOf(t, a.postJSON(t, supervisor, path, map[string]any{"action": "keep", "keepUntil": "2040-01-01"}), 422)
	problemOf(t, a.postJSON(t, supervisor, path, map[string]any{"action": "destroy", "submissions": []string{"not-in-batch"}}), 422)
	if r := a.postJSON(t, clerk, path, map[string]any{"action": "destroy"}); r.status != http.StatusForbidden {
		t.Errorf("a clerk decided: %s", r)
	}
	if r := a.postJSON(t, supervisor, path, map[string]any{"action": "destroy"}); r.status != http.StatusOK {
		t.Fatalf("destroy: %s", r)
	}
	var final wf.RetentionState
	if err := run.Get(ctx, &final); err != nil {
		t.Fatal(err)
	}
	if len(final.Items) != 1 || final.Items[0].Outcome != store.RetentionDestroyed {
		t.Fatalf("batch %+v", final)
	}
	if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" {
		recordWorkflow(ctx, t, a.sys, batch, "retention-destroyed")
	}

	if r := a.get(t, clerk, "/api/v1/submissions/"+rc.ID+"/document"); r.status != http.StatusNotFound {
		t.Errorf("destroyed document: %s", r)
	}
	if _, err := st.StatBlob(ctx, store.BucketDocuments, store.DocumentBlobID(sha(pdf))); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the PDF is still stored (%v)", err)
	}
	ts, err := st.TombstoneOf(ctx, rc.ID)
	if err != nil || len(ts.Files) < 4 || ts.By != "Järelevalve (test)" || len(ts.Kept) != len(examples.Document(documents.CommitteeDecision).Payload.Certificates) {
		t.Errorf("tombstone %+v (%v)", ts, err)
	}
	if r := a.get(t, public, "/api/v1/register/certificates/"+holder.Number); r.status != http.StatusOK {
		t.Errorf("a valid certificate went with its document: %s", r)
	}
	entries, err := audit.New(st.DB()).List(ctx, audit.Filter{SubmissionID: rc.ID}, audit.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if !bytes.Contains([]byte(fmtList(actions)), []byte("listed for retention")) || !bytes.Contains([]byte(fmtList(actions)), []byte("destroyed")) {
		t.Errorf("log: %v", actions)
	}
}

// TestPersonTurnsOwnHolderNoticesOff: a person reads and sets their own
// choice; nobody else can.
func TestPersonTurnsOwnHolderNoticesOff(t *testing.T) {
	a := startAPI(t, 0)
	put := func(who string, v string) response {
		return a.do(t, request{who: who, method: http.MethodPut, path: "/api/v1/me/notifications", body: bytes.NewReader([]byte(v)), contentType: "application/json"})
	}
	var prefs struct{ HolderNotices bool }
	a.get(t, person, "/api/v1/me/notifications").json(t, &prefs)
	if !prefs.HolderNotices {
		t.Error("holder notices are off by default")
	}
	if r := put(person, `{"holderNotices": false}`); r.status != http.StatusOK {
		t.Fatalf("turn off: %s", r)
	}
	a.get(t, person, "/api/v1/me/notifications").json(t, &prefs)
	if prefs.HolderNotices {
		t.Error("still on after turning off")
	}
	on, err := a.sys.wiring.Store.HolderNoticesOn(context.Background(), store.PersonKey(holder.PersonalCode))
	if err != nil || on {
		t.Errorf("stored choice: %v (%v)", on, err)
	}
	problemOf(t, put(person, `{}`), 422)
	for _, who := range []string{clerk, supervisor, body} {
		if r := put(who, `{"holderNotices": false}`); r.status != http.StatusForbidden {
			t.Errorf("PUT as %s: %d", who, r.status)
		}
	}
}

func fmtList(s []string) string {
	var b bytes.Buffer
	for _, x := range s {
		b.WriteString(x + "|")
	}
	return b.String()
}

// TestRetentionAndExpirySchedulesFollowTheConfiguration: the retention
// batches may overlap (one may wait weeks for a supervisor), the expiry runs
// may not; an empty cron expression removes each.
func TestRetentionAndExpirySchedulesFollowTheConfiguration(t *testing.T) {
	ctx := context.Background()
	tc := wireWithoutWorker(t, defaults(t)).clients.Temporal
	ret := config.RetentionProcedure{Schedule: "0 4 * * *", BatchSize: 50}
	hold := config.HolderNotices{ExpirySchedule: "0 5 * * *"}
	for range 2 { // create, then bring in line
		if err := app.EnsureRetentionSchedules(ctx, discardLog(), tc, "alusdok-test", ret, hold); err != nil {
			t.Fatal(err)
		}
	}
	for id, want := range map[string]enums.ScheduleOverlapPolicy{
		wf.RetentionScheduleID: enums.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL,
		wf.ExpiryScheduleID:    enums.SCHEDULE_OVERLAP_POLICY_SKIP,
	} {
		d, err := tc.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if d.Schedule.Policy.Overlap != want || d.Schedule.Spec.TimeZoneName != "Europe/Tallinn" {
			t.Errorf("%s: overlap %v, time zone %q", id, d.Schedule.Policy.Overlap, d.Schedule.Spec.TimeZoneName)
		}
	}
	if err := app.EnsureRetentionSchedules(ctx, discardLog(), tc, "alusdok-test", config.RetentionProcedure{}, config.HolderNotices{}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{wf.RetentionScheduleID, wf.ExpiryScheduleID} {
		if _, err := tc.ScheduleClient().GetHandle(ctx, id).Describe(ctx); err == nil {
			t.Errorf("%s is still there after it was turned off", id)
		}
	}
}
