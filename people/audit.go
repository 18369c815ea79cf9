package people

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"fritidsjob/store"
)

// Access-log buckets: one hash chain for the installation, and an index
// by the person the entry is about, so a youth can see their own.
const (
	bucketAccess        = "access_log"         // ID(seq) -> AccessEntry
	bucketAccessSubject = "access_log_subject" // Key(area, subject, seq) -> empty
	bucketAccessMeta    = "access_log_meta"    // "head" -> last hash; "anchor" -> hash before the oldest kept entry
	// Daily entries (LogAccessDaily): the day's entry of a key, and how
	// often that access happened that day. Both sit beside the chain, which
	// is append-only: a later open counts here instead of rewriting an entry.
	bucketAccessDaily = "access_log_daily" // "2006-01-02" (Copenhagen) + 0 + key -> ID(seq) of that day's entry
	bucketAccessOpens = "access_log_opens" // ID(seq) -> ID(count)
)

// Access-log actions (Datatilsynet's logging measure: reads, searches,
// changes, extracts and deletions).
const (
	AccessRead   = "read"
	AccessSearch = "search"
	AccessChange = "change"
	AccessExport = "export"
	AccessDelete = "delete"
)

// AccessEntry records that someone looked at, searched, changed, exported
// or deleted personal data. Each entry carries the hash of the one before
// it, so an altered or removed entry breaks the chain (Check finds it).
type AccessEntry struct {
	Seq       uint64    `json:"seq"`
	At        time.Time `json:"at"`
	ActorID   uint64    `json:"actor"`
	ActorRole string    `json:"role"` // the role the actor used: "coordinator", "admin", ...
	AreaID    uint64    `json:"area,omitempty"`
	Action    string    `json:"action"`
	What      string    `json:"what"`              // "youth_profile", "cv", "payroll", ...
	SubjectID uint64    `json:"subject,omitempty"` // the youth it is about; 0 for lists and searches
	Detail    string    `json:"detail,omitempty"`  // search criteria, export parameters
	Prev      string    `json:"prev"`
	Hash      string    `json:"hash"`
	// Opens is, for an entry written by LogAccessDaily, how many times the
	// access happened that day (1 or more). It is read from a counter kept
	// beside the chain, so it is never stored in the entry nor hashed.
	Opens int `json:"opens,omitempty"`
}

