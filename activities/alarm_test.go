package activities_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/notices/smtptest"
	"github.com/kutsekoda/alusdok/workdays"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestRemindersAndEscalationsAreMailedToTheirMailboxes_R12_1: a reminder
// goes to the clerks' mailbox, an escalation to the supervisors', each
// naming the document and the deadline (no personal data).
func TestRemindersAndEscalationsAreMailedToTheirMailboxes_R12_1(t *testing.T) {
	srv := smtptest.Start(t)
	m, err := notices.NewMailer(notices.MailConfig{Host: srv.Host, Port: srv.Port, TLS: notices.TLSNone, From: "Kutseregister <kr@example.ee>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := workdays.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := &activities.Activities{
		Calendar: cal, Mailer: m, Log: slog.New(slog.DiscardHandler),
		AlarmTo: map[wf.AlarmKind]string{wf.AlarmReminder: "menetlejad@example.ee", wf.AlarmEscalation: "jarelevalve@example.ee"},
	}
	deadline := time.Date(2027, 1, 6, 23, 59, 59, 0, cal.Location())
	for _, kind := range []wf.AlarmKind{wf.AlarmReminder, wf.AlarmEscalation} {
		in := wf.AlarmInput{SubmissionID: "s1", Alarm: wf.Alarm{Kind: kind, At: deadline}, Deadline: deadline,
			Summary: wf.Summary{Kind: "committee-decision", Number: "EK-2025/14"}}
		if err := a.Alarm(context.Background(), in); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	for i, want := range []string{"menetlejad@example.ee", "jarelevalve@example.ee"} {
		if len(msgs[i].To) != 1 || msgs[i].To[0] != want {
			t.Errorf("message %d to %v, want %s", i, msgs[i].To, want)
		}
		if !strings.Contains(msgs[i].Subject, "EK-2025/14") || !strings.Contains(msgs[i].Text, "06.01.2027") {
			t.Errorf("message %d: subject %q text %q", i, msgs[i].Subject, msgs[i].Text)
		}
	}
}
