package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"fritidsjob/cv"
	"fritidsjob/digest"
	"fritidsjob/employers"
	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
)

// Demo logins, documented in README.md. Demo data goes only into an empty
// store, so these never exist in a real installation unless typed in.
const (
	demoPassword = "demo-kode-2026"
	demoPIN      = "482916"
)

type demoYouth struct {
	username, name string
	age            int
	gender         people.Gender
	school         people.SchoolStatus
	guardian       string
}

// demoYouths are 13 youths aged 10–17, girls and boys, with names that
// exercise æ, ø, å and letters beyond Danish.
var demoYouths = []demoYouth{
	{"amira", "Amira Haddad", 16, people.GenderFemale, people.SchoolFinished9, "Leila Haddad"},
	{"mads", "Mads Højgaard", 15, people.GenderMale, people.SchoolFinished9, "Søren Højgaard"},
	{"freja", "Freja Østergaard", 14, people.GenderFemale, people.SchoolCompulsory, "Birgitte Østergaard"},
	{"ali", "Ali Şahin", 13, people.GenderMale, people.SchoolCompulsory, "Ayşe Şahin"},
	{"nour", "Nour El-Amin", 12, people.GenderFemale, people.SchoolCompulsory, "Rania El-Amin"},
	{"jonas", "Jonas Bækgaard", 11, people.GenderMale, people.SchoolCompulsory, "Pia Bækgaard"},
	{"aya", "Aya Nørgaard", 10, people.GenderFemale, people.SchoolCompulsory, "Hanne Nørgaard"},
	{"mikkel", "Mikkel Løvstrøm", 17, people.GenderMale, people.SchoolFinished9, "Jens Løvstrøm"},
	{"zainab", "Zainab Ærenlund", 15, people.GenderFemale, people.SchoolCompulsory, "Fatima Ærenlund"},
	{"emil", "Emil Kjær", 14, people.GenderMale, people.SchoolCompulsory, "Lone Kjær"},
	{"hiba", "Hiba Åberg", 13, people.GenderFemale, people.SchoolCompulsory, "Samira Åberg"},
	{"oliver", "Oliver Dalsgård", 17, people.GenderMale, people.SchoolFinished9, "Tina Dalsgård"},
	{"sara", "Sara Holm-Ødegaard", 17, people.GenderFemale, people.SchoolFinished9, "Kirsten Holm"},
}

type demoStaff struct {
	username, name string
	role           people.Role // "" for the admin
}

var demoStaffList = []demoStaff{
	{"admin", "Ida Vestergård", ""},
	{"mette", "Mette Søgaard", people.RoleCoordinator},
	{"bjarne", "Bjarne Ærø", people.RoleTaskOwner},
	{"aase", "Åse Lindqvist", people.RoleEvaluator},
	{"hanne", "Hanne Nørgaard", people.RoleGuardian},
	{"jorgen", "Jørgen Ærø", people.RoleEmployer}, // contact person at Føtex Gellerup
}

// seedDemo fills an empty store with the demo area and prints the logins.
// A store that already has accounts is left alone.
func seedDemo(db store.DB, ppl *people.Service, engine *rules.Engine, now time.Time, out io.Writer) error {
	n, err := ppl.UserCount()
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(out, "Demo: the store already has data, so no demo data was added.")
		printDemoLogins(out)
		return nil
	}
	area, err := ppl.CreateArea("Blåbærparken", "Aarhus Kommune")
	if err != nil {
		return err
	}
	staffIDs := map[string]uint64{}
	for _, s := range demoStaffList {
		nu := people.NewUser{Username: s.username, DisplayName: s.name, Secret: demoPassword,
			SecretKind: people.SecretPassword, Lang: "da", Admin: s.role == ""}
		if s.role != "" {
			nu.Memberships = []people.Membership{{AreaID: area.ID, Role: s.role}}
		}
		su, err := ppl.CreateUser(nu)
		if err != nil {
			return err
		}
		staffIDs[s.username] = su.ID
	}
	today := now.In(people.Copenhagen)
	ids := map[string]uint64{}
	for i, y := range demoYouths {
		// Birthdays spread over the year so ages are exact whatever today is.
		birth := people.DateOf(today.AddDate(-y.age, 0, -(30 + 25*i)))
		u, err := ppl.CreateUser(people.NewUser{
			Username: y.username, DisplayName: y.name, Secret: demoPIN, SecretKind: people.SecretPIN,
			Memberships: []people.Membership{{AreaID: area.ID, Role: people.RoleYouth}},
			Youth: &people.Youth{BirthDate: birth, Gender: y.gender, School: y.school,
				Guardians: []people.GuardianContact{{Name: y.guardian, Relation: "forælder"}}},
		})
		if err != nil {
			return err
		}
		ids[y.username] = u.ID
	}
	coordinator, err := ppl.Login("mette", demoPassword, "demo")
	if err != nil {
		return err
	}
	// Hanne's account is linked to her daughter Aya (10).
	if err := ppl.LinkGuardian(area.ID, ids["aya"], staffIDs["hanne"]); err != nil {
		return err
	}
	// Freja (14) has her guardian's consent to wage work, on paper; Ali (13) has not.
	if _, err := ppl.RecordPaperConsent(area.ID, ids["freja"], coordinator.ID, "Birgitte Østergaard"); err != nil {
		return err
	}
	if err := seedDemoWork(db, ppl, engine, area.ID, coordinator.ID, staffIDs["bjarne"], ids, now); err != nil {
		return err
	}
	if err := seedDemoEmployers(db, ppl, engine, area.ID, coordinator.ID, staffIDs["jorgen"], ids, now); err != nil {
		return err
	}
	if err := seedDemoMessages(db, ppl, engine, now); err != nil {
		return err
	}
	hist, err := seedDemoHistory(db, ppl, area, now)
	if err != nil {
		return fmt.Errorf("demo history: %w", err)
	}
	if err := seedDemoAccountStates(ppl, area.ID, ids); err != nil {
		return err
	}
	for name, id := range staffIDs {
		ids[name] = id
	}
	if err := seedDemoNotify(db, ppl, area.ID, ids, now); err != nil {
		return err
	}
	fmt.Fprintf(out, "Demo: added the area %q with %d staff and %d youths.\n", area.Name, len(demoStaffList), len(demoYouths))
	fmt.Fprintf(out, "Demo: imported five years of history: %d youths, %d participation records, %d job spells.\n", hist.Youths, hist.Events, hist.Spells)
	printDemoLogins(out)
	return nil
}