// entryHash is the SHA-256 of the entry with Hash empty (and without the
// counted Opens), in its JSON form.
func entryHash(e AccessEntry) string {
	e.Hash, e.Opens = "", 0
	b, _ := json.Marshal(e) // a struct of plain fields always marshals
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// RolePublic marks an entry made by someone without an account: an
// employer opening a CV's verification page.
const RolePublic = "public"

// RoleSystem marks an entry made by the installation itself (the
// retention job).
const RoleSystem = "system"

// RoleOperator marks an entry made at the server's command line
// ('fritidsjob user ...'): whoever may run the binary on the data.
const RoleOperator = "operator"

var validActions = []string{AccessRead, AccessSearch, AccessChange, AccessExport, AccessDelete}

// LogAccess appends e to the access log. Callers log before they show the
// data, and show nothing when logging fails. The entry is a quiet write
// (store.Quieter): the pages that show the log (a youth's access page and
// data export, the admin's log) are never kept, so staff looking up youths
// leave everyone's kept pages fresh.
func (s *Service) LogAccess(e AccessEntry) error {
	return s.LogAccessBatch([]AccessEntry{e})
}

// LogAccessBatch appends entries to the access log in one transaction, all
// or none: a page that shows many youths logs one entry per youth (each
// youth sees it) at the cost of one commit. Like LogAccess, a quiet write.
func (s *Service) LogAccessBatch(entries []AccessEntry) error {
	if len(entries) == 0 {
		return nil
	}
	entries = slices.Clone(entries)
	at := s.now().UTC()
	for i, e := range entries {
		if err := validEntry(e); err != nil {
			return err
		}
		entries[i].At = at
	}
	return s.quiet.Batch(func(tx store.Tx) error {
		head, err := tx.Get(bucketAccessMeta, []byte("head"))
		if err != nil {
			return err
		}
		prev := string(head)
		for _, e := range entries {
			entry, err := appendAccess(tx, e, prev)
			if err != nil {
				return err
			}
			prev = entry.Hash
		}
		return tx.Put(bucketAccessMeta, []byte("head"), []byte(prev))
	})
}

// LogAccessDaily logs e at most once per Copenhagen day for key: the first
// call of the day appends e as LogAccess does; later calls that day only
// count, in a small record beside the chain that AccessAbout and AccessLog
// show as the entry's Opens. An anonymous page anyone can open (a CV's
// verification page, key = the code) thus leaves one line a day on the
// youth's access page, "opened 7 times", instead of burying the staff's
// reads. Each call costs a few key lookups, never a scan, and is a quiet
// write.
func (s *Service) LogAccessDaily(e AccessEntry, key string) error {
	if key == "" {
		return errors.New("access log: daily entry without a key")
	}
	if err := validEntry(e); err != nil {
		return err
	}
	now := s.now()
	e.At = now.UTC()
	day := []byte(now.In(Copenhagen).Format(time.DateOnly) + "\x00" + key)
	return s.quiet.Batch(func(tx store.Tx) error {
		seq, err := tx.Get(bucketAccessDaily, day)
		if err != nil {
			return err
		}
		if seq != nil {
			n, err := tx.Get(bucketAccessOpens, seq)
			if err != nil {
				return err
			}
			if n != nil { // else the entry was pruned: start a new one
				count, err := store.ParseID(n, 0)
				if err != nil {
					return fmt.Errorf("access log: opens of %x: %w", seq, err)
				}
				return tx.Put(bucketAccessOpens, seq, store.ID(count+1))
			}
		}
		head, err := tx.Get(bucketAccessMeta, []byte("head"))
		if err != nil {
			return err
		}
		entry, err := appendAccess(tx, e, string(head))
		if err != nil {
			return err
		}
		if err := tx.Put(bucketAccessMeta, []byte("head"), []byte(entry.Hash)); err != nil {
			return err
		}
		if err := tx.Put(bucketAccessDaily, day, store.ID(entry.Seq)); err != nil {
			return err
		}
		return tx.Put(bucketAccessOpens, store.ID(entry.Seq), store.ID(1))
	})
}

// validEntry refuses an entry without a known action, a what, or an actor
// that matches its role.
func validEntry(e AccessEntry) error {
	if !slices.Contains(validActions, e.Action) || e.What == "" || (e.ActorID == 0) != (e.ActorRole == RolePublic || e.ActorRole == RoleSystem || e.ActorRole == RoleOperator) {
		return fmt.Errorf("access log: incomplete entry %+v", e)
	}
	return nil
}

// appendAccess stores e inside tx as the entry after the one whose hash is
// prev, with its subject index, and returns it as stored. The caller
// moves the chain's head to the returned entry's hash.
func appendAccess(tx store.Tx, e AccessEntry, prev string) (AccessEntry, error) {
	seq, err := tx.NextID(bucketAccess)
	if err != nil {
		return e, err
	}
	entry := e
	entry.Seq, entry.Prev, entry.Opens = seq, prev, 0
	entry.Hash = entryHash(entry)
	if err := store.PutJSON(tx, bucketAccess, store.ID(seq), entry); err != nil {
		return e, err
	}
	if entry.SubjectID != 0 {
		if err := tx.Put(bucketAccessSubject, store.Key(entry.AreaID, entry.SubjectID, seq), nil); err != nil {
			return e, err
		}
	}
	return entry, nil
}

// withOpens fills e.Opens from its daily counter, if it has one.
func withOpens(tx store.Tx, e *AccessEntry) error {
	n, err := tx.Get(bucketAccessOpens, store.ID(e.Seq))
	if err != nil || n == nil {
		return err
	}
	count, err := store.ParseID(n, 0)
	if err != nil {
		return fmt.Errorf("access log: opens of entry %d: %w", e.Seq, err)
	}
	e.Opens = int(count)
	return nil
}

// AccessAbout lists, newest first, who looked at or changed subject's data
// in area (by role), for the youth's own page.
func (s *Service) AccessAbout(area, subject uint64) ([]AccessEntry, error) {
	var out []AccessEntry
	err := s.db.View(func(tx store.Tx) error {
		return tx.Scan(bucketAccessSubject, store.Key(area, subject), func(k, _ []byte) error {
			seq, err := store.ParseID(k, 16)
			if err != nil {
				return err
			}
			e, ok, err := store.GetJSON[AccessEntry](tx, bucketAccess, store.ID(seq))
			if err != nil || !ok {
				return err // pruned entries leave no index behind
			}
			if err := withOpens(tx, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	slices.Reverse(out)
	return out, err
}

// AccessLog lists the newest entries of the whole log, for administrators.
func (s *Service) AccessLog(limit int) ([]AccessEntry, error) {
	var out []AccessEntry
	err := s.db.View(func(tx store.Tx) error {
		if err := store.ScanJSON(tx, bucketAccess, nil, func(_ []byte, e AccessEntry) error {
			out = append(out, e)
			return nil
		}); err != nil {
			return err
		}
		slices.Reverse(out)
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
		for i := range out {
			if err := withOpens(tx, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// PruneAccessLog deletes entries older than before (the retention period)
// with their daily counters, and keeps the hash of the last deleted one as
// the chain's new anchor.
func (s *Service) PruneAccessLog(before time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx store.Tx) error {
		n = 0
		var old []AccessEntry
		if err := store.ScanJSON(tx, bucketAccess, nil, func(_ []byte, e AccessEntry) error {
			if !e.At.Before(before) {
				return store.ErrStop
			}
			old = append(old, e)
			return nil
		}); err != nil {
			return err
		}
		for _, e := range old {
			if err := tx.Delete(bucketAccess, store.ID(e.Seq)); err != nil {
				return err
			}
			if e.SubjectID != 0 {
				if err := tx.Delete(bucketAccessSubject, store.Key(e.AreaID, e.SubjectID, e.Seq)); err != nil {
					return err
				}
			}
			if err := tx.Delete(bucketAccessOpens, store.ID(e.Seq)); err != nil {
				return err
			}
		}
		// Days before before's day are over: their daily keys can go.
		cut := before.In(Copenhagen).Format(time.DateOnly)
		var days [][]byte
		if err := tx.Scan(bucketAccessDaily, nil, func(k, _ []byte) error {
			if string(k[:min(len(k), len(cut))]) >= cut {
				return store.ErrStop
			}
			days = append(days, k)
			return nil
		}); err != nil {
			return err
		}
		for _, k := range days {
			if err := tx.Delete(bucketAccessDaily, k); err != nil {
				return err
			}
		}
		if len(old) > 0 {
			n = len(old)
			return tx.Put(bucketAccessMeta, []byte("anchor"), []byte(old[len(old)-1].Hash))
		}
		return nil
	})
	return n, err
}

// checkAccessChain verifies that every entry's hash matches its content
// and names the hash of the entry before it, from the anchor to the head,
// and that every daily counter belongs to an entry.
func checkAccessChain(tx store.Tx) error {
	anchor, err := tx.Get(bucketAccessMeta, []byte("anchor"))
	if err != nil {
		return err
	}
	head, err := tx.Get(bucketAccessMeta, []byte("head"))
	if err != nil {
		return err
	}
	prev := string(anchor)
	var errs []error
	err = store.ScanJSON(tx, bucketAccess, nil, func(_ []byte, e AccessEntry) error {
		if e.Prev != prev {
			errs = append(errs, fmt.Errorf("access log entry %d does not follow the one before it", e.Seq))
		}
		if entryHash(e) != e.Hash {
			errs = append(errs, fmt.Errorf("access log entry %d was altered", e.Seq))
		}
		prev = e.Hash
		return nil
	})
	if err != nil {
		return err
	}
	if prev != string(head) {
		errs = append(errs, errors.New("access log ends before its recorded head: entries were removed"))
	}
	// Every daily counter belongs to an entry still in the log.
	err = tx.Scan(bucketAccessOpens, nil, func(k, _ []byte) error {
		v, err := tx.Get(bucketAccess, k)
		if err != nil {
			return err
		}
		if v == nil {
			errs = append(errs, fmt.Errorf("access log counter %x has no entry", k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}

// AccessLogOlderThan counts the entries a prune at before would delete:
// the retention job's dry run.
func (s *Service) AccessLogOlderThan(before time.Time) (int, error) {
	n := 0
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketAccess, nil, func(_ []byte, e AccessEntry) error {
			if !e.At.Before(before) {
				return store.ErrStop
			}
			n++
			return nil
		})
	})
	return n, err
}
