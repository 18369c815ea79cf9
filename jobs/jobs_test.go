package jobs

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fritidsjob/fault"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
)

// TestClaimRace: 200 youths race for 5 slots; exactly 5 get one and 195
// land on the waitlist, with no overbooking.
func TestClaimRace(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	ids := make([]uint64, 200)
	for i := range ids {
		ids[i] = e.youth(name(i), 14, people.SchoolCompulsory)
	}
	var wg sync.WaitGroup
	results := make([]ClaimResult, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.svc.Claim(e.area.ID, task.ID, id)
		}()
	}
	wg.Wait()
	got, wait := 0, 0
	for i, r := range results {
		if errs[i] != nil {
			t.Fatalf("claim %d: %v", i, errs[i])
		}
		switch r.Claim.Status {
		case ClaimActive:
			got++
		case ClaimWaitlist:
			wait++
		}
	}
	if got != 5 || wait != 195 {
		t.Fatalf("%d claims and %d waitlisted, want 5 and 195", got, wait)
	}
	tk, _ := e.svc.Task(e.area.ID, task.ID)
	if tk.Claimed != 5 {
		t.Fatalf("task counts %d claims", tk.Claimed)
	}
	e.check()
}

func TestWaitlistMovesUp(t *testing.T) {
	e := newEnv(t)
	task := e.task(func(n *NewTask) { n.Slots = 1 })
	a := e.youth("anna", 14, people.SchoolCompulsory)
	b := e.youth("bodil", 14, people.SchoolCompulsory)
	c := e.youth("cem", 14, people.SchoolCompulsory)
	if r, err := e.svc.Claim(e.area.ID, task.ID, a); err != nil || r.Claim.Status != ClaimActive {
		t.Fatalf("a: %+v %v", r, err)
	}
	if r, err := e.svc.Claim(e.area.ID, task.ID, b); err != nil || r.Position != 1 {
		t.Fatalf("b: %+v %v", r, err)
	}
	if r, err := e.svc.Claim(e.area.ID, task.ID, c); err != nil || r.Position != 2 {
		t.Fatalf("c: %+v %v", r, err)
	}
	if _, err := e.svc.Claim(e.area.ID, task.ID, b); !errors.Is(err, ErrAlreadyClaimed) {
		t.Fatalf("double claim: %v", err)
	}
	if err := e.svc.Cancel(e.area.ID, task.ID, a, false); err != nil {
		t.Fatal(err)
	}
	claims, _ := e.svc.Claims(e.area.ID, task.ID)
	status := map[uint64]ClaimStatus{}
	for _, cl := range claims {
		status[cl.YouthID] = cl.Status
	}
	if status[a] != ClaimCancelled || status[b] != ClaimActive || status[c] != ClaimWaitlist {
		t.Fatalf("after cancel: %v", status)
	}
	e.check()
}

func TestCancelCutoff(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil) // starts 7 Nov 10:00
	y := e.youth("anna", 14, people.SchoolCompulsory)
	if _, err := e.svc.Claim(e.area.ID, task.ID, y); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(task.Start.Add(-11 * time.Hour))
	if err := e.svc.Cancel(e.area.ID, task.ID, y, false); !errors.Is(err, ErrTooLate) {
		t.Fatalf("cancel 11 h before: %v, want ErrTooLate", err)
	}
	if err := e.svc.Cancel(e.area.ID, task.ID, y, true); err != nil {
		t.Fatalf("coordinator cancels: %v", err)
	}
}

