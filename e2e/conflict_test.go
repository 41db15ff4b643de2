package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// TestTwoDecisionsNamingTheSameNumberApprovedAtOnce_R12_1_R13_3: two
// committee decisions that both pass review name one certificate number
// (besides numbers of their own); a clerk approves both at once. One is
// entered whole; the other comes back to the clerk in review, the conflict
// at its certificate, with not one of its records in the register; the
// clerk then refuses it with reasons and the submitter is told (R12.4).
func TestTwoDecisionsNamingTheSameNumberApprovedAtOnce_R12_1_R13_3(t *testing.T) {
	ctx := context.Background()
	sys := start(t, defaults(t))
	_, pdf := readExample(t, documents.CommitteeDecision)
	sub := submitterOf(documents.CommitteeDecision)
	holders := examples.GenerateCommitteeDecision(6).Payload.Certificates
	run := fmt.Sprint(time.Now().UnixNano())
	ids := make([]string, 2)
	numbers := make([][]string, 2)
	for i := range 2 {
		doc := examples.GenerateCommitteeDecision(3)
		doc.Number = fmt.Sprintf("EK-2025/C%s-%d", run, i)
		doc.Payload.Certificates = append(doc.Payload.Certificates[:0:0], holders[3*i:3*i+3]...)
		for j := range doc.Payload.Certificates {
			doc.Payload.Certificates[j].Number = fmt.Sprintf("C%s-%d-%d", run, i, j)
		}
		doc.Payload.Certificates[1].Number = "C" + run + "-shared"
		for _, c := range doc.Payload.Certificates {
			numbers[i] = append(numbers[i], c.Number)
		}
		meta, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: sub, PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
		if err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
		ids[i] = rc.SubmissionID
	}
	for _, id := range ids {
		waitStatus(t, sys, id, wf.StatusInReview)
	}

	results := make([]wf.DecisionResult, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { results[i], errs[i] = decide(ctx, t, sys, id, approve("Mari Maasikas")) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("approval %d: %v", i, err)
		}
	}
	won, lost := 0, 1
	if results[1].Status == wf.StatusEntered {
		won, lost = 1, 0
	}
	if results[won].Status != wf.StatusEntered || results[lost].Status != wf.StatusInReview {
		t.Fatalf("approvals answered %s and %s, want one entered and one back in review", results[0].Status, results[1].Status)
	}

	back := waitStatus(t, sys, ids[lost], wf.StatusInReview)
	if back.Turn != string(wf.TurnClerk) || len(back.Deficiencies) != 1 || back.Deficiencies[0].Code != documents.CodeEntryCertificateTaken ||
		back.Deficiencies[0].Field != "payload.certificates[1].number" || len(back.EntryNumbers) != 0 {
		t.Errorf("the loser: turn %s, deficiencies %v, entries %v", back.Turn, back.Deficiencies, back.EntryNumbers)
	}
	certs := sys.clients.DB.Collection(store.CollCertificates)
	for i, id := range ids {
		n, err := certs.CountDocuments(ctx, bson.D{{Key: "submission", Value: id}})
		if err != nil {
			t.Fatal(err)
		}
		want := int64(0)
		if i == won {
			want = 3
		}
		if n != want {
			t.Errorf("submission %d has %d certificate records, want %d", i, n, want)
		}
	}
	// The loser's own numbers stay free: nothing of it was claimed.
	claims := sys.clients.DB.Collection(store.CollClaims)
	if n, _ := claims.CountDocuments(ctx, bson.D{{Key: "submission", Value: ids[lost]}}); n != 0 {
		t.Errorf("the loser left %d certificate claims behind", n)
	}

	// The clerk refuses it with reasons; the refusal notice goes out.
	res, err := decide(ctx, t, sys, ids[lost], wf.Decision{Action: wf.ActionRefuse, Reason: "Tunnistuse number on juba kasutusel.", Clerk: "Mari Maasikas"})
	if err != nil || res.Status != wf.StatusRefused {
		t.Fatalf("refusal: %v, %s", err, res.Status)
	}
	final := waitStatus(t, sys, ids[lost], wf.StatusRefused)
	if len(final.Notices) != 1 || final.Notices[0].Type != string(wf.NoticeRefusal) {
		t.Errorf("notices of the refused one: %+v", final.Notices)
	}
}

func approve(clerk string) wf.Decision { return wf.Decision{Action: wf.ActionApprove, Clerk: clerk} }
