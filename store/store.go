// Package store is alusdok's MongoDB persistence: the register's records
// (with their versions), the staged uploads, the original documents and
// notices (GridFS layout), and the read model of submissions.
//
// It is written for both production MongoDB and the embedded FerretDB v1,
// whose SQLite backend pushes a query down only when its filter is exactly
// {_id: <string>}; any other filter — a range of _id, $in, the count that
// EstimatedDocumentCount sends — reads and decodes every row of the
// collection in Go (measured: 10–25 µs a row, against 60–110 µs for a
// point lookup at eight in flight). So every hot read is a point lookup by
// a deterministic string _id (or, on MongoDB only, $in on _id: see
// ExistingCertificates), and every write is an idempotent upsert or insert
// keyed by such an _id: there are no multi-document transactions, and an
// activity may be retried after a crash. Bulk writes are inserts that
// cannot meet an existing _id except on a retry: FerretDB inserts 100
// documents a transaction, and one duplicate key makes it insert each
// document of that batch in a transaction of its own.
package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ErrNotFound says a record, upload, document or submission is not stored.
var ErrNotFound = errors.New("not found")

// Collection names.
const (
	CollUploads          = "uploads"
	CollSubmissions      = "submissions"
	CollNotices          = "notices"
	CollCertificates     = "certificates"
	CollPersons          = "certificates_by_person"
	CollCouncils         = "councils"
	CollStandards        = "standards"
	CollAwardingBodies   = "awarding_bodies"
	CollProcedures       = "procedures"
	CollHistory          = "record_history"
	CollStandardVersions = "standard_versions"
	BucketDocuments      = "documents" // GridFS layout: documents.files, documents.chunks
)

// Store is the MongoDB persistence of one database.
type Store struct {
	db *mongo.Database
	// server is what answers: serverUnknown until asked (isFerretDB).
	server atomic.Int32
	// pruned is when the register's change journal was last pruned
	// (UnixNano).
	pruned atomic.Int64
	// blocks is whether every certificate has its slot (blocksBuilt).
	blocks atomic.Bool
	// metadata keeps metadata blobs by id (UploadMetadata).
	metadata *sizedLRU[[]byte]
}

const (
	serverUnknown int32 = iota
	serverFerretDB
	serverMongoDB
)

// isFerretDB reports whether the database is served by FerretDB (its
// buildInfo names a ferretdbVersion), whose query planning differs from
// MongoDB's: see ExistingCertificates. Asked once; when it cannot be
// asked, the answer is true, FerretDB's plans being the safe ones on both.
func (s *Store) isFerretDB(ctx context.Context) bool {
	switch s.server.Load() {
	case serverFerretDB:
		return true
	case serverMongoDB:
		return false
	}
	var info bson.Raw
	if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return true
	}
	if _, err := info.LookupErr("ferretdbVersion"); err == nil {
		s.server.Store(serverFerretDB)
		return true
	}
	s.server.Store(serverMongoDB)
	return false
}

// New returns a Store on db.
func New(db *mongo.Database) *Store {
	return &Store{db: db, metadata: newSizedLRU(1024, cachedMetadataBytes, func(b []byte) int { return len(b) })}
}

// DB returns the database.
func (s *Store) DB() *mongo.Database { return s.db }

func (s *Store) c(name string) *mongo.Collection { return s.db.Collection(name) }

// byID is the only filter FerretDB pushes down.
func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// findByID decodes the document with _id into v, or answers ErrNotFound.
func (s *Store) findByID(ctx context.Context, coll, id string, v any) error {
	err := s.c(coll).FindOne(ctx, byID(id)).Decode(v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("%s %s: %w", coll, id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", coll, err)
	}
	return nil
}

// insertOnce inserts doc unless a document with its _id exists: the
// idempotent write of an immutable record.
func (s *Store) insertOnce(ctx context.Context, coll string, doc any) error {
	_, err := s.c(coll).InsertOne(ctx, doc)
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("write %s: %w", coll, err)
	}
	return nil
}

// upsert replaces the document with _id id by doc (or inserts it).
func (s *Store) upsert(ctx context.Context, coll, id string, doc any) error {
	_, err := s.c(coll).ReplaceOne(ctx, byID(id), doc, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// Two upserts of a new _id raced and the other inserted first:
		// now it exists, and a second try replaces it.
		_, err = s.c(coll).ReplaceOne(ctx, byID(id), doc, options.Replace().SetUpsert(true))
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", coll, err)
	}
	return nil
}

// hotCollections are the collections read by _id on the procedure's path.
var hotCollections = []string{
	CollUploads, CollSubmissions, CollNotices, CollCertificates, CollPersons, CollClaims, CollBlocks,
	CollCouncils, CollStandards, CollAwardingBodies, CollProcedures, CollStandardVersions,
	CollDeficiencies, CollChanges, CollLetterNumbers, CollRetention,
	BucketDocuments + ".files", BucketDocuments + ".chunks",
}

// EnsureCollections creates the collections the procedure reads by _id
// before anything is written to them. On the embedded store this lets the
// index its lookups need (internal/devstack) be made while they are still
// empty, not seconds after a first entry of 10,000 certificates, during
// which every lookup would read the whole table; on MongoDB it only
// creates what the first insert would.
func (s *Store) EnsureCollections(ctx context.Context) error {
	existing, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	for _, name := range hotCollections {
		if slices.Contains(existing, name) {
			continue
		}
		err := s.db.CreateCollection(ctx, name)
		var cmdErr mongo.CommandError
		if errors.As(err, &cmdErr) && cmdErr.Code == 48 { // NamespaceExists: another process made it
			continue
		}
		if err != nil {
			return fmt.Errorf("create collection %s: %w", name, err)
		}
	}
	return nil
}
