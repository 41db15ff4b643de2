package pdfgen

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
)

// Pages returns a valid PDF with n blank-ish pages that share one content
// stream, for page-count limits.
func Pages(n int) []byte {
	d := newDocument("1.7")
	d.root = 1
	d.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
	d.setStream(3, "", []byte("BT /F1 11 Tf 72 780 Td (Lehekülg) Tj ET"))
	d.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids strings.Builder
	for i := range n {
		obj := 5 + i
		fmt.Fprintf(&kids, "%d 0 R ", obj)
		d.set(obj, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "+
			"/Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>")
	}
	d.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), n))
	return d.bytes()
}

// NestedArrays returns a structurally valid PDF whose catalog refers to an
// object made of depth nested arrays.
func NestedArrays(depth int) []byte {
	d := onePage()
	d.set(1, "<< /Type /Catalog /Pages 2 0 R /Nested 6 0 R >>")
	d.set(6, strings.Repeat("[", depth)+strings.Repeat("]", depth))
	return d.bytes()
}

// NestedDicts returns a PDF with an object of depth nested dictionaries
// that is never closed, the shape a parser recursing without limit dies on.
func NestedDicts(depth int) []byte {
	d := onePage()
	d.set(1, "<< /Type /Catalog /Pages 2 0 R /Nested 6 0 R >>")
	d.set(6, strings.Repeat("<< /A ", depth))
	return d.bytes()
}

// FlateBombContent returns a PDF whose page content stream is compressed
// twice with FlateDecode and inflates to decoded bytes of zeros. A few KB
// on disk can expand to gigabytes.
func FlateBombContent(decoded int64) ([]byte, error) {
	data, err := doubleFlate(nil, decoded)
	if err != nil {
		return nil, err
	}
	d := onePage()
	d.setStream(5, "/Filter [/FlateDecode /FlateDecode]", data)
	return d.bytes(), nil
}

