package pdfintake

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfgen"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestOversizeInputRefusedBeforeParsing(t *testing.T) {
	in := mustInspector(t, Options{MaxBytes: 1000})
	data := mustRead(t, filepath.Join(examplesDir, "other.pdf"))
	cr := &countingReader{r: bytes.NewReader(data)}
	res, defs, err := in.Inspect(context.Background(), cr)
	if err != nil || !hasCode(defs, CodeTooLarge, deficiency.Error) || len(defs) != 1 {
		t.Fatalf("Inspect = %v, %v; want only %s", defs, err, CodeTooLarge)
	}
	if cr.n > 1001 {
		t.Errorf("read %d bytes; want at most MaxBytes+1", cr.n)
	}
	if res == nil || res.SHA256 != "" || res.Pages != 0 {
		t.Errorf("Result %+v; want an empty Result for unread input", res)
	}
	if want := "1000 B"; !bytes.Contains([]byte(defs[0].Message.EN), []byte(want)) {
		t.Errorf("message %q does not state the limit %s", defs[0].Message.EN, want)
	}
}

func TestTooManyPagesRefused(t *testing.T) {
	tests := []struct {
		name     string
		maxPages int
		pdf      []byte
		want     deficiency.Code
	}{
		{"default limit 500, 501 pages", 0, pdfgen.Pages(501), CodeTooManyPages},
		{"configured limit 3, 4 pages", 3, pdfgen.Pages(4), CodeTooManyPages},
		{"more page objects than 4 × limit refused before parsing", 3, pdfgen.Pages(13), CodeTooComplex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mustInspector(t, Options{MaxPages: tt.maxPages})
			o := inspectWithin(t, in, tt.pdf, 30*time.Second)
			if o.err != nil || !hasCode(o.defs, tt.want, deficiency.Error) {
				t.Errorf("Inspect = %v, %v; want %s", o.defs, o.err, tt.want)
			}
		})
	}
	in := mustInspector(t, Options{})
	if o := inspectWithin(t, in, pdfgen.Pages(500), 30*time.Second); len(o.defs) != 0 || o.res.Pages != 500 {
		t.Errorf("500 pages: %v, %d pages; want accepted", o.defs, o.res.Pages)
	}
}

func TestTooComplexFileRefusedBeforeParsing(t *testing.T) {
	in := mustInspector(t, Options{MaxObjects: 1000, MaxTokens: 50_000})
	for name, pdf := range map[string][]byte{
		"many objects": pdfgen.ManyObjects(1001),
		"big array":    pdfgen.BigArray(60_000),
		"big dict":     pdfgen.BigDict(30_000),
	} {
		o := inspectWithin(t, in, pdf, 30*time.Second)
		if o.err != nil || !hasCode(o.defs, CodeTooComplex, deficiency.Error) || o.res.Pages != 0 {
			t.Errorf("%s: Inspect = %v, %v, %d pages; want %s before parsing", name, o.defs, o.err, o.res.Pages, CodeTooComplex)
		}
	}
}

func TestTimeBudgetEndsParseWithDeficiency(t *testing.T) {
	in := mustInspector(t, Options{Timeout: time.Nanosecond, MaxConcurrent: 1})
	o := inspectWithin(t, in, mustRead(t, filepath.Join(examplesDir, "other.pdf")), 30*time.Second)
	if o.err != nil || !hasCode(o.defs, CodeTimeout, deficiency.Error) || len(o.defs) != 1 {
		t.Fatalf("Inspect = %v, %v; want only %s", o.defs, o.err, CodeTimeout)
	}
	if o.res == nil || o.res.SHA256 == "" {
		t.Errorf("Result %+v does not identify the document", o.res)
	}
	// The abandoned parse gives its slot back when it really ends.
	deadline := time.Now().Add(30 * time.Second)
	for len(in.slots) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("parse slot not released")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEndedContextIsAnErrorNotADeficiency(t *testing.T) {
	in := mustInspector(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, defs, err := in.Inspect(ctx, bytes.NewReader(mustRead(t, filepath.Join(examplesDir, "other.pdf"))))
	if !errors.Is(err, context.Canceled) || res != nil || defs != nil {
		t.Errorf("Inspect = %v, %v, %v; want nil, nil, context.Canceled", res, defs, err)
	}
}

func TestParseSlotsBoundConcurrentParses(t *testing.T) {
	in := mustInspector(t, Options{MaxConcurrent: 1})
	data := mustRead(t, filepath.Join(examplesDir, "other.pdf"))
	in.slots <- struct{}{} // a parse in progress
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := in.Inspect(ctx, bytes.NewReader(data))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Inspect with all slots taken = %v; want it to wait until ctx ends", err)
	}
	<-in.slots
	if o := inspectWithin(t, in, data, 30*time.Second); o.err != nil || len(o.defs) != 0 {
		t.Errorf("Inspect after the slot was freed = %v, %v", o.defs, o.err)
	}
}

func TestReaderFailureIsAnError(t *testing.T) {
	in := mustInspector(t, Options{})
	boom := errors.New("connection reset")
	_, _, err := in.Inspect(context.Background(), io.MultiReader(bytes.NewReader([]byte("%PDF-1.7\n")), errReader{boom}))
	if !errors.Is(err, boom) {
		t.Errorf("Inspect = %v; want the reader's error wrapped", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestOptionsRejectNegativeLimits(t *testing.T) {
	for _, o := range []Options{{MaxBytes: -1}, {MaxPages: -1}, {Timeout: -1}, {MaxConcurrent: -1},
		{MaxDecodedStreamBytes: -1}, {MaxObjects: -1}, {MaxTokens: -1}, {ChildMemory: -1}} {
		o.InProcess = true
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted a negative limit", o)
		}
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New without a child command or InProcess accepted")
	}
	in, err := New(Options{InProcess: true})
	if err != nil {
		t.Fatal(err)
	}
	o := in.opts
	if o.MaxBytes != 20<<20 || o.MaxPages != 500 || o.Timeout != 30*time.Second || o.MaxConcurrent != runtime.NumCPU() ||
		o.MaxTokens != 5<<20 || o.ChildMemory != 1<<30 {
		t.Errorf("defaults %+v; want 20 MiB, 500 pages, 30 s, NumCPU checks, 5 Mi tokens, 1 GiB", o)
	}
}
