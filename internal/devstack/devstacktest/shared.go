// Package devstacktest shares one embedded stack among the tests of a
// package: started on first use, so tests that need no database do not wait
// for it, and closed by the package's TestMain.
package devstacktest

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

// Shared is a lazily started embedded stack. The zero value is ready; Name
// prefixes its temporary directory and databases.
type Shared struct {
	Name string

	once   sync.Once
	dir    string
	stack  *devstack.Stack
	client *mongo.Client
	err    error
	dbs    atomic.Int64
}

func (s *Shared) start() {
	s.dir, s.err = os.MkdirTemp("", s.Name+"-test-")
	if s.err != nil {
		return
	}
	s.stack, s.err = devstack.Start(context.Background(), devstack.Options{Dir: s.dir})
	if s.err != nil {
		return
	}
	s.client, s.err = mongo.Connect(options.Client().ApplyURI(s.stack.MongoURI))
}

// Database returns a fresh database, dropped when the test ends.
func (s *Shared) Database(tb testing.TB) *mongo.Database {
	tb.Helper()
	s.once.Do(s.start)
	if s.err != nil {
		tb.Fatalf("embedded stack: %v", s.err)
	}
	db := s.client.Database(fmt.Sprintf("%s%d", s.Name, s.dbs.Add(1)))
	tb.Cleanup(func() { _ = db.Drop(context.Background()) })
	return db
}

// Dir is the stack's data directory ("" before first use).
func (s *Shared) Dir() string { return s.dir }

// Stack is the running stack (nil before first use).
func (s *Shared) Stack() *devstack.Stack { return s.stack }

// Close stops the stack and removes its directory; call it from TestMain.
func (s *Shared) Close() {
	if s.client != nil {
		_ = s.client.Disconnect(context.Background())
	}
	if s.stack != nil {
		s.stack.Close()
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}
