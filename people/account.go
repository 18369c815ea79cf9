package people

import (
	"fmt"
	"time"

	"fritidsjob/store"
)

// updateUser applies change to user id's record inside one transaction and
// stores it; ErrNotFound for an unknown user.
func (s *Service) updateUser(id uint64, what string, change func(*User) error) error {
	err := s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if err := change(&u); err != nil {
			return err
		}
		return store.PutJSON(tx, bucketUsers, store.ID(id), u)
	})
	if err != nil {
		return fmt.Errorf("%s for user %d: %w", what, id, err)
	}
	return nil
}

// EndSessions logs user id out everywhere: every session opened before
// this call stops working at its next request.
// Refuses with ErrNotFound.
func (s *Service) EndSessions(id uint64) error {
	return s.updateUser(id, "end sessions", func(u *User) error {
		u.SessionEpoch++
		return nil
	})
}

// SetDisabled closes (disabled true) or reopens user id's account. Closing
// ends every session at once; a closed account cannot log in. Erased
// accounts cannot be reopened (ErrErased), and the last open administrator
// account cannot be closed (ErrLastAdmin).
// Refuses with ErrNotFound, ErrErased, ErrLastAdmin.
func (s *Service) SetDisabled(id uint64, disabled bool) error {
	err := s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if !u.Erased.IsZero() {
			return ErrErased
		}
		switch {
		case disabled && u.Disabled.IsZero():
			if u.Admin {
				if err := keepOneAdmin(tx, id); err != nil {
					return err
				}
			}
			u.Disabled = s.now().UTC()
			u.SessionEpoch++
		case !disabled:
			u.Disabled = time.Time{}
		default:
			return nil
		}
		return store.PutJSON(tx, bucketUsers, store.ID(id), u)
	})
	if err != nil {
		return fmt.Errorf("disable for user %d: %w", id, err)
	}
	return nil
}

// Unlock reopens user id's account after it was locked for too many wrong
// secrets, and forgets the failures that locked it.
// Refuses with ErrNotFound.
func (s *Service) Unlock(id uint64) error {
	err := s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		u.Locked = time.Time{}
		if err := forgetFailures(tx, u); err != nil {
			return err
		}
		return store.PutJSON(tx, bucketUsers, store.ID(id), u)
	})
	if err != nil {
		return fmt.Errorf("unlock user %d: %w", id, err)
	}
	return nil
}

// MemberIDsTx lists, inside the caller's transaction, the users who hold
// role in area, in ID order (for messages to an area's coordinators).
func MemberIDsTx(tx store.Tx, area uint64, role Role) ([]uint64, error) {
	var ids []uint64
	err := tx.Scan(bucketMembers, store.ID(area), func(k, _ []byte) error {
		if len(k) < 17 || string(k[16:len(k)-1]) != string(role) {
			return nil
		}
		id, err := store.ParseID(k, 8)
		if err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	return ids, err
}

// AdminIDsTx lists, inside the caller's transaction, the installation's
// open administrator accounts. It reads every account: for rare events
// (a locked staff account), not for pages.
func AdminIDsTx(tx store.Tx) ([]uint64, error) {
	var ids []uint64
	err := store.ScanJSON(tx, bucketUsers, nil, func(_ []byte, u User) error {
		if u.Admin && u.Active() {
			ids = append(ids, u.ID)
		}
		return nil
	})
	return ids, err
}
