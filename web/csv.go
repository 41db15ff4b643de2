package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Awarding bodies keep their certificate lists in spreadsheets. A committee
// decision's certificates may come as CSV, one row a certificate, with the
// columns of csvColumns (the metadata JSON's names); csvToMetadata turns the
// rows and the form's header fields into the same metadata JSON the API
// takes, and the upload then goes through the same intake path. Cells that
// are not numbers where numbers belong are passed on as text, so that the
// strict decoder names the cell's field like any other error.

// csvColumns are the template's columns, in order.
var csvColumns = []string{
	"number", "type", "givenName", "familyName", "personalCode", "birthDate",
	"standardId", "standardVersion", "level", "eqfLevel", "specialisation", "partialQualification",
	"competences", "field", "isco", "language", "issuer", "placeOfIssue", "issuedOn", "validFrom", "validUntil",
	"duplicateOf", "hideName", "hideBirthDate", "hideCertificate",
}

var csvInts = map[string]bool{"type": true, "level": true, "eqfLevel": true}
var csvBools = map[string]bool{"hideName": true, "hideBirthDate": true, "hideCertificate": true}
var csvDates = map[string]bool{"birthDate": true, "issuedOn": true, "validFrom": true, "validUntil": true}

// csvHeader is the header part of the metadata, from the form.
type csvHeader struct {
	Number, Date, Issuer, Title, ContactName, ContactEmail, ContactPhone string
}

// csvTemplate is the downloadable template: the header row and one example.
func csvTemplate() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write(csvColumns)
	_ = w.Write([]string{"214001", "1", "Mart", "Kuusk", "39804172200", "", "10789561", "4", "4", "4", "", "",
		"Elektripaigaldise ehitamine; Elektripaigaldise käidu korraldamine", "Elektriala", "7411", "et", "80037514",
		"Tallinn", "12.06.2025", "12.06.2025", "11.06.2030", "", "", "", ""})
	w.Flush()
	return b.Bytes()
}

// csvProblem is a CSV that cannot be read at all (a row, 1-based, and what).
type csvProblem struct {
	Row int
	Key string
	Arg string
}

func (p *csvProblem) Error() string { return fmt.Sprintf("csv row %d: %s %s", p.Row, p.Key, p.Arg) }

// csvToMetadata reads the CSV (comma or semicolon separated, UTF-8, an
// optional BOM) and builds the committee decision's metadata JSON.
func csvToMetadata(h csvHeader, r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, err
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		return nil, &csvProblem{Row: 1, Key: "csv.encoding"}
	}
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(raw))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	rows, err := cr.ReadAll()
	if err != nil {
		line := 0
		if pe, ok := err.(*csv.ParseError); ok {
			line = pe.Line
		}
		return nil, &csvProblem{Row: line, Key: "csv.syntax"}
	}
	if len(rows) < 2 {
		return nil, &csvProblem{Row: 1, Key: "csv.empty"}
	}
	cols := rows[0]
	known := map[string]bool{}
	for _, c := range csvColumns {
		known[c] = true
	}
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
		if !known[cols[i]] {
			return nil, &csvProblem{Row: 1, Key: "csv.column", Arg: cols[i]}
		}
	}
	certs := make([]map[string]any, 0, len(rows)-1)
	for n, row := range rows[1:] {
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // a blank line
		}
		if len(row) > len(cols) {
			return nil, &csvProblem{Row: n + 2, Key: "csv.too-many"}
		}
		cert := map[string]any{}
		std := map[string]any{}
		for i, cell := range row {
			cell = strings.TrimSpace(cell)
			if cell == "" {
				continue
			}
			col := cols[i]
			var v any = cell
			switch {
			case csvInts[col] || col == "standardId" || col == "standardVersion":
				if n, err := strconv.Atoi(cell); err == nil {
					v = n
				}
			case csvBools[col]:
				switch strings.ToLower(cell) {
				case "1", "true", "jah", "yes", "x":
					v = true
				case "0", "false", "ei", "no":
					v = false
				}
			case csvDates[col]:
				v = isoDate(cell)
			case col == "competences":
				var list []string
				for _, part := range strings.Split(cell, ";") {
					if part = strings.TrimSpace(part); part != "" {
						list = append(list, part)
					}
				}
				v = list
			}
			switch col {
			case "standardId":
				std["id"] = v
			case "standardVersion":
				std["version"] = v
			default:
				cert[col] = v
			}
		}
		if len(std) > 0 {
			cert["standard"] = std
		}
		certs = append(certs, cert)
	}
	contact := map[string]any{"name": h.ContactName, "email": h.ContactEmail}
	if h.ContactPhone != "" {
		contact["phone"] = h.ContactPhone
	}
	doc := map[string]any{
		"kind": "committee-decision", "number": h.Number, "date": isoDate(h.Date), "issuer": h.Issuer,
		"title": h.Title, "contact": contact, "payload": map[string]any{"certificates": certs},
	}
	return json.Marshal(doc)
}

// isoDate accepts DD.MM.YYYY (as Estonian spreadsheets write dates) and
// passes anything else on for the decoder to judge.
func isoDate(s string) string {
	if t, err := time.Parse("02.01.2006", s); err == nil {
		return t.Format("2006-01-02")
	}
	if t, err := time.Parse("2.1.2006", s); err == nil {
		return t.Format("2006-01-02")
	}
	return s
}

// csvColumnOf maps a certificate field path to its CSV column.
func csvColumnOf(field string) string {
	switch field {
	case "standard.id", "standard":
		return "standardId"
	case "standard.version":
		return "standardVersion"
	}
	if i := strings.IndexAny(field, ".["); i > 0 {
		return field[:i]
	}
	return field
}
