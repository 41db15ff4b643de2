// Package pdfcpuconf builds pdfcpu configurations by hand.
//
// pdfcpu's model.NewDefaultConfiguration creates and reads a configuration
// directory under the user's config dir (~/.config/pdfcpu) unless the
// package-global model.ConfigPath is set to "disable". alusdok must neither
// write there nor flip that global, so every configuration it hands to pdfcpu
// is built here as a struct literal that mirrors pdfcpu v0.15.0's built-in
// defaults, with the settings that matter for untrusted input made explicit.
package pdfcpuconf

import (
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Limits are the pdfcpu resource limits alusdok applies to untrusted input.
type Limits struct {
	// MaxDecodedStreamBytes caps the decoded size of any single stream
	// (the decompression-bomb guard); it also caps encoded stream size.
	MaxDecodedStreamBytes int64
	// MaxObjects caps the object count a cross-reference section may declare.
	MaxObjects int
	// MaxRecursionDepth caps nesting while parsing and walking objects.
	MaxRecursionDepth int
}

// DefaultLimits are tighter than pdfcpu's own defaults (512 MiB per stream,
// ten million objects): base documents are letters, not print masters.
func DefaultLimits() Limits {
	return Limits{
		MaxDecodedStreamBytes: 64 << 20,
		MaxObjects:            200_000,
		MaxRecursionDepth:     100,
	}
}

// New returns a fresh configuration for reading and validating untrusted
// PDFs: relaxed validation, offline (no CRL/OCSP fetches), no optimisation,
// and the given resource limits. Each call returns a new value, so callers
// may use one per document without sharing mutable state.
func New(l Limits) *model.Configuration {
	return &model.Configuration{
		CreationDate:                    time.Now().Format("2006-01-02 15:04"),
		Version:                         model.VersionStr,
		CheckFileNameExt:                false,
		Reader15:                        true,
		DecodeAllStreams:                false,
		ValidationMode:                  model.ValidationRelaxed,
		UnsupportedResourcePolicy:       model.UnsupportedResourceSkip,
		ValidateLinks:                   false,
		Eol:                             types.EolLF,
		WriteObjectStream:               true,
		WriteXRefStream:                 true,
		EncryptUsingAES:                 true,
		EncryptKeyLength:                256,
		Permissions:                     model.PermissionsPrint,
		TimestampFormat:                 "2006-01-02 15:04",
		DateFormat:                      "2006-01-02",
		Optimize:                        false,
		OptimizeBeforeWriting:           false,
		OptimizeResourceDicts:           false,
		OptimizeDuplicateContentStreams: false,
		CreateBookmarks:                 false,
		MergeBookmarkMode:               model.MergeBookmarkModeWrap,
		Offline:                         true,
		Timeout:                         5,
		TimeoutCRL:                      10,
		TimeoutOCSP:                     10,
		PreferredCertRevocationChecker:  model.CRL,
		Limits:                          resourceLimits(l),
	}
}

func resourceLimits(l Limits) model.ResourceLimits {
	r := model.DefaultResourceLimits()
	if l.MaxDecodedStreamBytes > 0 {
		r.MaxStreamBytes = l.MaxDecodedStreamBytes
		r.MaxDecodeBytes = l.MaxDecodedStreamBytes
		r.MaxImageBytes = l.MaxDecodedStreamBytes
		r.MaxObjectStreamFirst = min(r.MaxObjectStreamFirst, l.MaxDecodedStreamBytes)
	}
	if l.MaxObjects > 0 {
		r.MaxObjectCount = l.MaxObjects
		r.MaxXRefEntries = l.MaxObjects
		r.MaxObjectStreamCount = l.MaxObjects
	}
	if l.MaxRecursionDepth > 0 {
		r.MaxRecursionDepth = l.MaxRecursionDepth
	}
	return r
}
