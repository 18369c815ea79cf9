package evaluation

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fritidsjob/fault"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// AllTypes lists every participation type in the order the files show
// them.
var AllTypes = []participation.Type{participation.TaskWork, participation.GuidanceSession,
	participation.CVWorkshop, participation.InterviewTraining, participation.Placement,
	participation.RetentionFollowUp, participation.RewardOuting}

// Options choose what an export covers.
type Options struct {
	// Areas are the areas to include (at least one).
	Areas []uint64
	// FromYear and ToYear bound the calendar years of the panel and the
	// events, both included.
	FromYear, ToYear int
	// StartTypes are the activity types whose first record is a youth's
	// programme start; empty means every type.
	StartTypes []participation.Type
}

// ErrOptions means the options are incomplete or out of range.
// It is invalid input on the field "export_options".
var ErrOptions = fault.InvalidField("export_options", "invalid")

// normalize checks o and fills the defaults.
func (o Options) normalize() (Options, error) {
	if len(o.Areas) == 0 {
		return o, fmt.Errorf("%w: no areas", ErrOptions)
	}
	if o.FromYear < 1990 || o.ToYear > 2100 || o.FromYear > o.ToYear || o.ToYear-o.FromYear > 40 {
		return o, fmt.Errorf("%w: period %d–%d", ErrOptions, o.FromYear, o.ToYear)
	}
	o.Areas = slices.Clone(o.Areas)
	slices.Sort(o.Areas)
	o.Areas = slices.Compact(o.Areas)
	if len(o.StartTypes) == 0 {
		o.StartTypes = slices.Clone(AllTypes)
	}
	for _, t := range o.StartTypes {
		if !t.Valid() {
			return o, fmt.Errorf("%w: activity type %q", ErrOptions, t)
		}
	}
	return o, nil
}

// String describes o for the access log and the README.
func (o Options) String() string {
	ids := make([]string, len(o.Areas))
	for i, a := range o.Areas {
		ids[i] = strconv.FormatUint(a, 10)
	}
	ts := make([]string, len(o.StartTypes))
	for i, t := range o.StartTypes {
		ts[i] = string(t)
	}
	return fmt.Sprintf("areas=%s period=%d-%d start=%s", strings.Join(ids, ","), o.FromYear, o.ToYear, strings.Join(ts, ","))
}

// Spell is one job spell of a youth: the outcome. End is nil while the
// job lasts.
type Spell struct {
	YouthID uint64
	Start   people.Date
	End     *people.Date
}

// SpellSource lists the job spells of area inside tx (the employer
// pipeline's, wired in by the caller so this package does not depend on
// employers). Imported spells are added by this package itself.
type SpellSource func(tx store.Tx, area uint64, fn func(Spell) error) error

// youth is everything the files say about one youth, gathered in one pass.
type youth struct {
	id, area   uint64
	birthYear  int // 0 when unknown (erased)
	gender     people.Gender
	regYear    int
	start      string // programme start date, "" when never
	firstTreat int
	records    []participation.Record
	spells     []Spell
}

// yearStats are one youth's figures for one calendar year.
type yearStats struct {
	participated bool
	minutes      int
	jobMonths    int
}

// stats computes the youth's figures for year; today bounds open spells.
func (y *youth) stats(year int, start map[participation.Type]bool, today people.Date) yearStats {
	var s yearStats
	prefix := strconv.Itoa(year)
	for _, r := range y.records {
		if len(r.Date) >= 4 && r.Date[:4] == prefix && start[r.Type] {
			s.participated = true
			s.minutes += r.Minutes
		}
	}
	var months uint16
	for _, sp := range y.spells {
		end := today
		if sp.End != nil && sp.End.Before(today) {
			end = *sp.End
		}
		if end.Before(sp.Start) || sp.Start.Year > year || end.Year < year {
			continue
		}
		from, to := time.January, time.December
		if sp.Start.Year == year {
			from = sp.Start.Month
		}
		if end.Year == year {
			to = end.Month
		}
		for m := from; m <= to; m++ {
			months |= 1 << (m - 1)
		}
	}
	for ; months != 0; months &= months - 1 {
		s.jobMonths++
	}
	return s
}

// eachYouth calls fn with every youth of o's areas, area by area in ID
// order, with their participation records (by date) and job spells.
func (e *Exporter) eachYouth(tx store.Tx, o Options, fn func(*youth) error) error {
	starts := typeSet(o.StartTypes)
	for _, area := range o.Areas {
		spells := map[uint64][]Spell{}
		add := func(s Spell) error { spells[s.YouthID] = append(spells[s.YouthID], s); return nil }
		if e.spells != nil {
			if err := e.spells(tx, area, add); err != nil {
				return fmt.Errorf("job spells of area %d: %w", area, err)
			}
		}
		if err := store.ScanJSON(tx, bucketImportedSpells, store.ID(area), func(_ []byte, s importedSpell) error {
			return add(Spell{YouthID: s.YouthID, Start: s.Start, End: s.End})
		}); err != nil {
			return fmt.Errorf("imported job spells of area %d: %w", area, err)
		}
		var recs []participation.Record
		err := e.people.ForEachYouthTx(tx, area, func(p people.Youth) error {
			recs = recs[:0]
			if err := participation.ForYouth(tx, area, p.UserID, func(r participation.Record) error {
				recs = append(recs, r)
				return nil
			}); err != nil {
				return err
			}
			sort.SliceStable(recs, func(i, j int) bool { return recs[i].Date < recs[j].Date })
			y := youth{id: p.UserID, area: area, gender: p.Gender, records: recs, spells: spells[p.UserID],
				regYear: p.Created.In(people.Copenhagen).Year()}
			if !p.BirthDate.IsZero() {
				y.birthYear = p.BirthDate.Year
			}
			if y.gender == "" {
				y.gender = people.GenderUnknown
			}
			for _, r := range recs {
				if starts[r.Type] {
					y.start = r.Date
					y.firstTreat, _ = strconv.Atoi(r.Date[:4])
					break
				}
			}
			return fn(&y)
		})
		if err != nil {
			return fmt.Errorf("youths of area %d: %w", area, err)
		}
	}
	return nil
}

func typeSet(ts []participation.Type) map[participation.Type]bool {
	m := make(map[participation.Type]bool, len(ts))
	for _, t := range ts {
		m[t] = true
	}
	return m
}
