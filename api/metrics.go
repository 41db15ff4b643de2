package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the API's Prometheus metrics, on a registry of their own (no
// global default registry): request counts and latencies by method, route
// template and status, requests in flight, and the Go runtime's and the
// process's own metrics.
//
// Routes are labelled with their template (c.FullPath(): "/api/v1/
// submissions/:id"), never the raw path, so that no id or personal code
// becomes a label and the number of series stays bounded; a request that
// matched no route is labelled "unmatched".
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge

	refusals     *prometheus.CounterVec
	deliveries   *prometheus.CounterVec
	decisionTime prometheus.Histogram
}

// NewMetrics makes the metrics and their registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alusdok_http_requests_total",
			Help: "HTTP requests answered, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "alusdok_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method, route template and status.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "alusdok_http_requests_in_flight",
			Help: "HTTP requests being answered.",
		}),
	}
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "alusdok_intake_refusals_total",
		Help: "Deficiencies of documents refused at intake (nothing stored), by code.",
	}, []string{"code"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "alusdok_notice_deliveries_total",
		Help: "Written notices e-mailed, by result: sent, failed, not-mailed.",
	}, []string{"result"})
	m.decisionTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "alusdok_receipt_to_decision_seconds",
		Help:    "Time from the latest complete receipt to the clerk's decision (entry or refusal).",
		Buckets: []float64{3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 21 * 86400, 30 * 86400, 60 * 86400},
	})
	m.registry.MustRegister(m.refusals, m.deliveries, m.decisionTime)
	m.registry.MustRegister(m.requests, m.duration, m.inFlight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where other parts of alusdok register their own metrics, to
// be served by the same handler.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Middleware measures every request. Install it first, before Recovery, so
// that a panic is counted as the 500 it is answered with.
func (m *Metrics) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		labels := prometheus.Labels{
			"method": methodLabel(c.Request.Method),
			"route":  route,
			"status": strconv.Itoa(c.Writer.Status()),
		}
		m.requests.With(labels).Inc()
		m.duration.With(labels).Observe(time.Since(start).Seconds())
	}
}

// Handler serves the metrics in the Prometheus exposition format, for GET
// /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// methodLabel keeps the method label to the methods HTTP defines, so that a
// client cannot make new series with made-up methods.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	default:
		return "OTHER"
	}
}