// seedDemoMessages writes the coordinators' messages a newcomer should
// find in Mette's inbox: the follow-up on Freja's case note (due
// yesterday) and this week's digest. The jobs run as they would have: the
// follow-up at 09:00 on a day it was due, the digest on the last Monday at
// 08:00. (Jørgen's "a youth was shared with you" messages come from the
// demo shares themselves.)
func seedDemoMessages(db store.DB, ppl *people.Service, engine *rules.Engine, now time.Time) error {
	d := digest.NewService(db, ppl, jobs.NewService(db, ppl, engine, jobs.Options{Now: func() time.Time { return now }}),
		points.NewService(db, points.Options{Now: func() time.Time { return now }}),
		employers.NewService(db, ppl, engine, employers.Options{Now: func() time.Time { return now }}))
	if _, err := d.FollowUpsDue(at(now.AddDate(0, 0, -1), 9, 0)); err != nil {
		return fmt.Errorf("demo follow-up: %w", err)
	}
	monday := at(weekday(now, time.Monday, 0), digest.SendHour, 0)
	if monday.After(now) {
		monday = at(weekday(now, time.Monday, -1), digest.SendHour, 0)
	}
	if _, err := d.WeeklyDigest(monday); err != nil {
		return fmt.Errorf("demo digest: %w", err)
	}
	return nil
}

// seedDemoAccountStates gives the admin's user list (/admin/users) accounts
// in the states it shows: Kirsten, a coordinator who has left, has her
// account closed, and Hiba (13) is locked as after too many wrong PINs.
func seedDemoAccountStates(ppl *people.Service, area uint64, ids map[string]uint64) error {
	former, err := ppl.CreateUser(people.NewUser{Username: "kirsten", DisplayName: "Kirsten Dahl", Secret: demoPassword,
		SecretKind: people.SecretPassword, Lang: "da",
		Memberships: []people.Membership{{AreaID: area, Role: people.RoleCoordinator}}})
	if err != nil {
		return err
	}
	if err := ppl.SetDisabled(former.ID, true); err != nil {
		return err
	}
	return ppl.Lock(ids["hiba"])
}

func printDemoLogins(out io.Writer) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "Demo logins:\tusername\tpassword/PIN")
	for _, s := range demoStaffList {
		role := string(s.role)
		if role == "" {
			role = "admin"
		}
		fmt.Fprintf(w, "  %s (%s)\t%s\t%s\n", s.name, role, s.username, demoPassword)
	}
	fmt.Fprintf(w, "  %d youths, e.g. %s\t%s\t%s\n", len(demoYouths), demoYouths[0].name, demoYouths[0].username, demoPIN)
	w.Flush()
}

// demoClock lets the demo seed past work: it is set back in time while
// past tasks are created, claimed, worked and approved.
type demoClock struct{ t time.Time }

func (c *demoClock) Now() time.Time { return c.t }

// at is a Copenhagen wall-clock time on day d.
func at(d time.Time, hh, mm int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, people.Copenhagen)
}

