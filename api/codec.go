package api

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
)

// decodePayloads answers the Temporal codec protocol's /decode (a JSON
// list of payloads in, the same decoded out) with the SDK's own handler:
// the Temporal UI and `temporal --codec-endpoint` show decoded payloads to
// clerks and supervisors; everyone else gets 401/403 from the route's
// guard and sees only ciphertext.
func (h *handlers) decodePayloads(c *gin.Context) {
	if h.codec == nil {
		WriteError(c, h.log, NotFound("payloads are not encrypted here: there is nothing to decode"))
		return
	}
	h.codec.ServeHTTP(c.Writer, c.Request)
}

// SessionReader finds the principal of the web front's session that a
// request's cookie names; nil, nil when it names none. *web.Web is one.
type SessionReader interface {
	SessionPrincipal(r *http.Request) (*auth.Principal, error)
}

// sessionFallback takes the web front's session for a caller who sent no
// credentials: the Temporal UI, configured with the codec endpoint, sends
// the browser's cookies for it and nothing else. Decoding changes nothing,
// and only the CodecOrigins may read its answer across origins.
func sessionFallback(sr SessionReader, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		if sr == nil || !PrincipalOf(c).Anonymous() {
			c.Next()
			return
		}
		p, err := sr.SessionPrincipal(c.Request)
		if err != nil {
			WriteError(c, log, err)
			c.Abort()
			return
		}
		if p != nil {
			c.Request = c.Request.WithContext(auth.NewContext(c.Request.Context(), p))
		}
		c.Next()
	}
}

// codecCORS lets the listed browser origins (the Temporal UI's) call the
// codec endpoints under prefix with their credentials; a preflight from
// one of them is answered at once. Other paths and origins are untouched.
func codecCORS(prefix string, origins []string) gin.HandlerFunc {
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" || !strings.HasPrefix(c.Request.URL.Path, prefix) || !slices.Contains(origins, origin) {
			c.Next()
			return
		}
		hd := c.Writer.Header()
		hd.Set("Access-Control-Allow-Origin", origin)
		hd.Set("Access-Control-Allow-Credentials", "true")
		hd.Add("Vary", "Origin")
		if c.Request.Method == http.MethodOptions {
			hd.Set("Access-Control-Allow-Methods", "POST")
			hd.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-API-Key, X-Namespace")
			hd.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}
