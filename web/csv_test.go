package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/documents"
)

// exampleCSV writes the example committee decision's certificates as an
// awarding body's spreadsheet would: semicolons, DD.MM.YYYY dates.
func exampleCSV(t *testing.T, doc *documents.BaseDocument) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write(csvColumns)
	dd := func(d documents.Date) string {
		if d.IsZero() {
			return ""
		}
		return fmt.Sprintf("%02d.%02d.%04d", d.Day(), int(d.Month()), d.Year())
	}
	for _, c := range doc.Payload.Certificates {
		eqf := ""
		if c.EQFLevel != 0 {
			eqf = strconv.Itoa(c.EQFLevel)
		}
		_ = w.Write([]string{c.Number, strconv.Itoa(int(c.Type)), c.GivenName, c.FamilyName, c.PersonalCode, dd(c.BirthDate),
			strconv.Itoa(c.Standard.ID), strconv.Itoa(c.Standard.Version), strconv.Itoa(c.Level), eqf, c.Specialisation,
			c.PartialQualification, strings.Join(c.Competences, "; "), c.Field, c.ISCO, c.Language, c.Issuer, c.PlaceOfIssue,
			dd(c.IssuedOn), dd(c.ValidFrom), dd(c.ValidUntil), c.DuplicateOf, yes(c.HideName), yes(c.HideBirthDate), yes(c.HideCertificate)})
	}
	w.Flush()
	return b.Bytes()
}

func yes(b bool) string {
	if b {
		return "jah"
	}
	return ""
}

func TestCSVBecomesTheSameMetadataAsTheJSON(t *testing.T) {
	raw, err := os.ReadFile("../documents/testdata/examples/committee-decision.json")
	if err != nil {
		t.Fatal(err)
	}
	want, defs := documents.DecodeBytes(raw, 1<<24)
	if want == nil || defs.HasErrors() {
		t.Fatalf("example: %v", defs)
	}
	h := csvHeader{Number: want.Number, Date: "12.06.2025", Issuer: want.Issuer, Title: want.Title,
		ContactName: want.Contact.Name, ContactEmail: want.Contact.Email, ContactPhone: want.Contact.Phone}
	meta, err := csvToMetadata(h, bytes.NewReader(exampleCSV(t, want)))
	if err != nil {
		t.Fatal(err)
	}
	got, defs := documents.DecodeBytes(meta, 1<<24)
	if got == nil || defs.HasErrors() {
		t.Fatalf("decoded CSV: %v\n%s", defs, meta)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("CSV gives\n%s\nwant\n%s", g, w)
	}
}

func TestCSVCellOfWrongTypeIsNamedByItsField(t *testing.T) {
	in := "number,type,level\n1,1,neli\n"
	meta, err := csvToMetadata(csvHeader{Number: "1", Date: "2025-06-12"}, strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	_, defs := documents.DecodeBytes(meta, 1<<20)
	found := false
	for _, d := range defs {
		if d.Field == "payload.certificates[0].level" {
			found = true
		}
	}
	if !found {
		t.Errorf("no deficiency at payload.certificates[0].level: %v", defs)
	}
}

func TestCSVWithUnknownColumnIsRefused(t *testing.T) {
	_, err := csvToMetadata(csvHeader{}, strings.NewReader("number;nimi\n1;Mart\n"))
	if p, ok := err.(*csvProblem); !ok || p.Key != "csv.column" || p.Arg != "nimi" {
		t.Errorf("err = %v", err)
	}
}
