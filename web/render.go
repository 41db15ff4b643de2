package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets maps a static file's name to its content-hashed name
// (app.css → app.3f2a1b9c.css) and back: the hashed names are cached for
// ever, and a changed file gets a new name.
var assets, assetFiles = hashAssets()

func hashAssets() (map[string]string, map[string][]byte) {
	names, files := map[string]string{}, map[string][]byte{}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		hashed := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		names[e.Name()] = hashed
		files[hashed] = b
	}
	return names, files
}

func serveAsset(c *gin.Context) {
	b, ok := assetFiles[c.Param("name")]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, mime.TypeByExtension(path.Ext(c.Param("name"))), b)
}

// renderer holds one template set per page: the layout, the shared
// partials and the page.
type renderer struct {
	pages map[string]*template.Template
}

func newRenderer(loc *time.Location) (*renderer, error) {
	funcs := template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(loc).Format("02.01.2006")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(loc).Format("02.01.2006 15:04")
		},
		"ddate": func(d documents.Date) string {
			if d.IsZero() {
				return "—"
			}
			return fmt.Sprintf("%02d.%02d.%04d", d.Day(), int(d.Month()), d.Year())
		},
		"isodate": func(s string) string { // YYYY-MM-DD → DD.MM.YYYY
			if t, err := time.Parse("2006-01-02", s); err == nil {
				return t.Format("02.01.2006")
			}
			return s
		},
		"asset": func(name string) string { return "/static/" + assets[name] },
		"add":   func(a, b int) int { return a + b },
		"mask":  auth.MaskPersonalCode,
		"list":  func(s ...string) []string { return s },
	}
	r := &renderer{pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || base == "partials.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		r.pages[base] = t
	}
	return r, nil
}

// page is what every template receives.
type page struct {
	Lang     string
	TitleKey string
	P        *auth.Principal
	csrf     func() string
	Path     string
	Dev      bool
	Errors   []fieldError
	Data     any
}

// fieldError is one entry of a form's error summary: the field's element
// id (the summary links to it) and the message shown there and next to it.
type fieldError struct {
	Field   string
	Message string
}

// CSRF is the token a form carries; asked for only by pages with forms, so
// that a visitor who reads only public pages gets no cookie.
func (p *page) CSRF() string { return p.csrf() }

// T translates a catalogue key into the page's language; args fill %s/%d.
func (p *page) T(key string, args ...any) string { return translate(p.Lang, key, args...) }

// Action names a processing-log action in the page's language (the log
// itself keeps the workflow's English names); an unknown one as it is.
func (p *page) Action(a string) string {
	if key := "action." + a; hasKey(key) {
		return p.T(key)
	}
	return a
}

// Err is the error message of a field, "" when none.
func (p *page) Err(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// OtherLang is the language the switch offers.
func (p *page) OtherLang() string {
	if p.Lang == "en" {
		return "et"
	}
	return "en"
}

func language(c *gin.Context) string {
	if v, err := c.Cookie(langCookie); err == nil && v == "en" {
		return "en"
	}
	return "et"
}

func (w *Web) newPage(c *gin.Context, titleKey string, data any) *page {
	return &page{Lang: language(c), TitleKey: titleKey, P: principal(c), csrf: func() string { return w.csrfToken(c) },
		Path: c.Request.URL.Path, Dev: w.o.Dev, Data: data}
}

func (w *Web) render(c *gin.Context, status int, name, titleKey string, data any) {
	w.renderPage(c, status, name, w.newPage(c, titleKey, data))
}

// renderPage executes the page; an htmx request for a fragment (HX-Target
// naming a block the page defines) gets only that block.
func (w *Web) renderPage(c *gin.Context, status int, name string, p *page) {
	t, ok := w.pages.pages[name]
	if !ok {
		panic("no template " + name)
	}
	block := "layout"
	if target := c.GetHeader("HX-Target"); target != "" && c.GetHeader("HX-Request") == "true" && t.Lookup("fragment-"+target) != nil {
		block = "fragment-" + target
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, p); err != nil {
		w.log.ErrorContext(c.Request.Context(), "render", "page", name, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error"))
		return
	}
	c.Header("Vary", "HX-Request, HX-Target, Cookie")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}
