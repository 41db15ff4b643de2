package pdfgen

import (
	"bytes"
	"fmt"
	"strings"
)

// Kinds returns the seven kinds of base document (SPEC R10), in the order
// of the statute.
func Kinds() []string {
	return []string{
		"government-order",
		"minister-directive",
		"standard-decision",
		"awarding-right-decision",
		"procedure-decision",
		"committee-decision",
		"other",
	}
}

// FlipMarker is a word every letter's content stream contains exactly once,
// uncompressed, so that a test can flip one of its bytes inside a signed
// byte range without breaking the file's structure.
const FlipMarker = "KONTROLLSÕNA"

type letterText struct {
	issuer  string
	title   string
	number  string
	subject string
	body    []string
	signer  string
	role    string
}

// letterTexts returns the text of each kind's letter.
func letterTexts() map[string]letterText {
	return map[string]letterText{
		"government-order": {
			issuer:  "VABARIIGI VALITSUS",
			title:   "KORRALDUS",
			number:  "Tallinn, 12. märts 2025 nr 97",
			subject: "Tervishoiu kutsenõukogu moodustamine ja institutsionaalse koosseisu kinnitamine",
			body: []string{
				"Kutseseaduse § 10 lõike 1 alusel moodustada tervishoiu kutsenõukogu ja kinnitada " +
					"selle institutsionaalne koosseis järgmiselt: Sotsiaalministeerium (üks esindaja), " +
					"Eesti Õdede Liit (kaks esindajat), Eesti Haiglate Liit (üks esindaja), " +
					"Tervise Arengu Instituut (üks esindaja).",
				"Korraldus jõustub allakirjutamisel.",
			},
			signer: "Mari Tamm",
			role:   "peaminister",
		},
		"minister-directive": {
			issuer:  "HARIDUS- JA TEADUSMINISTER",
			title:   "KÄSKKIRI",
			number:  "Tartu, 2. aprill 2025 nr 1.1-2/25/114",
			subject: "Tervishoiu kutsenõukogu isikulise koosseisu kinnitamine",
			body: []string{
				"Kutseseaduse § 10 lõike 3 alusel kinnitan tervishoiu kutsenõukogu isikulise koosseisu: " +
					"Jüri Õunapuu (Sotsiaalministeerium), Külli Sääsk ja Žanna Šulga (Eesti Õdede Liit), " +
					"Tõnu Väljaots (Eesti Haiglate Liit), Ülle Öövel (Tervise Arengu Instituut).",
				"Käskkiri jõustub teatavakstegemisest.",
			},
			signer: "Mari Tamm",
			role:   "minister",
		},
		"standard-decision": {
			issuer:  "TERVISHOIU KUTSENÕUKOGU",
			title:   "OTSUS",
			number:  "Tallinn, 15. mai 2025 nr 21",
			subject: "Kutsestandardi „Õde, tase 6“ kinnitamine",
			body: []string{
				"Kutseseaduse § 11 lõike 1 alusel kinnitada kutsestandard „Õde, tase 6“ " +
					"(registreerimiskood 15-05052025-1.2/7k), kehtivusega kuni 14. maini 2030. " +
					"ISCO 08 kood 2221, ISCED-F kood 0913.",
				"Otsus jõustub teatavakstegemisest.",
			},
			signer: "Mari Tamm",
			role:   "kutsenõukogu esimees",
		},
		"awarding-right-decision": {
			issuer:  "TERVISHOIU KUTSENÕUKOGU",
			title:   "OTSUS",
			number:  "Tallinn, 3. juuni 2025 nr 24",
			subject: "Kutse andmise õiguse andmine",
			body: []string{
				"Kutseseaduse § 12 alusel anda Eesti Õdede Liidule (registrikood 80063433, " +
					"Pärnu mnt 63a, 10135 Tallinn) kutse andmise õigus kutsele „Õde, tase 6“ " +
					"ajavahemikuks 1. juuli 2025 kuni 30. juuni 2030.",
				"Otsus jõustub teatavakstegemisest.",
			},
			signer: "Mari Tamm",
			role:   "kutsenõukogu esimees",
		},
		"procedure-decision": {
			issuer:  "TERVISHOIU KUTSENÕUKOGU",
			title:   "OTSUS",
			number:  "Tallinn, 3. juuni 2025 nr 25",
			subject: "Kutse andmise korra kinnitamine",
			body: []string{
				"Kutseseaduse § 14 lõike 2 alusel kinnitada Eesti Õdede Liidu kutse andmise kord " +
					"kutsele „Õde, tase 6“ ja kutsekomisjoni koosseis: Külli Sääsk (esimees), " +
					"Jüri Õunapuu, Tõnu Väljaots.",
				"Otsus jõustub teatavakstegemisest.",
			},
			signer: "Mari Tamm",
			role:   "kutsenõukogu esimees",
		},
		"committee-decision": {
			issuer:  "EESTI ÕDEDE LIIDU KUTSEKOMISJON",
			title:   "OTSUS",
			number:  "Tallinn, 20. oktoober 2025 nr 7",
			subject: "Kutse andmine ja kutsetunnistuste väljaandmine",
			body: []string{
				"Kutseseaduse § 17 alusel anda kutse „Õde, tase 6“ ja väljastada kutsetunnistus " +
					"järgmistele isikutele: Anne Õispuu (kutsetunnistus nr 245501), " +
					"Märt Šišov (kutsetunnistus nr 245502). Kutsetunnistused kehtivad kuni 19. oktoobrini 2030.",
				"Otsus jõustub teatavakstegemisest.",
			},
			signer: "Mari Tamm",
			role:   "kutsekomisjoni esimees",
		},
		"other": {
			issuer:  "SIHTASUTUS KUTSEKODA",
			title:   "KIRI",
			number:  "Tallinn, 5. november 2025 nr 3-1/25/88",
			subject: "Registriandmete muutmine",
			body: []string{
				"Palume muuta kutseregistris Eesti Õdede Liidu kontaktandmeid: uus aadress on " +
					"Pärnu mnt 63a, 10135 Tallinn, e-post info@ode.ee. Muudatus kehtib 1. detsembrist 2025.",
				"Lugupidamisega",
			},
			signer: "Mari Tamm",
			role:   "juhatuse liige",
		},
	}
}

