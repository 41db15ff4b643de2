package workdays

import (
	"testing"
	"time"
)

// mustDefault returns the default calendar or stops the test.
func mustDefault(tb testing.TB, opts ...Option) *Calendar {
	tb.Helper()
	c, err := Default(opts...)
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return c
}

// at returns the instant y-m-d h:mi in Tallinn.
func at(tb testing.TB, y int, m time.Month, d, h, mi int) time.Time {
	tb.Helper()
	loc, err := LoadTallinn()
	if err != nil {
		tb.Fatal(err)
	}
	return time.Date(y, m, d, h, mi, 0, 0, loc)
}

// deadlineCase is one period: an event, a number of working days, and the
// expected last day of the period.
type deadlineCase struct {
	name  string
	event time.Time
	n     int
	want  Date
}

// checkDeadlines checks that each period ends at 23:59:59 Tallinn of its
// expected last day, and that counting back gives n again.
func checkDeadlines(t *testing.T, c *Calendar, cases []deadlineCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.AddWorkingDays(tc.event, tc.n)
			want := time.Date(tc.want.Year, tc.want.Month, tc.want.Day, 23, 59, 59, 0, c.Location())
			if !got.Equal(want) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", tc.event, tc.n, got, want)
			}
			if got.Location() != c.Location() {
				t.Errorf("deadline in %s, want %s", got.Location(), c.Location())
			}
			if n := c.WorkingDaysBetween(tc.event, got); n != tc.n {
				t.Errorf("WorkingDaysBetween(event, deadline) = %d, want %d", n, tc.n)
			}
		})
	}
}

func TestEntryDeadlineAcrossChristmas_R12_1(t *testing.T) {
	c := mustDefault(t)
	checkDeadlines(t, c, []deadlineCase{
		// Fri 18.12.2026 + 10: 21, 22, 23 Dec; 24–26 Dec holidays; 28–31 Dec;
		// 1 Jan holiday; 4, 5, 6 Jan.
		{"received Fri 18.12.2026, ten days end Wed 06.01.2027", at(t, 2026, 12, 18, 14, 30), 10, NewDate(2027, 1, 6)},
		{"received Wed 23.12.2026, one day is Mon 28.12.2026", at(t, 2026, 12, 23, 10, 0), 1, NewDate(2026, 12, 28)},
		{"received Thu 31.12.2026, one day is Mon 04.01.2027", at(t, 2026, 12, 31, 10, 0), 1, NewDate(2027, 1, 4)},
	})
}

func TestEntryDeadlineAcrossEaster_R12_1(t *testing.T) {
	c := mustDefault(t)
	checkDeadlines(t, c, []deadlineCase{
		// Good Friday 26.03.2027 is a holiday, Easter Monday is not.
		{"received Mon 22.03.2027, ten days end Tue 06.04.2027", at(t, 2027, 3, 22, 9, 0), 10, NewDate(2027, 4, 6)},
		{"received Thu 25.03.2027, one day is Mon 29.03.2027", at(t, 2027, 3, 25, 9, 0), 1, NewDate(2027, 3, 29)},
		// Good Friday 03.04.2026.
		{"received Tue 31.03.2026, five days end Wed 08.04.2026", at(t, 2026, 3, 31, 9, 0), 5, NewDate(2026, 4, 8)},
		{"received Thu 02.04.2026, one day is Mon 06.04.2026", at(t, 2026, 4, 2, 16, 0), 1, NewDate(2026, 4, 6)},
	})
}

func TestEntryDeadlineAcrossMidsummer_R12_1(t *testing.T) {
	c := mustDefault(t)
	checkDeadlines(t, c, []deadlineCase{
		// 23 and 24 June 2026 are Tuesday and Wednesday.
		{"received Fri 19.06.2026, three days end Fri 26.06.2026", at(t, 2026, 6, 19, 12, 0), 3, NewDate(2026, 6, 26)},
		// 23 and 24 June 2027 are Wednesday and Thursday.
		{"received Tue 22.06.2027, one day is Fri 25.06.2027", at(t, 2027, 6, 22, 12, 0), 1, NewDate(2027, 6, 25)},
	})
}

