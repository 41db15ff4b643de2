package store_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/store"
)

// TestSharedBlobKeepsTheLatestDateAndNamesEverySubmission_R4_2: the same
// PDF stored by two submissions keeps the later retention date whichever
// comes last, and names both; a blob written without a date has no
// retainUntil field at all (not year 1: the driver ignores "omitzero").
func TestSharedBlobKeepsTheLatestDateAndNamesEverySubmission_R4_2(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	later := time.Date(2036, 6, 12, 0, 0, 0, 0, time.UTC)
	earlier := time.Date(2035, 1, 2, 0, 0, 0, 0, time.UTC)
	pdf := []byte("%PDF-1.7 shared")
	for _, p := range []struct {
		sub   string
		until time.Time
	}{{"a", later}, {"b", earlier}} {
		if _, _, err := st.PutBlob(ctx, store.BucketDocuments, "pdf-shared", "x.pdf", bytes.NewReader(pdf),
			store.BlobMeta{ContentType: "application/pdf", Kind: "committee-decision", Submission: p.sub, RetainUntil: p.until}, t0); err != nil {
			t.Fatal(err)
		}
	}
	b, err := st.StatBlob(ctx, store.BucketDocuments, "pdf-shared")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Metadata.RetainUntil.Equal(later) {
		t.Errorf("retainUntil %s, want the later %s", b.Metadata.RetainUntil, later)
	}
	slices.Sort(b.Metadata.Submissions)
	if !slices.Equal(b.Metadata.Submissions, []string{"a", "b"}) {
		t.Errorf("submissions %v", b.Metadata.Submissions)
	}

	if _, _, err := st.PutBlob(ctx, store.BucketDocuments, "undated", "u", bytes.NewReader([]byte("u")), store.BlobMeta{}, t0); err != nil {
		t.Fatal(err)
	}
	raw, err := st.DB().Collection(store.BucketDocuments+".files").FindOne(ctx, bson.D{{Key: "_id", Value: "undated"}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.LookupErr("metadata", "retainUntil"); err == nil {
		t.Errorf("a zero retainUntil was written: %s", raw)
	}
}

// TestRetentionRowListedOnceAndKeptLonger_R18: a due row is listed by one
// batch only; keeping it sets a new date and holds it again.
func TestRetentionRowListedOnceAndKeptLonger_R18(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)
	due := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := st.HoldForRetention(ctx, store.RetentionRow{ID: "s1", Kind: "other", RetainUntil: due}); err != nil {
		t.Fatal(err)
	}
	if err := st.HoldForRetention(ctx, store.RetentionRow{ID: "s1", Kind: "other", RetainUntil: due.AddDate(-1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	rows, err := st.RetentionRows(ctx, store.RetentionHeld, t0)
	if err != nil || len(rows) != 1 || !rows[0].RetainUntil.Equal(due) {
		t.Fatalf("due rows %+v, %v", rows, err)
	}
	if ok, err := st.ListForRetention(ctx, "s1", "batch-1", t0); !ok || err != nil {
		t.Fatalf("list: %v %v", ok, err)
	}
	if ok, _ := st.ListForRetention(ctx, "s1", "batch-2", t0); ok {
		t.Error("listed by a second batch")
	}
	if ok, _ := st.ListForRetention(ctx, "s1", "batch-1", t0); !ok {
		t.Error("a retry of the same batch is not answered")
	}
	until := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := st.KeepLonger(ctx, "s1", "batch-1", until, "court case", "Sander Järelevaataja", t0); err != nil {
		t.Fatal(err)
	}
	r, err := st.Retention(ctx, "s1")
	if err != nil || r.State != store.RetentionHeld || !r.RetainUntil.Equal(until) || r.Reason != "court case" {
		t.Errorf("after keep: %+v %v", r, err)
	}
}
