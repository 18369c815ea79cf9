package employers

import (
	"errors"
	"fmt"
	"testing"

	"fritidsjob/fault"
	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs/rules"
	"fritidsjob/participation"
	"fritidsjob/people"
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
	n    int
}

// cph is a Copenhagen wall-clock time; date parses a yyyy-mm-dd date.
var cph, date = peoplekit.CPH, peoplekit.Date

// newEnv: a real bbolt file, "now" is Monday 2 November 2026 10:00, one
// area. contact, when not nil, is the service's ContactFunc.
func newEnv(t testing.TB, contact ContactFunc) *env {
	t.Helper()
	db := testkit.Store(t)
	clk := testkit.NewClock(cph(2026, 11, 2, 10, 0))
	ppl := peoplekit.New(t, db, clk.Now)
	eng, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	area := peoplekit.Area(t, ppl, "Blåbærparken")
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
	n := peoplekit.Youth(e.area.ID, e.username(), birth)
	n.DisplayName, n.Youth.Gender, n.Youth.School = "Ung "+e.username(), g, school
	return peoplekit.Create(e.t, e.ppl, n).ID
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
