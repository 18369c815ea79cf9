package jobs

import (
	"testing"

	"fritidsjob/notify"
	"fritidsjob/people"
)

// inbox returns youth's inbox, newest first.
func (e *env) inbox(youth uint64) []notify.Message {
	e.t.Helper()
	p, err := notify.NewService(e.db, e.clk.Now).Inbox(youth, 0, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	return p.Messages
}

// news is youth's inbox without the claim confirmations every claim with
// a slot gets, for the tests of the messages that follow a claim.
func (e *env) news(youth uint64) []notify.Message {
	e.t.Helper()
	var out []notify.Message
	for _, m := range e.inbox(youth) {
		if m.Kind != notify.KindClaimConfirmed {
			out = append(out, m)
		}
	}
	return out
}

// oneSlotThreeClaims posts a task with one slot that anna takes, with
// bodil and cem after her on the waitlist.
func (e *env) oneSlotThreeClaims() (task Task, anna, bodil, cem uint64) {
	e.t.Helper()
	task = e.task(func(n *NewTask) { n.Slots = 1 })
	anna = e.youth("anna", 14, people.SchoolCompulsory)
	bodil = e.youth("bodil", 14, people.SchoolCompulsory)
	cem = e.youth("cem", 14, people.SchoolCompulsory)
	for _, y := range []uint64{anna, bodil, cem} {
		if _, err := e.svc.Claim(e.area.ID, task.ID, y); err != nil {
			e.t.Fatal(err)
		}
	}
	return task, anna, bodil, cem
}

// TestPromotedYouthIsTold: the youth who moves up from the waitlist gets
// one message naming the task and its time, in the cancel's transaction;
// the cancelling youth and the one still waiting get none, and no message
// names another youth.
func TestPromotedYouthIsTold(t *testing.T) {
	e := newEnv(t)
	task, a, b, c := e.oneSlotThreeClaims()
	if err := e.svc.Cancel(e.area.ID, task.ID, a, false); err != nil {
		t.Fatal(err)
	}
	got := e.news(b)
	if len(got) != 1 {
		t.Fatalf("promoted youth has %d messages", len(got))
	}
	m := got[0]
	if m.Kind != notify.KindWaitlistPromoted || m.Params["task"] != task.Title || m.Params["start"] == "" || !m.ToYouth || m.AreaID != e.area.ID {
		t.Errorf("message = %+v", m)
	}
	for k, v := range m.Params {
		if v == "anna" || v == "cem" || v == "bodil" {
			t.Errorf("message param %s names a youth: %q", k, v)
		}
	}
	if n := len(e.news(a)) + len(e.news(c)); n != 0 {
		t.Errorf("others got %d messages", n)
	}
	e.check()
}

// TestDecisionsOnHoursAreTold: approving and rejecting hours each tell
// the youth once, the rejection with its reason.
func TestDecisionsOnHoursAreTold(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	y := e.youth("amira", 16, people.SchoolFinished9)
	z := e.youth("jonas", 16, people.SchoolFinished9)
	if _, err := e.svc.Claim(e.area.ID, task.ID, z); err != nil {
		t.Fatal(err)
	}
	wy := e.workOn(task, y)
	wz, err := e.svc.RecordHours(e.area.ID, task.ID, z, z, task.Start, task.End, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Reject(e.area.ID, 2, wy.ID, "Du var der ikke"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Approve(e.area.ID, 2, wz.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Approve(e.area.ID, 2, wz.ID); err == nil {
		t.Fatal("approved twice")
	}
	ry, rz := e.news(y), e.news(z)
	if len(ry) != 1 || ry[0].Kind != notify.KindHoursRejected || ry[0].Params["reason"] != "Du var der ikke" || ry[0].Params["task"] != task.Title {
		t.Errorf("rejected youth's inbox = %+v", ry)
	}
	if len(rz) != 1 || rz[0].Kind != notify.KindHoursApproved || rz[0].Params["minutes"] != "120" {
		t.Errorf("approved youth's inbox = %+v", rz)
	}
	e.check()
}

// TestCancelledTaskIsTold: cancelling a task tells every youth who still
// had a place or a waitlist spot on it, once, in the cancel's transaction;
// a youth who had cancelled already is not told.
func TestCancelledTaskIsTold(t *testing.T) {
	e := newEnv(t)
	task, a, b, c := e.oneSlotThreeClaims()
	if err := e.svc.Cancel(e.area.ID, task.ID, c, false); err != nil { // cem leaves the waitlist
		t.Fatal(err)
	}
	if _, err := e.svc.SetStatus(e.area.ID, task.ID, StatusCancelled); err != nil {
		t.Fatal(err)
	}
	for _, y := range []uint64{a, b} {
		got := e.news(y)
		if len(got) != 1 || got[0].Kind != notify.KindTaskCancelled || got[0].Params["task"] != task.Title || got[0].Params["start"] == "" {
			t.Errorf("youth %d: %+v", y, got)
		}
	}
	if got := e.news(c); len(got) != 0 {
		t.Errorf("the youth who had left got %d messages", len(got))
	}
	e.check()
}
