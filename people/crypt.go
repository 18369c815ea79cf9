package people

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// Personal fields of a youth (name, birth date, guardians, and the CV's
// free text through Seal/Open) are encrypted with a key of the youth's
// own, AES-256-GCM. The keys live in their own bucket, wrapped by a key
// derived from the installation secret, which is not in the database
// file. Erasing a youth deletes the key: the ciphertext left in the live
// file, in free pages and in older backups can no longer be read
// (crypto-shredding). An old backup together with the installation secret
// still holds the wrapped key, so backups must expire too.

const bucketKeys = "youth_keys" // ID(user) -> nonce || AES-GCM(kek, data key)

// ErrErased means the youth's key was deleted: their personal data is gone.
var ErrErased = fault.New(fault.Gone, "people.erased")

// sealed is the prefix of every sealed value (format version 1).
const sealedV1 = 0x01

// keyring holds the keys derived from the installation secret: kek wraps
// the youths' data keys, field seals account secrets that must be read
// back (the TOTP seed), so neither is usable from the data file alone.
type keyring struct{ kek, field cipher.AEAD }

func newKeyring(secret []byte) (*keyring, error) {
	if len(secret) < 32 {
		return nil, errors.New("people: the installation secret must be at least 32 bytes")
	}
	derive := func(label string) (cipher.AEAD, error) {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(label))
		return gcm(m.Sum(nil))
	}
	kek, err := derive("fritidsjob youth-key wrapping v1")
	if err != nil {
		return nil, err
	}
	field, err := derive("fritidsjob account-secret sealing v1")
	if err != nil {
		return nil, err
	}
	return &keyring{kek: kek, field: field}, nil
}

// sealedFieldPrefix marks an account secret sealed by sealField; a value
// without it was stored in plain text before sealing.
const sealedFieldPrefix = "s1:"

// sealField encrypts an account secret of user (what names it, e.g.
// "totp") for storage: "s1:" and base64url(nonce || AES-GCM).
func (k *keyring) sealField(user uint64, what, plain string) (string, error) {
	nonce := make([]byte, k.field.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := k.field.Seal(nonce, nonce, []byte(plain), store.Key(what, user))
	return sealedFieldPrefix + base64.RawURLEncoding.EncodeToString(ct), nil
}

// openField returns the plain text of a value sealField made, and a value
// stored before sealing as it is (sealed reports which); ErrUnreadable
// when it does not open with this installation secret.
func (k *keyring) openField(user uint64, what, stored string) (plain string, sealed bool, err error) {
	rest, ok := strings.CutPrefix(stored, sealedFieldPrefix)
	if !ok {
		return stored, false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	ns := k.field.NonceSize()
	if err != nil || len(b) < ns {
		return "", true, fmt.Errorf("people: sealed %s of %d is malformed: %w", what, user, ErrUnreadable)
	}
	p, err := k.field.Open(nil, b[:ns], b[ns:], store.Key(what, user))
	if err != nil {
		return "", true, fmt.Errorf("people: sealed %s of %d does not open: %w", what, user, ErrUnreadable)
	}
	return string(p), true, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// youthKey returns user's data key, creating it when create is set. It
// never creates a key for an erased user: that would let a late write
// (an open session, a retried job) bring personal data back, and make the
// user's older sealed values fail to open instead of reading as erased.
func (k *keyring) youthKey(tx store.Tx, user uint64, create bool) (cipher.AEAD, error) {
	wrapped, err := tx.Get(bucketKeys, store.ID(user))
	if err != nil {
		return nil, err
	}
	var raw []byte
	switch {
	case wrapped != nil:
		ns := k.kek.NonceSize()
		if len(wrapped) < ns {
			return nil, fmt.Errorf("people: youth key %d is corrupt: %w", user, ErrUnreadable)
		}
		raw, err = k.kek.Open(nil, wrapped[:ns], wrapped[ns:], store.ID(user))
		if err != nil {
			return nil, fmt.Errorf("people: youth key %d does not open with this installation secret: %w", user, ErrUnreadable)
		}
	case create:
		if u, ok, err := store.GetJSON[User](tx, bucketUsers, store.ID(user)); err != nil {
			return nil, err
		} else if ok && !u.Erased.IsZero() {
			return nil, ErrErased
		}
		raw = make([]byte, 32)
		nonce := make([]byte, k.kek.NonceSize())
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		if err := tx.Put(bucketKeys, store.ID(user), k.kek.Seal(nonce, nonce, raw, store.ID(user))); err != nil {
			return nil, err
		}
	default:
		return nil, ErrErased
	}
	return gcm(raw)
}

// seal encrypts v (as JSON) under user's key, binding it to the user ID;
// ErrErased for an erased user, whose key is never made again.
func (k *keyring) seal(tx store.Tx, user uint64, v any) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	aead, err := k.youthKey(tx, user, true)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte{sealedV1}, nonce...)
	return aead.Seal(out, nonce, plain, store.ID(user)), nil
}

// open decrypts a value sealed for user into v; ErrErased when the key is
// gone, ErrUnreadable when the value or the key does not open.
func (k *keyring) open(tx store.Tx, user uint64, sealed []byte, v any) error {
	aead, err := k.youthKey(tx, user, false)
	if err != nil {
		return err
	}
	ns := aead.NonceSize()
	if len(sealed) < 1+ns || sealed[0] != sealedV1 {
		return fmt.Errorf("people: malformed sealed value of %d: %w", user, ErrUnreadable)
	}
	plain, err := aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], store.ID(user))
	if err != nil {
		return fmt.Errorf("people: sealed value of %d (%v): %w", user, err, ErrUnreadable)
	}
	return json.Unmarshal(plain, v)
}

