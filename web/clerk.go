package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// pageSize is the rows of a worklist or certificate table page.
const pageSize = 50

var openStatuses = []wf.Status{wf.StatusReceived, wf.StatusAwaitingCorrections, wf.StatusInReview, wf.StatusEntering}

// The worklist's groups, by entry deadline.
const (
	groupOverdue = "overdue"
	groupSoon    = "soon" // due within 3 working days
	groupLater   = "later"
)

type worklistRow struct {
	SubmissionView
	Group string
}

type worklistGroup struct {
	Key   string
	Count int
	Rows  []worklistRow
}

type worklistData struct {
	Kind, Submitter, Status, Assignee string
	Escalated                         bool
	Kinds                             []string
	Statuses                          []wf.Status
	Groups                            []worklistGroup
	Total, Page, Pages                int
	PrevURL, NextURL                  string
	Results                           []bulkResult
	CanApprove                        bool
}

type bulkResult struct {
	ID, Number, Message string
	OK                  bool
}

// group says which part of the worklist a submission belongs to.
func (w *Web) group(s SubmissionView, now time.Time) string {
	switch {
	case s.EntryDeadline.IsZero():
		return groupLater
	case now.After(s.EntryDeadline):
		return groupOverdue
	case !s.EntryDeadline.After(w.cal.AddWorkingDays(now, 3)):
		return groupSoon
	}
	return groupLater
}

func (w *Web) worklist(c *gin.Context) {
	w.renderWorklist(c, http.StatusOK, nil)
}

