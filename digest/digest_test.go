package digest_test

import (
	"strconv"
	"testing"
	"time"

	"fritidsjob/digest"
	"fritidsjob/employers"
	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
)

var cph = peoplekit.CPH

// world is two areas: Gellerup with coordinators mette and ole, Toveshøj
// with mette only; in Gellerup an idle youth with case notes and an active
// youth with hours waiting and a reward request waiting.
type world struct {
	t          *testing.T
	db         store.DB
	clk        *testkit.Clock
	ppl        *people.Service
	emp        *employers.Service
	svc        *digest.Service
	inbox      *notify.Service
	a, b       people.Area
	mette, ole uint64
	idle, busy uint64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db := testkit.Store(t)
	clk := testkit.NewClock(cph(2026, 10, 1, 12, 0))
	ppl := peoplekit.New(t, db, clk.Now)
	eng, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, db: db, clk: clk, ppl: ppl, inbox: notify.NewService(db, clk.Now)}
	w.a, w.b = peoplekit.Area(t, ppl, "Gellerup"), peoplekit.Area(t, ppl, "Toveshøj")
	staff := func(name string, areas ...uint64) uint64 {
		n := people.NewUser{Username: name, DisplayName: name, Secret: "korrekt-hest-batteri", SecretKind: people.SecretPassword}
		for _, a := range areas {
			n.Memberships = append(n.Memberships, people.Membership{AreaID: a, Role: people.RoleCoordinator})
		}
		return peoplekit.Create(t, ppl, n).ID
	}
	w.mette, w.ole = staff("mette", w.a.ID, w.b.ID), staff("ole", w.a.ID)
	w.idle = peoplekit.Create(t, ppl, peoplekit.Youth(w.a.ID, "ida", peoplekit.Date("2011-05-01"))).ID

	clk.Set(cph(2026, 11, 30, 12, 0))
	jb := jobs.NewService(db, ppl, eng, jobs.Options{Now: clk.Now})
	pts := points.NewService(db, points.Options{Now: clk.Now})
	w.emp = employers.NewService(db, ppl, eng, employers.Options{Now: clk.Now})
	w.svc = digest.NewService(db, ppl, jb, pts, w.emp)
	w.busy = peoplekit.Create(t, ppl, peoplekit.Youth(w.a.ID, "bodil", peoplekit.Date("2011-03-01"))).ID
	ts, err := jb.CreateTask(w.a.ID, w.mette, jobs.NewTask{Title: "Oprydning", Place: "Fælleshuset", Supervisor: "Bjarne",
		Category: jobs.CatTidying, Commissioner: jobs.ByCaretakers, Start: cph(2026, 12, 5, 10, 0), End: cph(2026, 12, 5, 12, 0),
		Slots: 2, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 50, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jb.Claim(w.a.ID, ts[0].ID, w.busy); err != nil {
		t.Fatal(err)
	}
	clk.Set(cph(2026, 12, 5, 13, 0))
	if _, err := jb.RecordHours(w.a.ID, ts[0].ID, w.busy, w.busy, ts[0].Start, ts[0].End, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx store.Tx) error {
		_, _, err := points.Post(tx, points.Transfer{AreaID: w.a.ID, Key: "seed", Currency: points.Points, From: points.BudgetAccount,
			To: points.YouthAccount(w.busy), Amount: 100, Kind: points.KindTaskPoints, Ref: "seed", At: clk.Now(), By: w.mette})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	rw, err := pts.CreateReward(w.a.ID, points.Reward{Title: "Biograftur", PricePoints: 40, Places: 2,
		Date: people.Date{Year: 2026, Month: time.December, Day: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pts.Request(w.a.ID, rw.ID, w.busy, "form:1"); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) note(area, youth uint64, on string) employers.Note {
	w.t.Helper()
	d := peoplekit.Date(on)
	n, err := w.emp.AddNote(area, youth, w.mette, "Ring til mor", &d)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// messages returns user's inbox messages of kind, newest first.
func (w *world) messages(user uint64, kind string) []notify.Message {
	w.t.Helper()
	p, err := w.inbox.Inbox(user, 0, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []notify.Message
	for _, m := range p.Messages {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

func (w *world) check() {
	w.t.Helper()
	if err := w.db.View(notify.Check); err != nil {
		w.t.Error(err)
	}
}

func TestWeeklyDigestOnMondayMorningOncePerCoordinatorAreaAndWeek(t *testing.T) {
	w := newWorld(t)
	w.note(w.a.ID, w.idle, "2026-12-09")         // due this week
	w.note(w.a.ID, w.idle, "2026-12-14")         // next week: not counted
	done := w.note(w.a.ID, w.busy, "2026-12-08") // handled: not counted
	if err := w.emp.CompleteFollowUp(w.a.ID, done.ID); err != nil {
		t.Fatal(err)
	}

	for _, at := range []time.Time{cph(2026, 12, 6, 9, 0), cph(2026, 12, 7, 7, 59)} { // Sunday; Monday before 08:00
		if n, err := w.svc.WeeklyDigest(at); err != nil || n != 0 {
			t.Fatalf("digest at %v: %d, %v", at, n, err)
		}
	}
	monday := cph(2026, 12, 7, 8, 0)
	if n, err := w.svc.WeeklyDigest(monday); err != nil || n != 3 {
		t.Fatalf("Monday 08:00: %d messages, %v; want mette twice and ole once", n, err)
	}
	// Again, on this instance or another one, later that morning: nothing
	// new, and nothing computed (the other instance has no jobs or points
	// service to count with).
	other := digest.NewService(w.db, w.ppl, nil, nil, w.emp)
	for _, s := range []*digest.Service{w.svc, other} {
		if n, err := s.WeeklyDigest(monday.Add(10 * time.Minute)); err != nil || n != 0 {
			t.Fatalf("second run: %d, %v", n, err)
		}
	}
	want := map[string]string{"week": "2026-W50", "followups": "1", "inactive": "1", "hours": "1", "rewards": "1"}
	zero := map[string]string{"week": "2026-W50", "followups": "0", "inactive": "0", "hours": "0", "rewards": "0"}
	got := map[uint64]map[uint64]notify.Message{}
	for _, u := range []uint64{w.mette, w.ole} {
		got[u] = map[uint64]notify.Message{}
		for _, m := range w.messages(u, notify.KindCoordinatorDigest) {
			got[u][m.AreaID] = m
		}
	}
	if len(got[w.mette]) != 2 || len(got[w.ole]) != 1 {
		t.Fatalf("digests: mette %d areas, ole %d", len(got[w.mette]), len(got[w.ole]))
	}
	for _, m := range []notify.Message{got[w.mette][w.a.ID], got[w.ole][w.a.ID]} {
		for k, v := range want {
			if m.Params[k] != v {
				t.Errorf("Gellerup digest to %d: %s = %q, want %q (%v)", m.UserID, k, m.Params[k], v, m.Params)
			}
		}
	}
	for k, v := range zero {
		if m := got[w.mette][w.b.ID]; m.Params[k] != v {
			t.Errorf("Toveshøj digest: %s = %q, want %q", k, m.Params[k], v)
		}
	}
	if n, err := w.svc.WeeklyDigest(cph(2026, 12, 8, 8, 0)); err != nil || n != 0 { // Tuesday
		t.Fatalf("Tuesday: %d, %v", n, err)
	}
	if n, err := w.svc.WeeklyDigest(cph(2026, 12, 14, 8, 5)); err != nil || n != 3 { // the next Monday
		t.Fatalf("next Monday: %d, %v", n, err)
	}
	w.check()
}

func TestFollowUpDueTellsTheAreasCoordinatorsOnItsDay(t *testing.T) {
	w := newWorld(t)
	due := w.note(w.a.ID, w.idle, "2026-12-09")
	w.note(w.a.ID, w.idle, "2026-12-10") // tomorrow
	done := w.note(w.a.ID, w.busy, "2026-12-09")
	if err := w.emp.CompleteFollowUp(w.a.ID, done.ID); err != nil {
		t.Fatal(err)
	}
	tove := peoplekit.Create(t, w.ppl, peoplekit.Youth(w.b.ID, "tove", peoplekit.Date("2011-01-01"))).ID
	inB := w.note(w.b.ID, tove, "2026-12-08") // yesterday, not yet told: caught up

	if n, err := w.svc.FollowUpsDue(cph(2026, 12, 9, 7, 59)); err != nil || n != 0 {
		t.Fatalf("before 08:00: %d, %v", n, err)
	}
	at := cph(2026, 12, 9, 8, 0)
	if n, err := w.svc.FollowUpsDue(at); err != nil || n != 3 {
		t.Fatalf("08:00: %d messages, %v; want mette twice, ole once", n, err)
	}
	if n, err := w.svc.FollowUpsDue(at.Add(10 * time.Minute)); err != nil || n != 0 {
		t.Fatalf("again: %d, %v", n, err)
	}
	ole := w.messages(w.ole, notify.KindFollowUpDue)
	if len(ole) != 1 || ole[0].Params["note"] != itoa(due.ID) || ole[0].Params["date"] != "2026-12-09" || ole[0].AreaID != w.a.ID {
		t.Fatalf("ole's follow-ups: %+v", ole)
	}
	notes := map[string]bool{}
	for _, m := range w.messages(w.mette, notify.KindFollowUpDue) {
		notes[m.Params["note"]] = true
	}
	if len(notes) != 2 || !notes[itoa(due.ID)] || !notes[itoa(inB.ID)] {
		t.Fatalf("mette's follow-ups: %v", notes)
	}
	// The next day the other note falls due, and only it.
	if n, err := w.svc.FollowUpsDue(cph(2026, 12, 10, 9, 0)); err != nil || n != 2 {
		t.Fatalf("next day: %d, %v", n, err)
	}
	w.check()
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
