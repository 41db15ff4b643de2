package pdfintake

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

func TestParserPanicBecomesMalformedAndIsLogged(t *testing.T) {
	var logs bytes.Buffer
	in := mustInspector(t, Options{InProcess: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	orig := in.analyse
	in.analyse = func(context.Context, []byte, job) report {
		var m map[string]int
		m["boom"]++ // a runtime error, as pdfcpu's index and nil faults are
		return report{}
	}
	data := mustRead(t, filepath.Join(examplesDir, "other.pdf"))
	o := inspectWithin(t, in, data, 30*time.Second)
	if o.err != nil || len(o.defs) != 1 || !hasCode(o.defs, CodeMalformed, deficiency.Error) {
		t.Fatalf("Inspect = %v, %v; want only %s", o.defs, o.err, CodeMalformed)
	}
	if !strings.Contains(logs.String(), "pdf parser panicked") || !strings.Contains(logs.String(), o.res.SHA256) {
		t.Errorf("log %q lacks the panic warning with the document hash", logs.String())
	}
	// The Inspector keeps working.
	in.analyse = orig
	if o := inspectWithin(t, in, data, 30*time.Second); len(o.defs) != 0 || o.err != nil {
		t.Errorf("after a panic: %v, %v", o.defs, o.err)
	}
}

func TestHungParseTimesOutAndKeepsItsSlotUntilItEnds(t *testing.T) {
	in := mustInspector(t, Options{InProcess: true, Timeout: 100 * time.Millisecond, MaxConcurrent: 1})
	release := make(chan struct{})
	in.analyse = func(context.Context, []byte, job) report {
		<-release // a parse that ignores its context
		return report{Pages: 1}
	}
	data := mustRead(t, filepath.Join(unsignedDir, "other.pdf"))
	start := time.Now()
	o := inspectWithin(t, in, data, 10*time.Second)
	if !hasCode(o.defs, CodeTimeout, deficiency.Error) || o.err != nil {
		t.Fatalf("Inspect = %v, %v; want %s", o.defs, o.err, CodeTimeout)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("gave up after %s; want about the 100 ms budget", el)
	}

	// The runaway parse still holds the only slot: the next caller waits,
	// bounded by its own context.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, _, err := in.Inspect(ctx, bytes.NewReader(data)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Inspect while the slot is held = %v; want DeadlineExceeded", err)
	}
	close(release) // the runaway parse ends; so will the next one
	if o := inspectWithin(t, in, data, 10*time.Second); o.err != nil || len(o.defs) != 0 || o.res.Pages != 1 {
		t.Errorf("after the runaway parse ended: %+v, %v, %v", o.res, o.defs, o.err)
	}
}
