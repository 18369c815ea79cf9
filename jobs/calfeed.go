package jobs

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// A youth's calendar feed is a secret address a phone's calendar reads
// their tasks from. Only the SHA-256 of its token is stored, as with
// session IDs: the store cannot give the address back, and a copy of the
// store does not open anyone's feed.
const (
	bucketFeeds     = "cal_feeds"      // sha256(token) -> Feed
	bucketFeedOwner = "cal_feed_owner" // Key(area, youth) -> sha256(token): one feed per youth
)

// Feed is a youth's calendar feed, as stored (without its token).
type Feed struct {
	AreaID  uint64    `json:"area"`
	YouthID uint64    `json:"youth"`
	Created time.Time `json:"created"`
}

// What a feed shows: the youth's tasks that started at most feedPast ago
// or start within feedAhead, at most feedMax of them.
const (
	feedPast  = 30 * 24 * time.Hour
	feedAhead = 366 * 24 * time.Hour
	feedMax   = 200
	// feedTokenBytes is the token's randomness: 128 bits.
	feedTokenBytes = 16
)

func feedKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NewFeed makes a new calendar feed token for youth in area and returns
// it; it is shown once. A youth has one feed: the one they had stops
// working.
// Refuses with people.ErrNotFound for a youth not in area.
func (s *Service) NewFeed(area, youth uint64) (string, error) {
	raw := make([]byte, feedTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("calendar feed: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := s.db.Update(func(tx store.Tx) error {
		if _, err := s.people.YouthTx(tx, area, youth); err != nil {
			return err
		}
		if err := stopFeed(tx, area, youth); err != nil {
			return err
		}
		if err := store.PutJSON(tx, bucketFeeds, feedKey(token), Feed{AreaID: area, YouthID: youth, Created: s.now().UTC()}); err != nil {
			return err
		}
		return tx.Put(bucketFeedOwner, store.Key(area, youth), feedKey(token))
	})
	if err != nil {
		return "", fmt.Errorf("calendar feed of youth %d: %w", youth, err)
	}
	return token, nil
}

// StopFeed deletes youth's calendar feed, if any: its address finds
// nothing from now on.
func (s *Service) StopFeed(area, youth uint64) error {
	if err := s.db.Update(func(tx store.Tx) error { return stopFeed(tx, area, youth) }); err != nil {
		return fmt.Errorf("stop calendar feed of youth %d: %w", youth, err)
	}
	return nil
}

func stopFeed(tx store.Tx, area, youth uint64) error {
	old, err := tx.Get(bucketFeedOwner, store.Key(area, youth))
	if err != nil || old == nil {
		return err
	}
	if err := tx.Delete(bucketFeeds, old); err != nil {
		return err
	}
	return tx.Delete(bucketFeedOwner, store.Key(area, youth))
}

// FeedOf returns youth's calendar feed; ok is false when they have none.
func (s *Service) FeedOf(area, youth uint64) (f Feed, ok bool, err error) {
	err = s.db.View(func(tx store.Tx) error {
		h, err := tx.Get(bucketFeedOwner, store.Key(area, youth))
		if err != nil || h == nil {
			return err
		}
		f, ok, err = store.GetJSON[Feed](tx, bucketFeeds, h)
		return err
	})
	if err != nil {
		return Feed{}, false, fmt.Errorf("calendar feed of youth %d: %w", youth, err)
	}
	return f, ok, nil
}

// FeedTasks returns the feed whose token is token and its youth's tasks
// (with their claims, by start): those with a place or a waitlist spot,
// and those cancelled, that started at most 30 days ago or start within a
// year, at most 200. A token that is unknown, revoked or malformed, or
// whose youth is no longer active, is ErrNotFound.
func (s *Service) FeedTasks(token string) (Feed, []MyTask, error) {
	var f Feed
	var out []MyTask
	if len(token) < 16 || len(token) > 64 {
		return Feed{}, nil, ErrNotFound
	}
	err := s.db.View(func(tx store.Tx) error {
		out = nil
		var err error
		if f, err = store.FindJSON[Feed](tx, bucketFeeds, feedKey(token), ErrNotFound); err != nil {
			return err
		}
		if u, err := s.people.UserTx(tx, f.YouthID); err != nil || !u.Active() || !u.HasRole(f.AreaID, people.RoleYouth) {
			return ErrNotFound
		}
		tasks, claims, err := youthTasks(tx, f.AreaID, f.YouthID)
		if err != nil {
			return err
		}
		now := s.now()
		for i, t := range tasks {
			if t.End.Before(now.Add(-feedPast)) || t.Start.After(now.Add(feedAhead)) || t.Status == StatusDraft {
				continue
			}
			out = append(out, MyTask{Task: t, Claim: claims[i]})
		}
		return nil
	})
	if err != nil {
		return Feed{}, nil, fmt.Errorf("calendar feed: %w", err)
	}
	slices.SortFunc(out, func(a, b MyTask) int { return a.Task.Start.Compare(b.Task.Start) })
	if len(out) > feedMax {
		// Keep the ones nearest now: drop the oldest past ones first.
		now := s.now()
		first := 0
		for first < len(out)-feedMax && out[first].Task.End.Before(now) {
			first++
		}
		out = out[first:min(len(out), first+feedMax)]
	}
	return f, out, nil
}
