package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"fritidsjob/evaluation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// seedDemoHistory gives the demo area five years of history through the
// import path, so the evaluation export (and the chart) has something to
// show: 300 youths registered over the five years before now, about
// half of them starting in the programme with guidance sessions and tasks,
// and job spells whose yearly probability is about 15 % for everyone,
// plus about 15 percentage points from the year after the start (more for
// girls). The numbers are made up, from a fixed seed.
func seedDemoHistory(db store.DB, ppl *people.Service, area people.Area, now time.Time) (evaluation.ImportReport, error) {
	rng := rand.New(rand.NewPCG(2026, 6))
	thisYear := now.In(people.Copenhagen).Year()
	var youths, events, spells strings.Builder
	youths.WriteString("external_id;birth_date;gender;area;registration_date\n")
	events.WriteString("external_id;date;type;hours\n")
	spells.WriteString("external_id;start;end;industry\n")
	for i := 0; i < 300; i++ {
		ext := fmt.Sprintf("DEMO-%03d", i+1)
		regYear := thisYear - 5 + i%5
		age := 12 + rng.IntN(5)
		birth := time.Date(regYear-age, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		reg := time.Date(regYear, time.Month(1+rng.IntN(6)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		girl := i%2 == 0
		gender := "dreng"
		if girl {
			gender = "pige"
		}
		fmt.Fprintf(&youths, "%s;%s;%s;%s;%s\n", ext, birth.Format("2006-01-02"), gender, area.Name, reg.Format("02-01-2006"))
		start := 0
		if rng.Float64() < 0.5 {
			start = regYear + rng.IntN(2)
			if start >= thisYear {
				start = regYear
			}
			writeDemoEvents(&events, rng, ext, start, thisYear)
		}
		writeDemoSpells(&spells, rng, ext, start, regYear, girl, now)
	}
	imp := evaluation.NewImporter(db, ppl, func() time.Time { return now })
	return imp.Import(
		evaluation.Input{Name: "demo-unge.csv", Data: strings.NewReader(youths.String())},
		evaluation.Input{Name: "demo-deltagelse.csv", Data: strings.NewReader(events.String())},
		evaluation.Input{Name: "demo-jobforloeb.csv", Data: strings.NewReader(spells.String())},
	)
}

// writeDemoEvents writes a participant's events from start: guidance in
// August of the start year, then two to five activities a year for up to
// three years.
func writeDemoEvents(events *strings.Builder, rng *rand.Rand, ext string, start, thisYear int) {
	for y := start; y < thisYear && y <= start+2; y++ {
		for k := 0; k < 2+rng.IntN(4); k++ {
			d := time.Date(y, time.Month(3+rng.IntN(8)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
			if y == start && k == 0 {
				d = time.Date(y, 8, 1, 0, 0, 0, 0, time.UTC) // the start: guidance in August
				fmt.Fprintf(events, "%s;%s;guidance_session;1\n", ext, d.Format("2006-01-02"))
				continue
			}
			typ := []string{"lommepenge_task", "lommepenge_task", "cv_workshop", "interview_training"}[rng.IntN(4)]
			fmt.Fprintf(events, "%s;%s;%s;%d,5\n", ext, d.Format("2006-01-02"), typ, 1+rng.IntN(3))
		}
	}
}

// demoIndustries are the demo history's job spells' industries.
var demoIndustries = []string{"Detailhandel", "Café og restaurant", "Lager", "Idrætsforening", "Supermarked"}

// writeDemoSpells writes a youth's job spells from the year before
// registration: 15 % a year, more after a participant's start (the
// planted effect, larger for girls), none begun from yesterday on.
func writeDemoSpells(spells *strings.Builder, rng *rand.Rand, ext string, start, regYear int, girl bool, now time.Time) {
	thisYear := now.In(people.Copenhagen).Year()
	for y := regYear - 1; y <= thisYear; y++ {
		p := 0.15
		if start != 0 && y > start {
			p += 0.15
			if girl {
				p += 0.07
			}
		}
		if rng.Float64() >= p {
			continue
		}
		from := time.Date(y, time.Month(1+rng.IntN(9)), 1, 0, 0, 0, 0, time.UTC)
		if !from.Before(now.AddDate(0, 0, -1)) {
			continue // not begun yet this year
		}
		to := from.AddDate(0, 2+rng.IntN(4), -1)
		if yesterday := now.AddDate(0, 0, -1); to.After(yesterday) {
			to = yesterday
		}
		fmt.Fprintf(spells, "%s;%s;%s;%s\n", ext, from.Format("2006-01-02"), to.Format("2006-01-02"), demoIndustries[rng.IntN(len(demoIndustries))])
	}
}
