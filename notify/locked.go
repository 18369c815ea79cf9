package notify

import (
	"fmt"
	"strconv"

	"fritidsjob/people"
	"fritidsjob/store"
)

// AccountLocked tells those who can unlock u's account that too many wrong
// secrets locked it: a youth's area coordinators, or for any other account
// the installation's administrators. It is people.Options.OnLock, so it
// runs in the transaction that locks the account. The message names the
// account by ID only; the inbox shows its name to its staff readers.
func AccountLocked(tx store.Tx, u people.User) error {
	var to []uint64
	var area uint64
	var err error
	for _, m := range u.Memberships {
		if m.Role == people.RoleYouth {
			area = m.AreaID
		}
	}
	if area != 0 {
		to, err = people.MemberIDsTx(tx, area, people.RoleCoordinator)
	} else {
		to, err = people.AdminIDsTx(tx)
	}
	if err != nil {
		return fmt.Errorf("notify account %d locked: %w", u.ID, err)
	}
	for _, r := range to {
		if r == u.ID {
			continue
		}
		if err := Enqueue(tx, Message{UserID: r, AreaID: area, Kind: KindAccountLocked,
			Params:  map[string]string{"user": strconv.FormatUint(u.ID, 10)},
			Created: u.Locked,
			Key:     fmt.Sprintf("%s:user:%d:at:%d:to:%d", KindAccountLocked, u.ID, u.Locked.UnixNano(), r)}); err != nil {
			return err
		}
	}
	return nil
}
