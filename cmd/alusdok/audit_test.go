package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/internal/devstack"
)

// TestAuditVerifySaysWholeThenNamesTheAlteredEntry_R17 runs "alusdok audit
// verify" against the embedded FerretDB: whole after three appends, then
// broken at entry 2 once a direct update alters it.
func TestAuditVerifySaysWholeThenNamesTheAlteredEntry_R17(t *testing.T) {
	ctx := context.Background()
	stack, err := devstack.Start(ctx, devstack.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Close)
	mc, err := mongo.Connect(options.Client().ApplyURI(stack.MongoURI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mc.Disconnect(ctx) })
	db := mc.Database("audittest")
	log := audit.New(db)
	for i := 1; i <= 3; i++ {
		if _, err := log.Append(ctx, audit.Entry{
			Key: fmt.Sprintf("S-1/%d", i), SubmissionID: "S-1", SubmitterName: "SA Kutsekoda",
			Actor: audit.ActorSystem, Action: audit.ActionReceived,
		}); err != nil {
			t.Fatal(err)
		}
	}
	verify := func() (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, []string{"audit", "verify", "--mongodb-uri", stack.MongoURI, "--mongodb-database", "audittest"},
			func(string) string { return "" }, &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}

	out, err := verify()
	if err != nil || !strings.Contains(out, "processing log is whole: 3 entries, last hash ") {
		t.Fatalf("audit verify on a whole log: %v\n%s", err, out)
	}

	if _, err := db.Collection(audit.CollEntries).UpdateOne(ctx, bson.D{{Key: "_id", Value: audit.EntryID(2)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "actor", Value: "Keegi Teine"}}}}); err != nil {
		t.Fatal(err)
	}
	out, err = verify()
	if err == nil || !strings.HasPrefix(err.Error(), "processing log is broken at entry 2: hash mismatch") {
		t.Errorf("audit verify after altering entry 2: %v\n%s", err, out)
	}
}