// FlateBombObjectStream returns a PDF 1.5 file whose page and font live in
// an object stream compressed twice with FlateDecode: a valid prolog and
// two objects followed by zeros, decoded bytes in all. Readers decode the
// whole object stream when they first need one of its objects. The
// cross-reference data is an xref stream.
func FlateBombObjectStream(decoded int64) ([]byte, error) {
	objs := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> " +
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
	second := strings.Index(objs, "<< /Type /Font")
	prolog := fmt.Sprintf("3 0 4 %d ", second)
	prolog += strings.Repeat(" ", 16-len(prolog))
	plain := prolog + objs
	data, err := doubleFlate([]byte(plain), decoded-int64(len(plain)))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	off := map[int]int{}
	obj := func(n int, body string) {
		off[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	off[5] = b.Len()
	fmt.Fprintf(&b, "5 0 obj\n<< /Type /ObjStm /N 2 /First 16 /Filter [/FlateDecode /FlateDecode] /Length %d >>\nstream\n", len(data))
	b.Write(data)
	b.WriteString("\nendstream\nendobj\n")
	xrefOff := b.Len()
	writeXRefStream(&b, 6, 1, []xrefEntry{
		{0, 0, 0xFFFF},
		{1, uint32(off[1]), 0},
		{1, uint32(off[2]), 0},
		{2, 5, 0},
		{2, 5, 1},
		{1, uint32(off[5]), 0},
		{1, uint32(xrefOff), 0},
	}, "")
	return b.Bytes(), nil
}

// xrefEntry is one row of an xref stream with /W [1 4 2].
type xrefEntry struct {
	typ byte
	f2  uint32
	f3  uint16
}

// writeXRefStream writes object objNr, an uncompressed xref stream over
// entries (objects 0…len-1) with the given /Root, then startxref and %%EOF.
// extra is added to the stream dictionary.
func writeXRefStream(b *bytes.Buffer, objNr, root int, entries []xrefEntry, extra string) {
	xrefOff := b.Len()
	var x bytes.Buffer
	for _, e := range entries {
		x.WriteByte(e.typ)
		_ = binary.Write(&x, binary.BigEndian, e.f2)
		_ = binary.Write(&x, binary.BigEndian, e.f3)
	}
	fmt.Fprintf(b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R%s /Length %d >>\nstream\n",
		objNr, len(entries), root, extra, x.Len())
	b.Write(x.Bytes())
	fmt.Fprintf(b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefOff)
}

// FlateBombXRefStream returns a PDF 1.5 file whose xref stream is
// compressed twice with FlateDecode and inflates to decoded bytes: valid
// entries followed by zeros. Readers decode xref streams eagerly.
func FlateBombXRefStream(decoded int64) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	off := map[int]int{}
	for n, body := range []string{
		1: "<< /Type /Catalog /Pages 2 0 R >>",
		2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		3: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	} {
		if n == 0 {
			continue
		}
		off[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	xrefOff := b.Len()
	var x bytes.Buffer
	for _, e := range []xrefEntry{
		{0, 0, 0xFFFF}, {1, uint32(off[1]), 0}, {1, uint32(off[2]), 0},
		{1, uint32(off[3]), 0}, {1, uint32(xrefOff), 0},
	} {
		x.WriteByte(e.typ)
		_ = binary.Write(&x, binary.BigEndian, e.f2)
		_ = binary.Write(&x, binary.BigEndian, e.f3)
	}
	data, err := doubleFlate(x.Bytes(), decoded-int64(x.Len()))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R "+
		"/Filter [/FlateDecode /FlateDecode] /Length %d >>\nstream\n", len(data))
	b.Write(data)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefOff)
	return b.Bytes(), nil
}

// HugeXRefStream returns a PDF 1.5 file of a few hundred bytes whose xref
// stream declares objects entries: a reader that sizes its tables from /Size
// or /Index allocates for all of them.
func HugeXRefStream(objects int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	off1 := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	off2 := b.Len()
	b.WriteString("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
	xrefOff := b.Len()
	var x bytes.Buffer
	for _, o := range []int{0, off1, off2, xrefOff} {
		typ := byte(1)
		if o == 0 {
			typ = 0
		}
		x.WriteByte(typ)
		_ = binary.Write(&x, binary.BigEndian, uint32(o))
		x.Write([]byte{0, 0})
	}
	fmt.Fprintf(&b, "3 0 obj\n<< /Type /XRef /Size %d /Index [0 %d] /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n",
		objects, objects, x.Len())
	b.Write(x.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefOff)
	return b.Bytes()
}

// Garbage returns the PDF header followed by n pseudo-random bytes from a
// fixed seed and an %%EOF marker, so that a reader gets past its first
// sanity checks.
func Garbage(n int) []byte {
	r := rand.New(rand.NewChaCha8([32]byte{'a', 'l', 'u', 's', 'd', 'o', 'k'}))
	b := make([]byte, 0, n+9)
	b = append(b, "%PDF-1.7\n"...)
	for range n {
		b = append(b, byte(r.Uint32()))
	}
	return append(b, "\n%%EOF\n"...)
}

// Truncate returns the first frac (0..1) of pdf.
func Truncate(pdf []byte, frac float64) []byte {
	return bytes.Clone(pdf[:int(float64(len(pdf))*frac)])
}

// FlipMarkerByte returns a copy of pdf with the case of the first letter of
// FlipMarker flipped: the structure stays intact, but the bytes differ from
// what was signed.
func FlipMarkerByte(pdf []byte) ([]byte, error) {
	marker := []byte(winAnsi(FlipMarker))
	i := bytes.Index(pdf, marker)
	if i < 0 {
		return nil, errors.New("flip marker not found")
	}
	out := bytes.Clone(pdf)
	out[i] ^= 0x20
	return out, nil
}

// Patterns for the incremental-update and byte-range helpers.
var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	sizeRE      = regexp.MustCompile(`/Size\s+(\d+)`)
	rootRE      = regexp.MustCompile(`/Root\s+(\d+\s+\d+\s+R)`)
	byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)
)

// StretchByteRange returns a copy of pdf whose first /ByteRange claims a
// second range far beyond the end of the file. pdfsig pads /ByteRange
// with spaces, so the rewrite keeps every byte offset.
func StretchByteRange(pdf []byte) ([]byte, error) {
	loc := byteRangeRE.FindSubmatchIndex(pdf)
	if loc == nil {
		return nil, errors.New("no /ByteRange")
	}
	old := pdf[loc[0]:loc[1]]
	repl := fmt.Sprintf("/ByteRange [%s %s %s 999999999999",
		pdf[loc[2]:loc[3]], pdf[loc[4]:loc[5]], pdf[loc[6]:loc[7]])
	if len(repl)+1 > len(old) {
		return nil, errors.New("/ByteRange has no room to stretch")
	}
	repl += strings.Repeat(" ", len(old)-len(repl)-1) + "]"
	out := bytes.Clone(pdf)
	copy(out[loc[0]:], repl)
	return out, nil
}

