package workdays

import (
	"fmt"
	"time"
)

// Date is a civil date: a day in the calendar, without a time of day or a
// zone. The calendar decides working days on Dates; instants (time.Time) are
// turned into Dates in the calendar's zone (Europe/Tallinn) first.
//
// The zero Date is not a valid day; IsZero reports it. Dates are comparable
// with == and ordered by Compare. They marshal to and from "2006-01-02"
// (ISO 8601) in JSON and YAML.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is the text form of a Date.
const dateLayout = "2006-01-02"

// NewDate returns the Date y-m-d, normalised as time.Date normalises
// (31 April becomes 1 May).
func NewDate(y int, m time.Month, d int) Date {
	return dateOfUTC(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateIn returns the civil date of the instant t in loc.
func DateIn(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return dateOfUTC(t), nil
}

func dateOfUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// utc returns midnight UTC of d, the zone-free form used for arithmetic.
func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the date n calendar days after d (before it for n < 0).
func (d Date) AddDays(n int) Date { return dateOfUTC(d.utc().AddDate(0, 0, n)) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.utc().Compare(e.utc()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// At returns the instant at hour:min:sec on d in loc.
func (d Date) At(hour, min, sec int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, sec, 0, loc)
}

// String returns d as "2006-01-02".
func (d Date) String() string { return d.utc().Format(dateLayout) }

// Estonian returns d as "02.01.2006", the form used in letters.
func (d Date) Estonian() string { return d.utc().Format("02.01.2006") }

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
