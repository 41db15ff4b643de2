package pdfintake

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Fixture locations, relative to this package.
const (
	examplesDir = "../testdata/examples"
	trustDir    = "../testdata/trust"
	hostileDir  = "testdata/hostile"
	unsignedDir = "testdata/unsigned"
)

// Test identity of the committed fixtures (scripts/make-test-pdfs.sh).
const (
	testSignerCode = "48803150230"
	testSignerName = "MARI TAMM"
	rogueCode      = "38001085718"
)

// kinds are the seven kinds of base document (SPEC R10).
var kinds = []string{
	"government-order", "minister-directive", "standard-decision",
	"awarding-right-decision", "procedure-decision", "committee-decision", "other",
}

// childEnv makes the test binary the PDF-checking child (TestMain).
const childEnv = "PDFINTAKE_TEST_CHILD=1"

// TestMain lets the test binary serve as the child process: Inspectors
// made by mustInspector run this binary with childEnv (and -test.run=^$,
// so that it could never run the tests again), exactly as production runs
// `alusdok pdfcheck`.
func TestMain(m *testing.M) {
	if os.Getenv("PDFINTAKE_TEST_CHILD") == "1" {
		os.Exit(RunChild(os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// testChild is the command that runs this test binary as the child.
func testChild(tb testing.TB) *Command {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatalf("test executable: %v", err)
	}
	return &Command{Path: exe, Args: []string{"-test.run=^$"}, Env: []string{childEnv}}
}

// mustInspector builds an Inspector trusting the test CA that checks in a
// child process, unless opts.InProcess (or under -race: raceEnabled).
func mustInspector(tb testing.TB, opts Options) *Inspector {
	tb.Helper()
	if raceEnabled && opts.Child == nil {
		opts.InProcess = true
	}
	return mustInspectorIn(tb, opts)
}

// mustChildInspector is mustInspector always with the child, for the
// tests about isolation itself.
func mustChildInspector(tb testing.TB, opts Options) *Inspector {
	tb.Helper()
	if opts.Child == nil {
		opts.Child = testChild(tb)
	}
	return mustInspectorIn(tb, opts)
}

func mustInspectorIn(tb testing.TB, opts Options) *Inspector {
	tb.Helper()
	if opts.TrustDir == "" && opts.TrustedCerts == nil {
		opts.TrustDir = trustDir
	}
	if !opts.InProcess && opts.Child == nil {
		opts.Child = testChild(tb)
	}
	in, err := New(opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return in
}

// mustRead reads a fixture.
func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return b
}

// outcome is what one Inspect call returned.
type outcome struct {
	res  *Result
	defs deficiency.List
	err  error
}

// inspectWithin runs Inspect and fails the test if it does not return
// within limit (a hang) — Inspect's own time budget must end it first.
func inspectWithin(tb testing.TB, in *Inspector, data []byte, limit time.Duration) outcome {
	tb.Helper()
	done := make(chan outcome, 1)
	go func() {
		res, defs, err := in.Inspect(context.Background(), bytes.NewReader(data))
		done <- outcome{res, defs, err}
	}()
	select {
	case o := <-done:
		return o
	case <-time.After(limit):
		tb.Fatalf("Inspect did not return within %s", limit)
		return outcome{}
	}
}

// codes returns the codes of l in order.
func codes(l deficiency.List) []deficiency.Code {
	out := make([]deficiency.Code, len(l))
	for i, d := range l {
		out[i] = d.Code
	}
	return out
}

// hasCode reports whether l holds code with severity sev.
func hasCode(l deficiency.List, code deficiency.Code, sev deficiency.Severity) bool {
	return slices.ContainsFunc(l, func(d deficiency.Deficiency) bool {
		return d.Code == code && d.Severity == sev
	})
}

// fixtureFiles lists the PDF fixtures of dir.
func fixtureFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no fixtures in %s (run scripts/make-test-pdfs.sh): %v", dir, err)
	}
	return files
}
