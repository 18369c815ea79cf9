// Package bolt implements the store contract on bbolt, the embedded default
// engine: one file, one process, durable commits, hot backups.
package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	bboltErrors "go.etcd.io/bbolt/errors"

	"fritidsjob/store"
)

// Options tune Open. The zero value is usable.
type Options struct {
	// LockTimeout bounds the wait for the file lock held by another process
	// (default 1 s), after which Open fails with store.ErrLocked.
	LockTimeout time.Duration
	// MaxBatchDelay is how long Batch waits to gather writers into one
	// commit (default 2 ms; bbolt's own 10 ms default starves a lone writer).
	MaxBatchDelay time.Duration
	// MaxBatchSize starts a shared commit as soon as this many callers have
	// joined, without waiting for the delay (default 64).
	MaxBatchSize int
	// NoSync skips fsync. Only for throwaway test data.
	NoSync bool
}

// DB is a store.DB on a bbolt file.
type DB struct {
	b *bbolt.DB
	// batching counts Batch calls in flight. A caller alone commits at
	// once; only callers that overlap another wait to share a commit.
	batching atomic.Int64
	// gen is the generation: raised by every committed write transaction;
	// dataGen only by those with a write not through Quiet.
	gen, dataGen atomic.Uint64
}

var (
	_ store.DB       = (*DB)(nil)
	_ store.Backuper = (*DB)(nil)
	_ store.Checker  = (*DB)(nil)
	_ store.Dumper   = (*DB)(nil)
	_ store.Loader   = (*DB)(nil)
	_ store.Quieter  = (*DB)(nil)
)

// Open opens or creates the database file at path, creating its directory.
func Open(path string, o Options) (*DB, error) {
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	if o.MaxBatchDelay <= 0 {
		o.MaxBatchDelay = 2 * time.Millisecond
	}
	if o.MaxBatchSize <= 0 {
		o.MaxBatchSize = 64
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	b, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: o.LockTimeout, NoSync: o.NoSync})
	if errors.Is(err, bboltErrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, store.ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	b.MaxBatchDelay = o.MaxBatchDelay
	b.MaxBatchSize = o.MaxBatchSize
	return &DB{b: b}, nil
}

// Path is the file the database lives in.
func (d *DB) Path() string { return d.b.Path() }

// Close closes the file and releases its lock.
func (d *DB) Close() error { return d.b.Close() }

// View runs fn in a read-only transaction.
func (d *DB) View(fn func(store.Tx) error) error {
	return d.b.View(func(t *bbolt.Tx) error { return fn(&tx{t: t}) })
}

// Generation counts this process's committed write transactions, so
// reading it costs no transaction. bbolt runs the commit hooks once the
// commit is durable and visible, and before Update or Batch returns: a
// reader that sees the old count while the new data is already readable
// overlaps that commit and may get either state; after the writer's call
// returns, every reader sees the new count. The file's lock keeps other
// processes from writing.
func (d *DB) Generation() (uint64, error) { return d.gen.Load(), nil }

// Generations returns Generation and the count of committed transactions
// that made at least one write not through Quiet.
func (d *DB) Generations() (all, data uint64, err error) {
	return d.gen.Load(), d.dataGen.Load(), nil
}

// CommitStats counts commits and what they cost, for measurements.
type CommitStats struct {
	Commits    uint64        // the file's committed write transactions (a shared batch is one)
	PageWrites int64         // pages this process's commits wrote
	WriteTime  time.Duration // this process's time writing pages and meta pages, fsyncs included
}

// CommitStats reads the commit counters; subtract two readings to
// measure a stretch of work.
func (d *DB) CommitStats() (CommitStats, error) {
	st := d.b.Stats()
	cs := CommitStats{PageWrites: st.TxStats.GetWrite(), WriteTime: st.TxStats.GetWriteTime()}
	// A read transaction's ID is the ID of the last committed write.
	err := d.b.View(func(t *bbolt.Tx) error {
		cs.Commits = uint64(t.ID())
		return nil
	})
	return cs, err
}

// Quiet returns a handle whose writes raise Generation but not the data
// generation (see store.Quieter).
func (d *DB) Quiet() store.DB { return quietDB{d} }

// Update runs fn in a read-write transaction and commits durably.
func (d *DB) Update(fn func(store.Tx) error) error {
	return d.b.Update(d.counted(fn, false))
}

// Batch runs fn in a read-write transaction that may share its commit with
// concurrent callers (bbolt's Batch). fn may run twice if a batch fails.
// A caller with no other Batch in flight commits at once instead of
// waiting MaxBatchDelay for company that is not coming.
func (d *DB) Batch(fn func(store.Tx) error) error { return d.batch(fn, false) }

func (d *DB) batch(fn func(store.Tx) error, quiet bool) error {
	n := d.batching.Add(1)
	defer d.batching.Add(-1)
	if n == 1 {
		return d.b.Update(d.counted(fn, quiet))
	}
	return d.b.Batch(d.counted(fn, quiet))
}

// counted wraps fn so that the commit of its transaction raises Generation,
// and the data generation unless quiet. In a batch every member registers
// its own hooks, so one member that is not quiet raises the data
// generation.
func (d *DB) counted(fn func(store.Tx) error, quiet bool) func(*bbolt.Tx) error {
	return func(t *bbolt.Tx) error {
		d.countCommit(t, quiet)
		return fn(&tx{t: t})
	}
}

