package jobs

import (
	"strings"
	"sync"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// kinds lists the kinds of msgs, oldest first.
func kinds(msgs []notify.Message) []string {
	var out []string
	for i := len(msgs) - 1; i >= 0; i-- {
		out = append(out, msgs[i].Kind)
	}
	return out
}

// guardianMessages lists every guardian message in the outbox.
func (e *env) guardianMessages() []notify.Message {
	e.t.Helper()
	var out []notify.Message
	err := e.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, "notify_msgs", nil, func(_ []byte, m notify.Message) error {
			if m.Guardian {
				out = append(out, m)
			}
			return nil
		})
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// youthWithGuardians creates a youth aged age with two guardian contacts.
func (e *env) youthWithGuardians(name string, age int) uint64 {
	e.t.Helper()
	birth := people.DateOf(e.clk.Now().In(people.Copenhagen).AddDate(-age, -1, 0))
	n := peoplekit.Youth(e.area.ID, name, birth)
	n.Youth.Gender, n.Youth.School = people.GenderFemale, people.SchoolFinished9
	n.Youth.Guardians = []people.GuardianContact{{Name: "Omar Ali", Phone: "20304050"}, {Name: "Fatima Hassan", Phone: "+4530405060"}}
	return peoplekit.Create(e.t, e.ppl, n).ID
}

// TestClaimIsConfirmed: a youth who takes a free slot is told once, in
// the claim's transaction, with the task's title and time; a youth who
// lands on the waitlist is not; no message names a youth.
func TestClaimIsConfirmed(t *testing.T) {
	e := newEnv(t)
	task := e.task(func(n *NewTask) { n.Slots = 1 })
	a := e.youth("anna", 14, people.SchoolCompulsory)
	b := e.youth("bodil", 14, people.SchoolCompulsory)
	for _, y := range []uint64{a, b} {
		if _, err := e.svc.Claim(e.area.ID, task.ID, y); err != nil {
			t.Fatal(err)
		}
	}
	got := e.inbox(a)
	if len(got) != 1 || got[0].Kind != notify.KindClaimConfirmed || got[0].Params["task"] != task.Title ||
		got[0].Params["start"] != task.Start.UTC().Format(time.RFC3339) || !got[0].ToYouth {
		t.Fatalf("claiming youth's inbox = %+v", got)
	}
	for k, v := range got[0].Params {
		if strings.Contains(v, "anna") || strings.Contains(v, "bodil") {
			t.Errorf("param %s names a youth: %q", k, v)
		}
	}
	if got := e.inbox(b); len(got) != 0 {
		t.Errorf("waitlisted youth got %v", kinds(got))
	}
	// Cancelling and claiming again is a new claim: confirmed again.
	if err := e.svc.Cancel(e.area.ID, task.ID, a, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Claim(e.area.ID, task.ID, a); err != nil {
		t.Fatal(err)
	}
	if got := kinds(e.inbox(a)); len(got) != 1 {
		t.Errorf("anna, now on the waitlist, has %v", got) // bodil moved up; anna waits
	}
	if got := kinds(e.inbox(b)); len(got) != 1 || got[0] != notify.KindWaitlistPromoted {
		t.Errorf("bodil has %v", got)
	}
	e.check()
}

// TestFirstWageTaskTellsGuardian: the first place a child gets on a wage
// task tells the guardian who gave the consent (by the profile's
// spelling of the name), once; a later wage task, a points task and a
// youth of 18 tell nobody; the youth's inbox holds no guardian message.
func TestFirstWageTaskTellsGuardian(t *testing.T) {
	e := newEnv(t)
	wage := func(n *NewTask) { n.Pay, n.RateOre, n.Points, n.MaxAge = PayWage, 5000, 0, 20 }
	w1, w2 := e.task(wage), e.task(func(n *NewTask) {
		wage(n)
		n.Start, n.End = cph(2026, 11, 14, 10, 0), cph(2026, 11, 14, 12, 0)
	})
	pts := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 21, 10, 0), cph(2026, 11, 21, 12, 0) })
	y := e.youthWithGuardians("amira", 14)
	adult := e.youthWithGuardians("jonas", 18)
	if _, err := e.ppl.RecordPaperConsent(e.area.ID, y, 2, "fatima hassan"); err != nil {
		t.Fatal(err)
	}
	if gm := e.guardianMessages(); len(gm) != 0 {
		t.Fatalf("guardian messages before any claim: %+v", gm)
	}
	for _, c := range []struct{ task, youth uint64 }{{pts.ID, y}, {w1.ID, y}, {w2.ID, y}, {w1.ID, adult}} {
		if _, err := e.svc.Claim(e.area.ID, c.task, c.youth); err != nil {
			t.Fatalf("claim %d by %d: %v", c.task, c.youth, err)
		}
	}
	gm := e.guardianMessages()
	if len(gm) != 1 {
		t.Fatalf("guardian messages = %+v", gm)
	}
	m := gm[0]
	if m.Kind != notify.KindFirstWageTask || m.UserID != y || m.Params["guardian"] != "Fatima Hassan" ||
		m.Params["task"] != w1.Title || m.Params["start"] != w1.Start.UTC().Format(time.RFC3339) || m.Channel != notify.ChannelNone {
		t.Errorf("guardian message = %+v", m)
	}
	for _, k := range kinds(e.inbox(y)) {
		if k != notify.KindClaimConfirmed {
			t.Errorf("the youth's inbox holds %s", k)
		}
	}
	e.check()
}

