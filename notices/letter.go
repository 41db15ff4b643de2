package notices

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// continuationH is the height of the running header on pages after the
// first.
const continuationH = 30.0

// letterWriter writes one letter: the common frame (letterhead, addressee,
// reference, subject, closing, footer) around a notice's body.
type letterWriter struct {
	*flow
	loc    *time.Location
	sender Sender
	header Header
	// sealed says that the letter will carry the register's e-seal.
	sealed bool
}

// date formats t as DD.MM.YYYY in Tallinn.
func (w *letterWriter) date(t time.Time) string { return t.In(w.loc).Format("02.01.2006") }

// subject is the letter's subject line for kind k.
func subject(k Kind) string {
	switch k {
	case KindCorrectionRequest:
		return "Andmete parandamise nõue"
	case KindExtension:
		return "Andmete kutseregistrisse kandmise tähtaja pikendamine"
	case KindEntry:
		return "Teade andmete kutseregistrisse kandmise kohta"
	case KindRefusal:
		return "Teade andmete kutseregistrisse kandmisest keeldumise kohta"
	}
	return "Teade"
}

// subjectEN is the subject in English, for the e-mail's English line.
func subjectEN(k Kind) string {
	switch k {
	case KindCorrectionRequest:
		return "Request to correct submitted data"
	case KindExtension:
		return "Extension of the entry deadline"
	case KindEntry:
		return "Data entered in the register"
	case KindRefusal:
		return "Entry in the register refused"
	}
	return "Notice"
}

