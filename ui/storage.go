package ui

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"fritidsjob/store"
)

// kvStorage is a fiber.Storage (used for sessions) on the store contract,
// so sessions live in bbolt or Redis like everything else and survive a
// restart. Each value carries its expiry as an 8-byte Unix-nanosecond prefix
// (0 = none); Get treats expired entries as absent and Sweep deletes them.
// It replaces gofiber/storage/bbolt, whose served versions hand out memory
// that bbolt may overwrite and ignore expiry. Keys are stored as SHA-256
// hashes: a session ID is a bearer credential, and a copy of the data file
// (a backup) must not hold live ones.
type kvStorage struct {
	db     store.DB
	bucket string
	now    func() time.Time
}

func newKVStorage(db store.DB, bucket string, now func() time.Time) *kvStorage {
	return &kvStorage{db: db, bucket: bucket, now: now}
}

// storedKey is what key is stored under: its SHA-256, in hex.
func storedKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return hex.AppendEncode(nil, h[:])
}

// Get returns a copy of the live value at key, or nil.
func (s *kvStorage) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	var out []byte
	err := s.db.View(func(tx store.Tx) error {
		v, err := tx.Get(s.bucket, storedKey(key))
		if err != nil || len(v) < 8 {
			return err
		}
		if exp := int64(binary.BigEndian.Uint64(v)); exp != 0 && s.now().UnixNano() >= exp {
			return nil
		}
		out = v[8:]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("session get: %w", err)
	}
	return out, nil
}

// Set stores val at key for exp (0 = no expiry), sharing commits with
// concurrent writers.
func (s *kvStorage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var at int64
	if exp > 0 {
		at = s.now().Add(exp).UnixNano()
	}
	v := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(val)), uint64(at))
	v = append(v, val...)
	k := storedKey(key)
	return s.db.Batch(func(tx store.Tx) error { return tx.Put(s.bucket, k, v) })
}

// Delete removes key.
func (s *kvStorage) Delete(key string) error {
	if key == "" {
		return nil
	}
	k := storedKey(key)
	return s.db.Batch(func(tx store.Tx) error { return tx.Delete(s.bucket, k) })
}

// Reset deletes every entry.
func (s *kvStorage) Reset() error {
	return s.db.Update(func(tx store.Tx) error {
		var keys [][]byte
		if err := tx.Scan(s.bucket, nil, func(k, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(s.bucket, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close does nothing: the store belongs to the caller.
func (s *kvStorage) Close() error { return nil }

// Sweep deletes expired entries and reports how many.
func (s *kvStorage) Sweep() (int, error) {
	now := s.now().UnixNano()
	n := 0
	err := s.db.Update(func(tx store.Tx) error {
		var dead [][]byte
		if err := tx.Scan(s.bucket, nil, func(k, v []byte) error {
			if len(v) < 8 {
				dead = append(dead, k)
			} else if exp := int64(binary.BigEndian.Uint64(v)); exp != 0 && now >= exp {
				dead = append(dead, k)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range dead {
			if err := tx.Delete(s.bucket, k); err != nil {
				return err
			}
		}
		n = len(dead)
		return nil
	})
	return n, err
}

// sweepEvery runs sweep at each tick until ctx ends.
func sweepEvery(ctx context.Context, every time.Duration, log *slog.Logger, name string, sweep func() (int, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := sweep(); err != nil {
				log.Error("sweep failed", "what", name, "err", err)
			} else if n > 0 {
				log.Debug("swept", "what", name, "n", n)
			}
		}
	}
}
