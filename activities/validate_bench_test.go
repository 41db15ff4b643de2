package activities_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// BenchmarkValidateActivity10000 is the workflow's first validation of a
// clean 10,000-certificate committee decision, the three ways it can run,
// in the same iteration: in full (an upload without intake's result), the
// register checked again (intake's field checks kept, the register written
// since), and intake's whole result re-used (nothing written since).
//
//	go test -run '^$' -bench ValidateActivity10000 -benchtime=3x ./activities
func BenchmarkValidateActivity10000(b *testing.B) {
	r := newRig(b)
	ctx := context.Background()
	doc := examples.GenerateCommitteeDecision(10_000)
	sub := "bench-validate"
	up := r.stageDoc(b, sub, doc)
	// The index FerretDB's _id lookups need, which the stack adds to new
	// collections every few seconds (internal/devstack/idindex.go): now.
	if err := testFerret.Stack().IndexIDs(ctx); err != nil {
		b.Fatal(err)
	}
	today := documents.DateOf(r.at)
	_, fields := r.acts.Validator.Fields(mustMarshal(b, doc), today)
	kept := store.IntakeCheck{Rules: r.acts.Validator.RulesID(), Day: today.String(), Fields: fields}
	setIntake := func(k *store.IntakeCheck) {
		if _, err := r.st.DB().Collection(store.CollUploads).UpdateOne(ctx, bson.D{{Key: "_id", Value: up.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "intake", Value: k}}}}); err != nil {
			b.Fatal(err)
		}
	}
	run := func() time.Duration {
		start := time.Now()
		v, err := r.env.ExecuteActivity(wf.ActivityValidate, wf.ValidateInput{SubmissionID: sub, Upload: up,
			Submitter: wf.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org"}})
		if err != nil {
			b.Fatal(err)
		}
		var res wf.ValidateResult
		if err := v.Get(&res); err != nil || res.Deficiencies.HasErrors() || res.Summary.Records != 10_000 {
			b.Fatalf("validate: %+v %v", res.Deficiencies, err)
		}
		return time.Since(start)
	}
	var full, check, reuse []float64
	for b.Loop() {
		setIntake(nil)
		full = append(full, run().Seconds())
		k := kept
		k.RegisterMark = time.Now().Add(-2 * time.Hour) // too old to tell: the register again
		setIntake(&k)
		check = append(check, run().Seconds())
		ageChanges(b, r.st, 10*time.Minute)
		k.RegisterMark = r.st.RegisterMark()
		setIntake(&k)
		reuse = append(reuse, run().Seconds())
	}
	b.ReportMetric(median(full)*1000, "full-ms")
	b.ReportMetric(median(check)*1000, "register-ms")
	b.ReportMetric(median(reuse)*1000, "reused-ms")
}

func mustMarshal(tb testing.TB, v any) []byte {
	tb.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