// AppendIncrementalUpdate appends a classic incremental update to pdf that
// replaces object objNr with a new content stream showing text, the way a
// document is altered after it was signed without touching the signed bytes.
func AppendIncrementalUpdate(pdf []byte, objNr int, text string) ([]byte, error) {
	m := startxrefRE.FindSubmatch(pdf)
	if m == nil {
		return nil, errors.New("startxref not found at end of file")
	}
	prev, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return nil, fmt.Errorf("parse startxref: %w", err)
	}
	tail := pdf[bytes.LastIndex(pdf, []byte("trailer")):]
	sm, rm := sizeRE.FindSubmatch(tail), rootRE.FindSubmatch(tail)
	if sm == nil || rm == nil {
		return nil, errors.New("last trailer has no /Size or /Root")
	}
	size, _ := strconv.Atoi(string(sm[1]))

	var b bytes.Buffer
	b.Write(pdf)
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		b.WriteByte('\n')
	}
	content := fmt.Sprintf("BT /F2 24 Tf 72 400 Td (%s) Tj ET", winAnsi(text))
	objOff := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", objNr, len(content), content)
	xrefOff := b.Len()
	fmt.Fprintf(&b, "xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n", objNr, objOff)
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n",
		size, rm[1], prev, xrefOff)
	return b.Bytes(), nil
}

// onePage is the skeleton of a minimal one-page document: catalog 1, pages
// 2, page 3, font 4, content 5.
func onePage() *document {
	d := newDocument("1.7")
	d.root = 1
	d.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
	d.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	d.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "+
		"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
	d.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	d.setStream(5, "", []byte("BT /F1 11 Tf 72 780 Td (Tere) Tj ET"))
	return d
}

// doubleFlate returns zlib(zlib(prefix followed by n zero bytes)).
func doubleFlate(prefix []byte, n int64) ([]byte, error) {
	var outer bytes.Buffer
	zOuter, err := zlib.NewWriterLevel(&outer, zlib.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("outer compressor: %w", err)
	}
	zInner, err := zlib.NewWriterLevel(zOuter, zlib.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("inner compressor: %w", err)
	}
	if _, err := zInner.Write(prefix); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	if _, err := io.CopyN(zInner, zeroReader{}, max(n, 0)); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	if err := zInner.Close(); err != nil {
		return nil, fmt.Errorf("close inner compressor: %w", err)
	}
	if err := zOuter.Close(); err != nil {
		return nil, fmt.Errorf("close outer compressor: %w", err)
	}
	return outer.Bytes(), nil
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// ManyObjects returns a valid one-page PDF with n extra small objects.
func ManyObjects(n int) []byte {
	d := onePage()
	for i := range n {
		d.set(6+i, "[1 2 3]")
	}
	return d.bytes()
}

// BigArray returns a valid one-page PDF whose catalog refers to an array of
// n integers.
func BigArray(n int) []byte {
	d := onePage()
	d.set(1, "<< /Type /Catalog /Pages 2 0 R /Big 6 0 R >>")
	d.set(6, "["+strings.Repeat("7 ", n)+"]")
	return d.bytes()
}

// BigDict returns a valid one-page PDF whose catalog refers to a
// dictionary of n entries.
func BigDict(n int) []byte {
	var b strings.Builder
	b.WriteString("<<")
	for i := range n {
		fmt.Fprintf(&b, "/K%d %d ", i, i)
	}
	b.WriteString(">>")
	d := onePage()
	d.set(1, "<< /Type /Catalog /Pages 2 0 R /Big 6 0 R >>")
	d.set(6, b.String())
	return d.bytes()
}

// RunLengthObjectStream returns a PDF 1.5 file whose object stream is
// RunLengthDecode-compressed: a valid prolog and two objects, then decoded
// bytes of spaces at 64:1.
func RunLengthObjectStream(decoded int64) []byte {
	objs := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> " +
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
	second := strings.Index(objs, "<< /Type /Font")
	prolog := fmt.Sprintf("3 0 4 %d ", second)
	prolog += strings.Repeat(" ", 16-len(prolog))
	plain := []byte(prolog + objs)
	var rl bytes.Buffer
	for len(plain) > 0 {
		n := min(len(plain), 128)
		rl.WriteByte(byte(n - 1))
		rl.Write(plain[:n])
		plain = plain[n:]
	}
	for left := decoded; left > 0; left -= 128 {
		rl.Write([]byte{0x81, ' '})
	}
	rl.WriteByte(0x80)

	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	off := map[int]int{}
	obj := func(n int, body string) {
		off[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	off[5] = b.Len()
	fmt.Fprintf(&b, "5 0 obj\n<< /Type /ObjStm /N 2 /First 16 /Filter /RunLengthDecode /Length %d >>\nstream\n", rl.Len())
	b.Write(rl.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	xrefOff := b.Len()
	writeXRefStream(&b, 6, 1, []xrefEntry{
		{0, 0, 0xFFFF},
		{1, uint32(off[1]), 0},
		{1, uint32(off[2]), 0},
		{2, 5, 0},
		{2, 5, 1},
		{1, uint32(off[5]), 0},
		{1, uint32(xrefOff), 0},
	}, "")
	return b.Bytes()
}
