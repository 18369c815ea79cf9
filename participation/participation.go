package participation

import (
	"errors"
	"fmt"
	"time"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// Type is the kind of activity a record describes.
type Type string

// The activity types the programme records.
const (
	TaskWork          Type = "lommepenge_task"
	GuidanceSession   Type = "guidance_session"
	CVWorkshop        Type = "cv_workshop"
	InterviewTraining Type = "interview_training"
	Placement         Type = "placement"
	RetentionFollowUp Type = "retention_followup"
	RewardOuting      Type = "reward_outing"
)

var types = map[Type]bool{TaskWork: true, GuidanceSession: true, CVWorkshop: true,
	InterviewTraining: true, Placement: true, RetentionFollowUp: true, RewardOuting: true}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return types[t] }

// Record is one activity of one youth. YouthID is the internal ID; exports
// pseudonymise it. Source names what wrote the record ("approval:42") so a
// record can be traced and is written once per source.
type Record struct {
	ID      uint64            `json:"id"`
	AreaID  uint64            `json:"area"`
	YouthID uint64            `json:"youth"`
	Date    string            `json:"date"` // YYYY-MM-DD, Copenhagen
	Type    Type              `json:"type"`
	Minutes int               `json:"minutes,omitempty"`
	Attrs   map[string]string `json:"attrs,omitempty"`
	Source  string            `json:"source"`
	At      time.Time         `json:"at"`
}

const (
	bucketRecords = "participation"         // Key(area, id) -> Record
	bucketSources = "participation_sources" // Key(area, source) -> ID(record)
	bucketYouth   = "participation_youth"   // Key(area, youth, id) -> empty: a youth's records
)

// ErrInvalid means a record is missing something the evaluation needs.
// Records come from other domain packages, never straight from a form, so
// it is a bug (kind Internal), not the user's doing.
var ErrInvalid = fault.New(fault.Internal, "participation.invalid")

// Append writes r inside tx. A second record from the same source in the
// same area is not written; the first is returned with dup=true, so a
// retried operation cannot count the same activity twice.
func Append(tx store.Tx, r Record) (rec Record, dup bool, err error) {
	if err := validate(r); err != nil {
		return Record{}, false, err
	}
	srcKey := store.Key(r.AreaID, r.Source)
	if v, err := tx.Get(bucketSources, srcKey); err != nil {
		return Record{}, false, err
	} else if v != nil {
		id, err := store.ParseID(v, 0)
		if err != nil {
			return Record{}, false, err
		}
		old, ok, err := store.GetJSON[Record](tx, bucketRecords, store.Key(r.AreaID, id))
		if err != nil || !ok {
			return Record{}, false, fmt.Errorf("participation source %q: record %d missing: %w", r.Source, id, err)
		}
		return old, true, nil
	}
	id, err := tx.NextID(bucketRecords)
	if err != nil {
		return Record{}, false, err
	}
	r.ID = id
	if err := store.PutJSON(tx, bucketRecords, store.Key(r.AreaID, id), r); err != nil {
		return Record{}, false, err
	}
	if err := tx.Put(bucketSources, srcKey, store.ID(id)); err != nil {
		return Record{}, false, err
	}
	if err := tx.Put(bucketYouth, store.Key(r.AreaID, r.YouthID, id), nil); err != nil {
		return Record{}, false, err
	}
	return r, false, nil
}

func validate(r Record) error {
	switch {
	case r.AreaID == 0 || r.YouthID == 0:
		return fmt.Errorf("%w: area and youth required", ErrInvalid)
	case !r.Type.Valid():
		return fmt.Errorf("%w: type %q", ErrInvalid, r.Type)
	case r.Source == "":
		return fmt.Errorf("%w: source required", ErrInvalid)
	case r.Minutes < 0 || r.Minutes > 24*60:
		return fmt.Errorf("%w: minutes %d", ErrInvalid, r.Minutes)
	}
	if _, err := time.Parse(time.DateOnly, r.Date); err != nil {
		return fmt.Errorf("%w: date %q", ErrInvalid, r.Date)
	}
	return nil
}

// BySource finds the record a source wrote in area.
func BySource(tx store.Tx, area uint64, source string) (Record, bool, error) {
	v, err := tx.Get(bucketSources, store.Key(area, source))
	if err != nil || v == nil {
		return Record{}, false, err
	}
	id, err := store.ParseID(v, 0)
	if err != nil {
		return Record{}, false, err
	}
	return store.GetJSON[Record](tx, bucketRecords, store.Key(area, id))
}

// List returns an area's records that count (not withdrawn) in the order
// they were written, calling fn for each (return store.ErrStop to end
// early).
func List(tx store.Tx, area uint64, fn func(Record) error) error {
	gone, err := withdrawals(tx, store.ID(area))
	if err != nil {
		return err
	}
	return store.ScanJSON(tx, bucketRecords, store.ID(area), func(_ []byte, r Record) error {
		if _, ok := gone[r.ID]; ok {
			return nil
		}
		return fn(r)
	})
}

