package documents

import (
	"strconv"
	"strings"

	"github.com/kutsekoda/alusdok/deficiency"
)

// maxDepth is the nesting limit, the same as encoding/json's.
const maxDepth = 10000

// scanner walks JSON text against a schema, reporting every deviation with
// its path. It validates the JSON grammar itself (RFC 8259, as
// encoding/json accepts it) so that it can point at the offending byte;
// only a document it finds clean is handed to encoding/json.
type scanner struct {
	data  []byte
	pos   int
	depth int
	path  []pathSeg
	defs  *deficiency.List
	limit int
	// stop is set by a syntax error or when limit deficiencies were found;
	// the walk then unwinds without reading further.
	stop bool
}

// pathSeg is one step of a JSON path: an object field or an array index.
type pathSeg struct {
	name  string
	index int
}

// pathString renders the current path as payload.certificates[3].level.
func (s *scanner) pathString(extra string) string {
	var b strings.Builder
	for _, seg := range s.path {
		if seg.name == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(seg.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg.name)
	}
	if extra != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(extra)
	}
	return b.String()
}

func (s *scanner) report(field string, code deficiency.Code, args ...arg) {
	if s.stop {
		return
	}
	if len(*s.defs) >= s.limit {
		report(s.defs, "", CodeDeficienciesTruncated, param("max", strconv.Itoa(s.limit)))
		s.stop = true
		return
	}
	report(s.defs, field, code, args...)
}

func (s *scanner) syntaxError() {
	s.report("", CodeJSONSyntax, param("offset", strconv.Itoa(s.pos)))
	s.stop = true
}

// document walks the whole input: one value and nothing but whitespace
// after it.
func (s *scanner) document() {
	s.value(docSchema)
	if s.stop {
		return
	}
	s.skipSpace()
	if s.pos != len(s.data) {
		s.syntaxError()
	}
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value walks one JSON value expected to have shape n; n == nil means any
// value is acceptable (it is being skipped).
func (s *scanner) value(n *schemaNode) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		s.syntaxError()
		return
	}
	start := s.pos
	switch c := s.data[s.pos]; {
	case c == '{':
		if n != nil && n.kind != nodeObject {
			s.typeError(n)
			n = nil
		}
		s.object(n)
	case c == '[':
		if n != nil && n.kind != nodeArray {
			s.typeError(n)
			n = nil
		}
		s.array(n)
	case c == '"':
		raw, escaped, ok := s.str()
		if !ok || n == nil {
			return
		}
		switch n.kind {
		case nodeString:
		case nodeDate:
			text := string(raw)
			if escaped {
				text = unescape(s.data[start:s.pos])
			}
			if _, err := ParseDate(text); err != nil {
				s.report(s.pathString(""), CodeDateFormat)
			}
		default:
			s.typeError(n)
		}
	case c == '-' || (c >= '0' && c <= '9'):
		raw, ok := s.number()
		if !ok || n == nil {
			return
		}
		if n.kind != nodeInt {
			s.typeError(n)
			return
		}
		v, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || v < n.min || v > n.max {
			s.typeError(n)
		}
	case c == 't':
		if s.literal("true") && n != nil && n.kind != nodeBool {
			s.typeError(n)
		}
	case c == 'f':
		if s.literal("false") && n != nil && n.kind != nodeBool {
			s.typeError(n)
		}
	case c == 'n':
		s.literal("null") // null is acceptable for every shape
	default:
		s.syntaxError()
	}
}

func (s *scanner) typeError(n *schemaNode) {
	et, en := n.kind.expected()
	s.report(s.pathString(""), CodeJSONType, param2("expected", et, en))
}

func (s *scanner) enter() bool {
	s.depth++
	if s.depth > maxDepth {
		s.syntaxError()
		return false
	}
	return true
}

// object walks {…} at s.pos; n is the object's schema or nil.
func (s *scanner) object(n *schemaNode) {
	if !s.enter() {
		return
	}
	defer func() { s.depth-- }()
	s.pos++ // '{'
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return
	}
	var seen uint64
	for !s.stop {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			s.syntaxError()
			return
		}
		keyStart := s.pos
		raw, escaped, ok := s.str()
		if !ok {
			return
		}
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			s.syntaxError()
			return
		}
		s.pos++
		var child *schemaNode
		if n != nil {
			key := string(raw)
			if escaped {
				key = unescape(s.data[keyStart:s.pos])
			}
			child = s.field(n, key, &seen)
		}
		s.value(child)
		if child != nil {
			s.path = s.path[:len(s.path)-1]
		}
		if s.stop {
			return
		}
		s.skipSpace()
		if s.pos >= len(s.data) {
			s.syntaxError()
			return
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return
		default:
			s.syntaxError()
			return
		}
	}
}

// field resolves key in object schema n. It returns the field's schema,
// with the field pushed onto the path, or nil (after reporting) when the
// value is to be skipped.
func (s *scanner) field(n *schemaNode, key string, seen *uint64) *schemaNode {
	f, ok := n.fields[key]
	if !ok {
		if name, ok := n.folded[strings.ToLower(key)]; ok {
			s.report(s.pathString(name), CodeJSONFieldCase, param("name", name))
		} else {
			s.report(s.pathString(safeKey(key)), CodeJSONUnknownField)
		}
		return nil
	}
	if f.registerOnly {
		s.report(s.pathString(f.name), CodeRegisterOnly)
		return nil
	}
	if *seen&f.bit != 0 {
		s.report(s.pathString(f.name), CodeJSONDuplicate)
		return nil
	}
	*seen |= f.bit
	s.path = append(s.path, pathSeg{name: f.name})
	return f.node
}

// array walks […] at s.pos; n is the array's schema or nil.
func (s *scanner) array(n *schemaNode) {
	if !s.enter() {
		return
	}
	defer func() { s.depth-- }()
	s.pos++ // '['
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return
	}
	var elem *schemaNode
	if n != nil {
		elem = n.elem
	}
	for i := 0; !s.stop; i++ {
		if elem != nil {
			s.path = append(s.path, pathSeg{index: i})
		}
		s.value(elem)
		if elem != nil {
			s.path = s.path[:len(s.path)-1]
		}
		if s.stop {
			return
		}
		s.skipSpace()
		if s.pos >= len(s.data) {
			s.syntaxError()
			return
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return
		default:
			s.syntaxError()
			return
		}
	}
}
