// Package web is the register's web front: server-rendered pages for clerks,
// submitters, the public, a person and a supervisor, served by the same Gin
// engine as the JSON API (which stays under /api/v1). Pages are html/template
// with embedded, content-hashed static assets; htmx (when JavaScript runs)
// only replaces parts of pages, and every essential path works without it.
//
// Authorisation is the API's: the session holds an auth.Principal, and
// auth.Principal.MaySee decides whose submissions a page shows (another
// organisation's is a 404 page). Every action goes through intake, as the
// API's do.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kutsekoda/alusdok/api"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/workdays"
)

// Options configures the web front.
type Options struct {
	Logger  *slog.Logger
	Backend Backend
	// DB holds the sessions (collection web_sessions).
	DB *mongo.Database
	// Dev enables the sign-in page that lists DemoIdentities.
	Dev            bool
	DemoIdentities []auth.Principal
	// InsecureCookies leaves Secure off the cookies: only for a site served
	// over plain HTTP (alusdok dev).
	InsecureCookies bool
	// OIDC is the production sign-in (nil: none).
	OIDC *OIDC
	// Clerks are the names offered when reassigning a submission.
	Clerks []string
	// MaxExtensionDays is R12.3's limit (default 20); MaxBody the largest
	// upload (default 25 MiB).
	MaxExtensionDays int
	MaxBody          int64
	// SessionTTL is how long a sign-in lasts (default 8 hours).
	SessionTTL time.Duration
	Calendar   *workdays.Calendar // default: the Estonian calendar
	Now        func() time.Time   // default time.Now
}

// Web serves the pages.
type Web struct {
	o        Options
	log      *slog.Logger
	b        Backend
	sessions *sessionStore
	cal      *workdays.Calendar
	now      func() time.Time
	pages    *renderer
}

// New prepares the web front.
func New(o Options) (*Web, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxExtensionDays == 0 {
		o.MaxExtensionDays = 20
	}
	if o.MaxBody == 0 {
		o.MaxBody = 25 << 20
	}
	if o.SessionTTL == 0 {
		o.SessionTTL = 8 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Calendar == nil {
		cal, err := workdays.Default()
		if err != nil {
			return nil, err
		}
		o.Calendar = cal
	}
	pages, err := newRenderer(o.Calendar.Location())
	if err != nil {
		return nil, err
	}
	return &Web{o: o, log: o.Logger.With("component", "web"), b: o.Backend,
		sessions: newSessionStore(o.DB, o.SessionTTL, !o.InsecureCookies), cal: o.Calendar, now: o.Now, pages: pages}, nil
}

// Register adds the pages to r, at / (every route is here, so that the whole
// front is visible at a glance). A path under /api/ that no route serves
// stays a JSON problem; any other is a 404 page.
func (w *Web) Register(r *gin.Engine) {
	r.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			api.NoRoute(c)
			return
		}
		w.securityHeaders(c)
		w.loadSession(c)
		w.notFound(c)
	})
	r.GET("/static/:name", serveAsset)

	// The body limit comes before anything reads a form (the CSRF check).
	g := r.Group("/", w.securityHeaders, api.BodyLimit(w.o.MaxBody), w.loadSession, w.checkCSRF)
	g.GET("/", w.home)
	g.GET("/keel/:lang", w.setLanguage)
	g.GET("/sisene", w.signInPage)
	g.POST("/sisene/demo", w.devSignIn)
	g.GET("/sisene/oidc", w.oidcStart)
	g.GET("/sisene/oidc/tagasi", w.oidcCallback)
	g.POST("/valju", w.signOut)

	// Public register (R15.1, R15.2): no sign-in, no personal data.
	g.GET("/register", w.registerSearch)
	g.GET("/register/tunnistus", w.certificateCheck)
	g.GET("/statistika", w.statistics)
	g.GET("/avaandmed", w.openData)

	staff := w.require(auth.RoleClerk, auth.RoleSupervisor, auth.RoleSubmitter)
	clerk := w.require(auth.RoleClerk)
	submitter := w.require(auth.RoleSubmitter)

	// Clerks: the worklist, decisions, claims and bulk approval (R12).
	g.GET("/tooloend", w.require(auth.RoleClerk, auth.RoleSupervisor), w.worklist)
	g.POST("/tooloend/kinnita", clerk, w.bulkApprove)
	g.GET("/taotlus/:id", staff, w.submissionPage)
	g.GET("/taotlus/:id/dokument", staff, w.document)
	g.GET("/taotlus/:id/kantud", staff, w.rendition)
	g.GET("/taotlus/:id/teade/:n", staff, w.notice)
	g.POST("/taotlus/:id/otsus", clerk, w.decide)
	g.POST("/taotlus/:id/maara", clerk, w.assign)

	// Submitters: upload, their organisation's submissions, corrections,
	// withdrawal (R11, R12.2).
	g.GET("/esitamine", submitter, w.submitPage)
	g.POST("/esitamine", submitter, w.submit)
	g.GET("/esitamine/csv", submitter, w.submitCSVPage)
	g.POST("/esitamine/csv", submitter, w.submitCSV)
	g.GET("/esitamine/tunnistused.csv", w.csvTemplate)
	g.GET("/taotlused", submitter, w.ownSubmissions)
	g.POST("/taotlus/:id/parandus", submitter, w.correct)
	g.POST("/taotlus/:id/tagasi", submitter, w.withdraw)

	// A person's own data (R16.3); the supervisor's log (R19.2).
	g.GET("/minu-andmed", w.require(auth.RolePerson), w.me)
	g.GET("/logi", w.require(auth.RoleSupervisor), w.auditLog)
}

