package pdfintake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfgen"
)

// isolatedDirect runs the child path without the parent's pre-parse
// guards, to show what the child's own limits do.
func isolatedDirect(tb testing.TB, in *Inspector, data []byte) report {
	tb.Helper()
	j := in.job(Expect{})
	j.SkipXRefSizeGuard = true
	r, err := in.isolated(context.Background(), bytes.NewReader(data), j, "test")
	if err != nil {
		tb.Fatalf("isolated: %v", err)
	}
	return r
}

func TestXRefSizeBombIsRefusedBeforeTheChildAndBoundedInIt(t *testing.T) {
	bomb := mustRead(t, filepath.Join(hostileDir, "xref-size-bomb.pdf"))
	in := mustChildInspector(t, Options{Timeout: 5 * time.Second, ChildMemory: 256 << 20})
	o := inspectWithin(t, in, bomb, time.Minute)
	if !hasCode(o.defs, CodeMalformed, deficiency.Error) || len(o.defs) != 1 {
		t.Errorf("guarded: %v; want %s from the /Size guard", o.defs, CodeMalformed)
	}
	// Without the guard, the child runs into its address-space or time
	// limit and the parent reports it; this process does not grow.
	before := rss(t)
	r := isolatedDirect(t, in, bomb)
	if !r.Defs.HasErrors() || (r.Defs[0].Code != CodeTooComplex && r.Defs[0].Code != CodeTimeout) {
		t.Errorf("unguarded in the child: %v; want %s or %s", r.Defs, CodeTooComplex, CodeTimeout)
	}
	t.Logf("unguarded /Size bomb in the child: %v; this process's RSS %+.1f MiB", codes(r.Defs), float64(rss(t)-before)/(1<<20))
}

func TestChildOutOfMemoryIsTooComplex(t *testing.T) {
	in := mustChildInspector(t, Options{ChildMemory: 8 << 20})
	r := isolatedDirect(t, in, pdfgen.BigArray(2_000_000))
	if len(r.Defs) != 1 || r.Defs[0].Code != CodeTooComplex {
		t.Errorf("report %v; want %s (RLIMIT_AS of 8 MiB over the child's start)", r.Defs, CodeTooComplex)
	}
}

func TestChildThatHangsIsKilledAtTheBudget(t *testing.T) {
	in := mustChildInspector(t, Options{Timeout: 300 * time.Millisecond,
		Child: &Command{Path: "/bin/sh", Args: []string{"-c", "sleep 60 & sleep 60"}}})
	r := isolatedDirect(t, in, mustRead(t, filepath.Join(unsignedDir, "other.pdf")))
	if len(r.Defs) != 1 || r.Defs[0].Code != CodeTimeout {
		t.Errorf("report %v; want %s", r.Defs, CodeTimeout)
	}
}

func TestChildThatCrashesIsMalformed(t *testing.T) {
	for name, cmd := range map[string]*Command{
		"exit 2":       {Path: "/bin/sh", Args: []string{"-c", "cat >/dev/null; echo 'panic: boom' >&2; exit 2"}},
		"no report":    {Path: "/bin/sh", Args: []string{"-c", "cat >/dev/null"}},
		"bad report":   {Path: "/bin/sh", Args: []string{"-c", "cat >/dev/null; echo '{not json'"}},
		"segmentation": {Path: "/bin/sh", Args: []string{"-c", "cat >/dev/null; kill -SEGV $$"}},
	} {
		in := mustChildInspector(t, Options{Child: cmd})
		r := isolatedDirect(t, in, mustRead(t, filepath.Join(unsignedDir, "other.pdf")))
		if len(r.Defs) != 1 || r.Defs[0].Code != CodeMalformed {
			t.Errorf("%s: report %v; want %s", name, r.Defs, CodeMalformed)
		}
	}
	in := mustChildInspector(t, Options{Child: &Command{Path: "/nonexistent/alusdok"}})
	if _, _, err := in.Inspect(context.Background(), bytes.NewReader(mustRead(t, filepath.Join(unsignedDir, "other.pdf")))); err == nil {
		t.Error("a child that cannot start is a configuration error, not a deficiency")
	}
}

