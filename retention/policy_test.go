package retention

import (
	"testing"
	"time"
)

func TestPeriodsPerKindKeepIncluded_R4_2(t *testing.T) {
	p, err := New(10, "committee-decision=15, other=keep")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(2025, 6, 12, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		kind string
		want time.Time
	}{
		{"government-order", time.Date(2035, 6, 12, 0, 0, 0, 0, time.UTC)},
		{"committee-decision", time.Date(2040, 6, 12, 0, 0, 0, 0, time.UTC)},
		{"other", Forever},
	} {
		if got := p.Until(tc.kind, d); !got.Equal(tc.want) {
			t.Errorf("%s: %s, want %s", tc.kind, got, tc.want)
		}
	}
	if got := p.Until("government-order", time.Time{}); !got.Equal(Forever) {
		t.Errorf("no date: %s, want Forever", got)
	}
	keep, _ := New(0, "")
	if !keep.Until("other", d).Equal(Forever) {
		t.Error("0 years is keep")
	}
	for _, bad := range []string{"x", "a=0", "a=ten", "=5"} {
		if _, err := New(10, bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if s := p.String(); s != "default=10,committee-decision=15,other=keep" {
		t.Errorf("String: %s", s)
	}
}
