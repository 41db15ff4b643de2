package store

import (
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// sizedLRU is a least-recently-used cache of at most n values whose sizes
// together stay within a budget: a value over half the budget is not
// kept. (golang-lru bounds the number of values only.)
type sizedLRU[V any] struct {
	mu     sync.Mutex // over Add's adding and trimming, and bytes
	c      *lru.Cache[string, V]
	size   func(V) int
	bytes  int
	budget int
}

func newSizedLRU[V any](n, budget int, size func(V) int) *sizedLRU[V] {
	l := &sizedLRU[V]{size: size, budget: budget}
	// Evictions happen only in Add and RemoveOldest, under mu.
	l.c, _ = lru.NewWithEvict(n, func(_ string, v V) { l.bytes -= size(v) })
	return l
}

// Get returns the value of key, if it is kept.
func (l *sizedLRU[V]) Get(key string) (V, bool) { return l.c.Get(key) }

// Remove forgets key.
func (l *sizedLRU[V]) Remove(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.c.Remove(key)
}

// Add keeps v under key unless it is too large, evicting the least
// recently used values until the rest fits the budget.
func (l *sizedLRU[V]) Add(key string, v V) {
	n := l.size(v)
	if n > l.budget/2 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c.Contains(key) {
		return
	}
	l.c.Add(key, v)
	l.bytes += n
	for l.bytes > l.budget {
		l.c.RemoveOldest()
	}
}
