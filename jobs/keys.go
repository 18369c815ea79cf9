package jobs

import (
	"fmt"
	"slices"

	"fritidsjob/store"
)

// Buckets owned by this package. Keys start with the area ID, so one area's
// data is one prefix and a URL naming another area finds nothing.
const (
	bucketTasks     = "tasks"       // Key(area, task) -> Task
	bucketClaims    = "claims"      // Key(area, task, youth) -> Claim
	bucketYouthTask = "youth_tasks" // Key(area, youth, task) -> empty: a youth's claims
	bucketEntries   = "work"        // Key(area, entry) -> WorkEntry
	bucketYouthWork = "youth_work"  // Key(area, youth, entry) -> empty: a youth's entries
	bucketCalendars = "calendars"   // ID(area) -> rules.AreaCalendar
	seqClaims       = "claim_seq"   // NextID only: the order of claims
)

// getTask reads task id of area; ErrNotFound when it is missing.
func getTask(tx store.Tx, area, id uint64) (Task, error) {
	return store.FindJSON[Task](tx, bucketTasks, store.Key(area, id), ErrNotFound)
}

// getTaskTerms reads only the taskTerms of task id of area, or ErrNotFound.
func getTaskTerms(tx store.Tx, area, id uint64) (taskTerms, error) {
	return store.FindJSON[taskTerms](tx, bucketTasks, store.Key(area, id), ErrNotFound)
}

// putClaim stores a claim and its key in the youth's index.
func putClaim(tx store.Tx, c Claim) error {
	if err := store.PutJSON(tx, bucketClaims, store.Key(c.AreaID, c.TaskID, c.YouthID), c); err != nil {
		return err
	}
	return tx.Put(bucketYouthTask, store.Key(c.AreaID, c.YouthID, c.TaskID), nil)
}

// getClaim reads youth's claim on task; ok is false when there is none.
func getClaim(tx store.Tx, area, task, youth uint64) (Claim, bool, error) {
	return store.GetJSON[Claim](tx, bucketClaims, store.Key(area, task, youth))
}

// taskClaims lists every claim on a task, in claiming order.
func taskClaims(tx store.Tx, area, task uint64) ([]Claim, error) {
	var out []Claim
	err := store.ScanJSON(tx, bucketClaims, store.Key(area, task), func(_ []byte, c Claim) error {
		out = append(out, c)
		return nil
	})
	slices.SortFunc(out, func(a, b Claim) int { return cmpU(a.Seq, b.Seq) })
	return out, err
}

// cmpU compares two IDs for sorting.
func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// youthTasks lists the tasks a youth has claimed (or is waitlisted on).
func youthTasks(tx store.Tx, area, youth uint64) ([]Task, []Claim, error) {
	var tasks []Task
	var claims []Claim
	err := tx.Scan(bucketYouthTask, store.Key(area, youth), func(k, _ []byte) error {
		id, err := store.ParseID(k, 16)
		if err != nil {
			return err
		}
		t, err := getTask(tx, area, id)
		if err != nil {
			return err
		}
		c, ok, err := getClaim(tx, area, id, youth)
		if err != nil {
			return fmt.Errorf("claim %d/%d/%d: %w", area, id, youth, err)
		}
		if !ok {
			return fmt.Errorf("claim %d/%d/%d: %w", area, id, youth, ErrNotFound)
		}
		tasks = append(tasks, t)
		claims = append(claims, c)
		return nil
	})
	return tasks, claims, err
}

// putEntry stores an entry and its key in the youth's index.
func putEntry(tx store.Tx, e WorkEntry) error {
	if err := saveEntry(tx, e); err != nil {
		return err
	}
	return tx.Put(bucketYouthWork, store.Key(e.AreaID, e.YouthID, e.ID), nil)
}

// youthEntries lists a youth's work entries in the order they were made,
// through the youth's index, so the cost does not grow with the area.
func youthEntries(tx store.Tx, area, youth uint64) ([]WorkEntry, error) {
	var out []WorkEntry
	err := tx.Scan(bucketYouthWork, store.Key(area, youth), func(k, _ []byte) error {
		id, err := store.ParseID(k, 16)
		if err != nil {
			return err
		}
		e, err := getEntry(tx, area, id)
		if err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// getEntry reads one work entry; ErrNotFound when it is missing.
func getEntry(tx store.Tx, area, id uint64) (WorkEntry, error) {
	return store.FindJSON[WorkEntry](tx, bucketEntries, store.Key(area, id), ErrNotFound)
}
