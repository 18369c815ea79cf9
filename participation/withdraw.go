package participation

import (
	"fmt"
	"time"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// bucketWithdrawn holds withdrawals: Key(area, youth, record) -> Withdrawal.
const bucketWithdrawn = "participation_withdrawn"

// Withdrawal says that a record no longer counts, and why: a later import
// of the same history replaced it. The record itself stays as written;
// readers that count participation (ForYouth, List) skip it.
type Withdrawal struct {
	RecordID uint64    `json:"record"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
}

// ErrNotFound means a record to withdraw does not exist in the area. Only
// the importer withdraws, naming records it has just read, so it is a bug
// (kind Internal).
var ErrNotFound = fault.New(fault.Internal, "participation.not_found")

// ErrorCodes lists every error this package returns. Both are of kind
// Internal: participation records are written and withdrawn by the other
// domain packages, never straight from a form.
func ErrorCodes() []*fault.Error { return []*fault.Error{ErrInvalid, ErrNotFound} }

// Withdraw marks r (as read from the store) as no longer counting.
// Withdrawing a withdrawn record changes nothing.
func Withdraw(tx store.Tx, r Record, reason string, at time.Time) error {
	stored, ok, err := store.GetJSON[Record](tx, bucketRecords, store.Key(r.AreaID, r.ID))
	if err != nil {
		return err
	}
	if !ok || stored.YouthID != r.YouthID {
		return fmt.Errorf("withdraw record %d in area %d: %w", r.ID, r.AreaID, ErrNotFound)
	}
	key := store.Key(r.AreaID, r.YouthID, r.ID)
	if v, err := tx.Get(bucketWithdrawn, key); err != nil || v != nil {
		return err
	}
	return store.PutJSON(tx, bucketWithdrawn, key, Withdrawal{RecordID: r.ID, Reason: reason, At: at.UTC()})
}

// withdrawals returns the withdrawals under prefix (an area, or an area and
// a youth) by record ID.
func withdrawals(tx store.Tx, prefix []byte) (map[uint64]Withdrawal, error) {
	var out map[uint64]Withdrawal
	err := store.ScanJSON(tx, bucketWithdrawn, prefix, func(_ []byte, w Withdrawal) error {
		if out == nil {
			out = map[uint64]Withdrawal{}
		}
		out[w.RecordID] = w
		return nil
	})
	return out, err
}

// Listed is a record as a youth's own copy of their data shows it: with
// its withdrawal, if it was withdrawn.
type Listed struct {
	Record
	Withdrawn *Withdrawal `json:"withdrawn,omitempty"`
}

// BySourcePrefix calls fn with every record of area whose source starts
// with prefix, in source order, and whether it was withdrawn.
func BySourcePrefix(tx store.Tx, area uint64, prefix string, fn func(r Record, withdrawn bool) error) error {
	p := append(store.ID(area), prefix...)
	return tx.Scan(bucketSources, p, func(_, v []byte) error {
		r, err := indexed(tx, area, v, 0, "source")
		if err != nil {
			return err
		}
		w, err := tx.Get(bucketWithdrawn, store.Key(area, r.YouthID, r.ID))
		if err != nil {
			return err
		}
		return fn(r, w != nil)
	})
}
