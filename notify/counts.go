package notify

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"fritidsjob/store"
)

// MaxQueued is how many messages on external channels (SMS, e-mail) may
// wait in the queue at once by default (WorkerOptions.MaxQueued). At the
// limit new external copies are not made: the event still commits and
// the inbox message still lands, and the copies left out are counted per
// channel (ChannelStats.Dropped) and logged, so the outbox cannot grow
// without bound while a provider is down.
const MaxQueued = 100_000

// metaCounts is the bucketMeta key whose presence says that the counters
// and the open index hold every message: written with the first message
// ever, or by rebuildCounts for an outbox older than them.
var metaCounts = []byte("counts")

// isExternal reports whether channel is one the worker sends on (not the
// inbox, not the guardians' placeholder).
func isExternal(channel string) bool { return channel != ChannelInbox && channel != ChannelNone }

// isOpen reports whether a message in state st is in the open index: it
// waits to be sent or failed, and an administrator may retry it.
func isOpen(st State) bool { return st == StateQueued || st == StateFailed }

// track keeps the counters and the open index in step with one message's
// change from before to after (nil before: a new message; nil after: a
// deleted one), inside the transaction that makes the change.
func track(tx store.Tx, before, after *Message) error {
	if before != nil && after != nil && before.State == after.State && before.Channel == after.Channel {
		return nil
	}
	if before != nil {
		if err := addCount(tx, before.Channel, before.State, -1); err != nil {
			return err
		}
		if isOpen(before.State) {
			if err := tx.Delete(bucketOpen, openKey(before.State, before.ID)); err != nil {
				return err
			}
		}
	}
	if after != nil {
		if err := addCount(tx, after.Channel, after.State, 1); err != nil {
			return err
		}
		if isOpen(after.State) {
			if err := tx.Put(bucketOpen, openKey(after.State, after.ID), []byte(after.Channel)); err != nil {
				return err
			}
		}
	}
	return nil
}

// addCount adds delta to the counter of channel and state; a counter that
// would go below zero stays at zero (Check reports the disagreement).
func addCount(tx store.Tx, channel string, st State, delta int64) error {
	k := countKey(channel, st)
	v, err := tx.Get(bucketCounts, k)
	if err != nil {
		return err
	}
	var n int64
	if len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n = max(n+delta, 0)
	if n == 0 {
		return tx.Delete(bucketCounts, k)
	}
	return tx.Put(bucketCounts, k, store.ID(uint64(n)))
}

// counts returns every counter inside tx by channel and state.
func counts(tx store.Tx) (map[string]map[State]int, error) {
	out := map[string]map[State]int{}
	err := tx.Scan(bucketCounts, nil, func(k, v []byte) error {
		channel, st, ok := bytes.Cut(k, []byte{0})
		if !ok || len(v) != 8 {
			return fmt.Errorf("counter %x: malformed", k)
		}
		st = bytes.TrimSuffix(st, []byte{0})
		if out[string(channel)] == nil {
			out[string(channel)] = map[State]int{}
		}
		out[string(channel)][State(st)] = int(binary.BigEndian.Uint64(v))
		return nil
	})
	return out, err
}

// queuedExternal is how many messages wait on external channels.
func queuedExternal(tx store.Tx) (int, error) {
	cs, err := counts(tx)
	if err != nil {
		return 0, err
	}
	n := 0
	for ch, by := range cs {
		if isExternal(ch) {
			n += by[StateQueued]
		}
	}
	return n, nil
}

// drops is the record of the external copies not made on one channel
// because the queue was full.
type drops struct {
	N    int       `json:"n"`
	Last time.Time `json:"last"`
}

// addDrop counts one copy on channel left out at at.
func addDrop(tx store.Tx, channel string, at time.Time) error {
	d, _, err := store.GetJSON[drops](tx, bucketDrops, []byte(channel))
	if err != nil {
		return err
	}
	d.N++
	d.Last = at.UTC()
	return store.PutJSON(tx, bucketDrops, []byte(channel), d)
}

// rebuildCounts writes the counters and the open index from the messages
// themselves, once, for an outbox written before they existed; later it
// does nothing. The worker calls it when it starts.
func rebuildCounts(tx store.Tx) error {
	if v, err := tx.Get(bucketMeta, metaCounts); err != nil || v != nil {
		return err
	}
	for _, b := range []string{bucketCounts, bucketOpen} {
		var keys [][]byte
		if err := tx.Scan(b, nil, func(k, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(b, k); err != nil {
				return err
			}
		}
	}
	var all []Message
	if err := store.ScanJSON(tx, bucketMsgs, nil, func(_ []byte, m Message) error {
		all = append(all, m)
		return nil
	}); err != nil {
		return err
	}
	for i := range all {
		if err := track(tx, nil, &all[i]); err != nil {
			return err
		}
	}
	return tx.Put(bucketMeta, metaCounts, []byte{1})
}
