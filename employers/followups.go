package employers

import (
	"errors"
	"fmt"

	"fritidsjob/people"
	"fritidsjob/store"
)

// FollowUpsTx lists, inside the caller's transaction, the case notes in
// every area whose follow-up date lies from from through to (a zero from
// means any earlier date) and is not yet handled, leaving out notes on
// erased youths. Text stays sealed: the callers (messages, counts) need
// only the dates and IDs. There is no index by date: it reads every case
// note once, and case notes are bounded by their retention (PruneNotes).
func (s *Service) FollowUpsTx(tx store.Tx, from, to people.Date) ([]Note, error) {
	var out []Note
	err := store.ScanJSON(tx, bucketNotes, nil, func(_ []byte, n Note) error {
		if n.FollowUp == nil || n.Done || to.Before(*n.FollowUp) || (!from.IsZero() && n.FollowUp.Before(from)) {
			return nil
		}
		n.Text, n.Sealed = "", nil
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("follow-ups %v to %v: %w", from, to, err)
	}
	kept := out[:0]
	for _, n := range out {
		if err := s.liveYouth(tx, n.AreaID, n.YouthID); errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		kept = append(kept, n)
	}
	return kept, nil
}
