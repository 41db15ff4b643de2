package auth

import (
	"crypto/subtle"
	"sync"
	"time"
)

// KeyCacheTTL bounds how long a key store trusts a key it has checked
// without reading it again. A key revoked through the same key store is
// refused at once; revoked elsewhere (alusdok keys revoke, another API
// process) it is refused by every process within KeyCacheTTL of the
// revocation's write. The principals that authorisation (R11.1, R19.2)
// rests on are therefore at most this old.
const KeyCacheTTL = 5 * time.Second

// keyCacheMax bounds the entries of a key cache. Only keys that
// authenticated are kept — never an unknown, wrong, revoked or malformed
// key, nor a failed lookup — so random keys cannot grow it, and a key made
// a moment ago is read from the database on its first use; the bound is
// for a deployment with more active keys than this.
const keyCacheMax = 10_000

// keyCache holds the keys a key store has authenticated, by key id, each
// until its expiry. Its zero value is not usable: see newKeyCache.
type keyCache struct {
	mu      sync.Mutex
	limit   int // entries
	entries map[string]cachedKey
}

type cachedKey struct {
	hash      []byte // the key's stored hash: a cached id still needs its secret
	principal Principal
	expires   time.Time
}

func newKeyCache(limit int) *keyCache {
	return &keyCache{limit: limit, entries: map[string]cachedKey{}}
}

// get returns the principal of the key id whose secret hashes to hash, if
// it authenticated before now's expiry. A secret that does not match is a
// miss, not a refusal: the database decides (a demo key replaced under the
// same id has a new secret).
func (c *keyCache) get(id string, hash []byte, now time.Time) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok {
		return Principal{}, false
	}
	if !now.Before(e.expires) {
		delete(c.entries, id)
		return Principal{}, false
	}
	if subtle.ConstantTimeCompare(e.hash, hash) != 1 {
		return Principal{}, false
	}
	return e.principal, true
}

// put keeps an authenticated key until expires. When the cache is full it
// first drops the expired entries; if it is still full the key is not kept
// (it is read from the database, as without a cache).
func (c *keyCache) put(id string, hash []byte, p Principal, expires time.Time, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[id]; !ok && len(c.entries) >= c.limit {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.limit {
			return
		}
	}
	c.entries[id] = cachedKey{hash: hash, principal: p, expires: expires}
}

// forget drops key id, revoked or replaced by this key store.
func (c *keyCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, id)
}

func (c *keyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
