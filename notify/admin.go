package notify

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"fritidsjob/store"
)

// ChannelStats is how many messages one channel holds in each state, read
// from counters kept in the same transactions as the messages (no scan of
// the history), and how many copies were left out because the queue was
// full.
type ChannelStats struct {
	Channel              string
	Queued, Sent, Failed int
	// Dropped counts the copies on this channel not made because
	// MaxQueued messages waited; LastDropped is when the last one was.
	Dropped     int
	LastDropped time.Time
}

// Stats returns the counts of every channel that has held a message or
// dropped one, external channels first, each group by name.
func (s *Service) Stats() ([]ChannelStats, error) {
	var out []ChannelStats
	err := s.db.View(func(tx store.Tx) error {
		out = nil
		cs, err := counts(tx)
		if err != nil {
			return err
		}
		by := map[string]*ChannelStats{}
		get := func(ch string) *ChannelStats {
			if by[ch] == nil {
				by[ch] = &ChannelStats{Channel: ch}
			}
			return by[ch]
		}
		for ch, n := range cs {
			st := get(ch)
			st.Queued, st.Sent, st.Failed = n[StateQueued], n[StateSent], n[StateFailed]
		}
		if err := store.ScanJSON(tx, bucketDrops, nil, func(k []byte, d drops) error {
			st := get(string(k))
			st.Dropped, st.LastDropped = d.N, d.Last
			return nil
		}); err != nil {
			return err
		}
		for _, st := range by {
			out = append(out, *st)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox counts: %w", err)
	}
	slices.SortFunc(out, func(a, b ChannelStats) int {
		if ea, eb := isExternal(a.Channel), isExternal(b.Channel); ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Channel, b.Channel)
	})
	return out, nil
}

// Outbox returns up to limit (1–100) of the queued and failed messages,
// newest first, starting after the message with ID after (0: from the
// newest). Next is the cursor of the following page, 0 on the last. It
// reads the open index one state at a time from the cursor and merges,
// so a deep page costs what the first one does.
func (s *Service) Outbox(after uint64, limit int) (Page, error) {
	limit = min(max(limit, 1), 100)
	var p Page
	err := s.db.View(func(tx store.Tx) error {
		p = Page{}
		var ids []uint64
		for _, st := range []State{StateQueued, StateFailed} {
			var from []byte
			if after != 0 {
				from = openKey(st, after)
			}
			n := 0
			if err := tx.ScanAfter(bucketOpen, store.Key(string(st)), from, func(k, _ []byte) error {
				if n == limit+1 {
					return store.ErrStop
				}
				id, err := store.ParseID(k, len(st)+1)
				if err != nil {
					return err
				}
				ids = append(ids, ^id)
				n++
				return nil
			}); err != nil {
				return err
			}
		}
		slices.SortFunc(ids, func(a, b uint64) int { return cmp.Compare(b, a) })
		if len(ids) > limit {
			ids = ids[:limit]
			p.Next = ids[limit-1]
		}
		for _, id := range ids {
			m, err := store.FindJSON[Message](tx, bucketMsgs, msgKey(id), ErrNotFound)
			if err != nil {
				return err
			}
			p.Messages = append(p.Messages, m)
		}
		return nil
	})
	if err != nil {
		return Page{}, fmt.Errorf("outbox page after %d: %w", after, err)
	}
	return p, nil
}

// Retry puts message id back in the queue, due now: a queued message
// waiting for its next attempt is moved forward, a failed one becomes
// queued again with its attempts and last error kept and RetriedAt set
// to now, so the worker gives it a full GiveUp from now. A queued message
// whose lease has run out is released. Refuses with ErrNotFound, with
// ErrNotRetryable for a sent or inbox message, and with ErrBusy while a
// worker holds a live lease on it (it is being sent).
func (s *Service) Retry(id uint64) error {
	err := s.db.Update(func(tx store.Tx) error {
		return retry(tx, id, s.now().UTC())
	})
	if err != nil {
		return fmt.Errorf("retry message %d: %w", id, err)
	}
	return nil
}

func retry(tx store.Tx, id uint64, now time.Time) error {
	m, err := store.FindJSON[Message](tx, bucketMsgs, msgKey(id), ErrNotFound)
	if err != nil {
		return err
	}
	if !isOpen(m.State) || !isExternal(m.Channel) {
		return ErrNotRetryable
	}
	if m.LeaseOwner != "" && m.LeaseUntil.After(now) {
		return ErrBusy
	}
	before := m
	if m.State == StateFailed {
		m.State, m.RetriedAt = StateQueued, now
	}
	m.NextAttempt, m.LeaseOwner, m.LeaseUntil = now, "", time.Time{}
	if err := track(tx, &before, &m); err != nil {
		return err
	}
	// A failed message has no due entry: deleting its would-be key is a no-op.
	return reschedule(tx, dueKey(dueAt(before), m.ID), m, now)
}

// retryBatch bounds one transaction of RetryFailed.
const retryBatch = 500

// RetryFailed puts every failed message on channel back in the queue, as
// Retry does, and returns how many.
func (s *Service) RetryFailed(channel string) (int, error) {
	total := 0
	var cursor []byte
	for {
		n, next, err := s.retrySome(channel, cursor)
		total += n
		if err != nil {
			return total, fmt.Errorf("retry failed %s messages: %w", channel, err)
		}
		if next == nil {
			return total, nil
		}
		cursor = next
	}
}

// retrySome retries up to retryBatch failed messages on channel after the
// open-index key cursor and returns the key to go on from (nil: done).
func (s *Service) retrySome(channel string, cursor []byte) (n int, next []byte, err error) {
	err = s.db.Update(func(tx store.Tx) error {
		n, next = 0, nil
		var ids []uint64
		var last []byte
		if err := tx.ScanAfter(bucketOpen, store.Key(string(StateFailed)), cursor, func(k, v []byte) error {
			if len(ids) == retryBatch {
				next = last
				return store.ErrStop
			}
			last = k
			if string(v) != channel {
				return nil
			}
			id, err := store.ParseID(k, len(StateFailed)+1)
			if err != nil {
				return err
			}
			ids = append(ids, ^id)
			return nil
		}); err != nil {
			return err
		}
		now := s.now().UTC()
		for _, id := range ids {
			if err := retry(tx, id, now); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, next, err
}
