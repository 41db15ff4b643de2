package notices

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
)

// tallinn returns the instant y-m-d h:mi in Europe/Tallinn.
func tallinn(tb testing.TB, y int, m time.Month, d, h, mi int) time.Time {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Tallinn")
	if err != nil {
		tb.Fatal(err)
	}
	return time.Date(y, m, d, h, mi, 0, 0, loc)
}

// mustRenderer returns a renderer with the default sender and contact lines.
func mustRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	s := DefaultSender()
	s.Lines = []string{"kutseregister@example.ee"}
	r, err := NewRenderer(s)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// estonian is the test string of every Estonian letter that is not ASCII.
const estonian = "õäöüšž ÕÄÖÜŠŽ"

// header is a notice header with Estonian letters in every name.
func header(tb testing.TB) Header {
	return Header{
		SubmissionID: "7b0cffc52daffed50f04",
		Reference:    "KR-2027/000042",
		Date:         tallinn(tb, 2027, 3, 2, 10, 15),
		Addressee: Addressee{
			Organisation: "Tõõtsa Ääremaa Kutseõppekeskus " + estonian,
			RegistryCode: "70001234",
			Contact:      "Õppeosakond, Žanna Šults",
			Address:      []string{"Pärnu mnt 1", "10141 Tallinn"},
			Email:        "oppeosakond@example.ee",
		},
		BaseDocument: BaseDocument{
			Kind:   "committee-decision",
			Number: "KK-12/3",
			Date:   tallinn(tb, 2027, 2, 15, 0, 0),
			Title:  "Külmamehaaniku kutse andmine, tase 4",
		},
		Clerk: "Mari-Liis Õunapuu",
	}
}

// deficiencies returns n deficiencies, one of them a warning; every
// message names a (wrong) personal code, which the letter must not show.
func deficiencies(n int) deficiency.List {
	var l deficiency.List
	for i := range n {
		field := fmt.Sprintf("payload.certificates[%d].personalCode", i)
		if i%7 == 3 {
			l.Warn(fmt.Sprintf("payload.certificates[%d].validUntil", i), "CERT_VALIDITY_LONG",
				"Kehtivus on pikem kui kutsestandardis ette nähtud.", "Validity longer than the standard allows.")
			continue
		}
		l.Add(field, "IDCODE_CHECKSUM",
			"Isikukoodi 36805280108 kontrolljärk ei klapi; palume õige isikukood üle vaadata (õäöüšž).",
			"Check digit of the personal code is wrong.")
	}
	return l
}

func correctionRequest(tb testing.TB, n int) CorrectionRequest {
	return CorrectionRequest{Header: header(tb), Deficiencies: deficiencies(n), Limit: tallinn(tb, 2027, 3, 16, 23, 59)}
}

func extension(tb testing.TB) Extension {
	return Extension{
		Header:           header(tb),
		PreviousDeadline: tallinn(tb, 2027, 3, 9, 23, 59),
		NewDeadline:      tallinn(tb, 2027, 4, 7, 23, 59),
		Reason:           "Alusdokumendis on 412 kutsetunnistust; andmete võrdlemine registriga nõuab lisaaega (õäöüšž).",
		TotalWorkingDays: 20,
	}
}

func entry(tb testing.TB, n int) Entry {
	e := Entry{Header: header(tb), EnteredAt: tallinn(tb, 2027, 3, 2, 9, 40)}
	for i := range n {
		e.Records = append(e.Records, EnteredRecord{
			EntryNumber: fmt.Sprintf("KR-2027-%06d", 123+i),
			Kind:        "kutsetunnistus",
			Identifier:  fmt.Sprintf("%06d", 204611+i),
		})
	}
	return e
}

func refusal(tb testing.TB) Refusal {
	return Refusal{
		Header: header(tb),
		Reasons: []string{
			"Kutse andjal ei olnud otsuse kuupäeval õigust anda taset 5 (R9.4).",
			"Parandatud dokumente ei esitatud tähtajaks; isik 36805280109 on märgitud kahel korral.",
		},
		Deficiencies: deficiencies(2),
	}
}

// pdfText returns the text pdftotext extracts from pdf, or skips the test
// when pdftotext is not installed.
func pdfText(tb testing.TB, pdf []byte) string {
	tb.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		tb.Skip("pdftotext (poppler-utils) not installed")
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-raw", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		tb.Errorf("pdftotext complains: %s", stderr.String())
	}
	return out.String()
}

// keep writes pdf to $NOTICES_OUT/name when that is set, for looking at.
func keep(tb testing.TB, name string, pdf []byte) {
	tb.Helper()
	if dir := os.Getenv("NOTICES_OUT"); dir != "" {
		if err := os.WriteFile(dir+"/"+name, pdf, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
