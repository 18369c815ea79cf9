package cv

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fritidsjob/fault"
	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

type fixture struct {
	db            *bolt.DB
	svc           *Service
	clk           *testkit.Clock
	area, other   uint64
	youth, youth2 uint64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testkit.Store(t)
	clk := testkit.NewClock(time.Date(2027, 4, 1, 12, 0, 0, 0, time.UTC))
	ppl := peoplekit.New(t, db, clk.Now)
	a, _ := ppl.CreateArea("Blåbærparken", "Aarhus")
	b, _ := ppl.CreateArea("Solsikkehaven", "Odense")
	mk := func(name string, area uint64) uint64 {
		n := peoplekit.Youth(area, name, people.Date{Year: 2011, Month: 5, Day: 1})
		n.Youth.School = people.SchoolFinished9
		return peoplekit.Create(t, ppl, n).ID
	}
	f := &fixture{db: db, svc: NewService(db, ppl, Options{Now: clk.Now}), clk: clk, area: a.ID, other: b.ID}
	f.youth, f.youth2 = mk("amira", a.ID), mk("mads", a.ID)
	return f
}

// work writes approved-work participation records for youth.
func (f *fixture) work(t *testing.T, youth uint64, category string, dates ...string) {
	t.Helper()
	err := f.db.Update(func(tx store.Tx) error {
		for i, d := range dates {
			_, _, err := participation.Append(tx, participation.Record{AreaID: f.area, YouthID: youth, Date: d,
				Type: participation.TaskWork, Minutes: 120, Attrs: map[string]string{"category": category, "place": "Fælleshuset"},
				Source: fmt.Sprintf("work:%d:%s:%s:%d", youth, category, d, i), At: f.clk.Now()})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLinesGroupVerifiedWork(t *testing.T) {
	f := newFixture(t)
	f.work(t, f.youth, "childcare", "2027-01-09", "2027-02-13", "2027-03-13")
	f.work(t, f.youth, "tidying", "2026-11-07")
	f.work(t, f.youth2, "childcare", "2027-01-09")
	lines, err := f.svc.Lines(f.area, f.youth)
	if err != nil || len(lines) != 2 {
		t.Fatalf("%d lines, %v", len(lines), err)
	}
	l := lines[0]
	if l.Category != "childcare" || l.Times != 3 || l.Minutes != 360 || l.First.String() != "2027-01-09" || l.Last.String() != "2027-03-13" {
		t.Fatalf("childcare line %+v", l)
	}
	if lines[1].Category != "tidying" {
		t.Fatalf("older line second: %+v", lines[1])
	}
	// Another youth's work is not on this youth's CV.
	if l2, _ := f.svc.Lines(f.area, f.youth2); len(l2) != 1 || l2[0].Times != 1 {
		t.Fatalf("youth2 lines %+v", l2)
	}
}

func TestSaveAndHelpPermission(t *testing.T) {
	f := newFixture(t)
	c, _ := f.svc.Get(f.area, f.youth)
	c.Profile = "Jeg er glad for børn og god til at rydde op."
	c.Skills = []string{"Børnepasning", " ", "Kassearbejde"}
	c.References = []Ref{{Name: "Bjarne Ærø", Relation: "Vicevært", ConsentAt: f.clk.Now()}}
	saved, err := f.svc.Save(f.area, f.youth, f.youth, c, false)
	if err != nil || len(saved.Skills) != 2 {
		t.Fatalf("save: %+v %v", saved.Skills, err)
	}
	// A coordinator may not edit before the youth allows it.
	if _, err := f.svc.Save(f.area, f.youth, 99, c, true); !errors.Is(err, ErrNoHelp) {
		t.Fatalf("staff edit without permission: %v", err)
	}
	c.HelpAllowed = true
	saved, _ = f.svc.Save(f.area, f.youth, f.youth, c, false)
	if saved.HelpAllowedAt.IsZero() {
		t.Fatal("permission time not recorded")
	}
	c.Profile = "Rettet af koordinator"
	c.HelpAllowed = false // a coordinator cannot withdraw or grant it
	got, err := f.svc.Save(f.area, f.youth, 99, c, true)
	if err != nil || !got.HelpAllowed || got.UpdatedBy != 99 {
		t.Fatalf("staff edit with permission: %+v %v", got, err)
	}
	// The CV of a youth of another area is not reachable through this area.
	if _, err := f.svc.Get(f.other, f.youth); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other area: %v", err)
	}
	var inv *fault.Error
	c.Profile = strings.Repeat("x", maxLong+1)
	if _, err := f.svc.Save(f.area, f.youth, f.youth, c, false); !errors.As(err, &inv) || inv.Kind != fault.Invalid {
		t.Fatalf("too long profile: %v", err)
	}
}

func TestCodes(t *testing.T) {
	f := newFixture(t)
	f.work(t, f.youth, "childcare", "2027-01-09")
	f.work(t, f.youth, "tidying", "2027-02-06")
	c, _ := f.svc.Get(f.area, f.youth)
	c.HiddenLines = []string{"lommepenge_task/tidying"}
	if _, err := f.svc.Save(f.area, f.youth, f.youth, c, false); err != nil {
		t.Fatal(err)
	}
	code, err := f.svc.CurrentCode(f.area, f.youth)
	if err != nil || len(code.Value) != 19 {
		t.Fatalf("code %q, %v", code.Value, err)
	}
	if again, _ := f.svc.CurrentCode(f.area, f.youth); again.ID != code.ID {
		t.Fatal("a second print issued a new code while the first is active")
	}
	// Typed sloppily: lower case, no dashes, O for 0.
	typed := strings.ToLower(strings.ReplaceAll(code.Value, "-", ""))
	typed = strings.ReplaceAll(typed, "0", "o")
	v, err := f.svc.Verify(typed)
	if err != nil || len(v.Lines) != 1 || v.Lines[0].Category != "childcare" || v.Lines[0].Places != nil {
		t.Fatalf("verify: %+v %v", v, err)
	}
	b, _ := json.Marshal(v)
	if strings.Contains(string(b), "amira") || strings.Contains(string(b), "2011") {
		t.Fatalf("verification reveals the youth: %s", b)
	}
	if _, err := f.svc.Verify("AAAA-BBBB-CCCC-DDDD"); !errors.Is(err, ErrCodeClosed) {
		t.Fatalf("unknown code: %v", err)
	}
	if err := f.svc.Revoke(f.area, f.youth2, code.ID, f.youth2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another youth revokes: %v", err)
	}
	if err := f.svc.Revoke(f.area, f.youth, code.ID, f.youth); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Verify(code.Value); !errors.Is(err, ErrCodeClosed) {
		t.Fatalf("revoked code: %v", err)
	}
	next, _ := f.svc.CurrentCode(f.area, f.youth)
	if next.ID == code.ID {
		t.Fatal("no new code after revoking")
	}
	f.clk.Add(366 * 24 * time.Hour)
	if _, err := f.svc.Verify(next.Value); !errors.Is(err, ErrCodeClosed) {
		t.Fatalf("expired code: %v", err)
	}
}

func TestJSONResume(t *testing.T) {
	d := Document{Name: "Amira Haddad", Headline: "Ung i fritidsjob", Contact: []string{"amira@example.dk", "+45 12 34 56 78", "Aarhus"},
		Profile: "Glad for børn.", Work: []WorkLine{{Title: "Børnepasning", Place: "Blåbærparken", Detail: "3 gange, 6 timer", Period: "jan.–mar. 2027", Verified: true, Start: "2027-01-09", End: "2027-03-13"}},
		Courses:   []Entry{{Title: "Førstehjælp", Place: "Røde Kors", Date: "2027-02-01", Verified: true}},
		Languages: []Language{{Name: "Dansk", Level: "Modersmål"}}, Skills: []string{"Kasse"}, URL: "https://example.dk/v/K7QM"}
	b, err := d.JSONResume("Verificeret af Blåbærparken")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	basics := r["basics"].(map[string]any)
	if basics["name"] != "Amira Haddad" || basics["email"] != "amira@example.dk" || basics["phone"] != "+45 12 34 56 78" {
		t.Fatalf("basics %v", basics)
	}
	work := r["work"].([]any)[0].(map[string]any)
	if work["position"] != "Børnepasning" || work["startDate"] != "2027-01-09" || work["highlights"].([]any)[0] != "Verificeret af Blåbærparken" {
		t.Fatalf("work %v", work)
	}
	if r["certificates"].([]any)[0].(map[string]any)["name"] != "Førstehjælp" {
		t.Fatal("certificates")
	}
}
