package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/store"
)

// existing is the register check's answer for cs: the numbers it finds.
func existing(t *testing.T, st *store.Store, cs []documents.Certificate) []string {
	t.Helper()
	keys := make([]documents.CertificateKey, len(cs))
	for i := range cs {
		keys[i] = cs[i].Key()
	}
	found, err := st.Register().ExistingCertificates(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range found {
		out = append(out, k.Number)
	}
	slices.Sort(out)
	return out
}

// blockStore is a store whose register check reads blocks (FerretDB),
// with its blocks built.
func blockStore(t *testing.T) *store.Store {
	t.Helper()
	st := mustOpenStore(t)
	if !store.IsFerretDB(st) {
		t.Skip("blocks are read on FerretDB only")
	}
	if err := st.EnsureBlocks(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func numbers(cs []documents.Certificate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Number)
	}
	slices.Sort(out)
	return out
}

// The register check at receipt (R13.3) reads the numbers' blocks on
// FerretDB: what it answers is what is in the register, however the
// blocks were written — by entries sharing a block, by a retried entry,
// for a certificate deleted since, or at start for certificates entered
// before blocks existed.
func TestRegisterCheckByBlockFindsWhatIsEntered_R13_3(t *testing.T) {
	ctx := context.Background()
	st := blockStore(t)
	a := certs("B", 0, 150)   // B00000 … B00149: blocks B000, B001
	b := certs("B", 150, 100) // B00150 … B00249: B001 (shared with a), B002
	for sub, cs := range map[string][]documents.Certificate{"a": a, "b": b} {
		if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry(sub), store.Progress{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// a retry of a, from the start, writes no slot again
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: a}, entry("a"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	slots, err := store.Slots(st, store.CertificateID(a[120].Key()))
	if err != nil {
		t.Fatal(err)
	}
	if slices.Sort(slots); !slices.Equal(slots, []string{"a", "b"}) {
		t.Errorf("block B001 has slots of %v, want one of a and one of b", slots)
	}
	asked := append(certs("B", 140, 20), certs("B", 240, 20)...) // B00140…B00159, B00240…B00259
	if got, want := existing(t, st, asked), numbers(asked[:20]); !slices.Equal(got, append(want, numbers(asked[20:30])...)) {
		t.Errorf("found %v, want B00140…B00159 and B00240…B00249", got)
	}
	// deleted (R18): in its slot still, not in the register
	rec, err := st.Certificate(ctx, a[145].Key())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteCertificate(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if got := existing(t, st, a[140:150]); slices.Contains(got, a[145].Number) || len(got) != 9 {
		t.Errorf("after deleting B00145, found %v", got)
	}
}

func TestBlocksBuiltAtStartForCertificatesEnteredBefore_R13_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	if !store.IsFerretDB(st) {
		t.Skip("blocks are read on FerretDB only")
	}
	old := certs("O", 0, 120)
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: old}, entry("old"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	// As if entered before blocks existed: no slots, no marker.
	if _, err := st.DB().Collection(store.CollBlocks).DeleteMany(ctx, bson.D{}); err != nil {
		t.Fatal(err)
	}
	fresh := store.New(st.DB())
	if got := existing(t, fresh, old); len(got) != len(old) {
		t.Errorf("before the blocks are built: found %d of %d (asked number by number)", len(got), len(old))
	}
	if err := fresh.EnsureBlocks(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fresh.EnsureBlocks(ctx); err != nil { // once is enough; twice changes nothing
		t.Fatal(err)
	}
	if got := existing(t, fresh, old); len(got) != len(old) {
		t.Errorf("after the blocks are built: found %d of %d", len(got), len(old))
	}
	if slots, err := store.Slots(fresh, store.CertificateID(old[0].Key())); err != nil || len(slots) != 1 {
		t.Errorf("block O000 has slots %v (%v), want one", slots, err)
	}
}

// Entries of numbers in the same blocks at once each get a slot of their
// own: none overwrites another's (FerretDB can lose one of two concurrent
// updates of a document, so slots are only inserted).
func TestConcurrentEntriesInOneBlockLoseNoNumber_R13_3(t *testing.T) {
	ctx := context.Background()
	st := blockStore(t)
	var all []documents.Certificate
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		cs := certs("C", i*25, 25) // C00000 … C00099: one block, four entries
		all = append(all, cs...)
		wg.Go(func() {
			_, errs[i] = st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry(fmt.Sprint("c", i)), store.Progress{}, nil)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	if got := existing(t, st, all); len(got) != len(all) {
		t.Errorf("found %d of %d numbers entered at once into one block", len(got), len(all))
	}
	if slots, err := store.Slots(st, store.CertificateID(all[0].Key())); err != nil || len(slots) != 4 {
		t.Errorf("the block has slots %v (%v), want four", slots, err)
	}
}

// An entry that lost a claim may have noted its numbers already; entered
// again after a correction, with other numbers of the same blocks, it
// notes those too (R13.3).
func TestEntryCorrectedAfterAConflictNotesItsNewNumbers_R13_3(t *testing.T) {
	ctx := context.Background()
	st := blockStore(t)
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: certs("D", 100, 10)}, entry("a"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	lost := append(certs("D", 150, 10), certs("D", 105, 1)...)
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: lost}, entry("b"), store.Progress{}, nil); err == nil {
		t.Fatal("an entry with a taken number went through")
	}
	corrected := certs("D", 160, 10)
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: corrected}, entry("b"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	if got := existing(t, st, corrected); !slices.Equal(got, numbers(corrected)) {
		t.Errorf("the corrected entry's numbers: found %v, want all of %v", got, numbers(corrected))
	}
	if got := existing(t, st, lost[:10]); len(got) != 0 {
		t.Errorf("the numbers of the entry that lost: found %v, want none", got)
	}
}
