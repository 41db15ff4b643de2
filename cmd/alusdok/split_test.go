package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/internal/devstack"
)

// TestAPIAndWorkerAloneStartFromTheirVariables runs `alusdok api` and
// `alusdok worker` side by side, each configured only by the ALUSDOK_*
// variables docker-compose.yml gives it, against an embedded Temporal and
// FerretDB: both answer /readyz naming their dependencies, and stop cleanly.
// (`alusdok api` used to stop at start, checking the worker's options it is
// never given; make topology runs the same split against PostgreSQL.)
func TestAPIAndWorkerAloneStartFromTheirVariables(t *testing.T) {
	stack, err := devstack.Start(context.Background(), devstack.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close()
	addr := func() string {
		p, err := devstack.FreePort("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return "127.0.0.1:" + strconv.Itoa(p)
	}
	common := map[string]string{
		"ALUSDOK_TEMPORAL_ADDRESS": stack.TemporalAddress, "ALUSDOK_TEMPORAL_NAMESPACE": devstack.Namespace,
		"ALUSDOK_MONGODB_URI": stack.MongoURI, "ALUSDOK_MONGODB_DATABASE": "split",
		"ALUSDOK_LOG_LEVEL": "warn", "ALUSDOK_SHUTDOWN_TIMEOUT": "10s",
	}
	procs := []struct {
		cmd, healthVar, health string
	}{
		{"api", "ALUSDOK_HTTP_ADDR", addr()},
		{"worker", "ALUSDOK_HEALTH_ADDR", addr()},
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make([]chan error, len(procs))
	outs := make([]*syncBuffer, len(procs))
	for i, p := range procs {
		env := map[string]string{p.healthVar: p.health}
		for k, v := range common {
			env[k] = v
		}
		done[i], outs[i] = make(chan error, 1), &syncBuffer{}
		go func() {
			done[i] <- run(ctx, []string{p.cmd}, func(k string) string { return env[k] }, io.Discard, outs[i])
		}()
	}
	for i, p := range procs {
		deadline := time.Now().Add(2 * time.Minute)
		for {
			select {
			case err := <-done[i]:
				t.Fatalf("alusdok %s stopped at start: %v\n%s", p.cmd, err, outs[i].String())
			default:
			}
			resp, err := http.Get("http://" + p.health + "/readyz")
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					for _, want := range []string{`"temporal":"ok"`, `"mongodb":"ok"`} {
						if !strings.Contains(string(b), want) {
							t.Errorf("alusdok %s /readyz %s lacks %s", p.cmd, b, want)
						}
					}
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("alusdok %s: /readyz never answered 200\n%s", p.cmd, outs[i].String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	cancel()
	for i, p := range procs {
		select {
		case err := <-done[i]:
			if err != nil {
				t.Errorf("alusdok %s after cancel: %v", p.cmd, err)
			}
		case <-time.After(time.Minute):
			t.Errorf("alusdok %s did not stop within a minute", p.cmd)
		}
	}
}