// weekday returns the date of the given weekday weeks weeks from the week
// of now (negative: in the past).
func weekday(now time.Time, wd time.Weekday, weeks int) time.Time {
	d := now.In(people.Copenhagen)
	d = d.AddDate(0, 0, int(wd)-int(d.Weekday())+7*weeks)
	return d
}

// seedDemoWork adds tasks in every state, claims and a waitlist, approved
// and pending work, wages for the payroll file, rewards, a reserved
// request and a group pot, so every page has something to show. The
// caretaker (owner) posted the playground and bike-cellar tasks: those are
// the ones he manages.
func seedDemoWork(db store.DB, ppl *people.Service, engine *rules.Engine, area, coordinator, owner uint64, ids map[string]uint64, now time.Time) error {
	clk := &demoClock{t: now}
	w := &demoWork{
		clk: clk, area: area, coordinator: coordinator, owner: owner, ids: ids, now: now,
		js: jobs.NewService(db, ppl, engine, jobs.Options{Now: clk.Now}),
		ps: points.NewService(db, points.Options{Now: clk.Now}),
		base: jobs.NewTask{Place: "Fælleshuset, Blåbærparken 12", Supervisor: "Bjarne Ærø", Commissioner: jobs.ByCaretakers,
			Category: jobs.CatTidying, Slots: 4, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 60, Publish: true},
	}
	for _, step := range []func() error{w.pastTasks, w.futureTasks, w.rewards, w.reminder} {
		if err := step(); err != nil {
			return err
		}
	}
	return seedDemoCVs(db, ppl, area, coordinator, ids, now)
}

// demoWork seeds the demo's tasks, work and rewards in one area; tasks
// start from base.
type demoWork struct {
	clk                      *demoClock
	js                       *jobs.Service
	ps                       *points.Service
	base                     jobs.NewTask
	area, coordinator, owner uint64
	ids                      map[string]uint64
	now                      time.Time
}

// taskBy creates the task base changed by mod, posted by user by.
func (w *demoWork) taskBy(by uint64, mod func(*jobs.NewTask)) (jobs.Task, error) {
	n := w.base
	mod(&n)
	ts, err := w.js.CreateTask(w.area, by, n)
	if err != nil {
		return jobs.Task{}, fmt.Errorf("demo task %q: %w", n.Title, err)
	}
	return ts[0], nil
}

// task creates a task posted by the coordinator.
func (w *demoWork) task(mod func(*jobs.NewTask)) (jobs.Task, error) {
	return w.taskBy(w.coordinator, mod)
}

// past creates a task in the past, lets youths claim it and record its
// hours, and approves all but the youths in pending.
func (w *demoWork) past(n func(*jobs.NewTask), youths []string, pending ...string) error {
	js, area, ids := w.js, w.area, w.ids
	var start time.Time
	probe := w.base
	n(&probe)
	start = probe.Start
	w.clk.t = start.Add(-72 * time.Hour)
	t, err := w.task(n)
	if err != nil {
		return err
	}
	for _, y := range youths {
		if _, err := js.Claim(area, t.ID, ids[y]); err != nil {
			return fmt.Errorf("demo claim %s on %q: %w", y, t.Title, err)
		}
	}
	w.clk.t = t.End.Add(2 * time.Hour)
	for _, y := range youths {
		e, err := js.RecordHours(area, t.ID, ids[y], ids[y], t.Start, t.End, 0, 0)
		if err != nil {
			return fmt.Errorf("demo hours %s on %q: %w", y, t.Title, err)
		}
		if !contains(pending, y) {
			if _, err := js.Approve(area, w.coordinator, e.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// pastTasks seeds four tasks of the last weeks, worked, mostly approved.
func (w *demoWork) pastTasks() error {
	now, past := w.now, w.past
	sat2, sat1 := weekday(now, time.Saturday, -2), weekday(now, time.Saturday, -1)
	if !sat1.Before(now.Add(-24 * time.Hour)) {
		sat2, sat1 = weekday(now, time.Saturday, -3), weekday(now, time.Saturday, -2)
	}
	wed := weekday(now, time.Wednesday, -1)
	if !wed.Before(now.Add(-24 * time.Hour)) {
		wed = weekday(now, time.Wednesday, -2)
	}
	steps := []error{
		past(func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Oprydning i fælleshuset efter loppemarked", at(sat2, 10, 0), at(sat2, 12, 0)
			n.Slots = 5
		}, []string{"amira", "mads", "freja", "ali", "nour"}, "ali"),
		past(func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Børnepasning under beboermødet", at(sat1, 10, 0), at(sat1, 12, 0)
			n.Category, n.Commissioner = jobs.CatChildcare, jobs.ByDepartmentBoard
			n.Description = "Leg og tegning med de mindste, mens forældrene er til møde."
		}, []string{"amira", "freja", "jonas"}),
		past(func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Maling af bænke ved legepladsen", at(sat1, 13, 0), at(sat1, 15, 0)
			n.Category, n.MinAge, n.Pay, n.Points, n.RateOre = jobs.CatOutdoor, 15, jobs.PayWage, 0, 6500
			n.Slots, n.Place = 2, "Legepladsen ved blok 4"
		}, []string{"mads", "oliver"}),
		past(func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Uddeling af nyhedsbrev", at(wed, 15, 0), at(wed, 16, 30)
			n.Category, n.Commissioner, n.Points, n.Slots = jobs.CatDistribution, jobs.ByStaff, 40, 3
			n.Place = "Alle opgange"
		}, []string{"jonas", "nour", "zainab"}, "nour", "zainab"),
	}
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	return nil
}

