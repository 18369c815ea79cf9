// Command approvals measures durable work approvals per second (claim,
// record, then approve: ledger transfer, participation record and entry
// update in one transaction) with 1 and with 64 concurrent approvers, next
// to the raw fsync rate of the same disk measured in the same run. It ends
// with the store's floor: the approvals' own reads and writes replayed
// without their logic (see replay.go).
//
//	go run ./bench/approvals [-n 2000] [-dir /tmp]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"

	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

func main() {
	n := flag.Int("n", 2000, "approvals per run")
	dir := flag.String("dir", os.TempDir(), "directory on the disk to measure")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the timed approvals to this file")
	flag.Parse()
	profile = *prof
	if err := run(*n, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "approvals:", err)
		os.Exit(1)
	}
}

// profile names the CPU profile file for the concurrent run ("" = none).
var profile string

func run(n int, dir string) error {
	tmp, err := os.MkdirTemp(dir, "fj-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fsyncs, err := fsyncRate(filepath.Join(tmp, "fsync"), n)
	if err != nil {
		return err
	}
	fmt.Printf("raw fsync (append 64 B + fsync):   %8.0f /s\n", fsyncs)
	// The lone approver's run also records every approval's reads and
	// writes, starting from a copy of its store taken just before.
	rec := &recorder{}
	one, err := prepare(filepath.Join(tmp, "a1.db"), n, false, func(db store.DB) store.DB { rec.DB = db; return rec })
	if one != nil {
		defer one.db.Close()
	}
	if err != nil {
		return err
	}
	full, writes := filepath.Join(tmp, "replay.db"), filepath.Join(tmp, "replay-writes.db")
	if err := snapshot(one.db, full, writes); err != nil {
		return err
	}
	rec.on.Store(true)
	rate, err := one.approve(1, false)
	if err != nil {
		return err
	}
	rec.on.Store(false)
	fmt.Printf("approvals,  1 approver:               %8.0f /s  = %5.2f × fsync rate\n", rate, rate/fsyncs)
	rate, cs, err := approvalRate(filepath.Join(tmp, "a64.db"), n, 64, false)
	if err != nil {
		return err
	}
	fmt.Printf("approvals, 64 concurrent approvers:   %8.0f /s  = %5.2f × fsync rate\n", rate, rate/fsyncs)
	if cs.Commits > 0 {
		per := float64(n) / float64(cs.Commits)
		io := cs.WriteTime.Seconds() / float64(cs.Commits)
		fmt.Printf("  %d commits: %.1f approvals, %.0f page writes and %.2f ms writing and syncing per commit;\n", cs.Commits,
			per, float64(cs.PageWrites)/float64(cs.Commits), io*1000)
		fmt.Printf("  that I/O alone, with no CPU at all, would cap them at %.0f /s = %.2f × fsync rate\n", per/io, per/io/fsyncs)
	}
	// The same 64 approvers with bbolt's fsync switched off: the CPU
	// ceiling of the approval path on this machine, which no group commit
	// can pass (not durable; for comparison only).
	rate, _, err = approvalRate(filepath.Join(tmp, "nosync.db"), n, 64, true)
	if err != nil {
		return err
	}
	fmt.Printf("ceiling, 64 approvers without fsync:  %8.0f /s  = %5.2f × fsync rate (not durable)\n", rate, rate/fsyncs)
	// The floor of the store, durable: the approvals' own reads and writes
	// without their logic, and their writes alone.
	fmt.Printf("an approval's calls on the store: %s\n", counts(rec.txs))
	rate, err = replayRate(full, rec.txs, 64)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	fmt.Printf("those calls replayed, 64 writers:     %8.0f /s  = %5.2f × fsync rate (no logic)\n", rate, rate/fsyncs)
	rate, err = replayRate(writes, writesOnly(rec.txs), 64)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	fmt.Printf("their writes alone, 64 writers:       %8.0f /s  = %5.2f × fsync rate (no logic, no reads)\n", rate, rate/fsyncs)
	return nil
}

func fsyncRate(path string, n int) (float64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 64)
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := f.Write(buf); err != nil {
			return 0, err
		}
		if err := f.Sync(); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// pending is a store with n pending work entries ready to approve.
type pending struct {
	db   *bolt.DB
	js   *jobs.Service
	area uint64
	ids  []uint64
}

// prepare makes n pending work entries (untimed): one youth per 20
// entries, one task per entry (Saturdays, 2 h). wrap, when not nil, wraps
// the store the services write through. noSync switches fsync off.
func prepare(path string, n int, noSync bool, wrap func(store.DB) store.DB) (*pending, error) {
	db, err := bolt.Open(path, bolt.Options{NoSync: noSync})
	if err != nil {
		return nil, err
	}
	p := &pending{db: db}
	clock := time.Date(2026, 11, 2, 9, 0, 0, 0, people.Copenhagen)
	now := func() time.Time { return clock }
	var sdb store.DB = db
	if wrap != nil {
		sdb = wrap(db)
	}
	ppl, err := people.NewService(sdb, people.Options{Secret: []byte("bench-secret-0123456789abcdef-0123456789"), Now: now, Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		return p, err
	}
	engine, err := rules.Default()
	if err != nil {
		return p, err
	}
	p.js = jobs.NewService(sdb, ppl, engine, jobs.Options{Now: now})
	area, err := ppl.CreateArea("Benchparken", "Aarhus")
	if err != nil {
		return p, err
	}
	p.area = area.ID
	var youth uint64
	for i := 0; i < n; i++ {
		if i%20 == 0 {
			u, err := ppl.CreateUser(people.NewUser{Username: fmt.Sprintf("ung%05d", i), DisplayName: "Ung", Secret: "482916",
				SecretKind: people.SecretPIN, Memberships: []people.Membership{{AreaID: area.ID, Role: people.RoleYouth}},
				Youth: &people.Youth{BirthDate: people.Date{Year: 2010, Month: 1, Day: 1}, School: people.SchoolFinished9}})
			if err != nil {
				return p, err
			}
			youth = u.ID
		}
		day := time.Date(2026, 11, 7, 10, 0, 0, 0, people.Copenhagen).AddDate(0, 0, 7*(i%20))
		clock = day.Add(-48 * time.Hour)
		ts, err := p.js.CreateTask(area.ID, 1, jobs.NewTask{Title: "Oprydning", Place: "Fælleshuset", Supervisor: "Bjarne",
			Category: jobs.CatTidying, Commissioner: jobs.ByCaretakers, Start: day, End: day.Add(2 * time.Hour),
			Slots: 1, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 50, Publish: true})
		if err != nil {
			return p, err
		}
		if _, err := p.js.Claim(area.ID, ts[0].ID, youth); err != nil {
			return p, fmt.Errorf("claim: %w", err)
		}
		clock = day.Add(3 * time.Hour)
		w, err := p.js.RecordHours(area.ID, ts[0].ID, youth, youth, day, day.Add(2*time.Hour), 0, 0)
		if err != nil {
			return p, fmt.Errorf("hours: %w", err)
		}
		p.ids = append(p.ids, w.ID)
	}
	clock = time.Date(2027, 6, 1, 9, 0, 0, 0, people.Copenhagen)
	return p, nil
}

// approvalRate prepares n pending work entries (untimed), then approves
// them with workers goroutines, each approval its own durable transaction
// (sharing commits through the store's Batch). noSync switches fsync off to
// measure the CPU ceiling. It also returns what the approvals' commits
// cost.
func approvalRate(path string, n, workers int, noSync bool) (float64, bolt.CommitStats, error) {
	p, err := prepare(path, n, noSync, nil)
	if p != nil {
		defer p.db.Close()
	}
	if err != nil {
		return 0, bolt.CommitStats{}, err
	}
	before, err := p.db.CommitStats()
	if err != nil {
		return 0, bolt.CommitStats{}, err
	}
	rate, err := p.approve(workers, workers > 1)
	if err != nil {
		return 0, bolt.CommitStats{}, err
	}
	after, err := p.db.CommitStats()
	return rate, bolt.CommitStats{Commits: after.Commits - before.Commits, PageWrites: after.PageWrites - before.PageWrites,
		WriteTime: after.WriteTime - before.WriteTime}, err
}

// approve approves every pending entry with workers goroutines and returns
// approvals per second; prof writes the CPU profile when one is asked for.
func (p *pending) approve(workers int, prof bool) (float64, error) {
	if prof && profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return 0, err
		}
		defer pprof.StopCPUProfile()
	}
	return parallel(len(p.ids), workers, func(i int) error {
		_, err := p.js.Approve(p.area, 2, p.ids[i])
		return err
	})
}

// parallel runs do(0..n-1) on workers goroutines and returns calls per
// second, or the first error.
func parallel(n, workers int, do func(i int) error) (float64, error) {
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := do(i); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(n) / elapsed.Seconds(), nil
}
