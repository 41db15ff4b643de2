package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/notices/smtptest"
	wf "github.com/kutsekoda/alusdok/workflows"
)

type reportReceipt struct {
	ID          string          `json:"id"`
	Status      wf.ReportStatus `json:"status"`
	UnderReview bool            `json:"underReview"`
}

type reportRow struct {
	ID          string          `json:"id"`
	Status      wf.ReportStatus `json:"status"`
	Open        bool            `json:"open"`
	Deadline    *time.Time      `json:"deadline"`
	CorrectedBy string          `json:"correctedBy"`
	Resolution  string          `json:"resolution"`
}

func (a *apiStack) waitReport(tb testing.TB, id string, cond func(reportRow) bool, what string) reportRow {
	tb.Helper()
	var row reportRow
	eventually(tb, 30*time.Second, "report "+id+" "+what, func() (bool, error) {
		r := a.get(tb, clerk, "/api/v1/reports/"+id)
		if r.status != http.StatusOK {
			return false, nil // its first row is written by the workflow's first step
		}
		row = reportRow{}
		r.json(tb, &row)
		return cond(row), nil
	})
	return row
}

// publicCheck answers whether the public check of a certificate shows it
// under review.
func (a *apiStack) underReview(tb testing.TB, number string) bool {
	tb.Helper()
	r := a.get(tb, public, "/api/v1/register/certificates/"+number)
	if r.status != http.StatusOK {
		tb.Fatalf("public check of %s: %s", number, r)
	}
	var v map[string]any
	r.json(tb, &v)
	if v["underReview"] == true {
		if _, leaked := v["qualification"]; leaked {
			tb.Errorf("a certificate under review shows its data: %s", r)
		}
		return true
	}
	return false
}

// statsCell is the count of the example register's 2024 electricians in
// the public statistics.
func (a *apiStack) statsCell(tb testing.TB) int {
	tb.Helper()
	var s struct {
		Items []struct {
			Year, StandardID, Count int
		} `json:"items"`
	}
	a.get(tb, public, "/api/v1/register/certificates/statistics").json(tb, &s)
	for _, it := range s.Items {
		if it.Year == 2024 && it.StandardID == examples.ElectricianStandard {
			return it.Count
		}
	}
	return 0
}

