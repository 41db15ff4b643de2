package notices

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Message is an e-mail carrying a notice: what Mailer.Send sends.
type Message struct {
	// To is the recipient's address.
	To string
	// Subject and Body are the e-mail's subject and plain-text body.
	Subject string
	Body    string
	// Attachment is the notice's PDF.
	Attachment Attachment
	// MessageID is the Message-ID without angle brackets. It is derived
	// from the notice and its PDF, so that a resent notice is recognisable
	// as the same message.
	MessageID string
}

// Attachment is a file attached to a Message.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Mail returns the e-mail that sends the notice n with its rendered pdf to
// the addressee's e-mail address. Subject and body are in Estonian with a
// short English line; they name the submission and the base document, and
// no person.
func (r *Renderer) Mail(n Notice, pdf []byte) (Message, error) {
	if n == nil {
		return Message{}, fmt.Errorf("compose mail: %w: nil", ErrInvalidNotice)
	}
	if err := n.Validate(); err != nil {
		return Message{}, fmt.Errorf("compose mail: %w", err)
	}
	h := n.Common()
	to := strings.TrimSpace(h.Addressee.Email)
	if to == "" {
		return Message{}, fmt.Errorf("compose mail: %w: %s: missing addressee.email", ErrInvalidNotice, n.Kind())
	}
	if len(pdf) == 0 {
		return Message{}, fmt.Errorf("compose mail: empty pdf")
	}
	ref := h.ref()
	doc := baseDocumentLine(h.BaseDocument, r.date)
	var b strings.Builder
	b.WriteString("Lugupeetud andmete esitaja\n\n")
	fmt.Fprintf(&b, "Manuses on kutseregistri teade „%s“ (PDF-fail).\n\n", subject(n.Kind()))
	fmt.Fprintf(&b, "Meie viide: %s\n", ref)
	fmt.Fprintf(&b, "Alusdokument: %s\n", doc)
	fmt.Fprintf(&b, "Teate kuupäev: %s\n", r.date(h.Date))
	if line := r.mailSummary(n); line != "" {
		b.WriteString(line + "\n")
	}
	mailDetails(&b, n)
	b.WriteString("\nLugupidamisega\n")
	if c := clean(h.Clerk); c != "" {
		b.WriteString(c + "\n")
	}
	b.WriteString(r.sender.Unit + "\n" + r.sender.Name + "\n\n")
	fmt.Fprintf(&b, "In English: %s (reference %s) from the Estonian Register of Occupational Qualifications is attached as a PDF.\n",
		subjectEN(n.Kind()), ref)

	sum := sha256.Sum256(pdf)
	return Message{
		To:      to,
		Subject: fmt.Sprintf("%s: %s (viide %s)", r.sender.Unit, subject(n.Kind()), ref),
		Body:    b.String(),
		Attachment: Attachment{
			Name:        attachmentName(n.Kind(), ref),
			ContentType: "application/pdf",
			Data:        pdf,
		},
		MessageID: fmt.Sprintf("%s.%s.%s@alusdok", n.Kind(), fileSafe(ref), hex.EncodeToString(sum[:8])),
	}, nil
}

// mailSummary is the one line of the notice that the e-mail repeats.
func (r *Renderer) mailSummary(n Notice) string {
	switch n := n.(type) {
	case CorrectionRequest:
		return fmt.Sprintf("Parandatud dokumendid palume esitada hiljemalt %s.", r.date(n.Limit))
	case Extension:
		return fmt.Sprintf("Andmete kandmise uus tähtaeg: %s.", r.date(n.NewDeadline))
	case Entry:
		return fmt.Sprintf("Andmed kanti kutseregistrisse %s.", r.date(n.EnteredAt))
	case Refusal:
		return "Andmete kutseregistrisse kandmisest keelduti; põhjused on teates."
	}
	return ""
}

// attachmentName is an ASCII file name: "kutseregister-entry-SUB-1.pdf".
func attachmentName(k Kind, ref string) string {
	return "kutseregister-" + string(k) + "-" + fileSafe(ref) + ".pdf"
}

// fileSafe keeps letters, digits, '-' and '_' of ASCII s, and turns
// anything else into '_'.
func fileSafe(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

// mailListLimit bounds the deficiencies an e-mail lists; the letter lists
// them all.
const mailListLimit = 50

// mailDetails writes the letter's substance into the e-mail in the same
// words: the deficiencies (where and what), the reasons of a refusal or
// an extension, the number of entries made.
func mailDetails(b *strings.Builder, n Notice) {
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(b, "\n%s:\n", title)
		for i, it := range items {
			if i == mailListLimit {
				fmt.Fprintf(b, "… ja veel %d (kõik on PDF-failis).\n", len(items)-mailListLimit)
				break
			}
			fmt.Fprintf(b, "%d. %s\n", i+1, it)
		}
	}
	defs := func(l deficiency.List) []string {
		var out []string
		for _, d := range describe(l) {
			out = append(out, d.where+" – "+d.what)
		}
		return out
	}
	switch n := n.(type) {
	case CorrectionRequest:
		list(fmt.Sprintf("Puudused (%d)", len(n.Deficiencies)), defs(n.Deficiencies))
	case Extension:
		fmt.Fprintf(b, "\nPikendamise põhjus: %s\n", clean(n.Reason))
	case Entry:
		fmt.Fprintf(b, "Tehtud kandeid: %d.\n", len(n.Records))
	case Refusal:
		var reasons []string
		for _, r := range n.Reasons {
			if r = clean(r); r != "" {
				reasons = append(reasons, r)
			}
		}
		list("Keeldumise põhjused", reasons)
		list(fmt.Sprintf("Puudused (%d)", len(n.Deficiencies)), defs(n.Deficiencies))
	}
}
