// Package deficiency is the shape in which alusdok tells a submitter what is
// wrong with a base document: a list of {field, code, message}, the field a
// JSON path such as payload.certificates[3].personalCode, the code stable and
// documented, the message in Estonian and English. It mirrors the register's
// own X-Road error list (viga {element, id, teade}).
package deficiency

import (
	"fmt"
	"strings"
)

// Severity tells an error (the document cannot be entered as it is) from a
// warning (shown to the clerk, does not block entry).
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Code is a stable, documented identifier of one rule. Codes never change
// meaning once published; see the table in README.md.
type Code string

// Message is a text in the register's two languages.
type Message struct {
	ET string `json:"et" bson:"et"`
	EN string `json:"en" bson:"en"`
}

// Deficiency is one thing wrong with a base document.
type Deficiency struct {
	Field    string   `json:"field" bson:"field"`
	Code     Code     `json:"code" bson:"code"`
	Severity Severity `json:"severity" bson:"severity"`
	Message  Message  `json:"message" bson:"message"`
}

func (d Deficiency) String() string {
	return fmt.Sprintf("%s: %s (%s)", d.Field, d.Code, d.Message.EN)
}

// List is an ordered list of deficiencies.
type List []Deficiency

// Add appends an error.
func (l *List) Add(field string, code Code, et, en string) {
	*l = append(*l, Deficiency{Field: field, Code: code, Severity: Error, Message: Message{ET: et, EN: en}})
}

// Warn appends a warning.
func (l *List) Warn(field string, code Code, et, en string) {
	*l = append(*l, Deficiency{Field: field, Code: code, Severity: Warning, Message: Message{ET: et, EN: en}})
}

// HasErrors reports whether any entry is an error (not a warning).
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (l List) Errors() List { return l.filter(Error) }

// Warnings returns only the warnings.
func (l List) Warnings() List { return l.filter(Warning) }

func (l List) filter(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Prefix returns a copy of l with every field path prefixed by p
// ("payload" + "certificates[3].number" → "payload.certificates[3].number").
func (l List) Prefix(p string) List {
	out := make(List, len(l))
	for i, d := range l {
		switch {
		case d.Field == "":
			d.Field = p
		case strings.HasPrefix(d.Field, "["):
			d.Field = p + d.Field
		default:
			d.Field = p + "." + d.Field
		}
		out[i] = d
	}
	return out
}

// Error makes a List usable as an error value where a caller needs one.
func (l List) Error() string {
	parts := make([]string, len(l))
	for i, d := range l {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}
