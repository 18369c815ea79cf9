package people

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fritidsjob/store"
)

func TestAccessLogChain(t *testing.T) {
	s, db, clk := newTestService(t)
	for i, e := range []AccessEntry{
		{ActorID: 2, ActorRole: "coordinator", AreaID: 1, Action: AccessRead, What: "youth_profile", SubjectID: 7},
		{ActorID: 2, ActorRole: "coordinator", AreaID: 1, Action: AccessSearch, What: "youth_list", Detail: "area=1"},
		{ActorID: 3, ActorRole: "admin", Action: AccessExport, What: "payroll", Detail: "month=2026-11"},
		{ActorID: 2, ActorRole: "coordinator", AreaID: 1, Action: AccessChange, What: "cv", SubjectID: 7},
	} {
		clk.Add(time.Duration(i+1) * time.Hour)
		if err := s.LogAccess(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.View(checkAccessChain); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	about, err := s.AccessAbout(1, 7)
	if err != nil || len(about) != 2 || about[0].What != "cv" || about[1].ActorRole != "coordinator" {
		t.Fatalf("AccessAbout: %+v %v", about, err)
	}
	if err := s.LogAccess(AccessEntry{Action: "peek", What: "x", ActorID: 1}); err == nil {
		t.Fatal("unknown action accepted")
	}

	// Altering an entry breaks the chain.
	err = db.Update(func(tx store.Tx) error {
		e, _, err := store.GetJSON[AccessEntry](tx, bucketAccess, store.ID(2))
		if err != nil {
			return err
		}
		e.Detail = "area=2"
		return store.PutJSON(tx, bucketAccess, store.ID(2), e)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.View(checkAccessChain); err == nil || !strings.Contains(err.Error(), "altered") {
		t.Fatalf("altered entry: %v", err)
	}
}

func TestAccessLogRemovalAndPrune(t *testing.T) {
	s, db, clk := newTestService(t)
	for i := 0; i < 5; i++ {
		clk.Add(24 * time.Hour)
		if err := s.LogAccess(AccessEntry{ActorID: 2, ActorRole: "coordinator", AreaID: 1, Action: AccessRead, What: "youth_profile", SubjectID: 7}); err != nil {
			t.Fatal(err)
		}
	}
	// Retention: pruning the oldest keeps the chain checkable from its anchor.
	n, err := s.PruneAccessLog(clk.Now().Add(-48 * time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if err := db.View(Check); err != nil {
		t.Fatalf("after prune: %v", err)
	}
	if about, _ := s.AccessAbout(1, 7); len(about) != 3 {
		t.Fatalf("%d entries left about the youth", len(about))
	}
	// Deleting the newest entry behind the log's back is found.
	if err := db.Update(func(tx store.Tx) error { return tx.Delete(bucketAccess, store.ID(5)) }); err != nil {
		t.Fatal(err)
	}
	if err := db.View(checkAccessChain); err == nil {
		t.Fatal("removed entry not detected")
	}
}

// TestLogAccessBatch: a batch writes one chained entry per youth in one
// quiet commit, each indexed under its subject; a batch with one bad
// entry writes none.
func TestLogAccessBatch(t *testing.T) {
	s, db, _ := newTestService(t)
	if err := s.LogAccess(AccessEntry{ActorID: 2, ActorRole: "coordinator", AreaID: 1, Action: AccessSearch, What: "youth_list"}); err != nil {
		t.Fatal(err)
	}
	_, dataBefore, err := store.Generations(db.(store.Generationer))
	if err != nil {
		t.Fatal(err)
	}
	var batch []AccessEntry
	for _, subject := range []uint64{7, 8, 9} {
		batch = append(batch, AccessEntry{ActorID: 4, ActorRole: "task_owner", AreaID: 1, Action: AccessRead,
			What: "task_participant", SubjectID: subject, Detail: "task=3"})
	}
	if err := s.LogAccessBatch(batch); err != nil {
		t.Fatal(err)
	}
	if err := db.View(checkAccessChain); err != nil {
		t.Fatalf("chain after a batch: %v", err)
	}
	if _, dataAfter, err := store.Generations(db.(store.Generationer)); err != nil || dataAfter != dataBefore {
		t.Errorf("a batch raised the data generation %d → %d (%v): it must be a quiet write", dataBefore, dataAfter, err)
	}
	for _, subject := range []uint64{7, 8, 9} {
		about, err := s.AccessAbout(1, subject)
		if err != nil || len(about) != 1 || about[0].What != "task_participant" || about[0].ActorID != 4 {
			t.Errorf("subject %d: %+v %v", subject, about, err)
		}
	}
	all, err := s.AccessLog(0)
	if err != nil || len(all) != 4 {
		t.Fatalf("log: %d entries, %v", len(all), err)
	}

	bad := append(batch[:1:1], AccessEntry{ActorID: 4, ActorRole: "task_owner", AreaID: 1, Action: "peek", What: "x", SubjectID: 8})
	if err := s.LogAccessBatch(bad); err == nil {
		t.Fatal("a batch with an unknown action was accepted")
	}
	if all, _ := s.AccessLog(0); len(all) != 4 {
		t.Fatalf("a refused batch wrote %d entries", len(all)-4)
	}
	if err := s.LogAccessBatch(nil); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
	if err := s.LogAccess(AccessEntry{ActorID: 2, ActorRole: "coordinator", AreaID: 1, Action: AccessRead, What: "youth_profile", SubjectID: 7}); err != nil {
		t.Fatal(err)
	}
	if err := db.View(checkAccessChain); err != nil {
		t.Fatalf("chain after a batch and a single entry: %v", err)
	}
}

// TestAccessLogDaily: a daily entry is appended once per Copenhagen day and
// key and counts the later calls; the count is not part of the chain; a
// prune removes the entries' counters and the past days' keys, and a call
// on a day whose entry was pruned starts a new one.
func TestAccessLogDaily(t *testing.T) {
	s, db, clk := newTestService(t)
	e := AccessEntry{ActorRole: RolePublic, AreaID: 1, Action: AccessRead, What: "cv_verified", SubjectID: 7}
	log := func(key string, n int) {
		t.Helper()
		for range n {
			if err := s.LogAccessDaily(e, key); err != nil {
				t.Fatal(err)
			}
		}
	}
	opens := func() []int {
		t.Helper()
		about, err := s.AccessAbout(1, 7)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, a := range about {
			out = append(out, a.Opens)
		}
		return out
	}
	log("code:1", 5)
	log("code:2", 2)
	if got := opens(); !slices.Equal(got, []int{2, 5}) {
		t.Fatalf("opens %v, want [2 5]", got)
	}
	// 23:30 in Copenhagen is still the same day; 00:30 is the next.
	clk.Add(10*time.Hour + 30*time.Minute) // 22:30 UTC = 23:30 CET
	log("code:1", 1)
	clk.Add(time.Hour)
	log("code:1", 3)
	if got := opens(); !slices.Equal(got, []int{3, 2, 6}) {
		t.Fatalf("opens %v, want [3 2 6]", got)
	}
	if err := db.View(Check); err != nil {
		t.Fatalf("chain with counters: %v", err)
	}
	if err := s.LogAccessDaily(e, ""); err == nil {
		t.Error("a daily entry without a key was accepted")
	}
	// Pruning everything up to a minute from now removes all three
	// entries, their counters and the first day's keys.
	n, err := s.PruneAccessLog(clk.Now().Add(time.Minute))
	if err != nil || n != 3 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if err := db.View(Check); err != nil {
		t.Fatalf("after prune: %v", err)
	}
	keys := 0
	if err := db.View(func(tx store.Tx) error {
		return tx.Scan(bucketAccessDaily, nil, func(k, _ []byte) error { keys++; return nil })
	}); err != nil || keys != 1 {
		t.Fatalf("%d daily keys left (%v), want today's", keys, err)
	}
	// Today's entry was pruned too (it is older than the cut-off): the next
	// call starts a new one rather than counting on a removed entry.
	log("code:1", 2)
	if got := opens(); !slices.Equal(got, []int{2}) {
		t.Fatalf("opens after prune %v, want [2]", got)
	}
	if err := db.View(Check); err != nil {
		t.Fatalf("after a new entry: %v", err)
	}
}
