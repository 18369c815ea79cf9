package notify_test

import (
	"bytes"
	"context"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestFanOutFollowsTheRecipientsChoice: an inbox message is copied to SMS
// only for a recipient who chose SMS, to their number as it is when the
// copy is sent; a guardian message reaches the guardian's phone only; an
// erased youth's queued copy fails without being sent.
func TestFanOutFollowsTheRecipientsChoice(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ppl := peoplekit.New(t, db, clock.Now)
	area := peoplekit.Area(t, ppl, "Gellerup")
	ida := peoplekit.Create(t, ppl, peoplekit.Youth(area.ID, "ida", peoplekit.Date("2012-05-01")))
	noPhone := peoplekit.Create(t, ppl, peoplekit.Youth(area.ID, "ali", peoplekit.Date("2012-05-01")))
	mads := peoplekit.Youth(area.ID, "mads", peoplekit.Date("2011-02-03"))
	mads.Youth.Guardians = []people.GuardianContact{{Name: "Mor", Phone: "20 30 40 50"}}
	madsU := peoplekit.Create(t, ppl, mads)
	if err := ppl.SetContact(ida.ID, people.Contact{Phone: "22 34 56 78", SMS: true}); err != nil {
		t.Fatal(err)
	}
	if err := ppl.SetContact(noPhone.ID, people.Contact{Phone: "87654321"}); err != nil { // a number, but no SMS chosen
		t.Fatal(err)
	}
	if err := db.View(func(tx store.Tx) error {
		return tx.Scan("users", nil, func(_, v []byte) error {
			if bytes.Contains(v, []byte("22345678")) {
				t.Errorf("a youth's phone number is stored in clear: %s", v)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	sms := newCounting("sms")
	sms.address = func(r notify.Recipient) string { return r.Phone }
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now, Directory: notify.PeopleDirectory(ppl)}, sms)

	enqueue(t, db, msg(ida.ID, "a", "", noon), msg(noPhone.ID, "b", "", noon))
	g := msg(madsU.ID, "consent", "", noon)
	g.Guardian, g.ToYouth = true, false
	enqueue(t, db, g)
	if err := ppl.SetContact(ida.ID, people.Contact{Phone: "+45 31 22 33 44", SMS: true}); err != nil {
		t.Fatal(err)
	}
	if n, err := w.RunOnce(context.Background()); err != nil || n != 2 {
		t.Fatalf("RunOnce = %d, %v; want the two copies sent", n, err)
	}
	var to []string
	for id := uint64(1); id <= 5; id++ {
		if sms.count(id) > 0 {
			to = append(to, sms.to[id])
		}
	}
	if len(to) != 2 || to[0] != "+4531223344" || to[1] != "+4520304050" {
		t.Errorf("SMS went to %q, want ida's new number and the guardian's", to)
	}
	if p, _ := notify.NewService(db, clock.Now).Inbox(madsU.ID, 0, 10); len(p.Messages) != 0 {
		t.Errorf("guardian message in the youth's inbox: %+v", p.Messages)
	}
	check(t, db)

	// Erased between the event and the send: nothing goes out.
	enqueue(t, db, msg(ida.ID, "c", "", noon))
	clock.Set(noon.Add(20 * 60e9)) // still daytime
	if err := ppl.EraseYouth(area.ID, ida.ID, 0); err != nil {
		t.Fatal(err)
	}
	if n, err := w.RunOnce(context.Background()); err != nil || n != 0 {
		t.Fatalf("RunOnce after erasure = %d, %v; want no copy made", n, err)
	}
	check(t, db)
}
