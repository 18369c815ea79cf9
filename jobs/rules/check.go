package rules

import (
	"maps"
	"slices"
	"time"

	"fritidsjob/people"
)

// Shift is a stretch of work. Start and End may be in any zone; checks read
// them in people.Copenhagen. BreakMinutes is the unpaid break inside it.
type Shift struct {
	Start, End   time.Time
	BreakMinutes int
}

// Task is what the rules need to know about a task.
type Task struct {
	Wage        bool // paid in kroner (not points)
	Lifting12kg bool // involves lifting more than 12 kg
	WorksAlone  bool // done without an adult nearby
	Machines    bool // involves machines
}

// Violation is one broken rule, with its message in each language.
type Violation struct {
	Rule    string
	Message map[string]string // lang -> text, placeholders filled
}

// Result is the outcome of a check and the rule-set version it used.
type Result struct {
	Version    string
	Band       Band
	Violations []Violation
}

// OK reports whether no rule was broken.
func (r Result) OK() bool { return len(r.Violations) == 0 }

// Message is the first violation's text in lang (Danish when lang is
// missing or unknown), or "" when r is OK.
func (r Result) Message(lang string) string {
	if r.OK() {
		return ""
	}
	m := r.Violations[0].Message
	if t, ok := m[lang]; ok {
		return t
	}
	return m["da"]
}

// Check checks proposed for a youth in band against the rule set valid on
// proposed's Copenhagen start date. existing are the youth's other claimed
// or worked shifts, at any time and not including proposed; they count
// towards daily and weekly hours, rest, days off and breaks. cal says which
// days are school days; nil means DefaultCalendar. An unknown band is
// checked as BandUnder13. A shift that is empty, reversed, longer than 24
// hours or has a negative break or one as long as itself breaks only the
// shift.invalid rule. Violations come in rule-set order.
func (e *Engine) Check(band Band, task Task, cal Calendar, existing []Shift, proposed Shift) Result {
	if !band.Valid() {
		band = BandUnder13
	}
	p := spanOf(proposed)
	set, eff := e.set(people.DateOf(p.start))
	res := Result{Version: set.version, Band: band}
	var active []*rule
	for _, r := range set.rules {
		if !r.appliesToBands[band] || eff.Before(r.ValidFrom) {
			continue
		}
		if r.Kind == kindShiftValid {
			if !validShift(proposed, p, r.limitDur) {
				res.Violations = []Violation{violation(r)}
				return res
			}
			continue
		}
		active = append(active, r)
	}
	if len(active) == 0 {
		return res
	}
	c := newChecker(cal, existing, p, set)
	for _, r := range active {
		if c.violates(r, task) {
			res.Violations = append(res.Violations, violation(r))
		}
	}
	return res
}

func violation(r *rule) Violation { return Violation{Rule: r.ID, Message: maps.Clone(r.msg)} }

// span is a shift read in Copenhagen, its break clamped to [0, length].
type span struct {
	start, end time.Time
	brk        time.Duration
}

func spanOf(s Shift) span {
	sp := span{start: s.Start.In(people.Copenhagen), end: s.End.In(people.Copenhagen)}
	length := sp.end.Sub(sp.start)
	switch {
	case length <= 0 || s.BreakMinutes <= 0:
	case int64(s.BreakMinutes) > int64(length/time.Minute):
		sp.brk = length
	default:
		sp.brk = time.Duration(s.BreakMinutes) * time.Minute
	}
	return sp
}

// validShift reports whether s ends after it starts, lasts at most longest
// and has a break that is not negative and shorter than the shift.
func validShift(s Shift, p span, longest time.Duration) bool {
	length := p.end.Sub(p.start)
	return p.end.After(p.start) && length <= longest && s.BreakMinutes >= 0 && p.brk < length
}

// checker holds what the rules need to know about the youth's shifts near
// the proposed one.
type checker struct {
	cal    Calendar
	p      span
	others []span                        // valid existing shifts near p
	days   []people.Date                 // the dates p touches
	worked map[people.Date]time.Duration // working time per date
	busy   map[people.Date]bool          // dates any shift touches
	school map[people.Date]bool          // cache of cal
	first  map[people.Date]time.Time     // earliest start per working day
	last   map[people.Date]time.Time     // latest end per working day
}

