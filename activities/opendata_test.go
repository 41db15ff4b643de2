package activities_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/opendata"
	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// seedCertificates enters n generated certificates (names, personal codes,
// some birth dates) and three of another year, a cell too small to publish.
func seedCertificates(t *testing.T, st *store.Store, n int) []documents.Certificate {
	t.Helper()
	certs := examples.GenerateCommitteeDecision(n).Payload.Certificates
	for i := range certs {
		if i%7 == 0 {
			certs[i].BirthDate = documents.MustDate(1971, time.March, 9)
		}
		if i < 2 { // a small cell: two certificates of 2023
			certs[i].IssuedOn = documents.MustDate(2023, time.May, 2)
		}
	}
	_, err := st.EnterPlan(context.Background(), documents.Plan{Certificates: certs},
		store.Entry{SubmissionID: "gen", EntryNumber: "KR-gen", At: time.Now()}, store.Progress{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return certs
}

type exported struct {
	version store.OpenDataVersion
	files   map[string][]byte
}

func export(t *testing.T, st *store.Store, at time.Time) exported {
	t.Helper()
	ctx := context.Background()
	v, err := activities.ExportVersion(ctx, st, activities.VersionID(at), at, 3, "https://opendata.example/opendata/")
	if err != nil {
		t.Fatal(err)
	}
	out := exported{version: v, files: map[string][]byte{}}
	for _, f := range v.Files {
		var b bytes.Buffer
		if err := st.WriteOpenDataFile(ctx, f, &b); err != nil {
			t.Fatal(err)
		}
		out.files[f.Name] = b.Bytes()
	}
	return out
}

// statsCount is the number of certificates of the example electrician
// standard in 2025 in the qualifications dataset, as JSON says it.
func statsCount(t *testing.T, e exported) (n int, rows int) {
	t.Helper()
	var doc struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(e.files["valjastatudKutsed.json"], &doc); err != nil {
		t.Fatal(err)
	}
	for _, it := range doc.Items {
		if it["aasta"] == float64(2025) && it["standard"] == float64(examples.ElectricianStandard) {
			n += int(it["arv"].(float64))
		}
	}
	return n, len(doc.Items)
}

func TestOpenDataHasNoPersonalDataInAnyDatasetOrFormat_R15_1(t *testing.T) {
	r := newRig(t)
	certs := seedCertificates(t, r.st, 120)
	e := export(t, r.st, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))

	var forbidden []string
	for _, c := range append(certs, examples.Register().Certificates()...) {
		if c.PersonalCode != "" {
			forbidden = append(forbidden, c.PersonalCode)
		}
		forbidden = append(forbidden, c.GivenName+" "+c.FamilyName, c.FamilyName+", "+c.GivenName)
		if !c.BirthDate.IsZero() {
			forbidden = append(forbidden, c.BirthDate.String(), c.BirthDate.Time().Format("02.01.2006"))
		}
	}
	anyCode := regexp.MustCompile(`[1-6]\d{10}`)
	wantFiles := 0
	for _, d := range opendata.Datasets {
		for _, f := range []string{".xml", ".json", ".csv", ".xsd"} {
			if _, ok := e.files[d.ID+f]; !ok {
				t.Errorf("no %s%s in the version", d.ID, f)
			}
			wantFiles++
		}
	}
	if len(e.files) != wantFiles+2 {
		t.Errorf("%d files, want %d datasets' files + selgitus.md + dcat.rdf", len(e.files), wantFiles)
	}
	for name, b := range e.files {
		s := string(b)
		for _, f := range forbidden {
			if strings.Contains(s, f) {
				t.Errorf("%s contains personal data %q", name, f)
			}
		}
		for _, m := range anyCode.FindAllString(s, -1) {
			if documents.ValidPersonalCode(m) {
				t.Errorf("%s contains a personal code", name)
			}
		}
		switch filepath.Ext(name) {
		case ".json":
			if !json.Valid(b) {
				t.Errorf("%s is not valid JSON", name)
			}
		case ".csv":
			if _, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	n, _ := statsCount(t, e)
	// The examples' own certificates (from 2025) count too; the two of
	// 2023 form a cell below 3 and are left out.
	if n < 118 {
		t.Errorf("2025 electricians counted %d, want at least the 118 generated", n)
	}
	if strings.Contains(string(e.files["valjastatudKutsed.csv"]), "2023,") {
		t.Error("a statistics cell of fewer than 3 certificates was published")
	}
	if e.version.Suppressed == 0 {
		t.Error("no cell suppressed")
	}
	if !strings.Contains(string(e.files["selgitus.md"]), "`kutsestandardid/kutsestandard/registritahis`") {
		t.Error("the explanatory document does not explain the standards' registritahis")
	}
}

// TestOpenDataValidatesAgainstItsXSD runs xmllint --schema over every
// dataset (make test installs libxml2-utils).
func TestOpenDataValidatesAgainstItsXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (make test-deps installs libxml2-utils)")
	}
	r := newRig(t)
	seedCertificates(t, r.st, 30)
	e := export(t, r.st, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	for name, b := range e.files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range opendata.Datasets {
		out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join(dir, d.ID+".xsd"), filepath.Join(dir, d.ID+".xml")).CombinedOutput()
		if err != nil {
			t.Errorf("%s.xml does not validate against %s.xsd: %v\n%s", d.ID, d.ID, err, out)
		}
	}
	if out, err := exec.Command(xmllint, "--noout", filepath.Join(dir, "dcat.rdf")).CombinedOutput(); err != nil {
		t.Errorf("dcat.rdf is not well-formed: %v\n%s", err, out)
	}
}

func TestCertificateUnderReviewIsAbsentFromTheOpenDataUntilReopened_R14_1(t *testing.T) {
	r := newRig(t)
	certs := seedCertificates(t, r.st, 10)
	ctx := context.Background()
	before, _ := statsCount(t, export(t, r.st, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)))

	key := store.CertificateReviewKey(certs[5].Key())
	if held, err := r.st.CloseForReview(ctx, key, "rep1", time.Now()); err != nil || held != "rep1" {
		t.Fatalf("close: held by %q, %v", held, err)
	}
	during, _ := statsCount(t, export(t, r.st, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)))
	if during != before-1 {
		t.Errorf("under review: counted %d, want %d", during, before-1)
	}
	// Another report cannot take or lift the marker.
	if held, _ := r.st.CloseForReview(ctx, key, "rep2", time.Now()); held != "rep1" {
		t.Errorf("second report holds %q", held)
	}
	if err := r.st.Reopen(ctx, key, "rep2"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.UnderReview(ctx, key); err != nil {
		t.Errorf("another report lifted the marker: %v", err)
	}
	if err := r.st.Reopen(ctx, key, "rep1"); err != nil {
		t.Fatal(err)
	}
	after, _ := statsCount(t, export(t, r.st, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)))
	if after != before {
		t.Errorf("reopened: counted %d, want %d again", after, before)
	}
}

func TestExportKeepsTheLastVersionsAndIsIdempotent(t *testing.T) {
	r := newRig(t)
	var last wf.ExportResult
	for day := 1; day <= 4; day++ {
		at := time.Date(2026, 11, day, 0, 0, 0, 0, time.UTC)
		for range 2 { // a retried run writes nothing new
			v, err := r.env.ExecuteActivity(wf.ActivityExport, wf.ExportRequest{ExportInput: wf.ExportInput{Keep: 2, MinCell: 3}, At: at})
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Get(&last); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, err := r.st.OpenDataVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].ID != "20261104T000000Z" || last.Version != all[0].ID {
		t.Errorf("versions kept %+v, last %+v; want the newest two", all, last)
	}
	latest, err := r.st.LatestOpenData(context.Background())
	if err != nil || latest.ID != "20261104T000000Z" {
		t.Errorf("latest %q, %v", latest.ID, err)
	}
	n := count(t, r.st, store.BucketOpenData+".files", bson.D{})
	if n != int64(2*len(latest.Files)) {
		t.Errorf("%d stored files, want %d (older versions' files removed)", n, 2*len(latest.Files))
	}
}
