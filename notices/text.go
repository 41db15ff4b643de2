package notices

import (
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// winAnsi encodes s in WinAnsiEncoding (Windows-1252), the encoding of the
// standard PDF fonts. All Estonian letters (õ ä ö ü š ž Õ Ä Ö Ü Š Ž) are in
// it. A letter outside it is written without its diacritics where that
// gives a WinAnsi letter (ł is not, ą → a, ē → e), other characters as "?".
// Control characters become spaces.
func winAnsi(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < 0x20 || r == 0x7F {
			b.WriteByte(' ')
			continue
		}
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteByte(c)
			continue
		}
		b.WriteByte(fallback(r))
	}
	return b.String()
}

// substitutes are WinAnsi stand-ins for common characters outside it.
var substitutes = map[rune]byte{
	'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'ø': 0xF8, 'ı': 'i',
	'‐': '-', '‑': '-', '‒': 0x96, '−': '-', '\u00A0': ' ', '\u2009': ' ', '\u202F': ' ',
	'→': '>', '←': '<', '≤': '<', '≥': '>', '″': '"', '′': '\'',
}

func fallback(r rune) byte {
	if c, ok := substitutes[r]; ok {
		return c
	}
	// Decompose and keep the base letter if WinAnsi has it.
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if c, ok := charmap.Windows1252.EncodeRune(d); ok && d >= 0x20 {
			return c
		}
		break
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	return '?'
}

// pdfString writes the WinAnsi bytes s as a PDF literal string, with
// non-ASCII bytes as octal escapes so that the content stream is ASCII.
func pdfString(b *strings.Builder, s string) {
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '(' || c == ')':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7F:
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + (c>>3)&7)
			b.WriteByte('0' + c&7)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
}

// redactedCode replaces a personal code found in free text.
const redactedCode = "[isikukood]"

// redact replaces everything in s that looks like an Estonian personal
// code (a run of exactly eleven digits GYYMMDDSSSC with G 1–6 and a
// plausible month and day, check digit right or wrong) by "[isikukood]".
// Notices name no certificate holder; the free texts they carry (deficiency
// messages, reasons, titles) are written by people and other programs, and
// a deficiency message about a wrong personal code is just where one would
// slip in.
func redact(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 11 && looksLikePersonalCode(s[i:j]) {
			b.WriteString(s[last:i])
			b.WriteString(redactedCode)
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// looksLikePersonalCode reports whether the eleven digits code have the
// shape of a personal code: a month 01–12 and a day 01–31.
func looksLikePersonalCode(code string) bool {
	month := int(code[3]-'0')*10 + int(code[4]-'0')
	day := int(code[5]-'0')*10 + int(code[6]-'0')
	return code[0] >= '1' && code[0] <= '6' && month >= 1 && month <= 12 && day >= 1 && day <= 31
}

// clean prepares a free text for a letter or an e-mail: personal codes
// redacted, runs of white space (newlines included) collapsed.
func clean(s string) string {
	return strings.Join(strings.Fields(redact(s)), " ")
}
