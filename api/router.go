// Package api is alusdok's HTTP API, built on Gin. Every route is declared in
// this file so that the whole API is visible at a glance.
package api

import (
	"log/slog"

	"github.com/gin-gonic/gin"
)

// Deps is what the handlers need.
type Deps struct {
	Logger *slog.Logger
	Checks []Check // dependencies /readyz asks
}

type handlers struct {
	log    *slog.Logger
	checks []Check
}

// NewRouter builds the API's handler.
func NewRouter(d Deps) *gin.Engine {
	r, _ := newEngine(d)
	return r
}

// NewHealthRouter serves only /healthz and /readyz: the worker's endpoint.
func NewHealthRouter(d Deps) *gin.Engine {
	r, _ := newEngine(d)
	return r
}

func newEngine(d Deps) (*gin.Engine, *handlers) {
	gin.SetMode(gin.ReleaseMode)
	h := &handlers{log: d.Logger.With("component", "api"), checks: d.Checks}
	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/healthz", healthz)
	r.GET("/readyz", h.readyz)
	return r, h
}
