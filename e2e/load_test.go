package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/api"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/intake"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// The load run: loadClients goroutines share loadRequests requests per
// iteration (run it with -benchtime=1x), each on its own keep-alive
// connection to an httptest server on loopback; an iteration stops early at
// loadTimeout.
const (
	loadClients  = 32
	loadRequests = 4000
	loadTimeout  = 60 * time.Second
)

// BenchmarkLoadSubmissionStatus measures GET /api/v1/submissions/{id} — the
// status page a clerk's worklist and a submitter's system poll — through the
// real router on the embedded stack: API-key authentication (a MongoDB
// point read at most every auth.KeyCacheTTL), the submission's read model
// (one point read), JSON. The router is
// built with Limiter nil: the configured rate limit (per key) would
// otherwise measure the limiter, not the API. It reports requests per
// second and the 50th and 99th percentile latency; BenchmarkLoadTrivialGin
// is the baseline measured the same way in the same run.
func BenchmarkLoadSubmissionStatus(b *testing.B) {
	sys := start(b, defaults(b))
	router, path, key := statusRouter(b, sys)
	load(b, router, path, key, []byte(`"status":"in-review"`))
}

// statusRouter submits a committee decision, waits for it to be in review,
// makes a clerk's key and builds the real router over sys without a rate
// limit; it returns the router, the submission's status path and the key.
func statusRouter(b *testing.B, sys *system) (http.Handler, string, string) {
	b.Helper()
	ctx := context.Background()
	meta, pdf := readExample(b, documents.CommitteeDecision)
	rc, err := sys.wiring.Intake.Submit(ctx, intake.Request{Submitter: submitterOf(documents.CommitteeDecision),
		PDF: bytes.NewReader(pdf), Filename: "otsus.pdf", Metadata: meta})
	if err != nil {
		b.Fatal(err)
	}
	waitStatus(b, sys, rc.SubmissionID, wf.StatusInReview)
	key, err := sys.wiring.Keys.Create(ctx, auth.KeySpec{Role: auth.RoleClerk, Name: "Koormustest"})
	if err != nil {
		b.Fatal(err)
	}
	w, cl := sys.wiring, sys.clients
	gin.SetMode(gin.ReleaseMode)
	router := api.NewRouter(api.Deps{
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Checks: cl.Checks(), Store: w.Store, Intake: w.Intake, Temporal: cl.Temporal, Audit: w.Audit,
		Access: w.Access, Keys: w.Keys, Metrics: api.NewMetrics(),
		Limiter: nil, // no rate limit: measure the API, not the limiter
	})
	return router, "/api/v1/submissions/" + rc.SubmissionID, key.Key
}

// BenchmarkLoadTrivialGin is the baseline of BenchmarkLoadSubmissionStatus:
// a Gin engine whose one handler answers a small constant JSON, driven by
// the same clients on the same loopback.
func BenchmarkLoadTrivialGin(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/api/v1/submissions/:id", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"id": c.Param("id"), "status": "in-review", "overdue": false})
	})
	load(b, r, "/api/v1/submissions/0123456789abcdef0123", "", []byte(`"status":"in-review"`))
}

// load serves h on httptest and sends it GET path from loadClients clients,
// loadRequests requests per iteration, checking that every answer is 200
// and contains want. It reports req/s, p50-ms and p99-ms over all
// iterations, and ns/op per request.
func load(b *testing.B, h http.Handler, path, key string, want []byte) {
	get := httpGetter(b, h, path, key, want)
	if err := get(context.Background()); err != nil {
		b.Fatalf("warm-up: %v", err)
	}

	var (
		latencies []time.Duration
		elapsed   time.Duration
	)
	b.ResetTimer()
	for b.Loop() {
		r := hammer(loadClients, loadRequests, get)
		elapsed += r.elapsed
		latencies = append(latencies, r.latencies...)
		if r.failures > 0 {
			b.Errorf("%d requests failed; the first: %v", r.failures, r.firstErr)
		}
	}
	b.StopTimer()
	if len(latencies) == 0 {
		b.Fatal("no request answered")
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		i := min(len(latencies)-1, int(float64(len(latencies))*p))
		return float64(latencies[i]) / float64(time.Millisecond)
	}
	rps := float64(len(latencies)) / elapsed.Seconds()
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(len(latencies)), "ns/op")
	b.Logf("%d clients, %d requests answered in %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms",
		loadClients, len(latencies), elapsed.Round(time.Millisecond), rps, pct(0.50), pct(0.99))
}

// httpGetter serves h on httptest and returns a GET of path with key (""
// for none) on keep-alive connections, one per client, that fails unless
// the answer is 200 and contains want.
func httpGetter(b *testing.B, h http.Handler, path, key string, want []byte) func(ctx context.Context) error {
	b.Helper()
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConns: loadClients, MaxIdleConnsPerHost: loadClients, IdleConnTimeout: time.Minute}
	b.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		if err != nil {
			return err
		}
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, want) {
			return fmt.Errorf("%d %s", res.StatusCode, body)
		}
		return nil
	}
}

// hammered is one hammer run: the answered requests' latencies, the time
// to the last, and the failures (with the first one's error).
type hammered struct {
	latencies []time.Duration
	elapsed   time.Duration
	failures  int64
	firstErr  error
}

// rate is the answered requests per second.
func (h hammered) rate() float64 { return float64(len(h.latencies)) / h.elapsed.Seconds() }

// hammer shares requests calls of get among clients goroutines, each
// calling it again as soon as the last call returned, for at most
// loadTimeout.
func hammer(clients, requests int, get func(ctx context.Context) error) hammered {
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	var (
		next     atomic.Int64
		failures atomic.Int64
		mu       sync.Mutex
		firstErr error // under mu
		wg       sync.WaitGroup
	)
	per := make([][]time.Duration, clients)
	begin := time.Now()
	for i := range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(requests) && ctx.Err() == nil {
				t0 := time.Now()
				err := get(ctx)
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() == nil {
						if failures.Add(1) == 1 {
							mu.Lock()
							firstErr = err
							mu.Unlock()
						}
					}
					continue
				}
				per[i] = append(per[i], d)
			}
		})
	}
	wg.Wait()
	r := hammered{elapsed: time.Since(begin), failures: failures.Load(), firstErr: firstErr}
	for _, p := range per {
		r.latencies = append(r.latencies, p...)
	}
	return r
}