// TestReportClosesAccessAtOnceAndTheSubmittersCorrectionReopensIt_R14 runs
// R14 on the real stack: anyone reports certificate 201588 wrong; the
// public check answers "under review" and the statistics leave it out
// before the answer; the submitter is asked in writing (R13.3); its `other`
// document changing the certificate is entered (R14.3) and the report ends
// corrected, access open again to the corrected record, every step in the
// processing log (R17).
func TestReportClosesAccessAtOnceAndTheSubmittersCorrectionReopensIt_R14(t *testing.T) {
	a := startAPI(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	before := a.statsCell(t)

	r := a.postJSON(t, public, "/api/v1/reports", map[string]any{"number": "201588",
		"reason": "Omaniku perekonnanimi on muutunud (isikukood 49207080151).", "email": "teataja@example.ee"})
	if r.status != http.StatusAccepted {
		t.Fatalf("report: %s", r)
	}
	var rc reportReceipt
	r.json(t, &rc)
	if rc.Status != wf.ReportUnderReview || !rc.UnderReview {
		t.Fatalf("receipt %+v", rc)
	}
	// R14.1: closed at once — before anything else happened.
	if !a.underReview(t, "201588") {
		t.Error("the public check still shows the reported certificate")
	}
	if got := a.statsCell(t); got != before-1 {
		t.Errorf("statistics count %d, want %d without the certificate under review", got, before-1)
	}
	row := a.waitReport(t, rc.ID, func(r reportRow) bool { return r.Deadline != nil }, "with its deadline")
	if !row.Open {
		t.Errorf("report %+v not open", row)
	}
	// R13.3: the inquiry is a written notice stored under the report.
	eventually(t, 30*time.Second, "inquiry stored", func() (bool, error) {
		_, err := a.sys.wiring.Store.Notice(ctx, wf.ReportRef(rc.ID), 1)
		return err == nil, nil
	})
	// A second report of the same certificate joins the open one.
	var rc2 reportReceipt
	a.postJSON(t, clerk, "/api/v1/reports", map[string]any{"number": "201588", "reason": "Sama viga."}).json(t, &rc2)
	if rc2.Status != wf.ReportJoined {
		t.Errorf("second report: %+v, want joined", rc2)
	}

	// R14.3: the submitter's `other` document changes the certificate.
	meta, pdf := readExample(t, documents.Other)
	sub := a.submit(t, body, meta, pdf, "")
	a.waitStatus(t, sub.ID, wf.StatusInReview)
	if r := a.postJSON(t, clerk, "/api/v1/submissions/"+sub.ID+"/decision", map[string]any{"action": "approve"}); r.status != http.StatusOK {
		t.Fatalf("approve: %s", r)
	}
	a.waitStatus(t, sub.ID, wf.StatusEntered)
	row = a.waitReport(t, rc.ID, func(r reportRow) bool { return r.Status == wf.ReportCorrected }, "corrected")
	if row.CorrectedBy != sub.ID || row.Open {
		t.Errorf("report %+v, want corrected by %s and closed", row, sub.ID)
	}
	if a.underReview(t, "201588") {
		t.Error("the corrected certificate is still under review")
	}
	if got := a.statsCell(t); got != before {
		t.Errorf("statistics count %d, want %d again", got, before)
	}
	// R17: the steps are in the processing log of the submission that
	// entered the certificate, without the personal code the reporter wrote.
	entries, err := a.sys.wiring.Audit.List(ctx, audit.Filter{SubmissionID: "seed"}, audit.Page{Limit: audit.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
		if strings.Contains(e.Detail, "49207080151") {
			t.Errorf("log entry %q holds a personal code", e.Detail)
		}
	}
	for _, want := range []string{"closed for review", "inquiry sent", "corrected", "reporter told"} {
		if !slices.Contains(actions, want) {
			t.Errorf("processing log %v lacks %q", actions, want)
		}
	}
	if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" {
		recordWorkflow(ctx, t, a.sys, wf.ReportWorkflowID(rc.ID), "report-corrected")
		recordWorkflow(ctx, t, a.sys, wf.ReportWorkflowID(rc2.ID), "report-joined")
	}
}

// TestCertificateUnderReviewLeavesTheOpenDataAndComesBackWhenTheClerkReopens
// runs the export workflow on the real stack before, during and after a
// review, and reads the open data as the public does: stable URLs, ETag,
// 304, gzip.
func TestCertificateUnderReviewLeavesTheOpenDataAndComesBackWhenTheClerkReopens_R14_1(t *testing.T) {
	a := startAPI(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	exportNow := func(name string) wf.ExportResult {
		t.Helper()
		run, err := a.sys.clients.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: wf.ExportScheduleID + "-" + dbName(t) + "-" + name, TaskQueue: a.sys.wiring.TaskQueue,
		}, wf.ExportWorkflow, wf.ExportInput{Keep: 30, MinCell: 1})
		if err != nil {
			t.Fatal(err)
		}
		var res wf.ExportResult
		if err := run.Get(ctx, &res); err != nil {
			t.Fatal(err)
		}
		if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" && name == "before" {
			recordWorkflow(ctx, t, a.sys, run.GetID(), "export")
		}
		return res
	}
	count2024 := func() (int, string) {
		t.Helper()
		r := a.get(t, public, "/opendata/valjastatudKutsed.json")
		if r.status != http.StatusOK {
			t.Fatalf("open data: %s", r)
		}
		var doc struct {
			Items []map[string]any `json:"items"`
		}
		r.json(t, &doc)
		n := 0
		for _, it := range doc.Items {
			if it["aasta"] == float64(2024) {
				n += int(it["arv"].(float64))
			}
		}
		return n, r.header.Get("ETag")
	}

	exportNow("before")
	before, etag := count2024()
	if before != 3 {
		t.Fatalf("2024 certificates in the open data: %d, want the example register's 3", before)
	}
	// Conditional and compressed reads of the stable URL.
	if r := a.do(t, request{method: http.MethodGet, path: "/opendata/valjastatudKutsed.json", header: map[string]string{"If-None-Match": etag}}); r.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", r.status)
	}
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/opendata/kutsestandardid.xml", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatalf("gzip: %v (Content-Encoding %q)", err, res.Header.Get("Content-Encoding"))
	}
	xmlBody, _ := io.ReadAll(zr)
	res.Body.Close()
	if !bytes.Contains(xmlBody, []byte("<kutsestandard>")) || res.Header.Get("Last-Modified") == "" {
		t.Errorf("gzip read: %q…, Last-Modified %q", xmlBody[:min(80, len(xmlBody))], res.Header.Get("Last-Modified"))
	}

	var rc reportReceipt
	a.postJSON(t, clerk, "/api/v1/reports", map[string]any{"number": "201587", "reason": "Väljaandmise koht on vale."}).json(t, &rc)
	a.waitReport(t, rc.ID, func(r reportRow) bool { return r.Deadline != nil }, "under review")
	time.Sleep(time.Second) // versions are named by the second
	exportNow("during")
	during, etag2 := count2024()
	if during != 2 || etag2 == etag {
		t.Errorf("during the review: %d in the open data (ETag %s), want 2 and a new version", during, etag2)
	}

	r := a.postJSON(t, clerk, "/api/v1/reports/"+rc.ID+"/resolution", map[string]any{"action": "data-correct", "reason": "Kontrollitud kutsekomisjoni protokolliga."})
	if r.status != http.StatusOK {
		t.Fatalf("resolution: %s", r)
	}
	a.waitReport(t, rc.ID, func(r reportRow) bool { return r.Status == wf.ReportConfirmed }, "confirmed")
	if a.underReview(t, "201587") {
		t.Error("still under review after the clerk reopened it")
	}
	time.Sleep(time.Second)
	exportNow("after")
	if after, _ := count2024(); after != 3 {
		t.Errorf("after reopening: %d in the open data, want 3 again", after)
	}
	var idx struct {
		Version  string `json:"version"`
		Files    []struct{ Name, SHA256 string }
		Versions []json.RawMessage
	}
	a.get(t, public, "/opendata").json(t, &idx)
	if len(idx.Versions) != 3 || len(idx.Files) != 26 {
		t.Errorf("index: %d versions, %d files; want 3 and 26", len(idx.Versions), len(idx.Files))
	}
	// R15.1: no holder's personal code, birth date or name in any file.
	pd := &personalData{names: map[string]bool{}}
	for _, c := range examples.Register().Certificates() {
		pd.add(c)
	}
	for _, f := range idx.Files {
		r := a.get(t, public, "/opendata/"+f.Name)
		if r.status != http.StatusOK || r.header.Get("ETag") != `"`+f.SHA256+`"` {
			t.Errorf("%s: %d, ETag %s", f.Name, r.status, r.header.Get("ETag"))
		}
		if leaks := pd.leaks(r.body); len(leaks) > 0 {
			t.Errorf("%s holds personal data: %v", f.Name, leaks)
		}
	}
	if os.Getenv("ALUSDOK_RECORD_HISTORIES") == "1" {
		recordWorkflow(ctx, t, a.sys, wf.ReportWorkflowID(rc.ID), "report-confirmed")
	}
}

