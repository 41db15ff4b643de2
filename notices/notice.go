package notices

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Kind names one of the four written notices.
type Kind string

// The four written notices of the procedure.
const (
	KindCorrectionRequest Kind = "correction-request" // R12.2
	KindExtension         Kind = "extension"          // R12.3
	KindEntry             Kind = "entry"              // R12.4, entered
	KindRefusal           Kind = "refusal"            // R12.4, refused
)

// Notice is one of CorrectionRequest, Extension, Entry and Refusal.
type Notice interface {
	// Kind tells which notice this is.
	Kind() Kind
	// Common returns the parts every notice has.
	Common() Header
	// Validate reports what is missing for the notice to be sent.
	Validate() error

	// body writes the notice's own part of the letter.
	body(w *letterWriter)
}

// Header is what every notice carries: who it goes to, what it is about,
// when it is dated and who signs it. A notice names no personal code,
// birth date or certificate holder; personal codes found in any free text
// are replaced by "[isikukood]".
type Header struct {
	// SubmissionID is alusdok's id of the submission.
	SubmissionID string `json:"submissionId"`
	// Reference is the letter's number, the register's human reference of
	// the submission ("KR-2027/000042"): "Meie viide". Empty: the
	// submission id.
	Reference string `json:"reference,omitempty"`
	// Date is the date of the letter. It is also the PDF's creation date, so
	// that the same notice always gives the same bytes.
	Date time.Time `json:"date"`
	// Addressee is the submitter.
	Addressee Addressee `json:"addressee"`
	// BaseDocument is the document the submission carried.
	BaseDocument BaseDocument `json:"baseDocument"`
	// Clerk is the name of the clerk who signs; empty for a notice signed
	// by the register ("Kutseregister").
	Clerk string `json:"clerk,omitempty"`
}

// Addressee is the submitting organisation.
type Addressee struct {
	// Organisation is the submitter's name, e.g. "Eesti Kutseõppe Keskus".
	Organisation string `json:"organisation"`
	// RegistryCode is the business register code, if any.
	RegistryCode string `json:"registryCode,omitempty"`
	// Contact is the contact person or unit, if any.
	Contact string `json:"contact,omitempty"`
	// Address are postal address lines, if any.
	Address []string `json:"address,omitempty"`
	// Email is where the notice is sent.
	Email string `json:"email"`
}

// BaseDocument identifies the base document (alusdokument).
type BaseDocument struct {
	// Kind is one of the seven kinds of SPEC R10 ("committee-decision");
	// letters name it in Estonian. Any other text is printed as it is.
	Kind string `json:"kind"`
	// Number is the document's own number.
	Number string `json:"number"`
	// Date is the date of the decision, order or directive.
	Date time.Time `json:"date"`
	// Title is the document's title, if any.
	Title string `json:"title,omitempty"`
}

// CorrectionRequest asks the submitter to correct deficient data (R12.2).
type CorrectionRequest struct {
	Header
	// Deficiencies are what is wrong, in the order found.
	Deficiencies deficiency.List `json:"deficiencies"`
	// Limit is the last day for submitting corrected documents.
	Limit time.Time `json:"limit"`
}

// Extension tells the submitter that the entry deadline is extended (R12.3).
type Extension struct {
	Header
	// PreviousDeadline is the deadline before this extension, if known.
	PreviousDeadline time.Time `json:"previousDeadline,omitzero"`
	// NewDeadline is the extended deadline.
	NewDeadline time.Time `json:"newDeadline"`
	// Reason says why the deadline is extended.
	Reason string `json:"reason"`
	// TotalWorkingDays is the extension in working days, all extensions
	// together (at most 20 by R12.3); zero leaves it out of the letter.
	TotalWorkingDays int `json:"totalWorkingDays,omitempty"`
}

// Entry tells the submitter that the data was entered (R12.4).
type Entry struct {
	Header
	// EnteredAt is when the data was entered.
	EnteredAt time.Time `json:"enteredAt"`
	// Records are the register entries made, in order.
	Records []EnteredRecord `json:"records"`
}

