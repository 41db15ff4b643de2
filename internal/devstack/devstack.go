// Package devstack runs the two servers that alusdok needs — a Temporal server
// persisted in a SQLite file and a MongoDB wire-protocol server (FerretDB v1 on
// SQLite) — inside the current process, so that "alusdok dev" and the
// integration tests need nothing but Go. Clients reach both over their normal
// network protocols on loopback, exactly as they reach a production cluster.
package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/temporalio/cli/temporalcli/devserver"
	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// Namespace is the Temporal namespace the embedded server creates.
const Namespace = "default"

// Options configures Start. Zero ports mean "pick a free one".
type Options struct {
	Dir            string // directory for temporal.db and ferretdb/; created if missing
	Host           string // bind address; default 127.0.0.1
	TemporalPort   int
	TemporalUIPort int  // used only when UI is true
	UI             bool // serve the Temporal web UI (read-only: write actions disabled)
	// UICodecEndpoint is where the UI asks to decode payloads (the API's
	// codec endpoint, which answers clerks and supervisors only).
	UICodecEndpoint string
	MongoPort       int
	Logger          *slog.Logger
}

// Stack is a running embedded Temporal server and FerretDB.
type Stack struct {
	TemporalAddress string // host:port of the Temporal frontend
	TemporalUIURL   string // empty when the UI is off
	MongoURI        string

	temporal    *devserver.Server
	ui          *uiserver.Server
	stopFerret  context.CancelFunc
	ferretDone  chan struct{}
	indexerDone chan struct{}
	ferretDir   string
	closeOnce   sync.Once
}

// IndexIDs adds the index that FerretDB's _id lookups need to every
// collection now (see idindex.go); the stack also does it every few seconds
// by itself. Call it after creating collections that are read at once.
func (s *Stack) IndexIDs(ctx context.Context) error { return indexIDs(ctx, s.ferretDir) }

// PortInUseError says that a configured port is taken by another process.
type PortInUseError struct {
	What string // "Temporal frontend", "Temporal UI", "MongoDB"
	Addr string
	Flag string // the flag that chooses another port
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("%s port %s is already in use; choose another with --%s", e.What, e.Addr, e.Flag)
}

// Start starts FerretDB and Temporal and returns when both accept
// connections. The caller must Close the stack.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "ferretdb"), 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}

	ports := []struct {
		port *int
		what string
		flag string
		use  bool
	}{
		{&opts.TemporalPort, "Temporal frontend", "temporal-port", true},
		{&opts.TemporalUIPort, "Temporal UI", "temporal-ui-port", opts.UI},
		{&opts.MongoPort, "MongoDB", "mongodb-port", true},
	}
	for _, p := range ports {
		if !p.use {
			continue
		}
		if *p.port == 0 {
			free, err := FreePort(opts.Host)
			if err != nil {
				return nil, err
			}
			*p.port = free
			continue
		}
		if err := checkFree(opts.Host, *p.port); err != nil {
			return nil, &PortInUseError{What: p.what, Addr: net.JoinHostPort(opts.Host, strconv.Itoa(*p.port)), Flag: p.flag}
		}
	}

	s := &Stack{}
	if err := s.startFerret(ctx, dir, opts); err != nil {
		return nil, err
	}
	if err := s.startTemporal(dir, opts); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Stack) startFerret(ctx context.Context, dir string, opts Options) error {
	addr := net.JoinHostPort(opts.Host, strconv.Itoa(opts.MongoPort))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.Join(dir, "ferretdb") + "/",
		Logger:    quiet(opts.Logger, slog.LevelWarn).With("component", "ferretdb"),
	})
	if err != nil {
		return fmt.Errorf("start embedded MongoDB (FerretDB) on %s: %w", addr, err)
	}
	// FerretDB's listeners live as long as runCtx, not the caller's ctx:
	// the stack outlives Start.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stopFerret = cancel
	s.ferretDone = make(chan struct{})
	go func() {
		defer close(s.ferretDone)
		_ = f.Run(runCtx)
	}()
	s.MongoURI = f.MongoDBURI()
	s.ferretDir = filepath.Join(dir, "ferretdb")
	s.indexerDone = make(chan struct{})
	go keepIndexing(runCtx, s.ferretDir, opts.Logger.With("component", "devstack"), s.indexerDone)
	return nil
}

