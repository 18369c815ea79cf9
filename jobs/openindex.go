package jobs

import (
	"fmt"

	"fritidsjob/store"
)

// The open-task index lets Offers read only the open tasks of an area,
// by start, instead of decoding every task the area ever had.
const (
	bucketOpenTasks = "open_tasks" // Key(area, start Unix seconds, task) -> empty, for open tasks
	bucketJobsMeta  = "jobs_meta"  // markers of this package's stored layout
)

// markerOpenIndex is set once the open-task index covers every task. A
// store written before the index existed lacks it: then the first task
// write builds the index, and until then Offers reads all tasks.
var markerOpenIndex = []byte("open_tasks_v1")

func openKey(t Task) []byte {
	start := t.Start.Unix()
	if start < 0 {
		start = 0
	}
	return store.Key(t.AreaID, uint64(start), t.ID)
}

// putTask stores t, whose stored version was old (nil for a new task),
// and keeps the open-task index in step, building it first if the store
// has none yet.
func putTask(tx store.Tx, old *Task, t Task) error {
	if err := ensureOpenIndex(tx); err != nil {
		return err
	}
	if err := putStart(tx, old, t); err != nil {
		return err
	}
	if err := store.PutJSON(tx, bucketTasks, store.Key(t.AreaID, t.ID), t); err != nil {
		return err
	}
	wasOpen := old != nil && old.Status == StatusOpen
	isOpen := t.Status == StatusOpen
	moved := old != nil && !old.Start.Equal(t.Start)
	if wasOpen && (!isOpen || moved) {
		if err := tx.Delete(bucketOpenTasks, openKey(*old)); err != nil {
			return err
		}
	}
	if isOpen && (!wasOpen || moved) {
		return tx.Put(bucketOpenTasks, openKey(t), nil)
	}
	return nil
}

// hasIndex reports whether the index marked by marker covers every record.
func hasIndex(tx store.Tx, marker []byte) (bool, error) {
	v, err := tx.Get(bucketJobsMeta, marker)
	return v != nil, err
}

// ensureIndex fills bucket with the keys that keys reads from the records
// when the store has no index marked by marker yet, then sets the marker.
// It is idempotent, as a retried transaction needs.
func ensureIndex(tx store.Tx, marker []byte, bucket string, keys func() ([][]byte, error)) error {
	if ok, err := hasIndex(tx, marker); err != nil || ok {
		return err
	}
	ks, err := keys()
	if err != nil {
		return fmt.Errorf("build the %s index: %w", bucket, err)
	}
	for _, k := range ks {
		if err := tx.Put(bucket, k, nil); err != nil {
			return err
		}
	}
	return tx.Put(bucketJobsMeta, marker, []byte{1})
}

// ensureOpenIndex builds the open-task index from every stored task when
// the store has none yet.
func ensureOpenIndex(tx store.Tx) error {
	return ensureIndex(tx, markerOpenIndex, bucketOpenTasks, func() ([][]byte, error) {
		var keys [][]byte
		err := store.ScanJSON(tx, bucketTasks, nil, func(_ []byte, t Task) error {
			if t.Status == StatusOpen {
				keys = append(keys, openKey(t))
			}
			return nil
		})
		return keys, err
	})
}

// openTasks calls fn for every open task of area whose start is not before
// from (to the second), by start; without the index, for every task.
func openTasks(tx store.Tx, area uint64, from int64, fn func(Task) error) error {
	ok, err := hasIndex(tx, markerOpenIndex)
	if err != nil {
		return err
	}
	if !ok {
		return store.ScanJSON(tx, bucketTasks, store.ID(area), func(_ []byte, t Task) error { return fn(t) })
	}
	var ids []uint64
	if err := tx.Scan(bucketOpenTasks, store.ID(area), func(k, _ []byte) error {
		start, err := store.ParseID(k, 8)
		if err != nil {
			return err
		}
		if int64(start) < from {
			return nil
		}
		id, err := store.ParseID(k, 16)
		ids = append(ids, id)
		return err
	}); err != nil {
		return err
	}
	for _, id := range ids {
		t, err := getTask(tx, area, id)
		if err != nil {
			return fmt.Errorf("open-task index: task %d: %w", id, err)
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}

// checkOpenIndex verifies the open-task index against tasks: every open
// task is indexed at its start and every entry is an open task.
func checkOpenIndex(tx store.Tx, tasks map[[2]uint64]Task, bad func(string, ...any)) error {
	if ok, err := hasIndex(tx, markerOpenIndex); err != nil || !ok {
		return err
	}
	seen := map[[2]uint64]bool{}
	if err := tx.Scan(bucketOpenTasks, nil, func(k, _ []byte) error {
		area, _ := store.ParseID(k, 0)
		id, err := store.ParseID(k, 16)
		if err != nil {
			return err
		}
		t, ok := tasks[[2]uint64{area, id}]
		switch {
		case !ok:
			bad("open-task index names missing task %d/%d", area, id)
		case t.Status != StatusOpen:
			bad("open-task index names task %d/%d, which is %s", area, id, t.Status)
		case string(openKey(t)) != string(k):
			bad("open-task index has task %d/%d at the wrong start", area, id)
		}
		seen[[2]uint64{area, id}] = true
		return nil
	}); err != nil {
		return err
	}
	for k, t := range tasks {
		if t.Status == StatusOpen && !seen[k] {
			bad("open task %d/%d is not in the open-task index", k[0], k[1])
		}
	}
	return nil
}
