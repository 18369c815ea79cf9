package jobs

import (
	"slices"
	"testing"

	"fritidsjob/people"
)

// TestParticipants: on a task are the youths with a place or a waitlist
// spot and those whose place was taken after their work was recorded; not
// one who cancelled before working, nor anyone's work on another task.
func TestParticipants(t *testing.T) {
	e := newEnv(t)
	task := e.task(func(n *NewTask) { n.Slots = 2 })
	other := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 14, 10, 0), cph(2026, 11, 14, 12, 0) })
	amira, nour := e.youth("amira", 15, people.SchoolCompulsory), e.youth("nour", 15, people.SchoolCompulsory)
	mads, sara := e.youth("mads", 15, people.SchoolCompulsory), e.youth("sara", 15, people.SchoolCompulsory)
	for _, y := range []uint64{sara, amira, nour, mads} { // Sara leaves; then two slots: Mads waits
		if _, err := e.svc.Claim(e.area.ID, task.ID, y); err != nil {
			t.Fatal(err)
		}
		if y == sara {
			if err := e.svc.Cancel(e.area.ID, task.ID, sara, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := e.svc.Claim(e.area.ID, other.ID, nour); err != nil {
		t.Fatal(err)
	}
	e.clk.Set(cph(2026, 11, 14, 13, 0))
	worked, err := e.svc.RecordHours(e.area.ID, task.ID, nour, nour, task.Start, task.End, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RecordHours(e.area.ID, other.ID, nour, nour, other.Start, other.End, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Cancel(e.area.ID, task.ID, nour, true); err != nil { // a coordinator takes her place afterwards
		t.Fatal(err)
	}

	ps, err := e.svc.Participants(e.area.ID, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	for _, p := range ps {
		got = append(got, p.Claim.YouthID)
	}
	if !slices.Equal(got, []uint64{amira, nour, mads}) {
		t.Fatalf("participants %v, want amira %d, nour %d, mads %d in claiming order", got, amira, nour, mads)
	}
	if ps[0].Claim.Status != ClaimActive || len(ps[0].Entries) != 0 {
		t.Errorf("amira: %+v", ps[0])
	}
	if ps[1].Claim.Status != ClaimCancelled || len(ps[1].Entries) != 1 || ps[1].Entries[0].ID != worked.ID {
		t.Errorf("nour: want her cancelled claim and only her work on this task, got %+v", ps[1])
	}
	if ps[2].Claim.Status != ClaimWaitlist {
		t.Errorf("mads: %+v", ps[2])
	}
	if ps, err := e.svc.Participants(e.area.ID, task.ID+100); err != nil || len(ps) != 0 {
		t.Errorf("no such task: %v %v", ps, err)
	}
}
