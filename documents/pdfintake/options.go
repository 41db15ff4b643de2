package pdfintake

import (
	"crypto/x509"
	"errors"
	"log/slog"
	"time"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultMaxBytes              int64         = 20 << 20
	DefaultMaxPages              int           = 500
	DefaultTimeout               time.Duration = 30 * time.Second
	DefaultMaxConcurrent         int           = 2
	DefaultMaxDecodedStreamBytes int64         = 64 << 20
	DefaultMaxObjects            int           = 200_000
	DefaultMaxTokens             int           = 3_000_000
)

// Options configure an Inspector. The zero value is usable: every limit
// takes its default, no signature is required, and the trust store is empty
// (so every signature is reported as untrusted).
type Options struct {
	// MaxBytes is the largest accepted file. Larger input is refused after
	// reading MaxBytes+1 bytes, before any parsing. Default 20 MiB.
	MaxBytes int64
	// MaxPages is the largest accepted page count. Default 500.
	MaxPages int
	// Timeout is the time budget for parsing and checking one document,
	// not counting the wait for a parse slot. Default 30 s.
	Timeout time.Duration
	// MaxConcurrent bounds how many documents this Inspector parses at
	// once, which bounds its memory use. A parse that overran its Timeout
	// keeps its slot until it really ends. Default 2.
	MaxConcurrent int
	// MaxDecodedStreamBytes caps the decoded size of any single stream the
	// parser decodes (object and xref streams): the decompression-bomb
	// guard. Default 64 MiB.
	MaxDecodedStreamBytes int64
	// MaxObjects caps the number of objects: "obj" keywords in the file
	// and entries a cross-reference stream may declare, so that neither a
	// file of many tiny objects nor a tiny file declaring millions makes
	// the parser allocate for them. Default 200 000.
	MaxObjects int
	// MaxTokens caps the PDF syntax tokens of the file (stream data lexed
	// as is, object streams after inflating), since the parser's memory
	// grows with them. Default 3 000 000.
	MaxTokens int

	// TrustDir is a directory of trusted CA certificates (*.pem, *.crt,
	// *.cer, *.der; PEM files may hold several). It is read once, by New.
	// Empty means none.
	TrustDir string
	// TrustedCerts are trust anchors given directly, in addition to
	// TrustDir.
	TrustedCerts []*x509.Certificate

	// RequireSignature makes a document without a valid digital signature
	// deficient: no signature at all is CodeSignatureMissing, and an
	// untrusted or unverifiable signature is an error rather than a
	// warning when no signature of the document is valid.
	RequireSignature bool

	// Logger receives one warning per recovered parser panic (with the
	// document's SHA-256 and the stack, never document content). Nil
	// discards.
	Logger *slog.Logger
}

// withDefaults returns o with zero limits replaced by defaults, or an error
// for negative limits.
func (o Options) withDefaults() (Options, error) {
	if o.MaxBytes < 0 || o.MaxPages < 0 || o.Timeout < 0 || o.MaxConcurrent < 0 ||
		o.MaxDecodedStreamBytes < 0 || o.MaxObjects < 0 || o.MaxTokens < 0 {
		return o, errors.New("negative limit")
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxPages == 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxConcurrent == 0 {
		o.MaxConcurrent = DefaultMaxConcurrent
	}
	if o.MaxDecodedStreamBytes == 0 {
		o.MaxDecodedStreamBytes = DefaultMaxDecodedStreamBytes
	}
	if o.MaxObjects == 0 {
		o.MaxObjects = DefaultMaxObjects
	}
	if o.MaxTokens == 0 {
		o.MaxTokens = DefaultMaxTokens
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
