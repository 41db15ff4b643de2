package api

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
)

// KeyAuthenticator checks an API key; *auth.KeyStore is one.
type KeyAuthenticator interface {
	Authenticate(ctx context.Context, key string) (*auth.Principal, error)
}

// TokenVerifier checks an OpenID Connect bearer token; *auth.TokenVerifier
// is one (a nil one refuses every token).
type TokenVerifier interface {
	Verify(ctx context.Context, raw string) (*auth.Principal, error)
}

// AuthOptions configures Authenticate.
type AuthOptions struct {
	Keys   KeyAuthenticator
	Tokens TokenVerifier // nil: bearer tokens other than API keys are refused
	// Limiter, when set, charges every refused credential to the client's
	// address, so that guessing keys or replaying bad tokens is throttled
	// like anonymous traffic (429 once the address's bucket is empty).
	Limiter *RateLimiter
	Logger  *slog.Logger
}

// Authenticate establishes who is calling:
//
//   - "Authorization: Bearer <token>": an OpenID Connect token (a person);
//     a bearer value that is an API key (adk_…) is taken as one, for
//     clients that can send only bearer credentials;
//   - "Authorization: ApiKey <key>" or "X-API-Key: <key>": an API key (a
//     system);
//   - no credentials: the anonymous public, which sees only public data.
//
// Credentials that are given but refused are answered 401 with the reason —
// never treated as anonymous — and a failure to check them (database or
// issuer down) is answered 503. The principal is put in the request's
// context (auth.FromContext) and read with PrincipalOf.
func Authenticate(o AuthOptions) gin.HandlerFunc {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	log := o.Logger.With("component", "auth")
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		p, err := authenticate(ctx, o, c.GetHeader("Authorization"), c.GetHeader("X-API-Key"))
		if err != nil {
			if errors.Is(err, auth.ErrRefused) {
				log.InfoContext(ctx, "credentials refused", "reason", reasonOf(err), "route", c.FullPath())
				if ok, wait := o.Limiter.Allow("refused:" + c.ClientIP()); !ok {
					writeProblem(c, RateLimited(wait))
					return
				}
			}
			WriteError(c, log, err)
			return
		}
		c.Request = c.Request.WithContext(auth.NewContext(ctx, p))
		c.Next()
	}
}

func authenticate(ctx context.Context, o AuthOptions, authorization, apiKey string) (*auth.Principal, error) {
	checkKey := func(key string) (*auth.Principal, error) {
		if o.Keys == nil {
			return nil, &auth.RefusedError{Reason: auth.ErrUnknownKey}
		}
		return o.Keys.Authenticate(ctx, key)
	}
	if authorization != "" && apiKey != "" {
		return nil, &auth.RefusedError{Reason: auth.ErrAmbiguous}
	}
	if apiKey != "" {
		return checkKey(strings.TrimSpace(apiKey))
	}
	if authorization == "" {
		return nil, nil
	}
	scheme, value, _ := strings.Cut(strings.TrimSpace(authorization), " ")
	value = strings.TrimSpace(value)
	switch {
	case value == "":
		return nil, &auth.RefusedError{Reason: auth.ErrUnsupportedScheme}
	case strings.EqualFold(scheme, "ApiKey"), strings.EqualFold(scheme, "Bearer") && auth.LooksLikeAPIKey(value):
		return checkKey(value)
	case strings.EqualFold(scheme, "Bearer"):
		if o.Tokens == nil {
			return nil, &auth.RefusedError{Reason: auth.ErrNoTokens}
		}
		return o.Tokens.Verify(ctx, value)
	default:
		return nil, &auth.RefusedError{Reason: auth.ErrUnsupportedScheme}
	}
}

func reasonOf(err error) string {
	var re *auth.RefusedError
	if errors.As(err, &re) {
		return re.Reason.Error()
	}
	return err.Error()
}

// PrincipalOf returns the caller Authenticate found; nil for the anonymous
// public.
func PrincipalOf(c *gin.Context) *auth.Principal {
	return auth.FromContext(c.Request.Context())
}

// RequireRole lets through only principals with one of the roles: the
// public is answered 401 (authenticate first), another role 403.
//
// RequireRole guards what a role may do at all. Which organisation's data a
// submitter may see is the handler's check, with VisibleTo: another
// organisation's submission answers 404, not 403, so that its existence is
// not told (R11.1).
func RequireRole(roles ...auth.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := PrincipalOf(c)
		switch {
		case p == nil:
			writeProblem(c, Unauthenticated("this resource needs credentials: an API key or a bearer token"))
		case !p.Is(roles...):
			writeProblem(c, Forbidden("the role "+string(p.Role)+" may not use this resource"))
		default:
			c.Next()
		}
	}
}

// VisibleTo returns nil when the caller may see the non-public data of
// organisation org's submission (auth.Principal.MaySee) and a 404 problem
// otherwise — the same answer as for a submission that does not exist, so
// that a submitter cannot learn what other organisations submitted (R11.1).
// A handler returns its error through WriteError:
//
//	if err := api.VisibleTo(c, sub.Organisation); err != nil {
//		api.WriteError(c, h.log, err)
//		return
//	}
func VisibleTo(c *gin.Context, org string) error {
	if PrincipalOf(c).MaySee(org) {
		return nil
	}
	return NotFound("no such submission")
}
