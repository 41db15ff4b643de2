package activities_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

type fakeMailer struct {
	mu   sync.Mutex
	sent []notices.Message
}

func (m *fakeMailer) Send(_ context.Context, msg notices.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

// enterDoc stages and enters doc as submission sub, with its read-model
// row, as the procedure would.
func (r *rig) enterDoc(t *testing.T, sub string, doc *documents.BaseDocument) {
	t.Helper()
	ctx := context.Background()
	wup := r.stageDoc(t, sub, doc)
	if res := r.enter(t, wup, sub); len(res.Conflicts) != 0 {
		t.Fatalf("enter %s: %v", sub, res.Conflicts)
	}
	if err := r.st.PutFirstSubmission(ctx, store.Submission{ID: sub, Status: string(wf.StatusEntered),
		Uploads: []store.UploadRef{{ID: wup.ID, ReceivedAt: r.at}}}); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) holderNotices(t *testing.T, sub string) wf.HolderNoticesResult {
	t.Helper()
	v, err := r.env.ExecuteActivity(wf.ActivityHolderNotices, wf.HolderNoticesInput{SubmissionID: sub})
	if err != nil {
		t.Fatalf("holder notices %s: %v", sub, err)
	}
	var res wf.HolderNoticesResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestHolderNoticesOncePerCertificateAndEventNeverLogged: run twice, the
// entry's notices go out once each; a person who turned them off gets none;
// an "other" document closing a certificate tells its holder it is
// invalid. The address (it carries the personal code) is in no log line.
func TestHolderNoticesOncePerCertificateAndEventNeverLogged(t *testing.T) {
	r := newRig(t)
	var logs bytes.Buffer
	r.acts.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mailer := &fakeMailer{}
	r.acts.Mailer, r.acts.HolderAddress = mailer, "{personalCode}@eesti.ee"

	doc := examples.GenerateCommitteeDecision(3)
	doc.Number = "EK-2025/h1"
	for i := range doc.Payload.Certificates {
		doc.Payload.Certificates[i].Number = "H-" + string(rune('1'+i))
	}
	off := doc.Payload.Certificates[2].PersonalCode
	if err := r.st.SetHolderNotices(context.Background(), off, false, r.at); err != nil {
		t.Fatal(err)
	}
	r.enterDoc(t, "h1", doc)
	first := r.holderNotices(t, "h1")
	again := r.holderNotices(t, "h1")
	if first.Sent != 2 || first.NotMailed != 1 || again.Sent != 0 || again.Already != 3 {
		t.Errorf("first %+v, again %+v", first, again)
	}
	if len(mailer.sent) != 2 {
		t.Fatalf("%d mails, want 2", len(mailer.sent))
	}
	for i, m := range mailer.sent {
		c := doc.Payload.Certificates[i]
		if m.To != c.PersonalCode+"@eesti.ee" || !strings.Contains(m.Body, c.Number) || !strings.Contains(m.Subject, c.Number) {
			t.Errorf("mail %d: to %q subject %q", i, m.To, m.Subject)
		}
	}
	claim, err := r.st.HolderNoticeByID(context.Background(), "1-H-3/entered")
	if err != nil || claim.State != store.HolderOptedOut {
		t.Errorf("opted-out claim %+v (%v)", claim, err)
	}

	other := examples.Document(documents.Other)
	r.enterDoc(t, "h2", other)
	res := r.holderNotices(t, "h2")
	if res.Sent != 1 || len(mailer.sent) != 3 || !strings.Contains(mailer.sent[2].Subject, "kehtetuks") ||
		!strings.Contains(mailer.sent[2].Subject, "201589") {
		t.Errorf("invalidation: %+v, last mail %q", res, mailer.sent[len(mailer.sent)-1].Subject)
	}

	for _, c := range doc.Payload.Certificates {
		if strings.Contains(logs.String(), c.PersonalCode) {
			t.Errorf("a personal code is in the log:\n%s", logs.String())
		}
	}
}
