package store

import (
	"strings"
	"testing"
)

func TestSizedLRUKeepsWithinItsBudget(t *testing.T) {
	l := newSizedLRU(4, 100, func(s string) int { return len(s) })
	l.Add("a", strings.Repeat("a", 40))
	l.Add("b", strings.Repeat("b", 40))
	l.Get("a")                            // a is used after b
	l.Add("c", strings.Repeat("c", 40))   // 120 > 100: b goes
	l.Add("big", strings.Repeat("x", 51)) // over half the budget: not kept
	l.Add("a", "again")                   // kept already: unchanged
	for _, c := range []struct {
		key  string
		kept bool
	}{{"a", true}, {"b", false}, {"c", true}, {"big", false}} {
		v, ok := l.Get(c.key)
		if ok != c.kept {
			t.Errorf("%s kept %v, want %v", c.key, ok, c.kept)
		}
		if ok && len(v) != 40 {
			t.Errorf("%s is %d bytes, want the 40 first added", c.key, len(v))
		}
	}
	if l.bytes != 80 {
		t.Errorf("%d bytes counted, want 80", l.bytes)
	}
	for i := range 5 { // the count bounds it too
		l.Add(string(rune('d'+i)), "x")
	}
	if l.c.Len() != 4 || l.bytes > 100 {
		t.Errorf("%d values of %d bytes, want 4 within 100", l.c.Len(), l.bytes)
	}
}