// Seal encrypts v under youth's key inside tx, for other packages' personal
// free text (the CV). It is unreadable once the youth is erased.
// Refuses with ErrErased, ErrUnreadable.
func (s *Service) Seal(tx store.Tx, youth uint64, v any) ([]byte, error) {
	return s.keys.seal(tx, youth, v)
}

// Open decrypts what Seal produced; ErrErased once the youth is erased.
func (s *Service) Open(tx store.Tx, youth uint64, sealed []byte, v any) error {
	return s.keys.open(tx, youth, sealed, v)
}

// sealedName and sealedYouth are the encrypted parts of a youth's records.
type sealedName struct {
	DisplayName string `json:"n"`
	Phone       string `json:"p,omitempty"`
	Email       string `json:"e,omitempty"`
}

type sealedYouth struct {
	BirthDate Date              `json:"b"`
	Guardians []GuardianContact `json:"g,omitempty"`
	CPR       string            `json:"c,omitempty"`
}

// revealUser decrypts a youth's sealed name into u. An erased youth has no
// name (the UI shows a placeholder); a youth whose name does not open is
// marked Unreadable rather than failing, so one damaged record cannot
// take every page that names users down with it.
func (s *Service) revealUser(tx store.Tx, u *User) error {
	if len(u.Sealed) == 0 || !u.Erased.IsZero() {
		return nil
	}
	var n sealedName
	if err := s.keys.open(tx, u.ID, u.Sealed, &n); err != nil {
		switch {
		case errors.Is(err, ErrErased):
			return nil
		case errors.Is(err, ErrUnreadable):
			u.Unreadable = true
			return nil
		}
		return err
	}
	u.DisplayName, u.Contact.Phone, u.Contact.Email = n.DisplayName, n.Phone, n.Email
	return nil
}

// revealYouth decrypts a youth's sealed profile into y; ErrUnreadable when
// it does not open.
func (s *Service) revealYouth(tx store.Tx, y *Youth) error {
	if len(y.Sealed) == 0 {
		return nil
	}
	var v sealedYouth
	if err := s.keys.open(tx, y.UserID, y.Sealed, &v); err != nil {
		if errors.Is(err, ErrErased) {
			return nil
		}
		return err
	}
	y.BirthDate, y.Guardians = v.BirthDate, v.Guardians
	return nil
}

// revealView decrypts a youth's account and profile; ErrUnreadable when
// either does not open. An erased youth's profile is not opened at all.
func (s *Service) revealView(tx store.Tx, v *YouthView) error {
	if err := s.revealUser(tx, &v.User); err != nil {
		return err
	}
	if !v.User.Erased.IsZero() {
		return nil
	}
	if v.User.Unreadable {
		return fmt.Errorf("youth %d: %w", v.User.ID, ErrUnreadable)
	}
	return s.revealYouth(tx, &v.Youth)
}

