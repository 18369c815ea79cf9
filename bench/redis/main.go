// Command redis measures the store's hot paths through the domain API on
// bbolt and on Redis in the same run, and prints each Redis figure as a
// ratio to bbolt's: claims (25 youths per task, so concurrent claims
// contend for one task record), approvals (ledger transfer, participation
// record and entry in one transaction each) and the youth's task list
// (jobs.Offers, a read). Redis runs as a redis-server child process on a
// free loopback port with the recommended persistence (appendonly yes,
// appendfsync always) and, for comparison, with no persistence.
//
//	go run ./bench/redis [-n 300] [-c 16] [-reads 300]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
	"fritidsjob/store/redis"
)

func main() {
	n := flag.Int("n", 300, "claims and approvals per run")
	c := flag.Int("c", 16, "concurrent workers for the parallel runs")
	reads := flag.Int("reads", 300, "task-list reads per run")
	flag.Parse()
	if err := run(*n, *c, *reads); err != nil {
		fmt.Fprintln(os.Stderr, "bench/redis:", err)
		os.Exit(1)
	}
}

type engine struct {
	name string
	open func(dir string) (store.DB, func(), error)
}

// rates are ops/s per measurement, in print order.
type rates map[string]float64

var order []string

func run(n, c, reads int) error {
	tmp, err := os.MkdirTemp("", "fj-bench-redis-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	engines := []engine{
		{"bbolt", func(dir string) (store.DB, func(), error) {
			db, err := bolt.Open(filepath.Join(dir, "bench.db"), bolt.Options{})
			return db, func() {}, err
		}},
		{"redis aof-always", redisEngine(true, 0)},
		{"redis aof, no group", redisEngine(true, 1)},
		{"redis no-persist", redisEngine(false, 0)},
		{"redis no-pers, no group", redisEngine(false, 1)},
	}
	results := map[string]rates{}
	for i, e := range engines {
		dir := filepath.Join(tmp, fmt.Sprint(i))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		db, stop, err := e.open(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		r, err := measure(db, n, c, reads)
		db.Close()
		stop()
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		results[e.name] = r
	}
	fmt.Printf("%-26s", "ops/s (ratio to bbolt)")
	for _, e := range engines {
		fmt.Printf(" %24s", e.name)
	}
	fmt.Println()
	for _, k := range order {
		fmt.Printf("%-26s", k)
		base := results["bbolt"][k]
		for _, e := range engines {
			v := results[e.name][k]
			fmt.Printf(" %14.0f (%5.2f ×)", v, v/base)
		}
		fmt.Println()
	}
	return nil
}

// redisEngine starts a redis-server child process per run.
// batch is redis.Options.MaxBatchSize (1 turns group commit off).
func redisEngine(aof bool, batch int) func(dir string) (store.DB, func(), error) {
	return func(dir string) (store.DB, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		args := []string{"--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--loglevel", "warning"}
		if aof {
			args = append(args, "--appendonly", "yes", "--appendfsync", "always")
		} else {
			args = append(args, "--appendonly", "no")
		}
		cmd := exec.Command("redis-server", args...)
		if err := cmd.Start(); err != nil {
			return nil, nil, fmt.Errorf("start redis-server (is it on PATH?): %w", err)
		}
		stop := func() { cmd.Process.Kill(); cmd.Wait() }
		url := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
		deadline := time.Now().Add(10 * time.Second)
		for {
			if pong(fmt.Sprintf("127.0.0.1:%d", port)) {
				break
			}
			if time.Now().After(deadline) {
				stop()
				return nil, nil, fmt.Errorf("redis-server not answering")
			}
			time.Sleep(20 * time.Millisecond)
		}
		db, err := redis.Open(url, redis.Options{MaxBatchSize: batch, Timeout: 3 * time.Second}) // a loaded disk can make one fsync slow: not what is measured
		if err != nil {
			stop()
			return nil, nil, err
		}
		return db, stop, nil
	}
}

func pong(addr string) bool {
	conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return false
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(500 * time.Millisecond))
	fmt.Fprint(conn, "PING\r\n")
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.HasPrefix(line, "+PONG")
}

