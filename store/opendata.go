package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kutsekoda/alusdok/documents"
)

// The open data's versions: each daily export writes its files as blobs of
// the opendata bucket (GridFS layout) and then one immutable version
// document naming them with their SHA-256; the latest is one point lookup.
const (
	BucketOpenData       = "opendata"
	CollOpenDataVersions = "opendata_versions"
	CollOpenDataLatest   = "opendata_latest"
	latestID             = "latest"
)

// OpenDataFile is one file of a version.
type OpenDataFile struct {
	Name        string `bson:"name"`
	Blob        string `bson:"blob"`
	ContentType string `bson:"contentType"`
	SHA256      string `bson:"sha256"`
	Length      int64  `bson:"length"`
}

// OpenDataVersion is one export, immutable once written.
type OpenDataVersion struct {
	ID           string         `bson:"_id"`
	CreatedAt    time.Time      `bson:"createdAt"`
	Files        []OpenDataFile `bson:"files"`
	Certificates int            `bson:"certificates"` // counted in the statistics
	Suppressed   int            `bson:"suppressed"`   // statistics cells left out as too small
}

// File returns the version's file with name.
func (v OpenDataVersion) File(name string) (OpenDataFile, bool) {
	i := slices.IndexFunc(v.Files, func(f OpenDataFile) bool { return f.Name == name })
	if i < 0 {
		return OpenDataFile{}, false
	}
	return v.Files[i], true
}

// PutOpenDataFile stores one file of a version from r, streaming.
func (s *Store) PutOpenDataFile(ctx context.Context, version, name, contentType string, r io.Reader, now time.Time) (OpenDataFile, error) {
	id := "od-" + version + "-" + name
	b, _, err := s.PutBlob(ctx, BucketOpenData, id, name, r, BlobMeta{ContentType: contentType, Kind: "opendata"}, now)
	if err != nil {
		return OpenDataFile{}, err
	}
	return OpenDataFile{Name: name, Blob: id, ContentType: contentType, SHA256: b.Metadata.SHA256, Length: b.Length}, nil
}

// PutOpenDataVersion writes a version (once) and makes it the latest.
func (s *Store) PutOpenDataVersion(ctx context.Context, v OpenDataVersion) error {
	if err := s.insertOnce(ctx, CollOpenDataVersions, v); err != nil {
		return err
	}
	return s.upsert(ctx, CollOpenDataLatest, latestID, bson.D{{Key: "_id", Value: latestID}, {Key: "version", Value: v.ID}})
}

// OpenDataVersion returns one version.
func (s *Store) OpenDataVersion(ctx context.Context, id string) (OpenDataVersion, error) {
	var v OpenDataVersion
	err := s.findByID(ctx, CollOpenDataVersions, id, &v)
	return v, err
}

// LatestOpenData returns the latest version, or ErrNotFound before the
// first export.
func (s *Store) LatestOpenData(ctx context.Context) (OpenDataVersion, error) {
	var p struct {
		Version string `bson:"version"`
	}
	if err := s.findByID(ctx, CollOpenDataLatest, latestID, &p); err != nil {
		return OpenDataVersion{}, err
	}
	return s.OpenDataVersion(ctx, p.Version)
}

// OpenDataVersions lists the versions kept, newest first.
func (s *Store) OpenDataVersions(ctx context.Context) ([]OpenDataVersion, error) {
	cur, err := s.c(CollOpenDataVersions).Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "files", Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("list open data: %w", err)
	}
	var out []OpenDataVersion
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list open data: %w", err)
	}
	slices.SortFunc(out, func(a, b OpenDataVersion) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out, nil
}

// DeleteOpenDataVersion removes a version: the document first (so it
// vanishes at once), then its files.
func (s *Store) DeleteOpenDataVersion(ctx context.Context, id string) error {
	v, err := s.OpenDataVersion(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := s.c(CollOpenDataVersions).DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("delete open data %s: %w", id, err)
	}
	for _, f := range v.Files {
		if err := s.DeleteBlob(ctx, BucketOpenData, f.Blob); err != nil {
			return err
		}
	}
	return nil
}

// WriteOpenDataFile streams a stored file to w.
func (s *Store) WriteOpenDataFile(ctx context.Context, f OpenDataFile, w io.Writer) error {
	b, err := s.StatBlob(ctx, BucketOpenData, f.Blob)
	if err != nil {
		return err
	}
	return s.WriteBlob(ctx, BucketOpenData, b, w)
}

// CertificateCell is what the statistics read of a certificate.
type CertificateCell struct {
	ID   string                `bson:"_id"`
	Data documents.Certificate `bson:"data"`
}

// EachCertificateCell streams every certificate with only the fields the
// statistics count (no name, personal code or birth date is even read).
func (s *Store) EachCertificateCell(ctx context.Context, fn func(*CertificateCell) error) error {
	proj := bson.D{}
	for _, f := range []string{"number", "type", "standard", "level", "issuer", "issuedOn", "hideCertificate"} {
		proj = append(proj, bson.E{Key: "data." + f, Value: 1})
	}
	cur, err := s.c(CollCertificates).Find(ctx, bson.D{}, options.Find().SetProjection(proj).SetBatchSize(1000))
	if err != nil {
		return fmt.Errorf("read certificates: %w", err)
	}
	defer cur.Close(ctx)
	var c CertificateCell
	for cur.Next(ctx) {
		c = CertificateCell{}
		if err := cur.Decode(&c); err != nil {
			return fmt.Errorf("read certificates: %w", err)
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return cur.Err()
}
