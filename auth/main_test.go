package auth

import (
	"os"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kutsekoda/alusdok/internal/devstack/devstacktest"
)

// testFerret is the embedded FerretDB shared by the package's tests.
var testFerret = devstacktest.Shared{Name: "auth"}

func TestMain(m *testing.M) {
	code := m.Run()
	testFerret.Close()
	os.Exit(code)
}

// mustOpenDB returns a fresh database on the embedded FerretDB, dropped when
// the test ends.
func mustOpenDB(tb testing.TB) *mongo.Database {
	tb.Helper()
	return testFerret.Database(tb)
}
