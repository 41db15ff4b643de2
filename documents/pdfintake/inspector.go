package pdfintake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Inspector checks submitted PDFs. It holds the trust anchors and the
// check slots, so make one per process (or per trust configuration) and
// share it: it is safe for concurrent use, and MaxConcurrent bounds the
// checks of the same Inspector.
type Inspector struct {
	opts  Options
	pool  *x509.CertPool
	trust [][]byte // the anchors in DER, for the child
	slots chan struct{}
	// analyse checks the bytes in this process (InProcess, and inside the
	// child); tests replace it to exercise the guards around it.
	analyse func(c context.Context, data []byte, j job) report
}

// New validates opts, fills in defaults and loads the trust store. It
// neither reads nor writes pdfcpu's configuration directory.
func New(opts Options) (*Inspector, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("pdfintake: options: %w", err)
	}
	certs, err := trustAnchors(o.TrustDir, o.TrustedCerts)
	if err != nil {
		return nil, fmt.Errorf("pdfintake: trust store: %w", err)
	}
	pool := x509.NewCertPool()
	trust := make([][]byte, len(certs))
	for i, c := range certs {
		pool.AddCert(c)
		trust[i] = c.Raw
	}
	in := &Inspector{opts: o, pool: pool, trust: trust, slots: make(chan struct{}, o.MaxConcurrent)}
	in.analyse = func(c context.Context, data []byte, j job) report { return analysePDF(c, data, j, pool) }
	return in, nil
}

// MaxBytes is the largest document accepted (Options.MaxBytes).
func (in *Inspector) MaxBytes() int64 { return in.opts.MaxBytes }

// TrustAnchors is how many trust anchors the Inspector holds. With none,
// every signature is reported untrusted.
func (in *Inspector) TrustAnchors() int { return len(in.trust) }

// Expect is what the caller knows of a document from elsewhere: the policy
// of its kind and the metadata submitted with it.
type Expect struct {
	// RequireSignature: the kind needs a person's valid signature (as
	// Options.RequireSignature, which applies to every document).
	RequireSignature bool
	// ActiveContentWarning makes active content (JavaScript, actions,
	// embedded files) a warning instead of an error.
	ActiveContentWarning bool
	// Number and Date are the metadata's document number and date; when
	// set, the document's text must contain them (CodeMetadataMismatch,
	// a warning, otherwise).
	Number string
	Date   time.Time
}

// Inspect reads one document from r and checks it with Options alone.
func (in *Inspector) Inspect(ctx context.Context, r io.Reader) (*Result, deficiency.List, error) {
	return in.InspectFor(ctx, r, Expect{})
}

// InspectFor reads one document from r and checks it, with what e says
// about it.
//
// It reads at most MaxBytes+1 bytes and never trusts a file name or
// content type: the bytes must carry a %PDF- header within their first
// 1024 bytes. The result identifies the document by the SHA-256 of exactly
// the bytes read and describes its pages, version and signatures.
//
// What is wrong with the document comes back as deficiencies with a nil
// error, the Result filled in as far as it got. The error is non-nil only
// when r fails or ctx ends (while waiting for a check slot or checking);
// the Result and deficiencies are then nil. Reading r is not interrupted
// by ctx: give a reader that ends with the request (such as an HTTP body).
func (in *Inspector) InspectFor(ctx context.Context, r io.Reader, e Expect) (*Result, deficiency.List, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("pdfintake: %w", err)
	}
	data, err := readAtMost(r, in.opts.MaxBytes)
	if errors.Is(err, errTooLarge) {
		return in.tooLarge()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("pdfintake: read document: %w", err)
	}
	return in.InspectBytes(ctx, data, e)
}

// tooLarge is the answer to input over MaxBytes: an empty Result (the
// input was not read to its end) and CodeTooLarge.
func (in *Inspector) tooLarge() (*Result, deficiency.List, error) {
	var l deficiency.List
	add(&l, deficiency.Error, FieldDocument, CodeTooLarge, "max", humanBytes(in.opts.MaxBytes))
	return &Result{}, l, nil
}

