package people

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// The second factor is a time-based one-time password (TOTP, RFC 6238) as
// authenticator apps make them: HMAC-SHA-1 over 30-second steps, 6 digits,
// and a code from the step before or after the current one is accepted for
// clock drift. Each accepted code moves the user's last step forward, so a
// code (or any older one) works only once. Eight recovery codes, shown
// once at enrolment and stored as SHA-256 hashes, stand in for a lost
// phone; each works once.

const (
	totpPeriod    = 30 // seconds per step
	totpDigits    = 6
	totpSkew      = 1  // steps accepted either side of now
	totpKeyBytes  = 20 // 160 bits, RFC 4226's recommended key length
	recoveryCount = 8
	recoveryLen   = 10
	totpIssuer    = "Fritidsjob"
)

// Second-factor errors.
var (
	// ErrBadCode is a wrong, expired or already used code (TOTP or recovery).
	ErrBadCode = fault.New(fault.Unauthenticated, "people.bad_code")
	// ErrTOTPEnabled refuses a second enrolment; an admin must disable the
	// first one (DisableTOTP).
	ErrTOTPEnabled = fault.New(fault.Conflict, "people.totp_enabled")
)

// b32 is the RFC 4648 alphabet without padding, as otpauth:// URLs use.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// recoveryAlphabet is Crockford's base32: no I, L, O or U, so a code read
// aloud or copied by hand is not misread. 32 symbols: 5 bits each.
const recoveryAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// decodeTOTPSecret reads a base32 key, ignoring case, spaces and padding.
func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	key, err := b32.DecodeString(s)
	if err != nil || len(key) < 16 {
		return nil, invalid("totp_secret", "format") // never echo the secret
	}
	return key, nil
}

// hotp is RFC 4226's HOTP value for counter, as totpDigits decimal digits.
func hotp(key []byte, counter uint64) string {
	m := hmac.New(sha1.New, key)
	m.Write(binary.BigEndian.AppendUint64(nil, counter))
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range totpDigits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", totpDigits, bin%mod)
}

// totpStep is the RFC 6238 time step of t (T0 = 0).
func totpStep(t time.Time) int64 { return floorDiv(t.Unix(), totpPeriod) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// TOTPCode is the 6-digit code for the base32 secret at time t, as an
// authenticator app shows it. The app's own pages never need it; tests and
// tools do.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(totpStep(t))), nil
}

// matchTOTP returns the step within ±totpSkew of now whose code is code
// and which is later than after, or false. Every candidate is computed and
// compared in constant time.
func matchTOTP(key []byte, code string, now time.Time, after int64) (int64, bool) {
	cur := totpStep(now)
	var step int64
	found := false
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		if s < 0 {
			continue
		}
		eq := subtle.ConstantTimeCompare([]byte(hotp(key, uint64(s))), []byte(code)) == 1
		if eq && s > after && !found {
			step, found = s, true
		}
	}
	return step, found
}

// normCode strips what people type between digits or groups and reads
// recovery codes in Crockford's forgiving way (O as 0, I and L as 1).
func normCode(code string) string {
	code = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(code))
	return strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(code)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func recoveryHash(code string) string {
	h := sha256.Sum256([]byte("fritidsjob-recovery\x00" + code))
	return hex.EncodeToString(h[:])
}

// newRecoveryCodes returns n fresh codes of recoveryLen symbols each.
func newRecoveryCodes(n int) ([]string, error) {
	out := make([]string, 0, n)
	buf := make([]byte, recoveryLen)
	for range n {
		if _, err := rand.Read(buf); err != nil {
			return nil, fmt.Errorf("recovery codes: %w", err)
		}
		b := make([]byte, recoveryLen)
		for i, x := range buf {
			b[i] = recoveryAlphabet[x&31] // 256 is a multiple of 32: no bias
		}
		out = append(out, string(b))
	}
	return out, nil
}

// NeedsSecondFactor reports whether u's roles call for a second factor
// (ASVS 6.3.3): installation admins, and coordinators and evaluators in
// any area. Youths log in with username and PIN only.
func (s *Service) NeedsSecondFactor(u User) bool {
	if u.Admin {
		return true
	}
	for _, m := range u.Memberships {
		if m.Role == RoleCoordinator || m.Role == RoleEvaluator {
			return true
		}
	}
	return false
}

// HasTOTP reports whether u has enrolled a second factor.
func (s *Service) HasTOTP(u User) bool { return u.TOTPSecret != "" }

// canEnrol refuses PIN accounts (youths) and users who have a factor.
func canEnrol(u User) error {
	if u.SecretKind == SecretPIN {
		return invalid("totp", "pin_account")
	}
	if u.TOTPSecret != "" {
		return ErrTOTPEnabled
	}
	return nil
}

// BeginTOTP makes a new 160-bit secret for userID and the otpauth:// URL
// an authenticator app reads from a QR code. Nothing is stored: the caller
// keeps the secret (server-side) until EnableTOTP confirms that the app
// has it.
// Refuses with ErrNotFound, ErrTOTPEnabled and invalid input.
func (s *Service) BeginTOTP(userID uint64) (secret, otpauthURL string, err error) {
	u, err := s.User(userID)
	if err != nil {
		return "", "", fmt.Errorf("begin totp: %w", err)
	}
	if err := canEnrol(u); err != nil {
		return "", "", fmt.Errorf("begin totp for user %d: %w", userID, err)
	}
	key := make([]byte, totpKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return "", "", fmt.Errorf("totp secret: %w", err)
	}
	secret = b32.EncodeToString(key)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", totpIssuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(totpDigits))
	q.Set("period", fmt.Sprint(totpPeriod))
	link := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + u.Username, RawQuery: q.Encode()}
	return secret, link.String(), nil
}

