package topology

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"text/template"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// settings are what scripts/topology.sh hands the test.
type settings struct {
	dir      string // the run's directory; the script removes it
	alusdok  string // the alusdok binary
	tools    string // temporal-server, temporal-sql-tool and ferretdb
	schema   string // go.temporal.io/server's schema/postgresql/v12
	pgBin    string // Debian's PostgreSQL binaries
	pgUser   string // the unprivileged user PostgreSQL runs as when we are root
	docs     int    // committee decisions per phase
	large    int    // certificates of the decision entered across a worker's SIGKILL
	inFlight int
}

func getenvInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return n
}

func loadSettings(tb testing.TB) settings {
	s := settings{
		dir: os.Getenv("TOPOLOGY_DIR"), alusdok: os.Getenv("TOPOLOGY_ALUSDOK"), tools: os.Getenv("TOPOLOGY_TOOLS"),
		schema: os.Getenv("TOPOLOGY_SCHEMA"), pgBin: os.Getenv("TOPOLOGY_PG_BIN"), pgUser: os.Getenv("TOPOLOGY_PG_USER"),
		docs: getenvInt(tb, "TOPOLOGY_DOCS", 200), large: getenvInt(tb, "TOPOLOGY_LARGE", 5000),
		inFlight: getenvInt(tb, "TOPOLOGY_IN_FLIGHT", 16),
	}
	if s.pgUser == "" {
		s.pgUser = "postgres"
	}
	for name, v := range map[string]string{"TOPOLOGY_DIR": s.dir, "TOPOLOGY_ALUSDOK": s.alusdok, "TOPOLOGY_TOOLS": s.tools,
		"TOPOLOGY_SCHEMA": s.schema, "TOPOLOGY_PG_BIN": s.pgBin} {
		if v == "" {
			tb.Fatalf("%s is not set: run the topology with `make topology`", name)
		}
	}
	return s
}

// freePort finds a free loopback port below 32768: Temporal's PostgreSQL
// schema keeps membership ports in a smallint, so the kernel's ephemeral
// ports (32768 and up) cannot be used for them; every port of the run is
// taken from the same range for simplicity.
func freePort(tb testing.TB) int {
	tb.Helper()
	for range 200 {
		p := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			l.Close()
			return p
		}
	}
	tb.Fatal("no free port in 20000-32000")
	return 0
}

// proc is one process of the topology. Its output goes to logs/<name>.log
// (appended across restarts) and its pid to pids/<name>, so that the
// script can kill what a panicking test left behind.
type proc struct {
	name    string
	cmd     *exec.Cmd
	log     string
	pidFile string
	done    chan struct{}
	err     error
	started time.Time
}

type spawnOpts struct {
	env  []string // the whole environment (nil: a minimal one)
	cred *syscall.Credential
	dir  string
}

// minimalEnv is the environment every child starts from: nothing of the
// test's own, so that an alusdok process is configured only by what the
// runner sets.
func minimalEnv(extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "LANG=C.UTF-8"}, extra...)
}

func (s settings) spawn(tb testing.TB, name string, o spawnOpts, bin string, args ...string) *proc {
	tb.Helper()
	logPath := filepath.Join(s.dir, "logs", name+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = o.env
	if cmd.Env == nil {
		cmd.Env = minimalEnv()
	}
	cmd.Dir = o.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: o.cred}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, pidFile: filepath.Join(s.dir, "pids", name), done: make(chan struct{}), started: time.Now()}
	_ = os.WriteFile(p.pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	go func() {
		p.err = cmd.Wait()
		_ = os.Remove(p.pidFile)
		close(p.done)
	}()
	return p
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// signal sends sig to the process's group.
func (p *proc) signal(sig syscall.Signal) {
	_ = syscall.Kill(-p.cmd.Process.Pid, sig)
}

// stop sends sig and waits up to grace for the exit, then SIGKILLs the group.
// It returns how long the process took to exit.
func (p *proc) stop(sig syscall.Signal, grace time.Duration) time.Duration {
	if p.exited() {
		return 0
	}
	begin := time.Now()
	p.signal(sig)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.signal(syscall.SIGKILL)
		<-p.done
	}
	return time.Since(begin)
}

