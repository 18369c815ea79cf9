package evaluation

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// importHistory imports n youths registered 2019–2023 into area, about
// half of whom start (a guidance session) the year they register or the
// next, with leisure jobs at base rate before start and base+effect from
// the year after start. It returns how many started.
func importHistory(t *testing.T, e *env, area string, n int, base, effect float64) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	var youths, events, spells strings.Builder
	youths.WriteString("external_id;birth_date;gender;area;registration_date\n")
	events.WriteString("external_id;date;type;hours\n")
	spells.WriteString("external_id;start;end;industry\n")
	started := 0
	for i := 0; i < n; i++ {
		ext := fmt.Sprintf("H-%04d", i)
		reg := 2019 + i%5
		gender := []string{"pige", "dreng"}[i%2]
		fmt.Fprintf(&youths, "%s;%d-03-01;%s;%s;%d-02-01\n", ext, reg-13-rng.IntN(3), gender, area, reg)
		start := 0
		if rng.Float64() < 0.5 {
			start = reg + rng.IntN(2)
			started++
			fmt.Fprintf(&events, "%s;%d-08-01;guidance_session;1\n", ext, start)
		}
		for y := reg; y <= 2026; y++ {
			p := base
			if start != 0 && y > start {
				p += effect
			}
			if rng.Float64() < p {
				fmt.Fprintf(&spells, "%s;%d-05-01;%d-07-31;Detailhandel\n", ext, y, y)
			}
		}
	}
	if _, err := e.imp.Import(Input{Name: "unge.csv", Data: strings.NewReader(youths.String())},
		Input{Name: "deltagelse.csv", Data: strings.NewReader(events.String())},
		Input{Name: "job.csv", Data: strings.NewReader(spells.String())}); err != nil {
		t.Fatal(err)
	}
	return started
}

// TestEstimateFromPanel: the estimator fed from the store's own panel (the
// page's path) finds a planted jump in leisure jobs after start; the window
// is narrowed to the years the history can carry, without which the fit
// refuses an empty year.
func TestEstimateFromPanel(t *testing.T) {
	e := newEnv(t)
	area := e.area("Blåbærparken")
	e.now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	started := importHistory(t, e, area.Name, 400, 0.10, 0.35)
	o := Options{Areas: []uint64{area.ID}, FromYear: 2019, ToYear: 2026}

	if _, err := e.exp.Estimate(o, DefaultFitOptions(), false); !errors.Is(err, ErrEmptyCell) {
		t.Fatalf("fixed window −3..+3 on a history where nobody is seen 3 years before start: %v, want ErrEmptyCell", err)
	}
	split, err := e.exp.Estimate(o, DefaultFitOptions(), true)
	if err != nil {
		t.Fatal(err)
	}
	r := split.All
	if r.Options.MinRel != -1 || r.Options.MaxRel != 3 {
		t.Errorf("window %d..%d, want −1..+3 (a youth is seen from registration, and starts then or a year later)", r.Options.MinRel, r.Options.MaxRel)
	}
	if r.Participants != started || r.Participants+r.Comparison != 400 {
		t.Errorf("groups %d + %d, want %d participants of 400", r.Participants, r.Comparison, started)
	}
	for _, k := range []int{1, 2, 3} {
		p, ok1 := r.Cell(true, k)
		c, ok2 := r.Cell(false, k)
		if !ok1 || !ok2 {
			t.Fatalf("no cells at +%d", k)
		}
		if diff := p.Prob - c.Prob; diff < 0.2 || diff > 0.5 || p.Lower > 0.45 || p.Upper < 0.45 {
			t.Errorf("+%d: participants %.3f [%.3f, %.3f] vs comparison %.3f, want a jump of about 0.35 to about 0.45",
				k, p.Prob, p.Lower, p.Upper, c.Prob)
		}
	}
	if split.Female == nil || split.Male == nil {
		t.Errorf("gender split refused: %v", split.Refused)
	}
}

// TestFitWindow: the window widens from the reference year while each year
// has enough participants, and is left alone when the reference year
// itself has too few.
func TestFitWindow(t *testing.T) {
	var obs []Obs
	add := func(rel, youths int) {
		for i := 0; i < youths; i++ {
			obs = append(obs, Obs{Cluster: uint64(1000*(rel+10) + i), Participant: true, HasRel: true, RelYear: rel})
		}
	}
	add(-3, 2)
	add(-2, 5)
	add(-1, 9)
	add(0, 9)
	add(1, 7)
	add(2, 4)
	add(3, 9)                                                           // beyond a thin year: not reached
	obs = append(obs, Obs{Cluster: 1, Participant: false, RelYear: -3}) // comparison youths do not count
	for _, tc := range []struct{ ref, min, lo, hi, wantLo, wantHi int }{
		{-1, 5, -3, 3, -2, 1},
		{-1, 2, -3, 3, -3, 3},
		{-1, 10, -3, 3, -3, 3}, // the reference year is too thin: unchanged
		{0, 5, -1, 1, -1, 1},
	} {
		lo, hi := FitWindow(obs, tc.lo, tc.hi, tc.ref, tc.min)
		if lo != tc.wantLo || hi != tc.wantHi {
			t.Errorf("FitWindow(%d..%d, ref %d, min %d) = %d..%d, want %d..%d", tc.lo, tc.hi, tc.ref, tc.min, lo, hi, tc.wantLo, tc.wantHi)
		}
	}
}

// TestEstimateDropsYearsWithoutVariation: a calendar year in which nobody
// had a leisure job yet (the current year before summer) is left out and
// named, instead of refusing the whole chart for separation.
func TestEstimateDropsYearsWithoutVariation(t *testing.T) {
	e := newEnv(t)
	area := e.area("Blåbærparken")
	importHistory(t, e, area.Name, 400, 0.10, 0.35)
	o := Options{Areas: []uint64{area.ID}, FromYear: 2019, ToYear: 2026}
	// 2027 has registered youths and no jobs at all.
	e.now = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	o.ToYear = 2027
	split, err := e.exp.Estimate(o, DefaultFitOptions(), true)
	if err != nil {
		t.Fatalf("a year without jobs refused the chart: %v", err)
	}
	if len(split.DroppedYears) != 1 || split.DroppedYears[0] != 2027 {
		t.Errorf("dropped years %v, want [2027]", split.DroppedYears)
	}
	if _, ok := split.All.Coef("year[2027]"); ok {
		t.Error("the dropped year is still in the model")
	}
	obs, dropped := dropConstantYears([]Obs{{Year: 2020, Y: true}, {Year: 2020}, {Year: 2021}})
	if len(obs) != 2 || len(dropped) != 1 || dropped[0] != 2021 {
		t.Errorf("dropConstantYears = %v, %v", obs, dropped)
	}
	if obs, dropped := dropConstantYears([]Obs{{Year: 2020}, {Year: 2021}}); len(obs) != 2 || dropped != nil {
		t.Errorf("no variation anywhere: %v, %v; want everything kept for Fit to refuse", obs, dropped)
	}
}
