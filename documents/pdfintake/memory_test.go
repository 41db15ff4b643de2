package pdfintake

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfgen"
)

// peakHeap runs f and returns how far the live heap rose above its level
// before f, sampled every 100 µs.
func peakHeap(f func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	base := s[0].Value.Uint64()
	peak := base
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peak - base
}

// maxRSS is the process's peak resident set size so far.
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10 // KiB on Linux
}

func TestHostileFixturesStayWithinMemoryBudget(t *testing.T) {
	const budget = 64 << 20
	in := mustInspector(t, Options{RequireSignature: true})
	for _, path := range fixtureFiles(t, hostileDir) {
		data := mustRead(t, path)
		var o outcome
		peak := peakHeap(func() { o = inspectWithin(t, in, data, time.Minute) })
		t.Logf("%-40s %7d B  peak heap +%6.1f MiB  %v", filepath.Base(path), len(data), float64(peak)/(1<<20), codes(o.defs))
		if peak > budget {
			t.Errorf("%s: heap rose by %d MiB, over the %d MiB budget", path, peak>>20, budget>>20)
		}
	}
}

// TestWorstCaseInputsUnderTheLimitsStayBounded measures the most expensive
// inputs the guards still admit (just under the token and object limits)
// and some they refuse. It takes a while and much memory, so it runs only
// with ALUSDOK_MEMPROBE=1.
func TestWorstCaseInputsUnderTheLimitsStayBounded(t *testing.T) {
	if os.Getenv("ALUSDOK_MEMPROBE") == "" {
		t.Skip("set ALUSDOK_MEMPROBE=1 to measure worst-case memory")
	}
	const budget = 512 << 20
	in := mustInspector(t, Options{Timeout: 2 * time.Minute})
	cases := []struct {
		name string
		pdf  func() []byte
	}{
		{"big dict, 1.2M entries (admitted)", func() []byte { return pdfgen.BigDict(1_200_000) }},
		{"199k small objects (admitted)", func() []byte { return pdfgen.ManyObjects(199_000) }},
		{"array of 2.99M integers (admitted)", func() []byte { return pdfgen.BigArray(2_990_000) }},
		{"object stream, RunLength to 60 MiB (admitted)", func() []byte { return pdfgen.RunLengthObjectStream(60 << 20) }},
		{"array of 9M integers (refused)", func() []byte { return pdfgen.BigArray(9_000_000) }},
		{"400k small objects (refused)", func() []byte { return pdfgen.ManyObjects(400_000) }},
		{"120k pages (refused)", func() []byte { return pdfgen.Pages(120_000) }},
		{"xref stream bomb to 4 GiB", func() []byte { return mustRead(t, filepath.Join(hostileDir, "flate-bomb-xref.pdf")) }},
	}
	for _, c := range cases {
		data := c.pdf()
		var o outcome
		start := time.Now()
		peak := peakHeap(func() { o = inspectWithin(t, in, data, 5*time.Minute) })
		t.Logf("%-46s %9d B  peak heap +%6.1f MiB  %6s  %v", c.name, len(data), float64(peak)/(1<<20),
			time.Since(start).Round(time.Millisecond), codes(o.defs))
		if peak > budget {
			t.Errorf("%s: heap rose by %d MiB, over %d MiB", c.name, peak>>20, budget>>20)
		}
	}
	t.Logf("process peak RSS %d MiB", maxRSS()>>20)
}
