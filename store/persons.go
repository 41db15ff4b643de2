package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The index by person (R16.3): one row per certificate and holder, _id
// PersonKey/CertificateID, only ever inserted (InsertMany, unordered): a
// duplicate key is the row a retry of the same entry already wrote, so an
// entry of 10,000 certificates is one InsertMany that reads nothing. The
// earlier index, one row per person (_id PersonKey) with an $addToSet list,
// cost 10,000 read-modify-write upserts per 10,000-certificate entry
// (~4.5 s on FerretDB) and lost updates when two entries met at one
// person; its rows are still read and cleaned.
//
// A person's certificates are the rows whose _id starts with their key: a
// range of _id, which MongoDB answers from its _id index. FerretDB v1.24
// pushes no range down to SQLite: it reads and decodes every row of the
// index (measured: 2.2 s at 100,000 rows on 2 busy cores, ~22 µs a row).
// That is the price of the entry's speed, paid by one person at a time on
// the embedded store only. Measured and left: numbered slots per person
// (_id PersonKey#n, point lookups only; 3 ms a person) — an entry whose
// holders already had certificates took 3.2 s instead of 1.6 s, because
// FerretDB inserts every document of a 100-document batch in a
// transaction of its own once one of them meets a duplicate key.
//
// A row is its _id alone: the person and the certificate are its two
// halves (rows written before carry them as fields too). A smaller row is
// a cheaper insert on FerretDB, which writes it while the certificates of
// the same entry are written.
type personRow struct {
	ID string `bson:"_id"` // PersonKey/CertificateID
}

func personRowID(person, certificate string) string { return person + "/" + certificate }

// personDoc is the earlier index's row, _id PersonKey.
type personDoc struct {
	ID           string   `bson:"_id"`
	Certificates []string `bson:"certificates"`
}

// indexByPerson inserts the index rows of byPerson (person key →
// certificate ids).
func (s *Store) indexByPerson(ctx context.Context, byPerson map[string][]string) error {
	if len(byPerson) == 0 {
		return nil
	}
	var rows []any
	for _, k := range sortedKeys(byPerson) {
		for _, id := range byPerson[k] {
			rows = append(rows, personRow{ID: personRowID(k, id)})
		}
	}
	_, err := s.c(CollPersons).InsertMany(ctx, rows, options.InsertMany().SetOrdered(false))
	if _, ok := duplicates(err); !ok {
		return fmt.Errorf("index certificates by person: %w", err)
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

// personCertificateIDs reads a person's index: the rows in the _id range
// of key, and the earlier index's row of key.
func (s *Store) personCertificateIDs(ctx context.Context, key string) ([]string, error) {
	// "0" follows "/": [key/, key0) is every _id that starts with key/.
	cur, err := s.c(CollPersons).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: key + "/"}, {Key: "$lt", Value: key + "0"}}}})
	if err != nil {
		return nil, fmt.Errorf("read the index by person: %w", err)
	}
	var rows []personRow
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("read the index by person: %w", err)
	}
	var old personDoc
	if err := s.findByID(ctx, CollPersons, key, &old); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	ids := old.Certificates
	for _, r := range rows {
		if id, ok := strings.CutPrefix(r.ID, key+"/"); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// unindexPerson takes certificate id off the index of the person with key,
// in both forms.
func (s *Store) unindexPerson(ctx context.Context, key, id string) error {
	if _, err := s.c(CollPersons).DeleteOne(ctx, byID(personRowID(key, id))); err != nil {
		return err
	}
	_, err := s.c(CollPersons).UpdateOne(ctx, byID(key), bson.D{{Key: "$pull", Value: bson.D{{Key: "certificates", Value: id}}}})
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return err
	}
	return nil
}