func TestClaimRefusedByRules(t *testing.T) {
	e := newEnv(t)
	schoolDay := e.task(func(n *NewTask) { // Tuesday 3 Nov, a school day: 2 h 30 min
		n.Start, n.End = cph(2026, 11, 3, 15, 0), cph(2026, 11, 3, 17, 30)
	})
	wage := e.task(func(n *NewTask) { n.Pay, n.Points, n.RateOre = PayWage, 0, 6000 })
	lifting := e.task(func(n *NewTask) { n.Lifting12kg = true })
	late := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 7, 18, 30), cph(2026, 11, 7, 20, 30) })
	young := e.youth("freja", 14, people.SchoolCompulsory)
	child := e.youth("aya", 11, people.SchoolCompulsory)
	older := e.youth("mikkel", 17, people.SchoolFinished9)
	cases := []struct {
		task  Task
		youth uint64
		rule  string
	}{
		{schoolDay, young, "hours.school_day.young"},
		{wage, child, "task.wage"},
		{lifting, older, "task.lifting"},
		{late, older, "time.window"},
	}
	for _, c := range cases {
		_, err := e.svc.Claim(e.area.ID, c.task.ID, c.youth)
		var re *RuleError
		if !errors.As(err, &re) || re.Rule != c.rule || re.Message("da") == "" || re.Version == "" {
			t.Errorf("task %q youth %d: %v, want rule %s", c.task.Title, c.youth, err, c.rule)
		}
	}
	// The same school-day task is fine for a 17-year-old who has finished 9th grade.
	if _, err := e.svc.Claim(e.area.ID, schoolDay.ID, older); err != nil {
		t.Fatalf("older youth: %v", err)
	}
	// A wage task is fine for a 14-year-old on a Saturday, 2 h, once a guardian consented.
	if _, err := e.ppl.RecordPaperConsent(e.area.ID, young, 2, "Birgitte Østergaard"); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.Claim(e.area.ID, wage.ID, young)
	if err != nil || r.Claim.RuleVersion == "" {
		t.Fatalf("wage for 14: %+v, %v", r, err)
	}
	// Claims add up: a second task the same Saturday breaks the free-day limit (7 h).
	long := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 7, 13, 0), cph(2026, 11, 7, 19, 0) })
	var re *RuleError
	if _, err := e.svc.Claim(e.area.ID, long.ID, young); !errors.As(err, &re) {
		t.Fatalf("8 h on one day: %v, want a rule refusal", err)
	}
	e.check()
}

func TestOffersExplainRefusals(t *testing.T) {
	e := newEnv(t)
	e.task(nil)
	e.task(func(n *NewTask) { n.Pay, n.Points, n.RateOre = PayWage, 0, 6000 })
	e.task(func(n *NewTask) { n.MinAge = 15 })
	child := e.youth("aya", 11, people.SchoolCompulsory)
	offers, err := e.svc.Offers(e.area.ID, child)
	if err != nil || len(offers) != 3 {
		t.Fatalf("%d offers, %v", len(offers), err)
	}
	ok, rule, age := 0, 0, 0
	for _, o := range offers {
		switch {
		case o.Refusal != nil:
			rule++
		case o.TooYoung:
			age++
		default:
			ok++
		}
	}
	if ok != 1 || rule != 1 || age != 1 {
		t.Fatalf("ok %d, rule %d, age %d", ok, rule, age)
	}
}

// workOn claims task for youth and records its planned hours after it ends.
func (e *env) workOn(task Task, youth uint64) WorkEntry {
	e.t.Helper()
	if _, err := e.svc.Claim(e.area.ID, task.ID, youth); err != nil {
		e.t.Fatal(err)
	}
	e.clk.Set(task.End.Add(time.Hour))
	w, err := e.svc.RecordHours(e.area.ID, task.ID, youth, youth, task.Start, task.End, 0, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return w
}

func TestApprovePaysOnceAndRecordsParticipation(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	wageTask := e.task(func(n *NewTask) {
		n.Pay, n.Points, n.RateOre = PayWage, 0, 6250
		n.Start, n.End = cph(2026, 11, 8, 10, 0), cph(2026, 11, 8, 11, 30)
	})
	y := e.youth("amira", 16, people.SchoolFinished9)
	w := e.workOn(task, y)
	w2 := e.workOn(wageTask, y)
	if w.Status != EntryPending || w.Minutes != 120 || w.RuleVersion == "" {
		t.Fatalf("entry %+v", w)
	}
	// 64 coordinators click approve at once; each entry is paid once.
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.Approve(e.area.ID, 2, w.ID, w2.ID)
			if err != nil && !errors.Is(err, ErrAlreadyDecided) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	b := e.balance(y)
	if b.Points != 50 || b.Ore != 9375 { // 90 min at 62,50 kr/h = 93,75 kr
		t.Fatalf("balance %+v, want 50 points and 9375 øre", b)
	}
	if _, err := e.svc.Reject(e.area.ID, 2, w.ID, "for sent"); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("reject after approve: %v", err)
	}
	e.check()
}

