package pdfintake

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfcpuconf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// job is everything checking one document needs besides its bytes: what
// the parent sends the child, as the first line of its input.
type job struct {
	MaxPages              int           `json:"maxPages"`
	MaxDecodedStreamBytes int64         `json:"maxDecodedStreamBytes"`
	MaxObjects            int           `json:"maxObjects"`
	MaxTokens             int           `json:"maxTokens"`
	Timeout               time.Duration `json:"timeout"`
	// Memory is the address space the child may add (RLIMIT_AS).
	Memory int64 `json:"memory"`
	// Trust are the trust anchors in DER (child only; in process the
	// Inspector's pool is used).
	Trust                [][]byte  `json:"trust,omitempty"`
	RequireSignature     bool      `json:"requireSignature"`
	ActiveContentWarning bool      `json:"activeContentWarning"`
	Number               string    `json:"number,omitempty"`
	Date                 string    `json:"date,omitempty"` // YYYY-MM-DD
	Now                  time.Time `json:"now"`
	// SkipXRefSizeGuard is for tests only: it lets a /Size bomb reach
	// pdfcpu in the child, to show what the child's own limits do.
	SkipXRefSizeGuard bool `json:"skipXRefSizeGuard,omitempty"`
}

// report is what checking one document found: what the child writes back.
type report struct {
	Pages      int             `json:"pages"`
	Version    string          `json:"version"`
	Signatures []Signature     `json:"signatures"`
	Defs       deficiency.List `json:"deficiencies"`
	// ActiveContent are the kinds of active content found.
	ActiveContent []string `json:"activeContent,omitempty"`
	// Panic is the type of a recovered parser panic, PanicText its text
	// for runtime errors, PanicStack its stack: for the parent's log.
	Panic      string `json:"panic,omitempty"`
	PanicText  string `json:"panicText,omitempty"`
	PanicStack string `json:"panicStack,omitempty"`
	// interrupted reports that the time budget or the caller's context
	// ended the check (in process only); the other fields are then
	// meaningless.
	interrupted bool
}

// analysePDF runs the complexity and decompression-bomb guards, parses
// data with pdfcpu (relaxed validation, offline, with the job's resource
// limits), refuses encryption, counts pages, checks signatures, later
// revisions and active content, and compares the text with the metadata.
// It may panic inside pdfcpu; the caller recovers. c interrupts the guards
// and pdfcpu's reading stage.
func analysePDF(c context.Context, data []byte, j job, pool *x509.CertPool) report {
	var r report
	if defs, err := prescan(c, data, j); err != nil || len(defs) > 0 {
		r.interrupted = err != nil
		r.Defs = defs
		return r
	}
	pctx, defs, interrupted := parse(c, data, j)
	if interrupted || len(defs) > 0 {
		r.interrupted, r.Defs = interrupted, defs
		return r
	}
	r.Pages, r.Version = pctx.PageCount, pctx.XRefTable.VersionString()
	switch {
	case r.Pages < 1:
		add(&r.Defs, deficiency.Error, FieldDocument, CodeMalformed)
		return r
	case r.Pages > j.MaxPages:
		add(&r.Defs, deficiency.Error, FieldDocument, CodeTooManyPages, "pages", r.Pages, "max", j.MaxPages)
		return r
	}
	sigs := checkSignatures(data, pctx, pool, j.Now)
	checkRevisions(c, data, pctx, sigs, j)
	r.Signatures = make([]Signature, len(sigs))
	for i, s := range sigs {
		r.Signatures[i] = s.Signature
	}
	r.Defs = append(r.Defs, signaturePolicy(sigs, j.RequireSignature)...)
	r.ActiveContent = findActiveContent(pctx)
	r.Defs = append(r.Defs, activeContentPolicy(r.ActiveContent, j.ActiveContentWarning)...)
	if j.Number != "" || j.Date != "" {
		r.Defs = append(r.Defs, metadataAgreement(pctx, j.Number, j.Date)...)
	}
	return r
}

// parse reads and validates data with pdfcpu. It returns deficiencies for
// a file that cannot be read, is encrypted or does not validate, and
// interrupted when c ended the read.
func parse(c context.Context, data []byte, j job) (*model.Context, deficiency.List, bool) {
	var l deficiency.List
	limits := pdfcpuconf.DefaultLimits()
	limits.MaxDecodedStreamBytes = j.MaxDecodedStreamBytes
	limits.MaxObjects = j.MaxObjects
	conf := pdfcpuconf.New(limits)
	conf.Cmd = model.VALIDATESIGNATURES
	pctx, err := pdfcpu.ReadWithContext(c, bytes.NewReader(data), conf)
	if err != nil {
		if c.Err() != nil {
			return nil, nil, true
		}
		if errors.Is(err, pdfcpu.ErrWrongPassword) || mentionsEncryption(data) {
			add(&l, deficiency.Error, FieldDocument, CodeEncrypted)
		} else {
			add(&l, deficiency.Error, FieldDocument, CodeMalformed)
		}
		return nil, l, false
	}
	if pctx.Encrypt != nil {
		add(&l, deficiency.Error, FieldDocument, CodeEncrypted)
		return nil, l, false
	}
	if err := api.ValidateContext(pctx); err != nil {
		add(&l, deficiency.Error, FieldDocument, CodeMalformed)
		return nil, l, false
	}
	return pctx, nil, false
}
