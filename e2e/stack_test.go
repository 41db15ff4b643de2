// Package e2e holds the integration tests that run alusdok on the real
// embedded servers: Temporal and FerretDB in-process, reached over their
// network protocols, with the real worker, activities and intake.
package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.temporal.io/sdk/worker"

	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/devstack"
)

// stack is one embedded Temporal and FerretDB for the whole test binary.
var stack *devstack.Stack

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "alusdok-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// With the (read-only) Temporal UI, which TestTemporalUIIsReadOnly tries.
	stack, err = devstack.Start(context.Background(), devstack.Options{Dir: dir, UI: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	stack.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testKeysFile is the test payload keys' file: the e2e runs encrypt their
// payloads as production does (and the recorded histories with them).
func testKeysFile(tb testing.TB) string {
	tb.Helper()
	p, err := filepath.Abs("../codec/testdata/test-keys")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// system is alusdok wired on the shared stack with its own database.
type system struct {
	clients app.Clients
	wiring  *app.Wiring
	worker  worker.Worker
}

// defaults is the configuration kong would give with no flags.
func defaults(tb testing.TB) config.Server {
	tb.Helper()
	trust, err := filepath.Abs("../documents/testdata/trust")
	if err != nil {
		tb.Fatal(err)
	}
	return config.Server{
		Temporal: config.Temporal{Address: stack.TemporalAddress, Namespace: devstack.Namespace},
		Codec:    config.Codec{KeysFile: testKeysFile(tb)},
		Mongo:    config.Mongo{URI: config.Secret(stack.MongoURI)},
		Shutdown: config.Shutdown{Timeout: 10 * time.Second},
		Retain:   config.Retention{Years: 10},
		API: config.APIOptions{Documents: config.Documents{
			TrustDir: trust, MaxPDFBytes: 20 << 20, MaxPages: 500, PDFTimeout: 30 * time.Second,
		}},
		Worker: config.WorkerOptions{
			Procedure: config.Procedure{SubmissionDays: 10, EntryDays: 10, CorrectionDays: 10, MaxExtensionDays: 20,
				ReminderDays: []int{3, 0}, ReminderTime: "09:00"},
			SMTP:      config.SMTP{From: "Kutseregister <kutseregister@kutsekoda.ee>", TLS: "none", Timeout: 10 * time.Second},
			Retention: config.RetentionProcedure{BatchSize: 100, ArchiveDir: tb.TempDir()},
		},
	}
}

// start is wireWithoutWorker plus a worker on the test's own task queue.
func start(tb testing.TB, cfg config.Server) *system {
	tb.Helper()
	return startMonitored(tb, cfg, nil)
}

// startMonitored is start with monitor (nil: none) watching every MongoDB
// command of the system's client.
func startMonitored(tb testing.TB, cfg config.Server, monitor *event.CommandMonitor) *system {
	tb.Helper()
	sys := wireMonitored(tb, cfg, monitor)
	wk := worker.New(sys.clients.Temporal, sys.wiring.TaskQueue, worker.Options{})
	sys.wiring.Register(wk)
	if err := wk.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(wk.Stop)
	sys.worker = wk
	return sys
}

func dbName(tb testing.TB) string {
	name := []byte(tb.Name())
	for i, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			name[i] = '_'
		}
	}
	if len(name) > 40 {
		name = name[:40]
	}
	return "t_" + string(name)
}

// eventually polls cond until it holds or the timeout passes.
func eventually(tb testing.TB, timeout time.Duration, what string, cond func() (bool, error)) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
