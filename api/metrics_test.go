package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestMetricsLabelRouteTemplatesNeverRawPaths(t *testing.T) {
	m := NewMetrics()
	r := newTestEngine(t, m.Middleware(), Recovery(discard()))
	r.GET("/persons/:code/certificates", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	r.GET("/boom", func(*gin.Context) { panic("boom") })
	r.GET("/metrics", gin.WrapH(m.Handler()))
	for _, path := range []string{"/persons/36805280109/certificates", "/persons/49403136526/certificates", "/nowhere/36805280109", "/boom"} {
		serve(r, httptest.NewRequest(http.MethodGet, path, nil))
	}
	serve(r, httptest.NewRequest("BREW", "/persons/1/certificates", nil))
	w := serve(r, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`alusdok_http_requests_total{method="GET",route="/persons/:code/certificates",status="204"} 2`,
		`alusdok_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`alusdok_http_requests_total{method="GET",route="/boom",status="500"} 1`,
		`alusdok_http_request_duration_seconds_count{method="GET",route="/persons/:code/certificates",status="204"} 2`,
		`method="OTHER"`,
		"alusdok_http_requests_in_flight",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, leak := range []string{"36805280109", "49403136526", "BREW"} {
		if strings.Contains(body, leak) {
			t.Errorf("metrics contain %q", leak)
		}
	}
}

func TestMetricsUseTheirOwnRegistry(t *testing.T) {
	// Two sets of metrics in one process (two routers, or tests) would
	// panic on a shared registry.
	a, b := NewMetrics(), NewMetrics()
	if a.Registry() == b.Registry() {
		t.Error("two Metrics share a registry")
	}
}