// EnableTOTP stores secret as userID's second factor once code shows that
// the authenticator app has it, and returns eight new recovery codes. The
// codes are shown once: only their hashes are kept.
// Refuses with ErrNotFound, ErrTOTPEnabled, ErrBadCode and invalid input.
func (s *Service) EnableTOTP(userID uint64, secret, code string) ([]string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return nil, fmt.Errorf("enable totp for user %d: %w", userID, err)
	}
	code = normCode(code)
	if len(code) != totpDigits || !isDigits(code) {
		return nil, fmt.Errorf("enable totp for user %d: %w", userID, ErrBadCode)
	}
	step, ok := matchTOTP(key, code, s.now(), -1)
	if !ok {
		return nil, fmt.Errorf("enable totp for user %d: %w", userID, ErrBadCode)
	}
	codes, err := newRecoveryCodes(recoveryCount)
	if err != nil {
		return nil, err
	}
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = recoveryHash(c)
	}
	err = s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, userID)
		if err != nil {
			return err
		}
		if err := canEnrol(u); err != nil {
			return err
		}
		if u.TOTPSecret, err = s.keys.sealField(userID, "totp", b32.EncodeToString(key)); err != nil {
			return err
		}
		u.TOTPLastStep = step // the code just used does not log in again
		u.RecoveryHashes = hashes
		return store.PutJSON(tx, bucketUsers, store.ID(userID), u)
	})
	if err != nil {
		return nil, fmt.Errorf("enable totp for user %d: %w", userID, err)
	}
	return codes, nil
}

// VerifyTOTP checks userID's second factor, given from client address ip:
// a 6-digit code from the step before, at or after now that is later than
// the last code accepted, or an unused recovery code (which is then
// spent). A wrong code gives ErrBadCode; PerAccount wrong codes from one
// address (an IPv6 /64) within the throttle window lock the second factor
// there until the window ends (*ThrottledError), so someone who knows the
// password cannot lock its owner out from elsewhere. The attempt is
// counted, the code checked and the step or recovery code used up in one
// transaction, so two requests cannot both use one code. A seed stored
// before sealing is sealed at its first right code.
// Refuses with ErrNotFound, ErrBadCode, *ThrottledError (ErrThrottled) and
// invalid input.
func (s *Service) VerifyTOTP(userID uint64, code, ip string) error {
	code = normCode(code)
	key := store.Key("totp", userID, networkKey(ip))
	now := s.now()
	ok := false
	err := s.db.Update(func(tx store.Tx) error {
		b, err := tx.Get(bucketThrottle, key)
		if err != nil {
			return err
		}
		cur := decodeCounter(b)
		if now.Sub(cur.start) >= s.throttle.Window || now.Before(cur.start) {
			cur = counter{start: now}
		}
		if cur.n >= s.throttle.PerAccount {
			return &ThrottledError{RetryAfter: cur.start.Add(s.throttle.Window).Sub(now)}
		}
		u, err := getUser(tx, userID)
		if err != nil {
			return err
		}
		seed, sealed, err := s.keys.openField(userID, "totp", u.TOTPSecret)
		if err != nil {
			return err
		}
		ok = checkSecondFactor(&u, seed, code, now)
		if !ok {
			cur.n++
			return tx.Put(bucketThrottle, key, cur.encode())
		}
		if !sealed && seed != "" {
			if u.TOTPSecret, err = s.keys.sealField(userID, "totp", seed); err != nil {
				return err
			}
		}
		// A right code leaves the failure count alone (as Login does), so
		// the owner's logins do not buy a guesser new tries.
		return store.PutJSON(tx, bucketUsers, store.ID(userID), u)
	})
	if err != nil {
		return fmt.Errorf("verify totp for user %d: %w", userID, err)
	}
	if !ok {
		return ErrBadCode
	}
	return nil
}

// checkSecondFactor reports whether code is good for u, whose TOTP seed
// (base32) is seed, at now and, if so, uses it up in u (the caller stores u).
func checkSecondFactor(u *User, seed, code string, now time.Time) bool {
	if seed == "" {
		return false
	}
	switch {
	case len(code) == totpDigits && isDigits(code):
		key, err := decodeTOTPSecret(seed)
		if err != nil {
			return false
		}
		step, ok := matchTOTP(key, code, now, u.TOTPLastStep)
		if ok {
			u.TOTPLastStep = step
		}
		return ok
	case len(code) == recoveryLen:
		h := recoveryHash(code)
		found := -1
		for i, stored := range u.RecoveryHashes {
			if subtle.ConstantTimeCompare([]byte(stored), []byte(h)) == 1 {
				found = i
			}
		}
		if found < 0 {
			return false
		}
		u.RecoveryHashes = slices.Delete(slices.Clone(u.RecoveryHashes), found, found+1)
		return true
	}
	return false
}

// DisableTOTP removes userID's second factor and recovery codes, for an
// admin helping someone who lost both phone and codes. With second factors
// required, the user enrols again at the next login. It ends the user's
// sessions.
// Refuses with ErrNotFound.
func (s *Service) DisableTOTP(userID uint64) error {
	return s.updateUser(userID, "disable totp", func(u *User) error {
		u.TOTPSecret, u.TOTPLastStep, u.RecoveryHashes = "", 0, nil
		u.SessionEpoch++ // a lost phone may be in someone else's hands
		return nil
	})
}

// UserByUsername returns the account with username (any case), or
// ErrNotFound; admins name accounts by username.
func (s *Service) UserByUsername(username string) (User, error) {
	var u User
	err := s.db.View(func(tx store.Tx) error {
		var err error
		u, err = userByName(tx, username)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("user %q: %w", normUsername(username), err)
	}
	return u, nil
}
