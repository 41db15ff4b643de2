package workdays

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEasterMatchesKnownDates(t *testing.T) {
	tests := []struct {
		year int
		want Date
	}{
		{1961, NewDate(1961, 4, 2)},
		{2000, NewDate(2000, 4, 23)},
		{2008, NewDate(2008, 3, 23)},
		{2011, NewDate(2011, 4, 24)},
		{2024, NewDate(2024, 3, 31)},
		{2025, NewDate(2025, 4, 20)},
		{2026, NewDate(2026, 4, 5)},
		{2027, NewDate(2027, 3, 28)},
		{2028, NewDate(2028, 4, 16)},
		{2038, NewDate(2038, 4, 25)},
	}
	for _, tc := range tests {
		t.Run(tc.want.String(), func(t *testing.T) {
			if got := Easter(tc.year); got != tc.want {
				t.Errorf("Easter(%d) = %s, want %s", tc.year, got, tc.want)
			}
		})
	}
}

func TestEasterHolidaysFollowEaster(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		day  Date
		name string
	}{
		{NewDate(2026, 4, 3), "suur reede"},
		{NewDate(2026, 4, 5), "ülestõusmispühade 1. püha"},
		{NewDate(2026, 5, 24), "nelipühade 1. püha"},
		{NewDate(2027, 3, 26), "suur reede"},
		{NewDate(2027, 5, 16), "nelipühade 1. püha"},
	}
	for _, tc := range tests {
		t.Run(tc.day.String(), func(t *testing.T) {
			name, ok := c.HolidayName(tc.day)
			if !ok || name != tc.name {
				t.Errorf("HolidayName(%s) = %q, %v; want %q", tc.day, name, ok, tc.name)
			}
		})
	}
}

func TestHolidayTableFileEqualsDefault(t *testing.T) {
	b, err := os.ReadFile("testdata/holidays.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseHolidays(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h, DefaultHolidays()) {
		t.Errorf("testdata/holidays.yaml = %+v, want DefaultHolidays()", h)
	}
	if h.Fingerprint() != DefaultHolidays().Fingerprint() {
		t.Error("equal tables have different fingerprints")
	}
}

func TestParseHolidaysFromJSONWithOneOffs(t *testing.T) {
	h, err := ParseHolidays([]byte(`{
		"fixed": [{"month": 1, "day": 1, "name": "uusaasta"}],
		"easter": [{"offset": -2, "name": "suur reede"}],
		"extra": [{"date": "2027-06-25", "name": "ühekordne puhkepäev"}],
		"removed": ["2027-01-01"]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Holidays{
		Fixed:   []FixedHoliday{{Month: time.January, Day: 1, Name: "uusaasta"}},
		Easter:  []EasterHoliday{{Offset: -2, Name: "suur reede"}},
		Extra:   []DatedHoliday{{Date: NewDate(2027, 6, 25), Name: "ühekordne puhkepäev"}},
		Removed: []Date{NewDate(2027, 1, 1)},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("ParseHolidays = %+v, want %+v", h, want)
	}
}

func TestParseHolidaysRejectsBadTables(t *testing.T) {
	tests := []struct {
		name, yaml, wantErr string
	}{
		{"empty", ``, "empty"},
		{"unknown key", "fixd: []", "fixd"},
		{"no such day", "fixed: [{month: 2, day: 30, name: x}]", "no day 30"},
		{"month 13", "fixed: [{month: 13, day: 1, name: x}]", "month 13"},
		{"missing name", "fixed: [{month: 1, day: 1}]", "missing name"},
		{"duplicate", "fixed: [{month: 1, day: 1, name: a}, {month: 1, day: 1, name: b}]", "twice"},
		{"offset too far", "easter: [{offset: 400, name: x}]", "offset 400"},
		{"bad date", "extra: [{date: 2027-02-30, name: x}]", "2027-02-30"},
		{"removed and extra", "extra: [{date: 2027-06-25, name: x}]\nremoved: [2027-06-25]", "also an extra"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHolidays([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseHolidays(%q) error = %v, want one containing %q", tc.yaml, err, tc.wantErr)
			}
		})
	}
}

func TestDateTextRoundTrip(t *testing.T) {
	d := NewDate(2027, 1, 6)
	b, err := d.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back Date
	if err := back.UnmarshalText(b); err != nil {
		t.Fatal(err)
	}
	if back != d || string(b) != "2027-01-06" || d.Estonian() != "06.01.2027" {
		t.Errorf("round trip %s -> %s -> %s (%s)", d, b, back, d.Estonian())
	}
	if NewDate(2027, 4, 31) != NewDate(2027, 5, 1) {
		t.Error("NewDate does not normalise 31 April")
	}
}
