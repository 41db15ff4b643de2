// Package app wires alusdok's halves — the HTTP API and the Temporal worker —
// to their clients and runs them until the context ends, then shuts them down
// in order: stop taking requests, let in-flight requests and activities finish
// (bounded), close the clients.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"golang.org/x/sync/errgroup"

	"github.com/kutsekoda/alusdok/api"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/codec"
	"github.com/kutsekoda/alusdok/web"
)

// Roles says which halves this process runs.
type Roles struct {
	API    bool
	Worker bool
}

// Options configures Run.
type Options struct {
	Roles           Roles
	HTTPAddr        string
	ShutdownTimeout time.Duration
	// Ready, when set, is called with the API's address once it listens.
	Ready func(httpAddr string)
	// Web configures the web front served at / next to the API.
	Web WebOptions
}

// WebOptions configures the web front.
type WebOptions struct {
	// Dev: the sign-in page lists DemoIdentities; cookies without Secure
	// (alusdok dev serves plain HTTP).
	Dev            bool
	DemoIdentities []auth.Principal
	// Clerks are offered when reassigning a submission.
	Clerks []string
}

// Clients are the connections the halves share.
type Clients struct {
	Temporal client.Client
	Mongo    *mongo.Client
	DB       *mongo.Database
	Keys     *codec.Keyring // nil: payloads are not encrypted
	Metrics  *api.Metrics   // served at /metrics; nil: made by Run
}

// Checks returns the readiness checks of the clients: Temporal and MongoDB.
func (c Clients) Checks() []api.Check {
	return []api.Check{
		{Name: "temporal", Check: func(ctx context.Context) error {
			_, err := c.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		}},
		{Name: "mongodb", Check: func(ctx context.Context) error {
			return c.Mongo.Ping(ctx, readpref.Primary())
		}},
	}
}

// TrustStoreCheck names the PDF trust store in /readyz: "ok" with trust
// anchors, "empty" without (every signature is then untrusted, and kinds
// that need a signature are refused). An empty store does not make the
// API unready: a development setup may want exactly that.
func (w *Wiring) TrustStoreCheck() api.Check {
	return api.Check{Name: "trust-store", Advisory: true, Check: func(context.Context) error {
		if w.Intake == nil || w.Intake.TrustAnchors() == 0 {
			return errTrustStoreEmpty
		}
		return nil
	}}
}

// errTrustStoreEmpty is what /readyz shows for an empty trust store.
var errTrustStoreEmpty = errors.New("empty")

// Deps are the API's dependencies as Run gives them (cl.Metrics may be nil:
// no /metrics).
func Deps(log *slog.Logger, cl Clients, w *Wiring) api.Deps {
	deps := api.Deps{Logger: log, Checks: cl.Checks(), Store: w.Store, Intake: w.Intake, Temporal: cl.Temporal,
		Audit: w.Audit, Access: w.Access, Keys: w.Keys, MaxBody: int64(w.Limits.MaxBody), Metrics: cl.Metrics,
		TrustedProxies: w.Limits.TrustedProxies, CodecOrigins: w.CodecOrigins, TaskQueue: w.TaskQueue}
	if cl.Keys != nil {
		deps.Codec = cl.Keys
	}
	if w.Tokens != nil {
		deps.Tokens = w.Tokens
	}
	if w.Limits.Rate > 0 {
		deps.Limiter = api.NewRateLimiter(w.Limits.Rate, w.Limits.Burst)
	}
	return deps
}

// Router is the HTTP API at /api/v1 and the web front at / on one engine.
func Router(log *slog.Logger, cl Clients, w *Wiring, deps api.Deps, o WebOptions) (*gin.Engine, error) {
	site, err := web.New(web.Options{
		Logger: log, Backend: web.NewBackend(w.Store, w.Intake, w.Audit, w.Access), DB: cl.DB,
		Dev: o.Dev, DemoIdentities: o.DemoIdentities, Clerks: o.Clerks, OIDC: w.WebOIDC,
		InsecureCookies:  o.Dev || strings.HasPrefix(w.WebURL, "http://"),
		MaxExtensionDays: w.MaxExtensionDays, MaxBody: deps.MaxBody, Calendar: w.Calendar,
	})
	if err != nil {
		return nil, fmt.Errorf("web front: %w", err)
	}
	deps.Sessions = site // the Temporal UI decodes with a clerk's sign-in
	router := api.NewRouter(deps)
	site.Register(router)
	return router, nil
}

