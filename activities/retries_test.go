package activities_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.temporal.io/sdk/testsuite"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/devstack/devstacktest"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/store"
	"github.com/kutsekoda/alusdok/workdays"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// testFerret is the embedded FerretDB shared by the package's tests.
var testFerret = devstacktest.Shared{Name: "acts"}

func TestMain(m *testing.M) {
	code := m.Run()
	testFerret.Close()
	os.Exit(code)
}

// rig is the activities on a fresh embedded database with the example
// register, run in Temporal's test activity environment.
type rig struct {
	acts *activities.Activities
	st   *store.Store
	env  *testsuite.TestActivityEnvironment
	at   time.Time
}

func newRig(t testing.TB) *rig {
	t.Helper()
	db := testFerret.Database(t)
	st := store.New(db)
	at := time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC)
	if err := st.Seed(context.Background(), examples.Register(), store.Entry{SubmissionID: "seed", EntryNumber: "KR-seed", At: at}); err != nil {
		t.Fatal(err)
	}
	cal, err := workdays.Default()
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := notices.NewRenderer(notices.DefaultSender())
	if err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{Calendar: cal, Periods: activities.DefaultPeriods(), Store: st,
		Validator: documents.NewValidator(documents.DefaultPolicy()), Notices: renderer, Audit: audit.New(db),
		Log: slog.New(slog.DiscardHandler)}
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	return &rig{acts: acts, st: st, env: env, at: at}
}

// stage stores a committee decision of the given certificate numbers as
// an upload of submission sub, as intake would.
func (r *rig) stage(t *testing.T, sub string, numbers ...string) wf.Upload {
	t.Helper()
	doc := examples.GenerateCommitteeDecision(len(numbers))
	doc.Number = "EK-2025/" + sub
	for i := range doc.Payload.Certificates {
		doc.Payload.Certificates[i].Number = numbers[i]
	}
	return r.stageDoc(t, sub, doc)
}

// stageDoc stores doc as an upload of submission sub, as intake would.
func (r *rig) stageDoc(t testing.TB, sub string, doc *documents.BaseDocument) wf.Upload {
	t.Helper()
	ctx := context.Background()
	meta, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	up := store.Upload{ID: "up-" + sub, SubmissionID: sub, DocumentBlob: store.DocumentBlobID("sha-" + sub),
		MetadataBlob: store.MetadataBlobID("up-" + sub), ReceivedAt: r.at}
	if _, _, err := r.st.PutBlob(ctx, store.BucketDocuments, up.MetadataBlob, "metadata.json", bytes.NewReader(meta), store.BlobMeta{}, r.at); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.st.PutBlob(ctx, store.BucketDocuments, up.DocumentBlob, "otsus.pdf", bytes.NewReader(minimalPDF), store.BlobMeta{}, r.at); err != nil {
		t.Fatal(err)
	}
	if err := r.st.PutUpload(ctx, up); err != nil {
		t.Fatal(err)
	}
	return wf.Upload{ID: up.ID, SHA256: "sha-" + sub, ReceivedAt: r.at}
}

