package pdfintake

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// The decompression-bomb guard.
//
// pdfcpu limits decoded stream sizes, but not everywhere: v0.15.0 decodes
// cross-reference streams with its built-in 512 MiB limit whatever the
// configuration says, and the buffers it grows while decoding take several
// times the limit. Measured: a 17 KB file whose xref stream is compressed
// twice with FlateDecode drove the heap to 1.8 GB in 20 s, with the limit
// configured at 64 MiB. So before pdfcpu sees a file, checkExpansion
// inflates every zlib-compressed stream body of the raw bytes through a
// counter, keeping none of the output, and refuses the file when one stream
// (or all of them together) expands beyond the limit.
//
// Streams are found by their "stream" keyword, not by parsing: a body that
// starts with a zlib header is inflated whatever /Filter claims, and each
// inflated output that again starts with a zlib header is inflated in turn
// (filter chains such as [/FlateDecode /FlateDecode]). Other filters
// (RunLength, LZW) expand far less; pdfcpu's configured limits apply to
// them, except in cross-reference streams, which are therefore allowed no
// filter but FlateDecode.

// errExpansion reports a stream that expands beyond the limit, or an xref
// stream whose expansion cannot be checked.
var errExpansion = errors.New("stream expands beyond limit")

// maxFilterChain is how many nested zlib layers are followed.
const maxFilterChain = 4

// totalExpansionFactor bounds the decoded bytes of all streams together, as
// a multiple of the per-stream limit.
const totalExpansionFactor = 16

var (
	streamKeyword = []byte("stream")
	objKeyword    = []byte(" obj")
	// xrefFilter matches the /Filter entry of a dictionary: a name or an
	// array, or anything else (an indirect reference) as group 3.
	xrefFilter = regexp.MustCompile(`/Filter\s*(?:/(\w+)|\[([^\]]*)\]|(\S+))`)
)

// checkExpansion returns errExpansion when a stream of data inflates beyond
// limit bytes or all streams together beyond totalExpansionFactor × limit,
// or when a cross-reference stream uses a filter other than FlateDecode. It
// returns c's error when c ends first. The inflated content of object
// streams goes through a lexer; the tokens it counted are returned.
func checkExpansion(c context.Context, data []byte, limit int64) (objStmTokens int, err error) {
	budget := &expansionBudget{c: c, stream: limit, total: limit * totalExpansionFactor}
	for i := 0; ; {
		j := bytes.Index(data[i:], streamKeyword)
		if j < 0 {
			return budget.tokens, nil
		}
		k := i + j
		i = k + len(streamKeyword)
		start, ok := streamStart(data, k)
		if !ok {
			continue
		}
		dict := data[max(0, k-4096):k]
		if o := bytes.LastIndex(dict, objKeyword); o >= 0 {
			dict = dict[o:]
		}
		if bytes.Contains(dict, []byte("/XRef")) && !flateOnly(dict) {
			return 0, fmt.Errorf("%w: cross-reference stream filter other than FlateDecode", errExpansion)
		}
		if err := budget.inflate(data[start:], bytes.Contains(dict, []byte("/ObjStm"))); err != nil {
			return 0, err
		}
	}
}

// streamStart returns where the body of a stream whose keyword is at k
// begins: after "stream" and its end-of-line, but not for "endstream".
func streamStart(data []byte, k int) (int, bool) {
	if k >= 3 && string(data[k-3:k]) == "end" {
		return 0, false
	}
	p := k + len(streamKeyword)
	switch {
	case p+1 < len(data) && data[p] == '\r' && data[p+1] == '\n':
		return p + 2, true
	case p < len(data) && (data[p] == '\n' || data[p] == '\r'):
		return p + 1, true
	default:
		return 0, false
	}
}

// flateOnly reports whether a dictionary's /Filter is absent, FlateDecode,
// or an array of FlateDecode only.
func flateOnly(dict []byte) bool {
	m := xrefFilter.FindSubmatch(dict)
	switch {
	case m == nil:
		return true
	case m[1] != nil:
		return string(m[1]) == "FlateDecode"
	case m[2] != nil:
		rest := bytes.ReplaceAll(m[2], []byte("/FlateDecode"), nil)
		return len(bytes.TrimSpace(rest)) == 0
	default:
		return false
	}
}

// expansionBudget counts inflated bytes per stream and in total, and the
// tokens of inflated object streams.
type expansionBudget struct {
	c      context.Context
	stream int64
	total  int64
	used   int64
	tokens int
}

// inflate follows the zlib layers at the start of body, counting the
// innermost output (and lexing it, for an object stream). Corrupt data
// simply ends the count: pdfcpu judges it.
func (b *expansionBudget) inflate(body []byte, objStm bool) error {
	var r io.Reader = bytes.NewReader(body)
	layers := 0
	for layers < maxFilterChain {
		br := bufio.NewReader(r)
		head, err := br.Peek(2)
		if err != nil || !zlibHeader(head) {
			r = br
			break
		}
		zr, err := zlib.NewReader(br)
		if err != nil {
			r = br
			break
		}
		r, layers = zr, layers+1
	}
	if layers == 0 {
		return nil
	}
	var w io.Writer = &countingDiscard{b: b, left: b.stream + 1}
	var lex lexer
	if objStm {
		w = io.MultiWriter(w, &lex)
	}
	n, err := io.Copy(w, r)
	lex.flush()
	b.tokens += lex.tokens
	if errors.Is(err, errExpansion) || n > b.stream {
		return fmt.Errorf("%w: %d bytes per stream, %d in total", errExpansion, b.stream, b.total)
	}
	if err := b.c.Err(); err != nil {
		return err
	}
	return nil
}

// zlibHeader reports whether h starts a zlib stream (RFC 1950): deflate,
// window ≤ 32 KiB, no preset dictionary, valid check bits.
func zlibHeader(h []byte) bool {
	cmf, flg := h[0], h[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && flg&0x20 == 0 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

// countingDiscard discards what it is written, failing once the stream or
// total budget is exceeded or the context ends.
type countingDiscard struct {
	b    *expansionBudget
	left int64
}

func (w *countingDiscard) Write(p []byte) (int, error) {
	w.left -= int64(len(p))
	w.b.used += int64(len(p))
	if w.left < 0 || w.b.used > w.b.total {
		return 0, errExpansion
	}
	if err := w.b.c.Err(); err != nil {
		return 0, err
	}
	return len(p), nil
}
