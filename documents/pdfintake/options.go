package pdfintake

import (
	"crypto/x509"
	"errors"
	"log/slog"
	"runtime"
	"time"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultMaxBytes              int64         = 20 << 20
	DefaultMaxPages              int           = 500
	DefaultTimeout               time.Duration = 30 * time.Second
	DefaultChildMemory           int64         = 1 << 30
	DefaultMaxDecodedStreamBytes int64         = 64 << 20
	DefaultMaxObjects            int           = 200_000
	// DefaultMaxTokens is the token limit at the default MaxBytes: the
	// limit scales with MaxBytes (one token per four bytes), so that a
	// legitimate uncompressed text PDF just under the size limit passes.
	DefaultMaxTokens int = int(DefaultMaxBytes / bytesPerToken)
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
	// MaxConcurrent bounds how many documents this Inspector checks at
	// once (child processes, or parses in process), which bounds memory
	// and CPU. Default runtime.NumCPU().
	MaxConcurrent int

	// Child is the command that checks one document in a child process
	// (see RunChild): in production the running executable with the
	// subcommand pdfcheck. The child limits its own address space
	// (ChildMemory) and CPU time (Timeout) and is killed, with its process
	// group, when Timeout passes.
	Child *Command
	// InProcess checks documents in this process instead, without
	// isolation: pdfcpu's memory cannot be bounded and a timed-out parse
	// cannot be stopped. For fuzzing and for programs that cannot run a
	// child; New refuses Options with neither Child nor InProcess.
	InProcess bool
	// ChildMemory is how much address space a child may add to what it
	// holds once started (RLIMIT_AS); beyond it the document is
	// CodeTooComplex. Default 1 GiB.
	ChildMemory int64
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
	// grows with them. Default MaxBytes/4 (5 242 880 at 20 MiB): an
	// uncompressed text page lexes to about one token per six bytes.
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
		o.MaxDecodedStreamBytes < 0 || o.MaxObjects < 0 || o.MaxTokens < 0 || o.ChildMemory < 0 {
		return o, errors.New("negative limit")
	}
	switch {
	case o.Child == nil && !o.InProcess:
		return o, errors.New("neither a child command nor InProcess")
	case o.Child != nil && o.InProcess:
		return o, errors.New("both a child command and InProcess")
	case o.Child != nil && o.Child.Path == "":
		return o, errors.New("child command without a path")
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
		o.MaxConcurrent = runtime.NumCPU()
	}
	if o.ChildMemory == 0 {
		o.ChildMemory = DefaultChildMemory
	}
	if o.MaxDecodedStreamBytes == 0 {
		o.MaxDecodedStreamBytes = DefaultMaxDecodedStreamBytes
	}
	if o.MaxObjects == 0 {
		o.MaxObjects = DefaultMaxObjects
	}
	if o.MaxTokens == 0 {
		o.MaxTokens = int(o.MaxBytes / bytesPerToken)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

// bytesPerToken scales the default token limit with the size limit.
const bytesPerToken = 4

// Command is a program to run as the child that checks one document: Path
// with Args, in an environment of Env only.
type Command struct {
	Path string
	Args []string
	Env  []string
}
