package opendata_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/opendata"
)

// write encodes rows of dataset d in every format.
func write(t *testing.T, d opendata.Dataset, rows []opendata.Row) map[opendata.Format]string {
	t.Helper()
	out := map[opendata.Format]string{}
	for _, f := range opendata.Formats {
		var b bytes.Buffer
		enc, err := opendata.NewEncoder(f, &b, d, "20261128T000000Z")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := enc.Row(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
	}
	return out
}

func TestEveryDatasetOfTheExampleRegisterValidatesAgainstItsXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (make test-deps installs libxml2-utils)")
	}
	reg := examples.Register()
	stats := opendata.NewStats()
	for _, c := range reg.Certificates() {
		stats.Add(&c)
	}
	statRows, _ := stats.Rows(1, nil, nil)
	var std, comp, bodies, councils []opendata.Row
	for _, s := range reg.Standards() {
		std = append(std, opendata.StandardRow(s))
		comp = append(comp, opendata.CompetenceRows(s)...)
	}
	for _, b := range reg.AwardingBodies() {
		bodies = append(bodies, opendata.AwardingBodyRow(b))
	}
	for _, c := range reg.Councils() {
		councils = append(councils, opendata.CouncilRow(c))
	}
	rows := map[string][]opendata.Row{
		opendata.Qualifications: statRows, opendata.Standards: std, opendata.Competences: comp,
		opendata.AwardingBodies: bodies, opendata.Councils: councils, opendata.Classifier: opendata.ClassifierRows(),
	}
	dir := t.TempDir()
	for _, d := range opendata.Datasets {
		if len(rows[d.ID]) == 0 {
			t.Errorf("%s: the example register gives no rows", d.ID)
		}
		files := write(t, d, rows[d.ID])
		var xsd bytes.Buffer
		if err := d.XSD(&xsd); err != nil {
			t.Fatal(err)
		}
		xp, sp := filepath.Join(dir, d.ID+".xml"), filepath.Join(dir, d.ID+".xsd")
		if err := os.WriteFile(xp, []byte(files[opendata.XML]), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sp, xsd.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--schema", sp, xp).CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", d.ID, err, out)
		}
		if testing.Verbose() {
			t.Logf("%s.xml:\n%s", d.ID, files[opendata.XML][:min(len(files[opendata.XML]), 1500)])
		}
	}
}

func TestAnXMLFileWithAPersonalElementFailsItsXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed")
	}
	d, _ := opendata.Lookup(opendata.Qualifications)
	dir := t.TempDir()
	var xsd bytes.Buffer
	if err := d.XSD(&xsd); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(write(t, d, []opendata.Row{{"aasta": 2025, "standard": 1, "versioon": 1, "ekrtase": 4, "tyyp": 1,
		"valjastaja": "80037514", "arv": 5}})[opendata.XML], "<arv>", "<isikukood>39804172200</isikukood><arv>", 1)
	xp, sp := filepath.Join(dir, "x.xml"), filepath.Join(dir, "x.xsd")
	_ = os.WriteFile(xp, []byte(bad), 0o600)
	_ = os.WriteFile(sp, xsd.Bytes(), 0o600)
	if out, err := exec.Command(xmllint, "--noout", "--schema", sp, xp).CombinedOutput(); err == nil {
		t.Errorf("an isikukood element passed the schema:\n%s", out)
	}
}

func TestSmallCellsAreLeftOut(t *testing.T) {
	s := opendata.NewStats()
	c := documents.Certificate{Type: 1, Standard: documents.StandardRef{ID: 7, Version: 1}, Level: 4, Issuer: "80037514",
		IssuedOn: documents.MustDate(2025, 6, 12)}
	for range 3 {
		s.Add(&c)
	}
	c.Level = 5
	s.Add(&c)
	s.Add(&c)
	rows, suppressed := s.Rows(3, nil, nil)
	if len(rows) != 1 || rows[0]["arv"] != 3 || suppressed != 1 {
		t.Errorf("rows %v suppressed %d; want the cell of 3 only", rows, suppressed)
	}
}

func TestExplanatoryDocumentComesFromTheXSDAnnotations(t *testing.T) {
	var b bytes.Buffer
	if err := opendata.Explain(&b, "v1"); err != nil {
		t.Fatal(err)
	}
	for _, d := range opendata.Datasets {
		for _, f := range d.Fields {
			if !strings.Contains(b.String(), "/"+f.Name+"`") {
				t.Errorf("%s: element %s not explained", d.ID, f.Name)
			}
		}
	}
	if !strings.Contains(b.String(), "Registritähis / Registry mark") {
		t.Error("annotation text missing")
	}
}