func TestConcurrentApprovals(t *testing.T) {
	e := newEnv(t)
	var entries []WorkEntry
	for i := 0; i < 64; i++ {
		task := e.task(func(n *NewTask) { n.Slots = 1; n.Title = "Opgave " + name(i) })
		entries = append(entries, e.workOn(task, e.youth(name(i), 15, people.SchoolFinished9)))
		e.clk.Set(cph(2026, 11, 2, 10, 0))
	}
	e.clk.Set(cph(2026, 11, 8, 10, 0))
	var wg sync.WaitGroup
	for _, w := range entries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.svc.Approve(e.area.ID, 2, w.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, w := range entries {
		if b := e.balance(w.YouthID); b.Points != 50 {
			t.Fatalf("youth %d has %d points", w.YouthID, b.Points)
		}
	}
	e.check()
}

func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	y := e.youth("amira", 16, people.SchoolFinished9)
	if _, err := e.svc.Claim(e.area.ID, task.ID, y); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(task.End.Add(time.Hour))
	var inv *fault.Error
	bad := []struct {
		name       string
		start, end time.Time
		brk        int
		field      string
	}{
		{"end before start", task.End, task.Start, 0, "end"},
		{"absurd hours", task.Start, task.Start.Add(13 * time.Hour), 0, "end"},
		{"negative break", task.Start, task.End, -5, "break"},
		{"break longer than work", task.Start, task.End, 120, "break"},
		{"in the future", task.Start.Add(24 * time.Hour), task.End.Add(24 * time.Hour), 0, "end"},
	}
	for _, b := range bad {
		if _, err := e.svc.RecordHours(e.area.ID, task.ID, y, y, b.start, b.end, b.brk, 0); !errors.As(err, &inv) || inv.Field != b.field {
			t.Errorf("%s: %v, want invalid %s", b.name, err, b.field)
		}
	}
	if es, _ := e.svc.Entries(e.area.ID, nil); len(es) != 0 {
		t.Fatalf("%d entries after bad input", len(es))
	}
	// Claims on a closed task, and on another area's task (not found).
	e.clk.Set(cph(2026, 11, 2, 10, 0))
	closed := e.task(nil)
	if _, err := e.svc.SetStatus(e.area.ID, closed.ID, StatusClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Claim(e.area.ID, closed.ID, y); !errors.Is(err, ErrNotOpen) {
		t.Fatalf("claim closed: %v", err)
	}
	other, _ := e.ppl.CreateArea("Solsikkehaven", "Odense")
	if _, err := e.svc.SetStatus(other.ID, task.ID, StatusCancelled); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other area's task: %v", err)
	}
	if _, err := e.svc.Claim(other.ID, task.ID, y); !errors.Is(err, ErrNotFound) {
		t.Fatalf("claim via other area: %v", err)
	}
	// Task validation.
	_, err := e.svc.CreateTask(e.area.ID, 1, NewTask{Title: "x", Place: "y", Supervisor: "z", Category: CatOther,
		Commissioner: ByStaff, Start: cph(2026, 11, 7, 12, 0), End: cph(2026, 11, 7, 11, 0), Slots: 1, MinAge: 10, MaxAge: 17,
		Pay: PayPoints, Points: 1})
	if !errors.As(err, &inv) || inv.Field != "end" {
		t.Fatalf("task ending before it starts: %v", err)
	}
	e.check()
}

func TestCheckInOut(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	y := e.youth("amira", 16, people.SchoolFinished9)
	if _, err := e.svc.CheckIn(e.area.ID, task.ID, y, y); !errors.Is(err, ErrNoClaim) {
		t.Fatalf("check in without claim: %v", err)
	}
	if _, err := e.svc.Claim(e.area.ID, task.ID, y); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(task.Start.Add(-5 * time.Minute))
	if _, err := e.svc.CheckIn(e.area.ID, task.ID, y, 3); err != nil { // the supervisor checks her in
		t.Fatal(err)
	}
	if _, err := e.svc.CheckIn(e.area.ID, task.ID, y, y); !errors.Is(err, ErrAlreadyIn) {
		t.Fatalf("double check-in: %v", err)
	}
	e.clk.Set(task.Start.Add(100 * time.Minute))
	w, err := e.svc.CheckOut(e.area.ID, task.ID, y, 0)
	if err != nil || w.Minutes != 105 || w.Source != SourceSupervisor || w.Status != EntryPending {
		t.Fatalf("check out: %+v, %v", w, err)
	}
	q, _ := e.svc.Queue(e.area.ID)
	if len(q) != 1 {
		t.Fatalf("queue has %d", len(q))
	}
}

func TestRejectShowsReason(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	y := e.youth("amira", 16, people.SchoolFinished9)
	w := e.workOn(task, y)
	if _, err := e.svc.Reject(e.area.ID, 2, w.ID, "  "); err == nil {
		t.Fatal("reject without reason accepted")
	}
	r, err := e.svc.Reject(e.area.ID, 2, w.ID, "Du var der ikke")
	if err != nil || r.Status != EntryRejected || !strings.Contains(r.Reason, "ikke") {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := e.svc.Approve(e.area.ID, 2, w.ID); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("approve after reject: %v", err)
	}
	if b := e.balance(y); b.Points != 0 {
		t.Fatalf("rejected work paid %d points", b.Points)
	}
	e.check()
}

