package people

import (
	"fmt"

	"fritidsjob/fault"
	"fritidsjob/store"
)

const bucketGuardianLinks = "guardian_links" // Key(area, guardian, youth) -> empty

// ErrNotGuardian means the account holds no guardian role in the area.
var ErrNotGuardian = fault.InvalidField("guardian", "not_guardian")

// LinkGuardian connects a guardian's account to a youth of the same area,
// so the guardian can see the youth's access log and data while the youth
// is under the digital consent age.
// Refuses with ErrNotFound, ErrNotGuardian.
func (s *Service) LinkGuardian(area, youth, guardian uint64) error {
	return s.db.Update(func(tx store.Tx) error {
		if _, err := youthRaw(tx, area, youth); err != nil {
			return err
		}
		g, err := getUser(tx, guardian)
		if err != nil {
			return err
		}
		if !g.HasRole(area, RoleGuardian) {
			return ErrNotGuardian
		}
		return tx.Put(bucketGuardianLinks, store.Key(area, guardian, youth), nil)
	})
}

// IsGuardianOf reports whether guardian is linked to youth in area.
func (s *Service) IsGuardianOf(area, guardian, youth uint64) (bool, error) {
	var ok bool
	err := s.db.View(func(tx store.Tx) error {
		v, err := tx.Get(bucketGuardianLinks, store.Key(area, guardian, youth))
		ok = v != nil
		return err
	})
	return ok, err
}

// Children lists the youths guardian is linked to in area.
// Refuses with ErrNotFound, ErrUnreadable.
func (s *Service) Children(area, guardian uint64) ([]YouthView, error) {
	var out []YouthView
	err := s.db.View(func(tx store.Tx) error {
		return tx.Scan(bucketGuardianLinks, store.Key(area, guardian), func(k, _ []byte) error {
			id, err := store.ParseID(k, 16)
			if err != nil {
				return err
			}
			y, err := youthRaw(tx, area, id)
			if err != nil {
				return fmt.Errorf("guardian link to %d: %w", id, err)
			}
			u, err := getUser(tx, id)
			if err != nil {
				return err
			}
			v := YouthView{User: u, Youth: y}
			if err := s.revealView(tx, &v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	})
	return out, err
}
