package documents

import (
	"bytes"
	"encoding/json"
)

// The lexical level of the scanner: strings, numbers and literals as
// RFC 8259 and encoding/json define them.

// str scans a string at s.pos and returns its raw content (between the
// quotes) and whether it contains escapes.
func (s *scanner) str() (raw []byte, escaped, ok bool) {
	s.pos++ // opening quote
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			raw = s.data[start:s.pos]
			s.pos++
			return raw, escaped, true
		case c < 0x20:
			s.syntaxError()
			return nil, false, false
		case c == '\\':
			escaped = true
			s.pos++
			if s.pos >= len(s.data) {
				s.syntaxError()
				return nil, false, false
			}
			switch s.data[s.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				s.pos++
				for k := 0; k < 4; k++ {
					if s.pos >= len(s.data) || !isHex(s.data[s.pos]) {
						s.syntaxError()
						return nil, false, false
					}
					s.pos++
				}
			default:
				s.syntaxError()
				return nil, false, false
			}
		default:
			s.pos++
		}
	}
	s.syntaxError()
	return nil, false, false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// number scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at s.pos.
func (s *scanner) number() ([]byte, bool) {
	start := s.pos
	if s.data[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.data) && s.data[s.pos] == '0':
		s.pos++
	case s.pos < len(s.data) && s.data[s.pos] >= '1' && s.data[s.pos] <= '9':
		s.digits()
	default:
		s.syntaxError()
		return nil, false
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			s.syntaxError()
			return nil, false
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			s.syntaxError()
			return nil, false
		}
	}
	return s.data[start:s.pos], true
}

func (s *scanner) digits() int {
	start := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos - start
}

// literal scans true, false or null.
func (s *scanner) literal(word string) bool {
	if !bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		s.syntaxError()
		return false
	}
	s.pos += len(word)
	return true
}

// unescape decodes a quoted JSON string the scanner has already validated.
func unescape(quoted []byte) string {
	var v string
	if err := json.Unmarshal(quoted, &v); err != nil {
		return ""
	}
	return v
}

// safeKey renders an unknown key for a field path. Keys are submitted text
// and could carry personal data, so only identifier-like keys without long
// digit runs are shown; anything else becomes "*".
func safeKey(k string) string {
	if len(k) == 0 || len(k) > 64 {
		return "*"
	}
	run := 0
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= '0' && c <= '9':
			if i == 0 {
				return "*"
			}
			run++
			if run >= 4 {
				return "*"
			}
			continue
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c == '-' && i > 0):
		default:
			return "*"
		}
		run = 0
	}
	return k
}
