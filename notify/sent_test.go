package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestSentListsEveryChannelNewestFirst: a youth's "sent to you" list holds
// the inbox message, its SMS copy and the message to their guardian (with
// its copy), newest first and a page at a time; nobody else's messages;
// prune empties it and Check finds a missing entry.
func TestSentListsEveryChannelNewestFirst(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ppl := peoplekit.New(t, db, clock.Now)
	area := peoplekit.Area(t, ppl, "Gellerup")
	n := peoplekit.Youth(area.ID, "mads", peoplekit.Date("2011-02-03"))
	n.Youth.Guardians = []people.GuardianContact{{Name: "Mor", Phone: "20 30 40 50"}}
	mads := peoplekit.Create(t, ppl, n)
	ida := peoplekit.Create(t, ppl, peoplekit.Youth(area.ID, "ida", peoplekit.Date("2012-05-01")))
	if err := ppl.SetContact(mads.ID, people.Contact{Phone: "22 34 56 78", SMS: true}); err != nil {
		t.Fatal(err)
	}
	svc := notify.NewService(db, clock.Now)
	g := msg(mads.ID, "consent", "", noon)
	g.Guardian, g.ToYouth = true, false
	enqueue(t, db, msg(mads.ID, "a", "", noon), g, msg(ida.ID, "other", "", noon))
	sms := newCounting("sms")
	sms.address = func(r notify.Recipient) string { return r.Phone }
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now, Directory: notify.PeopleDirectory(ppl)}, sms)
	if n, err := w.RunOnce(context.Background()); err != nil || n != 2 {
		t.Fatalf("RunOnce = %d, %v; want mads's copy and the guardian's (ida has no number)", n, err)
	}

	p, err := svc.Sent(mads.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range p.Messages {
		if m.UserID != mads.ID {
			t.Errorf("another user's message: %+v", m)
		}
		got = append(got, fmt.Sprintf("%s/%s/%v/%s", m.Key, m.Channel, m.Guardian, m.State))
	}
	want := "consent/sms/true/sent a/sms/false/sent consent/none/true/sent a/inbox/false/sent"
	if strings.Join(got, " ") != want || p.Next != 0 {
		t.Fatalf("sent = %v (next %d), want %s", got, p.Next, want)
	}
	p1, _ := svc.Sent(mads.ID, 0, 3)
	p2, _ := svc.Sent(mads.ID, p1.Next, 3)
	if len(p1.Messages) != 3 || p1.Next == 0 || len(p2.Messages) != 1 || p2.Messages[0].Key != "a" || p2.Messages[0].Channel != "inbox" {
		t.Fatalf("pages: %d (next %d) then %+v", len(p1.Messages), p1.Next, p2.Messages)
	}
	check(t, db)

	if n, err := svc.Prune(noon.AddDate(0, 0, 91)); err != nil || n != 5 {
		t.Fatalf("prune = %d, %v", n, err)
	}
	if p, _ := svc.Sent(mads.ID, 0, 10); len(p.Messages) != 0 {
		t.Errorf("after prune: %+v", p.Messages)
	}
	check(t, db)
}

func TestCheckFindsAMessageMissingFromItsUsersList(t *testing.T) {
	db := testkit.Store(t)
	enqueue(t, db, msg(7, "k", "", noon))
	if err := db.Update(func(tx store.Tx) error { return tx.Delete("notify_byuser", store.Key(uint64(7), ^uint64(1))) }); err != nil {
		t.Fatal(err)
	}
	if err := db.View(notify.Check); err == nil || !strings.Contains(err.Error(), "no entry in its user's list") {
		t.Fatalf("check = %v", err)
	}
}
