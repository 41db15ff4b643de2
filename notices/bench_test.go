package notices

import (
	"testing"
	"time"
)

// BenchmarkRenderEmptyPDF is the baseline: fpdf writing one empty page
// with the fonts loaded and the output intent and metadata, finished for
// PDF/A.
func BenchmarkRenderEmptyPDF(b *testing.B) {
	info := docInfo{Title: "Teade", Created: tallinn(b, 2027, 3, 2, 10, 15)}
	for b.Loop() {
		if _, err := buildPDF([]*page{{}}, info); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderEntryNotice renders a one-page entry notice of ten
// entries.
func BenchmarkRenderEntryNotice(b *testing.B) {
	r, n := mustRenderer(b), entry(b, 10)
	for b.Loop() {
		if _, err := r.Render(n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderCorrectionRequest300 renders a fifteen-page letter of 300
// deficiencies.
func BenchmarkRenderCorrectionRequest300(b *testing.B) {
	r, n := mustRenderer(b), correctionRequest(b, 300)
	for b.Loop() {
		if _, err := r.Render(n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderAndSealEntryNotice renders the same letter and seals it
// with an RSA 2048 test seal (no timestamp authority).
func BenchmarkRenderAndSealEntryNotice(b *testing.B) {
	r, n := sealedRenderer(b), entry(b, 10)
	for b.Loop() {
		if _, err := r.Render(n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSealOnly seals a rendered one-page letter (RSA 2048 test seal,
// no timestamp authority).
func BenchmarkSealOnly(b *testing.B) {
	cert, key := testSealFiles(b)
	seal, err := LoadSeal(SealFiles{Certificate: cert, Key: key}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	pdf := mustRender(b, entry(b, 10))
	for b.Loop() {
		if _, err := seal.Sign(pdf, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
