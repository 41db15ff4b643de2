package audit

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// maxStalls bounds how often an insert may lose to a duplicate _id while the
// walk that follows finds no new entry; past it the database contradicts
// itself (a read preference that lags, a damaged collection).
const maxStalls = 3

// Append writes e as the next entry of the log and returns it with Seq,
// PrevHash, Hash and (when e.Time is zero) Time filled in. It is idempotent
// by e.Key: when an entry with that key exists, Append returns that entry
// and writes nothing. The algorithm and its crash windows are described in
// the package documentation.
//
// Errors wrapping ErrInvalid are permanent; errors wrapping ErrCorrupt mean
// the log needs a look (Verify); anything else is the database's and worth a
// retry.
func (l *Log) Append(ctx context.Context, e Entry) (Entry, error) {
	if err := e.validate(); err != nil {
		return Entry{}, err
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = normalTime(e.Time)

	l.mu.Lock()
	defer l.mu.Unlock()

	// The hint must be read before the key is looked up; see the package
	// documentation.
	h, err := l.hint(ctx)
	if err != nil {
		return Entry{}, err
	}
	if seq, ok, err := l.keySeq(ctx, e.Key); err != nil {
		return Entry{}, err
	} else if ok {
		return l.written(ctx, e.Key, seq)
	}
	tail, err := l.tailFrom(ctx, h)
	if err != nil {
		return Entry{}, err
	}

	lost, stalls := false, 0
	for {
		walked, found, err := l.walk(ctx, tail, e.Key)
		if err != nil {
			return Entry{}, err
		}
		if found {
			// An earlier attempt wrote it, then crashed (or the
			// driver retried our own insert).
			if err := l.moveHint(ctx, walked.Seq); err != nil {
				return Entry{}, err
			}
			return walked, nil
		}
		if lost && walked.Seq == tail.Seq {
			// The insert lost to an entry the walk cannot read.
			if stalls++; stalls > maxStalls {
				return Entry{}, fmt.Errorf("%w: entry %d exists for inserts but not for reads", ErrCorrupt, tail.Seq+1)
			}
		}
		tail = walked

		e.Seq = tail.Seq + 1
		e.PrevHash = tail.Hash
		e.Hash = ComputeHash(e)
		_, err = l.entries.InsertOne(ctx, record{ID: EntryID(e.Seq), Entry: e})
		if err == nil {
			break
		}
		if !mongo.IsDuplicateKeyError(err) {
			return Entry{}, fmt.Errorf("write processing log entry %d: %w", e.Seq, err)
		}
		lost = true // another appender took e.Seq: walk on from tail
	}

	if err := l.recordKey(ctx, e.Key, e.Seq); err != nil {
		return Entry{}, err
	}
	if err := l.moveHint(ctx, e.Seq); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// written returns the entry that an earlier append with key wrote.
func (l *Log) written(ctx context.Context, key string, seq int64) (Entry, error) {
	e, ok, err := l.entry(ctx, seq)
	if err != nil {
		return Entry{}, err
	}
	if !ok {
		return Entry{}, fmt.Errorf("%w: key %q names entry %d, which is missing", ErrCorrupt, key, seq)
	}
	if e.Key != key {
		return Entry{}, fmt.Errorf("%w: key %q names entry %d, which has another key", ErrCorrupt, key, seq)
	}
	return e, nil
}

// tailFrom returns entry h, where the walk to the tail starts; for h = 0 a
// stand-in whose Hash is GenesisHash.
func (l *Log) tailFrom(ctx context.Context, h int64) (Entry, error) {
	if h == 0 {
		return Entry{Hash: GenesisHash}, nil
	}
	e, ok, err := l.entry(ctx, h)
	if err != nil {
		return Entry{}, err
	}
	if !ok {
		return Entry{}, fmt.Errorf("%w: the head names entry %d, which is missing", ErrCorrupt, h)
	}
	return e, nil
}

// walk reads the entries after from until one is missing, recording each
// one's key, and returns the last one read (from itself when there are
// none). It stops early, with found set, at an entry that carries key.
func (l *Log) walk(ctx context.Context, from Entry, key string) (last Entry, found bool, err error) {
	last = from
	for {
		next, ok, err := l.entry(ctx, last.Seq+1)
		if err != nil || !ok {
			return last, false, err
		}
		if err := l.recordKey(ctx, next.Key, next.Seq); err != nil {
			return last, false, err
		}
		if next.Key == key {
			return next, true, nil
		}
		last = next
	}
}
