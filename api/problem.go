package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/deficiency"
)

// ProblemContentType is the media type of every error answer (RFC 9457).
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem detail. It is also an error: a handler that
// returns a *Problem gets exactly that answer.
type Problem struct {
	// Type names the kind of problem: urn:alusdok:problem:not-found, ….
	Type string `json:"type"`
	// Title is the kind's fixed summary.
	Title  string `json:"title"`
	Status int    `json:"status"`
	// Detail explains this occurrence, in words safe to show the client.
	Detail string `json:"detail,omitempty"`
	// Instance identifies this occurrence (urn:alusdok:request:<id>); an
	// internal error is logged under the same id.
	Instance string `json:"instance,omitempty"`
	// Errors lists what is wrong with a document, field by field (422).
	Errors deficiency.List `json:"errors,omitempty"`
	// RetryAfter, when positive, is sent as Retry-After in whole seconds
	// (429, 503).
	RetryAfter time.Duration `json:"-"`
}

func (p *Problem) Error() string {
	if p.Detail == "" {
		return fmt.Sprintf("%d %s", p.Status, p.Title)
	}
	return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)
}

// Code is the kind of a failure, as domain errors state it (Coded).
type Code string

// The codes, each answered with one status.
const (
	CodeBadRequest      Code = "bad-request"        // 400
	CodeUnauthenticated Code = "unauthenticated"    // 401
	CodeForbidden       Code = "forbidden"          // 403
	CodeNotFound        Code = "not-found"          // 404
	CodeMethod          Code = "method-not-allowed" // 405
	CodeConflict        Code = "conflict"           // 409
	CodeTooLarge        Code = "too-large"          // 413
	CodeInvalid         Code = "invalid"            // 422
	CodeRateLimited     Code = "rate-limited"       // 429
	CodeInternal        Code = "internal"           // 500
	CodeUnavailable     Code = "unavailable"        // 503
)

var codes = map[Code]struct {
	status int
	title  string
}{
	CodeBadRequest:      {http.StatusBadRequest, "The request is malformed"},
	CodeUnauthenticated: {http.StatusUnauthorized, "Authentication is needed"},
	CodeForbidden:       {http.StatusForbidden, "Your role may not do this"},
	CodeNotFound:        {http.StatusNotFound, "Not found"},
	CodeMethod:          {http.StatusMethodNotAllowed, "Method not allowed"},
	CodeConflict:        {http.StatusConflict, "Conflict with the current state"},
	CodeTooLarge:        {http.StatusRequestEntityTooLarge, "The request body is too large"},
	CodeInvalid:         {http.StatusUnprocessableEntity, "The document has deficiencies"},
	CodeRateLimited:     {http.StatusTooManyRequests, "Too many requests"},
	CodeInternal:        {http.StatusInternalServerError, "Internal error"},
	CodeUnavailable:     {http.StatusServiceUnavailable, "Temporarily unavailable"},
}

// NewProblem returns the problem of the given code with a detail.
func NewProblem(code Code, detail string) *Problem {
	c, ok := codes[code]
	if !ok {
		code, c = CodeInternal, codes[CodeInternal]
	}
	return &Problem{Type: "urn:alusdok:problem:" + string(code), Title: c.title, Status: c.status, Detail: detail}
}

// BadRequest is a 400: the request cannot be read (malformed JSON, a bad
// parameter).
func BadRequest(detail string) *Problem { return NewProblem(CodeBadRequest, detail) }

// Unauthenticated is a 401: no credentials, or refused ones.
func Unauthenticated(detail string) *Problem { return NewProblem(CodeUnauthenticated, detail) }

// Forbidden is a 403: the caller's role may not do this at all. Never use it
// for another organisation's data: that is NotFound.
func Forbidden(detail string) *Problem { return NewProblem(CodeForbidden, detail) }

// NotFound is a 404, also for what exists but the caller may not see.
func NotFound(detail string) *Problem { return NewProblem(CodeNotFound, detail) }

// Conflict is a 409: the request contradicts the current state (a decision
// on a submission already decided).
func Conflict(detail string) *Problem { return NewProblem(CodeConflict, detail) }

// TooLarge is a 413 naming the limit.
func TooLarge(limit int64) *Problem {
	return NewProblem(CodeTooLarge, fmt.Sprintf("the request body exceeds the limit of %d bytes", limit))
}

// Invalid is a 422 with the document's deficiencies, field by field.
func Invalid(detail string, errs deficiency.List) *Problem {
	p := NewProblem(CodeInvalid, detail)
	p.Errors = errs
	return p
}

// RateLimited is a 429 with Retry-After.
func RateLimited(retryAfter time.Duration) *Problem {
	p := NewProblem(CodeRateLimited, "the request rate of this client is exceeded; retry after the time in Retry-After")
	p.RetryAfter = retryAfter
	return p
}

