package activities

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kutsekoda/alusdok/workdays"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// Periods are the statute's periods in working days; every one is
// configurable policy, with the 2009 values as defaults (SPEC.md "Beyond the
// statute").
type Periods struct {
	Submission   int   // R11.2: decision date + this = the late mark
	Entry        int   // R12.1: receipt + this = the entry deadline
	Correction   int   // R12.2: the wait for corrections
	MaxExtension int   // R12.3: all extensions together
	ReminderDays []int // reminders this many working days before the entry deadline (0: on the day)
	Review       int   // R14.2: working days to correct reported data (0: 10)
}

// DefaultPeriods are the 2009 statute's values.
func DefaultPeriods() Periods {
	return Periods{Submission: 10, Entry: 10, Correction: 10, MaxExtension: 20, ReminderDays: []int{3, 0}, Review: 10}
}

// Deadlines computes a receipt's late mark, entry deadline and alarms.
func (a *Activities) Deadlines(_ context.Context, in wf.DeadlinesInput) (wf.DeadlinesResult, error) {
	res := wf.DeadlinesResult{
		Entry:            a.Calendar.AddWorkingDays(in.ReceivedAt, a.Periods.Entry),
		MaxExtensionDays: a.Periods.MaxExtension,
	}
	if in.DecisionDate != "" {
		d, err := workdays.ParseDate(in.DecisionDate)
		if err != nil {
			return res, fmt.Errorf("decision date: %w", err)
		}
		// R11.2: the period counts from the day after the decision.
		res.LateMark = a.Calendar.AddWorkingDays(a.Calendar.StartOfDay(d), a.Periods.Submission)
		res.Late = in.ReceivedAt.After(res.LateMark)
	}
	res.Alarms = a.alarms(res.Entry)
	return res, nil
}

// Extend moves an entry deadline by working days (R12.3).
func (a *Activities) Extend(_ context.Context, in wf.ExtendInput) (wf.ExtendResult, error) {
	entry := a.Calendar.AddWorkingDays(in.Entry, in.WorkingDays)
	return wf.ExtendResult{Entry: entry, Alarms: a.alarms(entry)}, nil
}

// CorrectionLimit is the end of a wait for corrections that starts at From
// (R12.2), and the entry deadline that starts should it pass.
func (a *Activities) CorrectionLimit(_ context.Context, in wf.CorrectionLimitInput) (wf.CorrectionLimitResult, error) {
	limit := a.Calendar.AddWorkingDays(in.From, a.Periods.Correction)
	after := a.Calendar.AddWorkingDays(limit, a.Periods.Entry)
	return wf.CorrectionLimitResult{Limit: limit, EntryAfter: after, AlarmsAfter: a.alarms(after)}, nil
}

// alarms are the reminders to clerks before the entry deadline, in time
// order, then the escalation to supervisors the moment it has passed.
func (a *Activities) alarms(entry time.Time) []wf.Alarm {
	days := slices.Clone(a.Periods.ReminderDays)
	slices.Sort(days)
	slices.Reverse(days) // the earliest reminder (most days before) first
	var out []wf.Alarm
	for _, n := range days {
		at := a.Calendar.ReminderAt(entry, n)
		if len(out) > 0 && !at.After(out[len(out)-1].At) {
			continue
		}
		out = append(out, wf.Alarm{At: at, Kind: wf.AlarmReminder})
	}
	return append(out, wf.Alarm{At: entry.Add(time.Second).Truncate(time.Second), Kind: wf.AlarmEscalation})
}
