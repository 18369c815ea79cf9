package people

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// CreateYouthTx adds a youth without a login (an outreach contact, a youth
// from a programme's old spreadsheets) inside the caller's transaction, so
// an import can add youths and their records all or nothing. The youth
// gets the username "import-<id>", no secret (so no login until a
// coordinator gives a PIN), displayName as their sealed name, and y's birth
// date (sealed), gender and registration time (y.Created, kept on the
// profile; the account's own Created is now, so the inactivity retention
// counts from the import, not from a registration years ago). Unlike accounts
// made on the coordinator's form, the age is not limited to 8–30 today:
// historical youths are older now. It returns the new user ID.
// Refuses with ErrNotFound and invalid input.
func (s *Service) CreateYouthTx(tx store.Tx, area uint64, displayName string, y Youth) (uint64, error) {
	name, err := cleanText("display_name", displayName, 80)
	if err != nil {
		return 0, err
	}
	today := DateOf(s.now().In(Copenhagen))
	if y.BirthDate.IsZero() || !y.BirthDate.Before(today) {
		return 0, invalid("birth_date", "required")
	}
	if y.Gender == "" {
		y.Gender = GenderUnknown
	}
	if !y.Gender.Valid() {
		return 0, invalid("gender", "unknown")
	}
	if y.School == "" {
		y.School = SchoolCompulsory
	}
	if !y.School.Valid() {
		return 0, invalid("school", "unknown")
	}
	if v, err := tx.Get(bucketAreas, store.ID(area)); err != nil {
		return 0, err
	} else if v == nil {
		return 0, fmt.Errorf("area %d: %w", area, ErrNotFound)
	}
	if y.Created.IsZero() {
		y.Created = s.now().UTC()
	}
	id, err := tx.NextID(bucketUsers)
	if err != nil {
		return 0, err
	}
	u := User{ID: id, Username: "import-" + strconv.FormatUint(id, 10), SecretKind: SecretPIN,
		Memberships: []Membership{{AreaID: area, Role: RoleYouth}}, Created: s.now().UTC()}
	if u.Sealed, err = s.keys.seal(tx, id, sealedName{DisplayName: name}); err != nil {
		return 0, err
	}
	if err := store.PutJSON(tx, bucketUsers, store.ID(id), u); err != nil {
		return 0, err
	}
	if err := tx.Put(bucketUsernames, []byte(u.Username), store.ID(id)); err != nil {
		return 0, err
	}
	if err := tx.Put(bucketMembers, store.Key(area, id, string(RoleYouth)), nil); err != nil {
		return 0, err
	}
	y.UserID, y.AreaID, y.Guardians = id, area, nil
	sy := y
	if sy.Sealed, err = s.keys.seal(tx, id, sealedYouth{BirthDate: y.BirthDate}); err != nil {
		return 0, err
	}
	sy.BirthDate = Date{}
	if err := store.PutJSON(tx, bucketYouths, store.Key(area, id), sy); err != nil {
		return 0, fmt.Errorf("create imported youth: %w", err)
	}
	return id, nil
}

// ForEachYouthTx calls fn with each youth profile of area in ID order,
// with the birth date decrypted (zero once the youth is erased, or when
// their sealed data does not open) but without reading names or
// guardians: what anonymous statistics and the evaluation export need, in
// the caller's transaction.
func (s *Service) ForEachYouthTx(tx store.Tx, area uint64, fn func(Youth) error) error {
	return store.ScanJSON(tx, bucketYouths, store.ID(area), func(_ []byte, y Youth) error {
		if err := s.revealYouth(tx, &y); errors.Is(err, ErrUnreadable) {
			y.BirthDate = Date{}
		} else if err != nil {
			return err
		}
		y.Guardians = nil
		return fn(y)
	})
}

// CPRTx returns youth's CPR number inside the caller's transaction ("" when
// none is recorded, the youth is erased or their data does not open:
// 'fritidsjob check' names those), for the administrator's audited
// Statistics Denmark file.
// Refuses with ErrNotFound.
func (s *Service) CPRTx(tx store.Tx, area, youth uint64) (string, error) {
	y, err := youthRaw(tx, area, youth)
	if err != nil {
		return "", err
	}
	if len(y.Sealed) == 0 {
		return "", nil
	}
	var v sealedYouth
	if err := s.keys.open(tx, youth, y.Sealed, &v); err != nil {
		if errors.Is(err, ErrErased) || errors.Is(err, ErrUnreadable) {
			return "", nil
		}
		return "", err
	}
	return v.CPR, nil
}

// ErrCPRDisagrees means a correction would give a youth a birth date other
// than the one their recorded CPR number holds.
var ErrCPRDisagrees = fault.New(fault.Conflict, "people.cpr_disagrees")

// CorrectImportedYouthTx gives an imported youth the birth date, gender and
// registration day of a later import, inside the caller's transaction, and
// reports whether anything changed. An erased youth is never changed: an
// old spreadsheet must not bring erased data back. A birth date that
// disagrees with a recorded CPR number is refused with ErrCPRDisagrees.
// The stored registration time is replaced by registered only when their
// Copenhagen days differ.
// Refuses with ErrNotFound, ErrCPRDisagrees and invalid input.
func (s *Service) CorrectImportedYouthTx(tx store.Tx, area, youth uint64, birth Date, gender Gender, registered time.Time) (bool, error) {
	if !gender.Valid() {
		return false, invalid("gender", "unknown")
	}
	if birth.IsZero() || !birth.Before(DateOf(s.now().In(Copenhagen))) {
		return false, invalid("birth_date", "required")
	}
	y, err := youthRaw(tx, area, youth)
	if err != nil {
		return false, err
	}
	if len(y.Sealed) == 0 {
		return false, nil // never sealed: not a youth this import made
	}
	var v sealedYouth
	if err := s.keys.open(tx, youth, y.Sealed, &v); err != nil {
		if errors.Is(err, ErrErased) {
			return false, nil
		}
		return false, err
	}
	day := func(t time.Time) Date { return DateOf(t.In(Copenhagen)) }
	if v.BirthDate == birth && y.Gender == gender && day(y.Created) == day(registered) {
		return false, nil
	}
	if v.BirthDate != birth && v.CPR != "" {
		if _, err := checkCPR(v.CPR, birth); err != nil {
			return false, fmt.Errorf("youth %d: %w", youth, ErrCPRDisagrees)
		}
	}
	y.Gender = gender
	if day(y.Created) != day(registered) {
		y.Created = registered.UTC()
	}
	v.BirthDate = birth
	if y.Sealed, err = s.keys.seal(tx, youth, v); err != nil {
		return false, err
	}
	if err := store.PutJSON(tx, bucketYouths, store.Key(area, youth), y); err != nil {
		return false, fmt.Errorf("correct imported youth %d: %w", youth, err)
	}
	return true, nil
}
