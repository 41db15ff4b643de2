// Package api is alusdok's HTTP API, built on Gin. Every route is declared in
// this file so that the whole API is visible at a glance; openapi.yaml
// describes the same routes, and a test keeps the two equal.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/kutsekoda/alusdok/accesslog"
	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/store"
)

//go:embed openapi.yaml
var openAPI []byte

// Deps is what the handlers need. The health router needs only Logger and
// Checks.
type Deps struct {
	Logger   *slog.Logger
	Checks   []Check // dependencies /readyz asks
	Store    *store.Store
	Intake   *intake.Service
	Temporal client.Client
	Audit    *audit.Log
	Access   *accesslog.Store // nil: data access is not logged (tests only)
	Keys     KeyAuthenticator
	Tokens   TokenVerifier // nil: bearer tokens are refused
	MaxBody  int64         // request-body cap; 0: 25 MiB
	// TaskQueue is where reports' workflows start; "": workflows.TaskQueue.
	TaskQueue string
	// Codec decodes Temporal payloads for the Temporal UI and CLI (clerks
	// and supervisors only); nil: payloads are not encrypted, and the
	// endpoint says so.
	Codec converter.PayloadCodec
	// CodecOrigins may call the codec endpoint from a browser (CORS).
	CodecOrigins []string
	// Sessions, when set, lets the codec endpoint take the web front's
	// sign-in (its session cookie), which is what the Temporal UI sends; no
	// other endpoint of the API takes a cookie.
	Sessions SessionReader
	Limiter  *RateLimiter // nil: no rate limit
	Metrics  *Metrics     // nil: no /metrics
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (for rate limits); none by default.
	TrustedProxies []string
}

type handlers struct {
	log      *slog.Logger
	checks   []Check
	store    *store.Store
	intake   *intake.Service
	temporal client.Client
	audit    *audit.Log
	access   *accesslog.Store
	stats    *statsCache
	queue    string
	codec    http.Handler // nil: no codec
	metrics  *Metrics     // nil: none
}

