package employers

import (
	"fmt"
	"slices"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// AddNote stores a case note on youth in area, with an optional date to
// follow up on.
// Refuses with ErrNotFound and invalid input.
func (s *Service) AddNote(area, youth, by uint64, txt string, followUp *people.Date) (Note, error) {
	txt, err := text("text", txt, 4000, true)
	if err != nil {
		return Note{}, err
	}
	if followUp != nil && followUp.IsZero() {
		followUp = nil
	}
	n := Note{AreaID: area, YouthID: youth, Text: txt, FollowUp: followUp, By: by, At: s.now().UTC()}
	err = s.db.Update(func(tx store.Tx) error {
		if err := s.liveYouth(tx, area, youth); err != nil {
			return err
		}
		id, err := tx.NextID(bucketNotes)
		if err != nil {
			return err
		}
		n.ID = id
		stored := n
		if stored.Sealed, err = s.sealText(tx, youth, n.Text); err != nil {
			return err
		}
		stored.Text = ""
		return store.PutJSON(tx, bucketNotes, store.Key(area, id), stored)
	})
	if err != nil {
		return Note{}, fmt.Errorf("add note: %w", err)
	}
	return n, nil
}

// CompleteFollowUp marks note id's follow-up as handled.
// Refuses with ErrNotFound.
func (s *Service) CompleteFollowUp(area, id uint64) error {
	return s.db.Update(func(tx store.Tx) error {
		n, ok, err := store.GetJSON[Note](tx, bucketNotes, store.Key(area, id))
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		n.Done = true
		return store.PutJSON(tx, bucketNotes, store.Key(area, id), n)
	})
}

// Notes lists youth's case notes in area, oldest first.
func (s *Service) Notes(area, youth uint64) ([]Note, error) {
	var out []Note
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketNotes, store.ID(area), func(_ []byte, n Note) error {
			if n.YouthID == youth {
				if err := s.openNote(tx, &n); err != nil {
					return err
				}
				out = append(out, n)
			}
			return nil
		})
	})
	return out, err
}

// DueFollowUps lists area's notes whose follow-up date is on or before on
// and not yet handled, earliest follow-up first.
func (s *Service) DueFollowUps(area uint64, on people.Date) ([]Note, error) {
	var out []Note
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketNotes, store.ID(area), func(_ []byte, n Note) error {
			if n.FollowUp != nil && !n.Done && !on.Before(*n.FollowUp) {
				if err := s.openNote(tx, &n); err != nil {
					return err
				}
				out = append(out, n)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Note) int {
		switch {
		case a.FollowUp.Before(*b.FollowUp):
			return -1
		case b.FollowUp.Before(*a.FollowUp):
			return 1
		}
		return 0
	})
	return out, err
}

// Inactive lists the youths of area in the pipeline (not ended) whose
// last pipeline step, activity or case note is more than days days
// before on, in youth ID order. Steps and notes count on the Copenhagen
// date they were recorded, activities on their own date.
func (s *Service) Inactive(area uint64, on people.Date, days int) ([]uint64, error) {
	cut := people.DateOf(time.Date(on.Year, on.Month, on.Day, 12, 0, 0, 0, people.Copenhagen).AddDate(0, 0, -days))
	last := map[uint64]people.Date{}
	touch := func(youth uint64, d people.Date) {
		if l, ok := last[youth]; ok && !l.Before(d) {
			return
		}
		last[youth] = d
	}
	var active []uint64
	err := s.db.View(func(tx store.Tx) error {
		err := store.ScanJSON(tx, bucketPipelines, store.ID(area), func(_ []byte, p Pipeline) error {
			if p.Stage == StageEnded {
				return nil
			}
			active = append(active, p.YouthID)
			for _, st := range p.Steps {
				touch(p.YouthID, people.DateOf(st.At.In(people.Copenhagen)))
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = store.ScanJSON(tx, bucketActivities, store.ID(area), func(_ []byte, a Activity) error {
			touch(a.YouthID, a.Date)
			return nil
		})
		if err != nil {
			return err
		}
		return store.ScanJSON(tx, bucketNotes, store.ID(area), func(_ []byte, n Note) error {
			touch(n.YouthID, people.DateOf(n.At.In(people.Copenhagen)))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	var out []uint64
	for _, y := range active {
		if last[y].Before(cut) {
			out = append(out, y)
		}
	}
	return out, nil
}

// noteExpired reports whether note n is past retention at cut: written
// before cut and with no follow-up still pending on or after cut's date.
func noteExpired(n Note, cut time.Time) bool {
	if !n.At.Before(cut) {
		return false
	}
	if n.FollowUp != nil && !n.Done && !n.FollowUp.Before(people.DateOf(cut.In(people.Copenhagen))) {
		return false
	}
	return true
}

// NotesOlderThan counts the case notes, in every area, that PruneNotes
// would delete at cut (the admin's dry run).
func (s *Service) NotesOlderThan(cut time.Time) (int, error) {
	n := 0
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketNotes, nil, func(_ []byte, note Note) error {
			if noteExpired(note, cut) {
				n++
			}
			return nil
		})
	})
	return n, err
}

// PruneNotes deletes, in every area, the case notes written before cut
// (retention of case notes), except those whose follow-up is still
// pending; it returns how many it deleted.
func (s *Service) PruneNotes(cut time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx store.Tx) error {
		n = 0
		var keys [][]byte
		err := store.ScanJSON(tx, bucketNotes, nil, func(k []byte, note Note) error {
			if noteExpired(note, cut) {
				keys = append(keys, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(bucketNotes, k); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune case notes: %w", err)
	}
	return n, nil
}
