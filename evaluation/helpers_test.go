package evaluation

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

var testSecret = []byte("test-secret-0123456789abcdef-0123456789")

// env is a real bbolt store with people, an export key store, an
// exporter whose job spells come from the spells map, and an importer.
// "Now" is 25 November 2026, noon in Copenhagen.
type env struct {
	t      testing.TB
	db     *bolt.DB
	ppl    *people.Service
	keys   *KeyStore
	exp    *Exporter
	imp    *Importer
	now    time.Time
	spells map[uint64][]Spell // by area
	n      int
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "eval.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, now: time.Date(2026, 11, 25, 12, 0, 0, 0, people.Copenhagen), spells: map[uint64][]Spell{}}
	clock := func() time.Time { return e.now }
	e.ppl, err = people.NewService(db, people.Options{Secret: testSecret, Now: clock,
		Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if e.keys, err = NewKeyStore(db, testSecret, clock); err != nil {
		t.Fatal(err)
	}
	src := func(_ store.Tx, area uint64, fn func(Spell) error) error {
		for _, s := range e.spells[area] {
			if err := fn(s); err != nil {
				return err
			}
		}
		return nil
	}
	if e.exp, err = NewExporter(Deps{DB: db, People: e.ppl, Spells: src, Keys: e.keys, Now: clock}); err != nil {
		t.Fatal(err)
	}
	e.imp = NewImporter(db, e.ppl, clock)
	return e
}

func (e *env) area(name string) people.Area {
	e.t.Helper()
	a, err := e.ppl.CreateArea(name, "Aarhus")
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// youth adds a youth with a name, a guardian with a phone number and a
// birth date, registered at reg.
func (e *env) youth(area uint64, name, birth string, g people.Gender, reg time.Time, phone string) uint64 {
	e.t.Helper()
	e.n++
	save := e.now
	e.now = reg
	defer func() { e.now = save }()
	b, err := people.ParseDate(birth)
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.ppl.CreateUser(people.NewUser{Username: fmt.Sprintf("ung%d", e.n), DisplayName: name, Secret: "735142",
		SecretKind: people.SecretPIN, Memberships: []people.Membership{{AreaID: area, Role: people.RoleYouth}},
		Youth: &people.Youth{BirthDate: b, Gender: g, School: people.SchoolCompulsory,
			Guardians: []people.GuardianContact{{Name: "Forælder " + name, Phone: phone}}}})
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}

func (e *env) record(area, youth uint64, date string, t participation.Type, minutes int) {
	e.t.Helper()
	e.n++
	err := e.db.Update(func(tx store.Tx) error {
		_, _, err := participation.Append(tx, participation.Record{AreaID: area, YouthID: youth, Date: date, Type: t,
			Minutes: minutes, Source: fmt.Sprintf("test:%d", e.n), At: e.now})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) spell(area, youth uint64, start, end string) {
	s := Spell{YouthID: youth, Start: mustDate(start)}
	if end != "" {
		d := mustDate(end)
		s.End = &d
	}
	e.spells[area] = append(e.spells[area], s)
}

func mustDate(s string) people.Date {
	d, err := people.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func cph(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, people.Copenhagen)
}
