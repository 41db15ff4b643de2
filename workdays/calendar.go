// Package workdays is the Estonian working-day calendar that the statute's
// periods are counted in (R11.2, R12.1–R12.3, R14.2).
//
// A working day (tööpäev) is Monday to Friday that is not a public holiday
// (riigipüha). A period of N working days counts from the day after the
// event and ends at the end of its last day, 23:59:59 Europe/Tallinn.
//
// The package is pure: it reads no clock, no environment and no files
// (the zone database is compiled in through time/tzdata), so that its
// results, computed in a Temporal activity and recorded in a workflow's
// history, are the same wherever and whenever they are computed. The
// holiday table is data (Holidays), loadable from YAML or JSON; record
// Holidays.Fingerprint with a computed deadline to see which table made it.
//
// Two representations of a day are used: Date, a civil date without time or
// zone, on which the holiday rules work; and time.Time instants, which the
// calendar turns into Dates in its zone. Deadlines are returned as instants
// at the end of the last day (23:59:59, whole seconds, so that they survive
// millisecond storage unchanged); use Overdue to compare with them.
package workdays

import (
	"fmt"
	"slices"
	"time"

	// The zone database is compiled in: the calendar must work on a machine
	// without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Zone is the IANA name of the zone in which Estonian days begin and end.
const Zone = "Europe/Tallinn"

// LoadTallinn returns the Europe/Tallinn location from the compiled-in zone
// database.
func LoadTallinn() (*time.Location, error) {
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		return nil, fmt.Errorf("load zone %s: %w", Zone, err)
	}
	return loc, nil
}

// Calendar decides working days from a holiday table in a zone. It is
// immutable and safe for concurrent use.
type Calendar struct {
	table       Holidays
	loc         *time.Location
	fixed       map[[2]int]string
	extra       map[Date]string
	removed     map[Date]bool
	reminderH   int
	reminderM   int
	fingerprint string
}

// Option changes a Calendar made by New.
type Option func(*Calendar) error

// WithReminderTime sets the time of day at which ReminderAt falls
// (default 09:00).
func WithReminderTime(hour, minute int) Option {
	return func(c *Calendar) error {
		if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
			return fmt.Errorf("reminder time %02d:%02d is not a time of day", hour, minute)
		}
		c.reminderH, c.reminderM = hour, minute
		return nil
	}
}

// New returns a calendar of the holidays h in loc.
func New(h Holidays, loc *time.Location, opts ...Option) (*Calendar, error) {
	if loc == nil {
		return nil, fmt.Errorf("new calendar: missing location")
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("new calendar: %w", err)
	}
	c := &Calendar{
		table:       cloneHolidays(h),
		loc:         loc,
		fixed:       make(map[[2]int]string, len(h.Fixed)),
		extra:       make(map[Date]string, len(h.Extra)),
		removed:     make(map[Date]bool, len(h.Removed)),
		reminderH:   9,
		fingerprint: h.Fingerprint(),
	}
	for _, f := range h.Fixed {
		c.fixed[[2]int{int(f.Month), f.Day}] = f.Name
	}
	for _, x := range h.Extra {
		c.extra[x.Date] = x.Name
	}
	for _, d := range h.Removed {
		c.removed[d] = true
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("new calendar: %w", err)
		}
	}
	return c, nil
}

// Default returns the calendar of DefaultHolidays in Europe/Tallinn.
func Default(opts ...Option) (*Calendar, error) {
	loc, err := LoadTallinn()
	if err != nil {
		return nil, err
	}
	return New(DefaultHolidays(), loc, opts...)
}

func cloneHolidays(h Holidays) Holidays {
	return Holidays{
		Fixed:   slices.Clone(h.Fixed),
		Easter:  slices.Clone(h.Easter),
		Extra:   slices.Clone(h.Extra),
		Removed: slices.Clone(h.Removed),
	}
}

// Location returns the calendar's zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Table returns a copy of the calendar's holiday table.
func (c *Calendar) Table() Holidays { return cloneHolidays(c.table) }

// Fingerprint returns the fingerprint of the calendar's holiday table.
func (c *Calendar) Fingerprint() string { return c.fingerprint }

