package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// SubmissionRow is the read model's row of a workflow state at step: the
// edge where the workflow's types become the store's.
func SubmissionRow(st wf.State, step int, at time.Time) store.Submission {
	first := st.ReceivedAt
	if len(st.Uploads) > 0 {
		first = st.Uploads[0].ReceivedAt
	}
	row := store.Submission{
		ID: st.SubmissionID, Status: string(st.Status), Open: !st.Status.Final(), Turn: string(st.Turn), Assignee: st.Assignee,
		Organisation: st.Submitter.Organisation, SubmitterName: st.Submitter.Name,
		Kind: st.Summary.Kind, Number: st.Summary.Number, DecisionDate: st.Summary.DecisionDate,
		Title: st.Summary.Title, Records: st.Summary.Records,
		ReceivedAt: st.ReceivedAt, FirstReceivedAt: first, Late: st.Late,
		Deadlines: store.Deadlines{
			LateMark: st.Deadlines.LateMark, Entry: st.Deadlines.Entry,
			CorrectionLimit: st.Deadlines.CorrectionLimit, ExtendedDays: st.Deadlines.ExtendedDays,
		},
		Escalated: st.Escalated, CorrectionRounds: st.CorrectionRounds, Deficiencies: st.Deficiencies,
		EntryNumbers: st.EntryNumbers, Reason: st.Reason, DecidedAt: st.DecidedAt, Step: step, UpdatedAt: at.UTC(),
		DeficiencySets: st.DeficiencySets,
	}
	for _, u := range st.Uploads {
		row.Uploads = append(row.Uploads, store.UploadRef{ID: u.ID, SHA256: u.SHA256, ReceivedAt: u.ReceivedAt})
	}
	for _, n := range st.Notices {
		row.Notices = append(row.Notices, store.NoticeRef{Seq: n.Seq, Type: string(n.Type), At: n.At, Delivery: string(n.Delivery)})
	}
	for _, x := range st.Extensions {
		row.Extensions = append(row.Extensions, store.Extension{WorkingDays: x.WorkingDays, Reason: x.Reason,
			NewDeadline: x.NewDeadline, Clerk: x.Clerk, At: x.At})
	}
	return row
}

// heartbeatInterval is how often a long activity reports that it is alive:
// well inside the workflow's heartbeat timeout (30 s).
const heartbeatInterval = 5 * time.Second

// heartbeatWhileRunning heartbeats until the returned stop is called, so
// that an activity doing one long piece of work (checking 10,000
// certificates, rendering their list) is seen alive, and one whose worker
// died is taken over within the heartbeat timeout.
func heartbeatWhileRunning(ctx context.Context) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(heartbeatInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	return func() { close(done) }
}
