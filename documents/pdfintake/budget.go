package pdfintake

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/kutsekoda/alusdok/deficiency"
)

// guarded runs in.analyse (analysePDF) under the Inspector's guards:
//
//   - a parse slot: at most MaxConcurrent parses run at once. Waiting for
//     a slot is bounded by ctx only.
//   - a time budget: after Options.Timeout the call returns CodeTimeout.
//     pdfcpu cannot be stopped from outside; its reading stage notices the
//     cancelled context, but validation does not, so a timed-out parse may
//     run to completion in the background. It keeps its slot until then,
//     which is what keeps memory bounded.
//   - panic recovery: a pdfcpu panic becomes CodeMalformed.
//
// The error is non-nil only when ctx ends first.
func (in *Inspector) guarded(ctx context.Context, data []byte, sum string) (analysis, error) {
	select {
	case in.slots <- struct{}{}:
	case <-ctx.Done():
		return analysis{}, fmt.Errorf("wait for a parse slot: %w", ctx.Err())
	}
	c, cancel := context.WithTimeout(ctx, in.opts.Timeout)
	defer cancel()

	done := make(chan analysis, 1)
	go func() {
		defer func() { <-in.slots }()
		done <- in.recovered(c, data, sum)
	}()

	select {
	case a := <-done:
		if !a.interrupted {
			return a, nil
		}
	case <-c.Done():
		select {
		case a := <-done: // finished just as the budget ran out
			if !a.interrupted {
				return a, nil
			}
		default:
		}
	}
	if err := ctx.Err(); err != nil {
		return analysis{}, fmt.Errorf("parse: %w", err)
	}
	var a analysis
	add(&a.defs, deficiency.Error, FieldDocument, CodeTimeout, in.opts.Timeout)
	return a, nil
}

// recovered calls in.analyse and turns a panic into CodeMalformed. The log
// line carries the document's hash, the panic's type (and text, for
// runtime errors, which hold no document content) and the stack.
func (in *Inspector) recovered(c context.Context, data []byte, sum string) (a analysis) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		attrs := []any{"sha256", sum, "panicType", fmt.Sprintf("%T", r), "stack", string(debug.Stack())}
		if re, ok := r.(runtime.Error); ok {
			attrs = append(attrs, "panic", re.Error())
		}
		in.opts.Logger.WarnContext(c, "pdf parser panicked; document reported as malformed", attrs...)
		a = analysis{}
		add(&a.defs, deficiency.Error, FieldDocument, CodeMalformed)
	}()
	return in.analyse(c, data)
}