func TestSubmissionDeadlineAcrossIndependenceDay_R11_2(t *testing.T) {
	c := mustDefault(t)
	checkDeadlines(t, c, []deadlineCase{
		// Decision Tue 17.02.2026; Tue 24.02.2026 is Independence Day.
		{"decision Tue 17.02.2026, ten days end Wed 04.03.2026", at(t, 2026, 2, 17, 0, 0), 10, NewDate(2026, 3, 4)},
		// 1 May 2026 is a Friday, 20 August 2026 a Thursday.
		{"decision Thu 30.04.2026, one day is Mon 04.05.2026", at(t, 2026, 4, 30, 0, 0), 1, NewDate(2026, 5, 4)},
		{"decision Wed 19.08.2026, one day is Fri 21.08.2026", at(t, 2026, 8, 19, 0, 0), 1, NewDate(2026, 8, 21)},
	})
}

func TestDeadlineAcrossDaylightSavingChange_R12_1(t *testing.T) {
	c := mustDefault(t)
	checkDeadlines(t, c, []deadlineCase{
		// Clocks go forward on Sun 29.03.2026 and back on Sun 25.10.2026.
		{"spring: Fri 27.03.2026 + 1 is Mon 30.03.2026", at(t, 2026, 3, 27, 23, 30), 1, NewDate(2026, 3, 30)},
		{"autumn: Fri 23.10.2026 + 1 is Mon 26.10.2026", at(t, 2026, 10, 23, 23, 30), 1, NewDate(2026, 10, 26)},
		// Sun 28.03.2027 is both Easter and the spring change.
		{"Easter and spring change together: Sat 27.03.2027 + 1 is Mon 29.03.2027", at(t, 2027, 3, 27, 12, 0), 1, NewDate(2027, 3, 29)},
	})
	// The deadline's offset is the one in force on that day.
	spring := c.AddWorkingDays(at(t, 2026, 3, 27, 12, 0), 1)
	if _, off := spring.Zone(); off != 3*3600 {
		t.Errorf("deadline after spring change has offset %d s, want +03:00", off)
	}
	autumn := c.AddWorkingDays(at(t, 2026, 10, 23, 12, 0), 1)
	if _, off := autumn.Zone(); off != 2*3600 {
		t.Errorf("deadline after autumn change has offset %d s, want +02:00", off)
	}
	if got, want := autumn.UTC(), time.Date(2026, 10, 26, 21, 59, 59, 0, time.UTC); !got.Equal(want) {
		t.Errorf("autumn deadline = %s UTC, want %s", got, want)
	}
}

func TestPeriodCountsFromDayAfterEvent_R12_1(t *testing.T) {
	c := mustDefault(t)
	checkDeadlines(t, c, []deadlineCase{
		{"event on Saturday counts from Monday", at(t, 2026, 12, 19, 10, 0), 1, NewDate(2026, 12, 21)},
		{"event on Sunday counts from Monday", at(t, 2026, 12, 20, 10, 0), 2, NewDate(2026, 12, 22)},
		{"event on a holiday counts from the next working day", at(t, 2026, 12, 24, 10, 0), 1, NewDate(2026, 12, 28)},
		{"event late on Friday is still Friday", at(t, 2026, 12, 18, 23, 59), 1, NewDate(2026, 12, 21)},
		{"zero days end the same day", at(t, 2026, 12, 18, 14, 0), 0, NewDate(2026, 12, 18)},
		{"zero days on a holiday end that day", at(t, 2026, 12, 25, 14, 0), 0, NewDate(2026, 12, 25)},
	})
}