func (s *Stack) startTemporal(dir string, opts Options) error {
	so := devserver.StartOptions{
		FrontendIP:             opts.Host,
		FrontendPort:           opts.TemporalPort,
		Namespaces:             []string{Namespace},
		ClusterID:              "6a1d9b1e-6f9e-4c53-9d55-2b1f0c6f3a01",
		MasterClusterName:      "active",
		CurrentClusterName:     "active",
		InitialFailoverVersion: 1,
		Logger:                 opts.Logger.With("component", "temporal-server"),
		// The embedded server's warnings are about its own internals
		// (membership, dial retries while stopping); errors still show.
		LogLevel:     slog.LevelError,
		DatabaseFile: filepath.Join(dir, "temporal.db"),
		// WAL made the embedded server about three times faster here.
		SqlitePragmas: map[string]string{
			"journal_mode": "wal",
			"synchronous":  "normal",
			"busy_timeout": "10000",
		},
	}
	srv, err := devserver.Start(so)
	if err != nil {
		return fmt.Errorf("start embedded Temporal server: %w", err)
	}
	s.temporal = srv
	s.TemporalAddress = net.JoinHostPort(opts.Host, strconv.Itoa(opts.TemporalPort))
	if opts.UI {
		s.startUI(opts)
	}
	return nil
}

// startUI serves the Temporal web UI read-only. The devserver package
// would start it with write actions enabled, and whoever reaches the UI
// could then approve a submission with an Update of their own; with
// DisableWriteActions the UI server itself refuses every call but reads
// and queries (405). Payloads show decoded only to those the API's codec
// endpoint lets decode (the browser's credentials are sent along).
func (s *Stack) startUI(opts Options) {
	s.ui = uiserver.NewServer(uiserveroptions.WithConfigProvider(&uiconfig.Config{
		Host:                opts.Host,
		Port:                opts.TemporalUIPort,
		TemporalGRPCAddress: s.TemporalAddress,
		EnableUI:            true,
		DisableWriteActions: true,
		Codec:               uiconfig.Codec{Endpoint: opts.UICodecEndpoint, IncludeCredentials: true},
		CORS:                uiconfig.CORS{CookieInsecure: true},
		HideLogs:            true,
	}))
	go func() {
		if err := s.ui.Start(); err != nil {
			opts.Logger.Error("Temporal UI stopped", "error", err)
		}
	}()
	s.TemporalUIURL = "http://" + net.JoinHostPort(opts.Host, strconv.Itoa(opts.TemporalUIPort))
}

// Close stops Temporal, then FerretDB, and waits for FerretDB to close its
// SQLite files. It is safe to call more than once.
func (s *Stack) Close() {
	s.closeOnce.Do(func() {
		if s.ui != nil {
			s.ui.Stop()
		}
		if s.temporal != nil {
			s.temporal.Stop()
		}
		if s.stopFerret != nil {
			s.stopFerret()
			<-s.ferretDone
			<-s.indexerDone
		}
	})
}

// FreePort asks the kernel for a free TCP port on host.
func FreePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func checkFree(host string, port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return l.Close()
}

// IsPortInUse reports whether err says a configured port is taken.
func IsPortInUse(err error) bool {
	var p *PortInUseError
	return errors.As(err, &p)
}

// quiet returns a logger that drops records below min, whatever the handler's
// own level: the embedded servers log chatter at Info that an operator of
// alusdok has no use for.
//
// It also keeps the attributes that a server attaches with Logger.With to
// itself until a record at min or above is handled. FerretDB v1.24 makes a
// child logger for every SQL statement it runs (fsql: l.With("args", …)
// before each DebugContext, the arguments being the documents' JSON), and
// slog's text and JSON handlers format attributes when they are attached,
// not when a record is written: with the handler's own WithAttrs every
// statement's documents were formatted and then dropped (~5% of the CPU of
// a large entry). Here With costs an append.
func quiet(l *slog.Logger, min slog.Level) *slog.Logger {
	return slog.New(&minLevel{inner: l.Handler(), min: min})
}

// minLevel is quiet's handler. ops are what With and WithGroup
// attached, in order, applied to inner only in Handle.
type minLevel struct {
	inner slog.Handler
	min   slog.Level
	ops   []withOp
}

// withOp is one WithAttrs (group == "") or WithGroup call.
type withOp struct {
	group string
	attrs []slog.Attr
}

func (h *minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.inner.Enabled(ctx, l)
}

func (h *minLevel) Handle(ctx context.Context, r slog.Record) error {
	inner := h.inner
	for _, op := range h.ops {
		if op.group != "" {
			inner = inner.WithGroup(op.group)
		} else {
			inner = inner.WithAttrs(op.attrs)
		}
	}
	return inner.Handle(ctx, r)
}

func (h *minLevel) with(op withOp) *minLevel {
	return &minLevel{inner: h.inner, min: h.min, ops: append(h.ops[:len(h.ops):len(h.ops)], op)}
}

func (h *minLevel) WithAttrs(a []slog.Attr) slog.Handler {
	if len(a) == 0 {
		return h
	}
	return h.with(withOp{attrs: a})
}

func (h *minLevel) WithGroup(n string) slog.Handler {
	if n == "" {
		return h
	}
	return h.with(withOp{group: n})
}
