package activities

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	wf "github.com/kutsekoda/alusdok/workflows"
)

// Sweep removes what no submission uses and is older than in.Before: upload
// parts that Go's multipart reader spooled to SpoolDir for requests that
// were killed (multipart-*), uploads staged but never handed to a workflow,
// and stored files nothing references. It logs every removal.
func (a *Activities) Sweep(ctx context.Context, in wf.SweepInput) (wf.SweepResult, error) {
	defer heartbeatWhileRunning(ctx)()
	var res wf.SweepResult
	files, err := SweepSpool(a.SpoolDir, in.Before)
	for _, f := range files {
		a.Log.InfoContext(ctx, "janitor removed a spooled upload part", "file", f)
	}
	res.SpoolFiles = len(files)
	if err != nil {
		return res, err
	}
	swept, err := a.Store.Sweep(ctx, in.Before)
	for _, id := range swept.Uploads {
		a.Log.InfoContext(ctx, "janitor removed a staged upload no submission lists", "upload", id)
	}
	for _, id := range swept.Blobs {
		a.Log.InfoContext(ctx, "janitor removed a stored file nothing references", "blob", id)
	}
	res.Uploads, res.Blobs = len(swept.Uploads), len(swept.Blobs)
	a.Log.InfoContext(ctx, "janitor done", "spoolFiles", res.SpoolFiles, "uploads", res.Uploads, "blobs", res.Blobs, "olderThan", in.Before)
	return res, err
}

// SweepSpool removes the multipart spool files in dir last changed before
// before, and names them. A file still being written is younger than any
// sensible grace period. An empty dir is the system's temporary directory.
func SweepSpool(dir string, before time.Time) ([]string, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), "multipart-") {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed = append(removed, p)
	}
	return removed, nil
}
