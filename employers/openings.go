package employers

import (
	"fmt"
	"time"

	"fritidsjob/jobs/rules"
	"fritidsjob/people"
	"fritidsjob/store"
)

// NewOpening is what a coordinator fills in to post an opening.
type NewOpening struct {
	EmployerID                        uint64
	Role, Place                       string
	HoursPerWeek, MinAge              int
	StartDate                         people.Date
	WageOre                           int64
	Lifting12kg, WorksAlone, Machines bool
	// Keywords describe the work for matching ("dyr", "butik").
	Keywords []string
}

// Limits on opening fields.
const (
	maxHoursPerWeek = 40
	maxWageOre      = 100_000 // 1.000 kr. per hour
	minOpeningAge   = 13
	maxOpeningAge   = 30
)

// CreateOpening posts an open opening for an employer of area.
// Refuses with ErrNotFound and invalid input.
func (s *Service) CreateOpening(area uint64, n NewOpening) (Opening, error) {
	var err error
	if n.Role, err = text("role", n.Role, 120, true); err != nil {
		return Opening{}, err
	}
	if n.Place, err = text("place", n.Place, 120, false); err != nil {
		return Opening{}, err
	}
	if len(n.Keywords) > 20 {
		return Opening{}, invalid("keywords", "too_many")
	}
	var kws []string
	for _, k := range n.Keywords {
		if k, err = text("keywords", k, 60, false); err != nil {
			return Opening{}, err
		}
		if k != "" {
			kws = append(kws, k)
		}
	}
	switch {
	case n.HoursPerWeek < 1 || n.HoursPerWeek > maxHoursPerWeek:
		return Opening{}, invalid("hours", "range")
	case n.MinAge < minOpeningAge || n.MinAge > maxOpeningAge:
		return Opening{}, invalid("min_age", "range")
	case n.StartDate.IsZero():
		return Opening{}, invalid("start_date", "required")
	case n.WageOre < 0 || n.WageOre > maxWageOre:
		return Opening{}, invalid("wage", "range")
	}
	o := Opening{AreaID: area, EmployerID: n.EmployerID, Role: n.Role, Place: n.Place,
		HoursPerWeek: n.HoursPerWeek, MinAge: n.MinAge, StartDate: n.StartDate, WageOre: n.WageOre,
		Lifting12kg: n.Lifting12kg, WorksAlone: n.WorksAlone, Machines: n.Machines,
		Keywords: kws, Status: OpeningOpen, Created: s.now().UTC()}
	err = s.db.Update(func(tx store.Tx) error {
		if _, err := getEmployer(tx, area, n.EmployerID); err != nil {
			return err
		}
		id, err := tx.NextID(bucketOpenings)
		if err != nil {
			return err
		}
		o.ID = id
		return store.PutJSON(tx, bucketOpenings, store.Key(area, id), o)
	})
	if err != nil {
		return Opening{}, fmt.Errorf("create opening: %w", err)
	}
	return o, nil
}

// CloseOpening stops an opening from taking placements.
// Refuses with ErrNotFound.
func (s *Service) CloseOpening(area, id uint64) error {
	return s.db.Update(func(tx store.Tx) error {
		o, err := getOpening(tx, area, id)
		if err != nil {
			return err
		}
		o.Status = OpeningClosed
		return store.PutJSON(tx, bucketOpenings, store.Key(area, id), o)
	})
}

// Opening returns opening id of area, or ErrNotFound.
func (s *Service) Opening(area, id uint64) (Opening, error) {
	var o Opening
	err := s.db.View(func(tx store.Tx) error {
		var err error
		o, err = getOpening(tx, area, id)
		return err
	})
	return o, err
}

// Openings lists area's openings in ID order; employer 0 means all
// employers, otherwise only that employer's (for the employer portal).
func (s *Service) Openings(area, employer uint64) ([]Opening, error) {
	var out []Opening
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketOpenings, store.ID(area), func(_ []byte, o Opening) error {
			if employer == 0 || o.EmployerID == employer {
				out = append(out, o)
			}
			return nil
		})
	})
	return out, err
}

// RuleMinAge is the problem CheckOpeningFor reports when the youth is
// below the opening's MinAge on its start date.
const RuleMinAge = "opening.min_age"

// RepresentativeShift is the shift CheckOpeningFor checks an opening
// with: the opening's start date from 16:00 Copenhagen time, lasting a
// third of the weekly hours but at most two hours. It stands for a
// typical after-school shift; the real rota is not known yet, so only
// the rules about the work itself (wage, machines, lifting, working alone)
// and the age band are really decided by it.
func RepresentativeShift(o Opening) rules.Shift {
	d := o.StartDate
	start := time.Date(d.Year, d.Month, d.Day, 16, 0, 0, 0, people.Copenhagen)
	length := min(time.Duration(o.HoursPerWeek)*time.Hour/3, 2*time.Hour)
	return rules.Shift{Start: start, End: start.Add(length)}
}

// CheckOpeningFor lists the problems that make opening o unsuitable for
// youth y: RuleMinAge when y is below o.MinAge on o.StartDate, then the
// IDs of the young-worker rules (rules.Engine.Check) the opening breaks
// for y's age band on o.StartDate (from y's birth date and school status)
// with RepresentativeShift(o). None means the opening may be matched. The
// default school calendar is used.
func (s *Service) CheckOpeningFor(o Opening, y people.Youth) []string {
	var problems []string
	if y.BirthDate.IsZero() || y.BirthDate.AgeOn(o.StartDate) < o.MinAge {
		problems = append(problems, RuleMinAge)
	}
	for _, v := range s.ruleViolations(o, y) {
		problems = append(problems, v.Rule)
	}
	return problems
}

// ruleViolations are the young-worker rules opening o breaks for y's
// age band on its start date, with their messages.
func (s *Service) ruleViolations(o Opening, y people.Youth) []rules.Violation {
	band := rules.BandOf(y.BirthDate, y.School, o.StartDate)
	res := s.rules.Check(band, rules.Task{Wage: o.WageOre > 0, Lifting12kg: o.Lifting12kg,
		WorksAlone: o.WorksAlone, Machines: o.Machines}, nil, nil, RepresentativeShift(o))
	return res.Violations
}

// CheckOpening is CheckOpeningFor for opening id and youth in area, read
// in one transaction.
// Refuses with ErrNotFound.
func (s *Service) CheckOpening(area, opening, youth uint64) ([]string, error) {
	var problems []string
	err := s.db.View(func(tx store.Tx) error {
		o, err := getOpening(tx, area, opening)
		if err != nil {
			return err
		}
		y, err := s.people.YouthTx(tx, area, youth)
		if err != nil {
			return err
		}
		problems = s.CheckOpeningFor(o, y)
		return nil
	})
	return problems, err
}
