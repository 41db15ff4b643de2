package notices

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/kutsekoda/alusdok/internal/pdfwrite"
)

// squash removes the layout's spacing, so that text broken over columns or
// lines can be looked for.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// commonTexts are what every letter must show.
func commonTexts() []string {
	return []string{
		"Sihtasutus Kutsekoda", "Kutseregister",
		"Tõõtsa Ääremaa Kutseõppekeskus " + estonian, "registrikood 70001234", "Õppeosakond, Žanna Šults",
		"02.03.2027", "KR-2027/000042",
		"Kutsekomisjoni otsus nr KK-12/3, 15.02.2027", "Külmamehaaniku kutse andmine, tase 4",
		"Lugupidamisega", "Mari-Liis Õunapuu", "menetleja", "Lk 1/",
	}
}

func TestNoticesNameTheirContentInExtractableEstonian(t *testing.T) {
	r := mustRenderer(t)
	tests := []struct {
		name   string
		file   string
		notice Notice
		want   []string
	}{
		{"correction request lists deficiencies and limit R12_2", "correction.pdf", correctionRequest(t, 5), []string{
			"Andmete parandamise nõue", "§ 12 lõike 2", "Puudused (5)",
			"Kutsetunnistused, rida 1: isikukood", "kontrolljärk ei klapi", "Kutsetunnistused, rida 4: kehtiv kuni",
			"Hoiatus: Kehtivus on pikem", "hiljemalt 16.03.2027",
		}},
		{"extension names new deadline and reason R12_3", "extension.pdf", extension(t), []string{
			"Andmete kutseregistrisse kandmise tähtaja pikendamine", "§ 12 lõike 3",
			"Senine tähtaeg 09.03.2027", "Uus tähtaeg 07.04.2027", "Pikendus kokku 20 tööpäeva",
			"Pikendamise põhjus", "412 kutsetunnistust",
		}},
		{"entry lists the entries R12_4", "entry.pdf", entry(t, 3), []string{
			"Teade andmete kutseregistrisse kandmise kohta", "§ 12 lõike 4", "kanti kutseregistrisse 02.03.2027",
			"Tehtud kanded (3)", "KR-2027-000123", "KR-2027-000125", "kutsetunnistus", "204611",
		}},
		{"refusal gives reasons R12_4", "refusal.pdf", refusal(t), []string{
			"Teade andmete kutseregistrisse kandmisest keeldumise kohta", "keeldutakse", "Keeldumise põhjused",
			"1. Kutse andjal ei olnud otsuse kuupäeval õigust anda taset 5 (R9.4).",
			"2. Parandatud dokumente ei esitatud tähtajaks", "Puudused (2)",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := r.Render(tc.notice)
			if err != nil {
				t.Fatal(err)
			}
			keep(t, tc.file, pdf)
			text := pdfText(t, pdf)
			flat := squash(text)
			for _, want := range append(commonTexts(), tc.want...) {
				if !strings.Contains(flat, squash(want)) {
					t.Errorf("letter text lacks %q\n%s", want, text)
				}
			}
			if !strings.Contains(text, "õäöüšž") || !strings.Contains(text, "ÕÄÖÜŠŽ") {
				t.Errorf("Estonian letters not extractable:\n%s", text)
			}
		})
	}
}

func TestNoticesNameNoPersonalCode_R15_1(t *testing.T) {
	r := mustRenderer(t)
	personalCode := regexp.MustCompile(`[1-6]\d{10}`)
	for _, n := range []Notice{correctionRequest(t, 3), refusal(t)} {
		t.Run(string(n.Kind()), func(t *testing.T) {
			pdf, err := r.Render(n)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			if m := personalCode.FindString(text); m != "" {
				t.Errorf("letter shows personal code %s", m)
			}
			if !strings.Contains(text, "[isikukood]") {
				t.Errorf("personal code in the input was not replaced by [isikukood]:\n%s", text)
			}
		})
	}
}

