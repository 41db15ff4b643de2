package api

import (
	"compress/gzip"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/store"
)

// The open data (SPEC.md "Open data"): the latest export's files at stable
// URLs, /opendata/<dataset>.<xml|json|csv|xsd>, selgitus.md and dcat.rdf.
// Each file is immutable within its version: its ETag is its SHA-256, its
// Last-Modified the export's time; If-None-Match answers 304; a client that
// accepts gzip gets it compressed.

type openDataFileView struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
	SHA256      string `json:"sha256"`
	Length      int64  `json:"length"`
}

type openDataVersionView struct {
	Version   string    `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
}

func (h *handlers) openDataIndex(c *gin.Context) {
	ctx := c.Request.Context()
	v, err := h.store.LatestOpenData(ctx)
	if errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no open data has been exported yet"))
		return
	}
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	all, err := h.store.OpenDataVersions(ctx)
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	files := make([]openDataFileView, len(v.Files))
	for i, f := range v.Files {
		files[i] = openDataFileView{Name: f.Name, URL: "/opendata/" + f.Name, ContentType: f.ContentType, SHA256: f.SHA256, Length: f.Length}
	}
	versions := make([]openDataVersionView, len(all))
	for i, o := range all {
		versions[i] = openDataVersionView{Version: o.ID, CreatedAt: o.CreatedAt}
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, gin.H{"version": v.ID, "createdAt": v.CreatedAt, "licence": "https://creativecommons.org/licenses/by-sa/3.0/ee/legalcode",
		"files": files, "versions": versions})
}

func (h *handlers) openDataFile(c *gin.Context) {
	ctx := c.Request.Context()
	v, err := h.store.LatestOpenData(ctx)
	if errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, NotFound("no open data has been exported yet"))
		return
	}
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	f, ok := v.File(c.Param("file"))
	if !ok {
		WriteError(c, h.log, NotFound("no such open-data file"))
		return
	}
	etag := `"` + f.SHA256 + `"`
	c.Header("ETag", etag)
	c.Header("Last-Modified", v.CreatedAt.UTC().Format(http.TimeFormat))
	c.Header("Cache-Control", "public, max-age=300")
	c.Header("Vary", "Accept-Encoding")
	c.Header("X-Open-Data-Version", v.ID)
	if matches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	if ims := c.GetHeader("If-Modified-Since"); ims != "" && c.GetHeader("If-None-Match") == "" {
		if t, err := http.ParseTime(ims); err == nil && !v.CreatedAt.Truncate(time.Second).After(t) {
			c.Status(http.StatusNotModified)
			return
		}
	}
	c.Header("Content-Type", f.ContentType)
	if acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Header("Content-Encoding", "gzip")
		c.Status(http.StatusOK)
		zw := gzip.NewWriter(c.Writer)
		if err := h.store.WriteOpenDataFile(ctx, f, zw); err != nil {
			h.log.ErrorContext(ctx, "serve open data", "file", f.Name, "error", err)
			return
		}
		_ = zw.Close()
		return
	}
	c.Header("Content-Length", itoa64(f.Length))
	c.Status(http.StatusOK)
	if err := h.store.WriteOpenDataFile(ctx, f, c.Writer); err != nil {
		h.log.ErrorContext(ctx, "serve open data", "file", f.Name, "error", err)
	}
}

func matches(ifNoneMatch, etag string) bool {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
