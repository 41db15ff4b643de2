package pdfintake

import (
	"bytes"
	"regexp"
	"strconv"

	"github.com/kutsekoda/alusdok/deficiency"
)

// The cross-reference size guard.
//
// pdfcpu v0.15.0 trusts a trailer's /Size: an xref section that starts at
// object 1 with a free first entry makes it loop /Size times, growing its
// tables as it goes — a 500-byte file with /Size 2147483647 took about
// 3 GiB and minutes. So before anything is parsed, every /Size and every
// classic subsection header ("first count") is checked against what the
// file could hold: a classic entry takes 20 bytes, and no file holds more
// objects than it has bytes (real ones hold about one per 50 bytes or
// more). A /Size over Options.MaxObjects is refused as too complex, like
// the object count itself.

var (
	// sizeEntry matches an integer /Size (trailers and xref streams; the
	// arrays of sampled functions do not match).
	sizeEntry = regexp.MustCompile(`/Size\s+(\d{1,20})`)
	// subsectionHeader matches a classic subsection header line.
	subsectionHeader = regexp.MustCompile(`^\s*(\d{1,20})\s+(\d{1,20})\s*$`)
)

// classicEntryBytes is the length of one classic cross-reference entry.
const classicEntryBytes = 20

// checkXRefSizes returns CodeMalformed when a /Size or a subsection
// declares more objects than data can hold, and CodeTooComplex when a
// /Size exceeds maxObjects.
func checkXRefSizes(data []byte, maxObjects int) (deficiency.Code, bool) {
	n := int64(len(data))
	for _, m := range sizeEntry.FindAllSubmatch(data, -1) {
		size, err := strconv.ParseInt(string(m[1]), 10, 64)
		switch {
		case err != nil || size > n:
			return CodeMalformed, true
		case size > int64(maxObjects):
			return CodeTooComplex, true
		}
	}
	for i := 0; ; {
		k := bytes.Index(data[i:], []byte("xref"))
		if k < 0 {
			return "", false
		}
		at := i + k
		i = at + 4
		if at >= 5 && string(data[at-5:at]) == "start" {
			continue
		}
		if bad := subsectionsTooLong(data, i); bad {
			return CodeMalformed, true
		}
	}
}

// subsectionsTooLong reads the subsection headers of a classic xref
// section starting at pos, and reports one whose entries cannot fit in
// the rest of the file.
func subsectionsTooLong(data []byte, pos int) bool {
	left := int64(len(data) - pos)
	for range 1 << 16 { // bounded: a hostile file can have many headers
		end := bytes.IndexAny(data[pos:], "\r\n")
		if end < 0 {
			return false
		}
		line := data[pos : pos+end]
		pos += end + 1
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		m := subsectionHeader.FindSubmatch(line)
		if m == nil {
			return false // "trailer", or garbage: pdfcpu judges it
		}
		count, err := strconv.ParseInt(string(m[2]), 10, 64)
		if err != nil || count > left/classicEntryBytes+1 {
			return true
		}
		// Skip the entries themselves (20 bytes each, EOL included).
		pos += int(count) * classicEntryBytes
		if pos >= len(data) {
			return false
		}
	}
	return false
}
