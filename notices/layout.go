package notices

import (
	"strings"
	"unicode/utf8"
)

// The page: A4 in points, with margins of 25 mm left and 20 mm elsewhere,
// and room at the bottom for the footer.
const (
	pageW   = 595.28
	pageH   = 841.89
	marginL = 70.87
	marginR = 56.69
	marginT = 56.69
	marginB = 70.87
	footerY = 36.0
	textW   = pageW - marginL - marginR
)

// width returns the width in points of s, whose runes the fonts have
// (see safe).
func (m *metrics) width(s string, f fontID, size float64) float64 {
	w := 0
	for _, r := range s {
		w += m.widths[f][r]
	}
	return float64(w) * size / 1000
}

// wrap breaks the text s into lines at most width wide, at spaces, and
// inside a word only where the word alone is too wide. The lines are
// safe for the fonts.
func (m *metrics) wrap(s string, f fontID, size, width float64) []string {
	s = m.safe(s)
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if m.width(candidate, f, size) <= width {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		for m.width(word, f, size) > width {
			n := breakAt(word, m.fit(word, f, size, width))
			lines = append(lines, word[:n])
			word = word[n:]
		}
		line = word
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// breakAt returns where to break a word whose first n bytes fit: after
// the last '.', '/', '-' or '_', or before the last '[', among them, so
// that a field path breaks between its parts; at n if there is none.
func breakAt(word string, n int) int {
	for i := n; i > n/3 && i > 0; i-- {
		if i < len(word) && !utf8.RuneStart(word[i]) {
			continue
		}
		switch word[i-1] {
		case '.', '/', '-', '_':
			return i
		}
		if i < n && word[i] == '[' {
			return i
		}
	}
	return n
}

// fit returns how many leading bytes of s fit in width, at least one
// rune's.
func (m *metrics) fit(s string, f fontID, size, width float64) int {
	w := 0.0
	for i, r := range s {
		w += float64(m.widths[f][r]) * size / 1000
		if w > width {
			if i == 0 {
				_, n := utf8.DecodeRuneInString(s)
				return n
			}
			return i
		}
	}
	return len(s)
}

// style is a font, a size, a line height and a grey level (0 black).
type style struct {
	font    fontID
	size    float64
	leading float64
	gray    float64
}

// The letters' styles.
var (
	styleBody    = style{font: regular, size: 10.5, leading: 14.5}
	styleBold    = style{font: bold, size: 10.5, leading: 14.5}
	styleSubject = style{font: bold, size: 12.5, leading: 16}
	styleSender  = style{font: bold, size: 13, leading: 16}
	styleSmall   = style{font: regular, size: 8.5, leading: 11.5, gray: 0.35}
	styleLabel   = style{font: regular, size: 9, leading: 14.5, gray: 0.35}
	styleCell    = style{font: regular, size: 9, leading: 11.5}
	styleHead    = style{font: bold, size: 9, leading: 11.5}
)

// flow lays text out top to bottom over as many pages as it needs.
type flow struct {
	m     *metrics
	pages []*page
	// y is the top of the next line.
	y float64
	// onNewPage draws what every page after the first starts with.
	onNewPage func()
}

func newFlow(m *metrics) *flow {
	f := &flow{m: m}
	f.pages = []*page{{}}
	f.y = pageH - marginT
	return f
}

func (f *flow) page() *page { return f.pages[len(f.pages)-1] }

// newPage starts a page.
func (f *flow) newPage() {
	f.pages = append(f.pages, &page{})
	f.y = pageH - marginT
	if f.onNewPage != nil {
		f.onNewPage()
	}
}

// room is the height left on the page.
func (f *flow) room() float64 { return f.y - marginB }

// ensure starts a new page unless h points fit on this one.
func (f *flow) ensure(h float64) {
	if h > f.room() {
		f.newPage()
	}
}

// gap moves down h points; the next line that does not fit breaks the page.
func (f *flow) gap(h float64) { f.y -= h }

// page is what is drawn on one page, in order.
type page []op

// opKind tells what an op draws.
type opKind int

const (
	opText opKind = iota
	opRule
	opFill
)

// op is one drawing operation in PDF coordinates (points, origin at the
// bottom left): text in a style with its baseline at (x, y), a horizontal
// rule from x to x1 at height y, or a grey rectangle x, y, w, h.
type op struct {
	kind       opKind
	st         style
	s          string
	x, y       float64
	x1, w, h   float64
	gray, line float64
}

// text draws the text s with its baseline at (x, baseline).
func (f *flow) text(st style, x, baseline float64, s string) {
	if s == "" {
		return
	}
	p := f.page()
	*p = append(*p, op{kind: opText, st: st, s: f.m.safe(s), x: x, y: baseline})
}

// textRight draws s ending at x.
func (f *flow) textRight(st style, x, baseline float64, s string) {
	f.text(st, x-f.m.width(s, st.font, st.size), baseline, s)
}

// baseline is where the baseline of a line of st whose top is at top lies.
func baseline(st style, top float64) float64 {
	return top - st.size - (st.leading-st.size*1.2)/2
}

// line draws one line of s at the top of the flow, breaking the page first
// if it does not fit.
func (f *flow) line(st style, x float64, s string) {
	f.ensure(st.leading)
	f.text(st, x, baseline(st, f.y), s)
	f.y -= st.leading
}

// paragraph wraps the text s into the width from x and draws it.
func (f *flow) paragraph(st style, x, width float64, s string) {
	for _, l := range f.m.wrap(s, st.font, st.size, width) {
		f.line(st, x, l)
	}
}

// rule draws a horizontal line from x0 to x1 at height y.
func (f *flow) rule(x0, x1, y, gray, w float64) {
	p := f.page()
	*p = append(*p, op{kind: opRule, x: x0, x1: x1, y: y, gray: gray, line: w})
}

// fill draws a grey rectangle.
func (f *flow) fill(x, y, w, h, gray float64) {
	p := f.page()
	*p = append(*p, op{kind: opFill, x: x, y: y, w: w, h: h, gray: gray})
}

// column is a table column: a title and a width in points.
type column struct {
	title string
	width float64
}

// cellPad is the padding inside a table cell.
const cellPad = 3.5

// table draws rows (UTF-8 cells, "\n" breaking a line) under a header row, breaking pages
// between rows, and inside a row only if the row is taller than a page.
// The header row is repeated on every page the table continues on.
func (f *flow) table(cols []column, rows [][]string) {
	header := make([][]string, len(cols))
	for i, c := range cols {
		header[i] = f.m.wrap(c.title, styleHead.font, styleHead.size, c.width-2*cellPad)
	}
	headerH := float64(maxLines(header))*styleHead.leading + 2*cellPad
	drawHeader := func() {
		f.fill(marginL, f.y-headerH, textW, headerH, 0.9)
		f.drawCells(cols, header, 0, maxLines(header), styleHead)
		f.y -= headerH
	}
	f.ensure(headerH + styleCell.leading + 2*cellPad)
	drawHeader()
	for _, row := range rows {
		cells := make([][]string, len(cols))
		for i := range cols {
			text := ""
			if i < len(row) {
				text = row[i]
			}
			for _, part := range strings.Split(text, "\n") {
				cells[i] = append(cells[i], f.m.wrap(part, styleCell.font, styleCell.size, cols[i].width-2*cellPad)...)
			}
		}
		n := maxLines(cells)
		rowH := float64(n)*styleCell.leading + 2*cellPad
		if rowH > f.room() && rowH <= pageH-marginT-marginB-headerH-f.continuationHeight() {
			f.newPage()
			drawHeader()
		}
		for done := 0; done < n; {
			fit := int((f.room() - 2*cellPad) / styleCell.leading)
			if fit < 1 {
				f.newPage()
				drawHeader()
				continue
			}
			k := min(fit, n-done)
			f.drawCells(cols, cells, done, done+k, styleCell)
			f.y -= float64(k)*styleCell.leading + 2*cellPad
			f.rule(marginL, marginL+textW, f.y, 0.75, 0.4)
			done += k
		}
	}
}

// continuationHeight is how much the running header takes on pages after
// the first.
func (f *flow) continuationHeight() float64 {
	if f.onNewPage == nil {
		return 0
	}
	return continuationH
}

// drawCells draws lines [from, to) of every cell of a row whose top is at
// the flow's y.
func (f *flow) drawCells(cols []column, cells [][]string, from, to int, st style) {
	x := marginL
	for i, c := range cols {
		for j := from; j < to && j < len(cells[i]); j++ {
			top := f.y - cellPad - float64(j-from)*st.leading
			f.text(st, x+cellPad, baseline(st, top), cells[i][j])
		}
		x += c.width
	}
}

func maxLines(cells [][]string) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}
