package notify

import (
	"errors"
	"fmt"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Check verifies this package's invariants inside tx: every message sits
// under its ID with its idempotency-key entry; every queued message has a
// recipient that exists, exactly one due entry (at its next attempt, or at
// its lease's end while leased) and a well-formed lease (an owner exactly
// when it has an end); every inbox message has its inbox entry and an
// unread entry exactly while unread; every message has its entry in its
// user's list of sent messages; a pending fan-out entry names an inbox or
// guardian message; no index entry names a missing message; once counted
// (see rebuildCounts), every queued and failed message is in the open
// index under its state and channel and nothing else is, and the counters
// agree with the messages. It returns all problems joined.
func Check(tx store.Tx) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	msgs := map[uint64]Message{}
	if err := store.ScanJSON(tx, bucketMsgs, nil, func(k []byte, m Message) error {
		if id, _ := store.ParseID(k, 0); id != m.ID {
			bad("message %d stored under %x", m.ID, k)
		}
		msgs[m.ID] = m
		return nil
	}); err != nil {
		return err
	}
	for _, m := range msgs {
		if err := checkMessage(tx, m, bad); err != nil {
			return err
		}
	}
	for _, ix := range []struct {
		bucket string
		off    int
		ok     func(Message, []byte) bool
	}{
		{bucketInbox, 0, func(m Message, k []byte) bool {
			return m.Channel == ChannelInbox && string(k) == string(inboxKey(m.UserID, m.ID))
		}},
		{bucketUnread, 8, func(m Message, k []byte) bool {
			return m.Channel == ChannelInbox && !m.Read() && string(k) == string(unreadKey(m.UserID, m.ID))
		}},
		{bucketDue, 8, func(m Message, k []byte) bool {
			return m.State == StateQueued && string(k) == string(dueKey(dueAt(m), m.ID))
		}},
		{bucketFanout, 0, func(m Message, _ []byte) bool {
			return m.Channel == ChannelInbox || m.Channel == ChannelNone
		}},
		{bucketByUser, 8, func(m Message, k []byte) bool {
			return string(k) == string(byUserKey(m.UserID, m.ID))
		}},
	} {
		if err := tx.Scan(ix.bucket, nil, func(k, v []byte) error {
			var id uint64
			var err error
			switch ix.bucket {
			case bucketInbox:
				id, err = store.ParseID(v, 0)
			case bucketByUser:
				id, err = store.ParseID(k, ix.off)
				id = ^id
			default:
				id, err = store.ParseID(k, ix.off)
			}
			if err != nil {
				bad("%s entry %x: %v", ix.bucket, k, err)
				return nil
			}
			if m, ok := msgs[id]; !ok || !ix.ok(m, k) {
				bad("%s entry %x does not match message %d", ix.bucket, k, id)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if err := checkCounts(tx, msgs, bad); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// checkCounts compares the counters and the open index with msgs, once
// they are kept (bucketMeta says so).
func checkCounts(tx store.Tx, msgs map[uint64]Message, bad func(string, ...any)) error {
	if v, err := tx.Get(bucketMeta, metaCounts); err != nil || v == nil {
		return err
	}
	want := map[string]map[State]int{}
	open := 0
	for _, m := range msgs {
		if want[m.Channel] == nil {
			want[m.Channel] = map[State]int{}
		}
		want[m.Channel][m.State]++
		if !isOpen(m.State) {
			continue
		}
		open++
		if v, err := tx.Get(bucketOpen, openKey(m.State, m.ID)); err != nil {
			return err
		} else if string(v) != m.Channel {
			bad("%s message %d: open index says channel %q", m.State, m.ID, v)
		}
	}
	n := 0
	if err := tx.Scan(bucketOpen, nil, func(_, _ []byte) error { n++; return nil }); err != nil {
		return err
	}
	if n != open {
		bad("open index has %d entries for %d queued and failed messages", n, open)
	}
	got, err := counts(tx)
	if err != nil {
		return err
	}
	for ch, by := range want {
		for st, w := range by {
			if g := got[ch][st]; g != w {
				bad("counter %s/%s is %d, the messages say %d", ch, st, g, w)
			}
		}
	}
	for ch, by := range got {
		for st, g := range by {
			if want[ch][st] == 0 && g != 0 {
				bad("counter %s/%s is %d, no such message", ch, st, g)
			}
		}
	}
	return nil
}

// dueAt is when a queued message's due entry is: its lease's end while
// leased, else its next attempt.
func dueAt(m Message) time.Time {
	if m.LeaseOwner != "" {
		return m.LeaseUntil
	}
	return m.NextAttempt
}

func checkMessage(tx store.Tx, m Message, bad func(string, ...any)) error {
	if v, err := tx.Get(bucketKeys, idemKey(m.Channel, m.Key)); err != nil {
		return err
	} else if id, _ := store.ParseID(v, 0); id != m.ID {
		bad("message %d: idempotency key %q names %d", m.ID, m.Key, id)
	}
	if m.State == StateQueued {
		ok, err := people.UserExists(tx, m.UserID)
		if err != nil {
			return err
		}
		if !ok {
			bad("queued message %d to missing user %d", m.ID, m.UserID)
		}
		if (m.LeaseOwner == "") != m.LeaseUntil.IsZero() {
			bad("message %d: malformed lease %q until %v", m.ID, m.LeaseOwner, m.LeaseUntil)
		}
		if v, err := tx.Get(bucketDue, dueKey(dueAt(m), m.ID)); err != nil {
			return err
		} else if v == nil {
			bad("queued message %d has no due entry", m.ID)
		}
	} else if m.LeaseOwner != "" || !m.LeaseUntil.IsZero() {
		bad("%s message %d still has a lease", m.State, m.ID)
	}
	if v, err := tx.Get(bucketByUser, byUserKey(m.UserID, m.ID)); err != nil {
		return err
	} else if v == nil {
		bad("message %d has no entry in its user's list", m.ID)
	}
	if m.Channel == ChannelInbox {
		if v, err := tx.Get(bucketInbox, inboxKey(m.UserID, m.ID)); err != nil {
			return err
		} else if v == nil {
			bad("inbox message %d has no inbox entry", m.ID)
		}
	}
	return nil
}
