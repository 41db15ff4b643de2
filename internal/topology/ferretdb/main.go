// Command ferretdb runs FerretDB — the version alusdok's go.mod pins, v1.24.2
// — as a process of its own on the PostgreSQL backend, for the production
// topology runner (scripts/topology.sh).
//
// It is FerretDB's embeddable package behind three flags rather than
// FerretDB's own cmd/ferretdb: built by "go install …/cmd/ferretdb@v1.24.2",
// that command panics at start, because the module's zip lacks the
// build/version/version.txt that its release build generates (FerretDB
// checks it only when FerretDB itself is the main module). The embeddable
// package is the same server, pinned by go.mod and go.sum.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run() error {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "host:port of the MongoDB wire protocol")
	pgURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/ferretdb", "PostgreSQL connection string")
	level := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	flag.Parse()
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Handler:       "postgresql",
		PostgreSQLURL: *pgURL,
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl})),
	})
	if err != nil {
		return err
	}
	f.Run(ctx)
	return nil
}
