package store

import (
	"fmt"
	"slices"
	"testing"
)

func TestKeyRangesCoverEachSeriesWithOneRange(t *testing.T) {
	series := func(prefix string, from, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s%07d", prefix, from+i))
		}
		return out
	}
	cases := []struct {
		name string
		ids  []string
		max  int
		want [][2]string
	}{
		{"none", nil, 16, nil},
		{"one", []string{"2-A1"}, 16, [][2]string{{"2-A1", "2-A1"}}},
		{"one series of 10,000 numbers", series("2-G", 1, 10_000), 16,
			[][2]string{{"2-G0000001", "2-G0010000"}}},
		{"two series and two types", slices.Concat(series("1-K", 5, 3), series("2-G", 1, 3), series("2-H", 1, 2)), 16,
			[][2]string{{"1-K0000005", "1-K0000007"}, {"2-G0000001", "2-G0000003"}, {"2-H0000001", "2-H0000002"}}},
		{"a series that skips more numbers than there are ids", slices.Concat(series("2-G", 1, 3), series("2-G", 500, 2)), 16,
			[][2]string{{"2-G0000001", "2-G0000003"}, {"2-G0000500", "2-G0000501"}}},
		{"a small skip stays in the range", slices.Concat(series("2-G", 1, 3), series("2-G", 6, 2)), 16,
			[][2]string{{"2-G0000001", "2-G0000007"}}},
		{"numbers of different lengths", []string{"2-100", "2-99"}, 16, [][2]string{{"2-100", "2-100"}, {"2-99", "2-99"}}},
		{"more series than ranges: the last ones share", []string{"2-A1", "2-B1", "2-C1", "2-D1"}, 2,
			[][2]string{{"2-A1", "2-A1"}, {"2-B1", "2-D1"}}},
		{"the widest skips are cut first", []string{"2-G0000001", "2-G0000100", "2-G0090000"}, 2,
			[][2]string{{"2-G0000001", "2-G0000100"}, {"2-G0090000", "2-G0090000"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := keyRanges(c.ids, c.max); !slices.Equal(got, c.want) {
				t.Errorf("keyRanges = %v, want %v", got, c.want)
			}
		})
	}
}
