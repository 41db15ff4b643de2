package notices

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// docInfo is what the PDF says about itself, in its document information
// dictionary and, equally, in its XMP metadata.
type docInfo struct {
	Title, Author, Subject, Creator string
	// Identifier is the letter's number ("KR-2027/000042"): XMP
	// dc:identifier.
	Identifier string
	Created    time.Time
}

// producer is the PDF's /Producer and XMP pdf:Producer.
const producer = "alusdok (go-pdf/fpdf)"

// buildPDF draws pages into an A4 PDF/A-2b document with fpdf: the fonts
// embedded as subsets, the sRGB output intent, XMP metadata equal to the
// information dictionary, and a file identifier. The output depends only
// on its input: the dates come from info.Created and the file identifier
// is a hash of the rest of the file.
func buildPDF(pages []*page, info docInfo) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("build pdf: fpdf panicked: %v", r)
		}
	}()
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}, OrientationStr: "P"})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.AddUTF8FontFromBytes(fontFamily, regular.style(), fontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, bold.style(), fontBold)
	pdf.SetCreationDate(info.Created)
	pdf.SetModificationDate(info.Created)
	pdf.SetTitle(info.Title, true)
	pdf.SetAuthor(info.Author, true)
	pdf.SetSubject(info.Subject, true)
	pdf.SetCreator(info.Creator, true)
	pdf.SetProducer(producer, true)
	pdf.SetLang("et")
	pdf.SetXmpMetadata(xmpPacket(info))
	pdf.AddOutputIntent(fpdf.OutputIntentType{
		SubtypeIdent:              fpdf.OutputIntent_GTS_PDFA1,
		OutputConditionIdentifier: "sRGB",
		Info:                      "sRGB IEC61966-2.1",
		ICCProfile:                srgbProfile,
	})
	for _, p := range pages {
		pdf.AddPage()
		for _, o := range *p {
			draw(pdf, o)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("build pdf: %w", err)
	}
	return finish(buf.Bytes(), info.Created)
}

// draw replays one op; fpdf measures y from the top of the page.
func draw(pdf *fpdf.Fpdf, o op) {
	grey := func(g float64) int { return int(g*255 + 0.5) }
	switch o.kind {
	case opText:
		g := grey(o.st.gray)
		pdf.SetTextColor(g, g, g)
		pdf.SetFont(fontFamily, o.st.font.style(), o.st.size)
		pdf.Text(o.x, pageH-o.y, o.s)
	case opRule:
		g := grey(o.gray)
		pdf.SetDrawColor(g, g, g)
		pdf.SetLineWidth(o.line)
		pdf.Line(o.x, pageH-o.y, o.x1, pageH-o.y)
	case opFill:
		g := grey(o.gray)
		pdf.SetFillColor(g, g, g)
		pdf.Rect(o.x, pageH-o.y-o.h, o.w, o.h, "F")
	}
}

