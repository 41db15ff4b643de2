package notices

import (
	_ "embed"
	"fmt"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The letters' fonts, DejaVu Sans and DejaVu Sans Bold 2.37 (Bitstream
// Vera licence, fonts/LICENSE-DejaVu.txt), are compiled in and embedded
// as subsets in every letter, so that the letter looks the same in every
// reader and is fit for archiving (PDF/A). They cover every Estonian
// letter (õ ä ö ü š ž Õ Ä Ö Ü Š Ž) and the rest of Latin, Cyrillic and
// Greek.
//
// The files are the DejaVu fonts cut down to coveredRanges (the licence
// allows modified copies under a name without "Bitstream" or "Vera"), with
// fonttools (Debian's fonttools package):
//
//	pyftsubset DejaVuSans.ttf --unicodes=U+0020-007E,U+00A0-024F,U+0370-03FF,U+0400-04FF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2200-22FF \
//	    --layout-features='*' --glyph-names --notdef-outline --name-IDs='*' --name-languages='*'
//
// fpdf parses the whole font and measures every glyph of it for each
// letter it renders: the full fonts (6,253 glyphs, 760 KB) cost 25 ms a
// letter, the cut ones (1,607 glyphs, 205 KB) 9 ms, with the same text.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
	// srgbProfile is the ICC's sRGB profile (sRGB2014.icc, free to
	// embed: fonts/LICENSE-sRGB2014.txt), the letters' PDF/A output intent.
	//go:embed fonts/sRGB2014.icc
	srgbProfile []byte
)

// fontFamily is the family name the fonts are registered under in fpdf.
const fontFamily = "DejaVuSans"

// fontID is one of the two fonts the letters use.
type fontID int

const (
	regular fontID = iota
	bold
)

// style is fpdf's style string of the font.
func (f fontID) style() string {
	if f == bold {
		return "B"
	}
	return ""
}

// coveredRanges are the Unicode blocks whose characters a letter may
// show as they are, where both fonts have them: Latin, Greek, Cyrillic,
// punctuation, currency, letterlike symbols, arrows and mathematical
// operators. Anything else is replaced (see fontSafe).
var coveredRanges = [][2]rune{
	{0x20, 0x7E}, {0xA0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF},
	{0x2000, 0x206F}, {0x20A0, 0x20CF}, {0x2100, 0x214F}, {0x2190, 0x21FF}, {0x2200, 0x22FF},
}

// metrics holds the advance widths of the runes both fonts have, in
// thousandths of the font size, rounded as fpdf rounds the widths it
// writes into the PDF, so that measured and drawn text agree.
type metrics struct {
	widths [2]map[rune]int
}

func loadMetrics() (*metrics, error) {
	var m metrics
	for _, f := range []fontID{regular, bold} {
		data := fontRegular
		if f == bold {
			data = fontBold
		}
		w, err := advanceWidths(data)
		if err != nil {
			return nil, fmt.Errorf("font %s%s: %w", fontFamily, f.style(), err)
		}
		m.widths[f] = w
	}
	// Keep only what both fonts have, so that a text may change weight.
	for r := range m.widths[regular] {
		if _, ok := m.widths[bold][r]; !ok {
			delete(m.widths[regular], r)
		}
	}
	for r := range m.widths[bold] {
		if _, ok := m.widths[regular][r]; !ok {
			delete(m.widths[bold], r)
		}
	}
	for _, r := range "õäöüšžÕÄÖÜŠŽ„“–—…€" {
		if _, ok := m.widths[regular][r]; !ok {
			return nil, fmt.Errorf("font %s lacks %q", fontFamily, r)
		}
	}
	return &m, nil
}

// advanceWidths reads the advance width of every covered rune the font
// has a glyph for.
func advanceWidths(data []byte) (map[rune]int, error) {
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil, err
	}
	upem := float64(f.UnitsPerEm())
	ppem := fixed.Int26_6(f.UnitsPerEm()) << 6
	var buf sfnt.Buffer
	widths := map[rune]int{}
	for _, rg := range coveredRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			gi, err := f.GlyphIndex(&buf, r)
			if err != nil || gi == 0 {
				continue
			}
			adv, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
			if err != nil {
				return nil, fmt.Errorf("advance of %q: %w", r, err)
			}
			widths[r] = int(math.Round(float64(adv) / 64 * 1000 / upem))
		}
	}
	return widths, nil
}

// has reports whether the fonts have a glyph for r.
func (m *metrics) has(r rune) bool {
	_, ok := m.widths[regular][r]
	return ok
}
