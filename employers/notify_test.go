package employers

import (
	"errors"
	"testing"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestShareTellsTheEmployersContacts: a new share puts one message in the
// inbox of each contact person with an employer login (the employer's
// name, nothing about the youth); sharing again writes none, and a share
// that fails leaves none.
func TestShareTellsTheEmployersContacts(t *testing.T) {
	e := newEnv(t, nil)
	inbox := notify.NewService(e.db, e.clk.Now)
	c1, c2, other := e.user(people.RoleEmployer), e.user(people.RoleEmployer), e.user(people.RoleEmployer)
	coord := e.user(people.RoleCoordinator)
	emp := e.employer("Brugsen", "2132436", Contact{Name: "Anna", UserID: c1}, Contact{Name: "Bo", UserID: c2},
		Contact{Name: "Uden login"})
	e.employer("Netto", "5555555", Contact{Name: "Cai", UserID: other})
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	now := e.clk.Now()

	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y, coord, now.Add(-1), false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y, coord, now.Add(-1), true); err != nil { // replaces the share
		t.Fatal(err)
	}
	for _, u := range []uint64{c1, c2} {
		p, err := inbox.Inbox(u, 0, 10)
		if err != nil || len(p.Messages) != 1 {
			t.Fatalf("contact %d: %d messages, %v", u, len(p.Messages), err)
		}
		m := p.Messages[0]
		if m.Kind != notify.KindCandidateShared || m.Params["employer"] != "Brugsen" || m.AreaID != e.area.ID || len(m.Params) != 1 {
			t.Errorf("contact %d got %+v", u, m)
		}
	}
	for _, u := range []uint64{other, coord, y} {
		if n, _ := inbox.Unread(u); n != 0 {
			t.Errorf("user %d got %d messages", u, n)
		}
	}
	// A share refused for want of consent tells nobody.
	y2 := e.youth(17, people.SchoolFinished9, people.GenderMale)
	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y2, coord, now.Add(1e9), false); !isInvalid(err, "consent", "future") {
		t.Fatalf("share with future consent: %v", err)
	}
	if n, _ := inbox.Unread(c1); n != 1 {
		t.Errorf("refused share left %d messages", n)
	}
	// Withdrawn and shared again is news again.
	if err := e.svc.Unshare(e.area.ID, emp.ID, y); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(1e9)
	if _, err := e.svc.ShareYouth(e.area.ID, emp.ID, y, coord, now, false); err != nil {
		t.Fatal(err)
	}
	if n, _ := inbox.Unread(c1); n != 2 {
		t.Errorf("after sharing again: %d messages", n)
	}
	if err := e.db.View(func(tx store.Tx) error { return errors.Join(notify.Check(tx), Check(tx)) }); err != nil {
		t.Error(err)
	}
}
