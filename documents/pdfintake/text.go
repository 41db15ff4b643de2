package pdfintake

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Metadata agreement: the document's text must show the number and date
// the metadata gives, or the clerk is warned that document and data may
// not belong together.
//
// The text is what the pages' content streams show (Tj, TJ, ', "),
// decoded through each font's ToUnicode map when it has one, else as
// WinAnsi. That covers the PDFs that office software and the Estonian
// signing tools write; a scanned page has no text, so it is warned about
// too. Comparison ignores case and all white space.

// metadataAgreement warns when the text lacks the number or the date.
func metadataAgreement(pctx *model.Context, number, date string) deficiency.List {
	var l deficiency.List
	want := map[string]bool{}
	if number != "" {
		want["number"] = true
	}
	var dateRE *regexp.Regexp
	if date != "" {
		if d, err := time.Parse(time.DateOnly, date); err == nil {
			dateRE = dateForms(d)
			want["date"] = true
		}
	}
	needle := squash(number)
	var text strings.Builder
	for p := 1; p <= pctx.PageCount && len(want) > 0; p++ {
		text.WriteString(squash(pageText(pctx, p)))
		hay := text.String()
		if want["number"] && strings.Contains(hay, needle) {
			delete(want, "number")
		}
		if want["date"] && dateRE.MatchString(hay) {
			delete(want, "date")
		}
	}
	if want["number"] {
		add(&l, deficiency.Warning, FieldDocument, CodeMetadataMismatch, "what", "numbrit (number)")
	}
	if want["date"] {
		add(&l, deficiency.Warning, FieldDocument, CodeMetadataMismatch, "what", "kuupäeva (date)")
	}
	return l
}

// squash lower-cases s and drops white space.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// estonianMonths are the stems of the month names (nominative and
// genitive share them: "12. märts" and "12. märtsil" alike).
var estonianMonths = []string{"jaanuar", "veebruar", "märts", "aprill", "mai", "juuni", "juuli", "august",
	"september", "oktoober", "november", "detsember"}

// dateForms matches d written as 2025-06-12, 12.06.2025, 12.6.2025 or
// "12. juuni 2025" (after squash).
func dateForms(d time.Time) *regexp.Regexp {
	day, mon, year := d.Day(), int(d.Month()), d.Year()
	month := estonianMonths[mon-1]
	if len(month) > 6 {
		month = month[:len(month)-2] // septemb(er|ri), oktoob(er|ri), detsemb(er|ri)
	}
	forms := []string{
		fmt.Sprintf(`%04d-%02d-%02d`, year, mon, day),
		fmt.Sprintf(`(?:^|\D)0?%d\.0?%d\.%04d`, day, mon, year),
		fmt.Sprintf(`(?:^|\D)0?%d\.?%s[\p{L}]*\.?%04d`, day, regexp.QuoteMeta(month), year),
	}
	return regexp.MustCompile(strings.Join(forms, "|"))
}

// pageText is the text of page p, or "" when it cannot be read.
func pageText(pctx *model.Context, p int) string {
	d, _, inh, err := pctx.PageDict(p, false)
	if err != nil || d == nil {
		return ""
	}
	content, err := pctx.PageContent(d, p)
	if err != nil {
		return ""
	}
	var res types.Dict
	if inh != nil {
		res = inh.Resources
	}
	if r, err := pctx.DereferenceDict(d["Resources"]); err == nil && r != nil {
		res = r
	}
	fonts := map[string]*fontDecoder{}
	if res != nil {
		if fd, err := pctx.DereferenceDict(res["Font"]); err == nil {
			for name, ref := range fd {
				fonts[name] = newFontDecoder(pctx, ref)
			}
		}
	}
	return showText(content, fonts)
}

// showText runs the text-showing operators of a content stream.
func showText(content []byte, fonts map[string]*fontDecoder) string {
	var out strings.Builder
	var operands [][]byte // raw string operands since the last operator
	var lastName string
	var font *fontDecoder
	sc := contentScanner{b: content}
	for {
		tok, kind := sc.next()
		switch kind {
		case tokEOF:
			return out.String()
		case tokString:
			operands = append(operands, tok)
		case tokName:
			lastName = string(tok)
		case tokOperator:
			switch string(tok) {
			case "Tf":
				font = fonts[lastName]
			case "Tj", "'", `"`, "TJ":
				for _, s := range operands {
					out.WriteString(font.decode(s))
				}
				out.WriteByte(' ')
			case "BI":
				sc.skipInlineImage()
			}
			operands = operands[:0]
		}
	}
}