// countCommit makes t's commit raise Generation, and the data generation
// unless quiet.
func (d *DB) countCommit(t *bbolt.Tx, quiet bool) {
	t.OnCommit(d.bump)
	if !quiet {
		t.OnCommit(d.bumpData)
	}
}

func (d *DB) bump()     { d.gen.Add(1) }
func (d *DB) bumpData() { d.dataGen.Add(1) }

// quietDB is DB with quiet writes.
type quietDB struct{ d *DB }

func (q quietDB) View(fn func(store.Tx) error) error   { return q.d.View(fn) }
func (q quietDB) Update(fn func(store.Tx) error) error { return q.d.b.Update(q.d.counted(fn, true)) }
func (q quietDB) Batch(fn func(store.Tx) error) error  { return q.d.batch(fn, true) }
func (q quietDB) Close() error                         { return nil }

// Backup writes a consistent copy of the whole file to w while the database
// keeps serving; the copy opens as a normal database file.
func (d *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := d.b.View(func(t *bbolt.Tx) error {
		var err error
		n, err = t.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// CheckIntegrity runs bbolt's page-level consistency check. It runs in a
// write transaction because bbolt's check is only safe against concurrent
// writers there; it changes nothing.
func (d *DB) CheckIntegrity() error {
	return d.b.Update(func(t *bbolt.Tx) error {
		var errs []error
		for err := range t.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

type tx struct{ t *bbolt.Tx }

func (x *tx) Get(bucket string, key []byte) ([]byte, error) {
	if bucket == "" || len(key) == 0 {
		return nil, store.ErrBadKey
	}
	b := x.t.Bucket([]byte(bucket))
	if b == nil {
		return nil, nil
	}
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	return bytes.Clone(v), nil
}

func (x *tx) Put(bucket string, key, val []byte) error {
	if bucket == "" || len(key) == 0 {
		return store.ErrBadKey
	}
	if !x.t.Writable() {
		return store.ErrReadOnly
	}
	b, err := x.t.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return fmt.Errorf("bucket %s: %w", bucket, err)
	}
	if val == nil {
		val = []byte{}
	}
	// bbolt keeps the slices until commit; copy so callers may reuse theirs.
	if err := b.Put(bytes.Clone(key), bytes.Clone(val)); err != nil {
		return fmt.Errorf("put %s/%x: %w", bucket, key, err)
	}
	return nil
}

func (x *tx) Delete(bucket string, key []byte) error {
	if bucket == "" || len(key) == 0 {
		return store.ErrBadKey
	}
	if !x.t.Writable() {
		return store.ErrReadOnly
	}
	b := x.t.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	if err := b.Delete(key); err != nil {
		return fmt.Errorf("delete %s/%x: %w", bucket, key, err)
	}
	return nil
}

func (x *tx) Scan(bucket string, prefix []byte, fn func(key, val []byte) error) error {
	return x.ScanAfter(bucket, prefix, nil, fn)
}

// ScanAfter seeks the cursor to after (or to prefix, whichever is later)
// and walks on from there; only a key equal to after itself is passed over.
func (x *tx) ScanAfter(bucket string, prefix, after []byte, fn func(key, val []byte) error) error {
	if bucket == "" {
		return store.ErrBadKey
	}
	b := x.t.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	start := prefix
	if bytes.Compare(after, prefix) > 0 {
		start = after
	}
	c := b.Cursor()
	for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(after) > 0 && bytes.Compare(k, after) <= 0 {
			continue // the cursor's own key
		}
		if err := fn(bytes.Clone(k), bytes.Clone(v)); err != nil {
			if errors.Is(err, store.ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

func (x *tx) NextID(bucket string) (uint64, error) {
	if bucket == "" {
		return 0, store.ErrBadKey
	}
	if !x.t.Writable() {
		return 0, store.ErrReadOnly
	}
	b, err := x.t.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return 0, fmt.Errorf("bucket %s: %w", bucket, err)
	}
	return b.NextSequence()
}

// Buckets lists every bucket, sorted (bbolt keeps them in byte order).
func (d *DB) Buckets() ([]string, error) {
	var out []string
	err := d.b.View(func(t *bbolt.Tx) error {
		return t.ForEach(func(name []byte, _ *bbolt.Bucket) error {
			out = append(out, string(name))
			return nil
		})
	})
	return out, err
}

// Sequence is the last ID NextID handed out for bucket (0 if none).
func (d *DB) Sequence(bucket string) (uint64, error) {
	var n uint64
	err := d.b.View(func(t *bbolt.Tx) error {
		if b := t.Bucket([]byte(bucket)); b != nil {
			n = b.Sequence()
		}
		return nil
	})
	return n, err
}

// SetSequence makes the next NextID(bucket) return n+1, creating the
// bucket when needed.
func (d *DB) SetSequence(bucket string, n uint64) error {
	return d.b.Update(func(t *bbolt.Tx) error {
		d.countCommit(t, false)
		b, err := t.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return fmt.Errorf("bucket %s: %w", bucket, err)
		}
		return b.SetSequence(n)
	})
}
