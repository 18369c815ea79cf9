package cv

import (
	"crypto/sha256"

	"fritidsjob/store"
)

// Buckets owned by this package.
const (
	bucketCVs        = "cvs"            // Key(area, youth) -> CV
	bucketCourses    = "cv_courses"     // Key(area, youth, id) -> Course
	bucketCodes      = "cv_codes"       // sha256(code) -> Code
	bucketYouthCodes = "cv_codes_youth" // Key(area, youth, id) -> sha256(code)
)

// storedCV is a CV at rest: everything the youth wrote is sealed with the
// youth's own key, so erasing the youth makes it unreadable everywhere.
type storedCV struct {
	AreaID  uint64 `json:"area"`
	YouthID uint64 `json:"youth"`
	Sealed  []byte `json:"sealed"`
}

// codeKey is the key of a code in bucketCodes: the SHA-256 of its
// normalised form, so a code typed in any accepted form finds it.
func codeKey(code string) []byte {
	h := sha256.Sum256([]byte(normalise(code)))
	return h[:]
}

// putCode stores a code under its key and indexes it for its youth.
func putCode(tx store.Tx, c Code) error {
	key := codeKey(c.Value)
	if err := store.PutJSON(tx, bucketCodes, key, c); err != nil {
		return err
	}
	return tx.Put(bucketYouthCodes, store.Key(c.AreaID, c.YouthID, c.ID), key)
}

// eachCode calls fn with each of youth's codes in area, oldest first.
func (s *Service) eachCode(tx store.Tx, area, youth uint64, fn func(Code) error) error {
	return tx.Scan(bucketYouthCodes, store.Key(area, youth), func(_, key []byte) error {
		c, ok, err := store.GetJSON[Code](tx, bucketCodes, key)
		if err != nil || !ok {
			return err
		}
		return fn(c)
	})
}