func TestEventDayIsTakenInTallinnNotUTC_R12_1(t *testing.T) {
	c := mustDefault(t)
	// 22:30 UTC on Thu 17.12.2026 is 00:30 on Fri 18.12.2026 in Tallinn.
	event := time.Date(2026, 12, 17, 22, 30, 0, 0, time.UTC)
	got := c.AddWorkingDays(event, 1)
	if want := NewDate(2026, 12, 21); c.DateOf(got) != want {
		t.Fatalf("deadline day = %s, want %s (Friday in Tallinn + 1)", c.DateOf(got), want)
	}
}

func TestExtensionOfTwentyWorkingDays_R12_3(t *testing.T) {
	c := mustDefault(t)
	original := c.AddWorkingDays(at(t, 2026, 12, 18, 14, 30), 10) // 06.01.2027
	extended := c.AddWorkingDays(original, 20)
	if want := NewDate(2027, 2, 3); c.DateOf(extended) != want {
		t.Fatalf("extended deadline = %s, want %s", c.DateOf(extended), want)
	}
	if n := c.WorkingDaysBetween(original, extended); n != 20 {
		t.Errorf("extension counts %d working days, want 20", n)
	}
	if n := c.WorkingDaysBetween(extended, original); n != -20 {
		t.Errorf("WorkingDaysBetween backwards = %d, want -20", n)
	}
}

func TestRemindersBeforeDeadline_R12_1(t *testing.T) {
	c := mustDefault(t)
	deadline := c.EndOfDay(NewDate(2027, 1, 6)) // Wed
	tests := []struct {
		name         string
		n            int
		wantStart    time.Time
		wantReminder time.Time
	}{
		{"on the day", 0, at(t, 2027, 1, 6, 0, 0), at(t, 2027, 1, 6, 9, 0)},
		{"one working day before", 1, at(t, 2027, 1, 5, 0, 0), at(t, 2027, 1, 5, 9, 0)},
		{"three working days before skips New Year", 3, at(t, 2026, 12, 31, 0, 0), at(t, 2026, 12, 31, 9, 0)},
		{"five working days before skips the weekend", 5, at(t, 2026, 12, 29, 0, 0), at(t, 2026, 12, 29, 9, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.WorkingDaysBefore(deadline, tc.n); !got.Equal(tc.wantStart) {
				t.Errorf("WorkingDaysBefore(%d) = %s, want %s", tc.n, got, tc.wantStart)
			}
			if got := c.ReminderAt(deadline, tc.n); !got.Equal(tc.wantReminder) {
				t.Errorf("ReminderAt(%d) = %s, want %s", tc.n, got, tc.wantReminder)
			}
		})
	}
}

func TestReminderTimeIsConfigurable(t *testing.T) {
	c := mustDefault(t, WithReminderTime(7, 30))
	deadline := c.EndOfDay(NewDate(2027, 1, 6))
	if got, want := c.ReminderAt(deadline, 0), at(t, 2027, 1, 6, 7, 30); !got.Equal(want) {
		t.Errorf("ReminderAt = %s, want %s", got, want)
	}
	if _, err := Default(WithReminderTime(24, 0)); err == nil {
		t.Error("reminder at 24:00 accepted")
	}
}

