package jobs

import (
	"errors"
	"fmt"
	"strconv"

	"fritidsjob/participation"
	"fritidsjob/points"
	"fritidsjob/store"
)

// Check verifies this package's invariants inside tx: the open-task and
// pending-work indexes match the tasks and entries; no task has more claims than slots and its count
// matches its claims; every claim is
// indexed for its youth; every approved entry was paid exactly its amount
// by its own ledger transfer and has its participation record.
func Check(tx store.Tx) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	tasks := map[[2]uint64]Task{}
	if err := store.ScanJSON(tx, bucketTasks, nil, func(_ []byte, t Task) error {
		tasks[[2]uint64{t.AreaID, t.ID}] = t
		return nil
	}); err != nil {
		return err
	}
	if err := checkOpenIndex(tx, tasks, bad); err != nil {
		return err
	}
	if err := checkStartIndex(tx, tasks, bad); err != nil {
		return err
	}
	if err := checkClaims(tx, tasks, bad); err != nil {
		return err
	}
	indexed, err := youthWorkIndex(tx)
	if err != nil {
		return err
	}
	entries, pending, err := checkEntries(tx, tasks, indexed, bad)
	if err != nil {
		return err
	}
	if entries != len(indexed) {
		bad("%d youth work index entries for %d work entries", len(indexed), entries)
	}
	if err := checkPendingIndex(tx, pending, bad); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// checkClaims checks that every claim names a task and is indexed for its
// youth, and that each task counts its active claims within its slots.
func checkClaims(tx store.Tx, tasks map[[2]uint64]Task, bad func(string, ...any)) error {
	active := map[[2]uint64]int{}
	if err := store.ScanJSON(tx, bucketClaims, nil, func(_ []byte, c Claim) error {
		if _, ok := tasks[[2]uint64{c.AreaID, c.TaskID}]; !ok {
			bad("claim on missing task %d/%d", c.AreaID, c.TaskID)
		}
		if c.Status == ClaimActive {
			active[[2]uint64{c.AreaID, c.TaskID}]++
		}
		if v, err := tx.Get(bucketYouthTask, store.Key(c.AreaID, c.YouthID, c.TaskID)); err != nil {
			return err
		} else if v == nil {
			bad("claim %d/%d/%d not indexed for the youth", c.AreaID, c.TaskID, c.YouthID)
		}
		return nil
	}); err != nil {
		return err
	}
	for k, t := range tasks {
		if t.Claimed != active[k] {
			bad("task %d/%d counts %d claims, has %d", t.AreaID, t.ID, t.Claimed, active[k])
		}
		if t.Claimed > t.Slots {
			bad("task %d/%d overbooked: %d claims for %d slots", t.AreaID, t.ID, t.Claimed, t.Slots)
		}
	}
	return nil
}

// youthWorkIndex reads the youth work index as a set of (area, youth,
// entry).
func youthWorkIndex(tx store.Tx) (map[[3]uint64]bool, error) {
	indexed := map[[3]uint64]bool{}
	err := tx.Scan(bucketYouthWork, nil, func(k, _ []byte) error {
		a, _ := store.ParseID(k, 0)
		y, _ := store.ParseID(k, 8)
		id, err := store.ParseID(k, 16)
		indexed[[3]uint64{a, y, id}] = true
		return err
	})
	return indexed, err
}

// checkEntries checks every work entry against its index and task, and
// an approved one against its payment; it returns how many entries there
// are and which are pending.
func checkEntries(tx store.Tx, tasks map[[2]uint64]Task, indexed map[[3]uint64]bool, bad func(string, ...any)) (int, map[[2]uint64]bool, error) {
	entries := 0
	pending := map[[2]uint64]bool{}
	err := store.ScanJSON(tx, bucketEntries, nil, func(_ []byte, e WorkEntry) error {
		entries++
		if e.Status == EntryPending {
			pending[[2]uint64{e.AreaID, e.ID}] = true
		}
		if !indexed[[3]uint64{e.AreaID, e.YouthID, e.ID}] {
			bad("work entry %d not indexed for youth %d", e.ID, e.YouthID)
		}
		t, ok := tasks[[2]uint64{e.AreaID, e.TaskID}]
		if !ok {
			bad("work entry %d on missing task %d", e.ID, e.TaskID)
			return nil
		}
		if e.Status != EntryApproved {
			return nil
		}
		return checkApproved(tx, t, e, bad)
	})
	return entries, pending, err
}

