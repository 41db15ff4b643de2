package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"google.golang.org/protobuf/proto"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestHistorySizes measures what a submission's workflow history weighs in
// Temporal's storage (issue 12, lean histories): a correction round with
// 1,000 deficiencies, and the entry of a large committee decision
// (ALUSDOK_HISTORY_CERTIFICATES, default 2,000). It only reports; run it
// with ALUSDOK_HISTORY_SIZES=1.
func TestHistorySizes(t *testing.T) {
	if os.Getenv("ALUSDOK_HISTORY_SIZES") != "1" {
		t.Skip("set ALUSDOK_HISTORY_SIZES=1 to measure history sizes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	sys := start(t, defaults(t))
	_, pdf := readExample(t, documents.CommitteeDecision)
	sub := submitterOf(documents.CommitteeDecision)
	run := fmt.Sprint(time.Now().UnixNano())
	submitN := func(n int, tag string) string {
		doc := examples.GenerateCommitteeDecision(n)
		doc.Number = "EK-2025/H" + run + tag
		for i := range doc.Payload.Certificates {
			doc.Payload.Certificates[i].Number = fmt.Sprintf("H%s%s-%d", run, tag, i)
		}
		meta, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: sub, PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, sys, rc.SubmissionID, wf.StatusInReview)
		return rc.SubmissionID
	}
	size := func(id string) (events, bytes int) {
		it := sys.clients.Temporal.GetWorkflowHistory(ctx, wf.SubmissionWorkflowID(id), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			events++
			bytes += proto.Size(ev)
		}
		return events, bytes
	}

	id := submitN(3, "c")
	var defs deficiency.List
	for i := range 1000 {
		defs.Add(fmt.Sprintf("payload.certificates[%d].placeOfIssue", i%3), "field.required", "Väljaandmise koht puudub.", "The place of issue is missing.")
	}
	if _, err := decide(ctx, t, sys, id, wf.Decision{Action: wf.ActionRequestCorrections, Deficiencies: defs, Clerk: "Mari Maasikas"}); err != nil {
		t.Fatal(err)
	}
	if _, err := decide(ctx, t, sys, id, wf.Decision{Action: wf.ActionRefuse, Reason: "x", Clerk: "Mari Maasikas"}); err == nil {
		t.Log("(a decision while awaiting corrections was accepted)")
	}
	withdrawErr := withdraw(ctx, sys, id, "Kutsekoda")
	ev, b := size(id)
	t.Logf("correction round with 1,000 deficiencies, then withdrawn (%v): %d events, %d bytes", withdrawErr, ev, b)

	n := 2000
	if v, err := fmt.Sscan(os.Getenv("ALUSDOK_HISTORY_CERTIFICATES"), &n); v != 1 || err != nil {
		n = 2000
	}
	big := submitN(n, "b")
	if _, err := decide(ctx, t, sys, big, approve("Mari Maasikas")); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, sys, big, wf.StatusEntered)
	ev, b = size(big)
	t.Logf("entry of a %d-certificate decision: %d events, %d bytes", n, ev, b)
}
