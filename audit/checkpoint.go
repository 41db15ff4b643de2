package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The hash chain proves that no entry was changed — unless whoever changes
// one recomputes every hash after it, which anyone able to write to
// MongoDB can. Checkpoints anchor the chain outside the database: the
// chain's length and head hash at a time, signed with an Ed25519 key that
// the database never holds. A consistent rewrite of the chain then no
// longer matches a signed checkpoint, and Verify says where.

// CollCheckpoints holds the signed checkpoints.
const CollCheckpoints = "audit_checkpoints"

// ProblemCheckpoint: the entry that a signed checkpoint names has another
// hash (the chain up to it was rewritten and rehashed), or is gone.
const ProblemCheckpoint Problem = "checkpoint mismatch"

// Checkpoint is the chain's head at a time, signed.
type Checkpoint struct {
	Count     int64     `bson:"count" json:"count"`       // entries up to and including the head
	HeadHash  string    `bson:"headHash" json:"headHash"` // the Hash of entry Count
	Time      time.Time `bson:"time" json:"time"`
	KeyID     string    `bson:"keyId" json:"keyId"` // the signing key's id: SHA-256 of its public key, first 8 bytes in hex
	Signature []byte    `bson:"signature" json:"signature"`
}

// message is what a checkpoint's signature covers.
func (c Checkpoint) message() []byte {
	return fmt.Appendf(nil, "alusdok/audit-checkpoint/v1\n%d\n%s\n%s\n", c.Count, c.HeadHash, c.Time.UTC().Format(time.RFC3339Nano))
}

// Signer signs checkpoints: an Ed25519 key kept outside the database.
type Signer struct {
	key ed25519.PrivateKey
}

// NewSigner wraps an Ed25519 private key.
func NewSigner(key ed25519.PrivateKey) *Signer { return &Signer{key: key} }

// Public is the key that verifies the signer's checkpoints.
func (s *Signer) Public() ed25519.PublicKey { return s.key.Public().(ed25519.PublicKey) }

// KeyID names a public key.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// LoadSigner reads a key file: the Ed25519 seed (32 bytes) in base64, on
// its first line that is not a # comment.
func LoadSigner(path string) (*Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		seed, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("checkpoint key %s: want a 32-byte Ed25519 seed in base64", path)
		}
		return NewSigner(ed25519.NewKeyFromSeed(seed)), nil
	}
	return nil, fmt.Errorf("checkpoint key %s: empty", path)
}

// EnsureKeyFile makes a key file with a fresh key at path unless one is
// there: what `alusdok dev` does on its first start.
func EnsureKeyFile(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("checkpoint key file: %w", err)
	}
	_, err = fmt.Fprintf(f, "# alusdok dev: the Ed25519 key that signs processing-log checkpoints (development only)\n%s\n", base64.StdEncoding.EncodeToString(seed))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Checkpoint verifies the chain and, when it is whole, signs and stores its
// head now. It answers the report, and the checkpoint when one was made (a
// chain already checkpointed at the same length gets no second one).
func (l *Log) Checkpoint(ctx context.Context, s *Signer, now time.Time) (Report, *Checkpoint, error) {
	rep, err := l.VerifyAnchored(ctx, s.Public())
	if err != nil || !rep.Whole() || rep.Count == 0 {
		return rep, nil, err
	}
	cp := Checkpoint{Count: rep.Count, HeadHash: rep.LastHash, Time: now.UTC().Truncate(time.Millisecond), KeyID: KeyID(s.Public())}
	cp.Signature = ed25519.Sign(s.key, cp.message())
	doc := struct {
		ID         string `bson:"_id"`
		Checkpoint `bson:",inline"`
	}{EntryID(cp.Count), cp}
	if _, err := l.checkpoints.InsertOne(ctx, doc); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return rep, nil, nil
		}
		return rep, nil, fmt.Errorf("store checkpoint: %w", err)
	}
	return rep, &cp, nil
}

// LatestCheckpoint is the newest checkpoint, for publishing; ok is false
// when there is none.
func (l *Log) LatestCheckpoint(ctx context.Context) (cp Checkpoint, ok bool, err error) {
	err = l.checkpoints.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&cp)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return cp, false, nil
	}
	if err != nil {
		return cp, false, fmt.Errorf("read checkpoint: %w", err)
	}
	return cp, true, nil
}

// VerifyAnchored is Verify, and then every stored checkpoint: its
// signature must verify with pub, and the entry it names must be there
// with the hash it signed. A checkpoint whose signature does not verify is
// itself a break (someone wrote it without the key).
func (l *Log) VerifyAnchored(ctx context.Context, pub ed25519.PublicKey) (Report, error) {
	var cps []Checkpoint
	cur, err := l.checkpoints.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return Report{}, fmt.Errorf("read checkpoints: %w", err)
	}
	if err := cur.All(ctx, &cps); err != nil {
		return Report{}, fmt.Errorf("read checkpoints: %w", err)
	}
	hashes := make(map[int64]string, len(cps))
	for _, cp := range cps {
		hashes[cp.Count] = ""
	}
	rep, err := l.verify(ctx, func(seq int64, hash string) {
		if _, ok := hashes[seq]; ok {
			hashes[seq] = hash
		}
	})
	if err != nil {
		return rep, err
	}
	for _, cp := range cps {
		if cp.Count > rep.Count && rep.Broken != nil {
			break // the chain broke before this checkpoint: that is reported
		}
		switch got := hashes[cp.Count]; {
		case !ed25519.Verify(pub, cp.message(), cp.Signature):
			rep.Broken = &Break{Seq: cp.Count, Problem: ProblemCheckpoint, Detail: fmt.Sprintf("the checkpoint of %s at entry %d is not signed by key %s", cp.Time.Format(time.RFC3339), cp.Count, KeyID(pub))}
		case got == "":
			rep.Broken = &Break{Seq: cp.Count, Problem: ProblemCheckpoint, Detail: fmt.Sprintf("the checkpoint of %s names entry %d, which is gone", cp.Time.Format(time.RFC3339), cp.Count)}
		case got != cp.HeadHash:
			rep.Broken = &Break{Seq: cp.Count, Problem: ProblemCheckpoint, Detail: fmt.Sprintf("the checkpoint of %s signed hash %s for entry %d; it now hashes to %s: the chain up to it was rewritten", cp.Time.Format(time.RFC3339), cp.HeadHash, cp.Count, got)}
		default:
			continue
		}
		rep.Count = min(rep.Count, rep.Broken.Seq-1)
		return rep, nil
	}
	return rep, nil
}
