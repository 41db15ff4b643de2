package web

import (
	"github.com/gin-gonic/gin"
)

// OIDC is the production sign-in: the authorization-code flow with PKCE
// against the issuer configured for bearer tokens. (Not built yet: with a
// nil *OIDC the sign-in page offers none.)
type OIDC struct{}

func (w *Web) oidcStart(c *gin.Context) {
	w.notFound(c)
}

func (w *Web) oidcCallback(c *gin.Context) {
	w.notFound(c)
}
