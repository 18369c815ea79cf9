package redis_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
	"fritidsjob/store/redis"
	"fritidsjob/store/redis/redistest"
)

// pairInc increments the counters "a" and "b" together in one transaction,
// so a half-applied commit would show as a ≠ b.
func pairInc(tx store.Tx) error {
	a, err := tx.Get("pair", []byte("a"))
	if err != nil {
		return err
	}
	var n uint64
	if a != nil {
		if n, err = store.ParseID(a, 0); err != nil {
			return err
		}
	}
	if err := tx.Put("pair", []byte("a"), store.ID(n+1)); err != nil {
		return err
	}
	return tx.Put("pair", []byte("b"), store.ID(n+1))
}

func readPair(t *testing.T, db store.DB) (a, b uint64) {
	t.Helper()
	err := db.Update(func(tx store.Tx) error { // Update: a consistent read
		for _, p := range []struct {
			k string
			n *uint64
		}{{"a", &a}, {"b", &b}} {
			v, err := tx.Get("pair", []byte(p.k))
			if err != nil || v == nil {
				return err
			}
			if *p.n, err = store.ParseID(v, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read pair: %v", err)
	}
	return a, b
}

// TestOutage kills redis-server under load, checks that operations fail
// fast with ErrUnavailable and nothing is half-written, restarts it (AOF
// with fsync always) and checks that service resumes on its own with every
// acknowledged commit kept.
func TestOutage(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{AOF: true})
	db := openDB(t, srv.URL())

	var (
		acked, failed atomic.Int64
		stop          = make(chan struct{})
		wg            sync.WaitGroup
		slowest       atomic.Int64 // ns of the slowest failing call
		otherErr      atomic.Value
	)
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				err := db.Update(pairInc)
				switch {
				case err == nil:
					acked.Add(1)
				case errors.Is(err, store.ErrUnavailable):
					failed.Add(1)
					if d := int64(time.Since(start)); d > slowest.Load() {
						slowest.Store(d)
					}
					time.Sleep(5 * time.Millisecond)
				default:
					otherErr.Store(err)
					return
				}
			}
		})
	}
	waitFor(t, "writes before the outage", func() bool { return acked.Load() > 200 })
	srv.Stop(t)
	ackedAtStop := acked.Load()
	waitFor(t, "failures during the outage", func() bool { return failed.Load() > 20 })

	// Every kind of operation fails fast while Redis is down.
	for name, op := range map[string]func() error{
		"View/Get": func() error {
			return db.View(func(tx store.Tx) error { _, err := tx.Get("pair", []byte("a")); return err })
		},
		"View/Scan": func() error {
			return db.View(func(tx store.Tx) error { return tx.Scan("pair", nil, func(k, v []byte) error { return nil }) })
		},
		"Update": func() error { return db.Update(pairInc) },
		"NextID": func() error { return db.Update(func(tx store.Tx) error { _, err := tx.NextID("ids"); return err }) },
		"Ping":   db.Ping,
	} {
		start := time.Now()
		err := op()
		if !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("%s with Redis down = %v, want ErrUnavailable", name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s with Redis down took %v, want < 1 s", name, d)
		}
	}

	srv.Start(t)
	ackedBefore := acked.Load()
	waitFor(t, "writes after the restart", func() bool { return acked.Load() > ackedBefore+100 })
	close(stop)
	wg.Wait()
	if err, _ := otherErr.Load().(error); err != nil {
		t.Fatalf("unexpected error (not ErrUnavailable): %v", err)
	}
	if d := time.Duration(slowest.Load()); d > time.Second {
		t.Errorf("slowest failing Update took %v, want < 1 s", d)
	}
	a, b := readPair(t, db)
	if a != b {
		t.Errorf("a = %d, b = %d: a commit was half applied", a, b)
	}
	// Every acknowledged commit survived; a commit whose reply was lost in
	// the crash may have landed too (reported as unavailable, not acked).
	if n := uint64(acked.Load()); a < n || a > n+8 {
		t.Errorf("counter = %d, acknowledged commits = %d (at stop %d): want acked ≤ counter ≤ acked+8 (in flight)", a, n, ackedAtStop)
	}
	if err := db.CheckIntegrity(); err != nil {
		t.Errorf("CheckIntegrity after the restart: %v", err)
	}
	t.Logf("acked %d, failed fast %d (slowest %v), counter %d", acked.Load(), failed.Load(), time.Duration(slowest.Load()), a)
}

