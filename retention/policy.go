// Package retention is the retention policy of base documents and the data
// that exists because of them (SPEC.md R4.2, R18): how long each kind is
// kept after its date. The 2009 statute said ten years; the 2016 amendment
// repealed the period, so it is configuration, "keep" (no end) included.
package retention

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Forever is the retention date of what is kept without end: a real date,
// so that every stored file carries one and "kept" is not "missing".
var Forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Period is how long one kind is kept: Years after the document's date, or
// without end.
type Period struct {
	Years int
	Keep  bool
}

func (p Period) String() string {
	if p.Keep {
		return "keep"
	}
	return strconv.Itoa(p.Years)
}

// Policy is the retention period of each base-document kind: Default for
// kinds not named in Kinds.
type Policy struct {
	Default Period
	Kinds   map[string]Period
}

// Until is the retention date of a document of kind dated on date (the
// decision, order or directive date): the end of the period, or Forever
// (a period of no years, as in the zero Policy, is kept too).
func (p Policy) Until(kind string, date time.Time) time.Time {
	per, ok := p.Kinds[kind]
	if !ok {
		per = p.Default
	}
	if per.Keep || per.Years <= 0 || date.IsZero() {
		return Forever
	}
	return date.UTC().AddDate(per.Years, 0, 0)
}

// New makes a policy from the default number of years (0 or less: keep)
// and per-kind overrides written "kind=years" or "kind=keep", separated by
// commas: "committee-decision=15,government-order=keep".
func New(defaultYears int, overrides string) (Policy, error) {
	p := Policy{Default: Period{Years: defaultYears, Keep: defaultYears <= 0}, Kinds: map[string]Period{}}
	for part := range strings.SplitSeq(overrides, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kind, val, ok := strings.Cut(part, "=")
		kind, val = strings.TrimSpace(kind), strings.TrimSpace(val)
		if !ok || kind == "" {
			return p, fmt.Errorf("retention period %q: want kind=years or kind=keep", part)
		}
		if val == "keep" {
			p.Kinds[kind] = Period{Keep: true}
			continue
		}
		n, err := strconv.Atoi(val)
		if err != nil || n <= 0 {
			return p, fmt.Errorf("retention period %q: years must be a positive number or keep", part)
		}
		p.Kinds[kind] = Period{Years: n}
	}
	return p, nil
}

// String writes the policy as New reads it.
func (p Policy) String() string {
	kinds := make([]string, 0, len(p.Kinds))
	for k := range p.Kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var b strings.Builder
	b.WriteString("default=" + p.Default.String())
	for _, k := range kinds {
		b.WriteString("," + k + "=" + p.Kinds[k].String())
	}
	return b.String()
}
