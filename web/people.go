package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// me shows a person the data the register holds about them, the
// processing-log entries about it, and who read it (R16.3, Andmejälgija).
// The person is known from the session, never from the URL.
func (w *Web) me(c *gin.Context) {
	v, err := w.b.Me(c.Request.Context(), principal(c).PersonalCode)
	if err != nil {
		w.internalError(c, err)
		return
	}
	w.render(c, http.StatusOK, "me.html", "me.title", v)
}

type auditData struct {
	Submission, Actor, From, To string
	Entries                     []LogEntry
	NextURL                     string
	Chain                       ChainReport
	Verified                    bool
}

const auditPage = 100

// auditLog lets a supervisor read the processing log (R19.2), a page at a
// time, each entry linked to its submission; ?verify=1 walks the chain.
func (w *Web) auditLog(c *gin.Context) {
	ctx := c.Request.Context()
	d := auditData{Submission: strings.TrimSpace(c.Query("submission")), Actor: strings.TrimSpace(c.Query("actor")),
		From: c.Query("from"), To: c.Query("to")}
	f := AuditFilter{SubmissionID: d.Submission, Actor: d.Actor, Limit: auditPage}
	var errs []fieldError
	lang := language(c)
	if t, ok := parseDay(d.From, w.cal.Location()); ok {
		f.From = t
	} else if d.From != "" {
		errs = append(errs, fieldError{Field: "from", Message: translate(lang, "audit.bad-date")})
	}
	if t, ok := parseDay(d.To, w.cal.Location()); ok {
		f.To = t.AddDate(0, 0, 1)
	} else if d.To != "" {
		errs = append(errs, fieldError{Field: "to", Message: translate(lang, "audit.bad-date")})
	}
	if n, err := strconv.ParseInt(c.Query("after"), 10, 64); err == nil && n > 0 {
		f.After = n
	}
	if len(errs) == 0 {
		var err error
		if d.Entries, err = w.b.AuditLog(ctx, f); err != nil {
			w.internalError(c, err)
			return
		}
		if len(d.Entries) == auditPage {
			v := c.Request.URL.Query()
			v.Set("after", strconv.FormatInt(d.Entries[len(d.Entries)-1].Seq, 10))
			d.NextURL = "/logi?" + v.Encode()
		}
	}
	if c.Query("verify") == "1" {
		var err error
		if d.Chain, err = w.b.VerifyLog(ctx); err != nil {
			w.internalError(c, err)
			return
		}
		d.Verified = true
	}
	pg := w.newPage(c, "audit.title", d)
	pg.Errors = errs
	w.renderPage(c, http.StatusOK, "audit.html", pg)
}

// parseDay reads DD.MM.YYYY or YYYY-MM-DD as the start of that day in
// Tallinn.
func parseDay(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{"02.01.2006", "2006-01-02", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
