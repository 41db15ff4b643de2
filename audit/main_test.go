package audit

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/internal/devstack"
)

// mongoURI is the embedded FerretDB that every test of the package shares;
// each test takes a database of its own (see newDB).
var mongoURI string

// dbCount numbers the tests' databases.
var dbCount atomic.Int64

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "audit-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stack, err := devstack.Start(ctx, devstack.Options{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "start embedded servers:", err)
		return 1
	}
	defer stack.Close()
	mongoURI = stack.MongoURI
	return m.Run()
}

// connect opens a client of its own, as another process would.
func connect(tb testing.TB) *mongo.Client {
	tb.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(mongoURI))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

// newDB returns a fresh database on a client of its own.
func newDB(tb testing.TB) *mongo.Database {
	tb.Helper()
	return connect(tb).Database(fmt.Sprintf("audit_test_%d", dbCount.Add(1)))
}

// sample returns a valid entry with key.
func sample(key string) Entry {
	return Entry{
		Key:              key,
		SubmissionID:     "S-2025-0001",
		SubmitterName:    "SA Kutsekoda",
		DocumentKind:     "committee-decision",
		DocumentKindName: "Kutsekomisjoni otsus",
		DocumentNumber:   "KK-17/2025",
		DocumentDate:     "2025-03-14",
		Actor:            ActorSystem,
		Action:           ActionReceived,
		Detail:           "3 certificates",
		Subjects:         []string{"p:4f2a", "p:9c1e"},
	}
}

// appendN appends n sample entries with keys prefix/1 … prefix/n.
func appendN(tb testing.TB, l *Log, prefix string, n int) []Entry {
	tb.Helper()
	out := make([]Entry, 0, n)
	for i := 1; i <= n; i++ {
		e, err := l.Append(context.Background(), sample(fmt.Sprintf("%s/%d", prefix, i)))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// mustVerify verifies l and fails the test when the database fails.
func mustVerify(tb testing.TB, l *Log) Report {
	tb.Helper()
	rep, err := l.Verify(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// count returns the number of documents in db's collection coll.
func count(tb testing.TB, db *mongo.Database, coll string) int64 {
	tb.Helper()
	n, err := db.Collection(coll).CountDocuments(context.Background(), struct{}{})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
