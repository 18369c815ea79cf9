package evaluation

import (
	"fmt"

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
// read in one pass; only the model's columns are kept in memory. With
// autoWindow, fo's window is first narrowed by FitWindow to the years with
// at least MinChartCellYouths participants.
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
	if autoWindow {
		fo.MinRel, fo.MaxRel = FitWindow(obs, fo.MinRel, fo.MaxRel, fo.RefRel, MinChartCellYouths)
	}
	return FitByGender(obs, fo)
}
