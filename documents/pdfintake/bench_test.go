package pdfintake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"path/filepath"
	"testing"
)

// BenchmarkInspectSignedPDF is the full intake of one signed example:
// guards, parse, validation and signature check.
func BenchmarkInspectSignedPDF(b *testing.B) {
	in := mustInspector(b, Options{RequireSignature: true})
	data := mustRead(b, filepath.Join(examplesDir, "committee-decision.pdf"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_, defs, err := in.Inspect(context.Background(), bytes.NewReader(data))
		if err != nil || len(defs) != 0 {
			b.Fatalf("Inspect = %v, %v", defs, err)
		}
	}
}

// BenchmarkSHA256Only is the baseline: hashing the same bytes, the least
// any intake must do.
func BenchmarkSHA256Only(b *testing.B) {
	data := mustRead(b, filepath.Join(examplesDir, "committee-decision.pdf"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_ = sha256.Sum256(data)
	}
}