// Token kinds of contentScanner.
const (
	tokEOF = iota
	tokString
	tokName
	tokOperator
	tokOther
)

// contentScanner splits a content stream into tokens, decoding strings.
type contentScanner struct {
	b []byte
	i int
}

func (s *contentScanner) next() ([]byte, int) {
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case isPDFSpace(c):
			s.i++
		case c == '%':
			for s.i < len(s.b) && s.b[s.i] != '\n' && s.b[s.i] != '\r' {
				s.i++
			}
		case c == '(':
			return s.literal(), tokString
		case c == '<' && s.i+1 < len(s.b) && s.b[s.i+1] == '<', c == '>' && s.i+1 < len(s.b) && s.b[s.i+1] == '>':
			s.i += 2
			return nil, tokOther
		case c == '<':
			return s.hex(), tokString
		case c == '[' || c == ']' || c == '{' || c == '}' || c == '>' || c == ')':
			s.i++
			return nil, tokOther
		case c == '/':
			start := s.i + 1
			s.i = start
			for s.i < len(s.b) && !isPDFSpace(s.b[s.i]) && !isPDFDelim(s.b[s.i]) {
				s.i++
			}
			return s.b[start:s.i], tokName
		default:
			start := s.i
			for s.i < len(s.b) && !isPDFSpace(s.b[s.i]) && !isPDFDelim(s.b[s.i]) {
				s.i++
			}
			if s.i == start {
				s.i++
				return nil, tokOther
			}
			w := s.b[start:s.i]
			if c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') {
				return w, tokOther
			}
			return w, tokOperator
		}
	}
	return nil, tokEOF
}

// skipInlineImage skips to after the EI that ends an inline image.
func (s *contentScanner) skipInlineImage() {
	k := bytes.Index(s.b[s.i:], []byte("ID"))
	if k < 0 {
		s.i = len(s.b)
		return
	}
	s.i += k + 2
	for {
		k := bytes.Index(s.b[s.i:], []byte("EI"))
		if k < 0 {
			s.i = len(s.b)
			return
		}
		s.i += k + 2
		if s.i >= len(s.b) || isPDFSpace(s.b[s.i]) {
			return
		}
	}
}

