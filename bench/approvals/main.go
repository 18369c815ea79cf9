// Command approvals measures durable work approvals per second (claim,
// record, then approve: ledger transfer, participation record and entry
// update in one transaction) with 1 and with 64 concurrent approvers, next
// to the raw fsync rate of the same disk measured in the same run.
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
	for _, workers := range []int{1, 64} {
		rate, err := approvalRate(filepath.Join(tmp, fmt.Sprintf("a%d.db", workers)), n, workers, false)
		if err != nil {
			return err
		}
		fmt.Printf("approvals, %2d concurrent approvers: %8.0f /s  = %5.2f × fsync rate\n", workers, rate, rate/fsyncs)
	}
	// The same 64 approvers with bbolt's fsync switched off: the CPU
	// ceiling of the approval path on this machine, which no group commit
	// can pass (not durable; for comparison only).
	rate, err := approvalRate(filepath.Join(tmp, "nosync.db"), n, 64, true)
	if err != nil {
		return err
	}
	fmt.Printf("ceiling, 64 approvers without fsync: %8.0f /s  = %5.2f × fsync rate (not durable)\n", rate, rate/fsyncs)
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

// approvalRate prepares n pending work entries (untimed), then approves
// them with workers goroutines, each approval its own durable transaction
// (sharing commits through the store's Batch). noSync switches fsync off to
// measure the CPU ceiling.
func approvalRate(path string, n, workers int, noSync bool) (float64, error) {
	db, err := bolt.Open(path, bolt.Options{NoSync: noSync})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	clock := time.Date(2026, 11, 2, 9, 0, 0, 0, people.Copenhagen)
	now := func() time.Time { return clock }
	ppl, err := people.NewService(db, people.Options{Secret: []byte("bench-secret-0123456789abcdef-0123456789"), Now: now, Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		return 0, err
	}
	engine, err := rules.Default()
	if err != nil {
		return 0, err
	}
	js := jobs.NewService(db, ppl, engine, jobs.Options{Now: now})
	area, err := ppl.CreateArea("Benchparken", "Aarhus")
	if err != nil {
		return 0, err
	}
	// One youth per 20 entries; one task per entry (Saturdays, 2 h).
	var ids []uint64
	var youth uint64
	for i := 0; i < n; i++ {
		if i%20 == 0 {
			u, err := ppl.CreateUser(people.NewUser{Username: fmt.Sprintf("ung%05d", i), DisplayName: "Ung", Secret: "2468",
				SecretKind: people.SecretPIN, Memberships: []people.Membership{{AreaID: area.ID, Role: people.RoleYouth}},
				Youth: &people.Youth{BirthDate: people.Date{Year: 2010, Month: 1, Day: 1}, School: people.SchoolFinished9}})
			if err != nil {
				return 0, err
			}
			youth = u.ID
		}
		day := time.Date(2026, 11, 7, 10, 0, 0, 0, people.Copenhagen).AddDate(0, 0, 7*(i%20))
		clock = day.Add(-48 * time.Hour)
		ts, err := js.CreateTask(area.ID, 1, jobs.NewTask{Title: "Oprydning", Place: "Fælleshuset", Supervisor: "Bjarne",
			Category: jobs.CatTidying, Commissioner: jobs.ByCaretakers, Start: day, End: day.Add(2 * time.Hour),
			Slots: 1, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 50, Publish: true})
		if err != nil {
			return 0, err
		}
		if _, err := js.Claim(area.ID, ts[0].ID, youth); err != nil {
			return 0, fmt.Errorf("claim: %w", err)
		}
		clock = day.Add(3 * time.Hour)
		w, err := js.RecordHours(area.ID, ts[0].ID, youth, youth, day, day.Add(2*time.Hour), 0, 0)
		if err != nil {
			return 0, fmt.Errorf("hours: %w", err)
		}
		ids = append(ids, w.ID)
	}
	clock = time.Date(2027, 6, 1, 9, 0, 0, 0, people.Copenhagen)
	work := make(chan uint64)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	if profile != "" && workers > 1 {
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
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if _, err := js.Approve(area.ID, 2, id); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(n) / elapsed.Seconds(), nil
}
