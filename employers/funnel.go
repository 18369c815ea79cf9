package employers

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// FunnelGenders are the gender columns of a Funnel, in order.
var FunnelGenders = []people.Gender{people.GenderFemale, people.GenderMale, people.GenderOther, people.GenderUnknown}

// Cells are one row of a Funnel: the total and one cell per gender. A
// count cell is "0", "<5" for 1 to 4, or the number.
type Cells struct {
	All      string
	ByGender map[people.Gender]string
}

// FunnelRow is the number of youths currently at Stage.
type FunnelRow struct {
	Stage Stage
	Cells Cells
}

// Retention is the 3-month retention of placed youths. Eligible counts
// youths with a placement that started at least three months ago;
// Retained those of them that reached followup_3m. Rate is the retained
// share as "NN%", "" when nobody is eligible, and "<5" when the eligible,
// retained or not-retained count is 1 to 4 (a share of a small group
// would reveal it).
type Retention struct {
	Eligible, Retained, Rate Cells
}

// Funnel is an area's pipeline at a glance, safe to show: small counts
// are suppressed.
type Funnel struct {
	AreaID    uint64
	On        people.Date
	Stages    []FunnelRow
	Retention Retention
}

// Cell formats a count for publication: "<5" for 1 to 4.
func Cell(n int) string {
	if n > 0 && n < 5 {
		return "<5"
	}
	return strconv.Itoa(n)
}

func rate(eligible, retained int) string {
	switch {
	case eligible == 0:
		return ""
	case Cell(eligible) == "<5" || Cell(retained) == "<5" || Cell(eligible-retained) == "<5":
		return "<5"
	}
	return fmt.Sprintf("%d%%", (retained*100+eligible/2)/eligible)
}

type tally map[people.Gender]int

func (t tally) total() int {
	n := 0
	for _, v := range t {
		n += v
	}
	return n
}

func cellsOf(t tally) Cells {
	c := Cells{All: Cell(t.total()), ByGender: map[people.Gender]string{}}
	for _, g := range FunnelGenders {
		c.ByGender[g] = Cell(t[g])
	}
	return c
}

// Funnel counts area's youths at each stage today and the 3-month
// retention, split by the gender recorded on each youth's profile.
func (s *Service) Funnel(area uint64) (Funnel, error) {
	today := s.today()
	noon := time.Date(today.Year, today.Month, today.Day, 12, 0, 0, 0, people.Copenhagen)
	cut := people.DateOf(noon.AddDate(0, -3, 0))
	atStage := map[Stage]tally{}
	eligible, retained := tally{}, tally{}
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketPipelines, store.ID(area), func(_ []byte, p Pipeline) error {
			g := people.GenderUnknown
			y, err := s.people.YouthTx(tx, area, p.YouthID)
			switch {
			case err == nil:
				if y.Gender.Valid() {
					g = y.Gender
				}
			case !errors.Is(err, people.ErrNotFound):
				return err
			}
			if atStage[p.Stage] == nil {
				atStage[p.Stage] = tally{}
			}
			atStage[p.Stage][g]++
			placed, reached := false, false
			for _, st := range p.Steps {
				if st.To == StagePlaced && !cut.Before(st.Date) {
					placed = true
				}
				if st.To == StageFollowUp3M {
					reached = true
				}
			}
			if placed {
				eligible[g]++
				if reached {
					retained[g]++
				}
			}
			return nil
		})
	})
	if err != nil {
		return Funnel{}, err
	}
	f := Funnel{AreaID: area, On: today}
	for _, st := range Stages {
		f.Stages = append(f.Stages, FunnelRow{Stage: st, Cells: cellsOf(atStage[st])})
	}
	f.Retention.Eligible, f.Retention.Retained = cellsOf(eligible), cellsOf(retained)
	f.Retention.Rate = Cells{All: rate(eligible.total(), retained.total()), ByGender: map[people.Gender]string{}}
	for _, g := range FunnelGenders {
		f.Retention.Rate.ByGender[g] = rate(eligible[g], retained[g])
	}
	return f, nil
}
