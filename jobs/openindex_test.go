package jobs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// dropIndex makes the store look as it did before the index in bucket
// (marked by marker) existed: no entries and no marker.
func (e *env) dropIndex(bucket string, marker []byte) {
	e.t.Helper()
	if err := e.db.Update(func(tx store.Tx) error {
		var keys [][]byte
		if err := tx.Scan(bucket, nil, func(k, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(bucket, k); err != nil {
				return err
			}
		}
		return tx.Delete(bucketJobsMeta, marker)
	}); err != nil {
		e.t.Fatal(err)
	}
}

// offerSummary is what a youth is offered, in a comparable form.
func (e *env) offerSummary(youth uint64) string {
	e.t.Helper()
	offers, err := e.svc.Offers(e.area.ID, youth)
	if err != nil {
		e.t.Fatal(err)
	}
	var parts []string
	for _, o := range offers {
		parts = append(parts, fmt.Sprintf("%d:%v/%v/%v/%v/%d", o.Task.ID, o.Claim != nil, o.Refusal != nil, o.TooYoung, o.TooOld, o.Task.Claimed))
	}
	return strings.Join(parts, " ")
}

// TestOpenTaskIndex: tasks in every state and move (published later,
// closed, reopened, cancelled, past, claimed and cancelled) are offered
// the same from the index as from a scan of every task, check passes, and
// a store without the index gets it at its next task write.
func TestOpenTaskIndex(t *testing.T) {
	e := newEnv(t)
	y := e.youth("ali", 15, people.SchoolFinished9)
	other := e.youth("nour", 16, people.SchoolFinished9)
	var ids []uint64
	for i := range 6 {
		day := cph(2026, 11, 7, 10, 0).AddDate(0, 0, 7*i)
		task := e.task(func(n *NewTask) { n.Start, n.End, n.Publish = day, day.Add(2*time.Hour), i != 1 })
		ids = append(ids, task.ID)
	}
	past := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 3, 10, 0), cph(2026, 11, 3, 12, 0) }) // past by the time offers are read
	series, err := e.svc.CreateTask(e.area.ID, 1, NewTask{Title: "Uddeling", Place: "Opgang 3", Supervisor: "Bjarne",
		Category: CatDistribution, Commissioner: ByCaretakers, Start: cph(2026, 11, 4, 16, 0), End: cph(2026, 11, 4, 17, 0),
		Slots: 2, MinAge: 13, MaxAge: 17, Pay: PayPoints, Points: 20, Publish: true, RepeatWeeks: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := e.svc.SetStatus(e.area.ID, ids[1], StatusOpen); return err },      // published later
		func() error { _, err := e.svc.SetStatus(e.area.ID, ids[2], StatusClosed); return err },    // closed
		func() error { _, err := e.svc.SetStatus(e.area.ID, ids[3], StatusClosed); return err },    // closed …
		func() error { _, err := e.svc.SetStatus(e.area.ID, ids[3], StatusOpen); return err },      // … and reopened
		func() error { _, err := e.svc.SetStatus(e.area.ID, ids[4], StatusCancelled); return err }, // cancelled
		func() error { _, err := e.svc.Claim(e.area.ID, ids[0], y); return err },
		func() error { _, err := e.svc.Claim(e.area.ID, series[1].ID, other); return err },
		func() error { return e.svc.Cancel(e.area.ID, series[1].ID, other, false) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	e.check()
	e.clk.Set(cph(2026, 11, 5, 10, 0)) // the past task and the series' first have started
	indexed := e.offerSummary(y)
	if !strings.Contains(indexed, fmt.Sprintf("%d:", ids[1])) || strings.Contains(indexed, fmt.Sprintf("%d:", ids[2])) ||
		strings.Contains(indexed, fmt.Sprintf("%d:", ids[4])) || strings.Contains(indexed, fmt.Sprintf("%d:", past.ID)) ||
		strings.Contains(indexed, fmt.Sprintf("%d:", series[0].ID)) || !strings.Contains(indexed, fmt.Sprintf("%d:", series[2].ID)) {
		t.Fatalf("offers from the index: %s", indexed)
	}
	e.dropIndex(bucketOpenTasks, markerOpenIndex)
	if scanned := e.offerSummary(y); scanned != indexed {
		t.Fatalf("from the index:\n  %s\nfrom all tasks:\n  %s", indexed, scanned)
	}
	e.check() // no index, no marker: nothing to check against

	// The next task write builds the index for every task.
	if _, err := e.svc.SetStatus(e.area.ID, ids[5], StatusClosed); err != nil {
		t.Fatal(err)
	}
	e.check()
	var n int
	if err := e.db.View(func(tx store.Tx) error {
		return tx.Scan(bucketOpenTasks, nil, func(_, _ []byte) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	// ids 0, 1, 3, the past task and the series of 3 are open.
	if n != 7 {
		t.Fatalf("rebuilt index has %d entries, want 7", n)
	}
	var want []string
	for _, f := range strings.Fields(indexed) {
		if !strings.HasPrefix(f, fmt.Sprintf("%d:", ids[5])) {
			want = append(want, f)
		}
	}
	if got := e.offerSummary(y); got != strings.Join(want, " ") {
		t.Fatalf("after closing task %d: %s, want %s", ids[5], got, strings.Join(want, " "))
	}
}

// TestCheckFindsOpenIndexDrift: a missing or stale index entry is reported.
func TestCheckFindsOpenIndexDrift(t *testing.T) {
	e := newEnv(t)
	task := e.task(nil)
	closed := e.task(nil)
	if _, err := e.svc.SetStatus(e.area.ID, closed.ID, StatusClosed); err != nil {
		t.Fatal(err)
	}
	e.check()
	e.driftIndex(bucketOpenTasks, openKey(task), openKey(closed), "not in the open-task index", "which is closed")
}

// driftIndex deletes missing from the index in bucket and adds stray, and
// wants Check to report both, in phrases.
func (e *env) driftIndex(bucket string, missing, stray []byte, phrases ...string) {
	e.t.Helper()
	if err := e.db.Update(func(tx store.Tx) error {
		if err := tx.Delete(bucket, missing); err != nil {
			return err
		}
		return tx.Put(bucket, stray, nil)
	}); err != nil {
		e.t.Fatal(err)
	}
	err := e.db.View(Check)
	for _, p := range phrases {
		if err == nil || !strings.Contains(err.Error(), p) {
			e.t.Fatalf("Check after drift in %s: %v; want %q", bucket, err, p)
		}
	}
}

// withAndWithoutIndex runs bench with the index and, in the same run, with
// it dropped (bench drops it when indexed is false).
func withAndWithoutIndex(b *testing.B, bench func(b *testing.B, indexed bool)) {
	for _, indexed := range []bool{true, false} {
		name := "Index"
		if !indexed {
			name = "ScanAll"
		}
		b.Run(name, func(b *testing.B) { bench(b, indexed) })
	}
}

// BenchmarkOffers reads a youth's offers in an area with 15 upcoming open
// tasks and a year of history (1,000 tasks closed after they ran), from
// the open-task index and, for comparison in the same run, from a scan of
// every task (the index dropped).
func BenchmarkOffers(b *testing.B) {
	withAndWithoutIndex(b, func(b *testing.B, indexed bool) {
		e := newEnv(b)
		y := e.youth("ali", 15, people.SchoolFinished9)
		for i := range 1015 {
			day := cph(2026, 11, 7, 10, 0).Add(time.Duration(i) * 3 * time.Hour)
			task := e.task(func(n *NewTask) { n.Start, n.End = day, day.Add(time.Hour) })
			if i < 1000 {
				if _, err := e.svc.SetStatus(e.area.ID, task.ID, StatusClosed); err != nil {
					b.Fatal(err)
				}
			}
		}
		if !indexed {
			e.dropIndex(bucketOpenTasks, markerOpenIndex)
		}
		b.ResetTimer()
		for range b.N {
			offers, err := e.svc.Offers(e.area.ID, y)
			if err != nil || len(offers) != 15 {
				b.Fatalf("%d offers, %v", len(offers), err)
			}
		}
	})
}
