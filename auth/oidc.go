package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/kutsekoda/alusdok/internal/config"
)

// TokenVerifier checks OpenID Connect bearer tokens against the issuer's
// published keys (its JWKS, refetched when a token names an unknown key) and
// turns their claims into a principal.
type TokenVerifier struct {
	cfg      config.OIDC
	issuer   string
	algs     []jose.SignatureAlgorithm
	verifier *oidc.IDTokenVerifier
}

// asymmetricAlgs are the signature algorithms accepted from an issuer. A
// shared-secret algorithm (HS256) is never accepted.
var asymmetricAlgs = []string{
	oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512,
	oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA,
}

// NewTokenVerifier reads the issuer's discovery document
// (/.well-known/openid-configuration) and prepares to verify its tokens. It
// fails when the issuer cannot be reached, so that a misconfiguration shows
// at start. It returns nil and no error when no issuer is configured; a nil
// *TokenVerifier refuses every token with ErrNoTokens.
func NewTokenVerifier(ctx context.Context, cfg config.OIDC) (*TokenVerifier, error) {
	if cfg.Issuer == "" {
		return nil, nil
	}
	if cfg.Audience == "" {
		return nil, errors.New("OpenID Connect: an audience is needed (--oidc-audience)")
	}
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("OpenID Connect issuer %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		JWKSURL string   `json:"jwks_uri"`
		Algs    []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("OpenID Connect issuer %s: %w", cfg.Issuer, err)
	}
	var algs []string
	for _, a := range meta.Algs {
		if slices.Contains(asymmetricAlgs, a) {
			algs = append(algs, a)
		}
	}
	if len(algs) == 0 {
		algs = []string{oidc.RS256}
	}
	keys := &watchedKeys{inner: oidc.NewRemoteKeySet(ctx, meta.JWKSURL)}
	v := &TokenVerifier{
		cfg:      cfg,
		issuer:   cfg.Issuer,
		verifier: oidc.NewVerifier(cfg.Issuer, keys, &oidc.Config{ClientID: cfg.Audience, SupportedSigningAlgs: algs}),
	}
	for _, a := range algs {
		v.algs = append(v.algs, jose.SignatureAlgorithm(a))
	}
	return v, nil
}

// Verify checks a bearer token and returns its principal. A token that is
// malformed, expired, not yet valid, from another issuer, for another
// audience, badly signed or without a usable role is refused (ErrRefused,
// with one of the ErrToken… reasons or ErrUnknownRole, ErrInvalidPrincipal);
// when the issuer's keys cannot be fetched the error is ErrIssuerUnavailable.
func (v *TokenVerifier) Verify(ctx context.Context, raw string) (*Principal, error) {
	if v == nil {
		return nil, refuse(ErrNoTokens, nil)
	}
	outcome := &keyOutcome{}
	tok, err := v.verifier.Verify(context.WithValue(ctx, keyOutcomeKey{}, outcome), raw)
	if err != nil {
		if outcome.fetchErr != nil {
			return nil, fmt.Errorf("%w: %w", ErrIssuerUnavailable, outcome.fetchErr)
		}
		return nil, refuse(v.classify(raw, err), err)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return nil, refuse(ErrTokenMalformed, err)
	}
	p, err := v.principal(tok.Subject, claims)
	if err != nil {
		return nil, refuse(err, nil)
	}
	return p, nil
}

// classify says why go-oidc refused a token. go-oidc types only the expiry;
// the other checks it makes before the signature (issuer, audience, not
// before) are repeated here on the unverified claims, in the same order, to
// name the reason. What passes them failed on its signature.
func (v *TokenVerifier) classify(raw string, err error) error {
	if _, ok := errors.AsType[*oidc.TokenExpiredError](err); ok {
		return ErrTokenExpired
	}
	tok, perr := jwt.ParseSigned(raw, v.algs)
	if perr != nil {
		if _, anyAlg := jwt.ParseSigned(raw, allAlgs); anyAlg == nil {
			return ErrTokenSignature // signed with an algorithm the issuer does not use
		}
		return ErrTokenMalformed
	}
	var c jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&c); err != nil {
		return ErrTokenMalformed
	}
	switch {
	case c.Issuer != v.issuer:
		return ErrTokenIssuer
	case !c.Audience.Contains(v.cfg.Audience):
		return ErrTokenAudience
	case c.NotBefore != nil && time.Now().Add(5*time.Minute).Before(c.NotBefore.Time()):
		return ErrTokenNotYetValid
	}
	return ErrTokenSignature
}

var allAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512,
	jose.PS256, jose.PS384, jose.PS512, jose.EdDSA, jose.HS256, jose.HS384, jose.HS512,
}

// principal builds the principal from a verified token's claims.
func (v *TokenVerifier) principal(subject string, claims map[string]any) (*Principal, error) {
	roleName, err := roleClaim(claims, v.cfg.RoleClaim)
	if err != nil {
		return nil, err
	}
	p := &Principal{Role: Role(roleName), Subject: subject, Name: nameClaim(claims, v.cfg.NameClaim)}
	switch p.Role {
	case RoleSubmitter:
		p.Organisation, _ = lookupClaim(claims, v.cfg.OrganisationClaim).(string)
	case RolePerson:
		code, _ := lookupClaim(claims, v.cfg.PersonalCodeClaim).(string)
		p.PersonalCode = strings.TrimPrefix(code, v.cfg.PersonalCodePrefix)
	}
	if p.Name == "" {
		p.Name = "unnamed " + string(p.Role)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// roleClaim reads the role: a string naming a role, or a list (as identity
// providers keep roles) holding exactly one alusdok role among others.
func roleClaim(claims map[string]any, path string) (string, error) {
	switch v := lookupClaim(claims, path).(type) {
	case string:
		if _, err := ParseRole(v); err != nil {
			return "", err
		}
		return v, nil
	case []any:
		var found []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				if _, err := ParseRole(s); err == nil {
					found = append(found, s)
				}
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
		if len(found) > 1 {
			return "", fmt.Errorf("%w: the token names more than one alusdok role", ErrUnknownRole)
		}
	}
	return "", fmt.Errorf("%w: claim %q holds none of submitter, clerk, supervisor, person", ErrUnknownRole, path)
}

// nameClaim reads the display name: the configured claim, or given_name and
// family_name.
func nameClaim(claims map[string]any, path string) string {
	if s, ok := lookupClaim(claims, path).(string); ok && s != "" {
		return s
	}
	given, _ := claims["given_name"].(string)
	family, _ := claims["family_name"].(string)
	return strings.TrimSpace(given + " " + family)
}

// lookupClaim follows a dotted path ("realm_access.roles") into the claims.
func lookupClaim(claims map[string]any, path string) any {
	var cur any = claims
	for part := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// watchedKeys is go-oidc's remote key set, watched so that a failure to
// fetch the issuer's keys (an outage: 503) is told from a signature that
// does not verify (a bad token: 401). go-oidc wraps a fetch failure ("fetching
// keys %w") and returns a plain error for a signature that matches no key,
// but then flattens both into one message; the outcome travels back in the
// context.
type watchedKeys struct {
	inner oidc.KeySet
}

type keyOutcome struct{ fetchErr error }

type keyOutcomeKey struct{}

// VerifySignature implements oidc.KeySet.
func (k *watchedKeys) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	payload, err := k.inner.VerifySignature(ctx, jwt)
	if err != nil && errors.Unwrap(err) != nil {
		if o, ok := ctx.Value(keyOutcomeKey{}).(*keyOutcome); ok {
			o.fetchErr = err
		}
	}
	return payload, err
}
