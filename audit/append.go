package audit

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// maxStalls bounds how often an insert may lose to a duplicate _id whose
// entry then cannot be read; past it the database contradicts itself (a
// read preference that lags, a damaged collection).
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

	written, err := l.append(ctx, e)
	if err != nil {
		return Entry{}, err
	}
	// The head is a hint for other processes and for the next start; it
	// moves outside the lock (it may lag, or in a race move back: that costs
	// a later appender a longer walk, nothing else).
	if err := l.moveHead(ctx, written); err != nil {
		return Entry{}, err
	}
	return written, nil
}

// append claims e's key and writes its entry, or finds the entry a
// previous attempt with the key wrote. Appends of one Log queue here: the
// chain is one sequence, and in-process appenders would otherwise race in
// the database, where losing costs a read per entry stepped over.
func (l *Log) append(ctx context.Context, e Entry) (Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()

	// The head must be read before the key is claimed; see the package
	// documentation. The tail this Log last wrote or read is such a read:
	// every entry written since has a higher seq.
	tail := l.tail
	if !l.tailKnown {
		var err error
		if tail, err = l.readHead(ctx); err != nil {
			return Entry{}, err
		}
	}
	first, err := l.claim(ctx, e.Key)
	if err != nil {
		return Entry{}, err
	}
	if !first {
		written, ok, err := l.entryWithKey(ctx, e.Key)
		if err != nil {
			return Entry{}, err
		}
		if ok {
			return written, nil
		}
	}

	for stalls := 0; ; {
		e.Seq, e.PrevHash = tail.Seq+1, tail.Hash
		e.Hash = ComputeHash(e)
		_, err := l.entries.InsertOne(ctx, record{ID: EntryID(e.Seq), Entry: e})
		if err == nil {
			break
		}
		if !mongo.IsDuplicateKeyError(err) {
			return Entry{}, fmt.Errorf("write processing log entry %d: %w", e.Seq, err)
		}
		// Entry e.Seq exists: step over it, unless it is this key's.
		next, ok, err := l.entry(ctx, e.Seq)
		if err != nil {
			return Entry{}, err
		}
		if !ok {
			if stalls++; stalls > maxStalls {
				return Entry{}, fmt.Errorf("%w: entry %d exists for inserts but not for reads", ErrCorrupt, e.Seq)
			}
			continue
		}
		if next.Key == e.Key {
			// Written by an attempt running beside this one (or by
			// the driver retrying this insert).
			l.advance(next)
			return next, nil
		}
		tail = next
		l.advance(next)
	}
	l.advance(e)
	return e, nil
}

// advance remembers e, read or written, as the newest entry this Log
// knows; l.mu is held.
func (l *Log) advance(e Entry) {
	if !l.tailKnown || e.Seq > l.tail.Seq {
		l.tail, l.tailKnown = Entry{Seq: e.Seq, Hash: e.Hash}, true
	}
}
