package jobs

import (
	"fritidsjob/store"
)

// Participant is a youth on a task: their claim and the work recorded.
type Participant struct {
	Claim   Claim       // ClaimCancelled when only the recorded work keeps the youth on the task
	Entries []WorkEntry // the youth's work on the task, in the order it was recorded
}

// Participants lists the youths on a task in claiming order: those with a
// place or a waitlist spot, and those whose claim ended (taken by a
// coordinator, or the task cancelled) after work was recorded on it, since
// that work is still to be confirmed, approved or shown. A youth who
// cancelled before working is not on it. These are the youths whose data a
// task page shows to the task's owner.
//
// Every entry is made on an active claim (CheckIn, RecordHours) and claims
// are never deleted, so the claims name everyone who worked on the task;
// each youth's entries are read through the youth's index.
func (s *Service) Participants(area, task uint64) ([]Participant, error) {
	var out []Participant
	err := s.db.View(func(tx store.Tx) error {
		out = out[:0]
		claims, err := taskClaims(tx, area, task)
		if err != nil {
			return err
		}
		for _, c := range claims {
			all, err := youthEntries(tx, area, c.YouthID)
			if err != nil {
				return err
			}
			p := Participant{Claim: c}
			for _, e := range all {
				if e.TaskID == task {
					p.Entries = append(p.Entries, e)
				}
			}
			if c.Status != ClaimCancelled || len(p.Entries) > 0 {
				out = append(out, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
