package notify

import (
	"fmt"
	"time"

	"fritidsjob/store"
)

// Retention is how long a message is kept: Prune deletes older ones.
const Retention = 90 * 24 * time.Hour

// Service reads and keeps the in-app inboxes.
type Service struct {
	db  store.DB
	now func() time.Time
}

// NewService returns the inbox service on db, reading time from now
// (time.Now when nil).
func NewService(db store.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

// Page is one page of an inbox, newest first. Next is the cursor of the
// following page (the last message's ID), 0 when this is the last page.
type Page struct {
	Messages []Message
	Next     uint64
}

// Inbox returns up to limit of user's inbox messages, newest first,
// starting after the message with ID after (0: from the newest). It pages
// with a keyset cursor, so a deep page costs what the first one does.
func (s *Service) Inbox(user, after uint64, limit int) (Page, error) {
	p, err := s.page(bucketInbox, inboxKey, user, after, limit, func(_, v []byte) (uint64, error) {
		return store.ParseID(v, 0)
	})
	if err != nil {
		return Page{}, fmt.Errorf("inbox of user %d: %w", user, err)
	}
	return p, nil
}

// Sent returns up to limit of the messages sent to or about user on every
// channel — inbox messages, their SMS and e-mail copies, messages to the
// guardians of a youth user — newest first, starting after the message
// with ID after (0: from the newest), with the keyset cursor of Inbox. It
// is the "sent to you" list of the user's access log.
func (s *Service) Sent(user, after uint64, limit int) (Page, error) {
	p, err := s.page(bucketByUser, byUserKey, user, after, limit, func(k, _ []byte) (uint64, error) {
		inv, err := store.ParseID(k, 8)
		return ^inv, err
	})
	if err != nil {
		return Page{}, fmt.Errorf("messages sent to user %d: %w", user, err)
	}
	return p, nil
}

// page reads up to limit (1–100) messages of user from a per-user index
// bucket whose keys key(user, id) sort newest first, after the message
// with ID after; id finds the message's ID in an entry.
func (s *Service) page(bucket string, key func(user, id uint64) []byte, user, after uint64, limit int,
	id func(k, v []byte) (uint64, error)) (Page, error) {
	limit = min(max(limit, 1), 100)
	var p Page
	err := s.db.View(func(tx store.Tx) error {
		p = Page{}
		var from []byte
		if after != 0 {
			from = key(user, after)
		}
		return tx.ScanAfter(bucket, store.ID(user), from, func(k, v []byte) error {
			if len(p.Messages) == limit {
				p.Next = p.Messages[limit-1].ID
				return store.ErrStop
			}
			mid, err := id(k, v)
			if err != nil {
				return err
			}
			m, err := store.FindJSON[Message](tx, bucketMsgs, msgKey(mid), ErrNotFound)
			if err != nil {
				return err
			}
			p.Messages = append(p.Messages, m)
			return nil
		})
	})
	return p, err
}

// Unread counts user's unread inbox messages (the bell).
func (s *Service) Unread(user uint64) (int, error) {
	n := 0
	err := s.db.View(func(tx store.Tx) error {
		n = 0
		return tx.Scan(bucketUnread, store.ID(user), func(_, _ []byte) error { n++; return nil })
	})
	if err != nil {
		return 0, fmt.Errorf("unread of user %d: %w", user, err)
	}
	return n, nil
}

// MarkAllRead marks every unread inbox message of user read and returns
// how many it marked.
func (s *Service) MarkAllRead(user uint64) (int, error) {
	n := 0
	err := s.db.Update(func(tx store.Tx) error {
		var ids []uint64
		if err := tx.Scan(bucketUnread, store.ID(user), func(k, _ []byte) error {
			id, err := store.ParseID(k, 8)
			ids = append(ids, id)
			return err
		}); err != nil {
			return err
		}
		n = len(ids)
		return markRead(tx, user, s.now().UTC(), ids...)
	})
	if err != nil {
		return 0, fmt.Errorf("mark inbox of user %d read: %w", user, err)
	}
	return n, nil
}

// MarkRead marks user's inbox messages ids read; a message of another
// user is ErrNotFound and marks nothing.
func (s *Service) MarkRead(user uint64, ids ...uint64) error {
	err := s.db.Update(func(tx store.Tx) error { return markRead(tx, user, s.now().UTC(), ids...) })
	if err != nil {
		return fmt.Errorf("mark messages of user %d read: %w", user, err)
	}
	return nil
}

func markRead(tx store.Tx, user uint64, now time.Time, ids ...uint64) error {
	for _, id := range ids {
		m, err := store.FindJSON[Message](tx, bucketMsgs, msgKey(id), ErrNotFound)
		if err != nil {
			return err
		}
		if m.UserID != user || m.Channel != ChannelInbox {
			return fmt.Errorf("message %d: %w", id, ErrNotFound)
		}
		if m.Read() {
			continue
		}
		m.ReadAt = now
		if err := tx.Delete(bucketUnread, unreadKey(user, id)); err != nil {
			return err
		}
		if err := store.PutJSON(tx, bucketMsgs, msgKey(id), m); err != nil {
			return err
		}
	}
	return nil
}

// pruneBatch bounds one prune transaction.
const pruneBatch = 500

// Prune deletes the messages created more than Retention before now that
// are no longer queued, with their index entries, and returns how many.
// Message IDs grow with time, so it walks from the oldest and stops at the
// first message young enough to keep.
func (s *Service) Prune(now time.Time) (int, error) {
	cut := now.Add(-Retention)
	total := 0
	for {
		n, more, err := s.pruneSome(cut)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune messages: %w", err)
		}
		if !more {
			return total, nil
		}
	}
}

func (s *Service) pruneSome(cut time.Time) (n int, more bool, err error) {
	err = s.db.Update(func(tx store.Tx) error {
		n, more = 0, false
		var old []Message
		err := store.ScanJSON(tx, bucketMsgs, nil, func(_ []byte, m Message) error {
			if !m.Created.Before(cut) {
				return store.ErrStop
			}
			if len(old) == pruneBatch {
				more = true
				return store.ErrStop
			}
			if m.State != StateQueued {
				old = append(old, m)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, m := range old {
			if err := deleteMessage(tx, m); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	return n, more, err
}

// deleteMessage removes m and every index entry that names it, and
// takes it off the counters.
func deleteMessage(tx store.Tx, m Message) error {
	if err := track(tx, &m, nil); err != nil {
		return err
	}
	for _, d := range []struct {
		bucket string
		key    []byte
	}{
		{bucketInbox, inboxKey(m.UserID, m.ID)},
		{bucketUnread, unreadKey(m.UserID, m.ID)},
		{bucketFanout, msgKey(m.ID)},
		{bucketKeys, idemKey(m.Channel, m.Key)},
		{bucketByUser, byUserKey(m.UserID, m.ID)},
		{bucketMsgs, msgKey(m.ID)},
	} {
		if err := tx.Delete(d.bucket, d.key); err != nil {
			return err
		}
	}
	return nil
}