// checkApproved checks an approved entry's payment: a correction of an
// approved statement pays only the difference (checkCorrection); any
// other entry is paid its amount once and has its participation record.
func checkApproved(tx store.Tx, t Task, e WorkEntry, bad func(string, ...any)) error {
	tr, found, err := points.TransferByKey(tx, e.AreaID, ApprovalKey(e.ID))
	if err != nil {
		return err
	}
	cur, amount := pay(t.terms(), e)
	if e.Corrects != 0 {
		old, err := getEntry(tx, e.AreaID, e.Corrects)
		if err != nil {
			bad("correction %d names missing entry %d", e.ID, e.Corrects)
			return nil
		}
		if old.Status == EntryApproved {
			return checkCorrection(tx, t, e, old, paidTransfer{tr, found}, bad)
		}
	}
	if !found || tr.ID != e.TransferID || tr.Amount != amount || tr.Currency != cur ||
		tr.To != points.YouthAccount(e.YouthID) {
		bad("approved entry %d not paid exactly once with %d %s", e.ID, amount, cur)
	}
	if _, ok, err := participation.BySource(tx, e.AreaID, "work:"+strconv.FormatUint(e.ID, 10)); err != nil {
		return err
	} else if !ok {
		bad("approved entry %d has no participation record", e.ID)
	}
	return nil
}

// paidTransfer is the ledger transfer found under an approval key, if
// any.
type paidTransfer struct {
	tr    points.Transfer
	found bool
}

// pays reports whether the transfer exists and is transfer id of amount
// in kind.
func (p paidTransfer) pays(id uint64, amount int64, kind string) bool {
	return p.found && p.tr.ID == id && p.tr.Amount == amount && p.tr.Kind == kind
}

// reverses reports whether the transfer exists and takes back a wage of
// amount for minutes.
func (p paidTransfer) reverses(amount int64, minutes int) bool {
	return p.found && p.tr.Amount == amount && p.tr.Kind == points.KindTaskWage && p.tr.Minutes == minutes
}

// checkCorrection checks an approved correction of the approved entry
// old: it was paid only the difference to the statement before it, by an
// adjustment (none when equal); a wage correction reverses the wage paid
// before and pays the new one.
func checkCorrection(tx store.Tx, t Task, e, old WorkEntry, now paidTransfer, bad func(string, ...any)) error {
	cur, amount := pay(t.terms(), e)
	prev := old
	if err := store.ScanJSON(tx, bucketEntries, store.ID(e.AreaID), func(_ []byte, o WorkEntry) error {
		if o.Corrects == old.ID && o.Status == EntryApproved && o.ID < e.ID && o.ID > prev.ID {
			prev = o
		}
		return nil
	}); err != nil {
		return err
	}
	_, paid := pay(t.terms(), prev)
	delta := amount - paid
	revTr, revFound, err := points.TransferByKey(tx, e.AreaID, ApprovalKey(e.ID)+":reverse")
	if err != nil {
		return err
	}
	rev := paidTransfer{revTr, revFound}
	switch {
	case delta == 0 && (now.found || rev.found):
		bad("correction %d with no difference was paid", e.ID)
	case delta != 0 && cur == points.Ore && !(now.pays(e.TransferID, amount, points.KindTaskWage) && rev.reverses(paid, prev.Minutes)):
		bad("wage correction %d not paid as %d øre less the %d øre paid before", e.ID, amount, paid)
	case delta != 0 && cur != points.Ore && !now.pays(e.TransferID, max(delta, -delta), points.KindAdjust):
		bad("correction %d not adjusted by exactly %d %s", e.ID, delta, cur)
	}
	return nil
}
