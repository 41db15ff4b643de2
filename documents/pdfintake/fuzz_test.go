package pdfintake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// panicCounter is a slog handler counting the Inspector's recovered-panic
// warnings.
type panicCounter struct{ n atomic.Int64 }

func (h *panicCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *panicCounter) Handle(context.Context, slog.Record) error {
	h.n.Add(1)
	return nil
}
func (h *panicCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *panicCounter) WithGroup(string) slog.Handler      { return h }

// FuzzInspect feeds arbitrary bytes to Inspect through the child process,
// as production checks them. Whatever the input, Inspect must return (no
// crash, no hang past its budget) a Result that identifies the bytes, no
// error, and only documented deficiency codes. The fuzzer's coverage
// guidance sees only the parent (the child is another process), so it
// finds plumbing faults here; FuzzInspectInProcess explores the parser.
//
// Seeds are every fixture up to 64 KiB plus the corpus in
// testdata/fuzz/FuzzInspect. Recovered parser panics are logged, not
// failures; set PDFINTAKE_FUZZ_PANICS=fail to have the fuzzer stop at (and
// save) inputs that make pdfcpu panic.
func FuzzInspect(f *testing.F) { fuzzInspect(f, false) }

// FuzzInspectInProcess is FuzzInspect in this process, where coverage
// guides the fuzzer through the guards, pdfcpu and the signature rules.
func FuzzInspectInProcess(f *testing.F) { fuzzInspect(f, true) }

func fuzzInspect(f *testing.F, inProcess bool) {
	for _, dir := range []string{examplesDir, unsignedDir, hostileDir} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
		for _, p := range files {
			if st, err := os.Stat(p); err == nil && st.Size() <= 64<<10 {
				f.Add(mustRead(f, p))
			}
		}
	}
	known := map[deficiency.Code]bool{}
	for _, c := range Codes() {
		known[c.Code] = true
	}
	panics := &panicCounter{}
	// Small limits keep each execution fast; the guards behave the same.
	in := mustInspector(f, Options{
		Timeout:               5 * time.Second,
		MaxConcurrent:         1,
		MaxDecodedStreamBytes: 1 << 20,
		MaxObjects:            10_000,
		MaxTokens:             200_000,
		ChildMemory:           256 << 20,
		InProcess:             inProcess,
		Logger:                slog.New(panics),
	})
	failOnPanic := os.Getenv("PDFINTAKE_FUZZ_PANICS") == "fail"

	f.Fuzz(func(t *testing.T, data []byte) {
		before := panics.n.Load()
		res, defs, err := in.Inspect(context.Background(), bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Inspect returned error %v for bad input; want deficiencies", err)
		}
		if res == nil {
			t.Fatal("Inspect returned nil Result")
		}
		sum := sha256.Sum256(data)
		if res.SHA256 != hex.EncodeToString(sum[:]) || res.Size != int64(len(data)) {
			t.Fatalf("Result identifies %s/%d, want the input's hash and size", res.SHA256, res.Size)
		}
		for _, d := range defs {
			if !known[d.Code] || d.Message.ET == "" || d.Message.EN == "" {
				t.Fatalf("undocumented or empty deficiency %+v", d)
			}
		}
		if !defs.HasErrors() && res.Pages < 1 {
			t.Fatalf("document without errors has %d pages", res.Pages)
		}
		if failOnPanic && panics.n.Load() > before {
			t.Fatalf("pdfcpu panicked (recovered as %v)", codes(defs))
		}
	})
}
