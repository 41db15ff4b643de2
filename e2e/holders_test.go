package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/notices/smtptest"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// holderMails are the messages to the state's forwarding addresses.
func holderMails(s *smtptest.Server) []smtptest.Message {
	var out []smtptest.Message
	for _, m := range s.Messages() {
		if len(m.To) == 1 && strings.HasSuffix(m.To[0], "@eesti.ee") {
			out = append(out, m)
		}
	}
	return out
}

// TestHoldersToldOnceOfEntryDuplicateAndExpiry: entering the example
// committee decision e-mails each holder with a personal code once (the
// duplicate among them as a duplicate; the holder without a code is not
// mailed); a second decision entering a duplicate that expires within six
// months e-mails its holder once; the expiry run e-mails that holder once
// and a second run nobody. Each mail names its certificate and no other
// person. Afterwards every stored file carries a retention date, and the
// PDF both decisions share keeps the date and names both submissions
// (R4.2).
func TestHoldersToldOnceOfEntryDuplicateAndExpiry(t *testing.T) {
	smtp := smtptest.Start(t)
	cfg := defaults(t)
	cfg.Worker.SMTP.Host, cfg.Worker.SMTP.Port = smtp.Host, smtp.Port
	cfg.Worker.Holders.EmailTemplate = "{personalCode}@eesti.ee"
	cfg.Retain.Years = 10
	sys := start(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	enter := func(meta, pdf []byte) string {
		t.Helper()
		rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: submitterOf(documents.CommitteeDecision), PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		waitStatus(t, sys, rc.SubmissionID, wf.StatusInReview)
		if res, err := decide(ctx, t, sys, rc.SubmissionID, wf.Decision{Action: wf.ActionApprove, Clerk: "Mari Maasikas"}); err != nil || res.Status != wf.StatusEntered {
			t.Fatalf("approve: %v %s", err, res.Status)
		}
		waitStatus(t, sys, rc.SubmissionID, wf.StatusEntered)
		return rc.SubmissionID
	}
	waitHolderNotices := func(id string) wf.HolderNoticesResult {
		t.Helper()
		var res wf.HolderNoticesResult
		eventually(t, 30*time.Second, "holder notices workflow", func() (bool, error) {
			err := sys.clients.Temporal.GetWorkflow(ctx, wf.HolderNoticesWorkflowID(id), "").Get(ctx, &res)
			return err == nil, nil
		})
		return res
	}

	meta, pdf := readExample(t, documents.CommitteeDecision)
	doc := examples.Document(documents.CommitteeDecision)
	first := enter(meta, pdf)
	res := waitHolderNotices(first)
	codes := map[string]string{} // number → personal code
	var withCode int
	for _, c := range doc.Payload.Certificates {
		if c.PersonalCode != "" {
			codes[c.Number] = c.PersonalCode
			withCode++
		}
	}
	if res.Sent != withCode || res.NotMailed != len(doc.Payload.Certificates)-withCode {
		t.Errorf("entry: %+v, want %d sent and the holder without a code not mailed", res, withCode)
	}
	mails := holderMails(smtp)
	if len(mails) != withCode {
		t.Fatalf("%d holder mails after the entry, want %d", len(mails), withCode)
	}
	dupSubjects := 0
	for _, m := range mails {
		var number string
		for n, code := range codes {
			if m.To[0] == code+"@eesti.ee" {
				number = n
			}
		}
		if number == "" || !strings.Contains(m.Text, number) {
			t.Errorf("mail to an unknown holder or without its certificate: %q", m.Subject)
		}
		for _, c := range doc.Payload.Certificates {
			if strings.Contains(m.Text, c.FamilyName) || c.PersonalCode != "" && strings.Contains(m.Text, c.PersonalCode) {
				t.Errorf("mail about %s names a person", number)
			}
		}
		if !strings.Contains(m.Text, "Dear holder") {
			t.Errorf("mail about %s has no English part", number)
		}
		if strings.Contains(m.Subject, "duplikaat") {
			dupSubjects++
		}
	}
	if dupSubjects != 1 {
		t.Errorf("%d duplicate mails, want 1 (certificate 214005)", dupSubjects)
	}

	// A second decision: a duplicate of 214001, valid for four more months.
	var second map[string]any
	if err := json.Unmarshal(meta, &second); err != nil {
		t.Fatal(err)
	}
	second["number"] = "EK-2025/99"
	cert := second["payload"].(map[string]any)["certificates"].([]any)[0].(map[string]any)
	cert["number"], cert["duplicateOf"] = "214101", "214001"
	expires := time.Now().AddDate(0, 4, 0).Format(time.DateOnly)
	cert["validUntil"] = expires
	second["payload"].(map[string]any)["certificates"] = []any{cert}
	meta2, _ := json.Marshal(second)
	dup := enter(meta2, pdf)
	if res := waitHolderNotices(dup); res.Sent != 1 {
		t.Errorf("duplicate: %+v, want one sent", res)
	}
	if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" {
		recordWorkflow(ctx, t, sys, wf.HolderNoticesWorkflowID(first), "holder-notices-entered")
	}
	if n := len(holderMails(smtp)); n != withCode+1 {
		t.Errorf("%d holder mails after the duplicate, want %d", n, withCode+1)
	}

	// The expiry run: one notice, six months ahead; a second run none.
	for i, want := range []int{1, 0} {
		run, err := sys.clients.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "expiry-" + dbName(t) + "-" + string(rune('a'+i)), TaskQueue: sys.wiring.TaskQueue}, wf.ExpiryNoticesWorkflow)
		if err != nil {
			t.Fatal(err)
		}
		var r wf.HolderNoticesResult
		if err := run.Get(ctx, &r); err != nil {
			t.Fatal(err)
		}
		if r.Sent != want {
			t.Errorf("expiry run %d: %+v, want %d sent", i+1, r, want)
		}
		if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" && i == 0 {
			recordWorkflow(ctx, t, sys, run.GetID(), "expiry-notices")
		}
	}
	all := holderMails(smtp)
	if len(all) != withCode+2 || !strings.Contains(all[len(all)-1].Subject, "214101") || all[len(all)-1].To[0] != codes["214001"]+"@eesti.ee" {
		t.Errorf("expiry mail: %d mails, last %q", len(all), all[len(all)-1].Subject)
	}
	claim, err := sys.wiring.Store.HolderNoticeByID(ctx, "1-214101/expiring/"+expires)
	if err != nil || claim.State != store.HolderSent {
		t.Errorf("expiry claim %+v (%v)", claim, err)
	}

	// R4.2: every stored file has a retention date; the shared PDF the
	// later one of its submissions' and names both.
	everyFileDated(t, sys, 6)
	shared, err := sys.wiring.Store.StatBlob(ctx, store.BucketDocuments, store.DocumentBlobID(sha(pdf)))
	if err != nil {
		t.Fatal(err)
	}
	if len(shared.Metadata.Submissions) != 2 || shared.Metadata.RetainUntil.Year() != 2035 {
		t.Errorf("shared PDF: submissions %v, retainUntil %v", shared.Metadata.Submissions, shared.Metadata.RetainUntil)
	}
	for _, id := range []string{first, dup} {
		if r, err := sys.wiring.Store.Retention(ctx, id); err != nil || r.RetainUntil.Year() != 2035 || r.State != store.RetentionHeld {
			t.Errorf("retention row of %s: %+v (%v)", id, r, err)
		}
	}
}

// everyFileDated walks documents.files: at least min files, each with a
// retention date (R4.2) — none missing, none the zero year 1.
func everyFileDated(tb testing.TB, sys *system, min int) {
	tb.Helper()
	ctx := context.Background()
	cur, err := sys.clients.DB.Collection(store.BucketDocuments+".files").Find(ctx, bson.D{})
	if err != nil {
		tb.Fatal(err)
	}
	var blobs []store.Blob
	if err := cur.All(ctx, &blobs); err != nil {
		tb.Fatal(err)
	}
	if len(blobs) < min {
		tb.Fatalf("only %d stored files, want at least %d", len(blobs), min)
	}
	for _, b := range blobs {
		if b.Metadata.RetainUntil.Year() < 2030 {
			tb.Errorf("%s (%s): retainUntil %v", b.ID, b.Metadata.Kind, b.Metadata.RetainUntil)
		}
	}
}
