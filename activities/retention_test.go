package activities_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/retention"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// enteredForRetention stages, enters and notifies a committee decision of
// two certificates — one expired by 2036, one valid until 2045 — as the
// procedure would, with its read-model row, a log entry and its retention
// row (due on 2035-06-12).
func (r *rig) enteredForRetention(t *testing.T, sub string, pdf []byte) (documents.CertificateKey, documents.CertificateKey) {
	t.Helper()
	ctx := context.Background()
	doc := examples.GenerateCommitteeDecision(2)
	doc.Number = "EK-2025/" + sub
	for i := range doc.Payload.Certificates {
		doc.Payload.Certificates[i].Number = sub + "-" + string(rune('1'+i))
	}
	doc.Payload.Certificates[1].ValidUntil = documents.MustDate(2045, time.January, 1)
	meta, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	up := store.Upload{ID: "up-" + sub, SubmissionID: sub, DocumentBlob: store.DocumentBlobID("sha-" + sub),
		MetadataBlob: store.MetadataBlobID("up-" + sub), ReceivedAt: r.at}
	for _, b := range []struct {
		id   string
		data []byte
	}{{up.MetadataBlob, meta}, {up.DocumentBlob, pdf}} {
		if _, _, err := r.st.PutBlob(ctx, store.BucketDocuments, b.id, b.id, bytes.NewReader(b.data), store.BlobMeta{Submission: sub}, r.at); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.st.PutUpload(ctx, up); err != nil {
		t.Fatal(err)
	}
	wup := wf.Upload{ID: up.ID, SHA256: "sha-" + sub, ReceivedAt: r.at}
	res := r.enter(t, wup, sub)
	st := wf.State{SubmissionID: sub, Status: wf.StatusEntered,
		Submitter: wf.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org", Email: "tiina@example.ee"},
		Summary:   wf.Summary{Kind: "committee-decision", Number: doc.Number, DecisionDate: "2025-06-12"},
		Uploads:   []wf.Upload{wup}, EntryNumbers: res.EntryNumbers, DecidedAt: r.at,
		Notices: []wf.Notice{{Seq: 1, Type: wf.NoticeEntry, At: r.at}}}
	// A set of deficiencies the procedure stored (lean histories): kept
	// and removed with the submission.
	var warned deficiency.List
	warned.Warn("payload.certificates[0].level", "level.unusual", "Tase on ebatavaline.", "The level is unusual.")
	if _, err := r.env.ExecuteActivity(wf.ActivityStoreDeficiencies, wf.StoreDeficienciesInput{SubmissionID: sub,
		Ref: wf.DeficiencySetRef(sub, 1), List: warned, At: r.at}); err != nil {
		t.Fatal(err)
	}
	st.DeficiencySets, st.DeficiencyRef, st.DeficiencyWarnings = 1, wf.DeficiencySetRef(sub, 1), 1
	if _, err := r.env.ExecuteActivity(wf.ActivitySendNotice, wf.NoticeInput{Seq: 1, Type: wf.NoticeEntry, State: st, Clerk: "Mari", At: r.at}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.env.ExecuteActivity(wf.ActivityRecord, wf.RecordInput{Step: 5, State: st, Actor: "Mari", Action: "entered", At: r.at}); err != nil {
		t.Fatal(err)
	}
	if err := r.st.HoldForRetention(ctx, store.RetentionRow{ID: sub, Kind: "committee-decision", Number: doc.Number, DecisionDate: "2025-06-12",
		RetainUntil: time.Date(2035, 6, 12, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return doc.Payload.Certificates[0].Key(), doc.Payload.Certificates[1].Key()
}

// TestRetentionListsDecidesArchivesAndDestroys_R18 runs one retention batch
// in the workflow testsuite with virtual time, on the real activities and
// store: three entered decisions past their retention date are listed; a
// decision to keep without a reason is refused; three days later the
// supervisor archives one, keeps one with a reason and a new date, and
// destroys the last. The archive package holds the original byte for byte,
// the metadata, the notice and the log, each matching the manifest's
// SHA-256; the destroyed one's files are gone and its tombstone keeps their
// hashes; every step is in the processing log; the certificate its holder
// still needs survives both, the expired one does not.
func TestRetentionListsDecidesArchivesAndDestroys_R18(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	archive := t.TempDir()
	r.acts.ArchiveDir = archive
	mailer := &fakeMailer{}
	r.acts.Mailer, r.acts.AlarmTo = mailer, map[wf.AlarmKind]string{wf.AlarmEscalation: "jarelevalve@kutsekoda.ee"}
	expired1, valid1 := r.enteredForRetention(t, "r1", minimalPDF)
	r.enteredForRetention(t, "r2", append(bytes.Clone(minimalPDF), "% r2\n"...))
	expired3, valid3 := r.enteredForRetention(t, "r3", append(bytes.Clone(minimalPDF), "% r3\n"...))
	// Not due yet: not listed.
	if err := r.st.HoldForRetention(ctx, store.RetentionRow{ID: "later", RetainUntil: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if err := r.st.PutFirstSubmission(ctx, store.Submission{ID: "later", Status: "entered"}); err != nil {
		t.Fatal(err)
	}

	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(wf.RetentionWorkflow)
	env.RegisterActivity(r.acts)
	start := time.Date(2036, 1, 5, 4, 0, 0, 0, time.UTC)
	env.SetStartTime(start)
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "alusdok-retention-test"})
	var listed wf.RetentionState
	var refused error
	var decidedAt []time.Time
	update := func(id string, d wf.RetentionDecision, onReject func(error)) {
		env.UpdateWorkflow(wf.UpdateRetentionDecide, id, &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: onReject,
			OnComplete: func(v any, err error) {
				if err != nil {
					t.Errorf("update %s: %v", id, err)
				}
				decidedAt = append(decidedAt, env.Now())
			},
		}, d)
	}
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(wf.QueryRetention)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Get(&listed); err != nil {
			t.Fatal(err)
		}
		update("bad", wf.RetentionDecision{Action: wf.RetentionKeep, By: "Sander Järelevaataja"}, func(err error) { refused = err })
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		update("archive", wf.RetentionDecision{Action: wf.RetentionArchive, Submissions: []string{"r1"}, By: "Sander Järelevaataja"}, func(err error) { t.Errorf("archive refused: %v", err) })
		update("keep", wf.RetentionDecision{Action: wf.RetentionKeep, Submissions: []string{"r2"}, Reason: "Kohtuvaidlus pooleli",
			KeepUntil: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), By: "Sander Järelevaataja"}, func(err error) { t.Errorf("keep refused: %v", err) })
		update("destroy", wf.RetentionDecision{Action: wf.RetentionDestroy, By: "Sander Järelevaataja"}, func(err error) { t.Errorf("destroy refused: %v", err) })
	}, 3*24*time.Hour)
	env.ExecuteWorkflow(wf.RetentionWorkflow, wf.RetentionInput{Limit: 10})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var final wf.RetentionState
	if err := env.GetWorkflowResult(&final); err != nil {
		t.Fatal(err)
	}

	// Listed: the three due, not the later one.
	ids := func(st wf.RetentionState) []string {
		var out []string
		for _, it := range st.Items {
			out = append(out, it.SubmissionID)
		}
		slices.Sort(out)
		return out
	}
	if got := ids(listed); !slices.Equal(got, []string{"r1", "r2", "r3"}) {
		t.Fatalf("listed %v", got)
	}
	if refused == nil {
		t.Error("keep without a reason was accepted")
	}
	if len(mailer.sent) != 1 || mailer.sent[0].To != "jarelevalve@kutsekoda.ee" || !strings.Contains(mailer.sent[0].Subject, "3 alusdokumenti") {
		t.Errorf("supervisors told: %+v", mailer.sent)
	}
	if len(decidedAt) != 3 || decidedAt[0].Sub(start) < 3*24*time.Hour {
		t.Errorf("decided at %v (virtual), want three days after %s", decidedAt, start)
	}
	outcome := map[string]string{}
	for _, it := range final.Items {
		outcome[it.SubmissionID] = it.Outcome
	}
	if outcome["r1"] != store.RetentionArchived || outcome["r2"] != "kept until 2040-01-01" || outcome["r3"] != store.RetentionDestroyed {
		t.Errorf("outcomes %v", outcome)
	}

	// Archived: the package, its files and hashes.
	pkg := filepath.Join(archive, "r1")
	if err := activities.VerifyPackage(pkg); err != nil {
		t.Fatalf("package: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(pkg, "document.pdf"))
	if err != nil || !bytes.Equal(got, minimalPDF) {
		t.Errorf("document.pdf not the original byte for byte (%v)", err)
	}
	var m struct {
		Files []struct{ Name, SHA256 string }
	}
	raw, _ := os.ReadFile(filepath.Join(pkg, activities.ManifestName))
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range m.Files {
		names = append(names, f.Name)
	}
	for _, want := range []string{"document.pdf", "metadata.json", "notices/1-entry.pdf", "processing-log.json", "records.json"} {
		if !slices.Contains(names, want) {
			t.Errorf("package lacks %s (has %v)", want, names)
		}
	}
	var logged []audit.Entry
	raw, _ = os.ReadFile(filepath.Join(pkg, "processing-log.json"))
	if err := json.Unmarshal(raw, &logged); err != nil || len(logged) < 2 {
		t.Errorf("package log: %d entries (%v)", len(logged), err)
	}

	// Archived and destroyed: files gone, tombstones with hashes, the log.
	for _, sub := range []string{"r1", "r3"} {
		for _, blob := range []string{store.DocumentBlobID("sha-" + sub), store.MetadataBlobID("up-" + sub), "notice-" + store.NoticeID(sub, 1)} {
			if _, err := r.st.StatBlob(ctx, store.BucketDocuments, blob); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: blob %s still stored (%v)", sub, blob, err)
			}
		}
		if n := count(t, r.st, store.BucketDocuments+".chunks", bson.D{{Key: "files_id", Value: store.DocumentBlobID("sha-" + sub)}}); n != 0 {
			t.Errorf("%s: %d chunks left", sub, n)
		}
		if _, err := r.st.Deficiencies(ctx, wf.DeficiencySetRef(sub, 1)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: its set of deficiencies is still stored (%v)", sub, err)
		}
		ts, err := r.st.TombstoneOf(ctx, sub)
		if err != nil || len(ts.Files) < 3 || ts.By != "Sander Järelevaataja" {
			t.Errorf("%s: tombstone %+v (%v)", sub, ts, err)
		}
		for _, f := range ts.Files {
			if len(f.SHA256) != 64 {
				t.Errorf("%s: tombstone file %s without a hash", sub, f.Name)
			}
		}
	}
	// The valid certificates survive; the expired ones are gone.
	for _, k := range []documents.CertificateKey{valid1, valid3} {
		if _, err := r.st.Certificate(ctx, k); err != nil {
			t.Errorf("valid certificate %s: %v", k.Number, err)
		}
	}
	for _, k := range []documents.CertificateKey{expired1, expired3} {
		if _, err := r.st.Certificate(ctx, k); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired certificate %s: %v, want removed", k.Number, err)
		}
	}
	// Kept: its files stay, held again until the new date.
	if _, err := r.st.StatBlob(ctx, store.BucketDocuments, store.DocumentBlobID("sha-r2")); err != nil {
		t.Errorf("kept document: %v", err)
	}
	row, err := r.st.Retention(ctx, "r2")
	if err != nil || row.State != store.RetentionHeld || row.Reason != "Kohtuvaidlus pooleli" || row.RetainUntil.Year() != 2040 {
		t.Errorf("kept row %+v (%v)", row, err)
	}
	// R17: every step logged.
	for sub, actions := range map[string][]string{
		"r1": {"listed for retention", "archived"}, "r2": {"listed for retention", "kept longer"}, "r3": {"listed for retention", "destroyed"},
	} {
		entries, err := audit.New(r.st.DB()).List(ctx, audit.Filter{SubmissionID: sub}, audit.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Action)
		}
		for _, a := range actions {
			if !slices.Contains(got, a) {
				t.Errorf("%s: log lacks %q (has %v)", sub, a, got)
			}
		}
	}
	rep, err := audit.New(r.st.DB()).Verify(ctx)
	if err != nil || !rep.Whole() {
		t.Errorf("log verify: %v %s", err, rep)
	}
}