// Run runs the chosen halves until ctx is done or one of them fails.
func Run(ctx context.Context, log *slog.Logger, cl Clients, w *Wiring, opts Options) error {
	// A worker alone serves only /healthz and /readyz, and only when it has
	// an address for them.
	serveHTTP := opts.Roles.API || opts.HTTPAddr != ""
	// Take the HTTP port first: a port in use is then a clean error with
	// nothing started.
	var ln net.Listener
	if serveHTTP {
		var err error
		ln, err = net.Listen("tcp", opts.HTTPAddr)
		if err != nil {
			return fmt.Errorf("HTTP API cannot listen on %s (choose another with --http-addr): %w", opts.HTTPAddr, err)
		}
	}
	g, ctx := errgroup.WithContext(ctx)

	// On the way down the order matters: first the API stops taking
	// requests and finishes those in flight — a clerk's decision waits for
	// the workflow, which needs the worker — and only then does the worker
	// stop, waiting for its running activities.
	var stopWorker func()
	if opts.Roles.Worker {
		wk := worker.New(cl.Temporal, w.TaskQueue, worker.Options{
			WorkerStopTimeout: opts.ShutdownTimeout,
		})
		w.Register(wk)
		if err := wk.Start(); err != nil {
			if ln != nil {
				ln.Close()
			}
			return fmt.Errorf("start worker: %w", err)
		}
		log.Info("worker started", "taskQueue", w.TaskQueue)
		if err := EnsureSchedules(ctx, log, cl.Temporal, w.TaskQueue, w.WorkerConfig); err != nil {
			wk.Stop()
			if ln != nil {
				ln.Close()
			}
			return err
		}
		stopWorker = func() {
			log.Info("worker stopping: waiting for running activities", "timeout", opts.ShutdownTimeout)
			wk.Stop()
			log.Info("worker stopped")
		}
	}

	if cl.Metrics == nil {
		cl.Metrics = api.NewMetrics()
	}
	cl.Metrics.WatchSubmissions(w.Store)
	var stopHTTP func()
	if serveHTTP {
		deps := Deps(log, cl, w)
		if opts.Roles.API {
			deps.Checks = append(deps.Checks, w.TrustStoreCheck())
		}
		router := api.NewHealthRouter(deps)
		if opts.Roles.API {
			var err error
			if router, err = Router(log, cl, w, deps, opts.Web); err != nil {
				ln.Close()
				if stopWorker != nil {
					stopWorker()
				}
				return err
			}
		}
		srv := &http.Server{
			Handler:           router,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       5 * time.Minute,
			WriteTimeout:      5 * time.Minute,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
		addr := ln.Addr().String()
		log.Info("HTTP API listening", "addr", addr)
		if opts.Ready != nil {
			opts.Ready(addr)
		}
		g.Go(func() error {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("HTTP API: %w", err)
			}
			return nil
		})
		stopHTTP = func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.ShutdownTimeout)
			defer cancel()
			log.Info("HTTP API stopping: no new requests, waiting for in-flight ones", "timeout", opts.ShutdownTimeout)
			if err := srv.Shutdown(sctx); err != nil {
				// A request still running past the timeout is cut off: the
				// client sees the connection close and may retry (uploads
				// and decisions are idempotent). Stopping stays orderly.
				log.Warn("HTTP API: requests still running at the shutdown timeout were cut off", "error", err)
				_ = srv.Close()
				return
			}
			log.Info("HTTP API stopped")
		}
	}

	g.Go(func() error {
		<-ctx.Done()
		if stopHTTP != nil {
			stopHTTP()
		}
		if stopWorker != nil {
			stopWorker()
		}
		return nil
	})
	return g.Wait()
}