// Letter returns a one-page A4 letter for the given kind of base document,
// with uncompressed content so that the text (and FlipMarker) can be found in
// the file. It returns an error for an unknown kind.
func Letter(kind string) ([]byte, error) {
	t, ok := letterTexts()[kind]
	if !ok {
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
	var lines []textLine
	lines = append(lines, textLine{"F2", 14, t.issuer, 12}, textLine{"F2", 12, t.title, 0},
		textLine{"F1", 11, t.number, 12}, textLine{"F2", 11, t.subject, 6})
	for _, p := range t.body {
		for _, l := range wrap(p, 88) {
			lines = append(lines, textLine{"F1", 11, l, 0})
		}
		lines[len(lines)-1].after = 8
	}
	lines = append(lines, textLine{"F1", 11, "", 40})
	lines = append(lines, textLine{"F1", 11, "(allkirjastatud digitaalselt)", 0}, textLine{"F1", 11, t.signer, 0},
		textLine{"F1", 11, t.role, 0})
	return render(kind, t.subject, t.issuer, lines), nil
}

// textLine is one line of a letter: font, size, text, extra space after.
type textLine struct {
	font  string
	size  int
	text  string
	after int
}

// render lays lines out on as many A4 pages as they need. Page 1's content
// stream is object 6 (AppendIncrementalUpdate replaces it); FlipMarker is
// in its footer, once.
func render(kind, title, author string, lines []textLine) []byte {
	var pages []bytes.Buffer
	var c *bytes.Buffer
	y := 0
	newPage := func() {
		pages = append(pages, bytes.Buffer{})
		c = &pages[len(pages)-1]
		y = 780
	}
	newPage()
	for _, l := range lines {
		if y < 80 {
			newPage()
		}
		if l.text != "" {
			fmt.Fprintf(c, "BT /%s %d Tf %d %d Td (%s) Tj ET\n", l.font, l.size, 72, y, winAnsi(l.text))
		}
		y -= l.size + 6 + l.after
	}
	fmt.Fprintf(&pages[0], "BT /F1 7 Tf 72 60 Td (%s) Tj ET\n", winAnsi("Dokumendi liik: "+kind+" | "+FlipMarker))

	d := newDocument("1.7")
	d.root, d.info = 1, 7
	// The empty AcroForm's default resources carry the font that pdfsig
	// (poppler 22.12) looks for before it adds a signature field: key
	// "popplerfont…", BaseFont "Helvetica " (with the trailing space that
	// version appends). Without it pdfsig embeds a 760 KB system font.
	d.set(1, "<< /Type /Catalog /Pages 2 0 R /Lang (et-EE) "+
		"/AcroForm << /Fields [] /DR << /Font << /popplerfont 8 0 R >> >> /DA (/popplerfont 0 Tf 0 g) >> >>")
	d.set(8, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica#20 /Encoding /WinAnsiEncoding >>")
	kids := []string{"3 0 R"}
	for i := 1; i < len(pages); i++ {
		kids = append(kids, fmt.Sprintf("%d 0 R", 7+2*i))
	}
	d.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	page := func(nr, content int) {
		d.set(nr, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "+
			"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents %d 0 R >>", content))
	}
	page(3, 6)
	d.setStream(6, "", pages[0].Bytes())
	for i := 1; i < len(pages); i++ {
		page(7+2*i, 8+2*i)
		d.setStream(8+2*i, "", pages[i].Bytes())
	}
	d.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	d.set(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	d.set(7, fmt.Sprintf("<< /Title (%s) /Author (%s) /Producer (alusdok pdfgen) >>", winAnsi(title), winAnsi(author)))
	return d.bytes()
}

// wrap breaks s into lines of at most width runes at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var cur []string
	n := 0
	for _, w := range strings.Fields(s) {
		l := len([]rune(w))
		if n > 0 && n+1+l > width {
			lines = append(lines, strings.Join(cur, " "))
			cur, n = nil, 0
		}
		if n > 0 {
			n++
		}
		cur = append(cur, w)
		n += l
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}
