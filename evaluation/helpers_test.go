package evaluation

import (
	"fmt"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

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
	db := testkit.Store(t)
	e := &env{t: t, db: db, now: time.Date(2026, 11, 25, 12, 0, 0, 0, people.Copenhagen), spells: map[uint64][]Spell{}}
	clock := func() time.Time { return e.now }
	e.ppl = peoplekit.New(t, db, clock)
	var err error
	if e.keys, err = NewKeyStore(db, testkit.Secret(), clock); err != nil {
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
	return peoplekit.Area(e.t, e.ppl, name)
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
	n := peoplekit.Youth(area, fmt.Sprintf("ung%d", e.n), b)
	n.DisplayName, n.Secret = name, "735142"
	n.Youth.Gender, n.Youth.Guardians = g, []people.GuardianContact{{Name: "Forælder " + name, Phone: phone}}
	return peoplekit.Create(e.t, e.ppl, n).ID
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
	s := Spell{YouthID: youth, Start: peoplekit.Date(start)}
	if end != "" {
		d := peoplekit.Date(end)
		s.End = &d
	}
	e.spells[area] = append(e.spells[area], s)
}