// TestPersonReportsTheirOwnCertificateOnly_R13_3 enters the committee
// decision, then its first holder reports their certificate through /me:
// closed to the public, still theirs to see (marked); another's is 404.
func TestPersonReportsTheirOwnCertificateOnly_R13_3(t *testing.T) {
	a := startAPI(t, 0)
	meta, pdf := readExample(t, documents.CommitteeDecision)
	sub := a.submit(t, body, meta, pdf, "")
	a.waitStatus(t, sub.ID, wf.StatusInReview)
	if r := a.postJSON(t, clerk, "/api/v1/submissions/"+sub.ID+"/decision", map[string]any{"action": "approve"}); r.status != http.StatusOK {
		t.Fatalf("approve: %s", r)
	}
	a.waitStatus(t, sub.ID, wf.StatusEntered)

	if r := a.postJSON(t, person, "/api/v1/me/reports", map[string]any{"number": "201587", "reason": "Pole minu."}); r.status != http.StatusNotFound {
		t.Errorf("another's certificate through /me: %s, want 404", r)
	}
	r := a.postJSON(t, person, "/api/v1/me/reports", map[string]any{"number": holder.Number, "reason": "Kutse tase on vale."})
	if r.status != http.StatusAccepted {
		t.Fatalf("report: %s", r)
	}
	var rc reportReceipt
	r.json(t, &rc)
	if !a.underReview(t, holder.Number) {
		t.Error("the public still sees the reported certificate")
	}
	var mine struct {
		Certificates []struct {
			Certificate struct{ Number string } `json:"certificate"`
			UnderReview bool                    `json:"underReview"`
		} `json:"certificates"`
	}
	a.get(t, person, "/api/v1/me/certificates").json(t, &mine)
	marked := false
	for _, c := range mine.Certificates {
		marked = marked || c.Certificate.Number == holder.Number && c.UnderReview
	}
	if !marked {
		t.Errorf("the holder's own view does not mark the certificate under review: %+v", mine)
	}
	row := a.waitReport(t, rc.ID, func(r reportRow) bool { return r.Deadline != nil }, "under review")
	if row.Status != wf.ReportUnderReview {
		t.Errorf("report %+v", row)
	}
}

