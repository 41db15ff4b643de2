package documents_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/documents"
)

func TestPersonalCodeCheckDigit_R8(t *testing.T) {
	tests := []struct {
		name string
		code string
		want error
	}{
		{"spec vector valid", "36805280109", nil},
		{"spec vector wrong check digit", "36805280108", documents.ErrPersonalCodeCheckDigit},
		{"woman born 2001", "60109030478", nil},
		{"man born 1979", "37912305168", nil},
		// Weights 1…9,1 leave remainder 10; weights 3…9,1,2,3 give 5.
		{"second weights", "37912300005", nil},
		{"second weights, wrong digit", "37912300000", documents.ErrPersonalCodeCheckDigit},
		// Both rounds leave remainder 10: the check digit is 0.
		{"both rounds ten", "36805280600", nil},
		{"both rounds ten, wrong digit", "36805280601", documents.ErrPersonalCodeCheckDigit},
		{"woman born 1875", "27508141232", nil},
		{"too short", "3680528010", documents.ErrPersonalCodeFormat},
		{"too long", "368052801090", documents.ErrPersonalCodeFormat},
		{"letters", "3680528010X", documents.ErrPersonalCodeFormat},
		{"century digit 0", "06805280109", documents.ErrPersonalCodeFormat},
		{"century digit 7 not in use", "76805280109", documents.ErrPersonalCodeFormat},
		{"empty", "", documents.ErrPersonalCodeFormat},
		{"spaces", " 3680528010", documents.ErrPersonalCodeFormat},
		{"month 13", "36813280109", documents.ErrPersonalCodeDate},
		{"30 February", "36802300109", documents.ErrPersonalCodeDate},
		{"29 February 1900 (not a leap year)", "30002290000", documents.ErrPersonalCodeDate},
		{"day 00", "36805000109", documents.ErrPersonalCodeDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := documents.ParsePersonalCode(tt.code)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("ParsePersonalCode = %v, want %v", err, tt.want)
			}
			if got := documents.ValidPersonalCode(tt.code); got != (tt.want == nil) {
				t.Errorf("ValidPersonalCode = %v, want %v", got, tt.want == nil)
			}
		})
	}
}

func TestParsePersonalCodeGivesBirthDateAndSex_R8_1(t *testing.T) {
	tests := []struct {
		code  string
		birth documents.Date
		sex   documents.Sex
	}{
		{"36805280109", documents.MustDate(1968, time.May, 28), documents.Male},
		{"60109030478", documents.MustDate(2001, time.September, 3), documents.Female},
		{"49207080151", documents.MustDate(1992, time.July, 8), documents.Female},
		{"38503122749", documents.MustDate(1985, time.March, 12), documents.Male},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			pc, err := documents.ParsePersonalCode(tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if pc.BirthDate != tt.birth || pc.Sex != tt.sex {
				t.Errorf("got %s %s, want %s %s", pc.BirthDate, pc.Sex, tt.birth, tt.sex)
			}
		})
	}
}

func TestNewPersonalCodeRoundTrips_R8_1(t *testing.T) {
	for _, birth := range []documents.Date{
		documents.MustDate(1800, time.January, 1),
		documents.MustDate(1899, time.December, 31),
		documents.MustDate(1968, time.May, 28),
		documents.MustDate(2000, time.February, 29),
		documents.MustDate(2099, time.December, 31),
	} {
		for _, sex := range []documents.Sex{documents.Male, documents.Female} {
			for _, serial := range []int{0, 10, 999} {
				code, err := documents.NewPersonalCode(birth, sex, serial)
				if err != nil {
					t.Fatal(err)
				}
				pc, err := documents.ParsePersonalCode(code)
				if err != nil || pc.BirthDate != birth || pc.Sex != sex || pc.Serial != serial {
					t.Errorf("NewPersonalCode(%s, %s, %d) does not round-trip: %+v, %v", birth, sex, serial, pc, err)
				}
			}
		}
	}
	if code, err := documents.NewPersonalCode(documents.MustDate(1968, time.May, 28), documents.Male, 10); err != nil || code != "36805280109" {
		t.Errorf("NewPersonalCode = %q, %v; want the spec's 36805280109", code, err)
	}
	for _, bad := range []struct {
		birth  documents.Date
		sex    documents.Sex
		serial int
	}{
		{documents.Date{}, documents.Male, 1},
		{documents.MustDate(1799, time.December, 31), documents.Male, 1},
		{documents.MustDate(2100, time.January, 1), documents.Male, 1},
		{documents.MustDate(1990, time.January, 1), documents.Male, 1000},
		{documents.MustDate(1990, time.January, 1), documents.Sex("X"), 1},
	} {
		if _, err := documents.NewPersonalCode(bad.birth, bad.sex, bad.serial); err == nil {
			t.Errorf("NewPersonalCode(%v, %s, %d) succeeded", bad.birth, bad.sex, bad.serial)
		}
	}
}
