package people

import (
	"errors"
	"testing"
	"time"

	"fritidsjob/store"
)

func TestConsentByPaperAndLink(t *testing.T) {
	s, db, clk := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	u, err := s.CreateUser(youthUser(a.ID, "aya", "2015-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	active := func() bool {
		t.Helper()
		var ok bool
		if err := db.View(func(tx store.Tx) error { var err error; _, ok, err = ActiveConsentTx(tx, a.ID, u.ID); return err }); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if active() {
		t.Fatal("consent before any was given")
	}
	if _, err := s.RecordPaperConsent(a.ID, u.ID, 9, "Hanne Nørgaard"); err != nil || !active() {
		t.Fatalf("paper consent: %v", err)
	}
	if err := s.WithdrawConsent(a.ID, u.ID, 9); err != nil || active() {
		t.Fatalf("withdraw: %v", err)
	}
	token, _, err := s.CreateConsentLink(a.ID, u.ID, 9, "Hanne Nørgaard")
	if err != nil {
		t.Fatal(err)
	}
	if _, v, _, err := s.ConsentLinkFor(token); err != nil || v.User.ID != u.ID {
		t.Fatalf("link page: %v", err)
	}
	c, err := s.GiveConsentByLink(token, "203.0.113.5")
	if err != nil || c.Method != ConsentLink || c.IP != "203.0.113.5" || c.Text != ConsentText || !active() {
		t.Fatalf("link consent: %+v %v", c, err)
	}
	if _, err := s.GiveConsentByLink(token, "203.0.113.5"); !errors.Is(err, ErrLinkClosed) {
		t.Fatalf("second use of the link: %v", err)
	}
	token2, _, _ := s.CreateConsentLink(a.ID, u.ID, 9, "Hanne Nørgaard")
	clk.Add(15 * 24 * time.Hour)
	if _, err := s.GiveConsentByLink(token2, "x"); !errors.Is(err, ErrLinkClosed) {
		t.Fatalf("expired link: %v", err)
	}
	list, _ := s.Consents(a.ID, u.ID)
	if len(list) != 2 || list[1].WithdrawnAt.IsZero() {
		t.Fatalf("history %+v", list)
	}
}