func TestOverdueOnlyAfterTheLastDay_R12_1(t *testing.T) {
	c := mustDefault(t)
	deadline := c.EndOfDay(NewDate(2027, 1, 6))
	tests := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"during the last day", at(t, 2027, 1, 6, 12, 0), false},
		{"in the last second", deadline.Add(999 * time.Millisecond), false},
		{"at midnight after", at(t, 2027, 1, 7, 0, 0), true},
		{"before", at(t, 2027, 1, 5, 12, 0), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Overdue(tc.now, deadline); got != tc.want {
				t.Errorf("Overdue(%s) = %v, want %v", tc.now, got, tc.want)
			}
		})
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		name string
		day  Date
		want bool
	}{
		{"ordinary Monday", NewDate(2026, 12, 21), true},
		{"Saturday", NewDate(2026, 12, 19), false},
		{"Sunday", NewDate(2026, 12, 20), false},
		{"New Year", NewDate(2027, 1, 1), false},
		{"Independence Day", NewDate(2027, 2, 24), false},
		{"Good Friday 2027", NewDate(2027, 3, 26), false},
		{"Easter Monday 2027 is a working day", NewDate(2027, 3, 29), true},
		{"Spring Day", NewDate(2026, 5, 1), false},
		{"Victory Day", NewDate(2026, 6, 23), false},
		{"Midsummer Day", NewDate(2026, 6, 24), false},
		{"Restoration of Independence", NewDate(2026, 8, 20), false},
		{"Christmas Eve", NewDate(2026, 12, 24), false},
		{"Christmas Day", NewDate(2026, 12, 25), false},
		{"Boxing Day on a Monday", NewDate(2022, 12, 26), false},
		{"New Year's Eve is a working day", NewDate(2026, 12, 31), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.IsWorkingDate(tc.day); got != tc.want {
				t.Errorf("IsWorkingDate(%s) = %v, want %v", tc.day, got, tc.want)
			}
			if got := c.IsWorkingDay(c.StartOfDay(tc.day).Add(12 * time.Hour)); got != tc.want {
				t.Errorf("IsWorkingDay(noon %s) = %v, want %v", tc.day, got, tc.want)
			}
		})
	}
}

func TestHolidaysIn2027(t *testing.T) {
	c := mustDefault(t)
	got := c.HolidaysIn(2027)
	want := []Date{
		NewDate(2027, 1, 1), NewDate(2027, 2, 24), NewDate(2027, 3, 26), NewDate(2027, 3, 28),
		NewDate(2027, 5, 1), NewDate(2027, 5, 16), NewDate(2027, 6, 23), NewDate(2027, 6, 24),
		NewDate(2027, 8, 20), NewDate(2027, 12, 24), NewDate(2027, 12, 25), NewDate(2027, 12, 26),
	}
	if len(got) != len(want) {
		t.Fatalf("HolidaysIn(2027) has %d holidays, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Date != want[i] || got[i].Name == "" {
			t.Errorf("holiday %d = %v, want %s with a name", i, got[i], want[i])
		}
	}
}

func TestOneOffHolidayChanges(t *testing.T) {
	h := DefaultHolidays()
	h.Extra = []DatedHoliday{{Date: NewDate(2027, 6, 25), Name: "ühekordne puhkepäev"}}
	h.Removed = []Date{NewDate(2027, 12, 24)}
	c, err := New(h, mustDefault(t).Location())
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkingDate(NewDate(2027, 6, 25)) {
		t.Error("extra holiday Fri 25.06.2027 is a working day")
	}
	if !c.IsWorkingDate(NewDate(2027, 12, 24)) {
		t.Error("removed holiday Fri 24.12.2027 is not a working day")
	}
	if c.IsWorkingDate(NewDate(2026, 12, 24)) {
		t.Error("removal of 2027 also removed 24.12.2026")
	}
	if c.Fingerprint() == mustDefault(t).Fingerprint() {
		t.Error("changed table has the default fingerprint")
	}
}

func TestCalendarIsNotChangedThroughItsInput(t *testing.T) {
	h := DefaultHolidays()
	c, err := New(h, mustDefault(t).Location())
	if err != nil {
		t.Fatal(err)
	}
	h.Fixed[0].Name = "changed"
	if got := c.Table().Fixed[0].Name; got != "uusaasta" {
		t.Errorf("table changed through caller's slice: %q", got)
	}
}

func TestNewRejectsMissingLocation(t *testing.T) {
	if _, err := New(DefaultHolidays(), nil); err == nil {
		t.Error("New with nil location succeeded")
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := mustDefault(b)
	event := at(b, 2026, 12, 18, 14, 30)
	for b.Loop() {
		c.AddWorkingDays(event, 20)
	}
}
