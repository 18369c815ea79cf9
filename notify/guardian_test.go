package notify_test

import (
	"context"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/people"
)

// TestConsentLinkGoesToTheGuardian: a consent link a coordinator makes is
// sent, in the same transaction, by SMS to the guardian the coordinator
// named (matched to the profile in any case), or to the first guardian
// with a phone when the profile names no such guardian; the message holds
// the link's path and lands in no inbox.
func TestConsentLinkGoesToTheGuardian(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	o := peoplekit.Options(clock.Now)
	o.OnConsentLink = notify.ConsentLinkCreated
	ppl, err := people.NewService(db, o)
	if err != nil {
		t.Fatal(err)
	}
	area := peoplekit.Area(t, ppl, "Gellerup")
	n := peoplekit.Youth(area.ID, "mads", peoplekit.Date("2012-02-03"))
	n.Youth.Guardians = []people.GuardianContact{{Name: "Omar Ali", Phone: "20 30 40 50"}, {Name: "Fatima Hassan", Phone: "+45 31 22 33 44"}}
	mads := peoplekit.Create(t, ppl, n)
	tok1, _, err := ppl.CreateConsentLink(area.ID, mads.ID, 1, "fatima HASSAN")
	if err != nil {
		t.Fatal(err)
	}
	tok2, _, err := ppl.CreateConsentLink(area.ID, mads.ID, 1, "Mormor")
	if err != nil {
		t.Fatal(err)
	}
	m1, m2 := get(t, db, 1), get(t, db, 2)
	if m1.Kind != notify.KindConsentLink || !m1.Guardian || m1.UserID != mads.ID || m1.Params["guardian"] != "Fatima Hassan" ||
		m1.Params["link"] != notify.ConsentLinkPath(tok1) || m1.Params["expires"] == "" {
		t.Errorf("first link's message = %+v", m1)
	}
	if m2.Params["guardian"] != "" || m2.Params["link"] != "/consent/"+tok2 {
		t.Errorf("second link's message = %+v", m2)
	}
	if p, _ := notify.NewService(db, clock.Now).Inbox(mads.ID, 0, 10); len(p.Messages) != 0 {
		t.Errorf("a guardian's link in the youth's inbox: %+v", p.Messages)
	}
	sms := newCounting("sms")
	sms.address = func(r notify.Recipient) string { return r.Phone }
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now, Directory: notify.PeopleDirectory(ppl)}, sms)
	if n, err := w.RunOnce(context.Background()); err != nil || n != 2 {
		t.Fatalf("RunOnce = %d, %v; want two SMS", n, err)
	}
	if sms.to[3] != "+4531223344" || sms.to[4] != "+4520304050" {
		t.Errorf("SMS went to %v", sms.to)
	}
	check(t, db)
}
