package activities_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/internal/devstack/devstacktest"
)

var testStack = devstacktest.Shared{Name: "activities"}

func TestMain(m *testing.M) {
	code := m.Run()
	testStack.Close()
	os.Exit(code)
}

// TestLetterReferenceIsKeptPerSubmissionAndCountedPerYear: every notice of
// a submission carries the same human reference; submissions get the next
// number of the year, also when they ask at once.
func TestLetterReferenceIsKeptPerSubmissionAndCountedPerYear(t *testing.T) {
	db := testStack.Database(t)
	ctx := context.Background()
	at := time.Date(2027, 3, 2, 10, 15, 0, 0, time.UTC)

	first, err := activities.LetterReference(ctx, db, "sub-a", at)
	if err != nil {
		t.Fatal(err)
	}
	if first != "KR-2027/000001" {
		t.Errorf("first reference %q, want KR-2027/000001", first)
	}
	again, err := activities.LetterReference(ctx, db, "sub-a", at.AddDate(1, 0, 0))
	if err != nil || again != first {
		t.Errorf("a later notice of the same submission got %q, %v; want %q", again, err, first)
	}

	const n = 8
	refs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ref, err := activities.LetterReference(ctx, db, fmt.Sprintf("sub-%d", i), at)
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
	if !seen["KR-2027/000009"] {
		t.Errorf("nine submissions got %v, want KR-2027/000001 to KR-2027/000009", refs)
	}
	next, err := activities.LetterReference(ctx, db, "sub-next-year", at.AddDate(1, 0, 0))
	if err != nil || next != "KR-2028/000001" {
		t.Errorf("first reference of 2028 is %q, %v; want KR-2028/000001", next, err)
	}
}
