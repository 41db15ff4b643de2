package audit

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Actions the procedure logs. Callers may log others; these are the names
// the workflows use.
const (
	ActionReceived             = "received"
	ActionValidated            = "validated"
	ActionCorrectionsRequested = "corrections requested"
	ActionEntered              = "entered"
	ActionRefused              = "refused"
)

// ActorSystem is the Actor of steps no person took.
const ActorSystem = "system"

// Entry is one step of the procedure in the processing log (R17).
//
// The caller fills in what happened; Append fills in Seq, PrevHash and Hash,
// and Time when it is zero.
type Entry struct {
	// Seq is the entry's place in the log, from 1, without gaps.
	Seq int64 `bson:"seq" json:"seq"`
	// Key makes Append idempotent: a retry with the same key writes
	// nothing. Callers use the submission ID and the step, e.g. "S-1/3".
	Key string `bson:"key" json:"key"`
	// Time is when the step happened, in UTC, to the millisecond.
	Time time.Time `bson:"time" json:"time"`

	// SubmissionID is the submission the step belongs to.
	SubmissionID string `bson:"submissionId" json:"submissionId"`
	// SubmitterName is who submitted the base document (R17).
	SubmitterName string `bson:"submitterName" json:"submitterName"`
	// DocumentKind is the base document's kind ("committee-decision") and
	// DocumentKindName its human name (R17: the document's name).
	DocumentKind     string `bson:"documentKind" json:"documentKind"`
	DocumentKindName string `bson:"documentKindName" json:"documentKindName"`
	// DocumentNumber and DocumentDate (YYYY-MM-DD) are the base document's
	// number and date (R17).
	DocumentNumber string `bson:"documentNumber" json:"documentNumber"`
	DocumentDate   string `bson:"documentDate" json:"documentDate"`

	// Actor is the clerk who took the step, or ActorSystem (R17).
	Actor string `bson:"actor" json:"actor"`
	// Action is what was done: "received", "entered", "refused", ….
	Action string `bson:"action" json:"action"`
	// Detail is free text. It must not contain personal codes.
	Detail string `bson:"detail" json:"detail"`
	// Subjects are the caller's keys of the persons the step concerns
	// (hashes of their personal codes, never the codes), so that a person
	// can be shown the entries about them (R16.3).
	Subjects []string `bson:"subjects,omitempty" json:"subjects,omitempty"`

	// PrevHash is the Hash of entry Seq-1, or GenesisHash for entry 1.
	PrevHash string `bson:"prevHash" json:"prevHash"`
	// Hash is the hex SHA-256 of Canonical(entry).
	Hash string `bson:"hash" json:"hash"`
}

// ErrInvalid says an entry cannot be logged as given; retrying will not help.
var ErrInvalid = errors.New("invalid processing log entry")

// validate checks what the caller gave.
func (e Entry) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if e.Key == "" {
		return bad("no key")
	}
	if e.Actor == "" {
		return bad("no actor")
	}
	if e.Action == "" {
		return bad("no action")
	}
	if e.DocumentDate != "" {
		if _, err := time.Parse(time.DateOnly, e.DocumentDate); err != nil {
			return bad("document date %q is not YYYY-MM-DD", e.DocumentDate)
		}
	}
	for _, f := range []struct{ name, value string }{
		{"key", e.Key}, {"submission ID", e.SubmissionID}, {"submitter name", e.SubmitterName},
		{"document kind", e.DocumentKind}, {"document kind name", e.DocumentKindName},
		{"document number", e.DocumentNumber}, {"actor", e.Actor}, {"action", e.Action}, {"detail", e.Detail},
	} {
		if !storable(f.value) {
			return bad("%s is not valid UTF-8 text", f.name)
		}
	}
	for i, s := range e.Subjects {
		if s == "" || !storable(s) {
			return bad("subject %d is empty or not valid UTF-8 text", i)
		}
		if looksLikePersonalCode(s) {
			return bad("subject %d looks like a raw personal code; pass its key", i)
		}
	}
	return nil
}

// storable reports whether s survives a round trip through BSON and
// FerretDB's SQLite JSON unchanged, so that its hash still matches.
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// looksLikePersonalCode reports whether s is eleven digits, the shape of an
// Estonian personal code.
func looksLikePersonalCode(s string) bool {
	if len(s) != 11 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