func TestLongDeficiencyListPaginates_R12_2(t *testing.T) {
	r := mustRenderer(t)
	pdf, err := r.Render(correctionRequest(t, 300))
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "correction-300.pdf", pdf)
	text := pdfText(t, pdf)
	pages := strings.Split(text, "\f")
	if len(pages) < 10 {
		t.Fatalf("300 deficiencies on %d pages, want at least 10", len(pages))
	}
	flat := squash(text)
	for _, want := range []string{"Kutsetunnistused, rida 1: isikukood", "Kutsetunnistused, rida 300: isikukood", "hiljemalt 16.03.2027", "Mari-Liis Õunapuu"} {
		if !strings.Contains(flat, want) {
			t.Errorf("paginated letter lacks %q", want)
		}
	}
	// Every page after the first repeats the table header and numbers itself.
	n := len(pages) - 1 // the text ends with a form feed
	for i := 1; i < n; i++ {
		if !strings.Contains(pages[i], "Lk "+strconv.Itoa(i+1)+"/"+strconv.Itoa(n)) {
			t.Errorf("page %d lacks its number Lk %d/%d", i+1, i+1, n)
		}
	}
}

func TestVeryLongDeficiencyMessageBreaksAcrossPages_R12_2(t *testing.T) {
	r := mustRenderer(t)
	n := correctionRequest(t, 1)
	n.Deficiencies[0].Message.ET = strings.Repeat("Väga pikk puuduse kirjeldus õäöüšž. ", 400)
	n.Deficiencies[0].Field = strings.Repeat("payload.certificates[1].competences[2].", 8) + "code"
	pdf, err := r.Render(n)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "correction-long.pdf", pdf)
	if pages := strings.Count(pdfText(t, pdf), "\f"); pages < 3 {
		t.Errorf("one very long deficiency on %d pages, want it to flow over at least 3", pages)
	}
}

func TestRenderingIsDeterministic(t *testing.T) {
	r := mustRenderer(t)
	for _, n := range []Notice{correctionRequest(t, 40), extension(t), entry(t, 10), refusal(t)} {
		t.Run(string(n.Kind()), func(t *testing.T) {
			first, err := r.Render(n)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				again, err := mustRenderer(t).Render(n)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Fatal("the same notice rendered to different bytes")
				}
			}
			if !bytes.Contains(first, []byte("D:20270302101500+02'00'")) {
				t.Error("PDF creation date is not the notice's date")
			}
		})
	}
}

func TestRefusalWithoutReasonIsRejected_R12_4(t *testing.T) {
	r := mustRenderer(t)
	n := refusal(t)
	n.Reasons = []string{"", "  "}
	_, err := r.Render(n)
	if !errors.Is(err, ErrInvalidNotice) || !strings.Contains(err.Error(), "reasons") {
		t.Fatalf("Render(refusal without reasons) error = %v, want ErrInvalidNotice naming reasons", err)
	}
}

func TestInvalidNoticesAreRejected(t *testing.T) {
	r := mustRenderer(t)
	var zeroTime time.Time
	tests := []struct {
		name    string
		notice  Notice
		missing string
	}{
		{"correction without deficiencies R12_2", func() Notice { n := correctionRequest(t, 1); n.Deficiencies = nil; return n }(), "deficiencies"},
		{"correction without limit R12_2", func() Notice { n := correctionRequest(t, 1); n.Limit = zeroTime; return n }(), "limit"},
		{"extension without reason R12_3", func() Notice { n := extension(t); n.Reason = " "; return n }(), "reason"},
		{"extension without new deadline R12_3", func() Notice { n := extension(t); n.NewDeadline = zeroTime; return n }(), "newDeadline"},
		{"entry without records R12_4", func() Notice { n := entry(t, 0); return n }(), "records"},
		{"letter without date", func() Notice { n := entry(t, 1); n.Date = zeroTime; return n }(), "date"},
		{"letter without addressee", func() Notice { n := entry(t, 1); n.Addressee.Organisation = ""; return n }(), "addressee.organisation"},
		{"nil notice", nil, "nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Render(tc.notice)
			if !errors.Is(err, ErrInvalidNotice) || !strings.Contains(err.Error(), tc.missing) {
				t.Errorf("Render error = %v, want ErrInvalidNotice naming %q", err, tc.missing)
			}
		})
	}
}

func TestRenderWritesNoPdfcpuConfigDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if _, err := mustRenderer(t).Render(entry(t, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + "/pdfcpu"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pdfcpu configuration directory created under %s (stat: %v)", dir, err)
	}
}

func TestRenderedPDFIsValid(t *testing.T) {
	r := mustRenderer(t)
	for _, n := range []Notice{correctionRequest(t, 120), extension(t), entry(t, 5), refusal(t)} {
		t.Run(string(n.Kind()), func(t *testing.T) {
			pdf, err := r.Render(n)
			if err != nil {
				t.Fatal(err)
			}
			conf := pdfwrite.Config()
			conf.ValidationMode = model.ValidationStrict
			if err := api.Validate(bytes.NewReader(pdf), conf); err != nil {
				t.Errorf("pdfcpu validation: %v", err)
			}
		})
	}
}

func TestRendererIsSafeForConcurrentUse(t *testing.T) {
	r := mustRenderer(t)
	want, err := r.Render(correctionRequest(t, 30))
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := r.Render(correctionRequest(t, 30))
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("concurrent render gave different bytes")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestLettersShowDeficienciesInWordsNeverAsPaths_R12_2(t *testing.T) {
	r := mustRenderer(t)
	n := correctionRequest(t, 3)
	n.Deficiencies.Add("payload.standard.title", "TITLE_EMPTY", "Pealkiri puudub.", "Title missing.")
	n.Deficiencies.Add("inquiry", "R13_3", "Andmed on vastuolus registriga.", "Contradicts the register.")
	n.Deficiencies.Add("metadata.payload.certificates[7].competences[2].code", "X", "Tundmatu kompetents.", "Unknown.")
	n.Deficiencies.Add("", "Y", "Dokument on loetamatu.", "Unreadable.")
	pdf, err := r.Render(n)
	if err != nil {
		t.Fatal(err)
	}
	flat := squash(pdfText(t, pdf))
	for _, want := range []string{
		"Kutsestandard: pealkiri Pealkiri puudub.",
		"Menetleja päring Andmed on vastuolus registriga.",
		"Kutsetunnistused, rida 8, kompetentsid, rida 3: kood",
		"Dokument tervikuna Dokument on loetamatu.",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("letter lacks %q:\n%s", want, flat)
		}
	}
	for _, path := range []string{"payload.", "certificates[", "personalCode", "TITLE_EMPTY", "IDCODE_CHECKSUM", "inquiry"} {
		if strings.Contains(flat, path) {
			t.Errorf("letter shows %q, a field path or code", path)
		}
	}
}

func TestEveryMetadataFieldHasAnEstonianLabel(t *testing.T) {
	for name, label := range fieldLabels {
		if label == "" || label == name && name != "number" {
			t.Errorf("field %s has no label", name)
		}
	}
	if got := fieldLabel("payload.certificates[3].personalCode"); got != "Kutsetunnistused, rida 4: isikukood" {
		t.Errorf("fieldLabel = %q", got)
	}
	if got := fieldLabel("document.signatures[0]"); got != "PDF-dokument: allkirjad, rida 1" {
		t.Errorf("fieldLabel = %q", got)
	}
}

func TestEntryNumbersAreNeverBrokenOverLines_R12_4(t *testing.T) {
	n := entry(t, 3)
	for i := range n.Records {
		n.Records[i].EntryNumber = "KR-2a8022a29869250e623b"
	}
	pdf, err := mustRenderer(t).Render(n)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, pdf); strings.Count(text, "KR-2a8022a29869250e623b") != 3 {
		t.Errorf("entry numbers broken over lines:\n%s", text)
	}
}
