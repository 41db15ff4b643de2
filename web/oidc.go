package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"golang.org/x/oauth2"

	"github.com/kutsekoda/alusdok/auth"
)

// OIDC is the production sign-in: the OpenID Connect authorization-code
// flow with PKCE (S256) and a nonce, against the issuer the API trusts for
// bearer tokens. The ID token is checked by the API's own verifier
// (auth.TokenVerifier: issuer, audience = client id, signature, expiry, and
// the claims that carry role, organisation and personal code; for Estonian
// eID the personal code is sub without its EE prefix).
type OIDC struct {
	OAuth2 oauth2.Config // client id, secret (empty: a public client), endpoints, redirect URL, scopes
	Tokens interface {
		Verify(ctx context.Context, raw string) (*auth.Principal, error)
	}
}

const (
	oidcCookie = "alusdok_oidc" // the flow's state, binding the callback to this browser
	oidcColl   = "web_oidc_flows"
	oidcTTL    = 10 * time.Minute
)

// oidcFlow is one sign-in in progress, under the SHA-256 of its state.
type oidcFlow struct {
	ID        string    `bson:"_id"`
	Verifier  string    `bson:"verifier"`
	Nonce     string    `bson:"nonce"`
	Next      string    `bson:"next"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

func (w *Web) flows() *mongo.Collection { return w.o.DB.Collection(oidcColl) }

// oidcStart sends the browser to the issuer.
func (w *Web) oidcStart(c *gin.Context) {
	if w.o.OIDC == nil {
		w.notFound(c)
		return
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	flow := oidcFlow{ID: tokenID(state), Verifier: verifier, Nonce: nonce, Next: localPath(c.Query("tagasi")),
		ExpiresAt: w.now().Add(oidcTTL).UTC()}
	if _, err := w.flows().InsertOne(c.Request.Context(), flow); err != nil {
		w.internalError(c, err)
		return
	}
	w.sessions.setCookie(c, oidcCookie, state, int(oidcTTL.Seconds()))
	c.Redirect(http.StatusFound, w.o.OIDC.OAuth2.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("nonce", nonce)))
}

// oidcCallback takes the issuer's answer: the state must be this browser's,
// the code is exchanged with the PKCE verifier, the ID token verified and
// its nonce matched; then a session starts.
func (w *Web) oidcCallback(c *gin.Context) {
	if w.o.OIDC == nil {
		w.notFound(c)
		return
	}
	ctx := c.Request.Context()
	state := c.Query("state")
	cookie, _ := c.Cookie(oidcCookie)
	w.sessions.setCookie(c, oidcCookie, "", -1)
	if state == "" || cookie != state {
		w.signInFailed(c, "state")
		return
	}
	var flow oidcFlow
	err := w.flows().FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: tokenID(state)}}).Decode(&flow)
	if errors.Is(err, mongo.ErrNoDocuments) || err == nil && !w.now().Before(flow.ExpiresAt) {
		w.signInFailed(c, "state")
		return
	}
	if err != nil {
		w.internalError(c, err)
		return
	}
	if e := c.Query("error"); e != "" {
		w.signInFailed(c, "issuer: "+e)
		return
	}
	tok, err := w.o.OIDC.OAuth2.Exchange(ctx, c.Query("code"), oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		w.signInFailed(c, "exchange: "+err.Error())
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	p, err := w.o.OIDC.Tokens.Verify(ctx, raw)
	if err != nil {
		w.signInFailed(c, "id token: "+err.Error())
		return
	}
	if nonceOf(raw) != flow.Nonce {
		w.signInFailed(c, "nonce")
		return
	}
	w.sessions.destroy(c)
	if err := w.sessions.create(c, p, w.now()); err != nil {
		w.internalError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, landing(p, flow.Next))
}

// nonceOf reads the nonce claim of an ID token whose signature Verify has
// already checked.
func nonceOf(raw string) string {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Nonce string `json:"nonce"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	return claims.Nonce
}

func (w *Web) signInFailed(c *gin.Context, why string) {
	w.log.InfoContext(c.Request.Context(), "sign-in refused", "reason", why)
	w.errorPage(c, http.StatusUnauthorized, "error.signin")
}

// RedirectURL is where the issuer sends the browser back, under the site's
// public base URL.
func RedirectURL(base string) string {
	u, err := url.Parse(strings.TrimSuffix(base, "/") + "/sisene/oidc/tagasi")
	if err != nil {
		return ""
	}
	return u.String()
}