// Unavailable is a 503: a dependency is down; the client may retry.
func Unavailable(detail string) *Problem { return NewProblem(CodeUnavailable, detail) }

// Coded is implemented by domain errors that state their kind, so that
// packages below api need not import it: ErrorCode returns one of the Code
// values as a plain string ("not-found", "conflict", …). Their Error text is
// shown to the client as the detail, so it must be safe to show (no personal
// codes, no internals). An unknown code is an internal error.
type Coded interface {
	error
	ErrorCode() string
}

// problemFor is the one mapping from errors to HTTP answers. It reports
// internal when the error is not one the client may be told about: the
// answer is then a generic 500 and the error is logged.
func problemFor(err error) (p *Problem, internal bool) {
	var (
		prob    *Problem
		tooBig  *http.MaxBytesError
		refused *auth.RefusedError
		defs    deficiency.List
		coded   Coded
	)
	switch {
	case errors.As(err, &prob):
		cp := *prob
		return &cp, cp.Status >= http.StatusInternalServerError && cp.Status != http.StatusServiceUnavailable
	case errors.As(err, &tooBig):
		return TooLarge(tooBig.Limit), false
	case errors.As(err, &refused):
		return Unauthenticated(refused.Reason.Error()), false
	case errors.Is(err, auth.ErrIssuerUnavailable):
		return Unavailable("the identity provider cannot be reached; try again later"), false
	case errors.As(err, &defs):
		return Invalid("the document has deficiencies; see errors", defs), false
	case errors.As(err, &coded):
		if code := Code(coded.ErrorCode()); code != CodeInternal && codes[code].status != 0 {
			return NewProblem(code, coded.Error()), false
		}
	case errors.Is(err, context.DeadlineExceeded):
		return Unavailable("the request took too long; try again later"), false
	case errors.Is(err, context.Canceled):
		return Unavailable("the request was cancelled"), false
	}
	return NewProblem(CodeInternal, "an internal error occurred; it has been logged"), true
}

// WriteError answers err as a problem: the one place where errors become
// HTTP statuses. An internal error is logged (with the problem's instance,
// the route and the principal's id) and answered as a generic 500 that
// carries no error text. It aborts the handler chain.
func WriteError(c *gin.Context, log *slog.Logger, err error) {
	p, internal := problemFor(err)
	p.Instance = newInstance()
	if internal {
		log.ErrorContext(c.Request.Context(), "internal error",
			"error", err, "instance", p.Instance, "method", c.Request.Method, "route", c.FullPath(),
			"principal", auth.FromContext(c.Request.Context()))
	}
	writeProblem(c, p)
}

// writeProblem sends p unless an answer was already started, and aborts.
func writeProblem(c *gin.Context, p *Problem) {
	c.Abort()
	if c.Writer.Written() {
		return
	}
	if p.Instance == "" {
		p.Instance = newInstance()
	}
	h := c.Writer.Header()
	h.Set("Content-Type", ProblemContentType)
	if p.RetryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(retrySeconds(p.RetryAfter), 10))
	}
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="alusdok", ApiKey realm="alusdok"`)
	}
	c.JSON(p.Status, p)
}

// retrySeconds rounds up to whole seconds, at least one.
func retrySeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// newInstance makes a random request id for a problem's instance.
func newInstance() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "urn:alusdok:request:" + hex.EncodeToString(b)
}

// InstallProblemHandlers makes r answer unknown routes with a 404 problem
// and known routes with a wrong method with a 405 problem (Gin sets the
// Allow header).
func InstallProblemHandlers(r *gin.Engine) {
	r.HandleMethodNotAllowed = true
	r.NoRoute(NoRoute)
	r.NoMethod(NoMethod)
}

// NoRoute answers a 404 problem.
func NoRoute(c *gin.Context) {
	writeProblem(c, NotFound("no resource at this path"))
}

// NoMethod answers a 405 problem.
func NoMethod(c *gin.Context) {
	writeProblem(c, NewProblem(CodeMethod, "this resource does not accept "+c.Request.Method))
}

// Recovery turns a panic in a handler into a logged error (with the stack)
// and a 500 problem. A panic with http.ErrAbortHandler is passed on (it
// means: drop the connection), and a broken connection is not answered.
func Recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			ctx := c.Request.Context()
			if err, ok := r.(error); ok && brokenConnection(err) {
				log.WarnContext(ctx, "client connection broken", "error", err, "route", c.FullPath())
				c.Abort()
				return
			}
			p := NewProblem(CodeInternal, "an internal error occurred; it has been logged")
			p.Instance = newInstance()
			log.ErrorContext(ctx, "panic in handler",
				"panic", fmt.Sprint(r), "instance", p.Instance, "method", c.Request.Method, "route", c.FullPath(),
				"stack", string(debug.Stack()))
			writeProblem(c, p)
		}()
		c.Next()
	}
}

// brokenConnection reports whether err is the client having gone away.
func brokenConnection(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}
