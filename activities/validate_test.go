package activities_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// The workflow's first validation re-uses what intake kept of the
// metadata's field checks and checks the register again when it may have
// changed since intake's checks (R13.3): a number entered by another
// submission since receipt is found either way; with nothing written since,
// intake's whole result stands — and, when intake noted the certificate
// blocks its checks read, with nothing written since in those blocks nor
// anything but certificates. An upload staged before intake kept its
// result, or kept under other rules or for another day, is validated in
// full: its field rules run again.
func TestValidateRechecksOnlyTheRegisterWhenIntakeKeptItsResult_R13_3(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	// A certificate that another submission enters after receipt.
	r.enter(t, r.stage(t, "other", "V-2"), "other")

	// marker stands for what intake's field rules found; the metadata has
	// a personal code with a wrong check digit, which only the field rules
	// find (R8.1): present when they ran again, absent when re-used.
	marker := deficiency.Deficiency{Field: "payload.certificates[0].givenName", Code: "kept.at.intake", Severity: deficiency.Warning}
	// whole stands for intake's whole result, fields and register.
	whole := deficiency.Deficiency{Field: "payload.certificates[1].givenName", Code: "found.at.intake", Severity: deficiency.Warning}
	keep := func(rules, day string) *store.IntakeCheck {
		return &store.IntakeCheck{Rules: rules, Day: day, Fields: deficiency.List{marker},
			Deficiencies: deficiency.List{marker, whole}, RegisterMark: r.st.RegisterMark(), CheckedAt: r.at}
	}
	rules, day := r.acts.Validator.RulesID(), documents.DateOf(r.at).String()
	taken := "payload.certificates[1].number/" + string(documents.CodeCertificateNumberExists)
	badCode := "payload.certificates[0].personalCode/" + string(documents.CodePersonalCodeCheckDigit)
	kept := "payload.certificates[0].givenName/kept.at.intake"
	cases := []struct {
		name   string
		intake *store.IntakeCheck
		quiet  bool   // nothing written to the register since intake's checks
		scoped string // intake noted the blocks it read: "read" (the document's), "other"
		want   []string
	}{
		{"staged before intake kept its result: in full", nil, false, "", []string{badCode, taken}},
		{"kept by intake, the register written since: its field checks, the register now", keep(rules, day), false, "", []string{kept, taken}},
		{"kept under other rules: in full", keep("other-rules", day), false, "", []string{badCode, taken}},
		{"kept for another day: in full", keep(rules, "2025-06-30"), false, "", []string{badCode, taken}},
		{"kept with the blocks read, one of them written since: the register now", keep(rules, day), false, "read", []string{kept, taken}},
		{"kept with the blocks read, only others written since: intake's whole result, not decoded", keep(rules, day), false, "other",
			[]string{kept, "payload.certificates[1].givenName/found.at.intake"}},
		{"kept, the register unchanged since: intake's whole result", keep(rules, day), true, "",
			[]string{kept, "payload.certificates[1].givenName/found.at.intake"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub := "v" + string(rune('a'+i))
			doc := examples.GenerateCommitteeDecision(2)
			doc.Number = "EK-2025/" + sub
			doc.Payload.Certificates[0].Number = "V-1-" + sub
			doc.Payload.Certificates[1].Number = "V-2"
			pc := []byte(doc.Payload.Certificates[0].PersonalCode)
			pc[10] = '0' + (pc[10]-'0'+1)%10
			doc.Payload.Certificates[0].PersonalCode = string(pc)
			up := r.stageDoc(t, sub, doc)
			switch c.scoped {
			case "read":
				rec := r.st.RecordBlocks()
				if _, err := rec.ExistingCertificates(ctx, []documents.CertificateKey{doc.Payload.Certificates[0].Key(), doc.Payload.Certificates[1].Key()}); err != nil {
					t.Fatal(err)
				}
				c.intake.Scoped, c.intake.Blocks = true, rec.Blocks()
			case "other":
				// All before long done; then an entry of a certificate
				// in a block the check did not read.
				ageChanges(t, r.st, 10*time.Minute)
				r.enter(t, r.stage(t, "elsewhere", "W-9"), "elsewhere")
				c.intake.Scoped, c.intake.Blocks = true, []string{"elsewhere"}
				// Not decoded again: the summary is intake's.
				c.intake.Summary = &store.IntakeSummary{Kind: string(doc.Kind), Number: doc.Number, Records: 2}
			}
			if c.intake != nil {
				if _, err := r.st.DB().Collection(store.CollUploads).UpdateOne(ctx, bson.D{{Key: "_id", Value: up.ID}},
					bson.D{{Key: "$set", Value: bson.D{{Key: "intake", Value: c.intake}}}}); err != nil {
					t.Fatal(err)
				}
			}
			if c.quiet {
				ageChanges(t, r.st, 10*time.Minute)
			}
			v, err := r.env.ExecuteActivity(wf.ActivityValidate, wf.ValidateInput{SubmissionID: sub, Upload: up,
				Submitter: wf.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org"}})
			if err != nil {
				t.Fatal(err)
			}
			var res wf.ValidateResult
			if err := v.Get(&res); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range res.Deficiencies {
				got = append(got, d.Field+"/"+string(d.Code))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("deficiencies %v, want %v", got, c.want)
			}
			if res.Summary.Records != 2 {
				t.Errorf("summary %+v, want 2 records", res.Summary)
			}
		})
	}
}

// ageChanges moves the register's change journal d into the past, as if
// every entry had finished then.
func ageChanges(t testing.TB, st *store.Store, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	cur, err := st.DB().Collection(store.CollChanges).Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []bson.M
	if err := cur.All(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		set := bson.D{}
		for _, f := range []string{"started", "finished"} {
			if at, ok := row[f].(bson.DateTime); ok {
				set = append(set, bson.E{Key: f, Value: at.Time().Add(-d)})
			}
		}
		if _, err := st.DB().Collection(store.CollChanges).UpdateOne(ctx, bson.D{{Key: "_id", Value: row["_id"]}}, bson.D{{Key: "$set", Value: set}}); err != nil {
			t.Fatal(err)
		}
	}
}
