package pdfgen

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// XRefSizeBomb is the ~500-byte file whose only cross-reference section
// starts at object 1 with a free first entry and whose trailer declares
// /Size size: pdfcpu v0.15.0 loops /Size times over it.
func XRefSizeBomb(size int64) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	off1 := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	off2 := b.Len()
	b.WriteString("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n1 3\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \n", off1, off2)
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", size, xref)
	return b.Bytes()
}

// Active content variants of a one-page letter.
const (
	ActiveOpenActionJS = "openaction-javascript"
	ActiveNamesJS      = "names-javascript"
	ActiveLaunch       = "launch"
	ActiveSubmitForm   = "submitform"
	ActiveEmbeddedFile = "embedded-file"
	ActiveRichMedia    = "richmedia"
	ActiveAnnotJS      = "annotation-javascript"
)

// ActiveContentKinds lists the variants of WithActiveContent.
func ActiveContentKinds() []string {
	return []string{ActiveOpenActionJS, ActiveNamesJS, ActiveLaunch, ActiveSubmitForm, ActiveEmbeddedFile, ActiveRichMedia, ActiveAnnotJS}
}

// WithActiveContent returns a one-page letter carrying one kind of active
// content.
func WithActiveContent(kind string) ([]byte, error) {
	d := newDocument("1.7")
	d.root = 1
	page := "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R%s >>"
	catalog := "<< /Type /Catalog /Pages 2 0 R%s >>"
	d.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	d.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	d.setStream(5, "", []byte("BT /F1 11 Tf 72 780 Td (Tere) Tj ET"))
	catExtra, pageExtra := "", ""
	switch kind {
	case ActiveOpenActionJS:
		catExtra = " /OpenAction << /S /JavaScript /JS (app.alert\\('x'\\)) >>"
	case ActiveNamesJS:
		catExtra = " /Names << /JavaScript << /Names [(a) 6 0 R] >> >>"
		d.set(6, "<< /S /JavaScript /JS (this.print\\(\\)) >>")
	case ActiveLaunch:
		catExtra = " /OpenAction 6 0 R"
		d.set(6, "<< /S /Launch /F (calc.exe) >>")
	case ActiveSubmitForm:
		pageExtra = " /AA << /O << /S /SubmitForm /F << /FS /URL /F (https://example.invalid/) >> >> >>"
	case ActiveEmbeddedFile:
		catExtra = " /Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>"
		d.set(6, "<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>")
		d.setStream(7, "/Type /EmbeddedFile", []byte("MZ"))
	case ActiveRichMedia:
		pageExtra = " /Annots [6 0 R]"
		d.set(6, "<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>")
	case ActiveAnnotJS:
		pageExtra = " /Annots [6 0 R]"
		d.set(6, "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /JavaScript /JS (1) >> >>")
	default:
		return nil, fmt.Errorf("unknown active content %q", kind)
	}
	d.set(1, fmt.Sprintf(catalog, catExtra))
	d.set(3, fmt.Sprintf(page, pageExtra))
	return d.bytes(), nil
}

// TextDocument returns an uncompressed text document of the given page
// count, its pages filled with lines of text until the file is about size
// bytes: the heaviest legitimate shape for the token guard.
func TextDocument(pages int, size int64) []byte {
	d := newDocument("1.7")
	d.root = 1
	perPage := int(size)/pages - 400
	line := "BT /F1 9 Tf 40 %d Td (Kutseseaduse alusel kinnitatud otsuse tekst, rida %04d, lehekulg %04d: kutse andmine.) Tj ET\n"
	kids := make([]string, pages)
	for p := range pages {
		var c strings.Builder
		for n := 0; c.Len() < perPage; n++ {
			fmt.Fprintf(&c, line, 800-(n%80)*10, n, p+1)
		}
		pg, ct := 10+2*p, 11+2*p
		kids[p] = fmt.Sprintf("%d 0 R", pg)
		d.set(pg, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents %d 0 R >>", ct))
		d.setStream(ct, "", []byte(c.String()))
	}
	// The AcroForm keeps pdfsig from embedding a system font (see Letter).
	d.set(1, "<< /Type /Catalog /Pages 2 0 R "+
		"/AcroForm << /Fields [] /DR << /Font << /popplerfont 8 0 R >> >> /DA (/popplerfont 0 Tf 0 g) >> >>")
	d.set(8, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica#20 /Encoding /WinAnsiEncoding >>")
	d.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	d.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	return d.bytes()
}

// AppendObjects appends a classic incremental update to pdf that defines
// (or redefines) the given objects, their bodies as written between
// "obj" and "endobj"; newSize, when larger, becomes the trailer's /Size.
// To change the catalog, pass it among objs.
func AppendObjects(pdf []byte, objs map[int]string, newSize int) ([]byte, error) {
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
	size = max(size, newSize)
	var b bytes.Buffer
	b.Write(pdf)
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		b.WriteByte('\n')
	}
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offsets := map[int]int{}
	for _, n := range nums {
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	xrefOff := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for _, n := range nums {
		fmt.Fprintf(&b, "%d 1\n%010d 00000 n \n", n, offsets[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", size, rm[1], prev, xrefOff)
	return b.Bytes(), nil
}
