package notify

import (
	"fmt"
	"time"

	"fritidsjob/store"
)

// Enqueue writes m inside tx, the transaction of the event that causes it,
// so the event and its message commit together or not at all. m needs a
// recipient, a kind, an idempotency key and its Created time; Channel
// defaults to the inbox. A second message with the same key on the same
// channel writes nothing (the event ran again): Enqueue returns nil.
//
// An inbox message is delivered by committing: it is in the recipient's
// inbox, unread, and sent. A guardian message (m.Guardian) goes on
// ChannelNone instead. Both are then copied by the Worker onto the
// external channels the recipient chose. A message on another channel is
// queued for the Worker, due at m.NextAttempt or at once, unless
// MaxQueued external messages wait already: then it is left out and
// counted (see MaxQueued), and Enqueue still returns nil.
// Refuses with ErrInvalid.
func Enqueue(tx store.Tx, m Message) error {
	_, err := enqueue(tx, m, MaxQueued)
	return err
}

// enqueue is Enqueue with limit as the bound on queued external messages
// (0: none); dropped says that m was left out for it.
func enqueue(tx store.Tx, m Message, limit int) (dropped bool, err error) {
	if m.UserID == 0 || m.Kind == "" || m.Key == "" || m.Created.IsZero() {
		return false, fmt.Errorf("enqueue %q for user %d: %w", m.Key, m.UserID, ErrInvalid)
	}
	switch {
	case m.Guardian && (m.Channel == "" || m.Channel == ChannelInbox):
		m.Channel = ChannelNone
	case m.Channel == "":
		m.Channel = ChannelInbox
	}
	ik := idemKey(m.Channel, m.Key)
	if old, err := tx.Get(bucketKeys, ik); err != nil || old != nil {
		return false, err // already enqueued: once per key and channel
	}
	if isExternal(m.Channel) && limit > 0 {
		n, err := queuedExternal(tx)
		if err != nil {
			return false, err
		}
		if n >= limit {
			return true, addDrop(tx, m.Channel, m.Created)
		}
	}
	id, err := tx.NextID(bucketMsgs)
	if err != nil {
		return false, err
	}
	if id == 1 { // the first message ever: the counters start complete
		if err := tx.Put(bucketMeta, metaCounts, []byte{1}); err != nil {
			return false, err
		}
	}
	m.ID, m.Created = id, m.Created.UTC()
	m.Attempts, m.LastError, m.LeaseOwner, m.LeaseUntil, m.ReadAt, m.RetriedAt = 0, "", "", time.Time{}, time.Time{}, time.Time{}
	switch m.Channel {
	case ChannelInbox, ChannelNone:
		m.State, m.SentAt, m.NextAttempt = StateSent, m.Created, time.Time{}
		if err := tx.Put(bucketFanout, msgKey(id), []byte{1}); err != nil {
			return false, err
		}
		if m.Channel == ChannelNone {
			break
		}
		if err := tx.Put(bucketInbox, inboxKey(m.UserID, id), store.ID(id)); err != nil {
			return false, err
		}
		if err := tx.Put(bucketUnread, unreadKey(m.UserID, id), []byte{1}); err != nil {
			return false, err
		}
	default:
		m.State, m.SentAt = StateQueued, time.Time{}
		if m.NextAttempt.IsZero() {
			m.NextAttempt = m.Created
		}
		if err := tx.Put(bucketDue, dueKey(m.NextAttempt, id), []byte{1}); err != nil {
			return false, err
		}
	}
	if err := tx.Put(bucketKeys, ik, store.ID(id)); err != nil {
		return false, err
	}
	if err := tx.Put(bucketByUser, byUserKey(m.UserID, id), []byte{1}); err != nil {
		return false, err
	}
	if err := track(tx, nil, &m); err != nil {
		return false, err
	}
	return false, store.PutJSON(tx, bucketMsgs, msgKey(id), m)
}

// Enqueued reports whether a message with idempotency key key is already
// on channel ("" is the inbox, or ChannelNone for a guardian's message)
// inside tx: a job that finds due messages in a read transaction skips
// the ones it wrote before, so it writes only when something is new.
func Enqueued(tx store.Tx, channel, key string) (bool, error) {
	if channel == "" {
		channel = ChannelInbox
	}
	v, err := tx.Get(bucketKeys, idemKey(channel, key))
	return v != nil, err
}