// TestRetentionBackfillsWhatWasStoredUndated_R4_2: a submission stored
// before retention rows existed gets one, and its file written with the
// zero date (year 1, the old omitzero bug) gets the submission's date, when
// the next batch runs; nothing of it is listed before its date.
func TestRetentionBackfillsWhatWasStoredUndated_R4_2(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	policy, err := retention.New(10, "")
	if err != nil {
		t.Fatal(err)
	}
	r.acts.Retention = policy
	if err := r.st.PutFirstSubmission(ctx, store.Submission{ID: "old", Status: string(wf.StatusEntered), Kind: "committee-decision",
		Number: "EK-2019/1", DecisionDate: "2019-03-04"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.DB().Collection(store.BucketDocuments+".files").InsertOne(ctx, bson.D{
		{Key: "_id", Value: "meta-old"}, {Key: "length", Value: int64(0)}, {Key: "chunkSize", Value: int32(store.ChunkSize)},
		{Key: "uploadDate", Value: r.at}, {Key: "filename", Value: "metadata.json"},
		{Key: "metadata", Value: bson.D{{Key: "sha256", Value: "x"}, {Key: "submission", Value: "old"}, {Key: "retainUntil", Value: time.Time{}}}},
	}); err != nil {
		t.Fatal(err)
	}
	v, err := r.env.ExecuteActivity(wf.ActivityListForRetention, wf.ListForRetentionInput{Batch: "b", Now: r.at, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var items []wf.RetentionItem
	if err := v.Get(&items); err != nil || len(items) != 0 {
		t.Errorf("listed %+v (%v), want nothing before 2029-03-04", items, err)
	}
	want := time.Date(2029, 3, 4, 0, 0, 0, 0, time.UTC)
	row, err := r.st.Retention(ctx, "old")
	if err != nil || !row.RetainUntil.Equal(want) || row.State != store.RetentionHeld {
		t.Errorf("row %+v (%v)", row, err)
	}
	b, err := r.st.StatBlob(ctx, store.BucketDocuments, "meta-old")
	if err != nil || !b.Metadata.RetainUntil.Equal(want) || !slices.Contains(b.Metadata.Submissions, "old") {
		t.Errorf("blob %+v (%v)", b.Metadata, err)
	}
}
