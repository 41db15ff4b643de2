package workdays

import "time"

// Easter returns the date of Easter Sunday in the Gregorian calendar for
// year y (the anonymous Gregorian computus of Meeus, Jones and Butcher),
// valid for every year from 1583 on.
func Easter(y int) Date {
	a := y % 19
	b := y / 100
	c := y % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{Year: y, Month: time.Month(month), Day: day}
}
