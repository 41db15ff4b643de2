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

// numbersOf are the certificate numbers of records, in order.
func numbersOf(recs []store.Record[documents.Certificate]) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Data.Number)
	}
	return out
}

// A person sees every certificate entered for them, each once, however
// often the entry was retried, and also those the earlier index (one row
// per person) listed; a deleted certificate is gone from both (R16.3).
func TestPersonSeesEachOfTheirCertificatesOnce_R16_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	cs := certs("P", 0, 4)
	holder := cs[0].PersonalCode
	cs[1].PersonalCode = holder // two in one entry for the same person
	later := certs("Q", 0, 1)
	later[0].PersonalCode = holder

	// A certificate indexed the earlier way: a row per person.
	legacy := certs("L", 0, 1)
	legacy[0].PersonalCode = holder
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: legacy}, entry("legacy"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	persons := st.DB().Collection(store.CollPersons)
	legacyID := store.CertificateID(legacy[0].Key())
	if _, err := persons.DeleteMany(ctx, bson.D{}); err != nil {
		t.Fatal(err)
	}
	if _, err := persons.InsertOne(ctx, bson.D{{Key: "_id", Value: store.PersonKey(holder)}, {Key: "certificates", Value: bson.A{legacyID}}}); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"an entry of two of the person's certificates", func() error {
			_, err := st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry("p"), store.Progress{}, nil)
			return err
		}, []string{"L00000", "P00000", "P00001"}},
		{"the same entry retried from the start", func() error {
			_, err := st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry("p"), store.Progress{}, nil)
			return err
		}, []string{"L00000", "P00000", "P00001"}},
		{"the same entry resumed after its certificates", func() error {
			_, err := st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry("p"), store.Progress{Claimed: 4, Certificates: 2}, nil)
			return err
		}, []string{"L00000", "P00000", "P00001"}},
		{"another entry for the same person", func() error {
			_, err := st.EnterPlan(ctx, documents.Plan{Certificates: later}, entry("q"), store.Progress{}, nil)
			return err
		}, []string{"L00000", "P00000", "P00001", "Q00000"}},
		{"a certificate of the new index deleted (R18)", func() error {
			r, err := st.Certificate(ctx, cs[1].Key())
			if err != nil {
				return err
			}
			return st.DeleteCertificate(ctx, r)
		}, []string{"L00000", "P00000", "Q00000"}},
		{"the certificate of the earlier index deleted (R18)", func() error {
			r, err := st.Certificate(ctx, legacy[0].Key())
			if err != nil {
				return err
			}
			return st.DeleteCertificate(ctx, r)
		}, []string{"P00000", "Q00000"}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := st.PersonCertificates(ctx, holder)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if !slices.Equal(numbersOf(got), s.want) {
			t.Errorf("%s: the person sees %v, want %v", s.name, numbersOf(got), s.want)
		}
	}
	other, err := st.PersonCertificates(ctx, cs[2].PersonalCode)
	if err != nil || !slices.Equal(numbersOf(other), []string{"P00002"}) {
		t.Errorf("another holder sees %v, %v; want [P00002]", numbersOf(other), err)
	}
}

// The register check learns which certificate numbers are taken (R8.2,
// R13.3) — on FerretDB with point lookups, on MongoDB with $in — and both
// answer the same, and a number claimed by an entry
// whose certificates are not written yet is not (yet) a certificate.
func TestExistingCertificatesAnswerTheSameOnEitherPlan_R13_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	entered := certs("E", 0, 150) // E00000 … E00149
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: entered}, entry("e"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	other := certs("F", 0, 5)
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: other}, entry("f"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	underWay := certs("E", 500, 1)[0].Key()
	if _, err := st.DB().Collection(store.CollClaims).InsertOne(ctx, bson.D{{Key: "_id", Value: store.CertificateID(underWay)}, {Key: "submission", Value: "u"}}); err != nil {
		t.Fatal(err)
	}
	keysOf := func(cs []documents.Certificate) []documents.CertificateKey {
		var out []documents.CertificateKey
		for _, c := range cs {
			out = append(out, c.Key())
		}
		return out
	}
	cases := []struct {
		name string
		keys []documents.CertificateKey
		want []string
	}{
		{"a few numbers",
			[]documents.CertificateKey{entered[10].Key(), certs("E", 300, 1)[0].Key(), underWay, other[2].Key()},
			[]string{"E00010", "F00002"}},
		{"many numbers of two series",
			slices.Concat(keysOf(certs("E", 100, 200)), []documents.CertificateKey{underWay, other[0].Key(), {Type: documents.OccupationalCertificate, Number: "Z1"}}),
			append(certNumbers(entered[100:150]), "F00000")},
		{"the same number twice", []documents.CertificateKey{entered[1].Key(), entered[1].Key()}, []string{"E00001"}},
	}
	asMongo := store.New(st.DB())
	store.AsMongoDB(asMongo)
	for _, c := range cases {
		for _, db := range []struct {
			name string
			st   *store.Store
		}{{"planned for FerretDB", st}, {"planned for MongoDB ($in)", asMongo}} {
			t.Run(c.name+", "+db.name, func(t *testing.T) {
				existingAre(t, db.st, c.keys, c.want)
			})
		}
	}
}

