package notices

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// safe prepares the UTF-8 text s for the letter's fonts: a character the
// fonts have stays as it is (every Estonian letter does); another letter
// is written without its diacritics where the fonts have the base letter,
// anything else as "?". Control characters become spaces. The letter
// never draws a missing glyph, which PDF/A forbids.
func (m *metrics) safe(s string) string {
	ok := true
	for _, r := range s {
		if !m.has(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7F:
			b.WriteByte(' ')
		case m.has(r):
			b.WriteRune(r)
		default:
			b.WriteRune(m.fallback(r))
		}
	}
	return b.String()
}

// substitutes are stand-ins for common characters the fonts lack.
var substitutes = map[rune]rune{
	'\u00A0': ' ', '\u2009': ' ', '\u202F': ' ',
}

func (m *metrics) fallback(r rune) rune {
	if c, ok := substitutes[r]; ok {
		return c
	}
	// Decompose and keep the base letter if the fonts have it.
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if m.has(d) && d >= 0x20 {
			return d
		}
		break
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	return '?'
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
