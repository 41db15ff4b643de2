package accesslog

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection is the MongoDB collection of the data-access log.
const Collection = "access_log"

// MinKeyLen is the shortest secret key accepted, in bytes.
const MinKeyLen = 32

// ErrPersonalCode says that a read names something that is not a personal
// code. The error never contains the value.
var ErrPersonalCode = errors.New("not an 11-digit personal code")

// Options tunes a Store.
type Options struct {
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// Store records and lists data-access entries in MongoDB.
type Store struct {
	coll *mongo.Collection
	key  []byte
	now  func() time.Time
	// locks serialise writes to one person's document within the process;
	// see the package documentation.
	locks [stripes]sync.Mutex
}

// stripes is the number of write locks; documents share them by hash.
const stripes = 64

// NewStore returns the data-access log of database db; key is the secret
// under which personal codes are hashed (at least MinKeyLen bytes).
func NewStore(db *mongo.Database, key []byte, opts Options) (*Store, error) {
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("data-access log: the key must have at least %d bytes, it has %d", MinKeyLen, len(key))
	}
	s := &Store{coll: db.Collection(Collection), key: slices.Clone(key), now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// personDoc is the document of one person's entries, its _id the person's
// key.
type personDoc struct {
	ID      string  `bson:"_id"`
	Entries []Entry `bson:"entries"`
}

// personKey is the keyed hash under which a person's entries are filed, hex
// encoded, and the lock stripe of their document.
func (s *Store) personKey(code string) (string, int, error) {
	if !wellFormed(code) {
		return "", 0, ErrPersonalCode
	}
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(code))
	sum := m.Sum(nil)
	return hex.EncodeToString(sum), int(sum[0]) % stripes, nil
}

func wellFormed(code string) bool {
	if len(code) != 11 || code[0] < '1' || code[0] > '6' {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// Record writes one entry per read of ev, skipping reads of the reader's own
// data. All of an event's entries go to the database in one round trip. It
// is idempotent: recording the same event again (same ID and When) adds
// nothing.
func (s *Store) Record(ctx context.Context, ev Event) error {
	if ev.ID == "" {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("record data access: %w", err)
		}
		ev.ID = hex.EncodeToString(b)
	}
	if ev.When.IsZero() {
		ev.When = s.now()
	}
	ev.When = ev.When.UTC().Truncate(time.Millisecond)
	who := AccessorOf(ev.Who)

	type target struct {
		stripe  int
		entries []Entry
	}
	targets := map[string]*target{}
	var order []string
	for i, r := range ev.Reads {
		if ev.Who.IsSelf(r.PersonalCode) {
			continue
		}
		person, stripe, err := s.personKey(r.PersonalCode)
		if err != nil {
			return fmt.Errorf("record data access, read %d: %w", i, err)
		}
		t, ok := targets[person]
		if !ok {
			t = &target{stripe: stripe}
			targets[person] = t
			order = append(order, person)
		}
		t.entries = append(t.entries, Entry{
			ID: ev.ID + "/" + strconv.Itoa(i), When: ev.When, Who: who, What: r.What, Why: ev.Why,
		})
	}
	if len(order) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, 0, len(order))
	held := make([]int, 0, len(order))
	for _, id := range order {
		t := targets[id]
		held = append(held, t.stripe)
		models = append(models, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: id}}).
			SetUpdate(bson.D{
				{Key: "$addToSet", Value: bson.D{{Key: "entries", Value: bson.D{{Key: "$each", Value: t.entries}}}}},
			}).
			SetUpsert(true))
	}
	unlock := s.lock(held)
	defer unlock()
	// Two first writes to one new document race to insert it; the loser's
	// upsert fails with a duplicate key and, being idempotent, is repeated.
	var err error
	// At most 50 statements per command: FerretDB v1.24 keeps a pooled
	// connection per matching statement until the command ends and hangs
	// past its pool of 100.
	for len(models) > 0 && err == nil {
		n := min(len(models), 50)
		for range 3 {
			_, err = s.coll.BulkWrite(ctx, models[:n], options.BulkWrite().SetOrdered(false))
			if !mongo.IsDuplicateKeyError(err) {
				break
			}
		}
		models = models[n:]
	}
	if err != nil {
		return fmt.Errorf("record data access: %w", err)
	}
	return nil
}

// lock takes the given stripe locks in ascending order, so that two Records
// never wait on each other crosswise, and returns their release.
func (s *Store) lock(held []int) func() {
	slices.Sort(held)
	held = slices.Compact(held)
	for _, i := range held {
		s.locks[i].Lock()
	}
	return func() {
		for _, i := range held {
			s.locks[i].Unlock()
		}
	}
}

// ListForPerson returns the entries about the person with the given personal
// code, newest first: one lookup by _id.
func (s *Store) ListForPerson(ctx context.Context, personalCode string) ([]Entry, error) {
	person, _, err := s.personKey(personalCode)
	if err != nil {
		return nil, fmt.Errorf("list data access: %w", err)
	}
	var d personDoc
	err = s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: person}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list data access: %w", err)
	}
	slices.SortStableFunc(d.Entries, func(a, b Entry) int {
		return cmp.Or(b.When.Compare(a.When), cmp.Compare(b.ID, a.ID))
	})
	return d.Entries, nil
}
