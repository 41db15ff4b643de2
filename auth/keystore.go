package auth

import (
	"cmp"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// KeysCollection is the MongoDB collection of API keys.
const KeysCollection = "api_keys"

// KeyStore keeps the API keys of systems in MongoDB. Every hot lookup is by
// _id (the key id), the only filter FerretDB v1 answers without scanning.
// A key that authenticated is trusted for KeyCacheTTL without being read
// again (the cache is the key store's own: one per process).
type KeyStore struct {
	coll  *mongo.Collection
	now   func() time.Time
	cache *keyCache
}

// NewKeyStore returns the key store of database db.
func NewKeyStore(db *mongo.Database) *KeyStore {
	return &KeyStore{coll: db.Collection(KeysCollection), now: time.Now, cache: newKeyCache(keyCacheMax)}
}

// keyDoc is one API key as stored: never the secret, only its hash.
type keyDoc struct {
	ID           string     `bson:"_id"`
	Hash         []byte     `bson:"hash"`
	Role         Role       `bson:"role"`
	Organisation string     `bson:"organisation,omitempty"`
	PersonalCode string     `bson:"personal_code,omitempty"`
	Name         string     `bson:"name"`
	Created      time.Time  `bson:"created"`
	Revoked      *time.Time `bson:"revoked,omitempty"`
}

// KeySpec says what a new key is for.
type KeySpec struct {
	Role         Role
	Organisation string // submitters: kutsekoda or a registry code
	PersonalCode string // persons
	Name         string // who holds the key, for the logs: "Tallinna Ehituskool, õppeinfosüsteem"
}

func (s KeySpec) principal() *Principal {
	return &Principal{Role: s.Role, Organisation: s.Organisation, PersonalCode: s.PersonalCode, Name: s.Name}
}

// KeyInfo is what may be shown of a key: never its secret or hash.
type KeyInfo struct {
	ID           string
	Role         Role
	Organisation string
	PersonalCode string // persons only; mask it when showing it
	Name         string
	Created      time.Time
	Revoked      time.Time // zero while the key is active
}

// Active reports whether the key has not been revoked.
func (k KeyInfo) Active() bool { return k.Revoked.IsZero() }

// IssuedKey is a key just made: Key is the whole key, which is shown once
// and never kept.
type IssuedKey struct {
	KeyInfo
	Key string
}

func (d keyDoc) info() KeyInfo {
	k := KeyInfo{ID: d.ID, Role: d.Role, Organisation: d.Organisation, PersonalCode: d.PersonalCode, Name: d.Name, Created: d.Created}
	if d.Revoked != nil {
		k.Revoked = *d.Revoked
	}
	return k
}

// Create makes a new key with a random id and secret.
func (s *KeyStore) Create(ctx context.Context, spec KeySpec) (IssuedKey, error) {
	id, err := newKeyID()
	if err != nil {
		return IssuedKey{}, fmt.Errorf("create API key: %w", err)
	}
	doc, key, err := s.newDoc(id, spec)
	if err != nil {
		return IssuedKey{}, err
	}
	if _, err := s.coll.InsertOne(ctx, doc); err != nil {
		return IssuedKey{}, fmt.Errorf("create API key: %w", err)
	}
	return IssuedKey{KeyInfo: doc.info(), Key: key}, nil
}

// newDoc validates spec and makes the document and the whole key for id.
func (s *KeyStore) newDoc(id string, spec KeySpec) (keyDoc, string, error) {
	if spec.Name == "" {
		return keyDoc{}, "", errors.New("create API key: give the key a name (who holds it)")
	}
	if err := spec.principal().Validate(); err != nil {
		return keyDoc{}, "", fmt.Errorf("create API key: %w", err)
	}
	secret, err := newSecret()
	if err != nil {
		return keyDoc{}, "", fmt.Errorf("create API key: %w", err)
	}
	doc := keyDoc{
		ID: id, Hash: hashSecret(id, secret),
		Role: spec.Role, Organisation: spec.Organisation, PersonalCode: spec.PersonalCode, Name: spec.Name,
		Created: s.now().UTC().Truncate(time.Millisecond),
	}
	return doc, formatKey(id, secret), nil
}

// List returns every key, oldest first, without secrets or hashes. It reads
// the whole collection, which is small and listed rarely.
func (s *KeyStore) List(ctx context.Context) ([]KeyInfo, error) {
	cur, err := s.coll.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	var docs []keyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	out := make([]KeyInfo, len(docs))
	for i, d := range docs {
		out[i] = d.info()
	}
	slices.SortFunc(out, func(a, b KeyInfo) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// get reads one key document by _id; ErrNoSuchKey when there is none.
func (s *KeyStore) get(ctx context.Context, id string) (keyDoc, error) {
	var d keyDoc
	err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return keyDoc{}, ErrNoSuchKey
	}
	return d, err
}

// Revoke revokes the key with the given id; it fails with ErrNoSuchKey when
// there is none. Revoking a revoked key keeps its first revocation time.
func (s *KeyStore) Revoke(ctx context.Context, id string) (KeyInfo, error) {
	d, err := s.get(ctx, id)
	if err != nil {
		return KeyInfo{}, fmt.Errorf("revoke API key %s: %w", id, err)
	}
	if d.Revoked != nil {
		return d.info(), nil
	}
	t := s.now().UTC().Truncate(time.Millisecond)
	// Filter by _id alone: FerretDB pushes only that down.
	if _, err := s.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked", Value: t}}}}); err != nil {
		return KeyInfo{}, fmt.Errorf("revoke API key %s: %w", id, err)
	}
	s.cache.forget(id)
	d.Revoked = &t
	return d.info(), nil
}

// Authenticate checks a whole key and returns its principal. A malformed,
// unknown or wrong key is refused alike (ErrMalformedKey, ErrUnknownKey), a
// revoked one with ErrRevokedKey; a database failure is returned as it is
// and is not a refusal.
//
// A key that authenticated is not read again for KeyCacheTTL: a revocation
// written by another process takes effect within that bound. Refusals and
// failures are never cached.
func (s *KeyStore) Authenticate(ctx context.Context, key string) (*Principal, error) {
	id, secret, err := parseKey(key)
	if err != nil {
		return nil, refuse(err, nil)
	}
	hash := hashSecret(id, secret)
	// The expiry counts from before the read: whatever the read saw was
	// true at that moment at the latest.
	read := s.now()
	if p, ok := s.cache.get(id, hash, read); ok {
		return &p, nil
	}
	d, err := s.get(ctx, id)
	if errors.Is(err, ErrNoSuchKey) {
		return nil, refuse(ErrUnknownKey, err)
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate API key: %w", err)
	}
	// The secret is checked before anything else about the key is told.
	if subtle.ConstantTimeCompare(d.Hash, hash) != 1 {
		return nil, refuse(ErrUnknownKey, nil)
	}
	if d.Revoked != nil {
		return nil, refuse(ErrRevokedKey, nil)
	}
	p := &Principal{Role: d.Role, Organisation: d.Organisation, PersonalCode: d.PersonalCode, Name: d.Name, KeyID: d.ID}
	if err := p.Validate(); err != nil {
		return nil, refuse(err, nil)
	}
	s.cache.put(id, d.Hash, *p, read.Add(KeyCacheTTL), read)
	return p, nil
}
