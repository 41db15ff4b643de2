package pdfintake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Output the parent keeps from a child: the report, and the start of
// stderr to classify a crash.
const (
	maxReportBytes = 8 << 20
	maxStderrBytes = 64 << 10
)

// isolated checks the document doc in a child process (Options.Child) under a check
// slot. The child limits its own address space and CPU time (RunChild);
// the parent kills it, with its process group, when Options.Timeout
// passes or ctx ends. Whatever becomes of the child becomes a deficiency:
// killed at the budget CodeTimeout, out of memory CodeTooComplex, any other
// crash CodeMalformed. The error is non-nil only when ctx ends first or the
// child cannot be started at all (a configuration error).
func (in *Inspector) isolated(ctx context.Context, doc io.Reader, j job, sum string) (report, error) {
	select {
	case in.slots <- struct{}{}:
	case <-ctx.Done():
		return report{}, fmt.Errorf("wait for a check slot: %w", ctx.Err())
	}
	defer func() { <-in.slots }()

	head, err := json.Marshal(j)
	if err != nil {
		return report{}, fmt.Errorf("encode job: %w", err)
	}
	c, cancel := context.WithTimeout(ctx, in.opts.Timeout)
	defer cancel()
	ch := in.opts.Child
	cmd := exec.CommandContext(c, ch.Path, ch.Args...)
	cmd.Env = append([]string{}, ch.Env...)
	cmd.Stdin = io.MultiReader(bytes.NewReader(append(head, '\n')), doc)
	stdout := &cappedBuffer{max: maxReportBytes}
	stderr := &cappedBuffer{max: maxStderrBytes}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	setProcessGroup(cmd)
	cmd.WaitDelay = time.Second

	start := time.Now()
	runErr := cmd.Start()
	if runErr == nil {
		runErr = cmd.Wait()
	} else if c.Err() == nil {
		return report{}, fmt.Errorf("start the PDF check process: %w", runErr)
	}
	if err := ctx.Err(); err != nil {
		return report{}, fmt.Errorf("check: %w", err)
	}
	log := in.opts.Logger
	if c.Err() != nil {
		var r report
		add(&r.Defs, deficiency.Error, FieldDocument, CodeTimeout, "max", in.opts.Timeout)
		log.InfoContext(ctx, "pdf check killed at its time budget", "sha256", sum, "budget", in.opts.Timeout)
		return r, nil
	}
	if runErr == nil && !stdout.overflow {
		var r report
		if err := json.Unmarshal(stdout.Bytes(), &r); err == nil {
			logPanic(ctx, log, sum, r)
			return r, nil
		}
	}
	code := classifyExit(cmd.ProcessState, stderr.Bytes(), j.Timeout)
	log.WarnContext(ctx, "pdf check process failed; document reported as deficient", "sha256", sum, "code", code,
		"exit", exitDescription(cmd.ProcessState), "reportBytes", stdout.n, "elapsed", time.Since(start).Round(time.Millisecond))
	var r report
	if code == CodeTimeout {
		add(&r.Defs, deficiency.Error, FieldDocument, code, "max", in.opts.Timeout)
	} else {
		add(&r.Defs, deficiency.Error, FieldDocument, code)
	}
	return r, nil
}

// classifyExit turns how a child ended (without a report) into a code:
// the CPU limit is CodeTimeout, running out of memory (the Go runtime's
// fatal error under RLIMIT_AS, a stack overflow, or the kernel's OOM
// killer) CodeTooComplex, anything else CodeMalformed.
func classifyExit(ps interface{ Sys() any }, stderr []byte, budget time.Duration) deficiency.Code {
	if ps == nil {
		return CodeMalformed
	}
	ws, _ := ps.Sys().(syscall.WaitStatus)
	// The Go runtime's messages, and the race detector's.
	for _, s := range [][]byte{[]byte("out of memory"), []byte("cannot allocate memory"), []byte("stack exceeds"),
		[]byte("failed to allocate"), []byte("too many address space collisions")} {
		if bytes.Contains(stderr, s) {
			return CodeTooComplex
		}
	}
	if ws.Signaled() {
		switch ws.Signal() {
		case syscall.SIGXCPU:
			return CodeTimeout
		case syscall.SIGKILL:
			if cpu := cpuTime(ps); budget > 0 && cpu >= budget {
				return CodeTimeout
			}
			return CodeTooComplex
		}
	}
	return CodeMalformed
}

// cpuTime is the CPU time a finished process used.
func cpuTime(ps interface{ Sys() any }) time.Duration {
	type times interface {
		UserTime() time.Duration
		SystemTime() time.Duration
	}
	if t, ok := ps.(times); ok {
		return t.UserTime() + t.SystemTime()
	}
	return 0
}

// exitDescription is "exit status 2" or "signal: killed".
func exitDescription(ps fmt.Stringer) string {
	if ps == nil {
		return "not started"
	}
	return ps.String()
}

// cappedBuffer keeps the first max bytes written to it and counts the rest.
type cappedBuffer struct {
	bytes.Buffer
	max      int
	n        int64
	overflow bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.n += int64(len(p))
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	if b.n > int64(b.max) {
		b.overflow = true
	}
	return len(p), nil
}
