// Package store is the transactional key-value contract the domain packages
// talk to. It hides the engine (bbolt by default, Redis for several
// instances) behind a small interface so that every business operation is one
// serializable transaction, whatever the engine.
//
// Data lives in named buckets of byte keys kept in key order. Keys are
// composite and sortable (see Key); values are usually JSON records written
// with the typed helpers in this package (see PutJSON and GetJSON).
package store

import (
	"errors"
	"io"
)

// Errors shared by every engine. Engines wrap them with context; test with
// errors.Is.
var (
	// ErrLocked means another process holds the database.
	ErrLocked = errors.New("database is in use by another process")
	// ErrReadOnly is returned by writes inside a View transaction.
	ErrReadOnly = errors.New("write in a read-only transaction")
	// ErrStop ends a Scan early without error when returned by its callback.
	ErrStop = errors.New("stop scan")
	// ErrUnavailable means the engine cannot be reached right now; the
	// operation did not happen and may be retried later.
	ErrUnavailable = errors.New("store unavailable")
	// ErrBadKey is returned for an empty bucket name or key.
	ErrBadKey = errors.New("empty bucket or key")
)

// DB is a transactional key-value store.
//
// Update and Batch run fn in a serializable read-write transaction that
// commits when fn returns nil and rolls back when it returns an error. fn may
// run more than once (an engine may retry on conflict, Batch may re-run a
// failed member alone), so it must have no side effects outside the Tx.
// When Update or Batch returns nil the change is durable.
type DB interface {
	View(fn func(Tx) error) error
	Update(fn func(Tx) error) error
	// Batch is Update with group commit: concurrent callers may share one
	// durable commit, which raises throughput under concurrency.
	Batch(fn func(Tx) error) error
	Close() error
}

// Tx is one transaction. Slices passed to and returned from a Tx are never
// shared with the engine: returned values are copies the caller may keep, and
// the caller may reuse its own slices after a call returns.
type Tx interface {
	// Get returns the value at key, or nil and no error when it is absent.
	Get(bucket string, key []byte) ([]byte, error)
	// Put stores val at key, creating the bucket when needed.
	Put(bucket string, key, val []byte) error
	// Delete removes key; deleting an absent key is not an error.
	Delete(bucket string, key []byte) error
	// Scan calls fn for every key with the given prefix, in ascending byte
	// order. An empty prefix scans the whole bucket. Returning ErrStop ends the
	// scan with a nil error; any other error ends it and is returned.
	// The Tx must not be written to from inside fn.
	Scan(bucket string, prefix []byte, fn func(key, val []byte) error) error
	// ScanAfter is Scan restricted to the keys that sort after the cursor
	// after (nil: from the start), found by seeking, not by walking past
	// the keys before it: a list pages with the key of its last row (a
	// keyset cursor) at the cost of one page, however deep the page is.
	ScanAfter(bucket string, prefix, after []byte, fn func(key, val []byte) error) error
	// NextID returns the next integer of the bucket's sequence, starting at 1.
	// IDs are unique per bucket and never reused.
	NextID(bucket string) (uint64, error)
}

// Backuper is a DB that can write a consistent copy of itself while it keeps
// serving reads and writes (a hot backup).
type Backuper interface {
	Backup(w io.Writer) (int64, error)
}

// Checker is a DB that can verify its own physical consistency.
type Checker interface {
	CheckIntegrity() error
}

// Generationer is a DB that can tell cheaply whether anything changed: the
// generation grows with every committed write and stays the same across
// reads and rolled-back transactions. Read it before reading the data a
// cached result is built from; a result stored under generation g is fresh
// for as long as Generation still returns g.
type Generationer interface {
	Generation() (uint64, error)
}

// Quieter is a Generationer whose writes can be marked quiet: writes that
// no kept page shows, such as sessions and login throttles. Every committed
// write raises Generation; the data generation is raised only by commits
// with a write that is not quiet, so pages kept under it outlive logins
// and session refreshes.
type Quieter interface {
	Generationer
	// Generations returns Generation and the data generation in one read.
	Generations() (all, data uint64, err error)
	// Quiet returns the same database with every write through it quiet.
	// Its Close does nothing: close the database itself.
	Quiet() DB
}

// Quiet returns db's quiet handle, or db itself when the engine does not
// tell quiet writes apart (then they raise the data generation too, which
// is safe: a kept page is only dropped sooner).
func Quiet(db DB) DB {
	if q, ok := db.(Quieter); ok {
		return q.Quiet()
	}
	return db
}

// Generations returns g's generation and data generation; without quiet
// writes the two are the same.
func Generations(g Generationer) (all, data uint64, err error) {
	if q, ok := g.(Quieter); ok {
		return q.Generations()
	}
	all, err = g.Generation()
	return all, all, err
}
