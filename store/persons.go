package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"
)

// The index by person (R16.3) is built for the one filter FerretDB v1.24
// serves from an index, {_id: <string>}: a range of _id (or any other
// filter) reads and decodes every row of the collection (~2 s at 100,000
// rows here), so a person's certificates cannot be "the rows whose _id
// starts with their key" there. Instead each certificate of a person has a
// row in one of the person's numbered slots, _id PersonKey#n, and a reader
// reads slots by _id: the first personSlots together, then on while they
// are taken.
//
// A certificate's first slot is a hash of its id (personSlot), so the
// certificates of one person rarely meet; a slot taken by another
// certificate sends it to the next one. Rows are only inserted (InsertMany,
// unordered), never read-modified-written: a duplicate key is either this
// certificate's own row (a retry: done) or another's (one point read, then
// the next slot). So
//
//   - an entry of 10,000 certificates of new holders is one InsertMany,
//     and each holder who already has certificates costs a read only when
//     a slot meets (1 in personSlots per certificate held);
//   - slots from a certificate's first one up to its own are all taken
//     (rows are never deleted, only emptied: DeleteCertificate), so a
//     retry walking them finds its row before a free slot, and a reader
//     finds every slot from personSlots on without a gap.
//
// The earlier index, one row per person (_id PersonKey) with an $addToSet
// list, cost 10,000 read-modify-write upserts per 10,000-certificate entry
// (~4.5 s on FerretDB) and lost updates when entries met at one person; its
// rows are still read and cleaned.
const personSlots = 8

// personRow is one slot of a person's index. Certificate is "" once the
// certificate was deleted (R18); Deleted then names it.
type personRow struct {
	ID          string `bson:"_id"` // PersonKey#slot
	Person      string `bson:"person"`
	Certificate string `bson:"certificate"`
	Deleted     string `bson:"deleted,omitempty"`
}

func personRowID(person string, slot int) string { return person + "#" + strconv.Itoa(slot) }

// personSlot is the first slot a certificate tries.
func personSlot(certificate string) int {
	h := fnv.New32a()
	h.Write([]byte(certificate))
	return int(h.Sum32() % personSlots)
}

// personDoc is the earlier index's row, _id PersonKey.
type personDoc struct {
	ID           string   `bson:"_id"`
	Certificates []string `bson:"certificates"`
}

// indexByPerson gives each certificate of byPerson (person key → ids) its
// row, each once however often it is retried.
func (s *Store) indexByPerson(ctx context.Context, byPerson map[string][]string) error {
	type slotted struct {
		person, cert string
		slot         int
	}
	var todo []slotted
	for _, k := range sortedKeys(byPerson) {
		for _, id := range byPerson[k] {
			todo = append(todo, slotted{k, id, personSlot(id)})
		}
	}
	for round := 0; len(todo) > 0; round++ {
		if round > 1000 {
			return fmt.Errorf("index certificates by person: %d still without a slot", len(todo))
		}
		rows := make([]any, len(todo))
		for i, t := range todo {
			rows[i] = personRow{ID: personRowID(t.person, t.slot), Person: t.person, Certificate: t.cert}
		}
		_, err := s.c(CollPersons).InsertMany(ctx, rows, options.InsertMany().SetOrdered(false))
		taken, ok := duplicates(err)
		if !ok {
			return fmt.Errorf("index certificates by person: %w", err)
		}
		// Whose are the slots taken? Ours: done; another's: the next slot.
		next := make([]*slotted, len(taken))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(8)
		for j, i := range taken {
			g.Go(func() error {
				t := todo[i]
				var r personRow
				err := s.findByID(gctx, CollPersons, personRowID(t.person, t.slot), &r)
				switch {
				case errors.Is(err, ErrNotFound):
					next[j] = &t // emptied meanwhile? try it again
				case err != nil:
					return err
				case r.Certificate != t.cert:
					t.slot++
					next[j] = &t
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return fmt.Errorf("index certificates by person: %w", err)
		}
		todo = todo[:0:0]
		for _, t := range next {
			if t != nil {
				todo = append(todo, *t)
			}
		}
	}
	return nil
}

// duplicates returns the indexes of the documents of an unordered
// InsertMany that met a duplicate key; ok is false for any other error.
func duplicates(err error) (idx []int, ok bool) {
	if err == nil {
		return nil, true
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return nil, false
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return nil, false
		}
		idx = append(idx, we.Index)
	}
	return idx, true
}

// personCertificateIDs reads a person's index: the slots, and the earlier
// index's row.
func (s *Store) personCertificateIDs(ctx context.Context, key string) ([]string, error) {
	rows := make([]personRow, personSlots)
	g, gctx := errgroup.WithContext(ctx)
	for i := range personSlots {
		g.Go(func() error {
			err := s.findByID(gctx, CollPersons, personRowID(key, i), &rows[i])
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			return err
		})
	}
	var old personDoc
	g.Go(func() error {
		err := s.findByID(gctx, CollPersons, key, &old)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("read the index by person: %w", err)
	}
	for slot := personSlots; ; slot++ {
		var r personRow
		err := s.findByID(ctx, CollPersons, personRowID(key, slot), &r)
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read the index by person: %w", err)
		}
		rows = append(rows, r)
	}
	ids := old.Certificates
	for _, r := range rows {
		if r.Certificate != "" {
			ids = append(ids, r.Certificate)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// unindexPerson takes certificate id off the index of the person with key:
// its slot is emptied (not deleted: see personSlots), and the earlier
// index's row loses it.
func (s *Store) unindexPerson(ctx context.Context, key, id string) error {
	for slot := personSlot(id); ; slot++ {
		var r personRow
		err := s.findByID(ctx, CollPersons, personRowID(key, slot), &r)
		if errors.Is(err, ErrNotFound) {
			break // never indexed here
		}
		if err != nil {
			return err
		}
		if r.Certificate == id {
			_, err := s.c(CollPersons).UpdateOne(ctx, byID(r.ID),
				bson.D{{Key: "$set", Value: bson.D{{Key: "certificate", Value: ""}, {Key: "deleted", Value: id}}}})
			if err != nil {
				return err
			}
			break
		}
	}
	_, err := s.c(CollPersons).UpdateOne(ctx, byID(key), bson.D{{Key: "$pull", Value: bson.D{{Key: "certificates", Value: id}}}})
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return err
	}
	return nil
}
