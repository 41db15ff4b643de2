package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ChunkSize is GridFS's default chunk size.
const ChunkSize = 255 * 1024

// Blob is a stored file: GridFS's files document.
type Blob struct {
	ID         string    `bson:"_id"`
	Length     int64     `bson:"length"`
	ChunkSize  int32     `bson:"chunkSize"`
	UploadDate time.Time `bson:"uploadDate"`
	Filename   string    `bson:"filename"`
	Metadata   BlobMeta  `bson:"metadata"`
}

// BlobMeta is what alusdok records about a stored file.
type BlobMeta struct {
	SHA256      string `bson:"sha256"`
	ContentType string `bson:"contentType"`
	Kind        string `bson:"kind,omitempty"`       // base-document kind, notice type
	Submission  string `bson:"submission,omitempty"` // the submission it belongs to
	// Submissions are the submissions that keep it: a PDF uploaded by
	// several submissions is stored once and names each (RetainBlob).
	Submissions []string `bson:"submissions,omitempty"`
	// RetainUntil is the latest retention date of those submissions (R4.2):
	// every blob has one, written with it. (The BSON driver knows no
	// "omitzero": it ignores the flag and wrote year 1. "omitempty" omits a
	// zero time.Time, which implements IsZero.)
	RetainUntil time.Time `bson:"retainUntil,omitempty"`
}

type chunk struct {
	ID      string `bson:"_id"`
	FilesID string `bson:"files_id"`
	N       int    `bson:"n"`
	Data    []byte `bson:"data"`
}

func chunkID(id string, n int) string { return fmt.Sprintf("%s#%d", id, n) }

// PutBlob stores what r yields under id in GridFS's layout (the bucket's
// .files and .chunks collections), so that any GridFS reader can read it.
// Unlike a driver's GridFS upload, chunks get deterministic _ids (id#n):
// a retried write replaces the same chunks, and a read is a point lookup per
// chunk, which FerretDB answers without scanning. The files document is
// written last, so a blob is visible only once it is whole. It reports
// whether this call created the blob (false: it was already there, its
// bytes unchanged). A blob that is there already (the same PDF uploaded by
// another submission) keeps the later of its retention date and
// meta.RetainUntil, and adds meta.Submission to the submissions it names.
func (s *Store) PutBlob(ctx context.Context, bucket, id, filename string, r io.Reader, meta BlobMeta, now time.Time) (Blob, bool, error) {
	var existing Blob
	if err := s.findByID(ctx, bucket+".files", id, &existing); err == nil {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return Blob{}, false, fmt.Errorf("read blob: %w", err)
		}
		if !meta.RetainUntil.IsZero() && meta.Submission != "" {
			kind := existing.Metadata.Kind
			if kind == "" {
				kind = meta.Kind
			}
			if err := s.RetainBlob(ctx, bucket, id, meta.RetainUntil, kind, meta.Submission); err != nil {
				return Blob{}, false, err
			}
			return s.StatBlobOrKeep(ctx, bucket, existing), false, nil
		}
		return existing, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Blob{}, false, err
	}
	h := sha256.New()
	buf := make([]byte, ChunkSize)
	var length int64
	var batch []chunk
	for n := 0; ; n++ {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			h.Write(buf[:k])
			length += int64(k)
			batch = append(batch, chunk{ID: chunkID(id, n), FilesID: id, N: n, Data: bytes.Clone(buf[:k])})
		}
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return Blob{}, false, fmt.Errorf("read blob: %w", err)
		}
		if len(batch) == chunksAtOnce || (end && len(batch) > 0) {
			if err := s.putChunks(ctx, bucket, batch); err != nil {
				return Blob{}, false, err
			}
			batch = batch[:0]
		}
		if end {
			break
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if meta.SHA256 != "" && meta.SHA256 != sum {
		return Blob{}, false, fmt.Errorf("blob %s: content hash %s differs from the expected %s", id, sum, meta.SHA256)
	}
	meta.SHA256 = sum
	if meta.Submission != "" && len(meta.Submissions) == 0 {
		meta.Submissions = []string{meta.Submission}
	}
	meta.RetainUntil = meta.RetainUntil.UTC()
	b := Blob{ID: id, Length: length, ChunkSize: ChunkSize, UploadDate: now.UTC(), Filename: filename, Metadata: meta}
	if _, err := s.c(bucket+".files").InsertOne(ctx, b); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return b, false, nil // a concurrent write of the same blob made it
		}
		return Blob{}, false, fmt.Errorf("write %s.files: %w", bucket, err)
	}
	return b, true, nil
}

// chunksAtOnce is how many chunks (about 1 MB) one insert writes.
const chunksAtOnce = 4