// TestHungServer freezes redis-server (SIGSTOP): operations time out with
// ErrUnavailable within about a second instead of hanging, and work again
// once it is resumed.
func TestHungServer(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	db := openDB(t, srv.URL())
	if err := db.Update(pairInc); err != nil {
		t.Fatal(err)
	}
	srv.Pause(t)
	for name, op := range map[string]func() error{
		"Get": func() error {
			return db.View(func(tx store.Tx) error { _, err := tx.Get("pair", []byte("a")); return err })
		},
		"Update": func() error { return db.Update(pairInc) },
		"Batch":  func() error { return db.Batch(pairInc) },
	} {
		start := time.Now()
		err := op()
		took := time.Since(start)
		if !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("%s on a hung server = %v, want ErrUnavailable", name, err)
		}
		if took > 1200*time.Millisecond {
			t.Errorf("%s on a hung server took %v, want about a second at most", name, took)
		}
		t.Logf("%s on a hung server failed after %v", name, took.Round(time.Millisecond))
	}
	srv.Resume(t)
	waitFor(t, "an Update after resuming", func() bool { return db.Update(pairInc) == nil })
	// An Update that timed out may have been applied (its reply was lost);
	// none was applied twice or in half.
	if a, b := readPair(t, db); a != b || a < 2 || a > 4 {
		t.Errorf("pair = %d, %d; want equal, between 2 and 4", a, b)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestConflictingIncrements: N goroutines on two separate connections
// pools (as two app instances would be) increment one counter with Update;
// the result is exactly N.
func TestConflictingIncrements(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	a := openDB(t, srv.URL())
	b, err := redis.Open(srv.URL(), redis.Options{Prefix: aPrefix(t, a)})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		db := a
		if i%2 == 1 {
			db = b
		}
		wg.Go(func() {
			if err := db.Update(pairInc); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if x, y := readPair(t, a); x != n || y != n {
		t.Errorf("counters = %d, %d; want %d", x, y, n)
	}
}

// aPrefix is the installation prefix db was opened with.
func aPrefix(t *testing.T, db *redis.DB) string {
	t.Helper()
	return db.Prefix()
}

// TestCopyRoundTrip copies a bbolt store into Redis and back and compares
// every bucket, key, value and sequence.
func TestCopyRoundTrip(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	src := testkit.StoreWith(t, bolt.Options{NoSync: true})
	err := src.Update(func(tx store.Tx) error {
		for i := range uint64(1200) {
			if err := tx.Put("many", store.ID(i), []byte{byte(i)}); err != nil {
				return err
			}
		}
		for range 7 {
			if _, err := tx.NextID("many"); err != nil {
				return err
			}
		}
		if _, err := tx.NextID("only-seq"); err != nil {
			return err
		}
		if err := tx.Put("empty-val", []byte("k"), nil); err != nil {
			return err
		}
		return tx.Put("æøå", store.Key("Blåbær", uint64(3)), []byte("værdi"))
	})
	if err != nil {
		t.Fatal(err)
	}
	mid := openDB(t, srv.URL())
	if _, err := store.Copy(mid, src); err != nil {
		t.Fatalf("bolt → redis: %v", err)
	}
	if _, err := store.Copy(mid, src); err == nil {
		t.Errorf("copy into a non-empty destination succeeded, want refusal")
	}
	back := testkit.StoreWith(t, bolt.Options{NoSync: true})
	st, err := store.Copy(back, mid)
	if err != nil {
		t.Fatalf("redis → bolt: %v", err)
	}
	if st.Keys != 1202 || st.Sequences != 2 {
		t.Errorf("copy stats = %+v, want 1202 keys, 2 sequences", st)
	}
	for _, db := range []store.DB{mid, back} {
		if got, want := dump(t, db), dump(t, src); got != want {
			t.Errorf("%T differs from the source:\n got %.300s\nwant %.300s", db, got, want)
		}
		var id uint64
		if err := db.Update(func(tx store.Tx) error { id, err = tx.NextID("many"); return err }); err != nil || id != 8 {
			t.Errorf("%T: NextID after copy = %d, %v; want 8", db, id, err)
		}
	}
	if err := mid.CheckIntegrity(); err != nil {
		t.Error(err)
	}
}

// dump renders every non-empty bucket with its keys, values and sequence.
func dump(t *testing.T, db store.DB) string {
	t.Helper()
	d := db.(store.Dumper)
	bs, err := d.Buckets()
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, b := range bs {
		seq, err := d.Sequence(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, []byte(b+"#"+string(store.ID(seq))+":")...)
		err = db.View(func(tx store.Tx) error {
			return tx.Scan(b, nil, func(k, v []byte) error {
				out = append(out, k...)
				out = append(out, '=')
				out = append(out, v...)
				out = append(out, ';')
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return string(out)
}

// TestBatchGroupFailures: concurrent Batch callers share group commits;
// a member that fails gets its own error and leaves nothing behind, the
// others commit, and NextID stays unique across groups.
func TestBatchGroupFailures(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	db := openDB(t, srv.URL())
	errOdd := errors.New("odd callers fail")
	const n = 200
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[uint64]bool{}
	for i := range n {
		wg.Go(func() {
			var id uint64
			err := db.Batch(func(tx store.Tx) error {
				var err error
				if id, err = tx.NextID("grp"); err != nil {
					return err
				}
				if err := tx.Put("grp", store.ID(uint64(i)), store.ID(id)); err != nil {
					return err
				}
				if i%2 == 1 {
					return errOdd
				}
				return pairInc(tx)
			})
			switch {
			case i%2 == 1 && !errors.Is(err, errOdd):
				t.Errorf("caller %d: %v, want its own error", i, err)
			case i%2 == 0 && err != nil:
				t.Errorf("caller %d: %v", i, err)
			case i%2 == 0:
				mu.Lock()
				if ids[id] {
					t.Errorf("ID %d handed out twice", id)
				}
				ids[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	err := db.View(func(tx store.Tx) error {
		return tx.Scan("grp", nil, func(k, v []byte) error {
			i, _ := store.ParseID(k, 0)
			id, _ := store.ParseID(v, 0)
			if i%2 == 1 {
				t.Errorf("failed caller %d left its write", i)
			}
			if !ids[id] {
				t.Errorf("caller %d stored ID %d it was not told", i, id)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := readPair(t, db); a != n/2 || b != n/2 {
		t.Errorf("pair = %d, %d; want %d", a, b, n/2)
	}
	t.Logf("%+v", db.Stats())
}
