package people

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"fritidsjob/store"
)

// ThrottleLimits bound login attempts, in three ways:
//   - per account and client address, in a fixed window (PerAccount): a
//     guesser at one place is slowed at once, the owner elsewhere is not;
//   - per client address across accounts (PerIP), IPv6 by its /64: one
//     place cannot sweep many accounts. A youth club behind one NAT address
//     stays usable: guesses at a locked account are refused before they
//     count, so one account cannot use up the club's allowance;
//   - per account wherever the guesses come from (LockAfter wrong secrets
//     in a row): the account is locked until a coordinator or an
//     administrator unlocks it, so many addresses together get no more than
//     LockAfter guesses at a PIN.
type ThrottleLimits struct {
	PerAccount int           // failures per account and address within Window
	PerIP      int           // failures per address (IPv6: per /64) within Window
	Window     time.Duration // fixed window length
	LockAfter  int           // wrong secrets in a row that lock the account
}

// DefaultThrottle allows 5 wrong guesses per account and address and 100
// per address every 15 minutes, and locks an account after 10 wrong
// secrets in a row: a 6-digit PIN then holds against any number of
// addresses (10 guesses in 1,000,000).
var DefaultThrottle = ThrottleLimits{PerAccount: 5, PerIP: 100, Window: 15 * time.Minute, LockAfter: 10}

// bucketFailures counts an account's wrong secrets in a row: ID(user) ->
// uint32. Unlike the windowed counters it is never swept; a right secret,
// an unlock or a new secret clears it.
const bucketFailures = "login_failures"

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

// reserve counts one attempt against each windowed limit in tx, or returns
// *ThrottledError when one is used up (then nothing is counted).
func (s *Service) reserve(tx store.Tx, now time.Time, limits []limit) error {
	next := make([]counter, len(limits))
	for i, l := range limits {
		b, err := tx.Get(bucketThrottle, l.key)
		if err != nil {
			return err
		}
		cur := decodeCounter(b)
		if now.Sub(cur.start) >= s.throttle.Window || now.Before(cur.start) {
			cur = counter{start: now}
		}
		if cur.n >= l.max {
			return &ThrottledError{RetryAfter: cur.start.Add(s.throttle.Window).Sub(now)}
		}
		cur.n++
		next[i] = cur
	}
	for i, l := range limits {
		if err := tx.Put(bucketThrottle, l.key, next[i].encode()); err != nil {
			return err
		}
	}
	return nil
}

