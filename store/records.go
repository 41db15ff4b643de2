package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/kutsekoda/alusdok/documents"
)

// Record is a register record as stored: the data, its version, and the
// base document and submission it came from (R13.2: every entered record is
// traceable to the submitted document).
type Record[T any] struct {
	ID          string                `bson:"_id"`
	Data        T                     `bson:"data"`
	Version     int                   `bson:"version"`
	Submission  string                `bson:"submission"`
	EntryNumber string                `bson:"entryNumber"`
	Document    documents.DecisionRef `bson:"document"`
	EnteredAt   time.Time             `bson:"enteredAt"`
}

// Entry says which entry writes a record.
type Entry struct {
	SubmissionID string
	EntryNumber  string
	Document     documents.DecisionRef
	At           time.Time
}

// historyDoc is one version of a versioned record, kept for ever.
type historyDoc[T any] struct {
	ID         string `bson:"_id"` // collection/id@version
	Collection string `bson:"collection"`
	RecordID   string `bson:"recordId"`
	Record[T]  `bson:",inline"`
}

// putVersion writes data as the next version of record id in coll: the
// version goes into the history first (immutable, keyed by id@version),
// then becomes the current record. Retried by the same entry it writes
// nothing new; another entry that raced for the same version number tries
// the next one. Councils, standards and awarding bodies change this way and
// never lose their history.
func putVersion[T any](ctx context.Context, s *Store, coll, id string, data T, e Entry) error {
	for range 10 {
		var cur Record[T]
		err := s.findByID(ctx, coll, id, &cur)
		switch {
		case err == nil && cur.Submission == e.SubmissionID:
			return nil // this entry already wrote it
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		rec := Record[T]{ID: id, Data: data, Version: cur.Version + 1, Submission: e.SubmissionID,
			EntryNumber: e.EntryNumber, Document: e.Document, EnteredAt: e.At.UTC()}
		hid := coll + "/" + id + "@" + strconv.Itoa(rec.Version)
		if err := s.insertOnce(ctx, CollHistory, historyDoc[T]{ID: hid, Collection: coll, RecordID: id, Record: rec}); err != nil {
			return err
		}
		var written historyDoc[T]
		if err := s.findByID(ctx, CollHistory, hid, &written); err != nil {
			return err
		}
		if written.Submission != e.SubmissionID {
			continue // another entry took this version number: read again
		}
		return s.upsert(ctx, coll, id, rec)
	}
	return fmt.Errorf("%s %s: too many concurrent changes", coll, id)
}

// History returns the versions of a record, oldest first.
func History[T any](ctx context.Context, s *Store, coll, id string) ([]Record[T], error) {
	var out []Record[T]
	for v := 1; ; v++ {
		var h historyDoc[T]
		err := s.findByID(ctx, CollHistory, coll+"/"+id+"@"+strconv.Itoa(v), &h)
		if errors.Is(err, ErrNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, h.Record)
	}
}

// StandardID is the _id of one version of a standard.
func StandardID(ref documents.StandardRef) string {
	return strconv.Itoa(ref.ID) + "v" + strconv.Itoa(ref.Version)
}

// CertificateID is the _id of a certificate: numbers are unique per type.
func CertificateID(k documents.CertificateKey) string {
	return strconv.Itoa(int(k.Type)) + "-" + k.Number
}

// standardVersions lists the versions of a standard, so that "the latest
// version" is one point lookup.
type standardVersions struct {
	ID       string `bson:"_id"`
	Versions []int  `bson:"versions"`
}

// putStandard enters one version of a standard and notes it in the index of
// versions.
func (s *Store) putStandard(ctx context.Context, std documents.Standard, e Entry) error {
	if err := putVersion(ctx, s, CollStandards, StandardID(std.Ref()), std, e); err != nil {
		return err
	}
	_, err := s.c(CollStandardVersions).UpdateOne(ctx, byID(strconv.Itoa(std.ID)),
		bson.D{{Key: "$addToSet", Value: bson.D{{Key: "versions", Value: std.Version}}}}, options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		_, err = s.c(CollStandardVersions).UpdateOne(ctx, byID(strconv.Itoa(std.ID)),
			bson.D{{Key: "$addToSet", Value: bson.D{{Key: "versions", Value: std.Version}}}})
	}
	if err != nil {
		return fmt.Errorf("index standard versions: %w", err)
	}
	return nil
}

// PersonKey is the key under which a person's certificates are indexed: a
// hash of the personal code, so that the code itself is no _id.
func PersonKey(personalCode string) string {
	sum := sha256.Sum256([]byte("alusdok/person/v1:" + personalCode))
	return hex.EncodeToString(sum[:16])
}

// putCertificates writes certificates (R8) whose numbers this entry has
// claimed, each once: deterministic _ids, unordered inserts whose
// duplicate-key errors are retries of this same entry. progress is called
// after each batch with the number written so far.
func (s *Store) putCertificates(ctx context.Context, certs []documents.Certificate, e Entry, progress func(int)) error {
	const batch = 1000
	for start := 0; start < len(certs); start += batch {
		part := certs[start:min(len(certs), start+batch)]
		docs := make([]any, len(part))
		byPerson := map[string][]string{}
		for i, c := range part {
			id := CertificateID(c.Key())
			docs[i] = Record[documents.Certificate]{ID: id, Data: c, Version: 1, Submission: e.SubmissionID,
				EntryNumber: e.EntryNumber, Document: e.Document, EnteredAt: e.At.UTC()}
			if c.PersonalCode != "" {
				k := PersonKey(c.PersonalCode)
				byPerson[k] = append(byPerson[k], id)
			}
		}
		// The batch and its index rows are written at once: a row whose
		// certificate is not yet there is skipped by readers, as one
		// deleted since (PersonCertificates).
		var g errgroup.Group
		g.Go(func() error { return s.indexByPerson(ctx, byPerson) })
		g.Go(func() error {
			_, err := s.c(CollCertificates).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
			if err == nil {
				return nil
			}
			if !mongo.IsDuplicateKeyError(err) {
				return fmt.Errorf("enter certificates: %w", err)
			}
			alive := func() {
				if progress != nil {
					progress(start)
				}
			}
			return s.checkOwnDuplicates(ctx, part, e.SubmissionID, alive)
		})
		if err := g.Wait(); err != nil {
			return err
		}
		if progress != nil {
			progress(start + len(part))
		}
	}
	return nil
}

// ErrCertificateTaken says a certificate number is already in the register
// from another submission.
var ErrCertificateTaken = errors.New("certificate number already entered by another submission")

func (s *Store) checkOwnDuplicates(ctx context.Context, part []documents.Certificate, submission string, alive func()) error {
	for i, c := range part {
		if i%heartbeatEvery == heartbeatEvery-1 {
			alive() // the progress so far, again: a heartbeat
		}
		var r struct {
			Submission string `bson:"submission"`
		}
		if err := s.findByID(ctx, CollCertificates, CertificateID(c.Key()), &r); err != nil {
			return err
		}
		if r.Submission != submission {
			return fmt.Errorf("certificate %s: %w", c.Number, ErrCertificateTaken)
		}
	}
	return nil
}

// Certificate returns a certificate record.
func (s *Store) Certificate(ctx context.Context, k documents.CertificateKey) (Record[documents.Certificate], error) {
	var r Record[documents.Certificate]
	err := s.findByID(ctx, CollCertificates, CertificateID(k), &r)
	return r, err
}

// PersonCertificates returns the certificates of the person with this
// personal code (R16.3), in the order of their _id.
func (s *Store) PersonCertificates(ctx context.Context, personalCode string) ([]Record[documents.Certificate], error) {
	ids, err := s.personCertificateIDs(ctx, PersonKey(personalCode))
	if err != nil {
		return nil, err
	}
	out := make([]Record[documents.Certificate], 0, len(ids))
	for _, id := range ids {
		var r Record[documents.Certificate]
		err := s.findByID(ctx, CollCertificates, id, &r)
		if errors.Is(err, ErrNotFound) {
			continue // deleted (R18) between the index and here, or not yet written
		}
		if err != nil {
			return nil, err
		}
		if r.Data.PersonalCode != personalCode {
			// The index row of an entry that then failed on another's
			// certificate: whatever the index says, only the person's own.
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// register implements documents.Register on the store.
type register struct{ s *Store }

// Register returns the read side of the register that document checks use.
func (s *Store) Register() documents.Register { return register{s} }

func (r register) Council(ctx context.Context, id string) (*documents.Council, error) {
	var rec Record[documents.Council]
	if err := r.s.findByID(ctx, CollCouncils, id, &rec); err != nil {
		return nil, mapNotFound(err)
	}
	return &rec.Data, nil
}

func (r register) Standard(ctx context.Context, ref documents.StandardRef) (*documents.Standard, error) {
	if ref.Version == 0 {
		var idx standardVersions
		if err := r.s.findByID(ctx, CollStandardVersions, strconv.Itoa(ref.ID), &idx); err != nil {
			return nil, mapNotFound(err)
		}
		if len(idx.Versions) == 0 {
			return nil, fmt.Errorf("standard %d: %w", ref.ID, documents.ErrNotFound)
		}
		ref.Version = slices.Max(idx.Versions)
	}
	var rec Record[documents.Standard]
	if err := r.s.findByID(ctx, CollStandards, StandardID(ref), &rec); err != nil {
		return nil, mapNotFound(err)
	}
	return &rec.Data, nil
}

func (r register) AwardingBody(ctx context.Context, code string) (*documents.AwardingBody, error) {
	var rec Record[documents.AwardingBody]
	if err := r.s.findByID(ctx, CollAwardingBodies, code, &rec); err != nil {
		return nil, mapNotFound(err)
	}
	return &rec.Data, nil
}

// ExistingCertificates answers which of keys are in the register, with the
// queries each database answers from an index:
//
//   - MongoDB: {_id: {$in: […]}} on the certificates, maxInKeys ids a
//     query: 10,000 keys are ten round trips, each served by the _id index.
//   - FerretDB v1.24 (SQLite) hands SQLite only a filter that is exactly
//     {_id: <string>}; any other — a range of _id, $in, and the count that
//     EstimatedDocumentCount sends — reads and decodes every row of the
//     collection in Go, ~10–25 µs a row even for the small claim rows, and
//     $in compares each row with every value of its list (70 s for 10,000
//     keys at 100,000 certificates). A point lookup costs ~60–110 µs at
//     eight in flight, so one pass over the claims (one small row per
//     number ever entered) would pay only for a batch of a quarter of the
//     register or more — never at register scale, where 10,000 point
//     lookups take 0.6–1.1 s (store/bench_test.go, 100,000 certificates).
//     So: a point lookup per block of numbers (CollBlocks), eight blocks
//     at a time, and then one per number a block lists — a new decision's
//     10,000 consecutive numbers are about 100 lookups, not 10,000.
func (r register) ExistingCertificates(ctx context.Context, keys []documents.CertificateKey) (map[documents.CertificateKey]documents.Certificate, error) {
	byID := make(map[string]documents.CertificateKey, len(keys))
	for _, k := range keys {
		byID[CertificateID(k)] = k
	}
	ids := sortedKeys(byID)
	var found map[string]*documents.Certificate
	var err error
	if r.s.isFerretDB(ctx) {
		found, err = r.s.certificatesByBlock(ctx, ids)
	} else {
		found, err = r.s.certificatesIn(ctx, ids)
	}
	if err != nil {
		return nil, err
	}
	out := make(map[documents.CertificateKey]documents.Certificate, len(found))
	for id, c := range found {
		out[byID[id]] = *c
	}
	return out, nil
}

// maxInKeys bounds an $in list.
const maxInKeys = 1000

// certificatesIn finds the certificates of ids with $in queries.
func (s *Store) certificatesIn(ctx context.Context, ids []string) (map[string]*documents.Certificate, error) {
	out := map[string]*documents.Certificate{}
	for chunk := range slices.Chunk(ids, maxInKeys) {
		cur, err := s.c(CollCertificates).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: chunk}}}})
		if err != nil {
			return nil, fmt.Errorf("read certificates: %w", err)
		}
		var recs []Record[documents.Certificate]
		if err := cur.All(ctx, &recs); err != nil {
			return nil, fmt.Errorf("read certificates: %w", err)
		}
		for i := range recs {
			out[recs[i].ID] = &recs[i].Data
		}
	}
	return out, nil
}