// futureTasks seeds the coming weeks' tasks: a full one with a waitlist,
// open ones (a weekly series and wage work among them), a draft, a closed
// and a cancelled one.
func (w *demoWork) futureTasks() error {
	js, area, ids, now, task := w.js, w.area, w.ids, w.now, w.task
	w.clk.t = now
	nextSat, nextWed := weekday(now, time.Saturday, 1), weekday(now, time.Wednesday, 1)
	if nextSat.Sub(now) < 48*time.Hour {
		nextSat = nextSat.AddDate(0, 0, 7)
	}
	if nextWed.Sub(now) < 48*time.Hour {
		nextWed = nextWed.AddDate(0, 0, 7)
	}
	full, err := w.taskBy(w.owner, func(n *jobs.NewTask) {
		n.Title, n.Start, n.End = "Vedligehold af legepladsen", at(nextSat, 10, 0), at(nextSat, 12, 0)
		n.Category, n.Slots, n.Place = jobs.CatOutdoor, 3, "Legepladsen ved blok 4"
	})
	if err != nil {
		return err
	}
	for _, y := range []string{"emil", "hiba", "oliver", "mikkel"} { // the fourth waits
		if _, err := js.Claim(area, full.ID, ids[y]); err != nil {
			return fmt.Errorf("demo claim %s: %w", y, err)
		}
	}
	if err := w.promotion(nextWed); err != nil {
		return err
	}
	for _, f := range demoFutureTasks(nextSat, nextWed) {
		if _, err := task(f); err != nil {
			return err
		}
	}
	if _, err := w.taskBy(w.owner, func(n *jobs.NewTask) {
		n.Title, n.Start, n.End = "Oprydning af cykelkælderen", at(nextSat, 13, 0), at(nextSat, 16, 0)
		n.Category, n.MinAge, n.Pay, n.Points, n.RateOre, n.Slots = jobs.CatTidying, 15, jobs.PayWage, 0, 7000, 2
		n.Place = "Cykelkælderen, blok 2"
	}); err != nil {
		return err
	}
	closed, err := task(func(n *jobs.NewTask) {
		n.Title, n.Start, n.End = "Snerydning ved indgangene", at(nextSat, 8, 0), at(nextSat, 9, 30)
		n.Category, n.MinAge = jobs.CatOutdoor, 15
	})
	if err != nil {
		return err
	}
	if _, err := js.SetStatus(area, closed.ID, jobs.StatusClosed); err != nil {
		return err
	}
	cancelled, err := task(func(n *jobs.NewTask) {
		n.Title, n.Start, n.End = "Flyerudbringning (aflyst: trykkeriet er forsinket)", at(nextWed, 15, 0), at(nextWed, 16, 0)
		n.Category = jobs.CatDistribution
	})
	if err != nil {
		return err
	}
	if _, err := js.SetStatus(area, cancelled.ID, jobs.StatusCancelled); err != nil {
		return err
	}
	return nil
}

// demoFutureTasks are the open tasks of the coming weeks and a draft.
func demoFutureTasks(nextSat, nextWed time.Time) []func(*jobs.NewTask) {
	return []func(*jobs.NewTask){
		func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Hjælp til fællesspisning", at(nextWed, 16, 0), at(nextWed, 18, 0)
			n.Category, n.Commissioner, n.Slots, n.Points = jobs.CatEvent, jobs.ByDepartmentBoard, 5, 50
			n.Description = "Dæk bord, server og ryd op. Vi spiser sammen bagefter."
		},
		func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Lektiecafé: hjælp de mindste", at(nextWed.AddDate(0, 0, -1), 15, 30), at(nextWed.AddDate(0, 0, -1), 17, 0)
			n.Category, n.Commissioner, n.Points, n.RepeatWeeks, n.MinAge = jobs.CatChildcare, jobs.ByStaff, 30, 4, 13
			n.Place = "Lektiecaféen i fælleshuset"
		},
		func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Uddeling af flyers til julemarkedet", at(nextSat, 10, 30), at(nextSat, 12, 0)
			n.Category, n.Commissioner, n.MinAge, n.Pay, n.Points, n.RateOre = jobs.CatDistribution, jobs.ByOrganisationBoard, 13, jobs.PayWage, 0, 5500
			n.Place, n.Slots = "Alle opgange i Blåbærparken", 3
			n.Description = "Lønnet: under 15 år kræver samtykke fra en forælder."
		},
		func(n *jobs.NewTask) {
			n.Title, n.Start, n.End = "Opstilling til juletræsfest", at(nextSat.AddDate(0, 0, 21), 9, 0), at(nextSat.AddDate(0, 0, 21), 11, 0)
			n.Category, n.Commissioner, n.Publish = jobs.CatEvent, jobs.ByOrganisationBoard, false // a draft
		},
	}
}

