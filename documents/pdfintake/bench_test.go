package pdfintake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkInspectSignedPDF is the full intake of one signed example:
// guards, parse, validation and signature check, in a child process (the
// test binary; alusdok's own, far larger, takes longer to start).
func BenchmarkInspectSignedPDF(b *testing.B) {
	benchmarkInspect(b, Options{RequireSignature: true})
}

// BenchmarkInspectSignedPDFInProcess is the same without the child: the
// difference is what isolation costs per document.
func BenchmarkInspectSignedPDFInProcess(b *testing.B) {
	benchmarkInspect(b, Options{RequireSignature: true, InProcess: true})
}

func benchmarkInspect(b *testing.B, opts Options) {
	in := mustInspector(b, opts)
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

// BenchmarkInspectSignedPDFAlusdokChild uses the real child, `alusdok
// pdfcheck`, of the binary named by ALUSDOK_BIN (go build ./cmd/alusdok).
func BenchmarkInspectSignedPDFAlusdokChild(b *testing.B) {
	bin := os.Getenv("ALUSDOK_BIN")
	if bin == "" {
		b.Skip("set ALUSDOK_BIN to a built alusdok binary")
	}
	benchmarkInspect(b, Options{RequireSignature: true, Child: &Command{Path: bin, Args: []string{"pdfcheck"}}})
}
