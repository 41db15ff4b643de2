package pdfintake

import (
	"bytes"
	"context"
	"errors"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfcpuconf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// analysis is what parsing and checking one document found.
type analysis struct {
	// interrupted reports that the time budget or the caller's context
	// ended the parse; the other fields are then meaningless.
	interrupted bool
	pages       int
	version     string
	sigs        []checkedSignature
	defs        deficiency.List
}

// analysePDF runs the complexity and decompression-bomb guards, parses
// data with pdfcpu (relaxed validation, offline, with the Inspector's
// resource limits), refuses encryption, counts pages and checks signatures.
// It runs on the parse goroutine and may panic inside pdfcpu; the caller
// recovers. c interrupts the guards and pdfcpu's reading stage when the
// time budget passes.
func (in *Inspector) analysePDF(c context.Context, data []byte) analysis {
	var a analysis
	if defs, err := in.prescan(c, data); err != nil || len(defs) > 0 {
		a.interrupted = err != nil
		a.defs = defs
		return a
	}
	conf := pdfcpuconf.New(in.limits)
	conf.Cmd = model.VALIDATESIGNATURES
	pctx, err := pdfcpu.ReadWithContext(c, bytes.NewReader(data), conf)
	if err != nil {
		if c.Err() != nil {
			a.interrupted = true
			return a
		}
		if errors.Is(err, pdfcpu.ErrWrongPassword) || mentionsEncryption(data) {
			add(&a.defs, deficiency.Error, FieldDocument, CodeEncrypted)
		} else {
			add(&a.defs, deficiency.Error, FieldDocument, CodeMalformed)
		}
		return a
	}
	if pctx.Encrypt != nil {
		add(&a.defs, deficiency.Error, FieldDocument, CodeEncrypted)
		return a
	}
	if err := api.ValidateContext(pctx); err != nil {
		add(&a.defs, deficiency.Error, FieldDocument, CodeMalformed)
		return a
	}
	a.pages, a.version = pctx.PageCount, pctx.XRefTable.VersionString()
	switch {
	case a.pages < 1:
		add(&a.defs, deficiency.Error, FieldDocument, CodeMalformed)
		return a
	case a.pages > in.opts.MaxPages:
		add(&a.defs, deficiency.Error, FieldDocument, CodeTooManyPages, a.pages, in.opts.MaxPages)
		return a
	}
	a.sigs = checkSignatures(data, pctx, in.pool)
	return a
}