// rewards seeds a cinema trip with a reserved request, a football match
// and a group pot with a pledge.
func (w *demoWork) rewards() error {
	ps, area, ids, now := w.ps, w.area, w.ids, w.now
	inDays := func(d int) people.Date { return people.DateOf(now.In(people.Copenhagen).AddDate(0, 0, d)) }
	cinema, err := ps.CreateReward(area, points.Reward{Title: "Biograftur til Aarhus C", PricePoints: 100, Places: 8, Date: inDays(21),
		Description: "Vi tager bussen sammen og ser en film. Popcorn er med."})
	if err != nil {
		return err
	}
	if _, err := ps.CreateReward(area, points.Reward{Title: "Fodboldkamp: AGF på Ceres Park", PricePoints: 150, Places: 6, Date: inDays(35)}); err != nil {
		return err
	}
	pot, err := ps.CreateReward(area, points.Reward{Title: "Fælles tur til Djurs Sommerland", PricePoints: 600, Places: 12,
		Date: inDays(200), Pot: true, Description: "Vi samler point sammen. Når puljen er fuld, tager vi af sted."})
	if err != nil {
		return err
	}
	if _, err := ps.Request(area, cinema.ID, ids["amira"], "demo-request-amira-cinema"); err != nil {
		return err
	}
	if _, err := ps.Pledge(area, pot.ID, ids["freja"], 50, "demo-pledge-freja-pot"); err != nil {
		return err
	}
	// A decided request: Amira's place on the ice-cream trip is
	// confirmed, so her inbox shows the reward's message.
	ice, err := ps.CreateReward(area, points.Reward{Title: "Is i Botanisk Have", PricePoints: 10, Places: 10, Date: inDays(10)})
	if err != nil {
		return err
	}
	r, err := ps.Request(area, ice.ID, ids["amira"], "demo-request-amira-ice")
	if err != nil {
		return fmt.Errorf("demo request amira ice: %w", err)
	}
	_, err = ps.Confirm(area, r.ID, w.coordinator)
	return err
}

// reminder seeds a task Amira claimed earlier whose reminder is due now,
// and sends the due reminders, so her inbox shows one next to her claim
// confirmations: a task tomorrow afternoon after 16:00 (the day-before
// reminder), else one this evening.
func (w *demoWork) reminder() error {
	now := w.now.In(people.Copenhagen)
	day, from := now.AddDate(0, 0, 1), 15
	if now.Hour() < 16 {
		day, from = now, 17
	}
	w.clk.t = at(now.AddDate(0, 0, -2), 12, 0)
	t, err := w.task(func(n *jobs.NewTask) {
		n.Title, n.Start, n.End = "Pynt op til fællesspisning", at(day, from, 0), at(day, from+2, 0)
		n.Category, n.Commissioner, n.Slots, n.Points = jobs.CatEvent, jobs.ByDepartmentBoard, 4, 40
	})
	if err != nil {
		return err
	}
	if _, err := w.js.Claim(w.area, t.ID, w.ids["amira"]); err != nil {
		return fmt.Errorf("demo claim amira on %q: %w", t.Title, err)
	}
	w.clk.t = w.now
	_, err = w.js.Reminders(w.now)
	return err
}