// TestExportScheduleExistsAndFollowsTheConfiguration: a worker's start
// creates the daily open-data schedule (02:00 Tallinn by default), with the
// export's policy as its workflow's input; a second start with another time
// updates it; an empty schedule deletes it.
func TestExportScheduleExistsAndFollowsTheConfiguration(t *testing.T) {
	ctx := context.Background()
	tc := wireWithoutWorker(t, defaults(t)).clients.Temporal
	for _, c := range []struct {
		cron         string
		hour, minute int
	}{{"0 2 * * *", 2, 0}, {"45 1 * * *", 1, 45}} {
		if err := app.EnsureExportSchedule(ctx, discardLog(), tc, "alusdok-test", config.OpenData{Schedule: c.cron, Keep: 30, MinCell: 3}); err != nil {
			t.Fatal(err)
		}
		d, err := tc.ScheduleClient().GetHandle(ctx, wf.ExportScheduleID).Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		spec := d.Schedule.Spec
		ok := slices.Equal(spec.CronExpressions, []string{c.cron})
		if len(spec.Calendars) == 1 && len(spec.Calendars[0].Hour) == 1 && len(spec.Calendars[0].Minute) == 1 {
			ok = spec.Calendars[0].Hour[0].Start == c.hour && spec.Calendars[0].Minute[0].Start == c.minute
		}
		if !ok || spec.TimeZoneName != "Europe/Tallinn" {
			t.Errorf("schedule spec %+v (zone %q), want %s in Europe/Tallinn", spec, spec.TimeZoneName, c.cron)
		}
		if a, isWF := d.Schedule.Action.(*client.ScheduleWorkflowAction); !isWF || a.Workflow != "ExportWorkflow" {
			t.Errorf("action %+v, want ExportWorkflow", d.Schedule.Action)
		}
	}
	if err := app.EnsureExportSchedule(ctx, discardLog(), tc, "alusdok-test", config.OpenData{}); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.ScheduleClient().GetHandle(ctx, wf.ExportScheduleID).Describe(ctx); err == nil {
		t.Error("the schedule is still there after it was turned off")
	}
}

// TestInquiryIsMailedToTheSubmitterAndTheReporterToldTheOutcome_R13_3: with
// SMTP configured, the inquiry reaches the awarding body's contact address
// as a PDF letter naming the certificate and the deadline, and the reporter
// is mailed the outcome when the clerk resolves the report.
func TestInquiryIsMailedToTheSubmitterAndTheReporterToldTheOutcome_R13_3(t *testing.T) {
	smtp := smtptest.Start(t)
	cfg := defaults(t)
	cfg.Worker.SMTP.Host, cfg.Worker.SMTP.Port = smtp.Host, smtp.Port
	sys := start(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	in := wf.ReportInput{ReportID: "r-" + dbName(t)[2:12], Target: wf.ReportTarget{Record: "certificate", Type: 1, Number: "201589"},
		Reporter: wf.Reporter{Role: wf.ReporterPublic, Name: "Tööandja", Email: "tooandja@example.ee"},
		Reason:   "Kutsetunnistus on kehtetuks tunnistatud.", ReportedAt: time.Now()}
	run, err := sys.clients.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: wf.ReportWorkflowID(in.ReportID), TaskQueue: sys.wiring.TaskQueue}, wf.ReportWorkflow, in)
	if err != nil {
		t.Fatal(err)
	}
	var letter []byte
	eventually(t, 60*time.Second, "inquiry mailed", func() (bool, error) {
		for _, m := range smtp.Messages() {
			if slices.Contains(m.To, "kutse@eetel.ee") && len(m.Attachments) == 1 {
				letter = m.Attachments[0].Data
				return true, nil
			}
		}
		return false, nil
	})
	text := pdftotext(t, letter)
	for _, want := range []string{"kutsetunnistus 201589", "Parandamise tähtaeg", "Kutsetunnistus on kehtetuks tunnistatud"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("inquiry lacks %q:\n%s", want, text)
		}
	}
	h, err := sys.clients.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: wf.ReportWorkflowID(in.ReportID),
		UpdateName: wf.UpdateResolve, WaitForStage: client.WorkflowUpdateStageCompleted,
		Args: []any{wf.Resolution{Action: wf.ResolveDataCorrect, Reason: "Tunnistus kehtib.", Clerk: "Mari Maasikas"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var st wf.ReportState
	if err := run.Get(ctx, &st); err != nil || st.Status != wf.ReportConfirmed || st.ReporterTold != wf.DeliverySent {
		t.Fatalf("report %v: %s, reporter told %q", err, st.Status, st.ReporterTold)
	}
	told := false
	for _, m := range smtp.Messages() {
		told = told || slices.Contains(m.To, "tooandja@example.ee") && strings.Contains(m.Text, "Tunnistus kehtib.")
	}
	if !told {
		t.Error("the reporter was not mailed the outcome with the clerk's reason")
	}
}
