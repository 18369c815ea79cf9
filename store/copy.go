package store

import (
	"errors"
	"fmt"
)

// Dumper is a DB that can list its buckets and read their sequences, so
// that Copy can move a whole store between engines.
type Dumper interface {
	// Buckets lists every bucket that holds keys or has a sequence, sorted.
	Buckets() ([]string, error)
	// Sequence is the last ID NextID handed out for bucket (0 if none).
	Sequence(bucket string) (uint64, error)
}

// Loader is a DB whose sequences can be set, so that a copied store goes
// on handing out IDs after the ones already used.
type Loader interface {
	// SetSequence makes the next NextID(bucket) return n+1.
	SetSequence(bucket string, n uint64) error
}

// CopyStats says what Copy copied.
type CopyStats struct {
	Buckets, Keys, Sequences int
}

// copyChunk is how many keys Copy writes per destination transaction.
const copyChunk = 500

// Copy copies every bucket, key, value and sequence of src into dst, which
// must be empty. src must not be written to meanwhile (stop the app first):
// the copy is made bucket by bucket, not as one snapshot.
func Copy(dst, src DB) (CopyStats, error) {
	var st CopyStats
	sd, ok := src.(Dumper)
	if !ok {
		return st, errors.New("copy: the source engine cannot list its buckets")
	}
	dd, ok1 := dst.(Dumper)
	dl, ok2 := dst.(Loader)
	if !ok1 || !ok2 {
		return st, errors.New("copy: the destination engine cannot be loaded")
	}
	existing, err := dd.Buckets()
	if err != nil {
		return st, fmt.Errorf("copy: destination: %w", err)
	}
	if len(existing) > 0 {
		return st, fmt.Errorf("copy: the destination is not empty (%d buckets, e.g. %q)", len(existing), existing[0])
	}
	buckets, err := sd.Buckets()
	if err != nil {
		return st, fmt.Errorf("copy: source: %w", err)
	}
	for _, b := range buckets {
		st.Buckets++
		if err := copyBucket(dst, src, sd, dl, b, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// copyBucket copies bucket b of src into dst in chunks of copyChunk keys,
// then its sequence, counting into st.
func copyBucket(dst, src DB, sd Dumper, dl Loader, b string, st *CopyStats) error {
	type pair struct{ k, v []byte }
	var chunk []pair
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := dst.Update(func(tx Tx) error {
			for _, p := range chunk {
				if err := tx.Put(b, p.k, p.v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("copy %s: write: %w", b, err)
		}
		st.Keys += len(chunk)
		chunk = chunk[:0]
		return nil
	}
	err := src.View(func(tx Tx) error {
		return tx.Scan(b, nil, func(k, v []byte) error {
			chunk = append(chunk, pair{k, v})
			if len(chunk) >= copyChunk {
				return flush()
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("copy %s: %w", b, err)
	}
	if err := flush(); err != nil {
		return err
	}
	seq, err := sd.Sequence(b)
	if err != nil {
		return fmt.Errorf("copy %s: sequence: %w", b, err)
	}
	if seq > 0 {
		if err := dl.SetSequence(b, seq); err != nil {
			return fmt.Errorf("copy %s: sequence: %w", b, err)
		}
		st.Sequences++
	}
	return nil
}
