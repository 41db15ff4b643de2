package audit

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

func TestVerifyFindsAnEmptyLogWhole_R17(t *testing.T) {
	rep := mustVerify(t, New(newDB(t)))
	if !rep.Whole() || rep.Count != 0 || rep.LastHash != GenesisHash {
		t.Errorf("empty log: %v", rep)
	}
}

// TestVerifyNamesTheFirstBrokenLink_R17 tampers with a log of five entries
// in each way a hash chain must show, and expects the first entry touched.
func TestVerifyNamesTheFirstBrokenLink_R17(t *testing.T) {
	update := func(seq int64, set bson.D) func(context.Context, *mongo.Collection, []Entry) error {
		return func(ctx context.Context, c *mongo.Collection, _ []Entry) error {
			_, err := c.UpdateOne(ctx, byID(EntryID(seq)), bson.D{{Key: "$set", Value: set}})
			return err
		}
	}
	replace := func(seq int64, e Entry) func(context.Context, *mongo.Collection) error {
		return func(ctx context.Context, c *mongo.Collection) error {
			_, err := c.ReplaceOne(ctx, byID(EntryID(seq)), record{ID: EntryID(seq), Entry: e})
			return err
		}
	}
	for _, tc := range []struct {
		name    string
		tamper  func(context.Context, *mongo.Collection, []Entry) error
		seq     int64
		problem Problem
	}{
		{"an entry's detail altered", update(3, bson.D{{Key: "detail", Value: "nothing happened"}}), 3, ProblemHash},
		{"an entry's time altered", update(2, bson.D{{Key: "time", Value: mustTime(t, "2020-01-01T00:00:00Z")}}), 2, ProblemHash},
		{"an entry's subjects removed", update(4, bson.D{{Key: "subjects", Value: bson.A{}}}), 4, ProblemHash},
		{"an entry deleted", func(ctx context.Context, c *mongo.Collection, _ []Entry) error {
			_, err := c.DeleteOne(ctx, byID(EntryID(3)))
			return err
		}, 3, ProblemMissing},
		{"the last entry deleted", func(ctx context.Context, c *mongo.Collection, _ []Entry) error {
			_, err := c.DeleteOne(ctx, byID(EntryID(5)))
			return err
		}, 5, ProblemMissing},
		{"two entries swapped", func(ctx context.Context, c *mongo.Collection, es []Entry) error {
			if err := replace(3, es[3])(ctx, c); err != nil {
				return err
			}
			return replace(4, es[2])(ctx, c)
		}, 3, ProblemSeq},
		{"two entries swapped and renumbered", func(ctx context.Context, c *mongo.Collection, es []Entry) error {
			a, b := es[2], es[3]
			a.Seq, b.Seq = 4, 3
			if err := replace(3, b)(ctx, c); err != nil {
				return err
			}
			return replace(4, a)(ctx, c)
		}, 3, ProblemHash},
		{"an entry altered and rehashed", func(ctx context.Context, c *mongo.Collection, es []Entry) error {
			e := es[1]
			e.Actor = "Keegi Teine"
			e.Hash = ComputeHash(e)
			return replace(2, e)(ctx, c)
		}, 3, ProblemPrevHash},
		{"the newest entry altered and rehashed", func(ctx context.Context, c *mongo.Collection, es []Entry) error {
			e := es[4]
			e.Detail = "nothing happened"
			e.Hash = ComputeHash(e)
			return replace(5, e)(ctx, c)
		}, 5, ProblemHead},
		{"a document inserted between entries", func(ctx context.Context, c *mongo.Collection, es []Entry) error {
			_, err := c.InsertOne(ctx, record{ID: EntryID(2) + "x", Entry: es[1]})
			return err
		}, 3, ProblemForeign},
		{"an entry made unreadable", update(2, bson.D{{Key: "seq", Value: "two"}}), 2, ProblemUnreadable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			l := New(newDB(t))
			es := appendN(t, l, "S-1", 5)
			if err := tc.tamper(ctx, l.entries, es); err != nil {
				t.Fatal(err)
			}
			rep := mustVerify(t, l)
			if rep.Whole() {
				t.Fatalf("tampering went unnoticed: %v", rep)
			}
			if rep.Broken.Seq != tc.seq || rep.Broken.Problem != tc.problem {
				t.Errorf("%v; want broken at entry %d: %s", rep, tc.seq, tc.problem)
			}
			if rep.Count != tc.seq-1 || rep.LastHash != mustEntry(t, l, rep.Count).Hash {
				t.Errorf("report counts %d whole entries ending in %s, want %d ending in the stored hash", rep.Count, rep.LastHash, tc.seq-1)
			}
		})
	}
}
