// Package peoplekit builds people fixtures for tests: a people service on
// the test secret and cheap hash settings, a youth's NewUser, dates and
// Copenhagen times. It is the domain half of the test kit (see testkit):
// it imports people, so package people's own tests cannot use it and
// keep their small builders themselves.
package peoplekit

import (
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/people"
	"fritidsjob/store"
)

// PIN is the PIN Youth gives every youth.
const PIN = "482916"

// CheapHash is testkit.CheapHash as people's type.
var CheapHash = people.HashParams(testkit.CheapHash)

// Options returns people options on the test secret and cheap hash
// settings, reading time from now (nil: the real clock).
func Options(now func() time.Time) people.Options {
	return people.Options{Secret: testkit.Secret(), Now: now, Hash: CheapHash}
}

// New returns a people service on db with Options(now); it fails the test
// when the service refuses them.
func New(t testing.TB, db store.DB, now func() time.Time) *people.Service {
	t.Helper()
	ppl, err := people.NewService(db, Options(now))
	if err != nil {
		t.Fatalf("people service: %v", err)
	}
	return ppl
}

// Area creates an area in Aarhus named name; it fails the test when
// people refuses it.
func Area(t testing.TB, ppl *people.Service, name string) people.Area {
	t.Helper()
	a, err := ppl.CreateArea(name, "Aarhus")
	if err != nil {
		t.Fatalf("area %s: %v", name, err)
	}
	return a
}

// Youth returns a NewUser for a youth in area, logging in as username with
// PIN, born on birth and in compulsory school, with username as display
// name and no gender; callers change what their test is about.
func Youth(area uint64, username string, birth people.Date) people.NewUser {
	return people.NewUser{
		Username: username, DisplayName: username, Secret: PIN, SecretKind: people.SecretPIN,
		Memberships: []people.Membership{{AreaID: area, Role: people.RoleYouth}},
		Youth:       &people.Youth{BirthDate: birth, School: people.SchoolCompulsory},
	}
}

// Create creates the user n and returns it; it fails the test when people
// refuses n.
func Create(t testing.TB, ppl *people.Service, n people.NewUser) people.User {
	t.Helper()
	u, err := ppl.CreateUser(n)
	if err != nil {
		t.Fatalf("user %s: %v", n.Username, err)
	}
	return u
}

// Date parses a yyyy-mm-dd date; it panics on a malformed one, which is a
// mistake in the test itself.
func Date(s string) people.Date {
	d, err := people.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// CPH returns a wall-clock time in Copenhagen.
func CPH(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, people.Copenhagen)
}
