package rules

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
)

func engine(t testing.TB) *Engine {
	t.Helper()
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// at is date s at clock hh:mm in Copenhagen.
func at(s, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s+" "+clock, people.Copenhagen)
	if err != nil {
		panic(err)
	}
	return t
}

// sh is a shift on day s from one clock time to another, with a break.
func sh(s, from, to string, brk int) Shift {
	return Shift{Start: at(s, from), End: at(s, to), BreakMinutes: brk}
}

// days is the same shift on each of days.
func days(from, to string, ds ...string) []Shift {
	var out []Shift
	for _, d := range ds {
		out = append(out, sh(d, from, to, 0))
	}
	return out
}

func ids(r Result) []string {
	var out []string
	for _, v := range r.Violations {
		out = append(out, v.Rule)
	}
	return out
}

// term is the default calendar of the 2026/27 school year. 2026-09-14 is a
// Monday in term (ISO week 38); 2026-07-06 starts a summer-holiday week.
var term = DefaultCalendar(2026)

func TestCheck(t *testing.T) {
	// Week 38 with school only on Monday: still a school week.
	onlyMonday := AreaCalendar{Holidays: []Holiday{{From: people.Date{Year: 2026, Month: 9, Day: 15}, To: people.Date{Year: 2026, Month: 9, Day: 20}, Name: "test"}}}
	freeWeek := days("08:00", "15:30", "2026-07-06", "2026-07-07", "2026-07-08", "2026-07-09")
	for i := range freeWeek {
		freeWeek[i].BreakMinutes = 30 // 7 h each
	}
	olderWeek := []Shift{
		sh("2026-09-14", "08:00", "16:30", 30), sh("2026-09-15", "08:00", "16:30", 30),
		sh("2026-09-16", "08:00", "16:30", 30), sh("2026-09-17", "08:00", "16:30", 30),
	}
	points, wage := Task{}, Task{Wage: true}
	tests := []struct {
		name     string
		band     Band
		task     Task
		cal      Calendar
		existing []Shift
		shift    Shift
		want     []string // rule ids, in order; nil = OK
		wantDA   string   // the Danish message of the first violation, when set
	}{
		// Hours on a school day (Tuesday in term).
		{name: "young 2h school day", band: BandYoung, shift: sh("2026-09-15", "15:00", "17:00", 0)},
		{name: "young 2h1m school day", band: BandYoung, shift: sh("2026-09-15", "15:00", "17:01", 0),
			want: []string{"hours.school_day.young"}, wantDA: "Du må højst arbejde 2 timer på en skoledag."},
		{name: "young school day counts other shifts", band: BandYoung, existing: []Shift{sh("2026-09-15", "07:00", "08:00", 0)},
			shift: sh("2026-09-15", "15:00", "16:01", 0), want: []string{"hours.school_day.young"}},
		{name: "young 1h30 break not counted", band: BandYoung, shift: sh("2026-09-15", "14:00", "16:30", 30)},
		{name: "under13 points 2h school day", band: BandUnder13, task: points, shift: sh("2026-09-15", "15:00", "17:00", 0)},
		{name: "under13 points 2h1m school day", band: BandUnder13, shift: sh("2026-09-15", "15:00", "17:01", 0),
			want: []string{"hours.school_day.young"}},
		{name: "older 8h school day", band: BandOlder, shift: sh("2026-09-15", "08:00", "16:30", 30)},
		{name: "older 8h1m school day", band: BandOlder, shift: sh("2026-09-15", "08:00", "16:31", 30),
			want: []string{"hours.day.older"}, wantDA: "Du må højst arbejde 8 timer om dagen."},
		{name: "adult 12h", band: BandAdult, shift: sh("2026-09-15", "06:00", "18:00", 0)},

		// Hours on a day without school (Saturday).
		{name: "young 7h free day", band: BandYoung, shift: sh("2026-09-19", "08:00", "15:30", 30)},
		{name: "young 7h1m free day", band: BandYoung, shift: sh("2026-09-19", "08:00", "15:31", 30),
			want: []string{"hours.free_day.young"}, wantDA: "Du må højst arbejde 7 timer på en dag uden skole."},
		{name: "under13 7h1m free day", band: BandUnder13, shift: sh("2026-09-19", "08:00", "15:31", 30),
			want: []string{"hours.free_day.young"}},
		{name: "older 8h free day", band: BandOlder, shift: sh("2026-09-19", "08:00", "16:30", 30)},
		{name: "older 8h1m free day", band: BandOlder, shift: sh("2026-09-19", "08:00", "16:31", 30),
			want: []string{"hours.day.older"}},

		// The 06:00–20:00 window, every band (Saturday).
		{name: "under13 ends 19:59", band: BandUnder13, shift: sh("2026-09-19", "18:00", "19:59", 0)},
		{name: "under13 ends 20:01", band: BandUnder13, shift: sh("2026-09-19", "18:01", "20:01", 0),
			want: []string{"time.window"}, wantDA: "Du må kun arbejde mellem kl. 06:00 og kl. 20:00."},
		{name: "under13 starts 05:59", band: BandUnder13, shift: sh("2026-09-19", "05:59", "07:00", 0), want: []string{"time.window"}},
		{name: "under13 starts 06:00", band: BandUnder13, shift: sh("2026-09-19", "06:00", "07:00", 0)},
		{name: "young ends 19:59", band: BandYoung, shift: sh("2026-09-19", "18:00", "19:59", 0)},
		{name: "young ends 20:00", band: BandYoung, shift: sh("2026-09-19", "18:00", "20:00", 0)},
		{name: "young ends 20:01", band: BandYoung, shift: sh("2026-09-19", "18:01", "20:01", 0), want: []string{"time.window"}},
		{name: "young starts 05:59", band: BandYoung, shift: sh("2026-09-19", "05:59", "07:00", 0), want: []string{"time.window"}},
		{name: "young starts 06:00", band: BandYoung, shift: sh("2026-09-19", "06:00", "07:00", 0)},
		{name: "older ends 19:59", band: BandOlder, shift: sh("2026-09-19", "18:00", "19:59", 0)},
		{name: "older ends 20:01", band: BandOlder, shift: sh("2026-09-19", "18:01", "20:01", 0), want: []string{"time.window"}},
		{name: "older starts 05:59", band: BandOlder, shift: sh("2026-09-19", "05:59", "07:00", 0), want: []string{"time.window"}},
		{name: "older starts 06:00", band: BandOlder, shift: sh("2026-09-19", "06:00", "07:00", 0)},
		{name: "adult 05:00-21:00", band: BandAdult, shift: sh("2026-09-19", "05:00", "21:00", 0)},
		{name: "older overnight", band: BandOlder, shift: Shift{Start: at("2026-09-19", "19:00"), End: at("2026-09-20", "03:00"), BreakMinutes: 30},
			want: []string{"time.window"}},
		{name: "window in Copenhagen whatever the zone", band: BandYoung,
			shift: Shift{Start: at("2026-09-19", "18:00").UTC(), End: at("2026-09-19", "20:01").In(time.FixedZone("X", -5*3600))},
			want:  []string{"time.window"}},

		// School week: 12 h for young, spread over days; one school day makes a school week.
		{name: "young school week 12h", band: BandYoung, cal: onlyMonday,
			existing: []Shift{sh("2026-09-14", "15:00", "17:00", 0), sh("2026-09-15", "09:00", "14:30", 30)},
			shift:    sh("2026-09-16", "09:00", "14:30", 30)},
		{name: "young school week 12h1m", band: BandYoung, cal: onlyMonday,
			existing: []Shift{sh("2026-09-14", "15:00", "17:00", 0), sh("2026-09-15", "09:00", "14:30", 30)},
			shift:    sh("2026-09-16", "09:00", "14:31", 30),
			want:     []string{"hours.school_week.young"}, wantDA: "Du må højst arbejde 12 timer i en uge med skole."},
		{name: "older 12h1m in a school week", band: BandOlder, cal: onlyMonday,
			existing: []Shift{sh("2026-09-14", "15:00", "17:00", 0), sh("2026-09-15", "09:00", "14:30", 30)},
			shift:    sh("2026-09-16", "09:00", "14:31", 30)},
		{name: "older school week 40h", band: BandOlder, existing: olderWeek, shift: sh("2026-09-18", "08:00", "16:30", 30)},
		{name: "older school week 40h1m", band: BandOlder, existing: olderWeek, shift: sh("2026-09-18", "08:00", "16:31", 30),
			want: []string{"hours.day.older", "hours.week.older"}},

		// School-free week (summer holiday).
		{name: "young free week 35h", band: BandYoung, existing: freeWeek, shift: sh("2026-07-10", "08:00", "15:30", 30)},
		{name: "young free week 35h1m", band: BandYoung, existing: freeWeek, shift: sh("2026-07-10", "08:00", "15:31", 30),
			want: []string{"hours.free_day.young", "hours.free_week.young"}},
		{name: "young free week 35h1m via a short day", band: BandYoung,
			existing: append(slices.Clone(freeWeek), sh("2026-07-10", "08:00", "15:30", 30)),
			shift:    sh("2026-07-06", "17:00", "17:01", 0),
			want:     []string{"hours.free_day.young", "hours.free_week.young"}},

		// Daily rest.
		{name: "young rest 14h", band: BandYoung, existing: []Shift{sh("2026-09-19", "16:00", "18:00", 0)},
			shift: sh("2026-09-20", "08:00", "10:00", 0)},
		{name: "young rest 13h59m", band: BandYoung, existing: []Shift{sh("2026-09-19", "16:00", "18:00", 0)},
			shift: sh("2026-09-20", "07:59", "10:00", 0),
			want:  []string{"rest.young"}, wantDA: "Du skal have mindst 14 timer fri i træk mellem to arbejdsdage."},
		{name: "young rest 13h59m before the next day", band: BandYoung, existing: []Shift{sh("2026-09-20", "08:00", "10:00", 0)},
			shift: sh("2026-09-19", "16:00", "18:01", 0), want: []string{"rest.young"}},
		{name: "young rest over summer-time night 14h", band: BandYoung, existing: []Shift{sh("2026-03-28", "16:00", "18:00", 0)},
			shift: sh("2026-03-29", "09:00", "10:00", 0)},
		{name: "young rest over summer-time night 13h59m", band: BandYoung, existing: []Shift{sh("2026-03-28", "16:00", "18:00", 0)},
			shift: sh("2026-03-29", "08:59", "10:00", 0), want: []string{"rest.young"}},
		{name: "young two shifts a day is one working day", band: BandYoung, existing: []Shift{sh("2026-09-19", "08:00", "10:00", 0)},
			shift: sh("2026-09-19", "16:00", "18:00", 0)},
		{name: "older rest 12h", band: BandOlder, existing: []Shift{sh("2026-09-19", "11:00", "19:00", 30)},
			shift: sh("2026-09-20", "07:00", "09:00", 0)},
		{name: "older rest 11h59m", band: BandOlder, existing: []Shift{sh("2026-09-19", "11:00", "19:00", 30)},
			shift: sh("2026-09-20", "06:59", "09:00", 0),
			want:  []string{"rest.older"}, wantDA: "Du skal have mindst 12 timer fri i træk mellem to arbejdsdage."},

		// Two consecutive days off (1 h a day, 15:00–16:00, in term).
		{name: "young 7th consecutive day", band: BandYoung,
			existing: days("15:00", "16:00", "2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18", "2026-09-19"),
			shift:    sh("2026-09-20", "15:00", "16:00", 0),
			want:     []string{"days_off"}, wantDA: "Du skal have 2 fridage i træk inden for hver 7 dage."},
		{name: "older 7th consecutive day", band: BandOlder,
			existing: days("15:00", "16:00", "2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18", "2026-09-19"),
			shift:    sh("2026-09-20", "15:00", "16:00", 0), want: []string{"days_off"}},
		{name: "young two consecutive free days", band: BandYoung,
			existing: days("15:00", "16:00", "2026-09-12", "2026-09-13", "2026-09-14", "2026-09-17", "2026-09-18", "2026-09-19"),
			shift:    sh("2026-09-20", "15:00", "16:00", 0)},
		{name: "young two free days apart", band: BandYoung,
			existing: days("15:00", "16:00", "2026-09-12", "2026-09-13", "2026-09-14", "2026-09-16", "2026-09-17", "2026-09-19"),
			shift:    sh("2026-09-20", "15:00", "16:00", 0), want: []string{"days_off"}},
		{name: "young Monday to Friday every week", band: BandYoung,
			existing: days("15:00", "16:00", "2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11",
				"2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17"),
			shift: sh("2026-09-18", "15:00", "16:00", 0)},
		{name: "young Monday to Saturday", band: BandYoung,
			existing: days("15:00", "16:00", "2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18"),
			shift:    sh("2026-09-19", "15:00", "16:00", 0), want: []string{"days_off"}},

		// Breaks (Saturday).
		{name: "young 4h31m no break", band: BandYoung, shift: sh("2026-09-19", "08:00", "12:31", 0),
			want: []string{"break"}, wantDA: "Når du arbejder mere end 4 timer og 30 minutter i træk, skal du have en pause på mindst 30 minutter."},
		{name: "young 4h31m with 30m break", band: BandYoung, shift: sh("2026-09-19", "08:00", "12:31", 30)},
		{name: "young 4h31m with 29m break", band: BandYoung, shift: sh("2026-09-19", "08:00", "12:31", 29), want: []string{"break"}},
		{name: "young 4h30m no break", band: BandYoung, shift: sh("2026-09-19", "08:00", "12:30", 0)},
		{name: "older 4h31m no break", band: BandOlder, shift: sh("2026-09-19", "08:00", "12:31", 0), want: []string{"break"}},
		{name: "under13 4h31m no break", band: BandUnder13, shift: sh("2026-09-19", "08:00", "12:31", 0), want: []string{"break"}},
		{name: "adult 6h no break", band: BandAdult, shift: sh("2026-09-19", "08:00", "14:00", 0)},
		{name: "shifts 10m apart are one stretch", band: BandYoung, existing: []Shift{sh("2026-09-19", "08:00", "11:00", 0)},
			shift: sh("2026-09-19", "11:10", "13:00", 0), want: []string{"break"}},
		{name: "shifts 30m apart have a break", band: BandYoung, existing: []Shift{sh("2026-09-19", "08:00", "11:00", 0)},
			shift: sh("2026-09-19", "11:30", "13:00", 0)},

		// Tasks.
		{name: "lifting 17 older", band: BandOlder, task: Task{Lifting12kg: true}, shift: sh("2026-09-19", "10:00", "11:00", 0),
			want: []string{"task.lifting"}, wantDA: "Unge under 18 år må ikke løfte mere end 12 kg."},
		{name: "lifting young", band: BandYoung, task: Task{Lifting12kg: true}, shift: sh("2026-09-19", "10:00", "11:00", 0),
			want: []string{"task.lifting"}},
		{name: "lifting adult", band: BandAdult, task: Task{Lifting12kg: true}, shift: sh("2026-09-19", "10:00", "11:00", 0)},
		{name: "machines young", band: BandYoung, task: Task{Machines: true}, shift: sh("2026-09-19", "10:00", "11:00", 0),
			want: []string{"task.machines"}},
		{name: "machines under13", band: BandUnder13, task: Task{Machines: true}, shift: sh("2026-09-19", "10:00", "11:00", 0),
			want: []string{"task.machines"}},
		{name: "machines older", band: BandOlder, task: Task{Machines: true}, shift: sh("2026-09-19", "10:00", "11:00", 0)},
		{name: "alone young", band: BandYoung, task: Task{WorksAlone: true}, shift: sh("2026-09-19", "10:00", "11:00", 0),
			want: []string{"task.alone"}},
		{name: "alone older", band: BandOlder, task: Task{WorksAlone: true}, shift: sh("2026-09-19", "10:00", "11:00", 0)},
		{name: "wage under13", band: BandUnder13, task: wage, shift: sh("2026-09-19", "10:00", "11:00", 0),
			want: []string{"task.wage"}, wantDA: "Børn under 13 år må ikke tage opgaver med løn – kun aktiviteter, der giver point."},
		{name: "wage young", band: BandYoung, task: wage, shift: sh("2026-09-19", "10:00", "11:00", 0)},
		{name: "every flag under13", band: BandUnder13, task: Task{Wage: true, Lifting12kg: true, WorksAlone: true, Machines: true},
			shift: sh("2026-09-19", "10:00", "11:00", 0), want: []string{"task.wage", "task.machines", "task.lifting", "task.alone"}},
		{name: "unknown band is under13", band: "teen", task: wage, shift: sh("2026-09-19", "10:00", "11:00", 0),
			want: []string{"task.wage"}},

		// Invalid and overlapping shifts.
		{name: "empty shift", band: BandYoung, shift: sh("2026-09-19", "10:00", "10:00", 0), want: []string{"shift.invalid"}},
		{name: "reversed shift", band: BandYoung, shift: sh("2026-09-19", "11:00", "10:00", 0), want: []string{"shift.invalid"},
			wantDA: "Vagten er ugyldig: den skal slutte efter den begynder og højst vare 24 timer, og pausen skal være kortere end vagten."},
		{name: "24h1m shift", band: BandAdult, shift: Shift{Start: at("2026-09-19", "10:00"), End: at("2026-09-20", "10:01")},
			want: []string{"shift.invalid"}},
		{name: "24h shift is valid but late", band: BandOlder, shift: Shift{Start: at("2026-09-19", "10:00"), End: at("2026-09-20", "10:00"), BreakMinutes: 60},
			want: []string{"time.window", "hours.day.older"}},
		{name: "negative break", band: BandYoung, shift: sh("2026-09-19", "10:00", "11:00", -1), want: []string{"shift.invalid"}},
		{name: "break as long as the shift", band: BandYoung, shift: sh("2026-09-19", "10:00", "11:00", 60), want: []string{"shift.invalid"}},
		{name: "huge break", band: BandYoung, shift: sh("2026-09-19", "10:00", "11:00", 1<<62), want: []string{"shift.invalid"}},
		{name: "invalid beats task rules", band: BandUnder13, task: wage, shift: sh("2026-09-19", "11:00", "10:00", 0),
			want: []string{"shift.invalid"}},
		{name: "overlap", band: BandYoung, existing: []Shift{sh("2026-09-19", "15:00", "16:00", 0)},
			shift: sh("2026-09-19", "15:30", "16:30", 0), want: []string{"shift.overlap"}},
		{name: "adjacent is no overlap", band: BandYoung, existing: []Shift{sh("2026-09-19", "15:00", "16:00", 0)},
			shift: sh("2026-09-19", "16:00", "17:00", 0)},
		{name: "invalid existing shifts are ignored", band: BandYoung,
			existing: []Shift{sh("2026-09-19", "16:00", "10:00", 0), {}},
			shift:    sh("2026-09-19", "16:00", "17:00", 0)},
		{name: "nil calendar is the default", band: BandYoung, cal: Calendar(nil), shift: sh("2026-09-15", "15:00", "17:01", 0),
			want: []string{"hours.school_day.young"}},
	}
	e := engine(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := tc.cal
			if cal == nil && !strings.HasPrefix(tc.name, "nil calendar") {
				cal = term
			}
			res := e.Check(tc.band, tc.task, cal, tc.existing, tc.shift)
			if got := ids(res); !slices.Equal(got, tc.want) {
				t.Fatalf("violations %v, want %v", got, tc.want)
			}
			if res.Version != "2025-01-01" {
				t.Errorf("version %q", res.Version)
			}
			if res.OK() != (len(tc.want) == 0) || (res.Message("da") == "") == !res.OK() {
				t.Errorf("OK %v, message %q", res.OK(), res.Message("da"))
			}
			if tc.wantDA != "" && res.Message("da") != tc.wantDA {
				t.Errorf("da message %q, want %q", res.Message("da"), tc.wantDA)
			}
			for _, v := range res.Violations {
				if v.Message["da"] == "" || v.Message["en"] == "" || strings.Contains(v.Message["da"]+v.Message["en"], "{") {
					t.Errorf("%s: messages %v", v.Rule, v.Message)
				}
			}
		})
	}
}