// horizonDays is how far around the proposed shift other shifts matter,
// before the longest days-off period is added.
const horizonDays = 16

func newChecker(cal Calendar, existing []Shift, p span, set *ruleSet) *checker {
	if cal == nil {
		cal = defaultCalendar{}
	}
	days := horizonDays
	for _, r := range set.rules {
		if r.Kind == kindDaysOff {
			days = max(days, horizonDays+r.Limit.PeriodDays+r.Limit.Days)
		}
	}
	hs := p.start.Add(-time.Duration(days) * 24 * time.Hour)
	he := p.end.Add(time.Duration(days) * 24 * time.Hour)
	c := &checker{
		cal: cal, p: p,
		worked: map[people.Date]time.Duration{}, busy: map[people.Date]bool{}, school: map[people.Date]bool{},
		first: map[people.Date]time.Time{}, last: map[people.Date]time.Time{},
	}
	for _, s := range existing {
		sp := spanOf(s)
		if !sp.end.After(sp.start) || !sp.end.After(hs) || !sp.start.Before(he) {
			continue
		}
		c.others = append(c.others, sp)
	}
	for _, s := range append(slices.Clone(c.others), p) {
		c.addWork(s, hs, he)
		d := people.DateOf(s.start)
		if f, ok := c.first[d]; !ok || s.start.Before(f) {
			c.first[d] = s.start
		}
		if l, ok := c.last[d]; !ok || s.end.After(l) {
			c.last[d] = s.end
		}
	}
	endDay := people.DateOf(p.end.Add(-time.Nanosecond))
	for d, i := people.DateOf(p.start), 0; i < 4 && !endDay.Before(d); d, i = addDays(d, 1), i+1 {
		c.days = append(c.days, d)
	}
	return c
}

// addWork spreads s's working time over the Copenhagen dates it touches,
// within [hs, he). The break is taken from the earliest part.
func (c *checker) addWork(s span, hs, he time.Time) {
	from, to := s.start, s.end
	if from.Before(hs) {
		from = hs
	}
	if to.After(he) {
		to = he
	}
	brk := max(s.brk-from.Sub(s.start), 0)
	for cur, i := from, 0; i < 64 && cur.Before(to); i++ {
		d := people.DateOf(cur)
		next := time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, people.Copenhagen)
		if !next.After(cur) {
			return
		}
		if next.After(to) {
			next = to
		}
		seg := next.Sub(cur)
		take := min(seg, brk)
		brk -= take
		c.worked[d] += seg - take
		c.busy[d] = true
		cur = next
	}
}

func (c *checker) schoolDay(d people.Date) bool {
	v, ok := c.school[d]
	if !ok {
		v = c.cal.SchoolDay(d)
		c.school[d] = v
	}
	return v
}

func inScope(scope string, school bool) bool {
	return scope == scopeAny || (scope == scopeSchool) == school
}

// violates reports whether the proposed shift breaks r.
func (c *checker) violates(r *rule, task Task) bool {
	switch r.Kind {
	case kindOverlap:
		return c.overlaps()
	case kindTask:
		return taskFlagged(r.Flag, task)
	case kindWindow:
		return c.outsideWindow(r)
	case kindMaxDay:
		return c.dayOverLimit(r)
	case kindMaxWeek:
		return c.weekOverLimit(r)
	case kindRest:
		return c.restTooShort(r.limitDur)
	case kindDaysOff:
		return c.daysOffMissing(r.Limit.Days, r.Limit.PeriodDays)
	case kindBreak:
		return c.breakMissing(r.limitDur, r.afterDur)
	}
	return false
}

// overlaps reports whether the proposed shift overlaps another.
func (c *checker) overlaps() bool {
	p := c.p
	for _, s := range c.others {
		if s.start.Before(p.end) && p.start.Before(s.end) {
			return true
		}
	}
	return false
}