// seedDemoEmployers registers three local employers (fictitious CVR
// numbers that pass the modulus-11 check) with openings, puts youths at
// every stage of the pipeline (with activities, job spells and follow-ups
// dated in the past), shares candidates with the employers with the
// youths' consent, and lets the Føtex contact (contact) give feedback.
func seedDemoEmployers(db store.DB, ppl *people.Service, engine *rules.Engine, area, coordinator, contact uint64, ids map[string]uint64, now time.Time) error {
	clk := &demoClock{t: now}
	es := employers.NewService(db, ppl, engine, employers.Options{Now: clk.Now})
	day := func(d int) people.Date { return people.DateOf(now.In(people.Copenhagen).AddDate(0, 0, d)) }
	emps, err := createDemoEmployers(es, area, contact)
	if err != nil {
		return err
	}
	fotex, cafe, club := emps[0].ID, emps[1].ID, emps[2].ID
	openings := map[string]employers.NewOpening{
		"shelves": {EmployerID: fotex, Role: "Varepåfylder", Place: "Føtex Gellerup", HoursPerWeek: 8, MinAge: 15,
			StartDate: day(-120), WageOre: 7500, Keywords: []string{"butik", "varer"}},
		"bottles": {EmployerID: fotex, Role: "Flaskeautomat og oprydning", Place: "Føtex Gellerup", HoursPerWeek: 5, MinAge: 15,
			StartDate: day(21), WageOre: 7000, Keywords: []string{"butik", "oprydning"}},
		"cafe": {EmployerID: cafe, Role: "Opvasker og cafehjælper", Place: "Café Åkanden", HoursPerWeek: 6, MinAge: 15,
			StartDate: day(-45), WageOre: 6800, Keywords: []string{"madlavning", "mad", "cafe"}},
		"coach": {EmployerID: club, Role: "Hjælpetræner U10", Place: "Brabrand Stadion", HoursPerWeek: 4, MinAge: 13,
			StartDate: day(-230), Keywords: []string{"fodbold", "håndbold", "sport", "børn"}},
	}
	oid := map[string]uint64{}
	for _, k := range []string{"shelves", "bottles", "cafe", "coach"} {
		o, err := es.CreateOpening(area, openings[k])
		if err != nil {
			return fmt.Errorf("demo opening %s: %w", k, err)
		}
		oid[k] = o.ID
	}
	p := &demoPipelines{es: es, clk: clk, area: area, coordinator: coordinator, ids: ids, oid: oid, now: now, day: day}
	if err := p.walkAll(); err != nil {
		return err
	}
	clk.t = now
	return seedDemoCaseWork(es, area, coordinator, contact, ids, fotex, cafe, now, day)
}

// createDemoEmployers registers Føtex Gellerup (with contact as its
// contact person), Café Åkanden and Brabrand Boldklub, in that order.
func createDemoEmployers(es *employers.Service, area, contact uint64) ([]employers.Employer, error) {
	var emps []employers.Employer
	for i, e := range []employers.NewEmployer{
		{Name: "Føtex Gellerup", Address: "Gudrunsvej 7, 8220 Brabrand", Industry: "Detailhandel",
			Agreements: "Tager to unge hver sommer til varepåfyldning",
			Contacts:   []employers.Contact{{Name: "Jørgen Ærø", Phone: "86 00 00 01", Email: "jorgen@example.dk", UserID: contact}}},
		{Name: "Café Åkanden", Address: "Åhavevej 3, 8000 Aarhus C", Industry: "Café og restaurant",
			Contacts: []employers.Contact{{Name: "Sofie Ødum", Phone: "86 00 00 02"}}},
		{Name: "Brabrand Boldklub", Address: "Byleddet 1, 8220 Brabrand", Industry: "Idræt og fritid",
			Agreements: "Hjælpetrænere til U10-holdene"},
	} {
		e.CVR = demoCVR(3100000 + 1137*i)
		created, err := es.CreateEmployer(area, e)
		if err != nil {
			return nil, fmt.Errorf("demo employer %s: %w", e.Name, err)
		}
		emps = append(emps, created)
	}
	return emps, nil
}

// demoMove is one move of a youth through the pipeline.
type demoMove struct {
	to      employers.Stage
	at      int // days from today
	why     string
	opening string
	minutes int
	end     employers.EndReason
}

// demoPipelines puts the demo youths at every stage of the pipeline, with
// the clock set to each move's day.
type demoPipelines struct {
	es                *employers.Service
	clk               *demoClock
	area, coordinator uint64
	ids, oid          map[string]uint64 // youths and openings by name
	now               time.Time
	day               func(int) people.Date
}

// walk moves youth through moves.
func (p *demoPipelines) walk(youth string, moves ...demoMove) error {
	for _, m := range moves {
		p.clk.t = at(p.now.AddDate(0, 0, m.at), 14, 0)
		opt := employers.MoveOptions{Date: p.day(m.at), Minutes: m.minutes, EndReason: m.end}
		if m.opening != "" {
			opt.OpeningID = p.oid[m.opening]
		}
		if _, err := p.es.Move(p.area, p.ids[youth], m.to, p.coordinator, m.why, opt); err != nil {
			return fmt.Errorf("demo pipeline %s to %s: %w", youth, m.to, err)
		}
	}
	return nil
}

// demoReady is the way from outreach to applied, starting start days
// from today.
func demoReady(start int) []demoMove {
	return []demoMove{
		{employers.StageOutreach, start, "Mødt i fælleshuset", "", 0, ""},
		{employers.StageGuidance, start + 7, "Vil gerne have et rigtigt fritidsjob", "", 45, ""},
		{employers.StageCVReady, start + 14, "CV skrevet i CV-værkstedet", "", 90, ""},
		{employers.StageInterviewTraining, start + 21, "Øvede jobsamtale", "", 60, ""},
		{employers.StageApplied, start + 24, "Har søgt", "", 0, ""},
	}
}

