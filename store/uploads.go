package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents/pdfintake"
)

// Upload is one received set of base documents, staged by the API before
// the workflow sees it: the signed PDF (a blob, by its SHA-256) and its
// metadata JSON (a blob of its own: a 10,000-certificate decision is
// megabytes).
type Upload struct {
	ID           string           `bson:"_id"`
	SubmissionID string           `bson:"submission"`
	Organisation string           `bson:"organisation"`
	Submitter    string           `bson:"submitter"`
	DocumentBlob string           `bson:"documentBlob"`
	MetadataBlob string           `bson:"metadataBlob"`
	Filename     string           `bson:"filename"`
	PDF          pdfintake.Result `bson:"pdf"`
	// PDFDeficiencies are intake's warnings (errors are refused at once).
	PDFDeficiencies deficiency.List `bson:"pdfDeficiencies"`
	ReceivedAt      time.Time       `bson:"receivedAt"`
	// Intake is what intake's validation of the metadata found, kept so
	// that the workflow's first validation runs only the checks whose
	// answer can change after receipt; nil for an upload staged before it
	// was kept, which is validated in full.
	Intake *IntakeCheck `bson:"intake,omitempty"`
}

// IntakeCheck is intake's validation of an upload's metadata
// (documents.Validator.Fields and Check) as it was at receipt.
type IntakeCheck struct {
	// Rules is documents.Validator.RulesID of the rules applied, Day the
	// date they were applied for (YYYY-MM-DD): Fields is re-usable only
	// under both.
	Rules string `bson:"rules"`
	Day   string `bson:"day"`
	// Fields is what the decode and the field rules found: fixed for these
	// bytes, rules and day. Only warnings: intake refuses errors.
	Fields deficiency.List `bson:"fields"`
	// Deficiencies is everything intake found (fields and register,
	// warnings only), as Validate returns it. RegisterMark is the
	// Store.RegisterMark taken before its register checks: while
	// Store.RegisterChangedSince(RegisterMark) is false, Deficiencies
	// still holds; else the register is checked again.
	Deficiencies deficiency.List `bson:"deficiencies"`
	RegisterMark time.Time       `bson:"registerMark"`
	CheckedAt    time.Time       `bson:"checkedAt"`
	// Scoped says Blocks are the only certificate blocks the register
	// checks read (BlockRecorder): the result then holds while
	// Store.RegisterChangedIn(RegisterMark, Blocks) is false, however much
	// else was entered meanwhile.
	Scoped bool     `bson:"scoped,omitempty"`
	Blocks []string `bson:"blocks,omitempty"`
	// Summary is what the document says of itself, for a re-use that
	// does not decode it again.
	Summary *IntakeSummary `bson:"summary,omitempty"`
}

// IntakeSummary is a base document's summary as intake read it.
type IntakeSummary struct {
	Kind         string `bson:"kind"`
	Number       string `bson:"number"`
	DecisionDate string `bson:"decisionDate"`
	Title        string `bson:"title"`
	Issuer       string `bson:"issuer"`
	Records      int    `bson:"records"`
}

// DocumentBlobID is the blob id of a PDF: its SHA-256, so that the same
// bytes are stored once.
func DocumentBlobID(sha256 string) string { return "pdf-" + sha256 }

// MetadataBlobID is the blob id of an upload's metadata.
func MetadataBlobID(uploadID string) string { return "meta-" + uploadID }

// PutUpload records a staged upload (idempotent by its id).
func (s *Store) PutUpload(ctx context.Context, u Upload) error {
	return s.insertOnce(ctx, CollUploads, u)
}

// Upload returns a staged upload.
func (s *Store) Upload(ctx context.Context, id string) (Upload, error) {
	var u Upload
	err := s.findByID(ctx, CollUploads, id, &u)
	return u, err
}

// UploadMetadata returns an upload's metadata JSON.
//
// A metadata blob is never changed (one per upload), so the store keeps
// those it wrote (PutUploadMetadata) or read, in this process: intake
// stages it, and the activities of its procedure read it a moment later
// — from memory when the same process runs both, as `alusdok dev` does.
// Each caller gets a copy of its own.
func (s *Store) UploadMetadata(ctx context.Context, u Upload) ([]byte, error) {
	if b, ok := s.metadata.Get(u.MetadataBlob); ok {
		return bytes.Clone(b), nil
	}
	b, _, err := s.ReadBlob(ctx, BucketDocuments, u.MetadataBlob)
	if err != nil {
		return nil, fmt.Errorf("metadata of upload %s: %w", u.ID, err)
	}
	s.metadata.Add(u.MetadataBlob, bytes.Clone(b))
	return b, nil
}

// PutUploadMetadata stores an upload's metadata JSON as its metadata blob
// (PutBlob) and keeps it for UploadMetadata.
func (s *Store) PutUploadMetadata(ctx context.Context, u Upload, raw []byte, meta BlobMeta, now time.Time) error {
	if _, _, err := s.PutBlob(ctx, BucketDocuments, u.MetadataBlob, "metadata.json", bytes.NewReader(raw), meta, now); err != nil {
		return err
	}
	s.metadata.Add(u.MetadataBlob, bytes.Clone(raw))
	return nil
}

// cachedMetadataBytes bounds the metadata the store keeps: a few
// decisions of 10,000 certificates (about 5 MB each), or hundreds of small
// ones; the least recently used go first.
const cachedMetadataBytes = 64 << 20

// DeleteUpload removes a staged upload that never reached a workflow: its
// record, its metadata, and its PDF when this upload created it.
func (s *Store) DeleteUpload(ctx context.Context, u Upload, pdfCreated bool) error {
	if _, err := s.c(CollUploads).DeleteOne(ctx, byID(u.ID)); err != nil {
		return fmt.Errorf("delete upload: %w", err)
	}
	if err := s.DeleteBlob(ctx, BucketDocuments, u.MetadataBlob); err != nil {
		return err
	}
	if pdfCreated {
		return s.DeleteBlob(ctx, BucketDocuments, u.DocumentBlob)
	}
	return nil
}
