// Package config is alusdok's one typed configuration, read once in cmd/alusdok
// from flags and ALUSDOK_* environment variables and passed down. Nothing
// below cmd/ reads the environment.
//
// The struct tags are read by kong (flags, environment variables, defaults,
// help); README.md's configuration table is generated from the same tags
// (see Reference) and a test keeps the two equal.
package config

import (
	"log/slog"
	"time"
)

// Temporal says how to reach a Temporal cluster.
type Temporal struct {
	Address   string `name:"temporal-address" env:"ALUSDOK_TEMPORAL_ADDRESS" default:"127.0.0.1:7233" help:"Temporal frontend host:port."`
	Namespace string `name:"temporal-namespace" env:"ALUSDOK_TEMPORAL_NAMESPACE" default:"default" help:"Temporal namespace."`
	TLSCert   string `name:"temporal-tls-cert" env:"ALUSDOK_TEMPORAL_TLS_CERT" help:"Client certificate (PEM file) for mutual TLS to Temporal; enables TLS."`
	TLSKey    string `name:"temporal-tls-key" env:"ALUSDOK_TEMPORAL_TLS_KEY" help:"Client private key (PEM file) for mutual TLS to Temporal."`
	TLSCA     string `name:"temporal-tls-ca" env:"ALUSDOK_TEMPORAL_TLS_CA" help:"CA certificate (PEM file) that signed Temporal's server certificate; enables TLS."`
	TLSServer string `name:"temporal-tls-server-name" env:"ALUSDOK_TEMPORAL_TLS_SERVER_NAME" help:"Server name expected in Temporal's certificate (default: the address's host)."`
}

// TLSEnabled reports whether any TLS option was given.
func (t Temporal) TLSEnabled() bool {
	return t.TLSCert != "" || t.TLSCA != "" || t.TLSServer != ""
}

// Mongo says how to reach the MongoDB database.
type Mongo struct {
	URI      string `name:"mongodb-uri" env:"ALUSDOK_MONGODB_URI" default:"mongodb://127.0.0.1:27017/" help:"MongoDB connection string (a replica set in production)."`
	Database string `name:"mongodb-database" env:"ALUSDOK_MONGODB_DATABASE" default:"alusdok" help:"MongoDB database name."`
}

// HTTP configures the API server.
type HTTP struct {
	Addr string `name:"http-addr" env:"ALUSDOK_HTTP_ADDR" default:"127.0.0.1:8080" help:"Address the HTTP API listens on."`
}

// Health configures the worker's own health endpoint.
type Health struct {
	Addr string `name:"health-addr" env:"ALUSDOK_HEALTH_ADDR" help:"Address for the worker's /healthz and /readyz (empty: none)."`
}

// Shutdown bounds the graceful stop after SIGTERM.
type Shutdown struct {
	Timeout time.Duration `name:"shutdown-timeout" env:"ALUSDOK_SHUTDOWN_TIMEOUT" default:"30s" help:"How long in-flight HTTP requests and activities may run after SIGTERM."`
}

// Log configures the process's one slog.Logger.
type Log struct {
	Level  slog.Level `name:"log-level" env:"ALUSDOK_LOG_LEVEL" default:"info" help:"Log level: debug, info, warn, error."`
	Format string     `name:"log-format" env:"ALUSDOK_LOG_FORMAT" default:"text" enum:"text,json" help:"Log format: text or json."`
}

// Embedded configures the in-process Temporal server and FerretDB of
// "alusdok dev".
type Embedded struct {
	Data           string `name:"data" env:"ALUSDOK_DATA" default:"./data" help:"Directory for the embedded servers' SQLite files."`
	TemporalPort   int    `name:"temporal-port" env:"ALUSDOK_TEMPORAL_PORT" default:"7233" help:"Port of the embedded Temporal frontend (gRPC)."`
	TemporalUIPort int    `name:"temporal-ui-port" env:"ALUSDOK_TEMPORAL_UI_PORT" default:"8233" help:"Port of the embedded Temporal web UI (0: no UI)."`
	MongoPort      int    `name:"mongodb-port" env:"ALUSDOK_MONGODB_PORT" default:"27017" help:"Port of the embedded MongoDB wire-protocol server (FerretDB)."`
}
