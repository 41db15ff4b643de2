package pdfintake

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
)

// Exit statuses of RunChild.
const (
	// childOK: a report was written to stdout.
	childOK = 0
	// childSetup: the job could not be read or the limits not applied;
	// nothing was parsed.
	childSetup = 3
)

// maxJobBytes bounds the job line (the trust anchors make up most of it).
const maxJobBytes = 16 << 20

// RunChild is the child process's side of Inspect: the main of
// `alusdok pdfcheck`. It reads one job (a JSON line: limits, trust
// anchors, expectations) and then the PDF from stdin, applies the limits
// to its own process — address space (RLIMIT_AS: its size once started
// plus the job's memory), CPU time (RLIMIT_CPU: the time budget, then
// SIGKILL), one OS thread for Go code — and writes the report as JSON to
// stdout. A parser panic is recovered into the report; running out of
// memory or CPU ends the process, which the parent turns into a
// deficiency. The returned value is the exit status.
func RunChild(stdin io.Reader, stdout, stderr io.Writer) int {
	br := bufio.NewReaderSize(stdin, 64<<10)
	line, err := readLine(br, maxJobBytes)
	if err != nil {
		fmt.Fprintln(stderr, "pdfcheck: read job:", err)
		return childSetup
	}
	var j job
	if err := json.Unmarshal(line, &j); err != nil {
		fmt.Fprintln(stderr, "pdfcheck: decode job:", err)
		return childSetup
	}
	pool, err := poolOf(j.Trust)
	if err != nil {
		fmt.Fprintln(stderr, "pdfcheck:", err)
		return childSetup
	}
	if err := limitSelf(j); err != nil {
		fmt.Fprintln(stderr, "pdfcheck: limit resources:", err)
		return childSetup
	}
	data, err := io.ReadAll(br)
	if err != nil {
		fmt.Fprintln(stderr, "pdfcheck: read document:", err)
		return childSetup
	}
	r := recovered(func() report { return analysePDF(context.Background(), data, j, pool) })
	if err := json.NewEncoder(stdout).Encode(r); err != nil {
		fmt.Fprintln(stderr, "pdfcheck: write report:", err)
		return childSetup
	}
	return childOK
}

// readLine reads up to and without the next '\n', at most limit bytes.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > limit {
			return nil, errors.New("job line too long")
		}
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return nil, err
		}
	}
}

// limitSelf applies the job's limits to this process before any parsing.
func limitSelf(j job) error {
	runtime.GOMAXPROCS(1)
	if j.Memory > 0 {
		base, err := addressSpace()
		if err != nil {
			return err
		}
		lim := uint64(base + j.Memory)
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim}); err != nil {
			return fmt.Errorf("RLIMIT_AS: %w", err)
		}
		// Collect hard before the address space runs out.
		debug.SetMemoryLimit(j.Memory / 4 * 3)
	}
	if j.Timeout > 0 {
		// The soft limit sends SIGXCPU, which Go ignores; the hard limit a
		// second later SIGKILLs. The parent kills at the wall-clock budget
		// anyway; this bounds a child whose parent is gone.
		secs := uint64(j.Timeout.Seconds()) + 1
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: secs, Max: secs + 1}); err != nil {
			return fmt.Errorf("RLIMIT_CPU: %w", err)
		}
	}
	return nil
}

// addressSpace is this process's virtual memory size (VmSize) in bytes.
// The Go runtime and a large binary reserve hundreds of MiB of address
// space at start, so the limit is set relative to it.
func addressSpace() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read process status: %w", err)
	}
	for _, l := range bytes.Split(b, []byte("\n")) {
		rest, ok := bytes.CutPrefix(l, []byte("VmSize:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 2 && string(f[1]) == "kB" {
			kb, err := strconv.ParseInt(string(f[0]), 10, 64)
			if err == nil {
				return kb << 10, nil
			}
		}
	}
	return 0, errors.New("no VmSize in /proc/self/status")
}
