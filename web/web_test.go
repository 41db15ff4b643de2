package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/workdays"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// newTestWeb is the front without a backend or database: enough for the
// pages that read nothing.
func newTestWeb(t *testing.T) *gin.Engine {
	t.Helper()
	gin.SetMode(gin.TestMode)
	w, err := New(Options{InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	w.Register(r)
	return r
}

func get(t *testing.T, r http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestPagesHaveAStrictContentSecurityPolicy(t *testing.T) {
	r := newTestWeb(t)
	for _, path := range []string{"/", "/avaandmed", "/sisene", "/no-such-page"} {
		rec := get(t, r, path)
		csp := rec.Header().Get("Content-Security-Policy")
		if strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if body := rec.Body.String(); strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
			t.Errorf("%s: an inline script or style", path)
		}
	}
	if rec := get(t, r, "/no-such-page"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Lehte ei leitud") {
		t.Errorf("404 page: %d", rec.Code)
	}
}

func TestUnknownAPIPathStaysAJSONProblem(t *testing.T) {
	rec := get(t, newTestWeb(t), "/api/v1/no-such-thing")
	if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
		t.Errorf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestStaticAssetsHaveContentHashedNames(t *testing.T) {
	r := newTestWeb(t)
	name := assets["app.css"]
	if name == "app.css" || !strings.HasPrefix(name, "app.") {
		t.Fatalf("hashed name %q", name)
	}
	rec := get(t, r, "/static/"+name)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("%d %s", rec.Code, rec.Header().Get("Cache-Control"))
	}
	if rec := get(t, r, "/static/app.css"); rec.Code != http.StatusNotFound {
		t.Errorf("the unhashed name answers %d", rec.Code)
	}
}

func TestLanguageIsRememberedInACookie(t *testing.T) {
	r := newTestWeb(t)
	rec := get(t, r, "/keel/en?tagasi=/avaandmed")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/avaandmed" || !strings.Contains(rec.Header().Get("Set-Cookie"), "alusdok_lang=en") {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	req := httptest.NewRequest(http.MethodGet, "/avaandmed", nil)
	req.AddCookie(&http.Cookie{Name: langCookie, Value: "en"})
	out := httptest.NewRecorder()
	r.ServeHTTP(out, req)
	if !strings.Contains(out.Body.String(), `<html lang="en">`) || !strings.Contains(out.Body.String(), "Open data") {
		t.Errorf("English page: %.300s", out.Body.String())
	}
}

func TestRedirectsStayOnTheSite(t *testing.T) {
	for in, want := range map[string]string{"/tooloend": "/tooloend", "https://evil.example/": "/", "//evil.example": "/", "/\\evil": "/", "": "/"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	r := newTestWeb(t)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/sisene/demo", strings.NewReader("identity=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: strings.Repeat("a", 43)})
	r.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Vorm on aegunud") {
		t.Errorf("%d", rec.Code)
	}
}

func TestDeficiencyPathsFindTheirRowAndColumn(t *testing.T) {
	i, f, ok := certField("metadata.payload.certificates[3].personalCode")
	if !ok || i != 3 || f != "personalCode" {
		t.Fatalf("%d %q %v", i, f, ok)
	}
	if got := fieldLabel("et", "metadata.payload.certificates[3].personalCode"); got != "Tunnistus 4: isikukood" {
		t.Errorf("label %q", got)
	}
	if got := fieldLabel("en", "metadata.payload.certificates[0].standard.id"); got != "Certificate 1: standard id" {
		t.Errorf("label %q", got)
	}
	var defs deficiency.List
	defs.Add("metadata.payload.certificates[3].personalCode", "personal-code.check-digit", "Isikukoodi kontrollnumber ei klapi.", "The personal code's check digit does not match.")
	defs.Add("metadata.number", "required", "Number puudub.", "The number is missing.")
	summary, rows := placeDeficiencies("et", defs, nil, true)
	if len(rows) != 1 || rows[0].Anchor != "row-4" || rows[0].Line != 5 || rows[0].Column != "personalCode" {
		t.Errorf("rows %+v", rows)
	}
	if len(summary) != 2 || summary[0].Field != "row-4" || summary[1].Field != "number" {
		t.Errorf("summary %+v", summary)
	}
}

func TestValidatorRefusalsGoToTheirFields(t *testing.T) {
	cases := []struct {
		action wf.Action
		reason string
		field  string
	}{
		{wf.ActionRefuse, "refuse: a reason is required (R12.4)", "refuse-reason"},
		{wf.ActionExtend, "extend: a reason is required (R12.3)", "extend-reason"},
		{wf.ActionExtend, "extend: extensions together may not exceed the limit: 15 working days already, 10 more would make 25, the limit is 20 (R12.3)", "extend-days"},
		{wf.ActionRequestCorrections, "request-corrections: a list of deficiencies is required", "corrections-list"},
		{wf.ActionApprove, "the document has unresolved deficiencies: refuse it or request corrections", "approve-button"},
		{wf.ActionApprove, "decision: not possible in the submission's present status (entered)", "decisions"},
	}
	for _, c := range cases {
		if got := refusalField(c.action, c.reason); got != c.field {
			t.Errorf("%s %q: field %s, want %s", c.action, c.reason, got, c.field)
		}
	}
	w := &Web{}
	if got := w.refusalText("et", "refuse: a reason is required (R12.4)"); !strings.Contains(got, "Sisestage põhjendus") {
		t.Errorf("text %q", got)
	}
}

func TestRegisterDataOfOtherKindsIsATableWithDeficienciesAtTheirFields(t *testing.T) {
	doc := &documents.BaseDocument{Payload: documents.Payload{Council: &documents.Council{ID: "elekter", Name: "Energeetika kutsenõukogu",
		Members: []documents.Member{{Name: "Mari Maasikas", Role: documents.RoleChair}}}}}
	rows := payloadRows("et", doc, map[string][]string{"payload.council.members[0].role": {"Roll puudub."}})
	var found bool
	for _, r := range rows {
		if r.Path == "payload.council.members[0].role" {
			found = true
			if r.Label != "council.members 1.role" || r.Value != "chair" || len(r.Errs) != 1 {
				t.Errorf("row %+v", r)
			}
		}
	}
	if !found {
		t.Fatalf("rows %+v", rows)
	}
}

func TestWorklistGroupsByWorkingDaysToTheDeadline(t *testing.T) {
	cal, err := workdays.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := &Web{cal: cal}
	// Monday 7 December 2026, 10:00 in Tallinn; Christmas is ahead.
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		deadline time.Time
		want     string
	}{
		{now.Add(-time.Minute), groupOverdue},
		{cal.AddWorkingDays(now, 3), groupSoon},  // end of Thursday
		{cal.AddWorkingDays(now, 4), groupLater}, // end of Friday
		{time.Time{}, groupLater},
	}
	for _, c := range cases {
		if got := w.group(SubmissionView{Status: wf.StatusInReview, EntryDeadline: c.deadline}, now); got != c.want {
			t.Errorf("deadline %s: %s, want %s", c.deadline, got, c.want)
		}
	}
}