// certificatesByBlock finds the certificates of ids on FerretDB: the
// numbers' blocks say which of them may be in the register (CollBlocks),
// and only those are looked up; until the blocks are built, every one is.
func (s *Store) certificatesByBlock(ctx context.Context, ids []string) (map[string]*documents.Certificate, error) {
	built, err := s.blocksBuilt(ctx)
	if err != nil {
		return nil, fmt.Errorf("read certificate numbers: %w", err)
	}
	if built {
		if ids, err = s.takenInBlocks(ctx, ids); err != nil {
			return nil, err
		}
	}
	return s.certificatesByID(ctx, ids)
}

// certificatesByID finds the certificates of ids by _id, eight at a time.
func (s *Store) certificatesByID(ctx context.Context, ids []string) (map[string]*documents.Certificate, error) {
	found := make([]*documents.Certificate, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, id := range ids {
		g.Go(func() error {
			var rec Record[documents.Certificate]
			err := s.findByID(gctx, CollCertificates, id, &rec)
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			found[i] = &rec.Data
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]*documents.Certificate{}
	for i, c := range found {
		if c != nil {
			out[ids[i]] = c
		}
	}
	return out, nil
}

func mapNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %w", documents.ErrNotFound, err)
	}
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Councils lists every council's current record, by id.
func (s *Store) Councils(ctx context.Context) ([]Record[documents.Council], error) {
	return listRecords[documents.Council](ctx, s, CollCouncils)
}

// Standards lists every version of every standard, by id.
func (s *Store) Standards(ctx context.Context) ([]Record[documents.Standard], error) {
	return listRecords[documents.Standard](ctx, s, CollStandards)
}

// AwardingBodies lists every awarding body's current record, by registry
// code.
func (s *Store) AwardingBodies(ctx context.Context) ([]Record[documents.AwardingBody], error) {
	return listRecords[documents.AwardingBody](ctx, s, CollAwardingBodies)
}

func listRecords[T any](ctx context.Context, s *Store, coll string) ([]Record[T], error) {
	cur, err := s.c(coll).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", coll, err)
	}
	var recs []Record[T]
	if err := cur.All(ctx, &recs); err != nil {
		return nil, fmt.Errorf("list %s: %w", coll, err)
	}
	slices.SortFunc(recs, func(a, b Record[T]) int { return strings.Compare(a.ID, b.ID) })
	return recs, nil
}

// EachCertificate calls fn with every certificate record, streaming from a
// cursor: memory does not grow with the register.
func (s *Store) EachCertificate(ctx context.Context, fn func(Record[documents.Certificate]) error) error {
	cur, err := s.c(CollCertificates).Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("read certificates: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var r Record[documents.Certificate]
		if err := cur.Decode(&r); err != nil {
			return fmt.Errorf("read certificates: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return cur.Err()
}
