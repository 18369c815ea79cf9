package employers

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fritidsjob/fault"
	"fritidsjob/jobs/rules"
	"fritidsjob/participation"
	"fritidsjob/people"
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
	n    int
}

func cph(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, people.Copenhagen)
}

func date(s string) people.Date {
	d, err := people.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// newEnv: a real bbolt file, "now" is Monday 2 November 2026 10:00, one
// area. contact, when not nil, is the service's ContactFunc.
func newEnv(t testing.TB, contact ContactFunc) *env {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "employers.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: cph(2026, 11, 2, 10, 0)}
	ppl, err := people.NewService(db, people.Options{Secret: []byte("test-secret-0123456789abcdef-0123456789"),
		Now: clk.Now, Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
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
	return &env{t: t, db: db, ppl: ppl, clk: clk, area: area,
		svc: NewService(db, ppl, eng, Options{Now: clk.Now, Contact: contact})}
}

func (e *env) username() string {
	e.n++
	return fmt.Sprintf("user%03d", e.n)
}

// youth creates a youth aged age on "now" (born a month before that
// birthday).
func (e *env) youth(age int, school people.SchoolStatus, g people.Gender) uint64 {
	e.t.Helper()
	birth := people.DateOf(e.clk.Now().In(people.Copenhagen).AddDate(-age, -1, 0))
	u, err := e.ppl.CreateUser(people.NewUser{
		Username: e.username(), DisplayName: "Ung " + e.username(), Secret: "482916", SecretKind: people.SecretPIN,
		Memberships: []people.Membership{{AreaID: e.area.ID, Role: people.RoleYouth}},
		Youth:       &people.Youth{BirthDate: birth, Gender: g, School: school},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// user creates a user with role in the area.
func (e *env) user(role people.Role) uint64 {
	e.t.Helper()
	u, err := e.ppl.CreateUser(people.NewUser{
		Username: e.username(), DisplayName: "Kontakt", Secret: "korrekt-hest-batteri", SecretKind: people.SecretPassword,
		Memberships: []people.Membership{{AreaID: e.area.ID, Role: role}},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

// validCVR builds a valid CVR from a 7-digit prefix, or "" when the
// check digit would be 10.
func validCVR(prefix string) string {
	sum := 0
	for i := 0; i < 7; i++ {
		sum += int(prefix[i]-'0') * cvrWeights[i]
	}
	d := (11 - sum%11) % 11
	if d == 10 {
		return ""
	}
	return prefix + string(rune('0'+d))
}

func (e *env) employer(name, prefix string, contacts ...Contact) Employer {
	e.t.Helper()
	cvr := validCVR(prefix)
	if cvr == "" {
		e.t.Fatalf("prefix %s has no check digit", prefix)
	}
	emp, err := e.svc.CreateEmployer(e.area.ID, NewEmployer{Name: name, CVR: cvr, Address: "Torvet 1",
		Industry: "retail", Contacts: contacts, Agreements: "takes two youths each summer"})
	if err != nil {
		e.t.Fatal(err)
	}
	return emp
}

func (e *env) opening(emp uint64, mod func(*NewOpening)) Opening {
	e.t.Helper()
	n := NewOpening{EmployerID: emp, Role: "Butiksmedhjælper", Place: "Torvet 1", HoursPerWeek: 6, MinAge: 15,
		StartDate: date("2026-11-09"), WageOre: 9000}
	if mod != nil {
		mod(&n)
	}
	o, err := e.svc.CreateOpening(e.area.ID, n)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

func (e *env) move(youth uint64, to Stage, opt MoveOptions) Pipeline {
	e.t.Helper()
	p, err := e.svc.Move(e.area.ID, youth, to, 1, "test", opt)
	if err != nil {
		e.t.Fatalf("move %d to %s: %v", youth, to, err)
	}
	return p
}

// toInterview walks youth from nothing to interview.
func (e *env) toInterview(youth uint64) {
	e.t.Helper()
	for _, st := range []Stage{StageOutreach, StageGuidance, StageCVReady, StageInterviewTraining, StageApplied, StageInterview} {
		e.move(youth, st, MoveOptions{})
	}
}

// records lists youth's participation records that count.
func (e *env) records(youth uint64) []participation.Record {
	e.t.Helper()
	var rs []participation.Record
	err := e.db.View(func(tx store.Tx) error {
		return participation.ForYouth(tx, e.area.ID, youth, func(r participation.Record) error { rs = append(rs, r); return nil })
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return rs
}

func (e *env) check() {
	e.t.Helper()
	err := e.db.View(func(tx store.Tx) error {
		return errors.Join(Check(tx), participation.Check(tx), people.Check(tx))
	})
	if err != nil {
		e.t.Fatalf("invariants: %v", err)
	}
}

func isInvalid(err error, field, code string) bool {
	var ie *fault.Error
	return errors.As(err, &ie) && ie.Field == field && ie.Code == code
}