// baseDocumentKinds names the kinds of SPEC R10 in Estonian.
func baseDocumentKind(kind string) string {
	switch kind {
	case "government-order":
		return "Vabariigi Valitsuse korraldus"
	case "minister-directive":
		return "ministri käskkiri"
	case "standard-decision":
		return "kutsenõukogu otsus kutsestandardi kohta"
	case "awarding-right-decision":
		return "kutsenõukogu otsus kutse andmise õiguse kohta"
	case "procedure-decision":
		return "kutsenõukogu otsus kutse andmise korra kohta"
	case "committee-decision":
		return "kutsekomisjoni otsus"
	case "other":
		return "muu dokument"
	}
	return clean(kind)
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// baseDocumentLine is "Kutsekomisjoni otsus nr 12-3, 15.02.2027".
func baseDocumentLine(bd BaseDocument, date func(time.Time) string) string {
	return fmt.Sprintf("%s nr %s, %s", capitalize(baseDocumentKind(bd.Kind)), clean(bd.Number), date(bd.Date))
}

// write lays out the whole letter for n.
func (w *letterWriter) write(n Notice) {
	w.letterhead()
	w.addressAndReference()
	w.gap(26)
	w.paragraph(styleSubject, marginL, textW, subject(n.Kind()))
	w.gap(10)
	w.onNewPage = w.continuation(n.Kind())
	w.para("Lugupeetud andmete esitaja")
	n.body(w)
	w.closing()
	w.footers()
}

// letterhead draws the sender's name, unit and contact lines and a rule.
func (w *letterWriter) letterhead() {
	w.line(styleSender, marginL, w.sender.Name)
	if w.sender.Unit != "" {
		w.line(styleBody, marginL, w.sender.Unit)
	}
	for _, l := range w.sender.contactLines() {
		w.paragraph(styleSmall, marginL, textW, l)
	}
	w.gap(6)
	w.rule(marginL, marginL+textW, w.y, 0.6, 0.6)
	w.gap(22)
}

// addressAndReference draws the addressee on the left and the date and
// references on the right, side by side.
func (w *letterWriter) addressAndReference() {
	top := w.y
	a := w.header.Addressee
	leftW := textW * 0.5
	w.paragraph(styleBold, marginL, leftW, clean(a.Organisation))
	if a.RegistryCode != "" {
		w.paragraph(styleBody, marginL, leftW, "registrikood "+clean(a.RegistryCode))
	}
	for _, l := range append([]string{a.Contact}, a.Address...) {
		if strings.TrimSpace(l) != "" {
			w.paragraph(styleBody, marginL, leftW, clean(l))
		}
	}
	if a.Email != "" {
		w.paragraph(styleBody, marginL, leftW, clean(a.Email))
	}
	left := w.y

	w.y = top
	x := marginL + textW*0.53
	labelW := 78.0
	valueW := marginL + textW - x - labelW
	facts := []fact{
		{label: "Kuupäev", value: w.date(w.header.Date)},
		{label: "Meie viide", value: w.header.ref(), strong: true},
		{label: "Alusdokument", value: baseDocumentLine(w.header.BaseDocument, w.date)},
	}
	if t := clean(w.header.BaseDocument.Title); t != "" {
		facts = append(facts, fact{label: "Pealkiri", value: "„" + t + "“"})
	}
	w.factsAt(x, labelW, valueW, facts)
	w.y = min(left, w.y)
}

// fact is a label and its value, which strong shows in bold.
type fact struct {
	label, value string
	strong       bool
}

// factsAt draws labels and values in two columns from x.
func (w *letterWriter) factsAt(x, labelW, valueW float64, facts []fact) {
	for _, f := range facts {
		st := styleBody
		if f.strong {
			st = styleBold
		}
		lines := w.m.wrap(f.value, st.font, st.size, valueW)
		w.ensure(float64(len(lines)) * st.leading)
		w.text(styleLabel, x, baseline(st, w.y), f.label)
		for _, l := range lines {
			w.line(st, x+labelW, l)
		}
	}
}

// facts draws a label–value block in the body.
func (w *letterWriter) facts(facts []fact) {
	w.factsAt(marginL, 118, textW-118, facts)
	w.gap(8)
}

// para draws a body paragraph followed by a gap.
func (w *letterWriter) para(s string) {
	w.paragraph(styleBody, marginL, textW, s)
	w.gap(8)
}

// heading draws a bold line kept on a page with at least three lines
// after it.
func (w *letterWriter) heading(s string) {
	w.ensure(styleBold.leading * 4)
	w.paragraph(styleBold, marginL, textW, s)
	w.gap(3)
}

// numbered draws a numbered list.
func (w *letterWriter) numbered(items []string) {
	n := 0
	for _, it := range items {
		it = clean(it)
		if it == "" {
			continue
		}
		n++
		lines := w.m.wrap(it, styleBody.font, styleBody.size, textW-20)
		w.ensure(styleBody.leading * float64(min(len(lines), 2)))
		w.text(styleBody, marginL, baseline(styleBody, w.y), fmt.Sprintf("%d.", n))
		for _, l := range lines {
			w.line(styleBody, marginL+20, l)
		}
		w.gap(3)
	}
	w.gap(5)
}

// closing draws the greeting and the signature, kept together.
func (w *letterWriter) closing() {
	signer := []string{"Kutseregister"}
	if c := clean(w.header.Clerk); c != "" {
		signer = []string{c, "menetleja"}
	}
	w.ensure(styleBody.leading*float64(3+len(signer)+1) + styleSmall.leading*2)
	w.gap(6)
	w.line(styleBody, marginL, "Lugupidamisega")
	w.gap(styleBody.leading)
	for _, s := range signer {
		w.line(styleBody, marginL, s)
	}
	w.line(styleBody, marginL, w.sender.Name)
	if w.sealed {
		w.gap(6)
		w.line(styleSmall, marginL, "Kiri on kinnitatud kutseregistri e-templiga (digitaalne allkiri PDF-failis).")
	}
}

// continuation returns the running header of pages after the first.
func (w *letterWriter) continuation(k Kind) func() {
	left := w.sender.Name + " · " + w.sender.Unit
	right := subject(k) + " · " + w.header.ref()
	return func() {
		b := baseline(styleSmall, w.y)
		w.text(styleSmall, marginL, b, left)
		w.textRight(styleSmall, marginL+textW, b, right)
		w.rule(marginL, marginL+textW, w.y-styleSmall.leading-2, 0.75, 0.4)
		w.y -= continuationH
	}
}

// footers writes the reference and "Lk n/N" at the foot of every page.
func (w *letterWriter) footers() {
	left := "Meie viide " + w.header.ref() + " · " + w.date(w.header.Date)
	for i, p := range w.pages {
		f := &flow{m: w.m, pages: []*page{p}}
		f.rule(marginL, marginL+textW, footerY+12, 0.75, 0.4)
		f.text(styleSmall, marginL, footerY, left)
		f.textRight(styleSmall, marginL+textW, footerY, fmt.Sprintf("Lk %d/%d", i+1, len(w.pages)))
	}
}
