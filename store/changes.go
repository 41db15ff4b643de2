package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// CollChanges journals every writer of the register's records (an entry,
// a deletion under R18) from before its first write to after its last, so
// that "has the register changed since t?" is one read of a small
// collection, not 10,000 lookups again: the workflow's first validation
// re-uses intake's register checks when nothing was written since them
// (RegisterMark, RegisterChangedSince).
//
// Its times are this process's wall clock (time.Now), compared across
// processes with changeSkew of leeway. A writer that never finishes (an
// entry given up after a crash) keeps the register "changed": every
// validation then checks in full, which is safe.
const CollChanges = "register_changes"

const (
	// changeSkew is the clock difference between processes that a
	// comparison allows for.
	changeSkew = time.Minute
	// changeHorizon is how long a finished change is kept; a mark older
	// than that is answered "changed", so pruning never hides a change.
	changeHorizon = time.Hour
)

// registerChange is one writer of the register.
type registerChange struct {
	ID       string    `bson:"_id"` // entry/<submission>, delete/<certificate id>
	Started  time.Time `bson:"started"`
	Finished time.Time `bson:"finished,omitempty"`
	// Scoped says the writer writes nothing but certificates of Blocks
	// (CollBlocks); an unscoped one may write any record.
	Scoped bool     `bson:"scoped,omitempty"`
	Blocks []string `bson:"blocks,omitempty"`
}

// changeScope is what a writer of the register writes: anything
// (anyRecord), or only certificates of some blocks (certificatesIn).
type changeScope struct {
	scoped bool
	blocks []string
}

var anyRecord = changeScope{}

// certificatesIn is the scope of a writer of certificates with these ids.
func certificatesIn(ids []string) changeScope {
	blocks, _ := byBlock(ids)
	return changeScope{scoped: true, blocks: blocks}
}

// changeStarting journals a writer before its first write; a retry keeps
// the first start and is unfinished again until it finishes.
func (s *Store) changeStarting(ctx context.Context, id string, scope changeScope) error {
	update := bson.D{
		{Key: "$setOnInsert", Value: bson.D{{Key: "started", Value: time.Now().UTC()}}},
		{Key: "$set", Value: bson.D{{Key: "scoped", Value: scope.scoped}, {Key: "blocks", Value: scope.blocks}}},
		{Key: "$unset", Value: bson.D{{Key: "finished", Value: ""}}},
	}
	_, err := s.c(CollChanges).UpdateOne(ctx, byID(id), update, options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// Two attempts raced to insert the row: it exists now.
		_, err = s.c(CollChanges).UpdateOne(ctx, byID(id), update, options.UpdateOne().SetUpsert(true))
	}
	if err != nil {
		return fmt.Errorf("journal register change: %w", err)
	}
	return nil
}

// changeFinished journals that a writer has written everything, and
// prunes changes finished before the horizon.
func (s *Store) changeFinished(ctx context.Context, id string) error {
	now := time.Now().UTC()
	if _, err := s.c(CollChanges).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{{Key: "finished", Value: now}}}}); err != nil {
		return fmt.Errorf("journal register change: %w", err)
	}
	// Pruning reads the whole journal on FerretDB: at most once a minute
	// per process, or a retention run deleting thousands of certificates
	// (a change each) would read it thousands of times.
	last := s.pruned.Load()
	if now.UnixNano()-last < int64(time.Minute) || !s.pruned.CompareAndSwap(last, now.UnixNano()) {
		return nil
	}
	_, err := s.c(CollChanges).DeleteMany(ctx, bson.D{{Key: "finished", Value: bson.D{{Key: "$lt", Value: now.Add(-changeHorizon - 2*changeSkew)}}}})
	if err != nil {
		return fmt.Errorf("prune register changes: %w", err)
	}
	return nil
}

// RegisterMark is the moment from which RegisterChangedSince and
// RegisterChangedIn count: take it before reading the register.
func (s *Store) RegisterMark() time.Time { return time.Now().UTC() }

// RegisterChangedSince reports whether the register's records may have
// been written since mark (RegisterMark): a writer unfinished, or finished
// at or after mark (less changeSkew). A mark older than changeHorizon is
// always answered true.
func (s *Store) RegisterChangedSince(ctx context.Context, mark time.Time) (bool, error) {
	return s.registerChanged(ctx, mark, func(registerChange) bool { return true })
}

// RegisterChangedIn is RegisterChangedSince for a check that read no
// certificates but those of blocks (BlockRecorder): a writer of only
// certificates of other blocks is no change to it.
func (s *Store) RegisterChangedIn(ctx context.Context, mark time.Time, blocks []string) (bool, error) {
	read := make(map[string]bool, len(blocks))
	for _, b := range blocks {
		read[b] = true
	}
	return s.registerChanged(ctx, mark, func(c registerChange) bool {
		if !c.Scoped {
			return true
		}
		for _, b := range c.Blocks {
			if read[b] {
				return true
			}
		}
		return false
	})
}

// registerChanged reports whether a writer that concerns a check
// (concerns) was unfinished, or finished at or after mark.
func (s *Store) registerChanged(ctx context.Context, mark time.Time, concerns func(registerChange) bool) (bool, error) {
	if mark.IsZero() || time.Since(mark) > changeHorizon {
		return true, nil
	}
	cur, err := s.c(CollChanges).Find(ctx, bson.D{})
	if err != nil {
		return true, fmt.Errorf("read register changes: %w", err)
	}
	defer cur.Close(ctx)
	since := mark.Add(-changeSkew)
	for cur.Next(ctx) {
		var c registerChange
		if err := cur.Decode(&c); err != nil {
			return true, fmt.Errorf("read register changes: %w", err)
		}
		if (c.Finished.IsZero() || !c.Finished.Before(since)) && concerns(c) {
			return true, nil
		}
	}
	if err := cur.Err(); err != nil {
		return true, fmt.Errorf("read register changes: %w", err)
	}
	return false, nil
}