// securityHeaders: a CSP without unsafe-inline; no framing of pages (the
// PDF route relaxes frame-ancestors to 'self' for its own answer).
func (w *Web) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// require lets through principals with one of the roles; the public is
// sent to sign in, another role gets a 403 page.
func (w *Web) require(roles ...auth.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		switch {
		case p == nil:
			c.Redirect(http.StatusSeeOther, "/sisene?tagasi="+url.QueryEscape(c.Request.URL.Path))
			c.Abort()
		case !p.Is(roles...):
			w.errorPage(c, http.StatusForbidden, "error.forbidden")
			c.Abort()
		default:
			c.Next()
		}
	}
}

func principal(c *gin.Context) *auth.Principal { return auth.FromContext(c.Request.Context()) }

func (w *Web) home(c *gin.Context) {
	w.render(c, http.StatusOK, "home.html", "home.title", nil)
}

// setLanguage remembers the language in a cookie and goes back.
func (w *Web) setLanguage(c *gin.Context) {
	lang := c.Param("lang")
	if lang != "et" && lang != "en" {
		lang = "et"
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: !w.o.InsecureCookies, SameSite: http.SameSiteLaxMode})
	c.Redirect(http.StatusSeeOther, localPath(c.Query("tagasi")))
}

// localPath keeps a redirect on this site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}

func (w *Web) notFound(c *gin.Context) { w.errorPage(c, http.StatusNotFound, "error.not-found") }

func (w *Web) errorPage(c *gin.Context, status int, key string) {
	w.render(c, status, "error.html", key, map[string]string{"Message": key})
}

// internalError logs err and answers a 500 page, never the error itself.
func (w *Web) internalError(c *gin.Context, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	w.log.ErrorContext(c.Request.Context(), "web", "path", c.FullPath(), "error", err)
	w.errorPage(c, http.StatusInternalServerError, "error.internal")
}

// loadSubmission loads the submission in the path if the principal may see
// it (auth.Principal.MaySee, the API's rule); otherwise it answers the 404
// page, alike for one that does not exist.
func (w *Web) loadSubmission(c *gin.Context) (SubmissionView, bool) {
	sub, err := w.b.Submission(c.Request.Context(), c.Param("id"))
	if errors.Is(err, ErrNotFound) || err == nil && !principal(c).MaySee(sub.Organisation) {
		w.notFound(c)
		return sub, false
	}
	if err != nil {
		w.internalError(c, err)
		return sub, false
	}
	return sub, true
}