// TestFirstWageTaskByPromotion: moving up from the waitlist onto a wage
// task is the first place too; without a consent naming a guardian the
// message names none (the first guardian with a phone gets it).
func TestFirstWageTaskByPromotion(t *testing.T) {
	e := newEnv(t)
	w := e.task(func(n *NewTask) { n.Pay, n.RateOre, n.Points, n.Slots = PayWage, 5000, 0, 1 })
	a := e.youthWithGuardians("anna", 16)
	b := e.youthWithGuardians("bodil", 16)
	for _, y := range []uint64{a, b} {
		if _, err := e.svc.Claim(e.area.ID, w.ID, y); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.Cancel(e.area.ID, w.ID, a, false); err != nil {
		t.Fatal(err)
	}
	var to []uint64
	for _, m := range e.guardianMessages() {
		if m.Params["guardian"] != "" {
			t.Errorf("message names guardian %q without a consent", m.Params["guardian"])
		}
		to = append(to, m.UserID)
	}
	if len(to) != 2 || to[0] != a || to[1] != b {
		t.Errorf("guardian messages about %v, want [%d %d]", to, a, b)
	}
	e.check()
}

// TestReminderTimes: the day-before reminder is at 16:00 Copenhagen the
// day before (also across the change to winter time); the two-hour one is
// left out when it would fall in the quiet hours.
func TestReminderTimes(t *testing.T) {
	for _, c := range []struct {
		start, day, soon time.Time
	}{
		{cph(2026, 11, 7, 10, 0), cph(2026, 11, 6, 16, 0), cph(2026, 11, 7, 8, 0)},
		{cph(2026, 11, 7, 9, 59), cph(2026, 11, 6, 16, 0), time.Time{}},
		{cph(2026, 11, 7, 21, 0), cph(2026, 11, 6, 16, 0), cph(2026, 11, 7, 19, 0)},
		{cph(2026, 11, 7, 22, 30), cph(2026, 11, 6, 16, 0), time.Time{}},
		{cph(2026, 10, 25, 12, 0), cph(2026, 10, 24, 16, 0), cph(2026, 10, 25, 10, 0)}, // DST ends that night
		{cph(2026, 12, 1, 15, 0), cph(2026, 11, 30, 16, 0), cph(2026, 12, 1, 13, 0)},   // across a month
	} {
		day, soon := reminderDue(c.start)
		if !day.Equal(c.day) || !soon.Equal(c.soon) {
			t.Errorf("start %v: reminders %v, %v; want %v, %v", c.start, day, soon, c.day, c.soon)
		}
	}
}

// TestReminders walks the clock to a Saturday task: the day-before
// reminder at 16:00 Friday to the youths who had a place by then, the
// two-hour one at 08:00 Saturday; each once, however often (and from how
// many instances at once) Reminders runs; none for a youth who cancelled,
// a cancelled task, or a claim made after the reminder was due.
func TestReminders(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil) // Saturday 7 November 10:00–12:00
	gone := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 7, 13, 0), cph(2026, 11, 7, 15, 0) })
	a := e.youth("anna", 14, people.SchoolCompulsory)
	b := e.youth("bodil", 14, people.SchoolCompulsory)
	c := e.youth("cem", 14, people.SchoolCompulsory)
	d := e.youth("dina", 14, people.SchoolCompulsory)
	for _, y := range []uint64{a, c} {
		if _, err := e.svc.Claim(e.area.ID, task.ID, y); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Claim(e.area.ID, gone.ID, a); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Cancel(e.area.ID, task.ID, c, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetStatus(e.area.ID, gone.ID, StatusCancelled); err != nil {
		t.Fatal(err)
	}
	run := func(at time.Time, want int) {
		t.Helper()
		e.clk.Set(at)
		n, err := e.svc.Reminders(at)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%v: sent %d reminders, want %d", at, n, want)
		}
	}
	reminders := func(y uint64) []string {
		var out []string
		for _, k := range kinds(e.inbox(y)) {
			if strings.HasPrefix(k, "reminder_") {
				out = append(out, k)
			}
		}
		return out
	}
	run(cph(2026, 11, 6, 15, 59), 0)
	// Two instances at the same minute send it once.
	e.clk.Set(cph(2026, 11, 6, 16, 0))
	var wg sync.WaitGroup
	sent := make([]int, 2)
	for i := range sent {
		wg.Go(func() {
			n, err := e.svc.Reminders(cph(2026, 11, 6, 16, 0))
			if err != nil {
				t.Error(err)
			}
			sent[i] = n
		})
	}
	wg.Wait()
	if sent[0]+sent[1] != 1 {
		t.Errorf("two instances sent %v reminders, want 1 in all", sent)
	}
	run(cph(2026, 11, 6, 16, 1), 0)
	e.clk.Set(cph(2026, 11, 6, 17, 0))
	if _, err := e.svc.Claim(e.area.ID, task.ID, b); err != nil { // after the day-before reminder was due
		t.Fatal(err)
	}
	run(cph(2026, 11, 6, 17, 1), 0)
	run(cph(2026, 11, 7, 7, 59), 0)
	e.clk.Set(cph(2026, 11, 7, 9, 30))
	if _, err := e.svc.Claim(e.area.ID, task.ID, d); err != nil { // 30 minutes before the start
		t.Fatal(err)
	}
	e.clk.Set(cph(2026, 11, 7, 8, 0))
	run(cph(2026, 11, 7, 8, 0), 2)
	run(cph(2026, 11, 7, 9, 45), 0)
	run(cph(2026, 11, 7, 10, 0), 0)

	if got := reminders(a); len(got) != 2 || got[0] != notify.KindReminderDayBefore || got[1] != notify.KindReminderSoon {
		t.Errorf("anna's reminders = %v", got)
	}
	if got := reminders(b); len(got) != 1 || got[0] != notify.KindReminderSoon {
		t.Errorf("bodil's reminders = %v", got)
	}
	if got := reminders(c); len(got) != 0 {
		t.Errorf("cem, who cancelled, got %v", got)
	}
	if got := reminders(d); len(got) != 0 {
		t.Errorf("dina, who claimed 30 minutes before, got %v", got)
	}
	m := e.inbox(a)[0]
	if m.Params["task"] != task.Title || !m.ToYouth || m.AreaID != e.area.ID {
		t.Errorf("reminder = %+v", m)
	}
	e.check()
}

// TestRemindersBuildTheStartIndex: a store whose tasks were written
// before the start index existed gets it on the first run, and its tasks
// are reminded.
func TestRemindersBuildTheStartIndex(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	a := e.youth("anna", 14, people.SchoolCompulsory)
	if _, err := e.svc.Claim(e.area.ID, task.ID, a); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Update(func(tx store.Tx) error {
		if err := tx.Delete(bucketJobsMeta, markerStartIndex); err != nil {
			return err
		}
		return tx.Delete(bucketTaskStarts, startKey(task))
	}); err != nil {
		t.Fatal(err)
	}
	n, err := e.svc.Reminders(cph(2026, 11, 6, 16, 0))
	if err != nil || n != 1 {
		t.Fatalf("reminders on an old store: %d, %v", n, err)
	}
	e.check()
}
