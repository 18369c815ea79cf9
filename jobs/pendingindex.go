package jobs

import (
	"fmt"

	"fritidsjob/store"
)

// The pending-work index lets the approval queue read the entries waiting
// for a decision instead of every entry the area ever had.
const bucketPendingWork = "pending_work" // Key(area, entry) -> empty, for pending entries

// markerPendingIndex is set once the pending-work index covers every
// entry; a store written before it gets it at its first entry write.
var markerPendingIndex = []byte("pending_work_v1")

// saveEntry stores e and keeps the pending-work index in step.
func saveEntry(tx store.Tx, e WorkEntry) error {
	if err := ensurePendingIndex(tx); err != nil {
		return err
	}
	if err := store.PutJSON(tx, bucketEntries, store.Key(e.AreaID, e.ID), e); err != nil {
		return err
	}
	k := store.Key(e.AreaID, e.ID)
	if e.Status == EntryPending {
		return tx.Put(bucketPendingWork, k, nil)
	}
	return tx.Delete(bucketPendingWork, k)
}

// ensurePendingIndex builds the pending-work index from every stored entry
// when the store has none yet.
func ensurePendingIndex(tx store.Tx) error {
	return ensureIndex(tx, markerPendingIndex, bucketPendingWork, func() ([][]byte, error) {
		var keys [][]byte
		err := store.ScanJSON(tx, bucketEntries, nil, func(_ []byte, e WorkEntry) error {
			if e.Status == EntryPending {
				keys = append(keys, store.Key(e.AreaID, e.ID))
			}
			return nil
		})
		return keys, err
	})
}

// pendingEntries lists area's pending entries that keep accepts (all when
// nil), oldest first; without the index, by scanning every entry.
func pendingEntries(tx store.Tx, area uint64, keep func(WorkEntry) bool) ([]WorkEntry, error) {
	var out []WorkEntry
	add := func(e WorkEntry) {
		if e.Status == EntryPending && (keep == nil || keep(e)) {
			out = append(out, e)
		}
	}
	ok, err := hasIndex(tx, markerPendingIndex)
	if err != nil {
		return nil, err
	}
	if !ok {
		err := store.ScanJSON(tx, bucketEntries, store.ID(area), func(_ []byte, e WorkEntry) error { add(e); return nil })
		return out, err
	}
	var ids []uint64
	if err := tx.Scan(bucketPendingWork, store.ID(area), func(k, _ []byte) error {
		id, err := store.ParseID(k, 8)
		ids = append(ids, id)
		return err
	}); err != nil {
		return nil, err
	}
	for _, id := range ids {
		e, err := getEntry(tx, area, id)
		if err != nil {
			return nil, fmt.Errorf("pending-work index: entry %d: %w", id, err)
		}
		add(e)
	}
	return out, nil
}

// checkPendingIndex verifies the pending-work index against the entries.
func checkPendingIndex(tx store.Tx, pending map[[2]uint64]bool, bad func(string, ...any)) error {
	if ok, err := hasIndex(tx, markerPendingIndex); err != nil || !ok {
		return err
	}
	seen := map[[2]uint64]bool{}
	if err := tx.Scan(bucketPendingWork, nil, func(k, _ []byte) error {
		area, _ := store.ParseID(k, 0)
		id, err := store.ParseID(k, 8)
		if err != nil {
			return err
		}
		if !pending[[2]uint64{area, id}] {
			bad("pending-work index names entry %d/%d, which is not pending", area, id)
		}
		seen[[2]uint64{area, id}] = true
		return nil
	}); err != nil {
		return err
	}
	for k := range pending {
		if !seen[k] {
			bad("pending entry %d/%d is not in the pending-work index", k[0], k[1])
		}
	}
	return nil
}
