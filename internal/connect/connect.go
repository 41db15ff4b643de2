// Package connect opens alusdok's two client connections — to Temporal and to
// MongoDB — from configuration, the same way for the embedded servers and for
// a production cluster.
package connect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/kutsekoda/alusdok/codec"
	"github.com/kutsekoda/alusdok/internal/config"
)

// Temporal dials the Temporal frontend and checks that it answers. With
// keys, every payload the client (and a worker on it) sends is encrypted,
// and failures' messages too.
func Temporal(ctx context.Context, cfg config.Temporal, keys *codec.Keyring, logger *slog.Logger, metrics ...client.MetricsHandler) (client.Client, error) {
	opts := client.Options{
		HostPort:  cfg.Address,
		Namespace: cfg.Namespace,
		Logger:    tlog.NewStructuredLogger(logger.With("component", "temporal-sdk")),
	}
	if len(metrics) > 0 {
		opts.MetricsHandler = metrics[0]
	}
	if keys != nil {
		opts.DataConverter = keys.DataConverter()
		opts.FailureConverter = keys.FailureConverter()
	}
	if cfg.TLSEnabled() {
		tc, err := temporalTLS(cfg)
		if err != nil {
			return nil, err
		}
		opts.ConnectionOptions.TLS = tc
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.Address, err)
	}
	return c, nil
}

func temporalTLS(cfg config.Temporal) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: cfg.TLSServer}
	if tc.ServerName == "" {
		if host, _, err := net.SplitHostPort(cfg.Address); err == nil {
			tc.ServerName = host
		}
	}
	if cfg.TLSCert != "" || cfg.TLSKey != "" {
		if cfg.TLSCert == "" || cfg.TLSKey == "" {
			return nil, errors.New("temporal TLS: give both --temporal-tls-cert and --temporal-tls-key")
		}
		pair, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("temporal TLS client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	if cfg.TLSCA != "" {
		pem, err := os.ReadFile(cfg.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("temporal TLS CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("temporal TLS CA %s: no PEM certificate found", cfg.TLSCA)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

// Keys reads the payload keys from the configuration: nil when none are
// configured.
func Keys(cfg config.Codec) (*codec.Keyring, error) {
	if cfg.KeysFile == "" {
		return nil, nil
	}
	return codec.LoadKeys(cfg.KeysFile)
}

// Mongo connects to MongoDB and pings the primary. A monitor, when given,
// sees every command the client sends (the benchmarks count them per
// document); production passes none.
func Mongo(ctx context.Context, cfg config.Mongo, monitor ...*event.CommandMonitor) (*mongo.Client, error) {
	opts := options.Client().ApplyURI(string(cfg.URI)).
		SetAppName("alusdok").
		SetServerSelectionTimeout(10 * time.Second)
	if len(monitor) > 0 && monitor[0] != nil {
		opts.SetMonitor(monitor[0])
	}
	c, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	if err := c.Ping(ctx, readpref.Primary()); err != nil {
		_ = c.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	return c, nil
}