// measure prepares one area (untimed), then times claims, approvals and
// task-list reads, serially and with c workers.
func measure(db store.DB, n, c, reads int) (rates, error) {
	f, err := newFixture(db)
	if err != nil {
		return nil, err
	}
	entries, err := f.pendingWork(n)
	if err != nil {
		return nil, err
	}
	claims, err := f.claimOps(n)
	if err != nil {
		return nil, err
	}
	reader, err := f.youth("reader")
	if err != nil {
		return nil, err
	}

	tm := newTimer(db)
	defer tm.printConflicts()
	js, area := f.js, f.area
	claim := func(off int) func(int) error {
		return func(i int) error { _, err := js.Claim(area.ID, claims[off+i].task, claims[off+i].youth); return err }
	}
	f.setClock(time.Date(2027, 6, 1, 9, 0, 0, 0, people.Copenhagen))
	approve := func(off int) func(int) error {
		return func(i int) error { _, err := js.Approve(area.ID, 2, entries[off+i]); return err }
	}
	offers := func(int) error { _, err := js.Offers(area.ID, reader); return err }
	steps := []struct {
		name    string
		ops, wk int
		op      func(int) error
	}{
		{"claim, 1 worker", n, 1, claim(0)},
		{fmt.Sprintf("claim, %d workers", c), n, c, claim(n)},
		{"approve, 1 worker", n, 1, approve(0)},
		{fmt.Sprintf("approve, %d workers", c), n, c, approve(n)},
		{"task list, 1 reader", reads, 1, offers},
		{fmt.Sprintf("task list, %d readers", c), reads, c, offers},
	}
	for _, s := range steps {
		if err := tm.timed(s.name, s.ops, s.wk, s.op); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return tm.r, nil
}

// fixture is one area on the engine under test, with a settable clock.
type fixture struct {
	mu    sync.Mutex
	clock time.Time
	ppl   *people.Service
	js    *jobs.Service
	area  people.Area
}

// newFixture creates the services and the area on db.
func newFixture(db store.DB) (*fixture, error) {
	f := &fixture{clock: time.Date(2026, 11, 2, 9, 0, 0, 0, people.Copenhagen)}
	ppl, err := people.NewService(db, people.Options{Secret: []byte("bench-secret-0123456789abcdef-0123456789"), Now: f.now, Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		return nil, err
	}
	eng, err := rules.Default()
	if err != nil {
		return nil, err
	}
	f.ppl, f.js = ppl, jobs.NewService(db, ppl, eng, jobs.Options{Now: f.now})
	if f.area, err = ppl.CreateArea("Benchparken", "Aarhus"); err != nil {
		return nil, err
	}
	return f, nil
}

// now is the fixture's clock.
func (f *fixture) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.clock }

// setClock sets the fixture's clock.
func (f *fixture) setClock(t time.Time) { f.mu.Lock(); f.clock = t; f.mu.Unlock() }

// youth creates a youth called name.
func (f *fixture) youth(name string) (uint64, error) {
	u, err := f.ppl.CreateUser(people.NewUser{Username: name, DisplayName: "Ung", Secret: "482916",
		SecretKind: people.SecretPIN, Memberships: []people.Membership{{AreaID: f.area.ID, Role: people.RoleYouth}},
		Youth: &people.Youth{BirthDate: people.Date{Year: 2010, Month: 1, Day: 1}, School: people.SchoolFinished9}})
	return u.ID, err
}

// task creates an open two-hour task on day with slots slots.
func (f *fixture) task(day time.Time, slots int) (uint64, error) {
	ts, err := f.js.CreateTask(f.area.ID, 1, jobs.NewTask{Title: "Oprydning", Place: "Fælleshuset", Supervisor: "Bjarne",
		Category: jobs.CatTidying, Commissioner: jobs.ByCaretakers, Start: day, End: day.Add(2 * time.Hour),
		Slots: slots, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 50, Publish: true})
	if err != nil {
		return 0, err
	}
	return ts[0].ID, nil
}

// pendingWork records 2n entries of pending work to approve: one task
// per entry, a youth per 20 entries.
func (f *fixture) pendingWork(n int) ([]uint64, error) {
	js, area := f.js, f.area
	sat := time.Date(2026, 11, 7, 10, 0, 0, 0, people.Copenhagen)
	var entries []uint64
	var y uint64
	var err error
	for i := 0; i < 2*n; i++ {
		if i%20 == 0 {
			if y, err = f.youth(fmt.Sprintf("work%05d", i)); err != nil {
				return nil, err
			}
		}
		day := sat.AddDate(0, 0, 7*(i%20))
		f.setClock(day.Add(-48 * time.Hour))
		t, err := f.task(day, 1)
		if err != nil {
			return nil, err
		}
		if _, err := js.Claim(area.ID, t, y); err != nil {
			return nil, fmt.Errorf("claim: %w", err)
		}
		f.setClock(day.Add(3 * time.Hour))
		w, err := js.RecordHours(area.ID, t, y, y, day, day.Add(2*time.Hour), 0, 0)
		if err != nil {
			return nil, fmt.Errorf("hours: %w", err)
		}
		entries = append(entries, w.ID)
	}
	return entries, nil
}

// claimOp is one timed claim: a youth on a task.
type claimOp struct{ task, youth uint64 }

// claimOps creates 2n youths for future tasks, 25 youths per task.
func (f *fixture) claimOps(n int) ([]claimOp, error) {
	future := time.Date(2027, 9, 4, 10, 0, 0, 0, people.Copenhagen)
	f.setClock(future.Add(-30 * 24 * time.Hour))
	var claims []claimOp
	var t uint64
	var err error
	for i := 0; i < 2*n; i++ {
		if i%25 == 0 {
			if t, err = f.task(future.AddDate(0, 0, 7*(i/25%10)), 25); err != nil {
				return nil, err
			}
		}
		yid, err := f.youth(fmt.Sprintf("claim%05d", i))
		if err != nil {
			return nil, err
		}
		claims = append(claims, claimOp{t, yid})
	}
	return claims, nil
}

// timer times operations on db, with Redis's conflicts per operation.
type timer struct {
	db        store.DB
	r         rates
	last      redis.Stats
	conflicts map[string]float64
}

// newTimer starts counting conflicts from db's current stats.
func newTimer(db store.DB) *timer {
	tm := &timer{db: db, r: rates{}, conflicts: map[string]float64{}}
	if st, ok := db.(interface{ Stats() redis.Stats }); ok {
		tm.last = st.Stats()
	}
	return tm
}

// printConflicts prints the conflicts per operation, if there were any.
func (tm *timer) printConflicts() {
	if len(tm.conflicts) == 0 {
		return
	}
	fmt.Printf("conflicts per operation (retried attempts):")
	for _, k := range order {
		fmt.Printf("  %s %.2f;", k, tm.conflicts[k])
	}
	fmt.Println()
}

// timed runs op for 0..ops-1 on workers goroutines and records the rate
// as name; it returns the first error.
func (tm *timer) timed(name string, ops, workers int, op func(i int) error) error {
	if len(order) < 6 && !contains(order, name) {
		order = append(order, name)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	var emu sync.Mutex
	var first error
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for i := range work {
				if err := op(i); err != nil {
					emu.Lock()
					if first == nil {
						first = err
					}
					emu.Unlock()
				}
			}
		})
	}
	for i := range ops {
		work <- i
	}
	close(work)
	wg.Wait()
	tm.r[name] = float64(ops) / time.Since(start).Seconds()
	if st, ok := tm.db.(interface{ Stats() redis.Stats }); ok {
		now := st.Stats()
		if now.Commits > tm.last.Commits {
			tm.conflicts[name] = float64(now.Conflicts-tm.last.Conflicts) / float64(ops)
		}
		tm.last = now
	}
	return first
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