// EraseYouth erases a youth's personal data: their key is deleted, so the
// sealed name, birth date, guardians and CV text are unreadable
// everywhere they were written; the login is closed, the username freed
// and every open session of the youth ends. What stays is pseudonymous:
// the user ID in participation records, the ledger and the access log, and
// gender and school status for anonymous counts.
// Refuses with ErrNotFound.
func (s *Service) EraseYouth(area, youth, _ uint64) error {
	return s.db.Update(func(tx store.Tx) error {
		if _, err := youthRaw(tx, area, youth); err != nil {
			return err
		}
		u, err := getUser(tx, youth)
		if err != nil {
			return err
		}
		if err := tx.Delete(bucketKeys, store.ID(youth)); err != nil {
			return err
		}
		if err := tx.Delete(bucketUsernames, []byte(u.Username)); err != nil {
			return err
		}
		u.Username = fmt.Sprintf("erased-%d", youth)
		u.DisplayName, u.Hash, u.TOTPSecret, u.RecoveryHashes, u.Contact = "", "", "", nil, Contact{}
		u.Erased = s.now().UTC()
		u.SessionEpoch++
		if err := tx.Put(bucketUsernames, []byte(u.Username), store.ID(youth)); err != nil {
			return err
		}
		return store.PutJSON(tx, bucketUsers, store.ID(youth), u)
	})
}

// YouthExists reports whether user is a youth of area, without reading any
// sealed field (for other packages' invariant checks).
func YouthExists(tx store.Tx, area, user uint64) (bool, error) {
	_, err := youthRaw(tx, area, user)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// SetCPR stores a youth's CPR number, sealed with the youth's key like the
// rest of their personal data. It must have the form DDMMYY-SSSS and its
// date must be the youth's birth date (CPR has had no modulus-11 check
// since 2007). Only the payroll export and administrators read it.
// Refuses with ErrNotFound, ErrUnreadable and invalid input.
func (s *Service) SetCPR(area, youth uint64, cpr string) error {
	return s.db.Update(func(tx store.Tx) error {
		y, err := youthRaw(tx, area, youth)
		if err != nil {
			return err
		}
		var v sealedYouth
		if err := s.keys.open(tx, youth, y.Sealed, &v); err != nil {
			return err
		}
		norm, err := checkCPR(cpr, v.BirthDate)
		if err != nil {
			return err
		}
		v.CPR = norm
		if y.Sealed, err = s.keys.seal(tx, youth, v); err != nil {
			return err
		}
		return store.PutJSON(tx, bucketYouths, store.Key(area, youth), y)
	})
}

// CPR returns youth's CPR number, or "" when none is recorded.
// Refuses with ErrNotFound, ErrErased, ErrUnreadable.
func (s *Service) CPR(area, youth uint64) (string, error) {
	var cpr string
	err := s.db.View(func(tx store.Tx) error {
		y, err := youthRaw(tx, area, youth)
		if err != nil {
			return err
		}
		var v sealedYouth
		if err := s.keys.open(tx, youth, y.Sealed, &v); err != nil {
			return err
		}
		cpr = v.CPR
		return nil
	})
	return cpr, err
}

// checkCPR validates the form DDMMYY-SSSS (the dash optional) against the
// birth date, using the 7th digit for the century as the CPR office does.
func checkCPR(cpr string, birth Date) (string, error) {
	digits := make([]byte, 0, 10)
	for i, r := range cpr {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case r == '-' && i == 6:
		case r == ' ':
		default:
			return "", invalid("cpr", "format")
		}
	}
	if len(digits) != 10 {
		return "", invalid("cpr", "format")
	}
	n := func(i, j int) int {
		v := 0
		for _, d := range digits[i:j] {
			v = v*10 + int(d-'0')
		}
		return v
	}
	day, month, yy, seventh := n(0, 2), n(2, 4), n(4, 6), int(digits[6]-'0')
	century := 1900
	switch {
	case seventh == 4 || seventh == 9:
		if yy <= 36 {
			century = 2000
		}
	case seventh >= 5 && seventh <= 8:
		if yy <= 57 {
			century = 2000
		} else {
			century = 1800
		}
	}
	d, err := ParseDate(fmt.Sprintf("%04d-%02d-%02d", century+yy, month, day))
	if err != nil {
		return "", invalid("cpr", "date")
	}
	if d != birth {
		return "", invalid("cpr", "birth_date")
	}
	return string(digits[:6]) + "-" + string(digits[6:]), nil
}

// UserExists reports whether a user with this ID exists (for other
// packages' invariant checks).
func UserExists(tx store.Tx, user uint64) (bool, error) {
	v, err := tx.Get(bucketUsers, store.ID(user))
	return v != nil, err
}
