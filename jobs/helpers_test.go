package jobs

import (
	"fmt"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

type env struct {
	t    testing.TB
	db   *bolt.DB
	ppl  *people.Service
	svc  *Service
	clk  *testkit.Clock
	area people.Area
}

// cph is a Copenhagen wall-clock time.
var cph = peoplekit.CPH

// newEnv: a real bbolt file, "now" is Monday 2 November 2026 10:00 (a
// school day in term), one area.
func newEnv(t testing.TB) *env {
	t.Helper()
	db := testkit.Store(t)
	clk := testkit.NewClock(cph(2026, 11, 2, 10, 0))
	ppl := peoplekit.New(t, db, clk.Now)
	eng, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	area := peoplekit.Area(t, ppl, "Blåbærparken")
	return &env{t: t, db: db, ppl: ppl, svc: NewService(db, ppl, eng, Options{Now: clk.Now}), clk: clk, area: area}
}

// youth creates a youth aged age on "now", in or out of compulsory school.
func (e *env) youth(name string, age int, school people.SchoolStatus) uint64 {
	e.t.Helper()
	birth := people.DateOf(e.clk.Now().In(people.Copenhagen).AddDate(-age, -1, 0))
	n := peoplekit.Youth(e.area.ID, name, birth)
	n.Youth.Gender, n.Youth.School = people.GenderFemale, school
	return peoplekit.Create(e.t, e.ppl, n).ID
}

// task creates an open task from a template changed by mod.
func (e *env) task(mod func(*NewTask)) Task {
	e.t.Helper()
	n := NewTask{Title: "Oprydning i fælleshuset", Place: "Fælleshuset", Supervisor: "Bjarne",
		Category: CatTidying, Commissioner: ByCaretakers, Start: cph(2026, 11, 7, 10, 0), End: cph(2026, 11, 7, 12, 0),
		Slots: 5, MinAge: 10, MaxAge: 17, Pay: PayPoints, Points: 50, Publish: true}
	if mod != nil {
		mod(&n)
	}
	ts, err := e.svc.CreateTask(e.area.ID, 1, n)
	if err != nil {
		e.t.Fatal(err)
	}
	return ts[0]
}

// check runs every package's invariants on the store.
func (e *env) check() {
	e.t.Helper()
	err := e.db.View(func(tx store.Tx) error {
		for _, c := range []func(store.Tx) error{Check, points.Check, participation.Check, people.Check, notify.Check} {
			if err := c(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatalf("invariants: %v", err)
	}
}

func (e *env) balance(youth uint64) points.Balances {
	e.t.Helper()
	b, err := points.NewService(e.db, points.Options{Now: e.clk.Now}).Balance(e.area.ID, youth)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func name(i int) string { return fmt.Sprintf("ung%03d", i) }
