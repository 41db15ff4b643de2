package notices

import (
	"fmt"
	"strings"
	"time"
	// The zone database is compiled in: dates are Tallinn dates on any
	// machine.
	_ "time/tzdata"
)

// Sender is the letterhead: who the notices come from.
type Sender struct {
	// Name is the processor, "Sihtasutus Kutsekoda".
	Name string `json:"name"`
	// Unit is the register, "Kutseregister".
	Unit string `json:"unit"`
	// Address is the postal address on one line.
	Address string `json:"address,omitempty"`
	// RegistryCode is the processor's business register code.
	RegistryCode string `json:"registryCode,omitempty"`
	// Email, Phone and Web are the contacts.
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
	Web   string `json:"web,omitempty"`
	// Lines are further lines under the contacts.
	Lines []string `json:"lines,omitempty"`
}

// contactLines are the letterhead's small lines: address and registry
// code, then e-mail, phone and web, then Lines.
func (s Sender) contactLines() []string {
	join := func(parts ...string) string {
		var keep []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				keep = append(keep, p)
			}
		}
		return strings.Join(keep, " · ")
	}
	code := ""
	if strings.TrimSpace(s.RegistryCode) != "" {
		code = "registrikood " + strings.TrimSpace(s.RegistryCode)
	}
	var lines []string
	for _, l := range append([]string{join(s.Address, code), join(s.Email, s.Phone, s.Web)}, s.Lines...) {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// DefaultSender is Sihtasutus Kutsekoda, Kutseregister, without contact
// lines.
func DefaultSender() Sender {
	return Sender{Name: "Sihtasutus Kutsekoda", Unit: "Kutseregister"}
}

// Renderer makes the PDF letters. It is immutable and safe for concurrent
// use; make one and share it.
type Renderer struct {
	sender  Sender
	loc     *time.Location
	metrics *metrics
	seal    *Seal
	now     func() time.Time
}

// Option changes a Renderer.
type Option func(*Renderer)

// WithSeal makes the Renderer seal every letter with s (nil: unsealed).
func WithSeal(s *Seal) Option { return func(r *Renderer) { r.seal = s } }

// WithClock sets the clock that gives the seal's signing time.
func WithClock(now func() time.Time) Option { return func(r *Renderer) { r.now = now } }

// NewRenderer returns a Renderer with the letterhead s.
func NewRenderer(s Sender, opts ...Option) (*Renderer, error) {
	if strings.TrimSpace(s.Name) == "" {
		return nil, fmt.Errorf("new renderer: missing sender name")
	}
	loc, err := time.LoadLocation("Europe/Tallinn")
	if err != nil {
		return nil, fmt.Errorf("new renderer: %w", err)
	}
	m, err := loadMetrics()
	if err != nil {
		return nil, fmt.Errorf("new renderer: %w", err)
	}
	s.Lines = append([]string(nil), s.Lines...)
	r := &Renderer{sender: s, loc: loc, metrics: m, now: time.Now}
	for _, o := range opts {
		o(r)
	}
	return r, nil
}

// Sealed reports whether the Renderer seals its letters.
func (r *Renderer) Sealed() bool { return r.seal != nil }

// Render returns the notice n as a PDF/A-2b letter in Estonian, sealed
// when the Renderer has a seal. Unsealed, the same notice always gives
// the same bytes with the same build (fpdf and Go's compress/flate
// fixed): the PDF's dates come from the notice's Date, not from the
// clock; the seal adds its signing time. An invalid notice gives an error
// wrapping ErrInvalidNotice.
func (r *Renderer) Render(n Notice) ([]byte, error) {
	if n == nil {
		return nil, fmt.Errorf("render notice: %w: nil", ErrInvalidNotice)
	}
	if err := n.Validate(); err != nil {
		return nil, fmt.Errorf("render notice: %w", err)
	}
	pages := r.layout(n)
	h := n.Common()
	pdf, err := buildPDF(pages, docInfo{
		Title:      subject(n.Kind()),
		Author:     r.sender.Name + ", " + r.sender.Unit,
		Subject:    "Meie viide " + h.ref(),
		Identifier: h.ref(),
		Creator:    "alusdok",
		Created:    h.Date.In(r.loc),
	})
	if err != nil {
		return nil, fmt.Errorf("render %s notice %s: %w", n.Kind(), h.SubmissionID, err)
	}
	if r.seal != nil {
		if pdf, err = r.seal.Sign(pdf, r.now()); err != nil {
			return nil, fmt.Errorf("render %s notice %s: %w", n.Kind(), h.SubmissionID, err)
		}
	}
	return pdf, nil
}

// date formats t as DD.MM.YYYY in Tallinn.
func (r *Renderer) date(t time.Time) string { return t.In(r.loc).Format("02.01.2006") }

// layout returns what is drawn on the letter's pages.
func (r *Renderer) layout(n Notice) []*page {
	w := &letterWriter{flow: newFlow(r.metrics), loc: r.loc, sender: r.sender, header: n.Common(), sealed: r.seal != nil}
	w.write(n)
	return w.pages
}
