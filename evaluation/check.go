package evaluation

import (
	"errors"
	"fmt"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Check verifies this package's invariants inside tx, for 'fritidsjob
// check': every external ID names a youth of its area, and every imported
// job spell belongs to a youth of its area and does not end before it
// starts. It returns all problems joined.
func Check(tx store.Tx) error {
	var errs []error
	err := store.ScanJSON(tx, bucketExternal, nil, func(k []byte, ref externalRef) error {
		ok, err := people.YouthExists(tx, ref.Area, ref.Youth)
		if err != nil {
			return err
		}
		if !ok {
			errs = append(errs, fmt.Errorf("external id %q names youth %d, not a youth of area %d", k, ref.Youth, ref.Area))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = store.ScanJSON(tx, bucketImportedSpells, nil, func(k []byte, s importedSpell) error {
		area, err := store.ParseID(k, 0)
		if err != nil {
			return err
		}
		ok, err := people.YouthExists(tx, area, s.YouthID)
		if err != nil {
			return err
		}
		if !ok {
			errs = append(errs, fmt.Errorf("imported job spell %x: youth %d is not in area %d", k, s.YouthID, area))
		}
		if s.End != nil && s.End.Before(s.Start) {
			errs = append(errs, fmt.Errorf("imported job spell %x ends before it starts", k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}
