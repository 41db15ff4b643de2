package audit

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// rewriteConsistently does what someone able to write to MongoDB can: it
// changes entry 2's detail and recomputes every hash after it, and the
// head, so that the chain alone still verifies.
func rewriteConsistently(t *testing.T, l *Log) {
	t.Helper()
	ctx := context.Background()
	cur, err := l.entries.Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var recs []record
	if err := cur.All(ctx, &recs); err != nil {
		t.Fatal(err)
	}
	prev := GenesisHash
	for _, r := range recs {
		e := r.Entry
		if e.Seq == 2 {
			e.Detail = "nothing happened here"
		}
		e.PrevHash = prev
		e.Hash = ComputeHash(e)
		prev = e.Hash
		if _, err := l.entries.ReplaceOne(ctx, byID(r.ID), record{ID: r.ID, Entry: e}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.head.ReplaceOne(ctx, byID(headID), headDoc{ID: headID, Seq: e.Seq, Hash: e.Hash}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConsistentRewriteIsCaughtAtTheFirstCheckpoint_R17: the hash chain
// alone cannot tell a consistent rewrite; the signed checkpoints can.
func TestConsistentRewriteIsCaughtAtTheFirstCheckpoint_R17(t *testing.T) {
	ctx := context.Background()
	l := New(newDB(t))
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSigner(key)
	at := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	appendN(t, l, "S-1", 3)
	if _, cp, err := l.Checkpoint(ctx, s, at); err != nil || cp == nil || cp.Count != 3 {
		t.Fatalf("first checkpoint: %+v, %v", cp, err)
	}
	appendN(t, l, "S-2", 2)
	if _, cp, err := l.Checkpoint(ctx, s, at.Add(24*time.Hour)); err != nil || cp == nil || cp.Count != 5 {
		t.Fatalf("second checkpoint: %+v, %v", cp, err)
	}
	if rep, err := l.VerifyAnchored(ctx, s.Public()); err != nil || !rep.Whole() {
		t.Fatalf("before the rewrite: %v, %v", rep, err)
	}

	rewriteConsistently(t, l)
	if rep := mustVerify(t, l); !rep.Whole() {
		t.Fatalf("the rewrite is not consistent (the chain alone should not see it): %v", rep)
	}
	rep, err := l.VerifyAnchored(ctx, s.Public())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Whole() || rep.Broken.Seq != 3 || rep.Broken.Problem != ProblemCheckpoint {
		t.Errorf("anchored verify after the rewrite: %v; want broken at the first checkpoint, entry 3", rep)
	}
	// Nor does a new checkpoint paper over it.
	if _, cp, err := l.Checkpoint(ctx, s, at.Add(48*time.Hour)); err != nil || cp != nil {
		t.Errorf("a checkpoint was signed over a rewritten chain: %+v, %v", cp, err)
	}
}

// TestCheckpointNotSignedByTheKeyIsABreak: a checkpoint written without
// the key (or with another) does not anchor anything; it is reported.
func TestCheckpointNotSignedByTheKeyIsABreak(t *testing.T) {
	ctx := context.Background()
	l := New(newDB(t))
	_, key, _ := ed25519.GenerateKey(nil)
	_, other, _ := ed25519.GenerateKey(nil)
	appendN(t, l, "S-1", 2)
	if _, _, err := l.Checkpoint(ctx, NewSigner(other), time.Now()); err != nil {
		t.Fatal(err)
	}
	rep, err := l.VerifyAnchored(ctx, NewSigner(key).Public())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Whole() || rep.Broken.Problem != ProblemCheckpoint {
		t.Errorf("a foreign checkpoint: %v", rep)
	}
}
