package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"
)

// GenesisHash is the PrevHash of entry 1: 64 zeros.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// canonicalVersion opens every encoding, so that a later change of the
// encoding can be told apart.
const canonicalVersion = "alusdok-audit-v1"

// timeLayout is how Time is encoded: UTC, always three fractional digits.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Canonical returns the bytes an entry's Hash is computed over: a sequence of
// fields, each written as its length in bytes (8 bytes, big-endian) followed
// by its UTF-8 bytes, in this fixed order:
//
//	"alusdok-audit-v1", Seq (decimal), Key, Time ("2006-01-02T15:04:05.000Z",
//	UTC), SubmissionID, SubmitterName, DocumentKind, DocumentKindName,
//	DocumentNumber, DocumentDate, Actor, Action, Detail, the number of
//	Subjects (decimal), each subject, PrevHash.
//
// Hash itself is not part of it. The encoding does not depend on how the
// entry is stored (BSON field order, JSON), so anyone can recompute a hash
// from an exported entry.
func Canonical(e Entry) []byte {
	fields := []string{
		canonicalVersion,
		strconv.FormatInt(e.Seq, 10),
		e.Key,
		e.Time.UTC().Format(timeLayout),
		e.SubmissionID,
		e.SubmitterName,
		e.DocumentKind,
		e.DocumentKindName,
		e.DocumentNumber,
		e.DocumentDate,
		e.Actor,
		e.Action,
		e.Detail,
		strconv.Itoa(len(e.Subjects)),
	}
	fields = append(fields, e.Subjects...)
	fields = append(fields, e.PrevHash)

	n := 0
	for _, f := range fields {
		n += 8 + len(f)
	}
	b := make([]byte, 0, n)
	for _, f := range fields {
		b = binary.BigEndian.AppendUint64(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// ComputeHash returns the hex SHA-256 of Canonical(e).
func ComputeHash(e Entry) string {
	sum := sha256.Sum256(Canonical(e))
	return hex.EncodeToString(sum[:])
}

// normalTime is t as it is stored: UTC, to the millisecond (BSON dates hold
// milliseconds).
func normalTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Millisecond)
}