// minimalPDF is a one-page PDF for the stamped viewing copy.
var minimalPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func (r *rig) enter(t *testing.T, up wf.Upload, sub string) wf.EnterResult {
	t.Helper()
	v, err := r.env.ExecuteActivity(wf.ActivityEnter, wf.EnterInput{SubmissionID: sub, Upload: up, Clerk: "Mari", At: r.at})
	if err != nil {
		t.Fatalf("enter %s: %v", sub, err)
	}
	var res wf.EnterResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func count(t *testing.T, st *store.Store, coll string, filter bson.D) int64 {
	t.Helper()
	n, err := st.DB().Collection(coll).CountDocuments(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEnterRetriedOrResumedWritesOnce_R12_1: Enter run again — from the
// start, or resuming from heartbeat details — writes nothing twice.
func TestEnterRetriedOrResumedWritesOnce_R12_1(t *testing.T) {
	r := newRig(t)
	up := r.stage(t, "s1", "A-1", "A-2", "A-3")
	first := r.enter(t, up, "s1")
	if len(first.Conflicts) != 0 || first.Records != 3 || len(first.EntryNumbers) != 1 {
		t.Fatalf("first entry: %+v", first)
	}
	// A retry from the start, then one resuming from where a dead attempt
	// had reported progress.
	if again := r.enter(t, up, "s1"); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Errorf("retried: %+v, want %+v", again, first)
	}
	r.env.SetHeartbeatDetails(store.Progress{Claimed: 3, Certificates: 1})
	if again := r.enter(t, up, "s1"); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Errorf("resumed: %+v, want %+v", again, first)
	}
	if n := count(t, r.st, store.CollCertificates, bson.D{{Key: "submission", Value: "s1"}}); n != 3 {
		t.Errorf("%d certificate records, want 3", n)
	}
	if n := count(t, r.st, store.CollClaims, bson.D{{Key: "submission", Value: "s1"}}); n != 3 {
		t.Errorf("%d claims, want 3", n)
	}
}

// TestEnterConflictIsAnAnswerNotAFailure_R13_3: a number another
// submission entered meanwhile is answered as a conflict, nothing written.
func TestEnterConflictIsAnAnswerNotAFailure_R13_3(t *testing.T) {
	r := newRig(t)
	r.enter(t, r.stage(t, "s1", "B-1", "B-2"), "s1")
	res := r.enter(t, r.stage(t, "s2", "B-0", "B-2", "B-3"), "s2")
	if len(res.Conflicts) != 1 || res.Conflicts[0].Field != "payload.certificates[1].number" ||
		res.Conflicts[0].Code != documents.CodeEntryCertificateTaken || len(res.EntryNumbers) != 0 {
		t.Fatalf("conflicting entry: %+v", res)
	}
	if n := count(t, r.st, store.CollCertificates, bson.D{{Key: "submission", Value: "s2"}}); n != 0 {
		t.Errorf("the conflicting entry wrote %d certificates", n)
	}
	if n := count(t, r.st, store.CollClaims, bson.D{{Key: "submission", Value: "s2"}}); n != 0 {
		t.Errorf("the conflicting entry kept %d claims", n)
	}
}

// TestRecordRetriedWritesOneLogEntry_R17: Record run twice for one step
// appends one processing-log entry; an earlier step arriving late does
// not move the read model back.
func TestRecordRetriedWritesOneLogEntry_R17(t *testing.T) {
	r := newRig(t)
	st := wf.State{SubmissionID: "s1", Status: wf.StatusInReview, Turn: wf.TurnClerk,
		Submitter: wf.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org"},
		Summary:   wf.Summary{Kind: "committee-decision", Number: "EK-2025/14", DecisionDate: "2025-06-12"}}
	rec := func(step int, s wf.State, action string) {
		t.Helper()
		if _, err := r.env.ExecuteActivity(wf.ActivityRecord, wf.RecordInput{Step: step, State: s, Actor: "system", Action: action, At: r.at}); err != nil {
			t.Fatal(err)
		}
	}
	rec(2, st, "validated")
	rec(2, st, "validated")
	early := st
	early.Status = wf.StatusReceived
	rec(1, early, "received")
	if n := count(t, r.st, audit.CollEntries, bson.D{{Key: "submissionId", Value: "s1"}}); n != 2 {
		t.Errorf("%d log entries, want 2 (steps 1 and 2, each once)", n)
	}
	row, err := r.st.Submission(context.Background(), "s1")
	if err != nil || row.Status != string(wf.StatusInReview) || row.Step != 2 {
		t.Errorf("read model %+v (%v), want in-review at step 2", row, err)
	}
}

// TestSendNoticeRetriedStoresOneNotice_R12_4: SendNotice run twice stores
// one notice with one PDF.
func TestSendNoticeRetriedStoresOneNotice_R12_4(t *testing.T) {
	r := newRig(t)
	up := r.stage(t, "s1", "C-1")
	st := wf.State{SubmissionID: "s1", Status: wf.StatusRefused,
		Submitter: wf.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org", Email: "tiina@example.ee"},
		Summary:   wf.Summary{Kind: "committee-decision", Number: "EK-2025/s1", DecisionDate: "2025-06-12"},
		Uploads:   []wf.Upload{up}}
	in := wf.NoticeInput{Seq: 1, Type: wf.NoticeRefusal, State: st, Reason: "Andmed on puudulikud.", Clerk: "Mari", At: r.at}
	for range 2 {
		if _, err := r.env.ExecuteActivity(wf.ActivitySendNotice, in); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, r.st, store.CollNotices, bson.D{{Key: "submission", Value: "s1"}}); n != 1 {
		t.Errorf("%d notices, want 1", n)
	}
	if n := count(t, r.st, store.BucketDocuments+".files", bson.D{{Key: "_id", Value: "notice-" + store.NoticeID("s1", 1)}}); n != 1 {
		t.Errorf("%d notice files, want 1", n)
	}
}
