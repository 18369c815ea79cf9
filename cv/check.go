package cv

import (
	"bytes"
	"errors"
	"fmt"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Check verifies that every CV, course and code belongs to a youth of its
// area and that every code is indexed for its youth under its own hash.
func Check(tx store.Tx) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	youth := func(area, id uint64) bool {
		ok, err := people.YouthExists(tx, area, id)
		return err == nil && ok
	}
	if err := store.ScanJSON(tx, bucketCVs, nil, func(_ []byte, c CV) error {
		if !youth(c.AreaID, c.YouthID) {
			bad("cv of %d/%d: no such youth", c.AreaID, c.YouthID)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := store.ScanJSON(tx, bucketCourses, nil, func(_ []byte, c Course) error {
		if !youth(c.AreaID, c.YouthID) {
			bad("course %d: no such youth %d/%d", c.ID, c.AreaID, c.YouthID)
		}
		return nil
	}); err != nil {
		return err
	}
	indexed := 0
	if err := tx.Scan(bucketYouthCodes, nil, func(k, hash []byte) error {
		indexed++
		c, ok, err := store.GetJSON[Code](tx, bucketCodes, hash)
		if err != nil {
			return err
		}
		if !ok || !bytes.Equal(codeKey(c.Value), hash) || !bytes.Equal(store.Key(c.AreaID, c.YouthID, c.ID), k) {
			bad("code index %x does not match its code", k)
		}
		return nil
	}); err != nil {
		return err
	}
	codes := 0
	if err := tx.Scan(bucketCodes, nil, func(_, _ []byte) error { codes++; return nil }); err != nil {
		return err
	}
	if codes != indexed {
		bad("%d codes, %d indexed", codes, indexed)
	}
	return errors.Join(errs...)
}
