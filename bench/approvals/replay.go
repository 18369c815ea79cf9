package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

// The store's floor: the reads and writes of real approvals, recorded and
// replayed on the same starting state without any of the approval's logic
// (no JSON, no rules, no checks). No approval code can commit faster than
// its own reads and writes, so the replay shows what bbolt gives an
// approval-shaped transaction on this disk.

// opKind is one call on a store.Tx.
type opKind byte

const (
	opGet opKind = iota
	opPut
	opDelete
	opScan
	opNextID
)

type op struct {
	kind     opKind
	bucket   string
	key, val []byte
}

// recorder is a store.DB that records the calls of each committed write
// transaction while on; off, it only passes calls through.
type recorder struct {
	store.DB
	on  atomic.Bool
	mu  sync.Mutex
	txs [][]op
}

func (r *recorder) Update(fn func(store.Tx) error) error { return r.write(r.DB.Update, fn) }
func (r *recorder) Batch(fn func(store.Tx) error) error  { return r.write(r.DB.Batch, fn) }

// write records the calls of fn's last run, which is the one that
// committed (fn may run more than once).
func (r *recorder) write(call func(func(store.Tx) error) error, fn func(store.Tx) error) error {
	if !r.on.Load() {
		return call(fn)
	}
	var ops []op
	err := call(func(tx store.Tx) error {
		rt := &recTx{Tx: tx}
		err := fn(rt)
		ops = rt.ops
		return err
	})
	if err == nil {
		r.mu.Lock()
		r.txs = append(r.txs, ops)
		r.mu.Unlock()
	}
	return err
}

type recTx struct {
	store.Tx
	ops []op
}

func (t *recTx) add(k opKind, bucket string, key, val []byte) {
	t.ops = append(t.ops, op{kind: k, bucket: bucket, key: append([]byte(nil), key...), val: append([]byte(nil), val...)})
}

func (t *recTx) Get(bucket string, key []byte) ([]byte, error) {
	t.add(opGet, bucket, key, nil)
	return t.Tx.Get(bucket, key)
}

func (t *recTx) Put(bucket string, key, val []byte) error {
	t.add(opPut, bucket, key, val)
	return t.Tx.Put(bucket, key, val)
}

func (t *recTx) Delete(bucket string, key []byte) error {
	t.add(opDelete, bucket, key, nil)
	return t.Tx.Delete(bucket, key)
}

func (t *recTx) Scan(bucket string, prefix []byte, fn func(key, val []byte) error) error {
	t.add(opScan, bucket, prefix, nil)
	return t.Tx.Scan(bucket, prefix, fn)
}

func (t *recTx) NextID(bucket string) (uint64, error) {
	t.add(opNextID, bucket, nil, nil)
	return t.Tx.NextID(bucket)
}

// counts says how many calls of each kind the recorded transactions make,
// per transaction.
func counts(txs [][]op) string {
	var n [opNextID + 1]int
	for _, ops := range txs {
		for _, o := range ops {
			n[o.kind]++
		}
	}
	per := func(k opKind) float64 { return float64(n[k]) / float64(max(len(txs), 1)) }
	return fmt.Sprintf("%.1f reads, %.1f puts, %.1f deletes, %.1f scans, %.1f IDs", per(opGet), per(opPut), per(opDelete), per(opScan), per(opNextID))
}

// writesOnly keeps each transaction's puts and deletes.
func writesOnly(txs [][]op) [][]op {
	out := make([][]op, len(txs))
	for i, ops := range txs {
		for _, o := range ops {
			if o.kind == opPut || o.kind == opDelete {
				out[i] = append(out[i], o)
			}
		}
	}
	return out
}

// replayRate opens a copy of the starting state at path and replays txs
// with workers goroutines, each transaction its own durable Batch, and
// returns transactions per second.
func replayRate(path string, txs [][]op, workers int) (float64, error) {
	db, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return parallel(len(txs), workers, func(i int) error {
		return db.Batch(func(tx store.Tx) error { return apply(tx, txs[i]) })
	})
}

func apply(tx store.Tx, ops []op) error {
	for _, o := range ops {
		var err error
		switch o.kind {
		case opGet:
			_, err = tx.Get(o.bucket, o.key)
		case opPut:
			err = tx.Put(o.bucket, o.key, o.val)
		case opDelete:
			err = tx.Delete(o.bucket, o.key)
		case opScan:
			err = tx.Scan(o.bucket, o.key, func(_, _ []byte) error { return nil })
		case opNextID:
			_, err = tx.NextID(o.bucket)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// snapshot writes a consistent copy of db to each of paths.
func snapshot(db *bolt.DB, paths ...string) error {
	for _, p := range paths {
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := db.Backup(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
