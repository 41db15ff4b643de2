package pdfintake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// errTooLarge reports input longer than the size limit.
var errTooLarge = errors.New("input exceeds size limit")

// readAtMost reads r to the end, but no more than limit bytes: longer input
// yields errTooLarge after limit+1 bytes, before anything is parsed.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, errors.New("nil reader")
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// sniffWindow is how far into the file the header and trailer markers may
// be, as readers commonly tolerate.
const sniffWindow = 1024

// hasPDFHeader reports whether "%PDF-" occurs within the first 1024 bytes.
func hasPDFHeader(b []byte) bool {
	return bytes.Contains(b[:min(len(b), sniffWindow)], []byte("%PDF-"))
}

// hasEOFMarker reports whether "%%EOF" occurs within the last 1024 bytes.
func hasEOFMarker(b []byte) bool {
	return bytes.Contains(b[max(0, len(b)-sniffWindow):], []byte("%%EOF"))
}

// encryptRef matches a trailer's /Encrypt entry ("/Encrypt 12 0 R").
var encryptRef = regexp.MustCompile(`/Encrypt\s*\d+\s+\d+\s+R`)

// mentionsEncryption reports whether the file has an /Encrypt reference; it
// classifies parse failures of files whose encryption pdfcpu cannot set up.
func mentionsEncryption(b []byte) bool {
	return encryptRef.Match(b)
}

// trimmedLen is the length of b without trailing whitespace and NULs, which
// writers may leave after the last %%EOF.
func trimmedLen(b []byte) int64 {
	return int64(len(bytes.TrimRight(b, " \t\r\n\f\x00")))
}

// humanBytes formats a byte limit for messages ("20 MiB").
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d B", n)
	}
}
