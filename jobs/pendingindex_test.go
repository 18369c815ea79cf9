package jobs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

func (e *env) queueIDs() string {
	e.t.Helper()
	q, err := e.svc.Queue(e.area.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, w := range q {
		ids = append(ids, fmt.Sprint(w.ID))
	}
	return strings.Join(ids, " ")
}

// TestPendingWorkIndex: the approval queue read from the index equals the
// one from a scan of every entry across approvals, rejections, a
// correction and a check-in still open; check passes; a store without the
// index gets it at its next entry write; drift is reported.
func TestPendingWorkIndex(t *testing.T) {
	e := newEnv(t)
	var entries []WorkEntry
	for i := range 5 {
		day := cph(2026, 11, 7, 10, 0).AddDate(0, 0, i)
		task := e.task(func(n *NewTask) { n.Start, n.End = day, day.Add(2*time.Hour) })
		y := e.youth(fmt.Sprintf("ung%d", i), 15, people.SchoolFinished9)
		entries = append(entries, e.workOn(task, y))
	}
	if _, err := e.svc.Approve(e.area.ID, 2, entries[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Reject(e.area.ID, 2, entries[1].ID, "Ikke mødt op"); err != nil {
		t.Fatal(err)
	}
	fix := entries[2]
	if _, err := e.svc.RecordHours(e.area.ID, fix.TaskID, fix.YouthID, 2, fix.Start, fix.End.Add(-30*time.Minute), 0, fix.ID); err != nil {
		t.Fatal(err)
	}
	open := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 20, 10, 0), cph(2026, 11, 20, 12, 0) })
	y := e.youth("ung9", 16, people.SchoolFinished9)
	if _, err := e.svc.Claim(e.area.ID, open.ID, y); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(open.Start)
	if _, err := e.svc.CheckIn(e.area.ID, open.ID, y, y); err != nil { // open, not pending
		t.Fatal(err)
	}
	e.check()
	indexed := e.queueIDs()
	if f := strings.Fields(indexed); len(f) != 4 { // entries 2, 3, 4 and the correction of 2
		t.Fatalf("queue from the index: %q, want 4 entries", indexed)
	}
	e.dropIndex(bucketPendingWork, markerPendingIndex)
	if scanned := e.queueIDs(); scanned != indexed {
		t.Fatalf("queue from the index %q, from every entry %q", indexed, scanned)
	}
	e.check()
	if _, err := e.svc.Approve(e.area.ID, 2, entries[3].ID); err != nil { // builds the index
		t.Fatal(err)
	}
	e.check()
	want := strings.Replace(indexed, fmt.Sprint(entries[3].ID)+" ", "", 1)
	if got := e.queueIDs(); got != want {
		t.Fatalf("after approving %d: %q, want %q", entries[3].ID, got, want)
	}

	e.driftIndex(bucketPendingWork, store.Key(e.area.ID, entries[4].ID), store.Key(e.area.ID, entries[0].ID),
		"not in the pending-work index", "which is not pending")
}

// BenchmarkQueue reads the approval queue (10 pending entries) of an area
// with a year of decided work (1,000 approved entries), from the
// pending-work index and, in the same run, from a scan of every entry.
func BenchmarkQueue(b *testing.B) {
	withAndWithoutIndex(b, func(b *testing.B, indexed bool) {
		e := newEnv(b)
		var youths []uint64
		for i := range 25 {
			youths = append(youths, e.youth(fmt.Sprintf("ung%02d", i), 15, people.SchoolFinished9))
		}
		var ids []uint64
		for i := range 1010 { // five one-hour tasks a day; each youth works every fifth day
			day := cph(2026, 11, 7, 10+i%5, 0).AddDate(0, 0, i/5)
			y := youths[i%25]
			e.clk.Set(cph(2026, 11, 2, 10, 0))
			task := e.task(func(n *NewTask) { n.Start, n.End = day, day.Add(time.Hour) })
			w := e.workOn(task, y)
			if i < 1000 {
				ids = append(ids, w.ID)
			}
		}
		if _, err := e.svc.Approve(e.area.ID, 2, ids...); err != nil {
			b.Fatal(err)
		}
		if !indexed {
			e.dropIndex(bucketPendingWork, markerPendingIndex)
		}
		b.ResetTimer()
		for range b.N {
			q, err := e.svc.Queue(e.area.ID)
			if err != nil || len(q) != 10 {
				b.Fatalf("%d pending, %v", len(q), err)
			}
		}
	})
}