// release gives back one reserved attempt of each key.
func release(tx store.Tx, keys ...[]byte) error {
	for _, key := range keys {
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
}

// limit is one windowed counter and its maximum.
type limit struct {
	key []byte
	max int
}

// Login checks username and secret from client address ip. It returns
// ErrBadCredentials for an unknown user and a wrong secret alike, after the
// same argon2id work; *ThrottledError once the failures allowed in the
// window are used up; ErrLocked, without checking the secret, for an
// account locked after too many wrong secrets in a row (a lock is taken
// by the wrong secret that reaches ThrottleLimits.LockAfter); and
// ErrDisabled for a right secret of a closed account. An attempt is
// reserved before the hash is checked, so parallel guesses cannot slip
// past the limits; success gives the reservation back.
func (s *Service) Login(username, secret, ip string) (User, error) {
	name := normUsername(username)
	acct := store.Key("acct", name, networkKey(ip))
	perIP := store.Key("ip", networkKey(ip))
	now := s.now()
	var u User
	var known bool
	err := s.quiet.Update(func(tx store.Tx) error {
		var err error
		u, err = userByName(tx, name)
		switch {
		case errors.Is(err, ErrNotFound):
			known = false
		case err != nil:
			return err
		default:
			known = u.Hash != "" // an erased youth can no longer log in
			if known && !u.Locked.IsZero() {
				return ErrLocked
			}
		}
		return s.reserve(tx, now, []limit{{acct, s.throttle.PerAccount}, {perIP, s.throttle.PerIP}})
	})
	if err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	hash := s.dummyHash
	if known {
		hash = u.Hash
	}
	ok, err := verifySecret(hash, secret, s.pepper)
	if err != nil {
		return User{}, fmt.Errorf("login %d: %w", u.ID, err)
	}
	if !known {
		return User{}, ErrBadCredentials
	}
	if !ok {
		return User{}, s.loginFailed(u.ID)
	}
	if err := s.quiet.Update(func(tx store.Tx) error {
		if err := release(tx, acct, perIP); err != nil {
			return err
		}
		return tx.Delete(bucketFailures, store.ID(u.ID))
	}); err != nil {
		return User{}, fmt.Errorf("login: release attempt: %w", err)
	}
	if !u.Disabled.IsZero() {
		return User{}, ErrDisabled
	}
	if !isPeppered(u.Hash) {
		// Written before peppering: hash it again now that the secret is
		// at hand, so a stolen backup no longer holds a plain PIN hash.
		if err := s.rehash(u.ID, u.Hash, secret); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// forgetFailures clears user u's run of wrong secrets and the account's
// per-address windows, when someone who has checked who the user is
// unlocks the account or gives it a new secret.
func forgetFailures(tx store.Tx, u User) error {
	if err := tx.Delete(bucketFailures, store.ID(u.ID)); err != nil {
		return err
	}
	var keys [][]byte
	if err := tx.Scan(bucketThrottle, store.Key("acct", u.Username), func(k, _ []byte) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(bucketThrottle, k); err != nil {
			return err
		}
	}
	return nil
}

// loginFailed counts a wrong secret for user in a row and locks the
// account when the count reaches LockAfter. It returns the error the
// caller reports: ErrBadCredentials, or ErrLocked by the locking guess.
func (s *Service) loginFailed(user uint64) error {
	lock := false
	err := s.quiet.Update(func(tx store.Tx) error {
		b, err := tx.Get(bucketFailures, store.ID(user))
		if err != nil {
			return err
		}
		n := uint32(1)
		if len(b) == 4 {
			n = binary.BigEndian.Uint32(b) + 1
		}
		lock = s.throttle.LockAfter > 0 && int(n) >= s.throttle.LockAfter
		return tx.Put(bucketFailures, store.ID(user), binary.BigEndian.AppendUint32(nil, n))
	})
	if err != nil {
		return fmt.Errorf("login %d: count failure: %w", user, err)
	}
	if !lock {
		return ErrBadCredentials
	}
	// A loud write: the coordinator's start page shows locked accounts.
	if err := s.lock(user); err != nil {
		return err
	}
	return ErrLocked
}

// lock closes user's login until an unlock or a new secret, and tells
// those who can unlock it (Options.OnLock) in the same transaction. An
// account already locked is left as it is.
func (s *Service) lock(user uint64) error {
	err := s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, user)
		if err != nil || !u.Locked.IsZero() {
			return err
		}
		u.Locked = s.now().UTC()
		if err := store.PutJSON(tx, bucketUsers, store.ID(user), u); err != nil {
			return err
		}
		if s.onLock != nil {
			return s.onLock(tx, u)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("lock user %d: %w", user, err)
	}
	return nil
}

// rehash replaces user's unpeppered hash old with a peppered hash of
// secret, unless the hash changed meanwhile. It does not end sessions.
func (s *Service) rehash(user uint64, old, secret string) error {
	h, err := hashSecret(secret, s.hash, s.pepper)
	if err != nil {
		return err
	}
	return s.updateUser(user, "rehash", func(u *User) error {
		if u.Hash == old {
			u.Hash = h
		}
		return nil
	})
}

// networkKey is the key a per-address limit should count a client under:
// an IPv6 client usually holds a whole /64 and can take a new address from
// it for every request, so IPv6 addresses count by their /64
// ("2001:db8:1:2::/64"); IPv4 addresses stay as they are. A value that is
// not an address is returned unchanged.
func networkKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
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