// NewRouter builds the API's handler.
func NewRouter(d Deps) *gin.Engine {
	r, h := newEngine(d)
	if d.Metrics != nil {
		// Operators' metrics are for the supervisor role (a Prometheus
		// scraper sends an API key as its bearer token).
		r.GET("/metrics", Authenticate(AuthOptions{Keys: d.Keys, Tokens: d.Tokens, Limiter: d.Limiter, Logger: d.Logger}),
			RequireRole(auth.RoleSupervisor), gin.WrapH(d.Metrics.Handler()))
	}
	r.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", openAPI) })

	maxBody := d.MaxBody
	if maxBody <= 0 {
		maxBody = 25 << 20
	}
	r.Use(codecCORS("/api/v1/codec/", d.CodecOrigins))
	v1 := r.Group("/api/v1", BodyLimit(maxBody), Authenticate(AuthOptions{Keys: d.Keys, Tokens: d.Tokens, Limiter: d.Limiter, Logger: d.Logger}))
	if d.Limiter != nil {
		v1.Use(RateLimit(d.Limiter))
	}
	submitter := RequireRole(auth.RoleSubmitter)
	clerk := RequireRole(auth.RoleClerk)
	staff := RequireRole(auth.RoleClerk, auth.RoleSupervisor, auth.RoleSubmitter)

	// Submissions: submitters their own organisation's, clerks and
	// supervisors all (R11.1, R19.2).
	v1.POST("/submissions", submitter, h.submit)
	v1.GET("/submissions", staff, h.listSubmissions)
	v1.GET("/submissions/:id", staff, h.getSubmission)
	v1.GET("/submissions/:id/document", staff, h.document)
	v1.GET("/submissions/:id/rendition", staff, h.rendition)
	v1.GET("/submissions/:id/notices", staff, h.notices)
	v1.GET("/submissions/:id/notices/:n", staff, h.notice)
	v1.POST("/submissions/:id/corrections", submitter, h.correct)
	v1.POST("/submissions/:id/decision", clerk, h.decide)
	v1.POST("/submissions/:id/withdraw", submitter, h.withdraw)

	// The public register: no personal data (R15.1).
	v1.GET("/register/councils", h.councils)
	v1.GET("/register/standards", h.standards)
	v1.GET("/register/awarding-bodies", h.awardingBodies)
	v1.GET("/register/certificates/statistics", h.statistics)
	v1.GET("/register/certificates/:number", h.certificate)

	// Reports of wrong data (R13.3, R14): anyone reports a certificate,
	// a person their own; clerks list and resolve them.
	v1.POST("/reports", h.report)
	v1.POST("/me/reports", RequireRole(auth.RolePerson), h.reportMine)
	v1.GET("/reports", RequireRole(auth.RoleClerk, auth.RoleSupervisor), h.listReports)
	v1.GET("/reports/:id", RequireRole(auth.RoleClerk, auth.RoleSupervisor), h.getReport)
	v1.POST("/reports/:id/resolution", clerk, h.resolveReport)

	// Decoding Temporal payloads for the Temporal UI and CLI: the people
	// who may see what a workflow carries.
	v1.POST("/codec/decode", sessionFallback(d.Sessions, h.log), RequireRole(auth.RoleClerk, auth.RoleSupervisor), h.decodePayloads)

	// A person's own data (R16.3); the supervisor's log (R19.2).
	v1.GET("/me/certificates", RequireRole(auth.RolePerson), h.me)
	v1.GET("/me/notifications", RequireRole(auth.RolePerson), h.myNotifications)
	v1.PUT("/me/notifications", RequireRole(auth.RolePerson), h.setMyNotifications)
	v1.GET("/audit", RequireRole(auth.RoleSupervisor), h.auditLog)
	// The processing log's latest signed checkpoint, published (R17).
	v1.GET("/audit/checkpoint", h.auditCheckpoint)

	// Retention (R4.2, R18): what is due, and the supervisor's decisions.
	v1.GET("/retention", RequireRole(auth.RoleSupervisor), h.retentionList)
	v1.POST("/retention/:batch/decision", RequireRole(auth.RoleSupervisor), h.retentionDecide)

	// Open data (SPEC.md "Open data", R15.2): the latest export at stable
	// URLs, public.
	od := r.Group("/opendata")
	if d.Limiter != nil {
		od.Use(Authenticate(AuthOptions{Keys: d.Keys, Tokens: d.Tokens, Limiter: d.Limiter, Logger: d.Logger}), RateLimit(d.Limiter))
	}
	od.GET("", h.openDataIndex)
	od.GET("/:file", h.openDataFile)
	return r
}

// NewHealthRouter serves only /healthz, /readyz and /metrics: the worker's
// endpoint, on an address of its own that is not published.
func NewHealthRouter(d Deps) *gin.Engine {
	r, _ := newEngine(d)
	if d.Metrics != nil {
		r.GET("/metrics", gin.WrapH(d.Metrics.Handler()))
	}
	return r
}

func newEngine(d Deps) (*gin.Engine, *handlers) {
	h := &handlers{
		log: d.Logger.With("component", "api"), checks: d.Checks,
		store: d.Store, intake: d.Intake, temporal: d.Temporal, audit: d.Audit, access: d.Access,
		stats: &statsCache{}, metrics: d.Metrics, queue: d.TaskQueue,
	}
	if d.Codec != nil {
		h.codec = converter.NewPayloadCodecHTTPHandler(d.Codec)
	}
	r := gin.New()
	r.ContextWithFallback = true
	// Upload parts above 1 MiB are spooled to temporary files, not memory.
	r.MaxMultipartMemory = 1 << 20
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		h.log.Error("trusted proxies ignored", "error", err)
		_ = r.SetTrustedProxies(nil)
	}
	if d.Metrics != nil {
		r.Use(d.Metrics.Middleware()) // first, so that recovered panics count as 500s
	}
	r.Use(Recovery(h.log))
	InstallProblemHandlers(r)
	r.GET("/healthz", healthz)
	r.GET("/readyz", h.readyz)
	return r, h
}

func parseInt64(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