func existingAre(t *testing.T, st *store.Store, keys []documents.CertificateKey, want []string) {
	t.Helper()
	got, err := st.Register().ExistingCertificates(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for k, cert := range got {
		if k != cert.Key() {
			t.Errorf("key %v answered with certificate %v", k, cert.Key())
		}
		numbers = append(numbers, cert.Number)
	}
	slices.Sort(numbers)
	if !slices.Equal(numbers, want) {
		t.Errorf("found %v, want %v", numbers, want)
	}
}

func certNumbers(cs []documents.Certificate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return out
}

// Two entries at once for one person with more certificates than the
// index's first slots, each retried: the person sees every certificate
// once (an index row per person lost updates here), and a deleted one no
// more (R16.3, R18).
func TestManyCertificatesOfOnePersonEnteredAtOnceAreEachSeenOnce_R16_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	a, b := certs("MA", 0, 12), certs("MB", 0, 12)
	holder := a[0].PersonalCode
	var want []string
	for i := range a {
		a[i].PersonalCode, b[i].PersonalCode = holder, holder
		want = append(want, a[i].Number, b[i].Number)
	}
	slices.Sort(want)
	var wg sync.WaitGroup
	for i, cs := range [][]documents.Certificate{a, b} {
		wg.Go(func() {
			for range 2 { // and its retry
				if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry(fmt.Sprint("m", i)), store.Progress{}, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, err := st.PersonCertificates(ctx, holder)
	if err != nil || !slices.Equal(numbersOf(got), want) {
		t.Fatalf("the person sees %v, %v; want %v", numbersOf(got), err, want)
	}
	r, err := st.Certificate(ctx, b[5].Key())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteCertificate(ctx, r); err != nil {
		t.Fatal(err)
	}
	want = slices.DeleteFunc(want, func(n string) bool { return n == b[5].Number })
	if got, err := st.PersonCertificates(ctx, holder); err != nil || !slices.Equal(numbersOf(got), want) {
		t.Errorf("after a deletion the person sees %v, %v; want %v", numbersOf(got), err, want)
	}
}

// The store plans its queries for the server that answers: the embedded
// stack's FerretDB says so in buildInfo.
func TestStoreKnowsTheEmbeddedStackIsFerretDB(t *testing.T) {
	if !store.IsFerretDB(mustOpenStore(t)) {
		t.Error("the embedded FerretDB was taken for MongoDB")
	}
}

// An index row that names another person's certificate (an entry that
// wrote its rows and then failed on a number another had entered) shows
// nothing of that certificate: a person sees only certificates whose
// holder they are (R16.3).
func TestPersonNeverSeesAnothersCertificate_R16_3(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	cs := certs("N", 0, 2)
	if cs[0].PersonalCode == cs[1].PersonalCode {
		t.Fatal("the two certificates need two holders")
	}
	if _, err := st.EnterPlan(ctx, documents.Plan{Certificates: cs}, entry("n"), store.Progress{}, nil); err != nil {
		t.Fatal(err)
	}
	mine, other := store.PersonKey(cs[0].PersonalCode), store.CertificateID(cs[1].Key())
	if _, err := st.DB().Collection(store.CollPersons).InsertOne(ctx, bson.D{{Key: "_id", Value: mine + "/" + other},
		{Key: "person", Value: mine}, {Key: "certificate", Value: other}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.PersonCertificates(ctx, cs[0].PersonalCode)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{cs[0].Number}; !slices.Equal(numbersOf(got), want) {
		t.Errorf("the person sees %v, want only %v", numbersOf(got), want)
	}
}
