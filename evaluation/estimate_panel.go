package evaluation

import (
	"fmt"
	"slices"

	"fritidsjob/people"
)

// ObsFromPanel turns a panel row into the estimator's person-year. It
// reports false for a row the model cannot use: a year before the youth was
// registered (the programme knew nothing of the youth then, so "no leisure
// job" would be a guess) or an unknown age (an erased youth).
func ObsFromPanel(r PanelRow) (Obs, bool) {
	if !r.Registered || r.Age <= 0 {
		return Obs{}, false
	}
	o := Obs{Cluster: r.YouthID, Participant: r.Participant, Year: r.Year, Age: r.Age, Y: r.HasLeisureJob}
	switch r.Gender {
	case people.GenderFemale:
		o.Gender = "female"
	case people.GenderMale:
		o.Gender = "male"
	default:
		o.Gender = "other"
	}
	if r.Treated() {
		o.RelYear, o.HasRel = r.RelYear, true
	}
	return o, true
}

// FitWindow narrows the window [lo, hi] to the relative years around ref
// that the data can carry: starting at ref, it widens one year at a time,
// on each side, while that year has at least min distinct participants.
// A panel of a few years cannot fill −3..+3, and an empty year would make
// Fit refuse. When ref itself has too few, it returns lo and hi unchanged
// (and Fit says why).
func FitWindow(obs []Obs, lo, hi, ref, min int) (int, int) {
	youths := map[int]map[uint64]bool{}
	for _, o := range obs {
		if !o.Participant || !o.HasRel || o.RelYear < lo || o.RelYear > hi {
			continue
		}
		if youths[o.RelYear] == nil {
			youths[o.RelYear] = map[uint64]bool{}
		}
		youths[o.RelYear][o.Cluster] = true
	}
	if len(youths[ref]) < min {
		return lo, hi
	}
	from, to := ref, ref
	for from > lo && len(youths[from-1]) >= min {
		from--
	}
	for to < hi && len(youths[to+1]) >= min {
		to++
	}
	return from, to
}

// Estimate fits the event-study logit (see Fit) on the person-year panel
// that o selects, on everyone and by gender (see FitByGender). The panel is
// read in one pass; only the model's columns are kept in memory. Calendar
// years without variation in the outcome are left out (see
// dropConstantYears) and named in DroppedYears. With
// autoWindow, fo's window is first narrowed by FitWindow to the years with
// at least MinChartCellYouths participants.
// Refuses with ErrOptions and a *RefusalError (ErrInvalidInput,
// ErrTooFewYouths, ErrNoVariation, ErrEmptyCell, ErrSeparation, ErrSingular)
// when the fit on everyone is refused.
func (e *Exporter) Estimate(o Options, fo FitOptions, autoWindow bool) (*GenderSplit, error) {
	var obs []Obs
	err := e.EachPanelRow(o, func(r PanelRow) error {
		if ob, ok := ObsFromPanel(r); ok {
			obs = append(obs, ob)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("estimate: read panel: %w", err)
	}
	obs, dropped := dropConstantYears(obs)
	if autoWindow {
		fo.MinRel, fo.MaxRel = FitWindow(obs, fo.MinRel, fo.MaxRel, fo.RefRel, MinChartCellYouths)
	}
	split, err := FitByGender(obs, fo)
	if err != nil {
		return nil, err
	}
	split.DroppedYears = dropped
	return split, nil
}

// dropConstantYears leaves out the person-years of calendar years in which
// nobody had a leisure job (or everybody had): such a year's term predicts
// the outcome perfectly and no logit can be fitted with it. This is what
// Stata's logit does too ("predicts failure perfectly; dropped"); the
// typical case is the current year before the summer jobs are recorded.
// It returns the years left out, ascending.
func dropConstantYears(obs []Obs) ([]Obs, []int) {
	type count struct{ n, y int }
	years := map[int]*count{}
	for _, o := range obs {
		c := years[o.Year]
		if c == nil {
			c = &count{}
			years[o.Year] = c
		}
		c.n++
		if o.Y {
			c.y++
		}
	}
	var dropped []int
	for year, c := range years {
		if c.y == 0 || c.y == c.n {
			dropped = append(dropped, year)
		}
	}
	if len(dropped) == 0 || len(dropped) == len(years) {
		return obs, nil // nothing to drop, or nothing would be left: Fit says why
	}
	slices.Sort(dropped)
	kept := obs[:0:0]
	for _, o := range obs {
		if !slices.Contains(dropped, o.Year) {
			kept = append(kept, o)
		}
	}
	return kept, dropped
}