// demoPlaced is the way to a placement in opening start days from today,
// then steps.
func demoPlaced(start int, opening string, steps ...demoMove) []demoMove {
	return append(append(demoReady(start-30), demoMove{employers.StageInterview, start - 4, "Samtale aftalt", "", 0, ""},
		demoMove{employers.StagePlaced, start, "Fik jobbet", opening, 0, ""}), steps...)
}

// walkAll walks eleven youths to their stages.
func (p *demoPipelines) walkAll() error {
	walks := map[string][]demoMove{
		"nour":   demoReady(-45)[:1],
		"hiba":   demoReady(-20)[:2],
		"ali":    demoReady(-25)[:3],
		"emil":   demoReady(-26)[:4],
		"freja":  demoReady(-28),
		"zainab": append(demoReady(-28), demoMove{employers.StageInterview, -1, "Samtale hos Føtex på torsdag", "", 0, ""}),
		"mads":   demoPlaced(-14, "shelves"),
		"amira":  demoPlaced(-40, "cafe", demoMove{employers.StageFollowUp1M, -9, "Trives, vil gerne have flere timer", "", 0, ""}),
		"mikkel": demoPlaced(-110, "shelves", demoMove{employers.StageFollowUp1M, -80, "Godt i gang", "", 0, ""}, demoMove{employers.StageFollowUp3M, -20, "Chefen er glad", "", 0, ""}),
		"oliver": demoPlaced(-220, "coach", demoMove{employers.StageFollowUp1M, -190, "Godt i gang", "", 0, ""},
			demoMove{employers.StageFollowUp3M, -130, "Fast træner på to hold", "", 0, ""}, demoMove{employers.StageFollowUp6M, -40, "Fortsætter næste sæson", "", 0, ""}),
		"sara": demoPlaced(-220, "coach", demoMove{employers.StageFollowUp1M, -190, "Godt i gang", "", 0, ""},
			demoMove{employers.StageFollowUp3M, -130, "Glad for holdet", "", 0, ""}, demoMove{employers.StageEnded, -100, "Sæsonen sluttede", "", 0, employers.EndSeasonOver}),
	}
	for _, y := range []string{"nour", "hiba", "ali", "emil", "freja", "zainab", "mads", "amira", "mikkel", "oliver", "sara"} {
		if err := p.walk(y, walks[y]...); err != nil {
			return err
		}
	}
	return nil
}

// seedDemoCaseWork adds case notes, candidates shared with Føtex and the
// café, and Føtex's feedback on Mads.
func seedDemoCaseWork(es *employers.Service, area, coordinator, contact uint64, ids map[string]uint64, fotex, cafe uint64, now time.Time, day func(int) people.Date) error {
	yesterday, nextWeek := day(-1), day(7)
	for _, n := range []struct {
		who      string
		text     string
		followUp *people.Date
	}{
		{"freja", "Har søgt hos Café Åkanden. Ring og hør, om hun er kaldt til samtale.", &yesterday},
		{"zainab", "Følg op efter samtalen hos Føtex.", &nextWeek},
		{"nour", "Er 12 år: fortsætter med lommepengeopgaver, til hun er gammel nok.", nil},
	} {
		if _, err := es.AddNote(area, ids[n.who], coordinator, n.text, n.followUp); err != nil {
			return fmt.Errorf("demo note: %w", err)
		}
	}
	for _, sh := range []struct {
		youth       string
		employer    uint64
		showContact bool
	}{{"zainab", fotex, false}, {"mads", fotex, true}, {"freja", cafe, true}} {
		if _, err := es.ShareYouth(area, sh.employer, ids[sh.youth], coordinator, now.Add(-time.Hour), sh.showContact); err != nil {
			return fmt.Errorf("demo share: %w", err)
		}
	}
	for _, fb := range []employers.NewFeedback{
		{EmployerID: fotex, YouthID: ids["mads"], Kind: employers.FeedbackInterview, Text: "God samtale, rolig og velforberedt."},
		{EmployerID: fotex, YouthID: ids["mads"], Kind: employers.FeedbackFollowUp, Text: "Møder til tiden og hjælper gerne kollegerne."},
	} {
		if _, err := es.AddFeedback(area, contact, fb); err != nil {
			return fmt.Errorf("demo feedback: %w", err)
		}
	}
	return nil
}

// demoCVR completes 7 digits (the first not 0) to a CVR number that passes
// the modulus-11 check, trying the next number when no check digit fits.
func demoCVR(first7 int) string {
	for ; ; first7++ {
		s := fmt.Sprintf("%07d", first7)
		sum := 0
		for i, w := range []int{2, 7, 6, 5, 4, 3, 2} {
			sum += int(s[i]-'0') * w
		}
		for last := 0; last <= 9; last++ {
			if (sum+last)%11 == 0 {
				return s + fmt.Sprint(last)
			}
		}
	}
}

