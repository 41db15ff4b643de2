package pdfintake

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"

	"github.com/kutsekoda/alusdok/deficiency"
)

// guarded runs in.analyse in this process (Options.InProcess) under the
// Inspector's guards:
//
//   - a check slot: at most MaxConcurrent checks run at once. Waiting for
//     a slot is bounded by ctx only.
//   - a time budget: after Options.Timeout the call returns CodeTimeout.
//     pdfcpu cannot be stopped from outside; its reading stage notices the
//     cancelled context, but validation does not, so a timed-out parse may
//     run to completion in the background. It keeps its slot until then,
//     which is what keeps memory bounded — but only by the slots: memory
//     per parse is not bounded in process. That is what the child is for.
//   - panic recovery: a pdfcpu panic becomes CodeMalformed.
//
// The error is non-nil only when ctx ends first.
func (in *Inspector) guarded(ctx context.Context, data []byte, j job, sum string) (report, error) {
	select {
	case in.slots <- struct{}{}:
	case <-ctx.Done():
		return report{}, fmt.Errorf("wait for a check slot: %w", ctx.Err())
	}
	c, cancel := context.WithTimeout(ctx, in.opts.Timeout)
	defer cancel()

	done := make(chan report, 1)
	go func() {
		defer func() { <-in.slots }()
		r := recovered(func() report { return in.analyse(c, data, j) })
		logPanic(c, in.opts.Logger, sum, r)
		done <- r
	}()

	select {
	case r := <-done:
		if !r.interrupted {
			return r, nil
		}
	case <-c.Done():
		select {
		case r := <-done: // finished just as the budget ran out
			if !r.interrupted {
				return r, nil
			}
		default:
		}
	}
	if err := ctx.Err(); err != nil {
		return report{}, fmt.Errorf("check: %w", err)
	}
	var r report
	add(&r.Defs, deficiency.Error, FieldDocument, CodeTimeout, "max", in.opts.Timeout)
	return r, nil
}

// recovered calls f and turns a panic into CodeMalformed, with the
// panic's type, text (for runtime errors, which hold no document content)
// and stack in the report for the log.
func recovered(f func() report) (r report) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		r = report{Panic: fmt.Sprintf("%T", p), PanicStack: string(debug.Stack())}
		if re, ok := p.(runtime.Error); ok {
			r.PanicText = re.Error()
		}
		add(&r.Defs, deficiency.Error, FieldDocument, CodeMalformed)
	}()
	return f()
}

// logPanic logs a recovered parser panic with the document's hash, never
// its content.
func logPanic(c context.Context, log *slog.Logger, sum string, r report) {
	if r.Panic == "" {
		return
	}
	attrs := []any{"sha256", sum, "panicType", r.Panic, "stack", r.PanicStack}
	if r.PanicText != "" {
		attrs = append(attrs, "panic", r.PanicText)
	}
	log.WarnContext(c, "pdf parser panicked; document reported as malformed", attrs...)
}
