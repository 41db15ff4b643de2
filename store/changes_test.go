package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/store"
)

// age moves every journalled change's times d into the past, as if the
// writers had finished then.
func age(t *testing.T, st *store.Store, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	cur, err := st.DB().Collection(store.CollChanges).Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID       string    `bson:"_id"`
		Started  time.Time `bson:"started"`
		Finished time.Time `bson:"finished"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		set := bson.D{{Key: "started", Value: r.Started.Add(-d)}}
		if !r.Finished.IsZero() {
			set = append(set, bson.E{Key: "finished", Value: r.Finished.Add(-d)})
		}
		if _, err := st.DB().Collection(store.CollChanges).UpdateOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, bson.D{{Key: "$set", Value: set}}); err != nil {
			t.Fatal(err)
		}
	}
}

// The register's writers are journalled from before their first write to
// after their last, so that a validation kept from intake is re-used only
// while nothing was written since (R13.3); a mark too old or unknown, and
// a writer that has not finished, always count as a change.
func TestRegisterChangedSinceSeesEveryWriterSinceTheMark_R13_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	enter := func(sub string, cs []documents.Certificate) error {
		_, err := st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry(sub), store.Progress{}, nil)
		return err
	}
	steps := []struct {
		name string
		do   func() error
		mark func() time.Time
		want bool
	}{
		{"nothing written ever", nil, st.RegisterMark, false},
		{"no mark kept", nil, func() time.Time { return time.Time{} }, true},
		{"an entry finished just now", func() error { return enter("a", certs("J", 0, 3)) }, st.RegisterMark, true},
		{"the entry finished long before the mark", func() error { age(t, st, 10*time.Minute); return nil }, st.RegisterMark, false},
		{"a mark older than the journal keeps", nil, func() time.Time { return time.Now().Add(-2 * time.Hour) }, true},
		{"an entry that failed half-way", func() error {
			// Its claims are in (a's numbers are taken), so it stops
			// with a conflict: finished, nothing entered.
			var conflict *documents.ConflictError
			if err := enter("b", certs("J", 1, 3)); !errors.As(err, &conflict) {
				return err
			}
			age(t, st, 10*time.Minute)
			return nil
		}, st.RegisterMark, false},
		{"a certificate deleted (R18)", func() error {
			r, err := st.Certificate(ctx, certs("J", 0, 1)[0].Key())
			if err != nil {
				return err
			}
			return st.DeleteCertificate(ctx, r)
		}, st.RegisterMark, true},
		{"an entry under way", func() error {
			age(t, st, 10*time.Minute)
			_, err := st.DB().Collection(store.CollChanges).InsertOne(ctx, bson.D{{Key: "_id", Value: "entry/c"}, {Key: "started", Value: time.Now().Add(-time.Hour)}})
			return err
		}, st.RegisterMark, true},
	}
	for _, s := range steps {
		if s.do != nil {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		got, err := st.RegisterChangedSince(ctx, s.mark())
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: changed %v, want %v", s.name, got, s.want)
		}
	}
}

// The journal keeps the changes of the last hour or so: a mark older than
// that is answered "changed" anyway, so older rows go.
func TestRegisterChangesOlderThanTheHorizonArePruned(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: certs("K", 0, 2)}, entry("old"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	age(t, st, 3*time.Hour)
	fresh := store.New(st.DB()) // a process that has not pruned yet
	if _, err := fresh.EnterPlan(ctx, documents.Plan{Certificates: certs("K", 10, 2)}, entry("new"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	var ids []string
	cur, err := st.DB().Collection(store.CollChanges).Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for cur.Next(ctx) {
		ids = append(ids, cur.Current.Lookup("_id").StringValue())
	}
	if len(ids) != 1 || ids[0] != "entry/new" {
		t.Errorf("journal holds %v, want [entry/new]", ids)
	}
}

// A check that noted which certificates it read (BlockRecorder) is changed
// only by a writer of those certificates' blocks, or of anything but
// certificates (R13.3).
func TestRegisterChangedInSeesOnlyWritersOfWhatTheCheckRead_R13_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	read := certs("M", 100, 5) // M00100 … M00104: block M001
	rec := st.RecordBlocks()
	keys := make([]documents.CertificateKey, len(read))
	for i := range read {
		keys[i] = read[i].Key()
	}
	if _, err := rec.ExistingCertificates(ctx, keys); err != nil {
		t.Fatal(err)
	}
	blocks := rec.Blocks()
	if len(blocks) != 1 {
		t.Fatalf("blocks read %v, want one", blocks)
	}
	council := examples.Register().Councils()[0]
	steps := []struct {
		name string
		plan documents.Plan
		want bool
	}{
		{"certificates of other blocks entered", documents.Plan{Certificates: certs("M", 200, 150)}, false},
		{"a certificate of the block read entered", documents.Plan{Certificates: certs("M", 150, 1)}, true},
		{"a council entered", documents.Plan{Versions: []documents.Version{{Kind: documents.KindCouncil, Council: &council}}}, true},
	}
	for i, s := range steps {
		age(t, st, 10*time.Minute) // what came before is long done
		mark := st.RegisterMark()
		if _, err := st.EnterPlan(ctx, s.plan, entry(fmt.Sprint("m", i)), store.Progress{}, nil); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := st.RegisterChangedIn(ctx, mark, blocks)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("%s: changed %v, want %v", s.name, got, s.want)
		}
		if any, err := st.RegisterChangedSince(ctx, mark); err != nil || !any {
			t.Errorf("%s: RegisterChangedSince %v, %v; want changed", s.name, any, err)
		}
	}
}
