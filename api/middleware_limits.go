package api

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// DefaultMaxBody is the request-body cap when none is configured: enough for
// a signed committee decision with its annexes.
const DefaultMaxBody = 25 << 20

// BodyLimit caps request bodies at max bytes. A request that declares a
// larger Content-Length is answered 413 before any of its body is read; a
// body without a declared length (chunked) is cut off at max, and the
// handler's read fails with *http.MaxBytesError, which WriteError answers
// 413. max <= 0 means DefaultMaxBody.
func BodyLimit(max int64) gin.HandlerFunc {
	if max <= 0 {
		max = DefaultMaxBody
	}
	return func(c *gin.Context) {
		if c.Request.ContentLength > max {
			// Tell the server not to read the rest for keep-alive.
			c.Header("Connection", "close")
			writeProblem(c, TooLarge(max))
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		}
		c.Next()
	}
}

// RateLimiter is a token bucket per client: each API key, each person's
// token, each anonymous client address has its own. Buckets of clients that
// have been idle long enough to refill are dropped (a full bucket is as good
// as a new one), so memory stays bounded by the clients active within a
// refill time; past maxClients, new clients share one overflow bucket until
// idle ones are dropped. A nil *RateLimiter allows everything.
type RateLimiter struct {
	limit rate.Limit
	burst int
	idle  time.Duration // a bucket idle this long is full again
	max   int
	now   func() time.Time

	mu        sync.Mutex
	clients   map[string]*clientBucket
	lastSweep time.Time
}

type clientBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxClients bounds the number of buckets kept.
const maxClients = 100_000

// overflowKey is the shared bucket of clients beyond maxClients.
const overflowKey = "\x00overflow"

// NewRateLimiter allows perSecond requests per second on average and burst
// at once, per client. perSecond <= 0 disables limiting (nil).
func NewRateLimiter(perSecond float64, burst int) *RateLimiter {
	if perSecond <= 0 {
		return nil
	}
	burst = max(burst, 1)
	refill := time.Duration(float64(burst) / perSecond * float64(time.Second))
	return &RateLimiter{
		limit: rate.Limit(perSecond), burst: burst,
		idle: max(refill, time.Minute), max: maxClients, now: time.Now,
		clients: map[string]*clientBucket{},
	}
}

// Allow takes a token from key's bucket. When the bucket is empty it returns
// false and how long until a token is there.
func (l *RateLimiter) Allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	cl := l.clients[key]
	if cl == nil {
		if len(l.clients) >= l.max || now.Sub(l.lastSweep) >= l.idle {
			l.sweep(now)
		}
		if len(l.clients) >= l.max {
			key = overflowKey
			cl = l.clients[key]
		}
		if cl == nil {
			cl = &clientBucket{lim: rate.NewLimiter(l.limit, l.burst)}
			l.clients[key] = cl
		}
	}
	cl.seen = now
	r := cl.lim.ReserveN(now, 1) // always OK: burst >= 1
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep drops the buckets idle for a refill time. It runs at most once per
// refill time, or when the table is full.
func (l *RateLimiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, cl := range l.clients {
		if now.Sub(cl.seen) >= l.idle {
			delete(l.clients, k)
		}
	}
}

// Len is the number of buckets kept.
func (l *RateLimiter) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// RateLimit answers 429 with Retry-After (whole seconds) when the caller's
// bucket is empty. It keys by the principal's ID (an API key, a token's
// subject) and, for the public, by the client address — so it runs after
// Authenticate. Which address is the client's follows the engine's trusted
// proxies (gin.Engine.SetTrustedProxies).
func RateLimit(l *RateLimiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := PrincipalOf(c).ID()
		if key == "" {
			key = "ip:" + c.ClientIP()
		}
		if ok, wait := l.Allow(key); !ok {
			writeProblem(c, RateLimited(wait))
			return
		}
		c.Next()
	}
}
