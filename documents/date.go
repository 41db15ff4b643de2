package documents

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Tallinn must resolve on hosts without a zoneinfo database.

	"go.mongodb.org/mongo-driver/v2/bson"
)

// tallinn is the register's time zone. Loaded once at init and never
// changed; the embedded tzdata guarantees it exists.
var tallinn = mustLoadLocation("Europe/Tallinn")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("documents: load time zone %s: %v", name, err))
	}
	return loc
}

// Tallinn returns the Europe/Tallinn location the register's dates live in.
func Tallinn() *time.Location { return tallinn }

// Date is a civil date (a day in the calendar, without time or zone), as
// base documents and register records carry them: the date of a decision,
// of issue, the first and last day of validity.
//
// In JSON a Date is the string "YYYY-MM-DD"; the zero Date is null (and
// fields tagged omitzero leave it out). In BSON a Date is stored as the same
// "YYYY-MM-DD" string, not as a BSON datetime: a string has no time zone to
// get wrong, sorts chronologically and reads plainly in the Mongo shell. The
// zero Date is stored as BSON null (and left out by omitempty). Reading BSON
// also accepts a datetime, taking its UTC calendar day.
//
// The zero value is "no date". Dates compare with ==, Before, After and
// Compare.
type Date struct {
	year  int
	month time.Month
	day   int
}

// dateLayout is the ISO 8601 calendar-date form used on the wire.
const dateLayout = "2006-01-02"

// ErrDateFormat is returned when a text is not a real date in YYYY-MM-DD form.
var ErrDateFormat = errors.New("date is not a real calendar date in YYYY-MM-DD form")

// NewDate returns the date year-month-day. It reports false when that is not
// a real calendar date in the years 1–9999.
func NewDate(year int, month time.Month, day int) (Date, bool) {
	if year < 1 || year > 9999 || month < time.January || month > time.December || day < 1 {
		return Date{}, false
	}
	if day > daysIn(year, month) {
		return Date{}, false
	}
	return Date{year: year, month: month, day: day}, true
}

// MustDate is NewDate for literals in tests and examples; it panics on an
// impossible date.
func MustDate(year int, month time.Month, day int) Date {
	d, ok := NewDate(year, month, day)
	if !ok {
		panic(fmt.Sprintf("documents: %04d-%02d-%02d is not a date", year, int(month), day))
	}
	return d
}

// ParseDate parses "YYYY-MM-DD" strictly: exactly ten characters, four-digit
// year, two-digit month and day, a real calendar date.
func ParseDate(s string) (Date, error) {
	if len(s) != len(dateLayout) || s[4] != '-' || s[7] != '-' {
		return Date{}, ErrDateFormat
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, ErrDateFormat
	}
	date, ok := NewDate(y, time.Month(m), d)
	if !ok {
		return Date{}, ErrDateFormat
	}
	return date, nil
}

// atoiDigits parses a string of ASCII digits only (no sign, no spaces).
func atoiDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// DateOf returns the calendar day that instant t falls on in Europe/Tallinn.
// This is how callers turn their clock's "now" into the "today" that
// validation takes: validation itself never reads the clock.
func DateOf(t time.Time) Date {
	y, m, d := t.In(tallinn).Date()
	return Date{year: y, month: m, day: d}
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Year, Month and Day return the parts of d.
func (d Date) Year() int         { return d.year }
func (d Date) Month() time.Month { return d.month }
func (d Date) Day() int          { return d.day }

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.year != e.year:
		return cmpInt(d.year, e.year)
	case d.month != e.month:
		return cmpInt(int(d.month), int(e.month))
	default:
		return cmpInt(d.day, e.day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns the date n calendar days after d (before, for negative n).
// The zero Date stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := time.Date(d.year, d.month, d.day+n, 0, 0, 0, 0, time.UTC).Date()
	return Date{year: y, month: m, day: day}
}

// Time returns the start of day d (00:00) in Europe/Tallinn. The zero Date
// gives the zero time.Time.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, tallinn)
}

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, int(d.month), d.day)
}

// MarshalJSON encodes d as "YYYY-MM-DD", the zero Date as null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON decodes "YYYY-MM-DD" or null. An empty string is not a date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("decode date: %w", ErrDateFormat)
	}
	parsed, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("decode date: %w", err)
	}
	*d = parsed
	return nil
}

// MarshalText and UnmarshalText let a Date be a map key or a form value.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "YYYY-MM-DD"; an empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// MarshalBSONValue stores d as the BSON string "YYYY-MM-DD", the zero Date
// as BSON null.
func (d Date) MarshalBSONValue() (byte, []byte, error) {
	if d.IsZero() {
		return byte(bson.TypeNull), nil, nil
	}
	t, data, err := bson.MarshalValue(d.String())
	if err != nil {
		return 0, nil, fmt.Errorf("encode date: %w", err)
	}
	return byte(t), data, nil
}

// UnmarshalBSONValue reads a BSON string "YYYY-MM-DD", null, or (for data
// written by other tools) a BSON datetime, whose UTC calendar day is taken.
func (d *Date) UnmarshalBSONValue(typ byte, data []byte) error {
	raw := bson.RawValue{Type: bson.Type(typ), Value: data}
	switch raw.Type {
	case bson.TypeNull, bson.TypeUndefined:
		*d = Date{}
		return nil
	case bson.TypeString:
		s, ok := raw.StringValueOK()
		if !ok {
			return fmt.Errorf("decode date: %w", ErrDateFormat)
		}
		parsed, err := ParseDate(s)
		if err != nil {
			return fmt.Errorf("decode date: %w", err)
		}
		*d = parsed
		return nil
	case bson.TypeDateTime:
		ms, ok := raw.DateTimeOK()
		if !ok {
			return fmt.Errorf("decode date: %w", ErrDateFormat)
		}
		y, m, day := time.UnixMilli(ms).UTC().Date()
		parsed, ok := NewDate(y, m, day)
		if !ok {
			return fmt.Errorf("decode date: %w", ErrDateFormat)
		}
		*d = parsed
		return nil
	default:
		return fmt.Errorf("decode date: BSON type %s is not a date", raw.Type)
	}
}
