package employers

import (
	"errors"
	"testing"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

func TestEmployerContactIsolation(t *testing.T) {
	contact := func(_ store.Tx, _, youth uint64) (string, string, error) {
		return "12345678", "Vej 1", nil
	}
	e := newEnv(t, contact)
	cA, cB := e.user(people.RoleEmployer), e.user(people.RoleEmployer)
	a := e.employer("Brugsen", "2132436", Contact{Name: "Anna", UserID: cA})
	b := e.employer("Netto", "5555555", Contact{Name: "Bo", UserID: cB})
	y1 := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	y2 := e.youth(17, people.SchoolFinished9, people.GenderMale)
	now := e.clk.Now()

	if _, err := e.svc.ShareYouth(e.area.ID, a.ID, y1, 1, now.Add(-1), false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ShareYouth(e.area.ID, a.ID, y2, 1, now.Add(-1), true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ShareYouth(e.area.ID, b.ID, y1, 1, time.Time{}, false); !isInvalid(err, "consent", "required") {
		t.Fatalf("share without consent: %v", err)
	}

	// Each contact resolves to their own employer only.
	if es, err := e.svc.ContactEmployers(e.area.ID, cA); err != nil || len(es) != 1 || es[0].ID != a.ID {
		t.Fatalf("contact A employers: %v, %v", es, err)
	}
	// Candidates: only shared youths; contact details only with consent.
	cs, err := e.svc.SharedCandidates(e.area.ID, a.ID)
	if err != nil || len(cs) != 2 {
		t.Fatalf("candidates of A: %+v, %v", cs, err)
	}
	for _, c := range cs {
		switch c.YouthID {
		case y1:
			if c.Phone != "" || c.Address != "" || c.ShowContact {
				t.Errorf("y1 contact shown without consent: %+v", c)
			}
		case y2:
			if c.Phone != "12345678" || c.Address != "Vej 1" {
				t.Errorf("y2 contact missing: %+v", c)
			}
		}
		if c.DisplayName == "" {
			t.Errorf("candidate without name: %+v", c)
		}
	}
	if cs, err := e.svc.SharedCandidates(e.area.ID, b.ID); err != nil || len(cs) != 0 {
		t.Fatalf("candidates of B: %+v, %v", cs, err)
	}

	// One candidate, as a contact person sees them.
	if c, err := e.svc.CandidateFor(e.area.ID, a.ID, y2, cA); err != nil || c.Phone != "12345678" || c.DisplayName == "" {
		t.Fatalf("A's candidate y2: %+v, %v", c, err)
	}
	if c, err := e.svc.CandidateFor(e.area.ID, a.ID, y1, cA); err != nil || c.Phone != "" {
		t.Fatalf("A's candidate y1 (no contact consent): %+v, %v", c, err)
	}
	if _, err := e.svc.CandidateFor(e.area.ID, a.ID, y1, cB); !errors.Is(err, ErrNotContact) {
		t.Fatalf("B reading A's candidate: %v", err)
	}
	if _, err := e.svc.CandidateFor(e.area.ID, b.ID, y1, cB); !errors.Is(err, ErrNotShared) {
		t.Fatalf("B reading a youth not shared with B: %v", err)
	}
	if sh, err := e.svc.Shares(e.area.ID, a.ID); err != nil || len(sh) != 2 || sh[0].ConsentAt.IsZero() {
		t.Fatalf("shares of A: %+v, %v", sh, err)
	}
	fb := func(by, emp, youth uint64) error {
		_, err := e.svc.AddFeedback(e.area.ID, by, NewFeedback{EmployerID: emp, YouthID: youth, Kind: FeedbackInterview, Text: "Mødte op til tiden"})
		return err
	}
	if err := fb(cA, a.ID, y1); err != nil {
		t.Fatalf("A on own candidate: %v", err)
	}
	if err := fb(cB, b.ID, y1); !errors.Is(err, ErrNotShared) {
		t.Fatalf("B on A's candidate: %v", err)
	}
	if err := fb(cB, a.ID, y1); !errors.Is(err, ErrNotContact) {
		t.Fatalf("B posing as A: %v", err)
	}
	if err := fb(9999, a.ID, y1); !errors.Is(err, ErrNotContact) {
		t.Fatalf("non-contact: %v", err)
	}
	// Withdrawn consent: no more candidates, no more feedback.
	if err := e.svc.Unshare(e.area.ID, a.ID, y1); err != nil {
		t.Fatal(err)
	}
	if err := fb(cA, a.ID, y1); !errors.Is(err, ErrNotShared) {
		t.Fatalf("after unshare: %v", err)
	}
	if list, err := e.svc.FeedbackFor(e.area.ID, a.ID, 0); err != nil || len(list) != 1 || list[0].By != cA {
		t.Fatalf("feedback of A: %+v, %v", list, err)
	}
	if list, _ := e.svc.FeedbackFor(e.area.ID, b.ID, 0); len(list) != 0 {
		t.Fatalf("feedback of B: %+v", list)
	}
	// Openings of one employer only.
	e.opening(a.ID, nil)
	e.opening(b.ID, nil)
	if os, err := e.svc.Openings(e.area.ID, b.ID); err != nil || len(os) != 1 || os[0].EmployerID != b.ID {
		t.Fatalf("openings of B: %+v, %v", os, err)
	}
	e.check()
}

func TestNotesAndInactive(t *testing.T) {
	e := newEnv(t, nil)
	y1 := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	y2 := e.youth(16, people.SchoolFinished9, people.GenderMale)
	e.move(y1, StageOutreach, MoveOptions{})
	e.move(y2, StageOutreach, MoveOptions{})
	fu := date("2026-11-05")
	n, err := e.svc.AddNote(e.area.ID, y1, 1, "Ring til mor om CV", &fu)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddNote(e.area.ID, y2, 1, "Ingen opfølgning", nil); err != nil {
		t.Fatal(err)
	}
	if due, _ := e.svc.DueFollowUps(e.area.ID, date("2026-11-04")); len(due) != 0 {
		t.Fatalf("due before date: %+v", due)
	}
	if due, _ := e.svc.DueFollowUps(e.area.ID, date("2026-11-05")); len(due) != 1 || due[0].ID != n.ID {
		t.Fatalf("due on date: %+v", due)
	}
	if err := e.svc.CompleteFollowUp(e.area.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := e.svc.DueFollowUps(e.area.ID, date("2026-11-30")); len(due) != 0 {
		t.Fatalf("due after done: %+v", due)
	}
	if in, _ := e.svc.Inactive(e.area.ID, date("2026-12-02"), 30); len(in) != 0 {
		t.Fatalf("inactive at 30 days: %v", in)
	}
	// 31 days later both are inactive; a new note on y2 makes it active.
	e.clk.Set(cph(2026, 12, 3, 9, 0))
	if in, _ := e.svc.Inactive(e.area.ID, date("2026-12-03"), 30); len(in) != 2 {
		t.Fatalf("inactive at 31 days: %v", in)
	}
	if _, err := e.svc.AddNote(e.area.ID, y2, 1, "Ringede", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RecordActivity(e.area.ID, y1, ActGuidance, date("2026-11-20"), 30, 1); err != nil {
		t.Fatal(err)
	}
	in, _ := e.svc.Inactive(e.area.ID, date("2026-12-03"), 30)
	if len(in) != 0 {
		t.Fatalf("inactive after note and activity: %v", in)
	}
	e.check()
}

func TestFunnel(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Brugsen", "2132436")
	o := e.opening(emp.ID, func(n *NewOpening) { n.StartDate = date("2026-07-01") })
	place := func(g people.Gender, reach3m bool) {
		y := e.youth(16, people.SchoolFinished9, g)
		e.toInterview(y)
		e.move(y, StagePlaced, MoveOptions{OpeningID: o.ID})
		if reach3m {
			e.move(y, StageFollowUp1M, MoveOptions{Date: date("2026-08-01")})
			e.move(y, StageFollowUp3M, MoveOptions{Date: date("2026-10-01")})
		}
	}
	for range 6 {
		place(people.GenderFemale, true)
	}
	for range 5 {
		place(people.GenderMale, false)
	}
	e.move(e.youth(16, people.SchoolFinished9, people.GenderUnknown), StageOutreach, MoveOptions{})
	// Placed in November: not yet eligible for 3-month retention.
	late := e.opening(emp.ID, nil)
	y := e.youth(16, people.SchoolFinished9, people.GenderOther)
	e.toInterview(y)
	e.move(y, StagePlaced, MoveOptions{OpeningID: late.ID})

	f, err := e.svc.Funnel(e.area.ID)
	if err != nil {
		t.Fatal(err)
	}
	row := func(st Stage) Cells {
		for _, r := range f.Stages {
			if r.Stage == st {
				return r.Cells
			}
		}
		t.Fatalf("no row %s", st)
		return Cells{}
	}
	for _, tc := range []struct {
		st                          Stage
		all, female, male, other, u string
	}{
		{StageOutreach, "<5", "0", "0", "0", "<5"},
		{StageGuidance, "0", "0", "0", "0", "0"},
		{StagePlaced, "6", "0", "5", "<5", "0"},
		{StageFollowUp3M, "6", "6", "0", "0", "0"},
	} {
		c := row(tc.st)
		got := []string{c.All, c.ByGender[people.GenderFemale], c.ByGender[people.GenderMale], c.ByGender[people.GenderOther], c.ByGender[people.GenderUnknown]}
		want := []string{tc.all, tc.female, tc.male, tc.other, tc.u}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s cells = %v, want %v", tc.st, got, want)
				break
			}
		}
	}
	r := f.Retention
	if r.Eligible.All != "11" || r.Retained.All != "6" || r.Rate.All != "55%" {
		t.Errorf("retention all = %s/%s %s", r.Retained.All, r.Eligible.All, r.Rate.All)
	}
	if r.Rate.ByGender[people.GenderFemale] != "100%" || r.Rate.ByGender[people.GenderMale] != "0%" ||
		r.Rate.ByGender[people.GenderOther] != "" {
		t.Errorf("retention by gender = %v", r.Rate.ByGender)
	}
	e.check()
}

func TestCell(t *testing.T) {
	for n, want := range map[int]string{0: "0", 1: "<5", 4: "<5", 5: "5", 12: "12"} {
		if got := Cell(n); got != want {
			t.Errorf("Cell(%d) = %q, want %q", n, got, want)
		}
	}
	for _, tc := range []struct {
		el, re int
		want   string
	}{{0, 0, ""}, {3, 3, "<5"}, {10, 3, "<5"}, {10, 7, "<5"}, {10, 5, "50%"}, {10, 0, "0%"}, {5, 5, "100%"}} {
		if got := rate(tc.el, tc.re); got != tc.want {
			t.Errorf("rate(%d, %d) = %q, want %q", tc.el, tc.re, got, tc.want)
		}
	}
}