// seedDemoCVs fills in two youths' CVs and records courses for them.
func seedDemoCVs(db store.DB, ppl *people.Service, area, coordinator uint64, ids map[string]uint64, now time.Time) error {
	cs := cv.NewService(db, ppl, cv.Options{Now: func() time.Time { return now }})
	recent := people.DateOf(now.In(people.Copenhagen).AddDate(0, -1, 0))
	cvs := map[string]cv.CV{
		"amira": {Headline: "Ung i fritidsjob – glad for børn og god til at skabe ro",
			Profile: "Jeg er 16 år og går i 10. klasse. Jeg har passet børn i fælleshuset og hjulpet til ved " +
				"arrangementer i Blåbærparken. Jeg er pålidelig, kommer til tiden og kan lide at have ansvar.",
			Email: "amira.haddad@example.dk", Town: "Aarhus V", ShowEmail: true, ShowTown: true,
			Education: []cv.Item{{Title: "10. klasse", Place: "Aarhus 10. klassecenter", Period: "2026–2027"},
				{Title: "Folkeskolens afgangseksamen", Place: "Skjoldhøjskolen", Period: "2026"}},
			Languages:   []cv.Language{{Name: "Dansk", Level: "Flydende"}, {Name: "Arabisk", Level: "Modersmål"}, {Name: "Engelsk", Level: "Godt"}},
			Skills:      []string{"Børnepasning", "Oprydning og rengøring", "Kundeservice"},
			Interests:   []string{"Håndbold", "Tegning", "Madlavning"},
			References:  []cv.Ref{{Name: "Mette Søgaard", Relation: "Koordinator, Blåbærparken", Contact: "mette@example.dk", ConsentAt: now}},
			OwnWork:     []cv.Item{{Title: "Babysitter for naboer", Place: "Gellerup", Period: "2025–2026"}},
			HelpAllowed: true, Template: "clean", Lang: "da"},
		"mads": {Headline: "Praktisk anlagt og vant til at arbejde udendørs",
			Profile: "Jeg er 15 år, har malet bænke og ryddet op for ejendomsfunktionærerne og vil gerne have et " +
				"fritidsjob i et supermarked.",
			Phone: "+45 20 30 40 50", ShowPhone: true,
			Education: []cv.Item{{Title: "9. klasse", Place: "Skjoldhøjskolen", Period: "2026–2027"}},
			Languages: []cv.Language{{Name: "Dansk", Level: "Modersmål"}, {Name: "Engelsk", Level: "Godt"}},
			Skills:    []string{"Maling", "Havearbejde"}, Interests: []string{"Fodbold", "Cykler"},
			Template: "compact", Lang: "da"},
		"zainab": {Headline: "Glad for at hjælpe kunder",
			Profile: "Jeg er 15 år og vil gerne arbejde i en butik efter skole.",
			Phone:   "+45 21 31 41 51", Interests: []string{"Butikker", "Tegning"}, Template: "clean", Lang: "da"},
	}
	for name, c := range cvs {
		if _, err := cs.Save(area, ids[name], ids[name], c, false); err != nil {
			return fmt.Errorf("demo cv %s: %w", name, err)
		}
	}
	for _, k := range []struct{ who, title, issuer string }{
		{"amira", "Træning i jobsamtale", "Blåbærparken"}, {"amira", "Førstehjælp til børn", "Dansk Røde Kors"},
		{"mads", "Træning i jobsamtale", "Blåbærparken"},
	} {
		if _, err := cs.AddCourse(area, ids[k.who], coordinator, k.title, k.issuer, recent); err != nil {
			return fmt.Errorf("demo course: %w", err)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// promotion seeds a waitlist that moved: Mads gives up his place at the
// residents' meeting on day and Amira, who waited, gets it, so her inbox
// has the message (next to those about her approved hours) and a
// newcomer logging in as her sees the bell.
func (w *demoWork) promotion(day time.Time) error {
	t, err := w.task(func(n *jobs.NewTask) {
		n.Title, n.Start, n.End = "Kaffe og kage til beboermødet", at(day, 17, 0), at(day, 19, 0)
		n.Category, n.Commissioner, n.Slots, n.Points = jobs.CatEvent, jobs.ByDepartmentBoard, 1, 30
	})
	if err != nil {
		return err
	}
	for _, y := range []string{"mads", "amira"} {
		if _, err := w.js.Claim(w.area, t.ID, w.ids[y]); err != nil {
			return fmt.Errorf("demo claim %s: %w", y, err)
		}
	}
	return w.js.Cancel(w.area, t.ID, w.ids["mads"], false)
}
