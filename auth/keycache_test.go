package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// clock is a time the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// cachedKeyStore is a key store on a fresh database whose time is clk.
func cachedKeyStore(t *testing.T) (*KeyStore, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	ks := NewKeyStore(mustOpenDB(t))
	ks.now = clk.now
	return ks, clk
}

func TestKeyRevokedElsewhereIsRefusedWithinKeyCacheTTL(t *testing.T) {
	ctx := context.Background()
	api, clk := cachedKeyStore(t)
	k, err := api.Create(ctx, KeySpec{Role: RoleClerk, Name: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Authenticate(ctx, k.Key); err != nil {
		t.Fatal(err)
	}
	// "alusdok keys revoke" or another API process: a key store of its own.
	other := &KeyStore{coll: api.coll, now: clk.now, cache: newKeyCache(keyCacheMax)}
	if _, err := other.Revoke(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	clk.advance(KeyCacheTTL - time.Millisecond)
	if _, err := api.Authenticate(ctx, k.Key); err != nil {
		t.Fatalf("within the bound the checked key is trusted without a read: %v", err)
	}
	clk.advance(time.Millisecond)
	if _, err := api.Authenticate(ctx, k.Key); !errors.Is(err, ErrRevokedKey) {
		t.Fatalf("KeyCacheTTL after it was checked: %v, want ErrRevokedKey", err)
	}
}

func TestKeyRevokedThroughTheSameStoreIsRefusedAtOnce(t *testing.T) {
	ctx := context.Background()
	ks, _ := cachedKeyStore(t)
	k, err := ks.Create(ctx, KeySpec{Role: RoleClerk, Name: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Authenticate(ctx, k.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Revoke(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Authenticate(ctx, k.Key); !errors.Is(err, ErrRevokedKey) {
		t.Fatalf("after Revoke: %v, want ErrRevokedKey", err)
	}
}

func TestKeyUnknownAMomentAgoIsAcceptedOnceMade(t *testing.T) {
	ctx := context.Background()
	ks, _ := cachedKeyStore(t)
	doc, key, err := ks.newDoc("made-later", KeySpec{Role: RoleClerk, Name: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Authenticate(ctx, key); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("before it is made: %v, want ErrUnknownKey", err)
	}
	if _, err := ks.coll.InsertOne(ctx, doc); err != nil {
		t.Fatal(err)
	}
	// The clock has not moved: a refusal is not remembered.
	if _, err := ks.Authenticate(ctx, key); err != nil {
		t.Fatalf("once made: %v", err)
	}
}

func TestWrongSecretOfACheckedKeyIsRefused(t *testing.T) {
	ctx := context.Background()
	ks, _ := cachedKeyStore(t)
	k, err := ks.Create(ctx, KeySpec{Role: RoleClerk, Name: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Authenticate(ctx, k.Key); err != nil {
		t.Fatal(err)
	}
	other, _ := newSecret()
	if _, err := ks.Authenticate(ctx, formatKey(k.ID, other)); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("wrong secret of a cached key id: %v, want ErrUnknownKey", err)
	}
	if p, err := ks.Authenticate(ctx, k.Key); err != nil || p.KeyID != k.ID {
		t.Fatalf("the right secret still: %+v, %v", p, err)
	}
}

func TestRefusedKeysAreNotKept(t *testing.T) {
	ctx := context.Background()
	ks, _ := cachedKeyStore(t)
	k, err := ks.Create(ctx, KeySpec{Role: RoleClerk, Name: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		id, _ := newKeyID()
		secret, _ := newSecret()
		if _, err := ks.Authenticate(ctx, formatKey(id, secret)); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("random key: %v", err)
		}
	}
	if _, err := ks.Revoke(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Authenticate(ctx, k.Key); !errors.Is(err, ErrRevokedKey) {
		t.Fatal(err)
	}
	if n := ks.cache.len(); n != 0 {
		t.Errorf("%d keys kept after only refusals, want none", n)
	}
}

func TestKeyCacheIsBoundedAndDropsExpiredEntriesFirst(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	c := newKeyCache(2)
	p := Principal{Role: RoleClerk, Name: "clerk"}
	c.put("a", []byte("ha"), p, t0.Add(time.Second), t0)
	c.put("b", []byte("hb"), p, t0.Add(KeyCacheTTL), t0)
	c.put("c", []byte("hc"), p, t0.Add(KeyCacheTTL), t0)
	if _, ok := c.get("c", []byte("hc"), t0); ok || c.len() != 2 {
		t.Fatalf("full cache took a third key (%d entries)", c.len())
	}
	later := t0.Add(time.Second) // a has expired
	c.put("c", []byte("hc"), p, later.Add(KeyCacheTTL), later)
	if _, ok := c.get("c", []byte("hc"), later); !ok {
		t.Error("c not kept once a had expired")
	}
	if _, ok := c.get("a", []byte("ha"), later); ok {
		t.Error("expired a still answered")
	}
	if _, ok := c.get("b", []byte("not b's"), later); ok {
		t.Error("b answered for another secret")
	}
}
