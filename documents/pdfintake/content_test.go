package pdfintake

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake/internal/pdfgen"
)

func TestActiveContentIsAnErrorUnlessTheKindAllowsIt(t *testing.T) {
	in := mustInspector(t, Options{})
	for _, kind := range pdfgen.ActiveContentKinds() {
		t.Run(kind, func(t *testing.T) {
			pdf, err := pdfgen.WithActiveContent(kind)
			if err != nil {
				t.Fatal(err)
			}
			for warn, sev := range map[bool]deficiency.Severity{false: deficiency.Error, true: deficiency.Warning} {
				res, defs, err := in.InspectFor(context.Background(), bytes.NewReader(pdf), Expect{ActiveContentWarning: warn})
				if err != nil || res.Pages != 1 || len(defs) != 1 || !hasCode(defs, CodeActiveContent, sev) {
					t.Errorf("warning policy %t: %v, %v; want only %s as %s", warn, defs, err, CodeActiveContent, sev)
				}
				if len(res.ActiveContent) == 0 {
					t.Errorf("Result.ActiveContent empty")
				}
			}
		})
	}
	// A plain letter has none.
	if o := inspectWithin(t, in, mustRead(t, filepath.Join(unsignedDir, "other.pdf")), time.Minute); len(o.defs) != 0 {
		t.Errorf("plain letter: %v", o.defs)
	}
}

// metadata is the number and date of an example's JSON.
func metadata(tb testing.TB, kind string) (string, time.Time) {
	tb.Helper()
	var m struct{ Number, Date string }
	if err := json.Unmarshal(mustRead(tb, filepath.Join(examplesDir, kind+".json")), &m); err != nil {
		tb.Fatal(err)
	}
	d, err := time.Parse(time.DateOnly, m.Date)
	if err != nil {
		tb.Fatal(err)
	}
	return m.Number, d
}

func TestEveryExamplePDFShowsItsMetadataNumberAndDate_R13_3(t *testing.T) {
	in := mustInspector(t, Options{RequireSignature: true})
	for _, kind := range kinds {
		number, date := metadata(t, kind)
		_, defs, err := in.InspectFor(context.Background(), bytes.NewReader(mustRead(t, filepath.Join(examplesDir, kind+".pdf"))),
			Expect{Number: number, Date: date})
		if err != nil || len(defs) != 0 {
			t.Errorf("%s: %v, %v; want no deficiencies", kind, defs, err)
		}
	}
}

func TestMetadataThatTheDocumentDoesNotShowIsAWarning_R13_3(t *testing.T) {
	in := mustInspector(t, Options{RequireSignature: true})
	data := mustRead(t, filepath.Join(examplesDir, "committee-decision.pdf"))
	number, date := metadata(t, "committee-decision")
	tests := map[string]struct {
		e    Expect
		want int
	}{
		"both shown":      {Expect{Number: number, Date: date}, 0},
		"other number":    {Expect{Number: "EK-2025/15", Date: date}, 1},
		"other date":      {Expect{Number: number, Date: date.AddDate(0, 0, 1)}, 1},
		"neither":         {Expect{Number: "XYZ-99", Date: date.AddDate(-1, 0, 0)}, 2},
		"number, spacing": {Expect{Number: " ek-2025/14 ", Date: date}, 0},
	}
	for name, tt := range tests {
		_, defs, err := in.InspectFor(context.Background(), bytes.NewReader(data), tt.e)
		if err != nil || len(defs) != tt.want || (tt.want > 0 && (defs.HasErrors() || defs[0].Code != CodeMetadataMismatch)) {
			t.Errorf("%s: %v, %v; want %d × %s warning", name, defs, err, tt.want, CodeMetadataMismatch)
		}
	}
}

func TestDateForms(t *testing.T) {
	d := time.Date(2025, 9, 3, 0, 0, 0, 0, time.UTC)
	re := dateForms(d)
	for _, s := range []string{"2025-09-03", "3.09.2025", "03.09.2025", "3.9.2025", "3.septembril2025", "3.september2025", "nr1,3.septembri2025"} {
		if !re.MatchString(s) {
			t.Errorf("%q not recognised as %s", s, d.Format(time.DateOnly))
		}
	}
	for _, s := range []string{"13.09.2025", "3.10.2025", "2025-09-30", "3.oktoobri2025", "23.09.2025"} {
		if re.MatchString(s) {
			t.Errorf("%q taken for %s", s, d.Format(time.DateOnly))
		}
	}
}

func TestToUnicodeMapDecodesCIDText(t *testing.T) {
	cmap := []byte(`begincmap 2 beginbfchar <0003> <0020> <0011> <00E4> endbfchar
1 beginbfrange <0024> <0026> <0041> endbfrange
1 beginbfrange <0030> <0031> [<005A> <017E>] endbfrange endcmap`)
	f := &fontDecoder{width: 2, uni: parseToUnicode(cmap)}
	if got := f.decode([]byte{0, 0x24, 0, 0x25, 0, 0x11, 0, 3, 0, 0x26, 0, 0x31}); got != "ABä Cž" {
		t.Errorf("decoded %q", got)
	}
	got := showText([]byte("BT /F9 12 Tf [(\\101) -200 <42>] TJ (x\\)y) Tj ET BI /W 1 ID \x00\xff EI"), map[string]*fontDecoder{})
	if got != "AB x)y " {
		t.Errorf("showText = %q", got)
	}
}

func TestInspectFileAgreesWithInspectBytes(t *testing.T) {
	in := mustInspector(t, Options{RequireSignature: true})
	for _, p := range append(fixtureFiles(t, examplesDir), filepath.Join(hostileDir, "xref-size-bomb.pdf"),
		filepath.Join(hostileDir, "truncated.pdf"), filepath.Join(hostileDir, "not-a-pdf.pdf")) {
		data := mustRead(t, p)
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		fr, fdefs, ferr := in.InspectFile(context.Background(), f, Expect{})
		f.Close()
		br, bdefs, berr := in.InspectBytes(context.Background(), data, Expect{})
		if ferr != nil || berr != nil || fr.SHA256 != br.SHA256 || fr.Pages != br.Pages ||
			!slices.Equal(codes(fdefs), codes(bdefs)) || len(fr.Signatures) != len(br.Signatures) {
			t.Errorf("%s: file %+v %v %v; bytes %+v %v %v", filepath.Base(p), fr, fdefs, ferr, br, bdefs, berr)
		}
	}
}