func TestCheckFindsOverbooking(t *testing.T) {
	e := newEnv(t)
	task := e.task(func(n *NewTask) { n.Slots = 1 })
	e.check()
	err := e.db.Update(func(tx store.Tx) error {
		t2, err := getTask(tx, e.area.ID, task.ID)
		if err != nil {
			return err
		}
		t2.Claimed = 2
		return store.PutJSON(tx, bucketTasks, store.Key(e.area.ID, task.ID), t2)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.View(Check); err == nil {
		t.Fatal("Check passed an overbooked task")
	}
}

// TestConsentGatesWageWork: a 14-year-old needs a guardian's consent
// before a wage task; after consent the claim goes through; after the
// consent is withdrawn a new wage claim is refused again. Points tasks
// never need it, and a 16-year-old never does.
func TestConsentGatesWageWork(t *testing.T) {
	e := newEnv(t)
	wage := func() Task { return e.task(func(n *NewTask) { n.Pay, n.Points, n.RateOre = PayWage, 0, 6000 }) }
	freja := e.youth("freja", 14, people.SchoolCompulsory)
	first := wage()
	if _, err := e.svc.Claim(e.area.ID, first.ID, freja); !errors.Is(err, ErrConsentRequired) {
		t.Fatalf("wage claim without consent: %v", err)
	}
	if o, _ := e.svc.Offers(e.area.ID, freja); len(o) != 1 || !o[0].NeedsConsent {
		t.Fatalf("offer does not say consent is needed: %+v", o)
	}
	points := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 14, 10, 0), cph(2026, 11, 14, 12, 0) })
	if _, err := e.svc.Claim(e.area.ID, points.ID, freja); err != nil {
		t.Fatalf("points task: %v", err)
	}
	if _, err := e.svc.Claim(e.area.ID, first.ID, e.youth("amira", 16, people.SchoolFinished9)); err != nil {
		t.Fatalf("16-year-old: %v", err)
	}
	if _, err := e.ppl.RecordPaperConsent(e.area.ID, freja, 2, "Birgitte Østergaard"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Claim(e.area.ID, first.ID, freja); err != nil {
		t.Fatalf("after consent: %v", err)
	}
	if err := e.ppl.WithdrawConsent(e.area.ID, freja, 2); err != nil {
		t.Fatal(err)
	}
	second := e.task(func(n *NewTask) {
		n.Pay, n.Points, n.RateOre = PayWage, 0, 6000
		n.Start, n.End = cph(2026, 11, 8, 10, 0), cph(2026, 11, 8, 12, 0)
	})
	if _, err := e.svc.Claim(e.area.ID, second.ID, freja); !errors.Is(err, ErrConsentRequired) {
		t.Fatalf("after withdrawal: %v", err)
	}
	e.check()
}

