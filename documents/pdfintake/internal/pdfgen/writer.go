// Package pdfgen writes small, deterministic PDF files for tests and
// fixtures: one-page Estonian letters for each kind of base document and a
// set of hostile inputs. It is a test aid with no dependencies beyond the
// standard library; nothing in production code imports it.
package pdfgen

import (
	"bytes"
	"fmt"
	"sort"
)

// document is a PDF under construction: numbered objects written in order,
// followed by a classic cross-reference table and trailer.
type document struct {
	version string
	objects map[int][]byte
	root    int
	info    int
}

func newDocument(version string) *document {
	return &document{version: version, objects: map[int][]byte{}}
}

// set stores the body of object n (everything between "n 0 obj" and
// "endobj").
func (d *document) set(n int, body string) {
	d.objects[n] = []byte(body)
}

// setStream stores a stream object with the given dictionary entries (without
// /Length, which is added) and raw data.
func (d *document) setStream(n int, dict string, data []byte) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< %s /Length %d >>\nstream\n", dict, len(data))
	b.Write(data)
	b.WriteString("\nendstream")
	d.objects[n] = b.Bytes()
}

// bytes serialises the document.
func (d *document) bytes() []byte {
	nums := make([]int, 0, len(d.objects))
	maxNum := 0
	for n := range d.objects {
		nums = append(nums, n)
		maxNum = max(maxNum, n)
	}
	sort.Ints(nums)

	var b bytes.Buffer
	fmt.Fprintf(&b, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", d.version)
	offsets := make(map[int]int, len(nums))
	for _, n := range nums {
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", n)
		b.Write(d.objects[n])
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n", maxNum+1)
	b.WriteString("0000000000 65535 f \n")
	for n := 1; n <= maxNum; n++ {
		if off, ok := offsets[n]; ok {
			fmt.Fprintf(&b, "%010d 00000 n \n", off)
		} else {
			b.WriteString("0000000000 65535 f \n")
		}
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R", maxNum+1, d.root)
	if d.info != 0 {
		fmt.Fprintf(&b, " /Info %d 0 R", d.info)
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// winAnsi encodes s for a PDF literal string in WinAnsiEncoding, escaping
// the characters that need it. Runes outside the encoding become '?'.
func winAnsi(s string) string {
	special := map[rune]byte{
		'Š': 0x8A, 'š': 0x9A, 'Ž': 0x8E, 'ž': 0x9E, '–': 0x96, '—': 0x97,
		'„': 0x84, '“': 0x93, '”': 0x94, '€': 0x80, '§': 0xA7,
	}
	var b bytes.Buffer
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80:
			b.WriteRune(r)
		case special[r] != 0:
			b.WriteByte(special[r])
		case r >= 0xA0 && r <= 0xFF:
			b.WriteByte(byte(r))
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