func TestCheckBandFromBirthday(t *testing.T) {
	e := engine(t)
	shift := sh("2026-09-19", "10:00", "11:00", 0)
	day := people.DateOf(shift.Start)
	born := func(years int, s people.SchoolStatus) Band {
		return BandOf(people.Date{Year: day.Year - years, Month: day.Month, Day: day.Day}, s, day)
	}
	tests := []struct {
		name string
		band Band
		task Task
		ok   bool
	}{
		{"lifting at 17 in school", born(17, people.SchoolCompulsory), Task{Lifting12kg: true}, false},
		{"lifting at 17 finished", born(17, people.SchoolFinished9), Task{Lifting12kg: true}, false},
		{"lifting at 18", born(18, people.SchoolFinished9), Task{Lifting12kg: true}, true},
		{"machines at 14", born(14, people.SchoolCompulsory), Task{Machines: true}, false},
		{"machines at 16 finished 9th", born(16, people.SchoolFinished9), Task{Machines: true}, true},
		{"machines at 16 in school", born(16, people.SchoolCompulsory), Task{Machines: true}, false},
		{"wage at 12", born(12, people.SchoolCompulsory), Task{Wage: true}, false},
		{"points at 12", born(12, people.SchoolCompulsory), Task{}, true},
		{"wage at 13", born(13, people.SchoolCompulsory), Task{Wage: true}, true},
	}
	for _, tc := range tests {
		res := e.Check(tc.band, tc.task, term, nil, shift)
		if res.OK() != tc.ok {
			t.Errorf("%s (%s): %v", tc.name, tc.band, ids(res))
		}
	}
}