// putChunks inserts chunks with one unordered InsertMany; a chunk already
// there (an earlier attempt's) is replaced, as a retried write replaces
// the same chunks.
func (s *Store) putChunks(ctx context.Context, bucket string, chunks []chunk) error {
	docs := make([]any, len(chunks))
	for i := range chunks {
		docs[i] = chunks[i]
	}
	_, err := s.c(bucket+".chunks").InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	there, ok := duplicates(err)
	if !ok {
		return fmt.Errorf("write %s.chunks: %w", bucket, err)
	}
	for _, i := range there {
		if err := s.upsert(ctx, bucket+".chunks", chunks[i].ID, chunks[i]); err != nil {
			return err
		}
	}
	return nil
}

// StatBlob returns a blob's files document.
func (s *Store) StatBlob(ctx context.Context, bucket, id string) (Blob, error) {
	var b Blob
	err := s.findByID(ctx, bucket+".files", id, &b)
	return b, err
}

// StatBlobOrKeep reads a blob's files document again, or answers b when it
// cannot be read.
func (s *Store) StatBlobOrKeep(ctx context.Context, bucket string, b Blob) Blob {
	if fresh, err := s.StatBlob(ctx, bucket, b.ID); err == nil {
		return fresh
	}
	return b
}

// ReadBlob returns a whole blob, checked against its SHA-256.
func (s *Store) ReadBlob(ctx context.Context, bucket, id string) ([]byte, Blob, error) {
	b, err := s.StatBlob(ctx, bucket, id)
	if err != nil {
		return nil, b, err
	}
	var out bytes.Buffer
	out.Grow(int(b.Length))
	if err := s.copyChunks(ctx, bucket, b, &out); err != nil {
		return nil, b, err
	}
	sum := sha256.Sum256(out.Bytes())
	if got := hex.EncodeToString(sum[:]); got != b.Metadata.SHA256 {
		return nil, b, fmt.Errorf("blob %s: stored bytes hash to %s, not the recorded %s", id, got, b.Metadata.SHA256)
	}
	return out.Bytes(), b, nil
}

// WriteBlob streams a blob to w chunk by chunk.
func (s *Store) WriteBlob(ctx context.Context, bucket string, b Blob, w io.Writer) error {
	return s.copyChunks(ctx, bucket, b, w)
}

func (s *Store) copyChunks(ctx context.Context, bucket string, b Blob, w io.Writer) error {
	size := int64(b.ChunkSize)
	if size <= 0 {
		size = ChunkSize
	}
	var written int64
	for n := 0; written < b.Length; n++ {
		var c chunk
		if err := s.findByID(ctx, bucket+".chunks", chunkID(b.ID, n), &c); err != nil {
			return fmt.Errorf("blob %s chunk %d: %w", b.ID, n, err)
		}
		if _, err := w.Write(c.Data); err != nil {
			return err
		}
		written += int64(len(c.Data))
	}
	if written != b.Length {
		return fmt.Errorf("blob %s: %d bytes in chunks, %d recorded", b.ID, written, b.Length)
	}
	return nil
}

// DeleteBlob removes a blob: the files document first (so it vanishes at
// once), then its chunks.
func (s *Store) DeleteBlob(ctx context.Context, bucket, id string) error {
	s.metadata.Remove(id)
	b, err := s.StatBlob(ctx, bucket, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := s.c(bucket+".files").DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("delete blob: %w", err)
	}
	chunks := (b.Length + ChunkSize - 1) / ChunkSize
	for n := 0; n < int(chunks); n++ {
		if _, err := s.c(bucket+".chunks").DeleteOne(ctx, byID(chunkID(id, n))); err != nil {
			return fmt.Errorf("delete blob chunk: %w", err)
		}
	}
	return nil
}

// RenditionBlobID is the blob id of a submission's stamped rendition.
func RenditionBlobID(submissionID string) string { return "rendition-" + submissionID }

// RetainBlob records that submission keeps blob id until retainUntil (R4.2).
// A blob shared by several submissions (the same PDF uploaded twice) keeps
// the latest of their dates, never an earlier one, and names each of them.
func (s *Store) RetainBlob(ctx context.Context, bucket, id string, retainUntil time.Time, kind, submission string) error {
	_, err := s.c(bucket+".files").UpdateOne(ctx, byID(id), bson.D{
		{Key: "$max", Value: bson.D{{Key: "metadata.retainUntil", Value: retainUntil.UTC()}}},
		{Key: "$set", Value: bson.D{{Key: "metadata.kind", Value: kind}}},
		{Key: "$addToSet", Value: bson.D{{Key: "metadata.submissions", Value: submission}}},
	})
	if err != nil {
		return fmt.Errorf("retention of blob %s: %w", id, err)
	}
	return nil
}