// ForYouth calls fn with each of youth's records in area that counts (not
// withdrawn), in the order they were written, through the youth's index.
func ForYouth(tx store.Tx, area, youth uint64, fn func(Record) error) error {
	return forYouth(tx, area, youth, func(r Record, w *Withdrawal) error {
		if w != nil {
			return nil
		}
		return fn(r)
	})
}

// forYouth calls fn with each of youth's records in area, withdrawn ones
// with their withdrawal.
func forYouth(tx store.Tx, area, youth uint64, fn func(Record, *Withdrawal) error) error {
	gone, err := withdrawals(tx, store.Key(area, youth))
	if err != nil {
		return err
	}
	return tx.Scan(bucketYouth, store.Key(area, youth), func(k, _ []byte) error {
		r, err := indexed(tx, area, k, 16, "youth index")
		if err != nil {
			return err
		}
		if w, ok := gone[r.ID]; ok {
			return fn(r, &w)
		}
		return fn(r, nil)
	})
}

// Check verifies that every record is valid and indexed by its source, and
// every source entry points at its record.
func Check(tx store.Tx) error {
	errs, n, err := checkRecords(tx)
	if err != nil {
		return err
	}
	m := 0
	if err := tx.Scan(bucketSources, nil, func(_, _ []byte) error { m++; return nil }); err != nil {
		return err
	}
	if m != n {
		errs = append(errs, fmt.Errorf("%d source entries for %d records", m, n))
	}
	withdrawn, err := checkWithdrawals(tx)
	if err != nil {
		return err
	}
	return errors.Join(append(errs, withdrawn...)...)
}

// checkRecords checks that every record is valid and indexed by its
// source and for its youth, and counts the records.
func checkRecords(tx store.Tx) ([]error, int, error) {
	var errs []error
	n := 0
	err := store.ScanJSON(tx, bucketRecords, nil, func(k []byte, r Record) error {
		n++
		if err := validate(r); err != nil {
			errs = append(errs, fmt.Errorf("record %d: %w", r.ID, err))
		}
		v, err := tx.Get(bucketSources, store.Key(r.AreaID, r.Source))
		if err != nil {
			return err
		}
		if id, _ := store.ParseID(v, 0); v == nil || id != r.ID {
			errs = append(errs, fmt.Errorf("record %d: source %q not indexed to it", r.ID, r.Source))
		}
		if v, err := tx.Get(bucketYouth, store.Key(r.AreaID, r.YouthID, r.ID)); err != nil {
			return err
		} else if v == nil {
			errs = append(errs, fmt.Errorf("record %d: not indexed for youth %d", r.ID, r.YouthID))
		}
		return nil
	})
	return errs, n, err
}

// checkWithdrawals checks that every withdrawal names a record of its
// youth.
func checkWithdrawals(tx store.Tx) ([]error, error) {
	var errs []error
	err := store.ScanJSON(tx, bucketWithdrawn, nil, func(k []byte, w Withdrawal) error {
		area, err1 := store.ParseID(k, 0)
		youth, err2 := store.ParseID(k, 8)
		id, err3 := store.ParseID(k, 16)
		if err := errors.Join(err1, err2, err3); err != nil {
			return err
		}
		r, ok, err := store.GetJSON[Record](tx, bucketRecords, store.Key(area, id))
		if err != nil {
			return err
		}
		if !ok || r.YouthID != youth || w.RecordID != id {
			errs = append(errs, fmt.Errorf("withdrawal of record %d (area %d, youth %d) names no such record", id, area, youth))
		}
		return nil
	})
	return errs, err
}

// Records lists all of youth's records in area, withdrawn ones too (with
// their withdrawal), for the youth's own copy of their data.
func Records(db store.DB, area, youth uint64) ([]Listed, error) {
	var out []Listed
	err := db.View(func(tx store.Tx) error {
		return forYouth(tx, area, youth, func(r Record, w *Withdrawal) error {
			out = append(out, Listed{Record: r, Withdrawn: w})
			return nil
		})
	})
	return out, err
}

// indexed reads the record of area whose ID an index entry holds at off
// of b; index names the index for the error when the record is missing.
func indexed(tx store.Tx, area uint64, b []byte, off int, index string) (Record, error) {
	id, err := store.ParseID(b, off)
	if err != nil {
		return Record{}, err
	}
	r, ok, err := store.GetJSON[Record](tx, bucketRecords, store.Key(area, id))
	if err == nil && !ok {
		err = fmt.Errorf("participation %s names missing record %d", index, id)
	}
	return r, err
}
