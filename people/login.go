package people

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"fritidsjob/store"
)

// ThrottleLimits bound login attempts. Failures are counted per
// (username, client IP), so a guesser cannot lock a youth out from another
// place, and per client IP across usernames, so one address cannot sweep
// many accounts. A youth centre behind one NAT address needs PerIP well
// above one person's mistakes.
type ThrottleLimits struct {
	PerAccount int           // failures per username and IP within Window
	PerIP      int           // failures per IP within Window
	Window     time.Duration // fixed window length
}

// DefaultThrottle allows 5 wrong guesses per account and IP and 50 per IP
// every 15 minutes: at most 20 guesses an hour at one account from one
// address.
var DefaultThrottle = ThrottleLimits{PerAccount: 5, PerIP: 50, Window: 15 * time.Minute}

// counter is a fixed-window failure count.
type counter struct {
	start time.Time
	n     int
}

func (c counter) encode() []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(c.start.UnixNano()))
	return binary.BigEndian.AppendUint32(b, uint32(c.n))
}

func decodeCounter(b []byte) counter {
	if len(b) != 12 {
		return counter{}
	}
	return counter{
		start: time.Unix(0, int64(binary.BigEndian.Uint64(b))),
		n:     int(binary.BigEndian.Uint32(b[8:])),
	}
}

// Login checks username and secret from client address ip. It returns
// ErrBadCredentials for an unknown user and a wrong secret alike, after the
// same argon2id work, and *ThrottledError once the failures allowed in the
// window are used up. An attempt is reserved before the hash is checked,
// so parallel guesses cannot slip past the limit; success gives the
// account's reservation back.
func (s *Service) Login(username, secret, ip string) (User, error) {
	name := normUsername(username)
	acct := store.Key("acct", name, ip)
	perIP := store.Key("ip", ip)
	now := s.now()
	var u User
	var known bool
	err := s.quiet.Update(func(tx store.Tx) error {
		for _, c := range []struct {
			key []byte
			max int
		}{{acct, s.throttle.PerAccount}, {perIP, s.throttle.PerIP}} {
			b, err := tx.Get(bucketThrottle, c.key)
			if err != nil {
				return err
			}
			cur := decodeCounter(b)
			if now.Sub(cur.start) >= s.throttle.Window || now.Before(cur.start) {
				cur = counter{start: now}
			}
			if cur.n >= c.max {
				return &ThrottledError{RetryAfter: cur.start.Add(s.throttle.Window).Sub(now)}
			}
			cur.n++
			if err := tx.Put(bucketThrottle, c.key, cur.encode()); err != nil {
				return err
			}
		}
		var err error
		u, err = userByName(tx, name)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		known = err == nil && u.Hash != "" // an erased youth can no longer log in
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	hash := s.dummyHash
	if known {
		hash = u.Hash
	}
	ok, err := verifySecret(hash, secret)
	if err != nil {
		return User{}, fmt.Errorf("login %d: %w", u.ID, err)
	}
	if !ok || !known {
		return User{}, ErrBadCredentials
	}
	if !u.Disabled.IsZero() {
		return User{}, ErrDisabled
	}
	err = s.quiet.Update(func(tx store.Tx) error {
		for _, key := range [][]byte{acct, perIP} {
			b, err := tx.Get(bucketThrottle, key)
			if err != nil {
				return err
			}
			cur := decodeCounter(b)
			if cur.n <= 1 {
				if err := tx.Delete(bucketThrottle, key); err != nil {
					return err
				}
				continue
			}
			cur.n--
			if err := tx.Put(bucketThrottle, key, cur.encode()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return User{}, fmt.Errorf("login: release attempt: %w", err)
	}
	return u, nil
}

// SweepThrottle deletes counters whose window has passed. Run it now and
// then so the bucket holds only live counters.
func (s *Service) SweepThrottle() (int, error) {
	now := s.now()
	var stale [][]byte
	n := 0
	err := s.quiet.Update(func(tx store.Tx) error {
		stale = stale[:0]
		if err := tx.Scan(bucketThrottle, nil, func(k, v []byte) error {
			if now.Sub(decodeCounter(v).start) >= s.throttle.Window {
				stale = append(stale, k)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range stale {
			if err := tx.Delete(bucketThrottle, k); err != nil {
				return err
			}
		}
		n = len(stale)
		return nil
	})
	return n, err
}
