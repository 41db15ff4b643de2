package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/notices/smtptest"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

func readExample(tb testing.TB, kind documents.Kind) (meta, pdf []byte) {
	tb.Helper()
	meta, err := os.ReadFile("../documents/testdata/examples/" + string(kind) + ".json")
	if err != nil {
		tb.Fatal(err)
	}
	pdf, err = os.ReadFile("../documents/testdata/examples/" + string(kind) + ".pdf")
	if err != nil {
		tb.Fatal(err)
	}
	return meta, pdf
}

func submitterOf(kind documents.Kind) intake.Submitter {
	s := examples.Submitter(kind)
	return intake.Submitter{Organisation: s.Organisation, Name: s.Name}
}

func decide(ctx context.Context, tb testing.TB, sys *system, id string, d wf.Decision) (wf.DecisionResult, error) {
	tb.Helper()
	h, err := sys.clients.Temporal.UpdateWorkflow(ctx, updateOptions(id, wf.UpdateDecide, d))
	var res wf.DecisionResult
	if err == nil {
		err = h.Get(ctx, &res)
	}
	return res, err
}

func updateOptions(id, name string, arg any) client.UpdateWorkflowOptions {
	return client.UpdateWorkflowOptions{
		WorkflowID: wf.SubmissionWorkflowID(id), UpdateName: name,
		WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{arg},
	}
}

func waitStatus(tb testing.TB, sys *system, id string, want wf.Status) store.Submission {
	tb.Helper()
	var sub store.Submission
	defer func() {
		if tb.Failed() {
			describe(tb, sys, id)
		}
	}()
	eventually(tb, 20*time.Second, "status "+string(want), func() (bool, error) {
		var err error
		sub, err = sys.wiring.Store.Submission(context.Background(), id)
		if err != nil {
			return false, nil
		}
		return sub.Status == string(want), nil
	})
	if want.Final() {
		// What follows a final step (the entry notice, the e-mails) is
		// written by the time the workflow closes: the row then.
		waitClosed(tb, sys, id)
		var err error
		if sub, err = sys.wiring.Store.Submission(context.Background(), id); err != nil {
			tb.Fatal(err)
		}
	}
	return sub
}

// waitClosed waits until the submission's workflow has closed.
func waitClosed(tb testing.TB, sys *system, id string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sys.clients.Temporal.GetWorkflow(ctx, wf.SubmissionWorkflowID(id), "").Get(ctx, nil); err != nil {
		tb.Fatalf("workflow of %s: %v", id, err)
	}
}

