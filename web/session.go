package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kutsekoda/alusdok/auth"
)

// Sessions are server-side: the cookie holds only a random token; MongoDB
// (collection web_sessions) holds, under the token's SHA-256, the principal,
// the CSRF token and the expiry. A database dump therefore holds no usable
// cookie. Signing in always makes a new token (no fixation); signing out
// deletes the session.

const (
	sessionCookie = "alusdok_session"
	csrfCookie    = "alusdok_csrf" // before sign-in: double-submit token
	langCookie    = "alusdok_lang"
	csrfField     = "csrf_token"
	sessionColl   = "web_sessions"
)

type sessionDoc struct {
	ID        string    `bson:"_id"` // hex SHA-256 of the cookie's token
	Role      string    `bson:"role"`
	Org       string    `bson:"org,omitempty"`
	Personal  string    `bson:"personalCode,omitempty"`
	Name      string    `bson:"name"`
	Subject   string    `bson:"subject,omitempty"`
	CSRF      string    `bson:"csrf"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

func (d sessionDoc) principal() *auth.Principal {
	return &auth.Principal{Role: auth.Role(d.Role), Organisation: d.Org, PersonalCode: d.Personal, Name: d.Name, Subject: d.Subject}
}

type sessionStore struct {
	coll   *mongo.Collection
	ttl    time.Duration
	secure bool
}

func newSessionStore(db *mongo.Database, ttl time.Duration, secure bool) *sessionStore {
	s := &sessionStore{ttl: ttl, secure: secure}
	if db != nil {
		s.coll = db.Collection(sessionColl)
	}
	return s
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenID(token string) string {
	sum := sha256.Sum256([]byte("alusdok/web-session/v1\x00" + token))
	return hex.EncodeToString(sum[:])
}

// create starts a session for p and sets its cookie.
func (s *sessionStore) create(c *gin.Context, p *auth.Principal, now time.Time) error {
	token := randomToken()
	doc := sessionDoc{ID: tokenID(token), Role: string(p.Role), Org: p.Organisation, Personal: p.PersonalCode,
		Name: p.Name, Subject: p.Subject, CSRF: randomToken(), CreatedAt: now.UTC(), ExpiresAt: now.Add(s.ttl).UTC()}
	if _, err := s.coll.InsertOne(c.Request.Context(), doc); err != nil {
		return err
	}
	// Sessions that expired without a sign-out go at the next sign-in
	// (sign-ins are rare; a TTL index would do it on MongoDB, FerretDB v1
	// has none).
	_, _ = s.coll.DeleteMany(c.Request.Context(), bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now.UTC()}}}})
	s.setCookie(c, sessionCookie, token, int(s.ttl.Seconds()))
	return nil
}

func (s *sessionStore) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

var errNoSession = errors.New("no session")

// find returns the live session of the request's cookie.
func (s *sessionStore) find(ctx context.Context, token string, now time.Time) (sessionDoc, error) {
	var doc sessionDoc
	if token == "" || s.coll == nil {
		return doc, errNoSession
	}
	err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: tokenID(token)}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return doc, errNoSession
	}
	if err != nil {
		return doc, err
	}
	if !now.Before(doc.ExpiresAt) {
		_, _ = s.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: doc.ID}})
		return doc, errNoSession
	}
	return doc, nil
}

func (s *sessionStore) destroy(c *gin.Context) {
	if token, err := c.Cookie(sessionCookie); err == nil && token != "" && s.coll != nil {
		_, _ = s.coll.DeleteOne(c.Request.Context(), bson.D{{Key: "_id", Value: tokenID(token)}})
	}
	s.setCookie(c, sessionCookie, "", -1)
}

type sessionKey struct{}

// loadSession puts the session's principal in the request's context (as the
// API's Authenticate does), so that the same auth rules apply.
func (w *Web) loadSession(c *gin.Context) {
	token, _ := c.Cookie(sessionCookie)
	doc, err := w.sessions.find(c.Request.Context(), token, w.now())
	switch {
	case err == nil:
		ctx := auth.NewContext(c.Request.Context(), doc.principal())
		c.Request = c.Request.WithContext(context.WithValue(ctx, sessionKey{}, doc))
	case !errors.Is(err, errNoSession):
		w.internalError(c, err)
		c.Abort()
		return
	case token != "":
		w.sessions.setCookie(c, sessionCookie, "", -1) // expired or unknown
	}
	c.Next()
}

// SessionPrincipal is the principal of the live session the request's
// cookie names, or nil when it names none: for the API's codec endpoint,
// which the Temporal UI calls with the browser's cookies.
func (w *Web) SessionPrincipal(r *http.Request) (*auth.Principal, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, nil
	}
	doc, err := w.sessions.find(r.Context(), ck.Value, w.now())
	if errors.Is(err, errNoSession) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return doc.principal(), nil
}

func sessionOf(c *gin.Context) (sessionDoc, bool) {
	doc, ok := c.Request.Context().Value(sessionKey{}).(sessionDoc)
	return doc, ok
}

// csrfToken is the token forms carry: the session's, or before sign-in a
// random one also set in a cookie (double submit).
func (w *Web) csrfToken(c *gin.Context) string {
	if doc, ok := sessionOf(c); ok {
		return doc.CSRF
	}
	if v, err := c.Cookie(csrfCookie); err == nil && len(v) >= 32 {
		return v
	}
	if v, ok := c.Get(csrfCookie); ok {
		return v.(string)
	}
	v := randomToken()
	c.Set(csrfCookie, v)
	w.sessions.setCookie(c, csrfCookie, v, 0)
	return v
}

// checkCSRF refuses any state-changing request whose form (or X-CSRF-Token
// header, for htmx) does not carry the token.
func (w *Web) checkCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	want := ""
	if doc, ok := sessionOf(c); ok {
		want = doc.CSRF
	} else if v, err := c.Cookie(csrfCookie); err == nil {
		want = v
	}
	got := c.GetHeader("X-CSRF-Token")
	if got == "" {
		if strings.HasPrefix(c.ContentType(), "multipart/") {
			if err := c.Request.ParseMultipartForm(1 << 20); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					w.errorPage(c, http.StatusRequestEntityTooLarge, "error.too-large")
					c.Abort()
					return
				}
			}
		}
		got = c.PostForm(csrfField)
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		w.errorPage(c, http.StatusForbidden, "error.csrf")
		c.Abort()
		return
	}
	c.Next()
}

func (w *Web) signInPage(c *gin.Context) {
	w.render(c, http.StatusOK, "signin.html", "signin.title", map[string]any{
		"Demo": w.o.Dev, "Identities": w.o.DemoIdentities, "OIDC": w.o.OIDC != nil, "Next": localPath(c.Query("tagasi")),
	})
}

// devSignIn signs in as one of the demo identities: alusdok dev only.
func (w *Web) devSignIn(c *gin.Context) {
	if !w.o.Dev {
		w.notFound(c)
		return
	}
	i := -1
	for j, p := range w.o.DemoIdentities {
		if p.Name == c.PostForm("identity") {
			i = j
		}
	}
	if i < 0 {
		w.errorPage(c, http.StatusBadRequest, "error.bad-request")
		return
	}
	p := w.o.DemoIdentities[i]
	w.sessions.destroy(c)
	if err := w.sessions.create(c, &p, w.now()); err != nil {
		w.internalError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, landing(&p, c.PostForm("tagasi")))
}

// landing is where a principal goes after signing in.
func landing(p *auth.Principal, next string) string {
	if next = localPath(next); next != "/" {
		return next
	}
	switch p.Role {
	case auth.RoleClerk:
		return "/tooloend"
	case auth.RoleSupervisor:
		return "/logi"
	case auth.RoleSubmitter:
		return "/taotlused"
	case auth.RolePerson:
		return "/minu-andmed"
	}
	return "/"
}

func (w *Web) signOut(c *gin.Context) {
	w.sessions.destroy(c)
	c.Redirect(http.StatusSeeOther, "/")
}
