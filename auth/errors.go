package auth

import "errors"

// ErrRefused is matched by every refusal of credentials (errors.Is). The
// HTTP API answers it 401 with the RefusedError's Reason.
var ErrRefused = errors.New("credentials refused")

// Reasons for a refusal. Their texts are safe to show the client; match them
// with errors.Is.
var (
	ErrUnsupportedScheme = errors.New("the Authorization header must be 'Bearer <token>' or 'ApiKey <key>'")
	ErrAmbiguous         = errors.New("give one credential: an Authorization header or an X-API-Key header, not both")
	ErrMalformedKey      = errors.New("the API key is malformed")
	ErrUnknownKey        = errors.New("the API key is not valid")
	ErrRevokedKey        = errors.New("the API key has been revoked")
	ErrNoTokens          = errors.New("bearer tokens are not accepted here: no OpenID Connect issuer is configured")
	ErrTokenMalformed    = errors.New("the bearer token is not a well-formed signed JWT")
	ErrTokenExpired      = errors.New("the bearer token has expired")
	ErrTokenNotYetValid  = errors.New("the bearer token is not valid yet")
	ErrTokenIssuer       = errors.New("the bearer token was issued by another issuer")
	ErrTokenAudience     = errors.New("the bearer token is meant for another audience")
	ErrTokenSignature    = errors.New("the bearer token's signature does not verify against the issuer's keys")
	ErrUnknownRole       = errors.New("the credential names no alusdok role")
	ErrInvalidPrincipal  = errors.New("the credential's bindings do not fit its role")
)

// ErrIssuerUnavailable says that the token issuer's keys could not be
// fetched. It is not a refusal: the API answers 503.
var ErrIssuerUnavailable = errors.New("the identity provider cannot be reached")

// ErrNoSuchKey says that no API key has the given id.
var ErrNoSuchKey = errors.New("no such API key")

// RefusedError is a refusal of credentials: Reason says why in words safe to
// show the client (one of the Err… reasons above, possibly wrapped with more
// detail), Cause is the underlying error, for the log.
type RefusedError struct {
	Reason error
	Cause  error
}

func (e *RefusedError) Error() string {
	if e.Cause == nil {
		return "credentials refused: " + e.Reason.Error()
	}
	return "credentials refused: " + e.Reason.Error() + ": " + e.Cause.Error()
}

// Unwrap makes ErrRefused, the reason and the cause visible to errors.Is and
// errors.As.
func (e *RefusedError) Unwrap() []error {
	errs := []error{ErrRefused, e.Reason}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

func refuse(reason, cause error) error {
	return &RefusedError{Reason: reason, Cause: cause}
}
