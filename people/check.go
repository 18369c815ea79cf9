package people

import (
	"errors"
	"fmt"

	"fritidsjob/store"
)

// Check verifies this package's invariants inside tx: every username index
// entry names its user, every membership has its index entry and an
// existing area, every youth has a youth profile in that area and every
// profile belongs to a youth, and the access log's hash chain is whole.
// It returns all problems joined.
func Check(tx store.Tx) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	users, err := checkUsers(tx, bad)
	if err != nil {
		return err
	}
	if err := checkMemberships(tx, users, bad); err != nil {
		return err
	}
	if err := store.ScanJSON(tx, bucketYouths, nil, func(_ []byte, y Youth) error {
		if u, ok := users[y.UserID]; !ok || !u.HasRole(y.AreaID, RoleYouth) {
			bad("youth profile %d/%d without a youth membership", y.AreaID, y.UserID)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := checkAccessChain(tx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkUsers reads every user, checks that it sits under its ID and that
// the username index names exactly the users, and returns them by ID.
func checkUsers(tx store.Tx, bad func(string, ...any)) (map[uint64]User, error) {
	users := map[uint64]User{}
	if err := store.ScanJSON(tx, bucketUsers, nil, func(k []byte, u User) error {
		if id, _ := store.ParseID(k, 0); id != u.ID {
			bad("user key %x holds user %d", k, u.ID)
		}
		users[u.ID] = u
		return nil
	}); err != nil {
		return nil, err
	}
	names := 0
	if err := tx.Scan(bucketUsernames, nil, func(k, v []byte) error {
		names++
		id, err := store.ParseID(v, 0)
		if u, ok := users[id]; err != nil || !ok || u.Username != string(k) {
			bad("username %q points to missing or renamed user %d", k, id)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if names != len(users) {
		bad("%d usernames indexed for %d users", names, len(users))
	}
	return users, nil
}

// checkMemberships checks that every membership is indexed, in an
// existing area, and for a youth has a profile there, and that the index
// holds nothing else.
func checkMemberships(tx store.Tx, users map[uint64]User, bad func(string, ...any)) error {
	members := map[string]bool{}
	if err := tx.Scan(bucketMembers, nil, func(k, _ []byte) error {
		members[string(k)] = true
		return nil
	}); err != nil {
		return err
	}
	for _, u := range users {
		for _, m := range u.Memberships {
			k := string(store.Key(m.AreaID, u.ID, string(m.Role)))
			if !members[k] {
				bad("user %d: membership %d/%s not indexed", u.ID, m.AreaID, m.Role)
			}
			delete(members, k)
			if err := checkMembership(tx, u, m, bad); err != nil {
				return err
			}
		}
	}
	for k := range members {
		bad("membership index %x has no user membership", k)
	}
	return nil
}

// checkMembership checks that m's area exists and, for a youth, that u
// has a profile there.
func checkMembership(tx store.Tx, u User, m Membership, bad func(string, ...any)) error {
	if v, err := tx.Get(bucketAreas, store.ID(m.AreaID)); err != nil {
		return err
	} else if v == nil {
		bad("user %d: member of missing area %d", u.ID, m.AreaID)
	}
	if m.Role == RoleYouth {
		if v, err := tx.Get(bucketYouths, store.Key(m.AreaID, u.ID)); err != nil {
			return err
		} else if v == nil {
			bad("youth %d has no profile in area %d", u.ID, m.AreaID)
		}
	}
	return nil
}

// CheckSealed verifies, with the installation secret, that every youth's
// sealed name and profile opens, and that no erased youth has a data key
// again. It names each youth that fails, so an administrator can find a
// record that the lists leave out.
func CheckSealed(tx store.Tx, secret []byte) error {
	keys, err := newKeyring(secret)
	if err != nil {
		return err
	}
	s := &Service{keys: keys}
	var errs []error
	erased := map[uint64]bool{}
	if err := store.ScanJSON(tx, bucketUsers, nil, func(_ []byte, u User) error {
		if !u.Erased.IsZero() {
			erased[u.ID] = true
			if v, err := tx.Get(bucketKeys, store.ID(u.ID)); err != nil {
				return err
			} else if v != nil {
				errs = append(errs, fmt.Errorf("erased user %d has a data key again", u.ID))
			}
			return nil
		}
		if err := s.revealUser(tx, &u); err != nil {
			return err
		}
		if u.Unreadable {
			errs = append(errs, fmt.Errorf("user %d (%s): the sealed name does not open: %w", u.ID, u.Username, ErrUnreadable))
		}
		return nil
	}); err != nil {
		return err
	}
	if err := store.ScanJSON(tx, bucketYouths, nil, func(_ []byte, y Youth) error {
		if erased[y.UserID] {
			return nil
		}
		if err := s.revealYouth(tx, &y); errors.Is(err, ErrUnreadable) {
			errs = append(errs, fmt.Errorf("youth %d in area %d: the sealed profile does not open: %w", y.UserID, y.AreaID, err))
		} else if err != nil {
			return err
		}
		return nil
	}); err != nil {
		return err
	}
	return errors.Join(errs...)
}