func TestBandOf(t *testing.T) {
	birth := people.Date{Year: 2013, Month: 6, Day: 10}
	leap := people.Date{Year: 2012, Month: 2, Day: 29}
	tests := []struct {
		name   string
		birth  people.Date
		school people.SchoolStatus
		on     string
		want   Band
	}{
		{"day before 13th birthday", birth, people.SchoolCompulsory, "2026-06-09", BandUnder13},
		{"13th birthday", birth, people.SchoolCompulsory, "2026-06-10", BandYoung},
		{"14", birth, people.SchoolFinished9, "2027-06-10", BandYoung},
		{"15 in compulsory school", birth, people.SchoolCompulsory, "2028-06-10", BandYoung},
		{"15 school unknown", birth, "", "2028-06-10", BandYoung},
		{"day before 15th birthday finished", birth, people.SchoolFinished9, "2028-06-09", BandYoung},
		{"15 finished 9th", birth, people.SchoolFinished9, "2028-06-10", BandOlder},
		{"17 finished 9th", birth, people.SchoolFinished9, "2031-06-09", BandOlder},
		{"17 in school", birth, people.SchoolCompulsory, "2031-06-09", BandYoung},
		{"18th birthday", birth, people.SchoolCompulsory, "2031-06-10", BandAdult},
		{"10", birth, people.SchoolCompulsory, "2023-08-01", BandUnder13},
		{"leap day 13 on 1 March", leap, people.SchoolCompulsory, "2025-03-01", BandYoung},
		{"leap day 12 on 28 Feb", leap, people.SchoolCompulsory, "2025-02-28", BandUnder13},
		{"unknown birth", people.Date{}, people.SchoolFinished9, "2026-01-01", BandUnder13},
	}
	for _, tc := range tests {
		if got := BandOf(tc.birth, tc.school, peoplekit.Date(tc.on)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, b := range Bands {
		if !b.Valid() {
			t.Errorf("%s not valid", b)
		}
	}
	if Band("teen").Valid() {
		t.Error("teen valid")
	}
}

func TestEaster(t *testing.T) {
	for _, s := range []string{"1818-03-22", "2000-04-23", "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2038-04-25", "2285-03-22"} {
		d := peoplekit.Date(s)
		if got := Easter(d.Year); got != d {
			t.Errorf("Easter(%d) = %s, want %s", d.Year, got, d)
		}
	}
}

func TestDefaultCalendar(t *testing.T) {
	tests := []struct {
		day    string
		school bool
	}{
		{"2026-09-15", true},  // a Tuesday in term
		{"2026-09-14", true},  // Monday in term
		{"2026-10-12", false}, // efterårsferie, ISO week 42
		{"2026-10-16", false},
		{"2026-10-19", true},
		{"2026-12-18", true},
		{"2026-12-21", false}, // juleferie
		{"2026-12-31", false},
		{"2027-01-01", false},
		{"2027-01-04", true},
		{"2027-02-15", false}, // vinterferie, ISO week 7
		{"2027-02-19", false},
		{"2027-02-22", true},
		{"2027-03-19", true},  // Friday before påskeferie
		{"2027-03-22", false}, // Monday in påskeferie (Easter 28 March)
		{"2027-03-25", false}, // skærtorsdag
		{"2027-03-29", false}, // 2. påskedag
		{"2027-03-30", true},
		{"2027-05-06", false}, // Kristi himmelfartsdag
		{"2027-05-07", false}, // the Friday after
		{"2027-05-17", false}, // 2. pinsedag
		{"2027-05-18", true},
		{"2026-06-05", false}, // Grundlovsdag (a Friday in 2026)
		{"2026-06-26", true},  // Friday of ISO week 26
		{"2026-06-29", false}, // sommerferie from Saturday of ISO week 26
		{"2027-07-02", true},  // Friday of ISO week 26 (2027)
		{"2027-07-05", false}, // sommerferie
		{"2027-08-13", false}, // Friday of ISO week 32
		{"2027-08-16", true},  // first school day after the summer
		{"2026-08-07", false},
		{"2026-08-10", true},
		{"2027-10-18", false}, // ISO week 42 of 2027
	}
	cal := DefaultCalendar(2026)
	for _, tc := range tests {
		if got := cal.SchoolDay(peoplekit.Date(tc.day)); got != tc.school {
			t.Errorf("%s: school %v, want %v", tc.day, got, tc.school)
		}
	}
	// No Saturday or Sunday is ever a school day.
	for d := peoplekit.Date("2026-01-01"); d.Year < 2029; d = addDays(d, 1) {
		if wd := weekday(d); (wd == time.Saturday || wd == time.Sunday) && cal.SchoolDay(d) {
			t.Fatalf("%s is a school day", d)
		}
	}
	// A week with one school day is a school week; ISO week 42 is not.
	e := engine(t)
	r := e.Rules(peoplekit.Date("2026-10-14"))
	if len(r) == 0 {
		t.Fatal("no rules")
	}
	for _, d := range []string{"2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"} {
		if cal.SchoolDay(peoplekit.Date(d)) {
			t.Errorf("%s in week 42 is a school day", d)
		}
	}

	// Editable: weekends as school days, extra free days, JSON round trip.
	cal.WeekendSchool = true
	cal.FreeDays = []people.Date{peoplekit.Date("2026-09-15")}
	if !cal.SchoolDay(peoplekit.Date("2026-09-19")) || cal.SchoolDay(peoplekit.Date("2026-09-15")) {
		t.Error("weekend_school or free_days ignored")
	}
	b, err := json.Marshal(cal)
	if err != nil {
		t.Fatal(err)
	}
	var back AreaCalendar
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Holidays, cal.Holidays) || !slices.Equal(back.FreeDays, cal.FreeDays) || !back.WeekendSchool {
		t.Errorf("round trip lost data: %s", b)
	}
	if !strings.Contains(string(b), `"from":"2026-10-12","to":"2026-10-18","name":"efterårsferie"`) {
		t.Errorf("unexpected JSON: %s", b)
	}
	var zero AreaCalendar
	if err := json.Unmarshal([]byte(`{"holidays":[]}`), &zero); err != nil || zero.SchoolDay(peoplekit.Date("2026-09-19")) {
		t.Error("weekends must be school-free by default")
	}
}

func TestFormatDuration(t *testing.T) {
	da := units{Hour: "time", Hours: "timer", Minute: "minut", Minutes: "minutter", And: "og"}
	en := units{Hour: "hour", Hours: "hours", Minute: "minute", Minutes: "minutes", And: "and"}
	tests := []struct {
		d      time.Duration
		da, en string
	}{
		{2 * time.Hour, "2 timer", "2 hours"},
		{time.Hour, "1 time", "1 hour"},
		{150 * time.Minute, "2 timer og 30 minutter", "2 hours and 30 minutes"},
		{30 * time.Minute, "30 minutter", "30 minutes"},
		{61 * time.Minute, "1 time og 1 minut", "1 hour and 1 minute"},
		{90*time.Second + time.Minute, "2 minutter", "2 minutes"},
		{0, "0 minutter", "0 minutes"},
	}
	for _, tc := range tests {
		if got := formatDuration(tc.d, da); got != tc.da {
			t.Errorf("%v da: %q, want %q", tc.d, got, tc.da)
		}
		if got := formatDuration(tc.d, en); got != tc.en {
			t.Errorf("%v en: %q, want %q", tc.d, got, tc.en)
		}
	}
}

func TestResultMessage(t *testing.T) {
	res := engine(t).Check(BandYoung, Task{}, term, nil, sh("2026-09-15", "15:00", "17:01", 0))
	if got := res.Message("en"); got != "You may work at most 2 hours on a school day." {
		t.Errorf("en: %q", got)
	}
	if res.Message("") != res.Message("da") || res.Message("fr") != res.Message("da") {
		t.Error("unknown language must give Danish")
	}
	if res.Band != BandYoung {
		t.Errorf("band %s", res.Band)
	}
	// Violations get their own copy of the messages.
	res.Violations[0].Message["da"] = "x"
	again := engine(t).Check(BandYoung, Task{}, term, nil, sh("2026-09-15", "15:00", "17:01", 0))
	if again.Message("da") == "x" {
		t.Error("messages are shared")
	}
	if (Result{}).Message("da") != "" {
		t.Error("OK result has a message")
	}
}

// TestRuleFile checks the embedded JSON itself: every rule has an https
// source, a note and Danish and English messages.
func TestRuleFile(t *testing.T) {
	names, err := embedded.ReadDir(".")
	if err != nil || len(names) == 0 {
		t.Fatal(err, names)
	}
	for _, n := range names {
		b, err := embedded.ReadFile(n.Name())
		if err != nil {
			t.Fatal(err)
		}
		var f fileSet
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if n.Name() != "ruleset-"+f.Version+".json" {
			t.Errorf("%s holds version %s", n.Name(), f.Version)
		}
		seen := map[string]bool{}
		for _, r := range f.Rules {
			if !strings.HasPrefix(r.Source, "https://") {
				t.Errorf("%s: source %q", r.ID, r.Source)
			}
			if strings.TrimSpace(r.Message["da"]) == "" || strings.TrimSpace(r.Message["en"]) == "" {
				t.Errorf("%s: messages %v", r.ID, r.Message)
			}
			if strings.TrimSpace(r.Note) == "" || r.ValidFrom.IsZero() || len(r.Bands) == 0 || seen[r.ID] {
				t.Errorf("%s: note, valid_from, bands or unique id missing", r.ID)
			}
			seen[r.ID] = true
		}
	}
	// And what the rules page gets.
	e := engine(t)
	infos := e.Rules(peoplekit.Date("2026-09-15"))
	want := []string{"shift.invalid", "shift.overlap", "task.wage", "task.machines", "task.lifting", "task.alone",
		"time.window", "hours.school_day.young", "hours.free_day.young", "hours.school_week.young",
		"hours.free_week.young", "hours.day.older", "hours.week.older", "rest.young", "rest.older", "days_off", "break"}
	var got []string
	for _, r := range infos {
		got = append(got, r.ID)
		if r.Message["da"] == "" || r.Message["en"] == "" || strings.Contains(r.Message["da"]+r.Message["en"], "{") {
			t.Errorf("%s: message %v", r.ID, r.Message)
		}
		if r.ValidFrom.IsZero() || r.Source == "" || r.Note == "" || len(r.Bands) == 0 {
			t.Errorf("%s: incomplete %+v", r.ID, r)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules %v", got)
	}
	byID := map[string]RuleInfo{}
	for _, r := range infos {
		byID[r.ID] = r
	}
	for id, limit := range map[string]string{"hours.school_day.young": "2h", "time.window": "06:00-20:00",
		"days_off": "2/7d", "task.lifting": "12kg", "break": "30m>4h30m", "rest.young": "14h"} {
		if byID[id].Limit != limit {
			t.Errorf("%s limit %q, want %q", id, byID[id].Limit, limit)
		}
	}
	if m := byID["hours.free_day.young"].Message["en"]; m != "You may work at most 7 hours on a day without school." {
		t.Errorf("free day en: %q", m)
	}
}

// variant is the embedded rule set changed by edit and written as JSON.
func variant(t *testing.T, edit func(f map[string]any)) []byte {
	t.Helper()
	b, err := embedded.ReadFile("ruleset-2025-01-01.json")
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	edit(f)
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ruleByID(f map[string]any, id string) map[string]any {
	for _, r := range f["rules"].([]any) {
		if m := r.(map[string]any); m["id"] == id {
			return m
		}
	}
	panic(id)
}

func TestVersions(t *testing.T) {
	e := engine(t)
	if v := e.Version(peoplekit.Date("2026-01-01")); v != "2025-01-01" {
		t.Errorf("version %q", v)
	}
	if v := e.Version(peoplekit.Date("2020-01-01")); v != "2025-01-01" {
		t.Errorf("before the first set: %q", v)
	}
	// A shift before the first rule set is checked by it as on its first day.
	if res := e.Check(BandYoung, Task{}, term, nil, sh("2020-09-15", "15:00", "17:01", 0)); res.Version != "2025-01-01" ||
		!slices.Equal(ids(res), []string{"hours.school_day.young"}) {
		t.Errorf("2020: %v %v", res.Version, ids(res))
	}

	// A later set with a 3-hour school day, and a rule that starts mid-year.
	later := variant(t, func(f map[string]any) {
		f["version"], f["valid_from"] = "2030-01-01", "2030-01-01"
		for _, r := range f["rules"].([]any) {
			r.(map[string]any)["valid_from"] = "2030-01-01"
		}
		ruleByID(f, "hours.school_day.young")["limit"] = map[string]any{"minutes": 180}
		ruleByID(f, "task.alone")["valid_from"] = "2030-06-01"
	})
	orig, _ := embedded.ReadFile("ruleset-2025-01-01.json")
	e2, err := Load(fstest.MapFS{
		"ruleset-2030-01-01.json": {Data: later},
		"ruleset-2025-01-01.json": {Data: orig},
		"README.md":               {Data: []byte("not a rule set")},
	})
	if err != nil {
		t.Fatal(err)
	}
	shift := sh("2029-12-18", "15:00", "17:30", 0)
	if res := e2.Check(BandYoung, Task{}, DefaultCalendar(2029), nil, shift); res.Version != "2025-01-01" || res.OK() {
		t.Errorf("2029: %s %v", res.Version, ids(res))
	}
	shift = sh("2030-03-12", "15:00", "17:30", 0)
	res := e2.Check(BandYoung, Task{WorksAlone: true}, DefaultCalendar(2029), nil, shift)
	if res.Version != "2030-01-01" || !res.OK() {
		t.Errorf("2030: %s %v", res.Version, ids(res))
	}
	if res.Message("da") != "" {
		t.Error("message on OK")
	}
	shift = sh("2030-09-10", "15:00", "17:30", 0)
	if res := e2.Check(BandYoung, Task{WorksAlone: true}, DefaultCalendar(2030), nil, shift); !slices.Equal(ids(res), []string{"task.alone"}) {
		t.Errorf("2030-09: %v", ids(res))
	}
	if len(e2.Rules(peoplekit.Date("2030-03-01"))) != len(e2.Rules(peoplekit.Date("2030-07-01")))-1 {
		t.Error("task.alone should start on 2030-06-01")
	}
	for _, r := range e2.Rules(peoplekit.Date("2030-03-01")) {
		if r.ID == "hours.school_day.young" && r.Message["da"] != "Du må højst arbejde 3 timer på en skoledag." {
			t.Errorf("2030 message %q", r.Message["da"])
		}
	}
}

func TestLoadRejects(t *testing.T) {
	tests := map[string]func(f map[string]any){
		"unknown kind":        func(f map[string]any) { ruleByID(f, "break")["kind"] = "nap" },
		"no english":          func(f map[string]any) { delete(ruleByID(f, "break")["message"].(map[string]any), "en") },
		"http source":         func(f map[string]any) { ruleByID(f, "break")["source"] = "http://at.dk" },
		"unknown placeholder": func(f map[string]any) { ruleByID(f, "break")["message"].(map[string]any)["da"] = "{nap}" },
		"unknown field":       func(f map[string]any) { ruleByID(f, "break")["colour"] = "red" },
		"no note":             func(f map[string]any) { ruleByID(f, "break")["note"] = " " },
		"bad band":            func(f map[string]any) { ruleByID(f, "break")["bands"] = []any{"teen"} },
		"no bands":            func(f map[string]any) { ruleByID(f, "break")["bands"] = []any{} },
		"duplicate id":        func(f map[string]any) { ruleByID(f, "break")["id"] = "days_off" },
		"zero limit":          func(f map[string]any) { ruleByID(f, "rest.young")["limit"] = map[string]any{} },
		"bad scope":           func(f map[string]any) { ruleByID(f, "hours.day.older")["scope"] = "weekend" },
		"bad flag":            func(f map[string]any) { ruleByID(f, "task.alone")["flag"] = "dogs" },
		"bad window": func(f map[string]any) {
			ruleByID(f, "time.window")["limit"] = map[string]any{"from": "20:00", "to": "06:00"}
		},
		"bad clock": func(f map[string]any) {
			ruleByID(f, "time.window")["limit"] = map[string]any{"from": "6", "to": "20:00"}
		},
		"bad days off":     func(f map[string]any) { ruleByID(f, "days_off")["limit"] = map[string]any{"days": 7, "period_days": 7} },
		"no version":       func(f map[string]any) { f["version"] = "" },
		"no units":         func(f map[string]any) { delete(f["units"].(map[string]any), "en") },
		"no validity rule": func(f map[string]any) { ruleByID(f, "shift.invalid")["kind"] = "overlap" },
		"partial validity": func(f map[string]any) { ruleByID(f, "shift.invalid")["bands"] = []any{"young"} },
		"language w/o units": func(f map[string]any) {
			ruleByID(f, "break")["message"].(map[string]any)["fr"] = "Pause"
		},
	}
	for name, edit := range tests {
		if _, err := Load(fstest.MapFS{"ruleset-x.json": {Data: variant(t, edit)}}); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if _, err := Load(fstest.MapFS{}); err == nil {
		t.Error("empty FS loaded")
	}
	orig, _ := embedded.ReadFile("ruleset-2025-01-01.json")
	if _, err := Load(fstest.MapFS{"ruleset-a.json": {Data: orig}, "ruleset-b.json": {Data: orig}}); err == nil {
		t.Error("two sets with one version loaded")
	}
}

func FuzzCheck(f *testing.F) {
	seed := at("2026-09-15", "15:00").Unix()
	f.Add(seed, int64(7200), 0, int64(-86400), int64(3600), 0, uint8(1), uint8(0), false)
	f.Add(seed, int64(0), -5, int64(0), int64(-60), 1<<40, uint8(0), uint8(15), true)
	f.Add(seed, int64(90000), 30, int64(3600), int64(86400*40), 30, uint8(2), uint8(3), false)
	f.Add(int64(-1<<62), int64(1<<62), 1<<62, int64(1<<62), int64(-1<<62), -1<<62, uint8(9), uint8(255), true)
	f.Add(int64(0), int64(16*3600), 600, int64(-7*86400), int64(5*3600), 60, uint8(3), uint8(1), false)
	e := engine(f)
	base := at("2026-09-01", "00:00").Unix()
	f.Fuzz(func(t *testing.T, start, dur int64, brk int, exOff, exDur int64, exBrk int, band, flags uint8, nilCal bool) {
		p := Shift{Start: time.Unix(start, 0), BreakMinutes: brk}
		p.End = p.Start.Add(time.Duration(dur) * time.Second)
		var existing []Shift
		for i := range int64(8) {
			s := p.Start.Add(time.Duration(exOff+i*86400) * time.Second)
			existing = append(existing, Shift{Start: s, End: s.Add(time.Duration(exDur) * time.Second), BreakMinutes: exBrk})
		}
		var cal Calendar = term
		if nilCal {
			cal = nil
		}
		b := append(slices.Clone(Bands), "")[int(band)%(len(Bands)+1)]
		task := Task{Wage: flags&1 != 0, Lifting12kg: flags&2 != 0, WorksAlone: flags&4 != 0, Machines: flags&8 != 0}
		res := e.Check(b, task, cal, existing, p)
		// The same input folded into plausible shifts near autumn 2026, so
		// the time rules run too and not only shift.invalid.
		q := Shift{Start: time.Unix(base+start%(60*86400), 0), BreakMinutes: brk % 90}
		q.End = q.Start.Add(time.Duration(dur%(26*3600)) * time.Second)
		near := slices.Clone(existing)
		for i := range near {
			near[i].Start = q.Start.Add(time.Duration(exOff%(10*86400)+int64(i)*86400) * time.Second)
			near[i].End = near[i].Start.Add(time.Duration(exDur%(12*3600)) * time.Second)
			near[i].BreakMinutes = exBrk % 90
		}
		if r := e.Check(b, task, cal, near, q); r.Version == "" || (r.Message("en") == "") != r.OK() {
			t.Fatalf("folded result %+v", r)
		}
		if res.Version == "" || !res.Band.Valid() {
			t.Fatalf("result %+v", res)
		}
		if (res.Message("da") == "") != res.OK() {
			t.Fatalf("message %q with OK %v", res.Message("da"), res.OK())
		}
		for _, v := range res.Violations {
			if v.Rule == "" || v.Message["da"] == "" || v.Message["en"] == "" {
				t.Fatalf("violation %+v", v)
			}
		}
		length := p.End.Sub(p.Start)
		valid := p.End.After(p.Start) && length <= 24*time.Hour && brk >= 0 &&
			int64(brk) <= int64(length/time.Minute) && time.Duration(brk)*time.Minute < length
		if !valid && !slices.Equal(ids(res), []string{"shift.invalid"}) {
			t.Fatalf("invalid shift %v–%v break %d: %v", p.Start, p.End, brk, ids(res))
		}
	})
}