// rss is this process's resident set size (VmRSS).
func rss(tb testing.TB) int64 {
	tb.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status")
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			f := strings.Fields(rest)
			kb, _ := strconv.ParseInt(f[0], 10, 64)
			return kb << 10
		}
	}
	tb.Skip("no VmRSS")
	return 0
}

// TestHostileBurstLeavesServerMemoryAndReadinessAlone is the issue's
// burst: the /Size bomb and nine more hostile PDFs sent at once to an HTTP
// server that checks them with the Inspector, while /readyz is asked
// every 50 ms. The server's resident memory stays within 64 MiB of its
// idle figure and every /readyz answers 200.
func TestHostileBurstLeavesServerMemoryAndReadinessAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("a burst of ten hostile documents")
	}
	const budget = 64 << 20
	bombs := map[string][]byte{
		"xref-size-bomb":     mustRead(t, filepath.Join(hostileDir, "xref-size-bomb.pdf")),
		"flate-bomb-content": mustRead(t, filepath.Join(hostileDir, "flate-bomb-content.pdf")),
		"flate-bomb-objstm":  mustRead(t, filepath.Join(hostileDir, "flate-bomb-objstm.pdf")),
		"flate-bomb-xref":    mustRead(t, filepath.Join(hostileDir, "flate-bomb-xref.pdf")),
		"huge-xref-stream":   mustRead(t, filepath.Join(hostileDir, "huge-xref-stream.pdf")),
		"nested-dicts":       mustRead(t, filepath.Join(hostileDir, "nested-dicts.pdf")),
		"big-array-admitted": pdfgen.BigArray(1_500_000),
		"many-objects":       pdfgen.ManyObjects(150_000),
		"runlength-objstm":   pdfgen.RunLengthObjectStream(60 << 20),
		"encrypted":          mustRead(t, filepath.Join(hostileDir, "encrypted.pdf")),
	}
	in := mustChildInspector(t, Options{RequireSignature: true, MaxConcurrent: 2, Timeout: 2 * time.Minute})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /check", func(w http.ResponseWriter, r *http.Request) {
		// As intake does: spool the upload to disk, check it from there.
		f, err := os.CreateTemp(t.TempDir(), "upload-*.pdf")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		if _, err := io.Copy(f, io.LimitReader(r.Body, in.MaxBytes()+1)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, defs, err := in.InspectFile(r.Context(), f, Expect{})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, codes(defs))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"status":"ready"}`) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	runtime.GC()
	idle := rss(t)
	var peak atomic.Int64
	peak.Store(idle)
	stop := make(chan struct{})
	var readyOK, readyFail atomic.Int64
	var bg sync.WaitGroup
	bg.Add(1)
	go func() { // readiness and memory, sampled throughout
		defer bg.Done()
		cl := &http.Client{Timeout: 2 * time.Second}
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if m := rss(t); m > peak.Load() {
				peak.Store(m)
			}
			resp, err := cl.Get(srv.URL + "/readyz")
			if err != nil {
				readyFail.Add(1)
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				readyOK.Add(1)
			} else {
				readyFail.Add(1)
			}
		}
	}()

	var wg sync.WaitGroup
	var mu sync.Mutex
	answers := map[string]string{}
	for name, pdf := range bombs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL+"/check", "application/pdf", bytes.NewReader(pdf))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			mu.Lock()
			answers[name] = fmt.Sprintf("%d %s", resp.StatusCode, b)
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(stop)
	bg.Wait()

	for name, a := range answers {
		t.Logf("%-20s %s", name, a)
		if !strings.HasPrefix(a, "200 [pdf.") {
			t.Errorf("%s answered %q; want deficiencies", name, a)
		}
	}
	grew := peak.Load() - idle
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	t.Logf("server RSS idle %.1f MiB, peak %.1f MiB (+%.1f MiB); largest child %.1f MiB; /readyz %d× 200, %d× failed",
		float64(idle)/(1<<20), float64(peak.Load())/(1<<20), float64(grew)/(1<<20), float64(ru.Maxrss)/(1<<10),
		readyOK.Load(), readyFail.Load())
	if grew > budget {
		t.Errorf("server RSS grew by %d MiB, over %d MiB", grew>>20, budget>>20)
	}
	if readyFail.Load() > 0 || readyOK.Load() == 0 {
		t.Errorf("/readyz: %d answered, %d failed; want every one answered", readyOK.Load(), readyFail.Load())
	}
}