// TestCorrectionsNeverPayTwice: a correction of approved work pays only
// the difference (none when equal, back when shorter); a correction of
// pending work replaces it.
func TestCorrectionsNeverPayTwice(t *testing.T) {
	e := newEnv(t)
	task := e.task(func(n *NewTask) { n.Pay, n.Points, n.RateOre = PayWage, 0, 6000 })
	y := e.youth("amira", 16, people.SchoolFinished9)
	w := e.workOn(task, y) // 10:00–12:00 → 120,00 kr.
	if _, err := e.svc.Approve(e.area.ID, 2, w.ID); err != nil {
		t.Fatal(err)
	}
	correct := func(end time.Time) WorkEntry {
		t.Helper()
		c, err := e.svc.RecordHours(e.area.ID, task.ID, y, 2, task.Start, end, 0, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Approve(e.area.ID, 2, c.ID); err != nil {
			t.Fatal(err)
		}
		return c
	}
	correct(task.End) // the same hours again: nothing more
	if b := e.balance(y); b.Ore != 12000 {
		t.Fatalf("after an equal correction: %d øre, want 12000", b.Ore)
	}
	correct(task.End.Add(30 * time.Minute)) // it was 2 h 30: 30,00 kr. more
	if b := e.balance(y); b.Ore != 15000 {
		t.Fatalf("after a longer correction: %d øre, want 15000", b.Ore)
	}
	correct(task.End.Add(-30 * time.Minute)) // no, 1 h 30: back to 90,00 kr. in all
	if b := e.balance(y); b.Ore != 9000 {
		t.Fatalf("after a shorter correction: %d øre, want 9000", b.Ore)
	}
	e.check()
	// The month's payroll shows the corrected hours, not the first ones.
	start := task.Start.In(people.Copenhagen)
	rows, err := points.NewService(e.db, points.Options{}).Payroll(e.area.ID, start.Month(), start.Year())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].YouthID != y || rows[0].Minutes != 90 || rows[0].GrossOre != 9000 {
		t.Fatalf("payroll after corrections = %+v, want one row of 90 minutes and 9000 øre", rows)
	}

	// A pending entry corrected before approval: the correction replaces it.
	task2 := e.task(func(n *NewTask) {
		n.Start, n.End = cph(2026, 11, 8, 10, 0), cph(2026, 11, 8, 12, 0)
		n.Title = "Oprydning søndag"
	})
	e.clk.Set(cph(2026, 11, 2, 10, 0))
	w2 := e.workOn(task2, y)
	c2, err := e.svc.RecordHours(e.area.ID, task2.ID, y, 2, task2.Start, task2.End.Add(-time.Hour), 0, w2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Approve(e.area.ID, 2, c2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Approve(e.area.ID, 2, w2.ID); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("the replaced entry can still be approved: %v", err)
	}
	if b := e.balance(y); b.Points != 50 {
		t.Fatalf("points %d, want 50 (paid once)", b.Points)
	}
	e.check()
}

// TestSameHoursTwiceArePaidOnce: hours sent again (a double click or a
// retry after a lost answer) give back the entry already there; other
// work in the same time, on this task or another, is refused, so the same
// hours cannot be paid twice; a correction of the entry is not overlap.
func TestSameHoursTwiceArePaidOnce(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)                // 10:00–12:00
	other := e.task(func(n *NewTask) { // right after, 12:00–13:00
		n.Title, n.Start, n.End = "Uddeling af foldere", cph(2026, 11, 7, 12, 0), cph(2026, 11, 7, 13, 0)
	})
	y := e.youth("amira", 16, people.SchoolFinished9)
	if _, err := e.svc.Claim(e.area.ID, other.ID, y); err != nil {
		t.Fatal(err)
	}
	w := e.workOn(task, y)
	again, err := e.svc.RecordHours(e.area.ID, task.ID, y, 2, task.Start, task.End, 0, 0)
	if err != nil || again.ID != w.ID {
		t.Fatalf("the same hours again: entry %d, %v; want entry %d", again.ID, err, w.ID)
	}
	for name, tc := range map[string]struct {
		task       Task
		start, end time.Time
	}{
		"same task, later end":    {task, task.Start, task.End.Add(30 * time.Minute)},
		"same task, inside":       {task, task.Start.Add(30 * time.Minute), task.End.Add(-30 * time.Minute)},
		"other task, overlapping": {other, task.End.Add(-time.Hour), other.End},
	} {
		_, err := e.svc.RecordHours(e.area.ID, tc.task.ID, y, y, tc.start, tc.end, 0, 0)
		var ie *fault.Error
		if !errors.As(err, &ie) || ie.Field != "start" || ie.Code != "overlap" {
			t.Errorf("%s: %v, want the overlap refused", name, err)
		}
	}
	// Right after the first shift is fine.
	if _, err := e.svc.RecordHours(e.area.ID, other.ID, y, y, other.Start, other.End, 0, 0); err != nil {
		t.Errorf("work right after: %v", err)
	}
	entries, err := e.svc.Entries(e.area.ID, func(o WorkEntry) bool { return o.YouthID == y })
	if err != nil || len(entries) != 2 {
		t.Fatalf("%d entries, %v; want the first shift and the one after", len(entries), err)
	}
	// A correction replaces the original: not overlap, and sent twice it
	// is one correction.
	c1, err := e.svc.RecordHours(e.area.ID, task.ID, y, 2, task.Start, task.End.Add(-15*time.Minute), 0, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := e.svc.RecordHours(e.area.ID, task.ID, y, 2, task.Start, task.End.Add(-15*time.Minute), 0, w.ID)
	if err != nil || c2.ID != c1.ID {
		t.Fatalf("the correction again: entry %d, %v; want entry %d", c2.ID, err, c1.ID)
	}
	if _, err := e.svc.Approve(e.area.ID, 2, c1.ID); err != nil {
		t.Fatal(err)
	}
	if b := e.balance(y); b.Points != 50 {
		t.Errorf("balance %d points, want 50: the task paid once", b.Points)
	}
	e.check()
}