func (s *contentScanner) literal() []byte {
	var out []byte
	depth := 0
	s.i++ // (
	for s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		switch c {
		case '(':
			depth++
			out = append(out, c)
		case ')':
			if depth == 0 {
				return out
			}
			depth--
			out = append(out, c)
		case '\\':
			if s.i >= len(s.b) {
				return out
			}
			e := s.b[s.i]
			s.i++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r', '\n':
				if e == '\r' && s.i < len(s.b) && s.b[s.i] == '\n' {
					s.i++
				}
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for n := 0; n < 2 && s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '7'; n++ {
						v = v*8 + int(s.b[s.i]-'0')
						s.i++
					}
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

func (s *contentScanner) hex() []byte {
	s.i++ // <
	var digits []byte
	for s.i < len(s.b) && s.b[s.i] != '>' {
		if c := s.b[s.i]; !isPDFSpace(c) {
			digits = append(digits, c)
		}
		s.i++
	}
	s.i++ // >
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	out := make([]byte, 0, len(digits)/2)
	for k := 0; k+1 < len(digits); k += 2 {
		v, err := strconv.ParseUint(string(digits[k:k+2]), 16, 8)
		if err != nil {
			return out
		}
		out = append(out, byte(v))
	}
	return out
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	return strings.IndexByte("()<>[]{}/%", c) >= 0
}

// fontDecoder maps a font's character codes to text.
type fontDecoder struct {
	// width is the code length in bytes (1, or 2 for CID fonts).
	width int
	// uni maps codes to text (ToUnicode); nil: WinAnsi.
	uni map[uint32]string
}

// newFontDecoder reads a font's ToUnicode CMap and code width.
func newFontDecoder(pctx *model.Context, ref types.Object) *fontDecoder {
	f := &fontDecoder{width: 1}
	d, err := pctx.DereferenceDict(ref)
	if err != nil || d == nil {
		return f
	}
	if st := d.NameEntry("Subtype"); st != nil && *st == "Type0" {
		f.width = 2
	}
	sd, _, err := pctx.DereferenceStreamDict(d["ToUnicode"])
	if err != nil || sd == nil {
		return f
	}
	if err := sd.Decode(); err != nil {
		return f
	}
	f.uni = parseToUnicode(sd.Content)
	return f
}

// decode turns a shown string into text.
func (f *fontDecoder) decode(s []byte) string {
	if f == nil || f.uni == nil {
		return winAnsiText(s)
	}
	var b strings.Builder
	for i := 0; i+f.width <= len(s); i += f.width {
		var code uint32
		for k := 0; k < f.width; k++ {
			code = code<<8 | uint32(s[i+k])
		}
		b.WriteString(f.uni[code])
	}
	return b.String()
}

// winAnsiHigh maps the WinAnsi codes 0x80–0x9F that differ from Latin-1.
var winAnsiHigh = map[byte]rune{
	0x80: '€', 0x84: '„', 0x8A: 'Š', 0x8E: 'Ž', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—',
	0x9A: 'š', 0x9E: 'ž',
}

func winAnsiText(s []byte) string {
	var b strings.Builder
	for _, c := range s {
		if r, ok := winAnsiHigh[c]; ok {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(rune(c))
	}
	return b.String()
}

// maxCMapEntries bounds a ToUnicode map (a hostile bfrange could span
// 2^32 codes).
const maxCMapEntries = 1 << 16

var (
	bfcharBlock  = regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`)
	bfrangeBlock = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
	hexToken     = regexp.MustCompile(`<([0-9A-Fa-f\s]*)>|\[([^\]]*)\]`)
)

// parseToUnicode reads the bfchar and bfrange entries of a ToUnicode CMap.
func parseToUnicode(cmap []byte) map[uint32]string {
	m := map[uint32]string{}
	for _, blk := range bfcharBlock.FindAllSubmatch(cmap, -1) {
		toks := hexToken.FindAllSubmatch(blk[1], -1)
		for k := 0; k+1 < len(toks) && len(m) < maxCMapEntries; k += 2 {
			m[hexCode(toks[k][1])] = utf16Text(toks[k+1][1])
		}
	}
	for _, blk := range bfrangeBlock.FindAllSubmatch(cmap, -1) {
		toks := hexToken.FindAllSubmatch(blk[1], -1)
		for k := 0; k+2 < len(toks); k += 3 {
			lo, hi := hexCode(toks[k][1]), hexCode(toks[k+1][1])
			if hi < lo || hi-lo > maxCMapEntries || len(m) >= maxCMapEntries {
				continue
			}
			if toks[k+2][2] != nil { // an array of destinations
				dsts := hexToken.FindAllSubmatch(toks[k+2][2], -1)
				for n, dst := range dsts {
					if uint32(n) > hi-lo {
						break
					}
					m[lo+uint32(n)] = utf16Text(dst[1])
				}
				continue
			}
			base := []rune(utf16Text(toks[k+2][1]))
			if len(base) == 0 {
				continue
			}
			for c := lo; c <= hi; c++ {
				r := append([]rune{}, base...)
				r[len(r)-1] += rune(c - lo)
				m[c] = string(r)
			}
		}
	}
	return m
}

// hexCode is the value of hex digits (at most 4 bytes).
func hexCode(h []byte) uint32 {
	h = bytes.Join(bytes.Fields(h), nil)
	if len(h) > 8 {
		h = h[len(h)-8:]
	}
	v, _ := strconv.ParseUint(string(h), 16, 32)
	return uint32(v)
}

// utf16Text decodes hex digits of UTF-16BE.
func utf16Text(h []byte) string {
	h = bytes.Join(bytes.Fields(h), nil)
	var units []uint16
	for k := 0; k+4 <= len(h); k += 4 {
		v, err := strconv.ParseUint(string(h[k:k+4]), 16, 16)
		if err != nil {
			break
		}
		units = append(units, uint16(v))
	}
	return string(utf16.Decode(units))
}
