package app

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
)

// SDKMetrics is the Temporal SDK's metrics handler (worker task slots,
// poll and schedule-to-start latencies, activity and workflow task
// outcomes), exported through OpenTelemetry into reg: served with alusdok's
// own metrics by /metrics.
func SDKMetrics(reg *prometheus.Registry, log *slog.Logger) (client.MetricsHandler, error) {
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp))
	return temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter:   mp.Meter("temporal-sdk"),
		OnError: func(err error) { log.Warn("Temporal SDK metric", "error", err) },
	}), nil
}
