package notices

import (
	"strings"
	"testing"
)

func TestLettersKeepEstonianAndReplaceWhatTheFontsLack(t *testing.T) {
	m, err := loadMetrics()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"õäöüšž ÕÄÖÜŠŽ", "õäöüšž ÕÄÖÜŠŽ"},
		{"„Tere“ – … €", "„Tere“ – … €"},
		{"Łódź, Ąžuolas, Ящик", "Łódź, Ąžuolas, Ящик"},
		{"a\tb\nc", "a b c"},
		{"日本", "??"},
		{"\U0001F600", "?"},
	}
	for _, tc := range tests {
		if got := m.safe(tc.in); got != tc.want {
			t.Errorf("safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactPersonalCodes_R15_1(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Isikukood 36805280109 on vale", "Isikukood [isikukood] on vale"},
		{"36805280108,49403136526", "[isikukood],[isikukood]"},
		{"tunnistus 123456, otsus 2027-12", "tunnistus 123456, otsus 2027-12"},
		{"kood 368052801090 (12 numbrit)", "kood 368052801090 (12 numbrit)"},
		{"kood 76805280109 (sajand 7)", "kood 76805280109 (sajand 7)"},
		{"kood 36813280109 (kuu 13)", "kood 36813280109 (kuu 13)"},
	}
	for _, tc := range tests {
		if got := redact(tc.in); got != tc.want {
			t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWrapBreaksLongFieldPathsAtDots(t *testing.T) {
	m, err := loadMetrics()
	if err != nil {
		t.Fatal(err)
	}
	path := "payload.certificates[12].competences[3].assessment.method"
	lines := m.wrap(path, regular, 9, 100)
	if len(lines) < 2 || strings.Join(lines, "") != path {
		t.Fatalf("wrap = %q", lines)
	}
	for _, l := range lines {
		if w := m.width(l, regular, 9); w > 100 {
			t.Errorf("line %q is %.1f pt wide, more than 100", l, w)
		}
	}
	for i, l := range lines[:len(lines)-1] {
		if !strings.HasSuffix(l, ".") && !strings.HasSuffix(l, "]") && !strings.HasPrefix(lines[i+1], "[") {
			t.Errorf("line %q does not end at a path separator", l)
		}
	}
}
