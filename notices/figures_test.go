package notices

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// TestREADMEFigures renders the two notices shown in the README, sealed
// with the test seal, to PNG (60 dpi, first page) when NOTICES_FIGURES
// names a directory:
//
//	NOTICES_FIGURES=$PWD/docs go test ./notices -run TestREADMEFigures
func TestREADMEFigures(t *testing.T) {
	dir := os.Getenv("NOTICES_FIGURES")
	if dir == "" {
		t.Skip("NOTICES_FIGURES not set")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) not installed")
	}
	cert, key := testSealFiles(t)
	seal, err := LoadSeal(SealFiles{Certificate: cert, Key: key}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(Sender{
		Name: "Sihtasutus Kutsekoda", Unit: "Kutseregister", Address: "Mustamäe tee 16, 10617 Tallinn",
		RegistryCode: "90000245", Email: "kutseregister@kutsekoda.ee", Web: "www.kutseregister.ee",
	}, WithSeal(seal))
	if err != nil {
		t.Fatal(err)
	}
	h := Header{
		SubmissionID: "7b0cffc52daffed50f04",
		Reference:    "KR-2026/000123",
		Date:         tallinn(t, 2026, 12, 1, 10, 15),
		Addressee: Addressee{
			Organisation: "Eesti Elektritööde Ettevõtjate Liit", RegistryCode: "80037514",
			Contact: "Tiina Org", Email: "tiina.org@eetel.ee",
		},
		BaseDocument: BaseDocument{Kind: "committee-decision", Number: "EK-2025/14", Date: tallinn(t, 2025, 6, 12, 0, 0),
			Title: "Kutse andmine ja kutsetunnistuste väljaandmine: Elektrik, tase 4"},
		Clerk: "Mari-Liis Õunapuu",
	}
	var defs deficiency.List
	defs.Add("payload.certificates[3].personalCode", "personal-code.check-digit",
		"Isikukoodi kontrolljärk ei klapi.", "The check digit of the personal code is wrong.")
	defs.Add("payload.certificates[7].validUntil", "date.order",
		"Kehtivuse lõpp on enne kehtivuse algust.", "Valid until is before valid from.")
	defs.Add("payload.certificates[12].standard", "standard.not-in-force",
		"Kutsestandard ei kehtinud otsuse kuupäeval.", "The standard was not in force on the decision date.")
	defs.Warn("payload.certificates[12].level", "level.unusual",
		"Tase 1 on kutsete jaoks ebatavaline (tavaliselt 2–8).", "Level 1 is unusual.")
	defs.Add("inquiry", "inquiry",
		"Kutsetunnistus nr 214009 on registris juba teise isiku nimel; palume selgitust.", "Certificate number taken.")
	entry := Entry{Header: h, EnteredAt: tallinn(t, 2026, 12, 1, 9, 40)}
	for _, id := range []string{"214001", "214002", "214003", "214004", "214005"} {
		entry.Records = append(entry.Records, EnteredRecord{EntryNumber: "KR-" + h.SubmissionID, Kind: "kutsetunnistus", Identifier: id})
	}
	for name, n := range map[string]Notice{
		"notice-correction-request": CorrectionRequest{Header: h, Deficiencies: defs, Limit: tallinn(t, 2026, 12, 15, 23, 59)},
		"notice-entry":              entry,
	} {
		pdf, err := r.Render(n)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), name+".pdf")
		if err := os.WriteFile(f, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		keep(t, name+".pdf", pdf)
		out, err := exec.Command("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", f, filepath.Join(dir, name)).CombinedOutput()
		if err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
	}
}