// EnteredRecord is one register entry made from the base document. It
// names the record by its own number (a certificate number, a standard's
// registry mark), never by a person.
type EnteredRecord struct {
	// EntryNumber is the register's entry number, e.g. "KR-2027-000123".
	EntryNumber string `json:"entryNumber"`
	// Kind is what was entered, in Estonian: "kutsetunnistus",
	// "kutsestandard", "kutse andja", ...
	Kind string `json:"kind"`
	// Identifier is the record's own id: certificate number, registry mark.
	Identifier string `json:"identifier,omitempty"`
}

// Refusal tells the submitter that entry was refused, with the reasons
// (R12.4).
type Refusal struct {
	Header
	// Reasons are the reasons of the refusal; at least one is required.
	Reasons []string `json:"reasons"`
	// Deficiencies are the deficiencies behind the refusal, if any.
	Deficiencies deficiency.List `json:"deficiencies,omitempty"`
}

// ErrInvalidNotice is wrapped by every Validate error, so that a caller
// can tell bad input (not worth retrying) from a failure to render.
var ErrInvalidNotice = errors.New("invalid notice")

// Kind implements Notice.
func (CorrectionRequest) Kind() Kind { return KindCorrectionRequest }

// Kind implements Notice.
func (Extension) Kind() Kind { return KindExtension }

// Kind implements Notice.
func (Entry) Kind() Kind { return KindEntry }

// Kind implements Notice.
func (Refusal) Kind() Kind { return KindRefusal }

// Common implements Notice.
func (h Header) Common() Header { return h }

// ref is the letter's reference: Reference, else SubmissionID.
func (h Header) ref() string {
	if r := clean(h.Reference); r != "" {
		return r
	}
	return clean(h.SubmissionID)
}

// validate checks the parts every notice must have.
func (h Header) validate() []string {
	var missing []string
	check := func(empty bool, what string) {
		if empty {
			missing = append(missing, what)
		}
	}
	check(strings.TrimSpace(h.SubmissionID) == "", "submissionId")
	check(h.Date.IsZero(), "date")
	check(strings.TrimSpace(h.Addressee.Organisation) == "", "addressee.organisation")
	check(strings.TrimSpace(h.BaseDocument.Kind) == "", "baseDocument.kind")
	check(strings.TrimSpace(h.BaseDocument.Number) == "", "baseDocument.number")
	check(h.BaseDocument.Date.IsZero(), "baseDocument.date")
	return missing
}

func invalid(k Kind, missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s: missing %s", ErrInvalidNotice, k, strings.Join(missing, ", "))
}

// Validate implements Notice.
func (n CorrectionRequest) Validate() error {
	missing := n.validate()
	if len(n.Deficiencies) == 0 {
		missing = append(missing, "deficiencies")
	}
	if n.Limit.IsZero() {
		missing = append(missing, "limit")
	}
	return invalid(n.Kind(), missing)
}

// Validate implements Notice.
func (n Extension) Validate() error {
	missing := n.validate()
	if n.NewDeadline.IsZero() {
		missing = append(missing, "newDeadline")
	}
	if strings.TrimSpace(n.Reason) == "" {
		missing = append(missing, "reason")
	}
	if err := invalid(n.Kind(), missing); err != nil {
		return err
	}
	if n.TotalWorkingDays < 0 {
		return fmt.Errorf("%w: extension: negative totalWorkingDays %d", ErrInvalidNotice, n.TotalWorkingDays)
	}
	return nil
}

// Validate implements Notice.
func (n Entry) Validate() error {
	missing := n.validate()
	if n.EnteredAt.IsZero() {
		missing = append(missing, "enteredAt")
	}
	if len(n.Records) == 0 {
		missing = append(missing, "records")
	}
	for i, r := range n.Records {
		if strings.TrimSpace(r.EntryNumber) == "" {
			missing = append(missing, fmt.Sprintf("records[%d].entryNumber", i))
		}
	}
	return invalid(n.Kind(), missing)
}

// Validate implements Notice: a refusal must give its reasons (R12.4).
func (n Refusal) Validate() error {
	missing := n.validate()
	reasons := 0
	for _, r := range n.Reasons {
		if strings.TrimSpace(r) != "" {
			reasons++
		}
	}
	if reasons == 0 {
		missing = append(missing, "reasons")
	}
	return invalid(n.Kind(), missing)
}
