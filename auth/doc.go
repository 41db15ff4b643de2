// Package auth says who is calling alusdok and what they may see.
//
// A caller is a Principal with one of four roles — submitter (bound to one
// organisation: Kutsekoda or an awarding body), clerk, supervisor, person
// (bound to a personal code) — or nobody: the anonymous public, represented
// by a nil *Principal, which sees only public register data (R15.1).
//
// Systems (an awarding body's software, scripts) authenticate with API keys
// kept in the KeyStore; people authenticate with OpenID Connect bearer tokens
// checked by the TokenVerifier against the issuer's published keys.
//
// Refused credentials are errors that match ErrRefused and carry a reason
// that is safe to show the client (RefusedError); every other error (the
// database or the issuer unreachable) is an internal failure, never a
// refusal, so that an outage does not look like bad credentials.
//
// Nothing in this package writes a personal code or a secret to a log or an
// error message.
package auth
