package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/store"
)

// What an operator of the register needs besides the HTTP metrics:
// submissions by status and whose turn it is, overdue and escalated ones
// (read from the read model at each scrape), refusals at intake by
// deficiency code, and — from the worker — notice deliveries by result and
// the time from receipt to decision.

// submissionsCollector reads the read model when scraped.
type submissionsCollector struct {
	store                        *store.Store
	byStatus, overdue, escalated *prometheus.Desc
}

func (c *submissionsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.byStatus
	ch <- c.overdue
	ch <- c.escalated
}

func (c *submissionsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	counts, err := c.store.CountSubmissions(ctx, time.Now())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.byStatus, err)
		return
	}
	for k, n := range counts.ByStatusTurn {
		ch <- prometheus.MustNewConstMetric(c.byStatus, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
	ch <- prometheus.MustNewConstMetric(c.overdue, prometheus.GaugeValue, float64(counts.Overdue))
	ch <- prometheus.MustNewConstMetric(c.escalated, prometheus.GaugeValue, float64(counts.Escalated))
}

// WatchSubmissions adds the read model's gauges, read at each scrape.
func (m *Metrics) WatchSubmissions(st *store.Store) {
	if st == nil {
		return
	}
	m.registry.MustRegister(&submissionsCollector{
		store:     st,
		byStatus:  prometheus.NewDesc("alusdok_submissions", "Submissions by status and whose turn it is.", []string{"status", "turn"}, nil),
		overdue:   prometheus.NewDesc("alusdok_submissions_overdue", "Open submissions past their entry deadline (R12.1).", nil, nil),
		escalated: prometheus.NewDesc("alusdok_submissions_escalated", "Open submissions escalated to supervisors.", nil, nil),
	})
}

// refused counts an intake refusal's deficiencies by code (codes are a
// fixed catalogue: the series stay bounded).
func (m *Metrics) refused(defs deficiency.List) {
	if m == nil {
		return
	}
	for _, d := range defs.Errors() {
		m.refusals.WithLabelValues(string(d.Code)).Inc()
	}
}

// Procedure are the worker's metrics of the procedure.
type Procedure struct {
	Deliveries   *prometheus.CounterVec // notice e-mails by result
	DecisionTime prometheus.Observer    // receipt to decision, seconds
}

// Procedure returns the procedure's metrics, registered with m.
func (m *Metrics) Procedure() Procedure {
	return Procedure{Deliveries: m.deliveries, DecisionTime: m.decisionTime}
}
