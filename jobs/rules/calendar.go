package rules

import (
	"slices"
	"time"

	"fritidsjob/people"
)

// Calendar says which days are school days for a youth.
type Calendar interface {
	SchoolDay(d people.Date) bool
}

// Holiday is a school holiday: every day from From to To, both included.
type Holiday struct {
	From people.Date `json:"from"`
	To   people.Date `json:"to"`
	Name string      `json:"name"`
}

// AreaCalendar is a housing area's school calendar, edited by its
// coordinators: holidays, extra school-free days, and whether weekends are
// school days (by default they are not).
type AreaCalendar struct {
	Holidays      []Holiday     `json:"holidays"`
	FreeDays      []people.Date `json:"free_days,omitempty"`
	WeekendSchool bool          `json:"weekend_school,omitempty"` // Saturdays and Sundays are school days
}

// SchoolDay reports whether d is a school day: not a weekend (unless
// WeekendSchool), not in a holiday and not an extra free day.
func (c AreaCalendar) SchoolDay(d people.Date) bool {
	if !c.WeekendSchool {
		if wd := weekday(d); wd == time.Saturday || wd == time.Sunday {
			return false
		}
	}
	for _, h := range c.Holidays {
		if !d.Before(h.From) && !h.To.Before(d) {
			return false
		}
	}
	return !slices.Contains(c.FreeDays, d)
}

// DefaultCalendar is a Danish folkeskole calendar for the school year that
// starts in August of year, covering the calendar years year and year+1
// (and the Christmas holiday into each): weekends; vinterferie (ISO week
// 7); påskeferie (the Saturday before Palm Sunday to Easter Monday); Kristi
// himmelfartsdag and the Friday after; 2. pinsedag; Grundlovsdag (5 June);
// sommerferie (Saturday of ISO week 26 to Sunday of ISO week 32, an
// approximation coordinators should adjust); efterårsferie (ISO week 42);
// juleferie (21 December to 2 January). Holiday names are the Danish ones.
func DefaultCalendar(year int) AreaCalendar {
	var hs []Holiday
	add := func(from, to people.Date, name string) { hs = append(hs, Holiday{From: from, To: to, Name: name}) }
	add(people.Date{Year: year - 1, Month: time.December, Day: 21}, people.Date{Year: year, Month: time.January, Day: 2}, "juleferie")
	for _, y := range []int{year, year + 1} {
		e := Easter(y)
		add(isoWeekDay(y, 7, 0), isoWeekDay(y, 7, 6), "vinterferie")
		add(addDays(e, -8), addDays(e, 1), "påskeferie")
		add(addDays(e, 39), addDays(e, 40), "Kristi himmelfartsferie")
		add(addDays(e, 50), addDays(e, 50), "2. pinsedag")
		add(people.Date{Year: y, Month: time.June, Day: 5}, people.Date{Year: y, Month: time.June, Day: 5}, "grundlovsdag")
		add(isoWeekDay(y, 26, 5), isoWeekDay(y, 32, 6), "sommerferie")
		add(isoWeekDay(y, 42, 0), isoWeekDay(y, 42, 6), "efterårsferie")
		add(people.Date{Year: y, Month: time.December, Day: 21}, people.Date{Year: y + 1, Month: time.January, Day: 2}, "juleferie")
	}
	return AreaCalendar{Holidays: hs}
}

// Easter is Easter Sunday of year in the Gregorian calendar (the anonymous
// Gregorian algorithm).
func Easter(year int) people.Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return people.Date{Year: year, Month: time.Month(n / 31), Day: n%31 + 1}
}

// isoWeekDay is day i (0 = Monday … 6 = Sunday) of ISO week w of year.
func isoWeekDay(year, w, i int) people.Date {
	jan4 := people.Date{Year: year, Month: time.January, Day: 4}
	monday1 := addDays(jan4, -weekdayIndex(jan4))
	return addDays(monday1, 7*(w-1)+i)
}

// civil is noon UTC on d, a safe anchor for calendar arithmetic.
func civil(d people.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

func addDays(d people.Date, n int) people.Date { return people.DateOf(civil(d).AddDate(0, 0, n)) }

func weekday(d people.Date) time.Weekday { return civil(d).Weekday() }

// weekdayIndex is 0 for Monday … 6 for Sunday.
func weekdayIndex(d people.Date) int { return (int(weekday(d)) + 6) % 7 }

// defaultCalendar is the calendar used when Check gets none: DefaultCalendar
// of each day's year, built once per year.
type defaultCalendar map[int]AreaCalendar

func (c defaultCalendar) SchoolDay(d people.Date) bool {
	ac, ok := c[d.Year]
	if !ok {
		ac = DefaultCalendar(d.Year)
		c[d.Year] = ac
	}
	return ac.SchoolDay(d)
}
