package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestLetterReferenceIsKeptPerSubmissionAndCountedPerYear: every notice of
// a submission carries the same human reference; submissions get the next
// number of the year, also when they ask at once, and never share one.
func TestLetterReferenceIsKeptPerSubmissionAndCountedPerYear(t *testing.T) {
	ctx := context.Background()
	st := mustOpenStore(t)

	first, err := st.LetterReference(ctx, "sub-a", 2027)
	if err != nil {
		t.Fatal(err)
	}
	if first != "KR-2027/000001" {
		t.Errorf("first reference %q, want KR-2027/000001", first)
	}
	again, err := st.LetterReference(ctx, "sub-a", 2028)
	if err != nil || again != first {
		t.Errorf("a later notice of the same submission got %q, %v; want %q", again, err, first)
	}

	const n = 8
	refs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ref, err := st.LetterReference(ctx, fmt.Sprintf("sub-%d", i), 2027)
			if err != nil {
				t.Error(err)
			}
			refs[i] = ref
		})
	}
	wg.Wait()
	seen := map[string]bool{first: true}
	for _, r := range refs {
		if seen[r] {
			t.Errorf("reference %s given twice: %v", r, refs)
		}
		seen[r] = true
	}
	for i := 1; i <= n+1; i++ {
		if want := fmt.Sprintf("KR-2027/%06d", i); !seen[want] {
			t.Errorf("nine submissions got %v, want KR-2027/000001 to KR-2027/000009 (no %s)", refs, want)
		}
	}
	next, err := st.LetterReference(ctx, "sub-next-year", 2028)
	if err != nil || next != "KR-2028/000001" {
		t.Errorf("first reference of 2028 is %q, %v; want KR-2028/000001", next, err)
	}
}