// InspectBytes checks a document already in memory, as InspectFor does;
// data is neither kept nor changed. Callers that store the document too
// use it to hold one copy rather than two.
func (in *Inspector) InspectBytes(ctx context.Context, data []byte, e Expect) (*Result, deficiency.List, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("pdfintake: %w", err)
	}
	if int64(len(data)) > in.opts.MaxBytes {
		return in.tooLarge()
	}
	sum := sha256.Sum256(data)
	res := &Result{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	var l deficiency.List
	var err error
	switch {
	case !hasPDFHeader(data):
		add(&l, deficiency.Error, FieldDocument, CodeNotPDF)
		return res, l, nil
	case !hasEOFMarker(data):
		add(&l, deficiency.Error, FieldDocument, CodeTruncated)
		return res, l, nil
	}
	if code, bad := checkXRefSizes(data, in.opts.MaxObjects); bad {
		add(&l, deficiency.Error, FieldDocument, code)
		return res, l, nil
	}

	j := in.job(e)
	var rep report
	if in.opts.InProcess {
		rep, err = in.guarded(ctx, data, j, res.SHA256)
	} else {
		rep, err = in.isolated(ctx, bytes.NewReader(data), j, res.SHA256)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("pdfintake: %w", err)
	}
	res.Pages, res.PDFVersion, res.Signatures, res.ActiveContent = rep.Pages, rep.Version, rep.Signatures, rep.ActiveContent
	return res, append(l, rep.Defs...), nil
}

// InspectFile checks the document in f, from its start to its end, as
// InspectFor does, without holding it in this process's memory when the
// check runs in a child: the child reads it from the file. Callers that
// spool uploads to disk (and store them from there) use it so that a
// burst of large uploads does not grow the server. f is read with
// ReadAt only; the caller closes it.
func (in *Inspector) InspectFile(ctx context.Context, f *os.File, e Expect) (*Result, deficiency.List, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("pdfintake: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("pdfintake: read document: %w", err)
	}
	size := st.Size()
	if size > in.opts.MaxBytes {
		return in.tooLarge()
	}
	if in.opts.InProcess {
		data := make([]byte, size)
		if _, err := f.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("pdfintake: read document: %w", err)
		}
		return in.InspectBytes(ctx, data, e)
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, size)); err != nil {
		return nil, nil, fmt.Errorf("pdfintake: read document: %w", err)
	}
	res := &Result{SHA256: hex.EncodeToString(h.Sum(nil)), Size: size}
	head := make([]byte, min(size, sniffWindow))
	tail := make([]byte, min(size, sniffWindow))
	if _, err := f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("pdfintake: read document: %w", err)
	}
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("pdfintake: read document: %w", err)
	}
	var l deficiency.List
	switch {
	case !hasPDFHeader(head):
		add(&l, deficiency.Error, FieldDocument, CodeNotPDF)
		return res, l, nil
	case !hasEOFMarker(tail):
		add(&l, deficiency.Error, FieldDocument, CodeTruncated)
		return res, l, nil
	}
	// The cross-reference /Size guard runs in the child (prescan), before
	// pdfcpu, on the bytes it reads.
	rep, err := in.isolated(ctx, io.NewSectionReader(f, 0, size), in.job(e), res.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("pdfintake: %w", err)
	}
	res.Pages, res.PDFVersion, res.Signatures, res.ActiveContent = rep.Pages, rep.Version, rep.Signatures, rep.ActiveContent
	return res, rep.Defs, nil
}

// job is what checking one document needs besides its bytes.
func (in *Inspector) job(e Expect) job {
	j := job{
		MaxPages:              in.opts.MaxPages,
		MaxDecodedStreamBytes: in.opts.MaxDecodedStreamBytes,
		MaxObjects:            in.opts.MaxObjects,
		MaxTokens:             in.opts.MaxTokens,
		Timeout:               in.opts.Timeout,
		Memory:                in.opts.ChildMemory,
		RequireSignature:      in.opts.RequireSignature || e.RequireSignature,
		ActiveContentWarning:  e.ActiveContentWarning,
		Number:                e.Number,
		Now:                   time.Now().UTC(),
	}
	if !e.Date.IsZero() {
		j.Date = e.Date.Format(time.DateOnly)
	}
	if !in.opts.InProcess {
		j.Trust = in.trust
	}
	return j
}
