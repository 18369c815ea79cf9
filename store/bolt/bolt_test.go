package bolt_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fritidsjob/store"
	"fritidsjob/store/bolt"
	"fritidsjob/store/storetest"
)

// openTemp opens a fresh database file in a test temp dir and closes it at
// the end of the test. It is not testkit.Store on purpose: these tests are
// about Open itself, so the file goes under a "data" directory that does
// not exist yet, as the binary's first start finds it.
func openTemp(t *testing.T, o bolt.Options) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "data", "test.db"), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// TestContract runs the engine-independent suite on a real, synced file.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.DB { return openTemp(t, bolt.Options{}) })
}

// TestLocked: a second Open of a file in use fails with store.ErrLocked
// once its lock timeout has passed.
func TestLocked(t *testing.T) {
	db := openTemp(t, bolt.Options{})
	second, err := bolt.Open(db.Path(), bolt.Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second Open of the same file succeeded, want ErrLocked")
	}
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	// The first handle still works.
	if err := db.Update(func(tx store.Tx) error { return tx.Put("b", []byte("k"), []byte("v")) }); err != nil {
		t.Fatalf("Update on first handle: %v", err)
	}
}

// TestReopen: committed data survives Close and Open, and the lock is
// released by Close.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "re.db")
	db, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var id uint64
	err = db.Update(func(tx store.Tx) error {
		var err error
		if id, err = tx.NextID("ids"); err != nil {
			return err
		}
		return tx.Put("b", store.ID(id), []byte("Blåbærparken"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = bolt.Open(path, bolt.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	err = db.Update(func(tx store.Tx) error {
		v, err := tx.Get("b", store.ID(id))
		if err != nil {
			return err
		}
		if string(v) != "Blåbærparken" {
			t.Errorf("after reopen: Get = %q", v)
		}
		next, err := tx.NextID("ids")
		if err != nil {
			return err
		}
		if next != id+1 {
			t.Errorf("after reopen: NextID = %d, want %d", next, id+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBackupFile: a hot backup written to a file while another goroutine
// writes opens as a normal database holding everything committed before the
// backup started, and passes the integrity check.
func TestBackupFile(t *testing.T) {
	db := openTemp(t, bolt.Options{})
	val := func(i uint64) []byte { return bytes.Repeat([]byte{byte(i), 'x'}, 300) }
	const before = 500
	for i := uint64(0); i < before; i += 50 {
		err := db.Update(func(tx store.Tx) error {
			for j := i; j < i+50; j++ {
				if err := tx.Put("pre", store.ID(j), val(j)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	stop := make(chan struct{})
	started := make(chan struct{})
	var (
		wg        sync.WaitGroup
		once      sync.Once
		writeErr  error
		signalRun = func() { once.Do(func() { close(started) }) }
	)
	wg.Go(func() {
		defer signalRun()
		for i := uint64(0); ; i++ {
			if err := db.Batch(func(tx store.Tx) error { return tx.Put("during", store.ID(i), val(i)) }); err != nil {
				writeErr = err
				return
			}
			signalRun()
			select {
			case <-stop:
				return
			default:
			}
		}
	})
	<-started

	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.Backup(f)
	close(stop)
	wg.Wait()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if writeErr != nil {
		t.Fatalf("concurrent writer: %v", writeErr)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != n || n == 0 {
		t.Fatalf("backup file: stat %v, %v; Backup reported %d bytes", fi, err, n)
	}

	bk, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer bk.Close()
	if err := bk.CheckIntegrity(); err != nil {
		t.Errorf("backup CheckIntegrity: %v", err)
	}
	err = bk.View(func(tx store.Tx) error {
		count := 0
		err := tx.Scan("pre", nil, func(k, v []byte) error {
			id, err := store.ParseID(k, 0)
			if err != nil {
				return err
			}
			if id != uint64(count) || !bytes.Equal(v, val(id)) {
				t.Errorf("backup: pre/%d = %x..., want id %d", id, v[:min(len(v), 8)], count)
			}
			count++
			return nil
		})
		if count != before {
			t.Errorf("backup holds %d pre-backup records, want %d", count, before)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckIntegrity(); err != nil {
		t.Errorf("live CheckIntegrity: %v", err)
	}
}

// TestOpenBadPath: Open on a path that cannot be a database file fails with
// a clear error instead of panicking.
func TestOpenBadPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
	}{
		{"parent is a file", filepath.Join(file, "db"), "create data directory"},
		{"grandparent is a file", filepath.Join(file, "sub", "db"), "create data directory"},
		{"path is a directory", dir, "open " + dir},
		{"path is not a bbolt file", file, "open " + file},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := bolt.Open(c.path, bolt.Options{LockTimeout: 100 * time.Millisecond})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%s) succeeded, want an error", c.path)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open(%s) = %q, want it to mention %q", c.path, err, c.want)
			}
			if errors.Is(err, store.ErrLocked) {
				t.Errorf("Open(%s) = %v, must not claim the file is locked", c.path, err)
			}
		})
	}
}

// TestCommitStats: every committed write transaction counts once, a shared
// batch counts as one commit, and rolled-back and read transactions count
// not at all.
func TestCommitStats(t *testing.T) {
	db := openTemp(t, bolt.Options{MaxBatchDelay: 50 * time.Millisecond, MaxBatchSize: 8})
	stats := func() bolt.CommitStats {
		t.Helper()
		cs, err := db.CommitStats()
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	put := func(tx store.Tx) error { return tx.Put("b", []byte("k"), []byte("v")) }
	start := stats()
	if err := db.Update(put); err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx store.Tx) error { _ = put(tx); return errors.New("roll back") })
	_ = db.View(func(store.Tx) error { return nil })
	one := stats()
	if got := one.Commits - start.Commits; got != 1 {
		t.Fatalf("one Update and a rollback: %d commits, want 1", got)
	}
	if one.PageWrites <= start.PageWrites || one.WriteTime <= start.WriteTime {
		t.Fatalf("a commit wrote no pages or took no time: %+v then %+v", start, one)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Batch(func(tx store.Tx) error { return tx.Put("b", []byte{byte(i + 1)}, []byte("v")) }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := stats().Commits - one.Commits; got < 1 || got >= 8 {
		t.Fatalf("8 concurrent Batch calls made %d commits, want fewer than 8 shared ones", got)
	}
}
