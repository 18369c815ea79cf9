package jobs

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fritidsjob/jobs/rules"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type env struct {
	t    testing.TB
	db   *bolt.DB
	ppl  *people.Service
	svc  *Service
	clk  *clock
	area people.Area
}

// cph is a Copenhagen wall-clock time.
func cph(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, people.Copenhagen)
}

// newEnv: a real bbolt file, "now" is Monday 2 November 2026 10:00 (a
// school day in term), one area.
func newEnv(t testing.TB) *env {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "jobs.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: cph(2026, 11, 2, 10, 0)}
	ppl, err := people.NewService(db, people.Options{Secret: []byte("test-secret-0123456789abcdef-0123456789"), Now: clk.Now, Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	area, err := ppl.CreateArea("Blåbærparken", "Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: db, ppl: ppl, svc: NewService(db, ppl, eng, Options{Now: clk.Now}), clk: clk, area: area}
}

// youth creates a youth aged age on "now", in or out of compulsory school.
func (e *env) youth(name string, age int, school people.SchoolStatus) uint64 {
	e.t.Helper()
	birth := people.DateOf(e.clk.Now().In(people.Copenhagen).AddDate(-age, -1, 0))
	u, err := e.ppl.CreateUser(people.NewUser{
		Username: name, DisplayName: name, Secret: "482916", SecretKind: people.SecretPIN,
		Memberships: []people.Membership{{AreaID: e.area.ID, Role: people.RoleYouth}},
		Youth:       &people.Youth{BirthDate: birth, Gender: people.GenderFemale, School: school},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
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
		for _, c := range []func(store.Tx) error{Check, points.Check, participation.Check, people.Check} {
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
