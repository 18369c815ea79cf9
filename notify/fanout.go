package notify

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"fritidsjob/store"
)

// fanOutBatch is how many new messages one fan-out transaction copies.
const fanOutBatch = 64

// fanOut copies up to fanOutBatch new inbox and guardian messages onto
// each of w's channels on which their recipient has an address, in one
// transaction, and reports whether more wait. A copy has the original's
// kind, parameters and idempotency key and is due at once (quiet hours
// are kept when it is sent); copying twice writes nothing new, so several
// instances may fan out at once. While w.o.MaxQueued external messages
// wait, a copy is left out and counted, and a warning says how many.
func (w *Worker) fanOut() (more bool, err error) {
	names := slices.Sorted(maps.Keys(w.channels))
	dropped := 0
	err = w.db.Update(func(tx store.Tx) error {
		more, dropped = false, 0
		var ids []uint64
		if err := tx.Scan(bucketFanout, nil, func(k, _ []byte) error {
			if len(ids) == fanOutBatch {
				more = true
				return store.ErrStop
			}
			id, err := store.ParseID(k, 0)
			if err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		}); err != nil {
			return err
		}
		now := w.o.Now().UTC()
		for _, id := range ids {
			if err := tx.Delete(bucketFanout, msgKey(id)); err != nil {
				return err
			}
			if len(names) == 0 {
				continue
			}
			m, ok, err := store.GetJSON[Message](tx, bucketMsgs, msgKey(id))
			if err != nil || !ok {
				return err
			}
			r, err := w.o.Directory(tx, m)
			if err != nil {
				return err
			}
			for _, name := range names {
				if w.channels[name].Address(r) == "" {
					continue
				}
				c := m
				c.ID, c.Channel, c.Created, c.NextAttempt, c.ReadAt = 0, name, now, now, time.Time{}
				d, err := enqueue(tx, c, w.o.MaxQueued)
				if err != nil {
					return err
				}
				if d {
					dropped++
				}
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("copy messages to external channels: %w", err)
	}
	if dropped > 0 {
		w.o.Logger.Warn("notify: the outbox is full; messages stay in the inbox only",
			"dropped", dropped, "max_queued", w.o.MaxQueued)
	}
	return more, nil
}
