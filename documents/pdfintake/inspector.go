package pdfintake

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfcpuconf"
)

// Inspector checks submitted PDFs. It holds the trust pool and the parse
// slots, so make one per process (or per trust configuration) and share
// it: it is safe for concurrent use, and MaxConcurrent bounds only the
// parses of the same Inspector.
type Inspector struct {
	opts   Options
	limits pdfcpuconf.Limits
	pool   *x509.CertPool
	slots  chan struct{}
	// analyse is analysePDF; tests replace it to exercise the guards
	// around it (panics, time budget).
	analyse func(c context.Context, data []byte) analysis
}

// New validates opts, fills in defaults and loads the trust store. It
// neither reads nor writes pdfcpu's configuration directory.
func New(opts Options) (*Inspector, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("pdfintake: options: %w", err)
	}
	pool, err := trustPool(o.TrustDir, o.TrustedCerts)
	if err != nil {
		return nil, fmt.Errorf("pdfintake: trust store: %w", err)
	}
	limits := pdfcpuconf.DefaultLimits()
	limits.MaxDecodedStreamBytes = o.MaxDecodedStreamBytes
	limits.MaxObjects = o.MaxObjects
	in := &Inspector{
		opts:   o,
		limits: limits,
		pool:   pool,
		slots:  make(chan struct{}, o.MaxConcurrent),
	}
	in.analyse = in.analysePDF
	return in, nil
}

// Inspect reads one document from r and checks it.
//
// It reads at most MaxBytes+1 bytes and never trusts a file name or
// content type: the bytes must carry a %PDF- header within their first
// 1024 bytes. The result identifies the document by the SHA-256 of exactly
// the bytes read and describes its pages, version and signatures.
//
// What is wrong with the document comes back as deficiencies with a nil
// error, the Result filled in as far as it got. The error is non-nil only
// when r fails or ctx ends (while waiting for a parse slot or parsing); the
// Result and deficiencies are then nil. Reading r is not interrupted by
// ctx: give a reader that ends with the request (such as an HTTP body).
func (in *Inspector) Inspect(ctx context.Context, r io.Reader) (*Result, deficiency.List, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("pdfintake: %w", err)
	}
	data, err := readAtMost(r, in.opts.MaxBytes)
	if errors.Is(err, errTooLarge) {
		var l deficiency.List
		add(&l, deficiency.Error, FieldDocument, CodeTooLarge, humanBytes(in.opts.MaxBytes))
		return &Result{}, l, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("pdfintake: read document: %w", err)
	}

	sum := sha256.Sum256(data)
	res := &Result{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	var l deficiency.List
	switch {
	case !hasPDFHeader(data):
		add(&l, deficiency.Error, FieldDocument, CodeNotPDF)
		return res, l, nil
	case !hasEOFMarker(data):
		add(&l, deficiency.Error, FieldDocument, CodeTruncated)
		return res, l, nil
	}

	a, err := in.guarded(ctx, data, res.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("pdfintake: %w", err)
	}
	res.Pages, res.PDFVersion = a.pages, a.version
	l = append(l, a.defs...)
	if a.defs.HasErrors() && a.sigs == nil {
		return res, l, nil
	}
	res.Signatures = make([]Signature, len(a.sigs))
	for i, s := range a.sigs {
		res.Signatures[i] = s.Signature
	}
	l = append(l, signaturePolicy(a.sigs, in.opts.RequireSignature)...)
	return res, l, nil
}
