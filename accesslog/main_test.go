package accesslog

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/internal/devstack"
)

// ferret is the embedded FerretDB shared by the package's tests, started on
// first use (the tests that need no database do not wait for it).
type ferret struct {
	once   sync.Once
	dir    string
	stack  *devstack.Stack
	client *mongo.Client
	err    error
	dbs    atomic.Int64
}

var testFerret ferret

func TestMain(m *testing.M) {
	code := m.Run()
	testFerret.close()
	os.Exit(code)
}

func (f *ferret) start() {
	f.dir, f.err = os.MkdirTemp("", "accesslog-test-")
	if f.err != nil {
		return
	}
	f.stack, f.err = devstack.Start(context.Background(), devstack.Options{Dir: f.dir})
	if f.err != nil {
		return
	}
	f.client, f.err = mongo.Connect(options.Client().ApplyURI(f.stack.MongoURI))
}

func (f *ferret) close() {
	if f.client != nil {
		_ = f.client.Disconnect(context.Background())
	}
	if f.stack != nil {
		f.stack.Close()
	}
	if f.dir != "" {
		_ = os.RemoveAll(f.dir)
	}
}

// mustOpenDB returns a fresh database on the embedded FerretDB, dropped when
// the test ends.
func mustOpenDB(tb testing.TB) *mongo.Database {
	tb.Helper()
	testFerret.once.Do(testFerret.start)
	if testFerret.err != nil {
		tb.Fatalf("embedded FerretDB: %v", testFerret.err)
	}
	db := testFerret.client.Database(fmt.Sprintf("alog%d", testFerret.dbs.Add(1)))
	tb.Cleanup(func() { _ = db.Drop(context.Background()) })
	return db
}