func (w *Web) renderWorklist(c *gin.Context, status int, results []bulkResult) {
	q := SubmissionQuery{Kind: c.Query("kind"), Organisation: c.Query("submitter"), Escalated: c.Query("escalated") == "1",
		Assignee: c.Query("assignee"), Statuses: openStatuses}
	d := worklistData{Kind: q.Kind, Submitter: q.Organisation, Escalated: q.Escalated, Assignee: q.Assignee,
		Status: c.Query("status"), Kinds: kindNames(), Statuses: openStatuses, Results: results,
		CanApprove: principal(c).Is(auth.RoleClerk)}
	if st := wf.Status(d.Status); slices.Contains(openStatuses, st) {
		q.Statuses = []wf.Status{st}
	} else {
		d.Status = ""
	}
	subs, err := w.b.ListSubmissions(c.Request.Context(), q)
	if err != nil {
		w.internalError(c, err)
		return
	}
	now := w.now()
	d.Groups = []worklistGroup{{Key: groupOverdue}, {Key: groupSoon}, {Key: groupLater}}
	idx := map[string]int{groupOverdue: 0, groupSoon: 1, groupLater: 2}
	rows := make([]worklistRow, len(subs))
	for i, s := range subs {
		g := w.group(s, now)
		rows[i] = worklistRow{SubmissionView: s, Group: g}
		d.Groups[idx[g]].Count++
	}
	// Overdue first, then due soon, then later; each by deadline (the
	// list comes sorted by deadline, and the groups follow it).
	slices.SortStableFunc(rows, func(a, b worklistRow) int { return idx[a.Group] - idx[b.Group] })
	d.Total = len(rows)
	d.Pages = max(1, (d.Total+pageSize-1)/pageSize)
	d.Page = min(max(1, atoi(c.Query("page"))), d.Pages)
	for _, r := range rows[(d.Page-1)*pageSize : min(d.Total, d.Page*pageSize)] {
		g := &d.Groups[idx[r.Group]]
		g.Rows = append(g.Rows, r)
	}
	link := func(p int) string {
		v := c.Request.URL.Query()
		v.Set("page", strconv.Itoa(p))
		return "/tooloend?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = link(d.Page + 1)
	}
	w.render(c, status, "worklist.html", "worklist.title", d)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func kindNames() []string {
	out := make([]string, 0, 7)
	for _, k := range documents.Kinds() {
		out = append(out, string(k))
	}
	return out
}

// bulkApprove approves the chosen submissions one by one, each through the
// workflow's validator, and shows what became of each.
func (w *Web) bulkApprove(c *gin.Context) {
	ids := c.PostFormArray("id")
	p := principal(c)
	var results []bulkResult
	for _, id := range ids {
		sub, err := w.b.Submission(c.Request.Context(), id)
		if err != nil || !p.MaySee(sub.Organisation) {
			continue
		}
		r := bulkResult{ID: id, Number: sub.Number, OK: true}
		err = w.b.Decide(c.Request.Context(), id, wf.Decision{Action: wf.ActionApprove, Clerk: p.Name})
		if err != nil {
			reason, ok := w.b.Refusal(err)
			if !ok {
				w.internalError(c, err)
				return
			}
			r.OK, r.Message = false, w.refusalText(language(c), reason)
		} else {
			w.settle(c, sub)
		}
		results = append(results, r)
	}
	w.renderWorklist(c, http.StatusOK, results)
}

// settle waits briefly until the read model shows the workflow's answer to
// an action, so that the page after it is up to date.
func (w *Web) settle(c *gin.Context, before SubmissionView) {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && c.Request.Context().Err() == nil {
		s, err := w.b.Submission(c.Request.Context(), before.ID)
		if err == nil && (s.Status != before.Status || len(s.Notices) != len(before.Notices) ||
			s.ExtendedDays != before.ExtendedDays || s.Assignee != before.Assignee) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// settleNew waits briefly for a new submission's first steps (validation,
// deadlines), as the API's answer does, so that the next page shows them.
func (w *Web) settleNew(c *gin.Context, id string) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && c.Request.Context().Err() == nil {
		s, err := w.b.Submission(c.Request.Context(), id)
		if err == nil && s.Kind != "" && (!s.EntryDeadline.IsZero() || s.Status.Final()) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type defRow struct {
	Field   string
	Label   string
	Message string
	Warning bool
}

type certRow struct {
	N    int // 1-based
	Cert documents.Certificate
	Errs []string
}

type submissionData struct {
	Sub               SubmissionView
	Overdue           bool
	Upload            UploadView
	Doc               *documents.BaseDocument
	DocErrs           map[string][]string // metadata field → messages
	Deficiencies      []defRow
	Certs             []certRow
	Payload           []payloadRow // the register data of a document without certificates
	CertPage          int
	CertPages         int
	CertPrev          string
	CertNext          string
	Timeline          []LogEntry
	ExtensionLeft     int
	CanDecide         bool
	CanClaim          bool
	CanWithdraw       bool
	CanCorrect        bool
	IsClerk           bool
	Clerks            []string
	Corrections       string // pre-filled correction request
	Form              map[string]string
	AssignUnsupported bool
}

func (w *Web) submissionPage(c *gin.Context) {
	sub, ok := w.loadSubmission(c)
	if !ok {
		return
	}
	w.renderSubmission(c, http.StatusOK, sub, nil, nil)
}

func (w *Web) renderSubmission(c *gin.Context, status int, sub SubmissionView, errs []fieldError, form map[string]string) {
	ctx := c.Request.Context()
	lang := language(c)
	p := principal(c)
	d := submissionData{Sub: sub, Overdue: sub.Overdue(w.now()), DocErrs: map[string][]string{}, Form: form,
		ExtensionLeft: max(0, w.o.MaxExtensionDays-sub.ExtendedDays), Clerks: w.o.Clerks, IsClerk: p.Is(auth.RoleClerk),
		CanDecide:   p.Is(auth.RoleClerk) && sub.Status == wf.StatusInReview,
		CanClaim:    p.Is(auth.RoleClerk) && !sub.Status.Final(),
		CanWithdraw: p.Is(auth.RoleSubmitter) && !sub.Status.Final() && sub.Status != wf.StatusEntering,
		CanCorrect:  p.Is(auth.RoleSubmitter) && sub.Status == wf.StatusAwaitingCorrections}
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	up, doc, err := w.b.LatestUpload(ctx, sub)
	if err != nil && !errors.Is(err, ErrNotFound) {
		w.internalError(c, err)
		return
	}
	d.Upload, d.Doc = up, doc
	var lines []string
	for _, def := range sub.Deficiencies {
		msg := messageIn(lang, def.Message)
		d.Deficiencies = append(d.Deficiencies, defRow{Field: def.Field, Label: fieldLabel(lang, def.Field), Message: msg,
			Warning: def.Severity == deficiency.Warning})
		f := strings.TrimPrefix(def.Field, "metadata.")
		d.DocErrs[f] = append(d.DocErrs[f], msg)
		if def.Severity == deficiency.Error {
			lines = append(lines, def.Field+" | "+def.Message.ET)
		}
	}
	if form["corrections"] == "" {
		d.Form["corrections"] = strings.Join(lines, "\n")
	}
	if doc != nil && len(doc.Payload.Certificates) == 0 {
		d.Payload = payloadRows(lang, doc, d.DocErrs)
	}
	if doc != nil && len(doc.Payload.Certificates) > 0 {
		certs := doc.Payload.Certificates
		d.CertPages = (len(certs) + pageSize - 1) / pageSize
		d.CertPage = min(max(1, atoi(c.Query("lk"))), d.CertPages)
		from, to := (d.CertPage-1)*pageSize, min(len(certs), d.CertPage*pageSize)
		for i := from; i < to; i++ {
			prefix := fmt.Sprintf("payload.certificates[%d]", i)
			var es []string
			for f, msgs := range d.DocErrs {
				if f == prefix || strings.HasPrefix(f, prefix+".") {
					es = append(es, msgs...)
				}
			}
			d.Certs = append(d.Certs, certRow{N: i + 1, Cert: certs[i], Errs: es})
		}
		if d.CertPage > 1 {
			d.CertPrev = fmt.Sprintf("/taotlus/%s?lk=%d#tunnistused", sub.ID, d.CertPage-1)
		}
		if d.CertPage < d.CertPages {
			d.CertNext = fmt.Sprintf("/taotlus/%s?lk=%d#tunnistused", sub.ID, d.CertPage+1)
		}
		// Showing the holders is reading their personal data (R16.3).
		w.b.LogRead(ctx, p, "GET /taotlus/:id", doc.Number, certs[from:to])
	}
	if d.Timeline, err = w.b.Timeline(ctx, sub.ID); err != nil {
		w.internalError(c, err)
		return
	}
	pg := w.newPage(c, "submission.title", d)
	pg.Errors = errs
	w.renderPage(c, status, "submission.html", pg)
}

func messageIn(lang string, m deficiency.Message) string {
	if lang == "en" && m.EN != "" {
		return m.EN
	}
	return m.ET
}

// document streams the original signed PDF for the inline viewer. Its own
// answer may be framed by this site's pages (frame-ancestors 'self').
func (w *Web) document(c *gin.Context) { w.streamPDF(c, DocumentRef{}) }

func (w *Web) rendition(c *gin.Context) { w.streamPDF(c, DocumentRef{Rendition: true}) }

func (w *Web) notice(c *gin.Context) {
	n := atoi(c.Param("n"))
	if n < 1 {
		w.notFound(c)
		return
	}
	w.streamPDF(c, DocumentRef{Notice: n})
}

func (w *Web) streamPDF(c *gin.Context, ref DocumentRef) {
	sub, ok := w.loadSubmission(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	blob, err := w.b.OpenDocument(ctx, sub, ref)
	if errors.Is(err, ErrNotFound) {
		w.notFound(c)
		return
	}
	if err != nil {
		w.internalError(c, err)
		return
	}
	if ref.Notice == 0 {
		if _, doc, err := w.b.LatestUpload(ctx, sub); err == nil && doc != nil {
			w.b.LogRead(ctx, principal(c), c.Request.Method+" "+c.FullPath(), doc.Number, doc.Payload.Certificates)
		}
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.FormatInt(blob.Length, 10))
	disp := "inline"
	if c.Query("lae") == "1" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp+`; filename="`+blob.Filename+`"`)
	c.Status(http.StatusOK)
	if err := blob.WriteTo(c.Writer); err != nil && ctx.Err() == nil {
		w.log.ErrorContext(ctx, "stream document", "error", err)
	}
}

// decide carries a clerk's decision to the workflow. What its validator
// refuses is shown next to the form's field, in the page's language.
func (w *Web) decide(c *gin.Context) {
	sub, ok := w.loadSubmission(c)
	if !ok {
		return
	}
	lang := language(c)
	action := wf.Action(c.PostForm("action"))
	form := map[string]string{"action": string(action), "reason": c.PostForm("reason"),
		"workingDays": c.PostForm("workingDays"), "corrections": c.PostForm("corrections")}
	d := wf.Decision{Action: action, Reason: strings.TrimSpace(c.PostForm("reason")), Clerk: principal(c).Name}
	var errs []fieldError
	switch action {
	case wf.ActionExtend:
		n, err := strconv.Atoi(strings.TrimSpace(c.PostForm("workingDays")))
		if err != nil {
			errs = append(errs, fieldError{Field: "extend-days", Message: translate(lang, "decide.days-number")})
		}
		d.WorkingDays = n
	case wf.ActionRequestCorrections:
		d.Deficiencies = parseCorrections(c.PostForm("corrections"))
	}
	if len(errs) == 0 {
		err := w.b.Decide(c.Request.Context(), sub.ID, d)
		if err == nil {
			w.settle(c, sub)
			c.Redirect(http.StatusSeeOther, "/taotlus/"+sub.ID)
			return
		}
		reason, ok := w.b.Refusal(err)
		if !ok {
			w.internalError(c, err)
			return
		}
		errs = append(errs, fieldError{Field: refusalField(action, reason), Message: w.refusalText(lang, reason)})
	}
	w.renderSubmission(c, http.StatusUnprocessableEntity, sub, errs, form)
}

// parseCorrections reads the correction request's lines: "field | what is
// wrong" (a line without a field concerns the whole document).
func parseCorrections(s string) deficiency.List {
	var l deficiency.List
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		field, msg, ok := strings.Cut(line, "|")
		if !ok {
			field, msg = "", line
		}
		field, msg = strings.TrimSpace(field), strings.TrimSpace(msg)
		l.Add(field, "clerk.correction", msg, msg)
	}
	return l
}

// The workflow validator's refusals (workflows.Err…), by their text: where
// on the form each belongs and how to say it.
var refusals = []struct{ text, key, field string }{
	{"a reason is required", "refusal.reason-required", "reason"},
	{"extensions together may not exceed", "refusal.extension-limit", "days"},
	{"working days must be at least 1", "refusal.working-days", "days"},
	{"a list of deficiencies is required", "refusal.deficiencies", "corrections"},
	{"unresolved deficiencies", "refusal.unresolved", "approve"},
	{"not possible in the submission's present status", "refusal.not-now", "decisions"},
	{"procedure has ended", "refusal.not-now", "decisions"},
}

func refusalField(action wf.Action, reason string) string {
	for _, r := range refusals {
		if strings.Contains(reason, r.text) {
			switch r.field {
			case "reason":
				if action == wf.ActionExtend {
					return "extend-reason"
				}
				return "refuse-reason"
			case "days":
				return "extend-days"
			case "corrections":
				return "corrections-list"
			case "approve":
				return "approve-button"
			}
			return "decisions"
		}
	}
	return "decisions"
}

func (w *Web) refusalText(lang, reason string) string {
	for _, r := range refusals {
		if strings.Contains(reason, r.text) {
			return translate(lang, r.key)
		}
	}
	return translate(lang, "refusal.other", reason)
}

// assign claims a submission (assignee: oneself) or reassigns it.
func (w *Web) assign(c *gin.Context) {
	sub, ok := w.loadSubmission(c)
	if !ok {
		return
	}
	me := principal(c).Name
	assignee := strings.TrimSpace(c.PostForm("assignee"))
	if c.PostForm("claim") == "1" {
		assignee = me
	}
	lang := language(c)
	if assignee == "" {
		w.renderSubmission(c, http.StatusUnprocessableEntity, sub,
			[]fieldError{{Field: "assignee", Message: translate(lang, "assign.required")}}, nil)
		return
	}
	err := w.b.Assign(c.Request.Context(), sub.ID, assignee, me)
	if errors.Is(err, ErrAssignUnsupported) {
		w.renderSubmission(c, http.StatusUnprocessableEntity, sub,
			[]fieldError{{Field: "assignee", Message: translate(lang, "assign.unsupported")}}, nil)
		return
	}
	if err != nil {
		reason, ok := w.b.Refusal(err)
		if !ok {
			w.internalError(c, err)
			return
		}
		w.renderSubmission(c, http.StatusUnprocessableEntity, sub,
			[]fieldError{{Field: "assignee", Message: w.refusalText(lang, reason)}}, nil)
		return
	}
	w.settle(c, sub)
	c.Redirect(http.StatusSeeOther, "/taotlus/"+url.PathEscape(sub.ID))
}