// taskFlagged reports whether task has the field that flag names.
func taskFlagged(flag string, task Task) bool {
	switch flag {
	case flagWage:
		return task.Wage
	case flagMachines:
		return task.Machines
	case flagLifting:
		return task.Lifting12kg
	case flagAlone:
		return task.WorksAlone
	}
	return false
}

// outsideWindow reports whether the proposed shift starts before or ends
// after r's wall-clock window on its first day.
func (c *checker) outsideWindow(r *rule) bool {
	p := c.p
	d := people.DateOf(p.start)
	from := time.Date(d.Year, d.Month, d.Day, r.fromH, r.fromM, 0, 0, people.Copenhagen)
	to := time.Date(d.Year, d.Month, d.Day, r.toH, r.toM, 0, 0, people.Copenhagen)
	return p.start.Before(from) || p.end.After(to)
}

// dayOverLimit reports whether a day of the proposed shift in r's scope
// holds more working time than r allows.
func (c *checker) dayOverLimit(r *rule) bool {
	for _, d := range c.days {
		if inScope(r.Scope, c.schoolDay(d)) && c.worked[d] > r.limitDur {
			return true
		}
	}
	return false
}

// weekOverLimit reports whether an ISO week of the proposed shift in r's
// scope (a week with a school day counts as a school week) holds more
// working time than r allows.
func (c *checker) weekOverLimit(r *rule) bool {
	seen := map[people.Date]bool{}
	for _, d := range c.days {
		monday := addDays(d, -weekdayIndex(d))
		if seen[monday] {
			continue
		}
		seen[monday] = true
		var total time.Duration
		school := false
		for i := range 7 {
			day := addDays(monday, i)
			total += c.worked[day]
			school = school || c.schoolDay(day)
		}
		if inScope(r.Scope, school) && total > r.limitDur {
			return true
		}
	}
	return false
}

// restTooShort reports whether the rest between the proposed shift's
// working day and the working days before and after it is under need.
func (c *checker) restTooShort(need time.Duration) bool {
	d := people.DateOf(c.p.start)
	var prev, next people.Date
	hasPrev, hasNext := false, false
	for w := range c.first {
		if w.Before(d) && (!hasPrev || prev.Before(w)) {
			prev, hasPrev = w, true
		}
		if d.Before(w) && (!hasNext || w.Before(next)) {
			next, hasNext = w, true
		}
	}
	return (hasPrev && c.first[d].Sub(c.last[prev]) < need) ||
		(hasNext && c.first[next].Sub(c.last[d]) < need)
}

// daysOffMissing reports whether some window of period+days-1 consecutive
// dates around the proposed shift lacks a run of days free dates. Such
// windows are the rolling form of "days consecutive days off in every
// period days" that still lets a fixed weekly pattern pass.
func (c *checker) daysOffMissing(days, period int) bool {
	n := period + days - 1
	for _, d := range c.days {
		for k := range n {
			start := addDays(d, -k)
			run, ok := 0, false
			for j := 0; j < n && !ok; j++ {
				if c.busy[addDays(start, j)] {
					run = 0
				} else {
					run++
					ok = run >= days
				}
			}
			if !ok {
				return true
			}
		}
	}
	return false
}

// breakMissing reports whether the stretch of work holding the proposed
// shift (shifts less than need apart joined) lasts more than after without
// a break of at least need in one of its shifts.
func (c *checker) breakMissing(need, after time.Duration) bool {
	start, end, brk := c.p.start, c.p.end, c.p.brk
	used := make([]bool, len(c.others))
	for changed := true; changed; {
		changed = false
		for i, s := range c.others {
			if used[i] || s.start.Sub(end) >= need || start.Sub(s.end) >= need {
				continue
			}
			used[i], changed = true, true
			if s.start.Before(start) {
				start = s.start
			}
			if s.end.After(end) {
				end = s.end
			}
			brk = max(brk, s.brk)
		}
	}
	return end.Sub(start) > after && brk < need
}
