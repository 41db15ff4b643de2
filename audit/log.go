package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection names.
const (
	CollEntries = "audit"      // the entries, _id = EntryID(seq)
	CollKeys    = "audit_keys" // one claim per idempotency key, _id = the key
	CollHead    = "audit_head" // one document, _id "head": the newest entry's seq and hash, as a hint
)

const headID = "head"

// ErrCorrupt says Append found the log contradicting itself (an entry that
// exists for inserts but cannot be read): it was tampered with or damaged.
// Run Verify.
var ErrCorrupt = errors.New("processing log is inconsistent")

// Log is the processing log in one MongoDB database. It is safe for
// concurrent use, and several Logs (in one process or many) may append to
// the same database at once.
type Log struct {
	entries, keys, head, checkpoints *mongo.Collection

	// mu serialises this Log's appends; other processes are handled by the
	// algorithm (see the package documentation). tail is the newest entry
	// this Log wrote or read (when tailKnown): the head it appends after,
	// without reading the head document each time.
	mu        sync.Mutex
	tail      Entry
	tailKnown bool
}

// New returns the processing log stored in db.
func New(db *mongo.Database) *Log {
	return &Log{
		entries:     db.Collection(CollEntries),
		checkpoints: db.Collection(CollCheckpoints),
		keys:        db.Collection(CollKeys),
		head:        db.Collection(CollHead),
	}
}

// EntryID is the _id of entry seq: the number padded to twelve digits, so
// that _id order is seq order.
func EntryID(seq int64) string { return fmt.Sprintf("%012d", seq) }

// record is an entry as stored.
type record struct {
	ID    string `bson:"_id"`
	Entry `bson:",inline"`
}

// claimDoc says that an append with the key has begun.
type claimDoc struct {
	Key  string    `bson:"_id"`
	Time time.Time `bson:"time"`
}

// headDoc is the hint of the newest entry.
type headDoc struct {
	ID   string `bson:"_id"`
	Seq  int64  `bson:"seq"`
	Hash string `bson:"hash"`
}

// byID is the one filter FerretDB hands to SQLite.
func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// entry reads entry seq; ok is false when there is none.
func (l *Log) entry(ctx context.Context, seq int64) (e Entry, ok bool, err error) {
	return l.findEntry(ctx, byID(EntryID(seq)))
}

// entryWithKey finds the entry that carries key. It scans the log (there
// is no index on key on FerretDB); Append uses it only on a retry.
func (l *Log) entryWithKey(ctx context.Context, key string) (e Entry, ok bool, err error) {
	return l.findEntry(ctx, bson.D{{Key: "key", Value: key}})
}

func (l *Log) findEntry(ctx context.Context, filter bson.D) (Entry, bool, error) {
	var r record
	err := l.entries.FindOne(ctx, filter, options.FindOne().SetSort(bson.D{{Key: "_id", Value: 1}})).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, fmt.Errorf("read processing log: %w", err)
	}
	r.Time = r.Time.UTC()
	return r.Entry, true, nil
}

// claim records that an append with key begins. It reports false when one
// began before: this is then a retry, or runs beside another attempt.
func (l *Log) claim(ctx context.Context, key string) (first bool, err error) {
	_, err = l.keys.InsertOne(ctx, claimDoc{Key: key, Time: normalTime(time.Now())})
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim processing log key: %w", err)
	}
	return true, nil
}

// readHead returns the head hint as a stand-in entry with only Seq and Hash
// set; for an empty log, Seq 0 and GenesisHash.
func (l *Log) readHead(ctx context.Context) (Entry, error) {
	var h headDoc
	err := l.head.FindOne(ctx, byID(headID)).Decode(&h)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Entry{Hash: GenesisHash}, nil
	}
	if err != nil {
		return Entry{}, fmt.Errorf("read processing log head: %w", err)
	}
	return Entry{Seq: h.Seq, Hash: h.Hash}, nil
}

// moveHead moves the head hint forward to e. The filter matches only an
// older head; when the head is newer, the upsert's insert fails on the
// duplicate _id and nothing changes. Updates are not atomic across clients
// on FerretDB, so the head may in rare races move back to an older entry;
// that costs the next appender a longer walk, nothing else.
func (l *Log) moveHead(ctx context.Context, e Entry) error {
	filter := bson.D{{Key: "_id", Value: headID}, {Key: "seq", Value: bson.D{{Key: "$lt", Value: e.Seq}}}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "seq", Value: e.Seq}, {Key: "hash", Value: e.Hash}}}}
	_, err := l.head.UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("move processing log head: %w", err)
	}
	return nil
}
