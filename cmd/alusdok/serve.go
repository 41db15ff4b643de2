package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/kutsekoda/alusdok/api"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/connect"
)

// ServeCmd runs the API and the worker against external servers.
type ServeCmd struct {
	Temporal config.Temporal      `embed:""`
	Codec    config.Codec         `embed:""`
	Mongo    config.Mongo         `embed:""`
	HTTP     config.HTTP          `embed:""`
	Shutdown config.Shutdown      `embed:""`
	Retain   config.Retention     `embed:""`
	API      config.APIOptions    `embed:""`
	Worker   config.WorkerOptions `embed:""`
}

// Run runs both halves.
func (s *ServeCmd) Run(rc *runContext) error {
	return runServer(rc, rc.logger(), config.Server(*s), app.Roles{API: true, Worker: true}, app.WebOptions{}, nil, nil)
}

// APICmd runs only the HTTP API.
type APICmd struct {
	Temporal config.Temporal   `embed:""`
	Codec    config.Codec      `embed:""`
	Mongo    config.Mongo      `embed:""`
	HTTP     config.HTTP       `embed:""`
	Shutdown config.Shutdown   `embed:""`
	Retain   config.Retention  `embed:""`
	API      config.APIOptions `embed:""`
	// The web front shows the procedure's deadlines and limits: the same
	// periods and calendar as the worker's.
	Procedure config.Procedure `embed:""`
}

// Run runs the API half.
func (s *APICmd) Run(rc *runContext) error {
	return runServer(rc, rc.logger(), config.Server{Temporal: s.Temporal, Codec: s.Codec, Mongo: s.Mongo, HTTP: s.HTTP, Shutdown: s.Shutdown, Retain: s.Retain, API: s.API,
		Worker: config.WorkerOptions{Procedure: s.Procedure}}, app.Roles{API: true}, app.WebOptions{}, nil, nil)
}

// WorkerCmd runs only the worker. It has no HTTP address of its own.
type WorkerCmd struct {
	Temporal config.Temporal      `embed:""`
	Codec    config.Codec         `embed:""`
	Mongo    config.Mongo         `embed:""`
	Shutdown config.Shutdown      `embed:""`
	Health   config.Health        `embed:""`
	Retain   config.Retention     `embed:""`
	Worker   config.WorkerOptions `embed:""`
}

// Run runs the worker half.
func (s *WorkerCmd) Run(rc *runContext) error {
	return runServer(rc, rc.logger(), config.Server{Temporal: s.Temporal, Codec: s.Codec, Mongo: s.Mongo, Shutdown: s.Shutdown,
		HTTP: config.HTTP{Addr: s.Health.Addr}, Retain: s.Retain, Worker: s.Worker}, app.Roles{Worker: true}, app.WebOptions{}, nil, nil)
}

// runServer connects to Temporal and MongoDB and runs the chosen halves until
// rc.ctx ends (SIGINT, SIGTERM).
func runServer(rc *runContext, log *slog.Logger, cfg config.Server, roles app.Roles, webOpts app.WebOptions, ready func(string), prepare func(context.Context, *app.Wiring) error) error {
	ctx := rc.ctx
	if roles.API {
		if len(pdfChild) > 0 {
			cfg.API.Documents.PDFChild = pdfChild
		} else {
			log.Warn("PDFs are checked in this process, without isolation (no child command)")
		}
		if cfg.API.Documents.TrustDir == "" {
			log.Warn("no trust directory (--trust-dir, ALUSDOK_TRUST_DIR): every PDF signature is reported untrusted " +
				"and kinds that need a signature are refused; /readyz shows trust-store: empty")
		}
	}
	keys, err := connect.Keys(cfg.Codec)
	if err != nil {
		return err
	}
	if keys == nil {
		log.Warn("Temporal payloads are NOT encrypted: anyone who reads Temporal's storage or UI sees them; set ALUSDOK_CODEC_KEYS_FILE")
	}
	metrics := api.NewMetrics()
	sdkMetrics, err := app.SDKMetrics(metrics.Registry(), log)
	if err != nil {
		return err
	}
	tc, err := connect.Temporal(ctx, cfg.Temporal, keys, log, sdkMetrics)
	if err != nil {
		return err
	}
	defer tc.Close()
	mc, err := connect.Mongo(ctx, cfg.Mongo)
	if err != nil {
		return err
	}
	defer func() {
		if err := mc.Disconnect(context.WithoutCancel(ctx)); err != nil {
			log.Warn("close MongoDB client", "error", err)
		}
	}()
	cl := app.Clients{Temporal: tc, Mongo: mc, DB: mc.Database(cfg.Mongo.Database), Keys: keys, Metrics: metrics}
	wiring, err := app.BuildRoles(ctx, log, cl, cfg, roles)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	if prepare != nil {
		if err := prepare(ctx, wiring); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	err = app.Run(ctx, log, cl, wiring, app.Options{
		Roles:           roles,
		HTTPAddr:        cfg.HTTP.Addr, // the worker's health address when only the worker runs
		ShutdownTimeout: cfg.Shutdown.Timeout,
		Ready:           ready,
		Web:             webOpts,
	})
	log.Info("stopped")
	return err
}
