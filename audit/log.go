package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection names.
const (
	CollEntries = "audit"      // the entries, _id = EntryID(seq)
	CollKeys    = "audit_keys" // _id = idempotency key, seq
	CollHead    = "audit_head" // one document, _id headID: the tail hint
)

const headID = "head"

// ErrCorrupt says Append found the log's own bookkeeping inconsistent (a key
// that names a missing or different entry, a hint past the tail): the log
// was tampered with or damaged. Run Verify.
var ErrCorrupt = errors.New("processing log is inconsistent")

// Log is the processing log in one MongoDB database. It is safe for
// concurrent use, and several Logs (in one process or many) may append to
// the same database at once.
type Log struct {
	entries, keys, head *mongo.Collection

	// mu serialises this Log's appends; other processes are handled by the
	// algorithm (see the package documentation).
	mu sync.Mutex
}

// New returns the processing log stored in db.
func New(db *mongo.Database) *Log {
	return &Log{
		entries: db.Collection(CollEntries),
		keys:    db.Collection(CollKeys),
		head:    db.Collection(CollHead),
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

// keyDoc records which entry holds a key.
type keyDoc struct {
	Key string `bson:"_id"`
	Seq int64  `bson:"seq"`
}

// headDoc is the tail hint.
type headDoc struct {
	ID  string `bson:"_id"`
	Seq int64  `bson:"seq"`
}

// byID is the one filter FerretDB pushes down to SQLite.
func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// entry reads entry seq; ok is false when there is none.
func (l *Log) entry(ctx context.Context, seq int64) (e Entry, ok bool, err error) {
	var r record
	err = l.entries.FindOne(ctx, byID(EntryID(seq))).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, fmt.Errorf("read processing log entry %d: %w", seq, err)
	}
	r.Time = r.Time.UTC()
	return r.Entry, true, nil
}

// keySeq returns the entry that holds key; ok is false when the key is not
// recorded.
func (l *Log) keySeq(ctx context.Context, key string) (seq int64, ok bool, err error) {
	var k keyDoc
	err = l.keys.FindOne(ctx, byID(key)).Decode(&k)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read processing log key: %w", err)
	}
	return k.Seq, true, nil
}

// recordKey records that entry seq holds key. A key already recorded is
// left as it is.
func (l *Log) recordKey(ctx context.Context, key string, seq int64) error {
	_, err := l.keys.InsertOne(ctx, keyDoc{Key: key, Seq: seq})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("record processing log key: %w", err)
	}
	return nil
}

// hint returns the head hint, 0 when there is none.
func (l *Log) hint(ctx context.Context) (int64, error) {
	var h headDoc
	err := l.head.FindOne(ctx, byID(headID)).Decode(&h)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read processing log head: %w", err)
	}
	return h.Seq, nil
}

// moveHint moves the head hint forward to seq (never back, as far as the
// database's update is atomic; see the package documentation).
func (l *Log) moveHint(ctx context.Context, seq int64) error {
	update := bson.D{{Key: "$max", Value: bson.D{{Key: "seq", Value: seq}}}}
	for range 2 {
		_, err := l.head.UpdateOne(ctx, byID(headID), update, options.UpdateOne().SetUpsert(true))
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("move processing log head: %w", err)
		}
		// Another appender created the head at the same moment; it
		// exists now, so update it.
	}
	return nil
}