// xmpPacket is the XMP metadata: PDF/A-2b identification, Dublin Core
// title, creator, description and identifier, and the same dates,
// creator tool and producer as the information dictionary.
func xmpPacket(info docInfo) []byte {
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	date := info.Created.Format("2006-01-02T15:04:05-07:00")
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
`)
	fmt.Fprintf(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", esc(info.Title))
	fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", esc(info.Author))
	fmt.Fprintf(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", esc(info.Subject))
	if info.Identifier != "" {
		fmt.Fprintf(&b, "<dc:identifier>%s</dc:identifier>\n", esc(info.Identifier))
	}
	b.WriteString("<dc:language><rdf:Bag><rdf:li>et</rdf:li></rdf:Bag></dc:language>\n")
	b.WriteString("<dc:format>application/pdf</dc:format>\n")
	fmt.Fprintf(&b, "<xmp:CreateDate>%s</xmp:CreateDate>\n<xmp:ModifyDate>%s</xmp:ModifyDate>\n<xmp:MetadataDate>%s</xmp:MetadataDate>\n", date, date, date)
	fmt.Fprintf(&b, "<xmp:CreatorTool>%s</xmp:CreatorTool>\n", esc(info.Creator))
	fmt.Fprintf(&b, "<pdf:Producer>%s</pdf:Producer>\n", esc(producer))
	b.WriteString("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n")
	// Room for editors that rewrite the packet in place.
	b.WriteString(strings.Repeat(strings.Repeat(" ", 99)+"\n", 10))
	b.WriteString(`<?xpacket end="w"?>`)
	return []byte(b.String())
}

var (
	// infoDate finds the dates fpdf writes without a time zone.
	infoDate = regexp.MustCompile(`/(?:CreationDate|ModDate) \(D:\d{14}\)`)
	// trailerEnd finds the end of the trailer dictionary.
	trailerEnd = regexp.MustCompile(`(?s)\ntrailer\n<<.*?\n>>\nstartxref\n(\d+)\n%%EOF\n?$`)
	// infoObject finds the information dictionary, which fpdf writes
	// with /Producer first (its keys sorted).
	infoObject = regexp.MustCompile(`\n(\d+) 0 obj\n<<\n/Producer `)
	// trailerInfo is the trailer's reference to it.
	trailerInfo = regexp.MustCompile(`\n/Info \d+ 0 R\n`)
	// fontName is fpdf's name of an embedded font subset, which lacks
	// the subset tag ("AAAAAA+") that PDF wants.
	fontName = regexp.MustCompile(`/utf8dejavusans(B?)[\s/>\]]`)
	// xrefEntry is one in-use entry of the cross-reference table.
	xrefEntry = regexp.MustCompile(`(?m)^(\d{10}) 00000 n \r?$`)
)

// finish completes fpdf's output for PDF/A: the information dictionary's
// dates get their time zone (so that they equal the XMP dates), the fonts
// their subset tags, and the trailer the right information dictionary
// and a file identifier, a hash of the file. The cross-reference table
// follows the bytes inserted.
func finish(pdf []byte, created time.Time) ([]byte, error) {
	xrefAt := bytes.LastIndex(pdf, []byte("\nxref\n"))
	if xrefAt < 0 {
		return nil, fmt.Errorf("finish pdf: no cross-reference table")
	}
	body, table := pdf[:xrefAt], pdf[xrefAt:]

	_, off := created.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	tz := fmt.Sprintf("%c%02d'%02d'", sign, off/3600, off%3600/60)
	var edits []edit
	dates := infoDate.FindAllIndex(body, -1)
	if len(dates) != 2 {
		return nil, fmt.Errorf("finish pdf: found %d information dictionary dates, want 2", len(dates))
	}
	for _, d := range dates {
		edits = append(edits, edit{at: d[1] - 1, end: d[1] - 1, with: tz})
	}
	for _, m := range fontName.FindAllSubmatchIndex(body, -1) {
		name := "AAAAAA+DejaVuSans"
		if m[3] > m[2] {
			name = "BAAAAA+DejaVuSans-Bold"
		}
		edits = append(edits, edit{at: m[0] + 1, end: m[3], with: name})
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.at - b.at })
	var out bytes.Buffer
	out.Grow(len(pdf) + 512)
	last := 0
	for _, e := range edits {
		out.Write(body[last:e.at])
		out.WriteString(e.with)
		last = e.end
	}
	out.Write(body[last:])
	// moved is where the byte at offset n of fpdf's output now is.
	moved := func(n int) int {
		d := 0
		for _, e := range edits {
			if e.at < n {
				d += len(e.with) - (e.end - e.at)
			}
		}
		return n + d
	}
	var failed error
	table = xrefEntry.ReplaceAllFunc(table, func(e []byte) []byte {
		n, err := strconv.Atoi(string(e[:10]))
		if err != nil {
			failed = err
			return e
		}
		return append(fmt.Appendf(nil, "%010d", moved(n)), e[10:]...)
	})
	if failed != nil {
		return nil, fmt.Errorf("finish pdf: cross-reference table: %w", failed)
	}
	m := trailerEnd.FindSubmatchIndex(table)
	if m == nil {
		return nil, fmt.Errorf("finish pdf: no trailer")
	}
	newXref := out.Len() + 1
	trailer := string(table[m[0]:m[1]])
	// fpdf refers to the object before the catalog as the information
	// dictionary, which is the ICC profile when there is an output intent.
	info := infoObject.FindSubmatch(out.Bytes())
	if info == nil || !trailerInfo.MatchString(trailer) {
		return nil, fmt.Errorf("finish pdf: no information dictionary")
	}
	trailer = trailerInfo.ReplaceAllLiteralString(trailer, "\n/Info "+string(info[1])+" 0 R\n")
	zero := strings.Repeat("0", 32)
	trailer = strings.Replace(trailer, "\n>>\nstartxref\n", "\n/ID [<"+zero+"> <"+zero+">]\n>>\nstartxref\n", 1)
	trailer = strings.Replace(trailer, "startxref\n"+string(table[m[2]:m[3]])+"\n", "startxref\n"+strconv.Itoa(newXref)+"\n", 1)
	out.Write(table[:m[0]])
	out.WriteString(trailer)
	result := out.Bytes()

	sum := sha256.Sum256(result)
	id := strings.ToUpper(hex.EncodeToString(sum[:16]))
	i := bytes.LastIndex(result, []byte("/ID [<"+zero+"> <"+zero+">]"))
	copy(result[i+len("/ID [<"):], id)
	copy(result[i+len("/ID [<")+32+len("> <"):], id)
	return result, nil
}

// edit replaces the bytes [at, end) of fpdf's output.
type edit struct {
	at, end int
	with    string
}
