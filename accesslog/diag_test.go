package accesslog

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestDiag(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	coll := db.Collection("d")
	var docs []any
	for i := range 20000 {
		docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("k%08d:2026", i)}, {Key: "v", Value: i}})
	}
	insertAll(t, coll, docs)
	for i := range 10 {
		start := time.Now()
		var out bson.M
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("k%08d:2026", 19999-i*13)}}).Decode(&out)
		t.Logf("findone %d: %v %v", i, time.Since(start), err)
	}
	for i := range 3 {
		start := time.Now()
		var out bson.M
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("k%08d:2025", i)}}).Decode(&out)
		t.Logf("findone missing %d: %v %v", i, time.Since(start), err)
		start = time.Now()
		err = coll.FindOne(ctx, bson.D{{Key: "v", Value: 19999 - i}}).Decode(&out)
		t.Logf("findone by v %d: %v %v", i, time.Since(start), err)
		start = time.Now()
		cur, err := coll.Find(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("k%08d:2025", i)}})
		var all []bson.M
		err = cur.All(ctx, &all)
		t.Logf("findone missing %d: %v %v", i, time.Since(start), err)
	}
}