func (p *proc) tail(n int) string {
	b, _ := os.ReadFile(p.log)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// waitUntil polls cond every 100 ms until it holds; it fails when timeout
// passes or one of procs exits.
func waitUntil(tb testing.TB, timeout time.Duration, what string, cond func() bool, procs ...*proc) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		for _, p := range procs {
			if p.exited() {
				tb.Fatalf("%s: %s exited (%v); its log ends:\n%s", what, p.name, p.err, p.tail(30))
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// postgres is the throwaway PostgreSQL cluster.
type postgres struct {
	proc *proc
	port int
}

// startPostgres makes a cluster in dir/pg as the unprivileged user (when we
// are root) and runs it on a loopback port; connections are trusted, as
// nothing but loopback reaches it and it lives for one run.
func (s settings) startPostgres(tb testing.TB) *postgres {
	tb.Helper()
	root := filepath.Join(s.dir, "pg")
	if err := os.MkdirAll(root, 0o700); err != nil {
		tb.Fatal(err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup(s.pgUser)
		if err != nil {
			tb.Fatalf("PostgreSQL must not run as root and user %q is missing: %v", s.pgUser, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(root, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	initdb := s.spawn(tb, "initdb", spawnOpts{cred: cred, dir: root}, filepath.Join(s.pgBin, "initdb"),
		"-D", filepath.Join(root, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions")
	<-initdb.done
	if initdb.err != nil {
		tb.Fatalf("initdb: %v\n%s", initdb.err, initdb.tail(20))
	}
	pg := &postgres{port: freePort(tb)}
	pg.proc = s.spawn(tb, "postgres", spawnOpts{cred: cred, dir: root}, filepath.Join(s.pgBin, "postgres"),
		"-D", filepath.Join(root, "data"), "-h", "127.0.0.1", "-p", strconv.Itoa(pg.port), "-k", root,
		"-c", "max_connections=300")
	waitUntil(tb, time.Minute, "PostgreSQL accepts connections", func() bool {
		return exec.Command(filepath.Join(s.pgBin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(pg.port), "-U", "postgres").Run() == nil
	}, pg.proc)
	return pg
}

func (pg *postgres) run(tb testing.TB, s settings, tool string, args ...string) {
	tb.Helper()
	args = append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(pg.port), "-U", "postgres"}, args...)
	if out, err := exec.Command(filepath.Join(s.pgBin, tool), args...).CombinedOutput(); err != nil {
		tb.Fatalf("%s %v: %v\n%s", tool, args, err, out)
	}
}

// setupTemporalSchema creates Temporal's two databases and brings them to
// the schema version of the server, with Temporal's own SQL tool.
func (s settings) setupTemporalSchema(tb testing.TB, pg *postgres) {
	tb.Helper()
	for _, db := range []struct{ name, dir string }{{"temporal", "temporal"}, {"temporal_visibility", "visibility"}} {
		base := []string{"--plugin", "postgres12", "--endpoint", "127.0.0.1", "--port", strconv.Itoa(pg.port),
			"--user", "postgres", "--password", "unused", "--database", db.name}
		for _, step := range [][]string{
			{"create-database"},
			{"setup-schema", "--version", "0.0"},
			{"update-schema", "--schema-dir", filepath.Join(s.schema, db.dir, "versioned")},
		} {
			cmd := exec.Command(filepath.Join(s.tools, "sql"), append(base, step...)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				tb.Fatalf("temporal-sql-tool %s %s: %v\n%s", db.name, step[0], err, out)
			}
		}
	}
}

// temporalConfig is the server's configuration: persistence and visibility
// on the PostgreSQL cluster, every service in one process on loopback.
var temporalConfig = template.Must(template.New("").Parse(`log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
{{- range $name, $db := .Stores}}
    {{$name}}:
      sql:
        pluginName: postgres12
        databaseName: {{$db}}
        connectAddr: "127.0.0.1:{{$.PG}}"
        connectProtocol: tcp
        user: postgres
        password: unused
        maxConns: 20
        maxIdleConns: 20
        maxConnLifetime: 1h
{{- end}}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
{{- range $name, $p := .Services}}
  {{$name}}:
    rpc:
      grpcPort: {{index $p 0}}
      membershipPort: {{index $p 1}}
      bindOnLocalHost: true
{{- if eq $name "frontend"}}
      httpPort: {{$.HTTP}}
{{- end}}
{{- end}}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:{{index .Services.frontend 0}}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "{{.Dynamic}}"
  pollInterval: 10s
`))

// startTemporal runs temporal-server on the cluster and registers the
// namespace; it returns the frontend's address once a client can use it.
func (s settings) startTemporal(tb testing.TB, pg *postgres, namespace string) (*proc, string) {
	tb.Helper()
	cfgDir := filepath.Join(s.dir, "temporal", "config")
	if err := os.MkdirAll(cfgDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	dynamic := filepath.Join(cfgDir, "dynamic.yaml")
	if err := os.WriteFile(dynamic, []byte("limit.maxIDLength:\n  - value: 255\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	services := map[string][2]int{}
	for _, name := range []string{"frontend", "history", "matching", "worker"} {
		services[name] = [2]int{freePort(tb), freePort(tb)}
	}
	var buf bytes.Buffer
	if err := temporalConfig.Execute(&buf, map[string]any{
		"PG": pg.port, "Stores": map[string]string{"default": "temporal", "visibility": "temporal_visibility"},
		"Services": services, "HTTP": freePort(tb), "Dynamic": dynamic,
	}); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "topology.yaml"), buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	p := s.spawn(tb, "temporal", spawnOpts{dir: filepath.Join(s.dir, "temporal")}, filepath.Join(s.tools, "server"),
		"--root", filepath.Join(s.dir, "temporal"), "--config", "config", "--env", "topology", "--allow-no-auth", "start")
	addr := "127.0.0.1:" + strconv.Itoa(services["frontend"][0])

	// The namespace: registered once the frontend answers, usable once
	// the server's namespace registry has read it (up to ~10 s later).
	var nc client.NamespaceClient
	waitUntil(tb, 2*time.Minute, "Temporal frontend answers", func() bool {
		var err error
		nc, err = client.NewNamespaceClient(client.Options{HostPort: addr, Logger: quietLogger{}})
		return err == nil
	}, p)
	defer nc.Close()
	waitUntil(tb, 2*time.Minute, "namespace registered", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace: namespace, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
		})
		var exists *serviceerror.NamespaceAlreadyExists
		return err == nil || errors.As(err, &exists)
	}, p)
	tc, err := client.Dial(client.Options{HostPort: addr, Namespace: namespace, Logger: quietLogger{}})
	if err != nil {
		tb.Fatal(err)
	}
	defer tc.Close()
	waitUntil(tb, 2*time.Minute, "namespace usable", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: namespace, PageSize: 1})
		return err == nil
	}, p)
	return p, addr
}

// startFerretDB runs FerretDB on the cluster's database "ferretdb".
func (s settings) startFerretDB(tb testing.TB, pg *postgres) (*proc, string) {
	tb.Helper()
	pg.run(tb, s, "createdb", "ferretdb")
	port := freePort(tb)
	p := s.spawn(tb, "ferretdb", spawnOpts{}, filepath.Join(s.tools, "ferretdb"),
		"--listen-addr", "127.0.0.1:"+strconv.Itoa(port),
		"--postgresql-url", fmt.Sprintf("postgres://postgres@127.0.0.1:%d/ferretdb", pg.port)+poolParam(),
		// At warn it logs every failed command with its whole message
		// (the Go driver's endSessions, which FerretDB v1 lacks).
		"--log-level", "error")
	waitUntil(tb, time.Minute, "FerretDB listens", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
		}
		return err == nil
	}, p)
	return p, fmt.Sprintf("mongodb://127.0.0.1:%d/", port)
}

// poolParam is TOPOLOGY_FERRETDB_POOL as FerretDB's pgx pool size (FerretDB's
// default: 50). Each open cursor of a find holds one of its connections.
func poolParam() string {
	if v := os.Getenv("TOPOLOGY_FERRETDB_POOL"); v != "" {
		return "?pool_max_conns=" + v
	}
	return ""
}

// quietLogger drops the Temporal SDK's log lines in the test process.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}

// roundRobin is the tiny load balancer in front of the API processes: each
// request goes to the next backend; one that refuses the connection
// (stopped, restarting) is skipped for the next, as a load balancer's
// health check would take it out.
type roundRobin struct {
	mu       sync.Mutex
	backends []string // http://host:port
	next     atomic.Uint64
	srv      *http.Server
	addr     string
	served   []atomic.Int64
	cutOff   atomic.Int64 // requests a backend dropped without an answer
}

// balancerHeader marks the round-robin's own 502s, so that clients count
// them apart from what the APIs answered.
const balancerHeader = "X-Topology-Balancer"

func startRoundRobin(tb testing.TB, backends ...string) *roundRobin {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	rr := &roundRobin{backends: backends, addr: "http://" + l.Addr().String(), served: make([]atomic.Int64, len(backends))}
	transport := &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
	rr.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		first := int(rr.next.Add(1))
		var lastErr error
		for i := range len(rr.backends) {
			b := (first + i) % len(rr.backends)
			out, _ := http.NewRequestWithContext(r.Context(), r.Method, rr.backends[b]+r.URL.RequestURI(), bytes.NewReader(body))
			out.Header = r.Header.Clone()
			resp, err := transport.RoundTrip(out)
			var op *net.OpError
			if errors.As(err, &op) && op.Op == "dial" {
				lastErr = err
				continue // down: try the next one
			}
			if err != nil {
				// The backend closed the connection without an answer
				// (a stop cut the request off).
				rr.cutOff.Add(1)
				w.Header().Set(balancerHeader, "cut-off")
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			rr.served[b].Add(1)
			for k, v := range resp.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(resp.StatusCode)
			_, _ = io.Copy(w, resp.Body)
			resp.Body.Close()
			return
		}
		w.Header().Set(balancerHeader, "no-backend")
		http.Error(w, fmt.Sprint("no backend: ", lastErr), http.StatusBadGateway)
	})}
	go func() { _ = rr.srv.Serve(l) }()
	tb.Cleanup(func() { rr.srv.Close() })
	return rr
}
