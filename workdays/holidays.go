package workdays

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"gopkg.in/yaml.v3"
)

// Holidays is the table of public holidays (riigipühad) as data, so that a
// change of the law is a change of configuration, not of code. It has
// yearly holidays on a fixed month and day, holidays at a fixed offset from
// Easter Sunday, and one-off corrections for single dates.
//
// In YAML (JSON works too, with the same keys):
//
//	fixed:
//	  - {month: 1, day: 1, name: uusaasta}
//	easter:
//	  - {offset: -2, name: suur reede}
//	extra:
//	  - {date: 2027-06-25, name: ühekordne puhkepäev}
//	removed:
//	  - 2027-12-24
type Holidays struct {
	// Fixed holidays fall on the same month and day every year.
	Fixed []FixedHoliday `json:"fixed" yaml:"fixed"`
	// Easter holidays fall Offset days from Easter Sunday (Good Friday -2).
	Easter []EasterHoliday `json:"easter" yaml:"easter"`
	// Extra are one-off holidays on a single date.
	Extra []DatedHoliday `json:"extra,omitempty" yaml:"extra,omitempty"`
	// Removed are single dates that the rules above would make holidays
	// but that are not (a one-off change of the law).
	Removed []Date `json:"removed,omitempty" yaml:"removed,omitempty"`
}

// FixedHoliday is a holiday on the same month and day every year.
type FixedHoliday struct {
	Month time.Month `json:"month" yaml:"month"`
	Day   int        `json:"day" yaml:"day"`
	Name  string     `json:"name" yaml:"name"`
}

// EasterHoliday is a holiday Offset days after Easter Sunday (negative:
// before it).
type EasterHoliday struct {
	Offset int    `json:"offset" yaml:"offset"`
	Name   string `json:"name" yaml:"name"`
}

// DatedHoliday is a one-off holiday on a single date.
type DatedHoliday struct {
	Date Date   `json:"date" yaml:"date"`
	Name string `json:"name" yaml:"name"`
}

// Holiday is one public holiday of a given year, as Calendar.Holidays lists it.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// DefaultHolidays returns the Estonian public holidays of the Public
// Holidays and Days of National Importance Act (pühade ja tähtpäevade
// seadus § 2) as in force since 2005.
func DefaultHolidays() Holidays {
	return Holidays{
		Fixed: []FixedHoliday{
			{Month: time.January, Day: 1, Name: "uusaasta"},
			{Month: time.February, Day: 24, Name: "iseseisvuspäev, Eesti Vabariigi aastapäev"},
			{Month: time.May, Day: 1, Name: "kevadpüha"},
			{Month: time.June, Day: 23, Name: "võidupüha"},
			{Month: time.June, Day: 24, Name: "jaanipäev"},
			{Month: time.August, Day: 20, Name: "taasiseseisvumispäev"},
			{Month: time.December, Day: 24, Name: "jõululaupäev"},
			{Month: time.December, Day: 25, Name: "esimene jõulupüha"},
			{Month: time.December, Day: 26, Name: "teine jõulupüha"},
		},
		Easter: []EasterHoliday{
			{Offset: -2, Name: "suur reede"},
			{Offset: 0, Name: "ülestõusmispühade 1. püha"},
			{Offset: 49, Name: "nelipühade 1. püha"},
		},
	}
}

// maxEasterOffset bounds Easter offsets: every movable feast of the
// Western church lies within this many days of Easter Sunday.
const maxEasterOffset = 200

// ParseHolidays reads a holiday table from YAML or JSON (JSON is YAML) and
// validates it. Unknown keys are an error, so that a typo does not
// silently drop a holiday.
func ParseHolidays(data []byte) (Holidays, error) {
	return ReadHolidays(bytes.NewReader(data))
}

// ReadHolidays is ParseHolidays reading from r.
func ReadHolidays(r io.Reader) (Holidays, error) {
	var h Holidays
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&h); err != nil {
		if errors.Is(err, io.EOF) {
			return Holidays{}, errors.New("read holidays: empty table")
		}
		return Holidays{}, fmt.Errorf("read holidays: %w", err)
	}
	if err := h.Validate(); err != nil {
		return Holidays{}, fmt.Errorf("read holidays: %w", err)
	}
	return h, nil
}

// Validate checks that every entry names a real day and has a name, and
// that no entry is listed twice.
func (h Holidays) Validate() error {
	var errs []error
	fixed := map[[2]int]bool{}
	for i, f := range h.Fixed {
		// 2000 is a leap year, so 29 February is allowed.
		if f.Month < time.January || f.Month > time.December || f.Day < 1 ||
			f.Day > time.Date(2000, f.Month+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			errs = append(errs, fmt.Errorf("fixed[%d]: no day %d in month %d", i, f.Day, f.Month))
		}
		key := [2]int{int(f.Month), f.Day}
		if fixed[key] {
			errs = append(errs, fmt.Errorf("fixed[%d]: %02d-%02d listed twice", i, f.Month, f.Day))
		}
		fixed[key] = true
		if f.Name == "" {
			errs = append(errs, fmt.Errorf("fixed[%d]: missing name", i))
		}
	}
	offsets := map[int]bool{}
	for i, e := range h.Easter {
		if e.Offset < -maxEasterOffset || e.Offset > maxEasterOffset {
			errs = append(errs, fmt.Errorf("easter[%d]: offset %d outside ±%d", i, e.Offset, maxEasterOffset))
		}
		if offsets[e.Offset] {
			errs = append(errs, fmt.Errorf("easter[%d]: offset %d listed twice", i, e.Offset))
		}
		offsets[e.Offset] = true
		if e.Name == "" {
			errs = append(errs, fmt.Errorf("easter[%d]: missing name", i))
		}
	}
	extra := map[Date]bool{}
	for i, x := range h.Extra {
		if x.Date.IsZero() {
			errs = append(errs, fmt.Errorf("extra[%d]: missing date", i))
		}
		if extra[x.Date] {
			errs = append(errs, fmt.Errorf("extra[%d]: %s listed twice", i, x.Date))
		}
		extra[x.Date] = true
		if x.Name == "" {
			errs = append(errs, fmt.Errorf("extra[%d]: missing name", i))
		}
	}
	for i, d := range h.Removed {
		if d.IsZero() {
			errs = append(errs, fmt.Errorf("removed[%d]: missing date", i))
		}
		if extra[d] {
			errs = append(errs, fmt.Errorf("removed[%d]: %s is also an extra holiday", i, d))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid holiday table: %w", err)
	}
	return nil
}

// Fingerprint returns a short stable hash of the table. A workflow can
// record it next to a deadline computed from the table, so that a later
// change of the table is visible in the workflow's history.
func (h Holidays) Fingerprint() string {
	sum := sha256.New()
	for _, f := range h.Fixed {
		fmt.Fprintf(sum, "fixed %d %d %q\n", f.Month, f.Day, f.Name)
	}
	for _, e := range h.Easter {
		fmt.Fprintf(sum, "easter %d %q\n", e.Offset, e.Name)
	}
	for _, x := range h.Extra {
		fmt.Fprintf(sum, "extra %s %q\n", x.Date, x.Name)
	}
	for _, d := range h.Removed {
		fmt.Fprintf(sum, "removed %s\n", d)
	}
	return hex.EncodeToString(sum.Sum(nil)[:8])
}