// TestCommitteeDecisionCorrectedOnceThenEntered_R12 runs the whole procedure
// on the embedded stack: an awarding body submits a committee decision; a
// clerk asks for corrections (R13.3); the body submits corrected documents
// (R12.2); the clerk approves; every certificate is in MongoDB once; the
// entry notice (R12.4), read back with pdftotext, names the document and the
// certificate numbers and no holder; it reached the test's SMTP server; the
// processing log (R17) verifies whole, and not after an entry is altered.
func TestCommitteeDecisionCorrectedOnceThenEntered_R12(t *testing.T) {
	smtp := smtptest.Start(t)
	cfg := defaults(t)
	cfg.Worker.SMTP.Host, cfg.Worker.SMTP.Port = smtp.Host, smtp.Port
	sys := start(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	meta, pdf := readExample(t, documents.CommitteeDecision)
	sub := submitterOf(documents.CommitteeDecision)
	rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: sub, PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	waitStatus(t, sys, rc.SubmissionID, wf.StatusInReview)
	// Intake keeps its validation on the upload, for the workflow's first
	// validation to re-check only the register (issue #15).
	if up, err := sys.wiring.Store.Upload(ctx, rc.UploadID); err != nil || up.Intake == nil ||
		up.Intake.Rules != documents.NewValidator(documents.DefaultPolicy()).RulesID() || up.Intake.Day != documents.DateOf(rc.ReceivedAt).String() {
		t.Errorf("the staged upload's kept intake validation: %+v, %v", up.Intake, err)
	}

	var defs deficiency.List
	defs.Add("payload.certificates[0].placeOfIssue", "inquiry", "Väljaandmise koht vajab täpsustamist.", "The place of issue needs clarifying.")
	res, err := decide(ctx, t, sys, rc.SubmissionID, wf.Decision{Action: wf.ActionRequestCorrections, Deficiencies: defs, Clerk: "Mari Maasikas"})
	if err != nil || res.Status != wf.StatusAwaitingCorrections {
		t.Fatalf("request corrections: %v, %s", err, res.Status)
	}
	_, cres, err := sys.wiring.Intake.Correct(ctx, rc.SubmissionID, intake.Request{Submitter: sub, PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
	if err != nil || cres.Status != wf.StatusInReview {
		t.Fatalf("correct: %v, %s", err, cres.Status)
	}
	res, err = decide(ctx, t, sys, rc.SubmissionID, wf.Decision{Action: wf.ActionApprove, Clerk: "Mari Maasikas"})
	if err != nil || res.Status != wf.StatusEntered {
		t.Fatalf("approve: %v, %s", err, res.Status)
	}
	final := waitStatus(t, sys, rc.SubmissionID, wf.StatusEntered)
	if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" {
		defer record(ctx, t, sys, rc.SubmissionID, "corrected-then-entered")
	}

	// Every certificate entered exactly once, traceable to the submission.
	doc := examples.Document(documents.CommitteeDecision)
	for _, c := range doc.Payload.Certificates {
		r, err := sys.wiring.Store.Certificate(ctx, c.Key())
		if err != nil {
			t.Fatalf("certificate %s: %v", c.Number, err)
		}
		if r.Submission != rc.SubmissionID || r.EntryNumber == "" {
			t.Errorf("certificate %s: submission %q entry %q", c.Number, r.Submission, r.EntryNumber)
		}
	}
	n, err := sys.clients.DB.Collection(store.CollCertificates).CountDocuments(ctx, bson.D{{Key: "submission", Value: rc.SubmissionID}})
	if err != nil || int(n) != len(doc.Payload.Certificates) {
		t.Errorf("certificates of the submission: %d (%v), want %d", n, err, len(doc.Payload.Certificates))
	}

	// The entry notice, read back as text.
	if len(final.Notices) != 2 || final.Notices[1].Type != string(wf.NoticeEntry) {
		t.Fatalf("notices: %+v", final.Notices)
	}
	rec, err := sys.wiring.Store.Notice(ctx, rc.SubmissionID, 2)
	if err != nil {
		t.Fatal(err)
	}
	letter, _, err := sys.wiring.Store.ReadBlob(ctx, store.BucketDocuments, rec.Blob)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, letter)
	for _, want := range append([]string{doc.Number, "KR-" + rc.SubmissionID}, numbers(doc)...) {
		if !strings.Contains(text, want) {
			t.Errorf("entry notice lacks %q:\n%s", want, text)
		}
	}
	for _, c := range doc.Payload.Certificates {
		if c.PersonalCode != "" && strings.Contains(text, c.PersonalCode) || strings.Contains(text, c.FamilyName) {
			t.Errorf("entry notice names a holder (personal data)")
		}
	}

	// Both notices e-mailed, the entry notice with its PDF.
	eventually(t, 30*time.Second, "notices mailed", func() (bool, error) { return len(smtp.Messages()) == 2, nil })
	msgs := smtp.Messages()
	last := msgs[len(msgs)-1]
	if len(last.To) != 1 || last.To[0] != doc.Contact.Email || len(last.Attachments) != 1 || !bytes.Equal(last.Attachments[0].Data, letter) {
		t.Errorf("entry mail: to %v, %d attachments", last.To, len(last.Attachments))
	}

	// R4.2: the original (uploaded twice), both metadata files, the
	// rendition and both notices carry their retention date.
	everyFileDated(t, sys, 6)

	// The processing log is whole; altering one entry breaks it.
	log := audit.New(sys.clients.DB)
	rep, err := log.Verify(ctx)
	if err != nil || !rep.Whole() || rep.Count < 8 {
		t.Fatalf("verify: %v, %s", err, rep)
	}
	if _, err := sys.clients.DB.Collection("audit").UpdateOne(ctx, bson.D{{Key: "_id", Value: audit.EntryID(3)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "actor", Value: "Keegi Teine"}}}}); err != nil {
		t.Fatal(err)
	}
	rep, err = log.Verify(ctx)
	if err != nil || rep.Whole() || rep.Broken.Seq != 3 {
		t.Errorf("verify after altering entry 3: %v, %s", err, rep)
	}
}

func numbers(doc *documents.BaseDocument) []string {
	var out []string
	for _, c := range doc.Payload.Certificates {
		out = append(out, c.Number)
	}
	return out
}

func pdftotext(tb testing.TB, pdf []byte) string {
	tb.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		tb.Skip("pdftotext (poppler-utils) is not installed; make test installs it")
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// describe logs the workflow's pending activities and their last failures.
func describe(tb testing.TB, sys *system, id string) {
	d, err := sys.clients.Temporal.DescribeWorkflowExecution(context.Background(), wf.SubmissionWorkflowID(id), "")
	if err != nil {
		tb.Logf("describe: %v", err)
		return
	}
	tb.Logf("workflow status %v", d.GetWorkflowExecutionInfo().GetStatus())
	if pt := d.GetPendingWorkflowTask(); pt != nil {
		tb.Logf("pending workflow task: attempt %d state %v", pt.GetAttempt(), pt.GetState())
	}
	it := sys.clients.Temporal.GetWorkflowHistory(context.Background(), wf.SubmissionWorkflowID(id), "", false, 0)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			break
		}
		tb.Logf("event %d %v %v", ev.GetEventId(), ev.GetEventType(), ev.GetWorkflowTaskFailedEventAttributes().GetFailure().GetMessage())
	}
	for _, a := range d.GetPendingActivities() {
		tb.Logf("pending %s attempt %d: %v", a.GetActivityType().GetName(), a.GetAttempt(), a.GetLastFailure().GetMessage())
	}
}