// DateOf returns the civil date of the instant t in the calendar's zone.
func (c *Calendar) DateOf(t time.Time) Date { return DateIn(t, c.loc) }

// StartOfDay returns 00:00:00 of d in the calendar's zone.
func (c *Calendar) StartOfDay(d Date) time.Time { return d.At(0, 0, 0, c.loc) }

// EndOfDay returns 23:59:59 of d in the calendar's zone: the instant at
// which a period whose last day is d ends.
func (c *Calendar) EndOfDay(d Date) time.Time { return d.At(23, 59, 59, c.loc) }

// HolidayName returns the name of the public holiday on d, if d is one.
func (c *Calendar) HolidayName(d Date) (string, bool) {
	if c.removed[d] {
		return "", false
	}
	if name, ok := c.extra[d]; ok {
		return name, true
	}
	if name, ok := c.fixed[[2]int{int(d.Month), d.Day}]; ok {
		return name, true
	}
	if len(c.table.Easter) == 0 {
		return "", false
	}
	// With offsets within ±maxEasterOffset days, a holiday on d comes from
	// the Easter of d's year or, for a negative offset, of the next year.
	for _, y := range [2]int{d.Year, d.Year + 1} {
		easter := Easter(y)
		for _, e := range c.table.Easter {
			if easter.AddDays(e.Offset) == d {
				return e.Name, true
			}
		}
	}
	return "", false
}

// HolidaysIn lists the public holidays of year in date order.
func (c *Calendar) HolidaysIn(year int) []Holiday {
	var out []Holiday
	for d := NewDate(year, time.January, 1); d.Year == year; d = d.AddDays(1) {
		if name, ok := c.HolidayName(d); ok {
			out = append(out, Holiday{Date: d, Name: name})
		}
	}
	return out
}

// IsWorkingDate reports whether d is a working day: Monday to Friday and
// not a public holiday.
func (c *Calendar) IsWorkingDate(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	_, holiday := c.HolidayName(d)
	return !holiday
}

// IsWorkingDay reports whether the instant t falls on a working day in the
// calendar's zone.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.IsWorkingDate(c.DateOf(t)) }

// ShiftWorkingDays returns the n-th working day after d for n > 0, the
// |n|-th working day before d for n < 0, and d itself (working day or not)
// for n = 0.
func (c *Calendar) ShiftWorkingDays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDate(d) {
			n--
		}
	}
	return d
}

// AddWorkingDays returns the deadline of a period of n working days that
// starts with event: the period counts from the day after the event's day
// (in the calendar's zone), so an event on a weekend or holiday counts from
// the next working day, and it ends at 23:59:59 of its n-th working day.
// For n = 0 the deadline is the end of the event's own day.
func (c *Calendar) AddWorkingDays(event time.Time, n int) time.Time {
	return c.EndOfDay(c.ShiftWorkingDays(c.DateOf(event), n))
}

// WorkingDaysBefore returns the start (00:00) of the working day that is n
// working days before the deadline's day, as for a reminder "3 working days
// before the deadline". For n = 0 it is the start of the deadline's day.
func (c *Calendar) WorkingDaysBefore(deadline time.Time, n int) time.Time {
	return c.StartOfDay(c.ShiftWorkingDays(c.DateOf(deadline), -n))
}

// ReminderAt is WorkingDaysBefore at the calendar's reminder time of day
// (default 09:00) instead of 00:00; for n = 0 it is the reminder "on the
// day" of the deadline.
func (c *Calendar) ReminderAt(deadline time.Time, n int) time.Time {
	return c.ShiftWorkingDays(c.DateOf(deadline), -n).At(c.reminderH, c.reminderM, 0, c.loc)
}

// WorkingDaysBetween counts the working days after a's day up to and
// including b's day, so that WorkingDaysBetween(e, AddWorkingDays(e, n))
// is n. It is negative when b's day is before a's day.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	from, to := c.DateOf(a), c.DateOf(b)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDate(d) {
			n++
		}
	}
	return sign * n
}

// Overdue reports whether now is past the deadline's day: an act on the
// deadline's last day, at any second of it, is in time.
func (c *Calendar) Overdue(now, deadline time.Time) bool {
	return c.DateOf(now).After(c.DateOf(deadline))
}
