package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Check is one dependency that /readyz asks: Temporal, MongoDB.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
	// Advisory checks report a state without deciding readiness: a
	// failing one shows its error's text (which the check must keep
	// free of anything secret, e.g. "empty") and the answer stays 200.
	Advisory bool
}

// readyTimeout bounds how long /readyz waits for one dependency.
const readyTimeout = 3 * time.Second

func healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "alive"})
}

type readiness struct {
	Status string            `json:"status"` // "ready" or "not ready"
	Checks map[string]string `json:"checks"` // name → "ok" or "unreachable" (advisory: "ok" or their state)
}

// readyz asks every dependency at once and answers 503 when any is down. The
// answer names each dependency; the underlying error is logged, not shown,
// because it may carry addresses an outsider need not see.
func (h *handlers) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
	defer cancel()
	res := readiness{Status: "ready", Checks: make(map[string]string, len(h.checks))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, ch := range h.checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := ch.Check(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && ch.Advisory {
				res.Checks[ch.Name] = err.Error()
				return
			}
			if err != nil {
				h.log.WarnContext(ctx, "readiness check failed", "dependency", ch.Name, "error", err)
				res.Checks[ch.Name] = "unreachable"
				res.Status = "not ready"
				return
			}
			res.Checks[ch.Name] = "ok"
		}()
	}
	wg.Wait()
	status := http.StatusOK
	if res.Status != "ready" {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, res)
}
