package people

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"fritidsjob/fault"
	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

// TestLoginManyAddressesLockTheAccount is the review's attack: guesses at
// one PIN from many addresses (31 loopback addresses found a 4-digit PIN
// in 151 guesses). Whatever the addresses, no more than LockAfter guesses
// are checked; then the account is locked, even against the right PIN,
// until it is unlocked.
func TestLoginManyAddressesLockTheAccount(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	u, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i := 0; i < 200; i++ {
		guess := fmt.Sprintf("%06d", 100000+i*37)
		_, err := s.Login("sara", guess, fmt.Sprintf("127.0.0.%d", 1+i%31))
		switch {
		case errors.Is(err, ErrBadCredentials):
			checked++
		case errors.Is(err, ErrLocked):
			if checked == DefaultThrottle.LockAfter-1 {
				checked++ // the guess that locked was checked too
			}
		default:
			var th *ThrottledError
			if !errors.As(err, &th) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
	}
	if checked > DefaultThrottle.LockAfter {
		t.Fatalf("%d guesses checked from 31 addresses, the lock allows %d", checked, DefaultThrottle.LockAfter)
	}
	if _, err := s.Login("sara", "482916", "10.9.9.9"); !errors.Is(err, ErrLocked) {
		t.Fatalf("right PIN on a locked account: %v", err)
	}
	if got, _ := s.User(u.ID); got.Locked.IsZero() {
		t.Fatal("the account does not show as locked")
	}
	if err := s.Unlock(u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login("sara", "482916", "10.9.9.9"); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	// A right secret clears the run of failures: nine more wrong ones do not lock.
	for i := 0; i < DefaultThrottle.LockAfter-1; i++ {
		s.Login("sara", "000001", fmt.Sprintf("10.1.0.%d", i))
	}
	if _, err := s.Login("sara", "482916", "10.9.9.8"); err != nil {
		t.Fatalf("after %d failures: %v", DefaultThrottle.LockAfter-1, err)
	}
}

// TestLoginIPv6CountsPer64: addresses of one /64 share the per-address
// limit; another /64 has its own.
func TestLoginIPv6CountsPer64(t *testing.T) {
	s, _, _ := newTestService(t)
	lim := DefaultThrottle
	for i := 0; i < lim.PerIP; i++ {
		s.Login(fmt.Sprintf("ghost%d", i), "000001", fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	var th *ThrottledError
	if _, err := s.Login("ghost-new", "000001", "2001:db8:1:2:ffff::1"); !errors.As(err, &th) {
		t.Fatalf("a new address in the same /64 is not throttled: %v", err)
	}
	if _, err := s.Login("ghost-new", "000001", "2001:db8:1:3::1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("another /64: %v", err)
	}
}

// TestLoginClubNATKeepsWorking: one youth (or a guesser) behind a youth
// club's one address hammers one account; the other youths behind the
// same address still log in.
func TestLoginClubNATKeepsWorking(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	for _, n := range []string{"amira", "mads"} {
		if _, err := s.CreateUser(youthUser(a.ID, n, "2012-05-17")); err != nil {
			t.Fatal(err)
		}
	}
	const club = "192.0.2.10"
	for i := 0; i < 500; i++ {
		s.Login("amira", fmt.Sprintf("%06d", i), club)
	}
	if _, err := s.Login("mads", "482916", club); err != nil {
		t.Fatalf("another youth at the club: %v", err)
	}
}

// TestTrivialPINsRefused: new and reset PINs have six digits and are not
// the first ones a guesser tries.
func TestTrivialPINsRefused(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	for pin, code := range map[string]string{
		"2468": "length", "24681357": "length", "12345a": "digits",
		"000000": "trivial", "777777": "trivial", "123456": "trivial", "987654": "trivial", "890123": "trivial",
		"121212": "trivial", "123123": "trivial", "112233": "trivial",
		"170512": "trivial", // 17-05-12, the birth date as DDMMYY
		"120517": "trivial", // YYMMDD
	} {
		n := youthUser(a.ID, "ung"+pin, "2012-05-17")
		n.Secret = pin
		var inv *fault.Error
		if _, err := s.CreateUser(n); !errors.As(err, &inv) || inv.Field != "pin" || inv.Code != code {
			t.Errorf("PIN %s: %v, want pin/%s", pin, err, code)
		}
	}
	u, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17"))
	if err != nil {
		t.Fatal(err)
	}
	var inv *fault.Error
	if err := s.SetSecret(u.ID, "170512"); !errors.As(err, &inv) || inv.Code != "trivial" {
		t.Fatalf("reset to the birth date: %v", err)
	}
	if err := s.SetSecret(u.ID, "583920"); err != nil {
		t.Fatal(err)
	}
}

// TestSecretsArePeppered: a stored hash is of the secret's HMAC under the
// installation's pepper, so it does not verify without the secret; a hash
// written before peppering (a 4-digit PIN) still logs in, and is hashed
// again with the pepper at that login.
func TestSecretsArePeppered(t *testing.T) {
	s, db, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	u, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.User(u.ID)
	if !strings.HasPrefix(got.Hash, "p1$argon2id$") {
		t.Fatalf("stored hash %q is not peppered", got.Hash[:12])
	}
	if ok, _ := verifySecret(strings.TrimPrefix(got.Hash, "p1"), "482916", nil); ok {
		t.Fatal("the hash verifies the PIN without the pepper")
	}
	// A hash from before peppering, of a 4-digit PIN.
	legacy, err := hashSecret("2468", HashParams(testkit.CheapHash), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, u.ID)
		if err != nil {
			return err
		}
		u.Hash = legacy
		return store.PutJSON(tx, bucketUsers, store.ID(u.ID), u)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login("sara", "2468", "10.0.0.1"); err != nil {
		t.Fatalf("an old 4-digit PIN: %v", err)
	}
	if got, _ := s.User(u.ID); !strings.HasPrefix(got.Hash, "p1$") {
		t.Fatal("the old hash was not peppered at login")
	}
	if _, err := s.Login("sara", "2468", "10.0.0.1"); err != nil {
		t.Fatalf("the old PIN after rehashing: %v", err)
	}
}
func TestNetworkKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":          "203.0.113.7",
		"::ffff:203.0.113.7":   "203.0.113.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::9":      "2001:db8:1:2::/64",
		"2001:db8:1:3::9":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
		"::1":                  "::/64",
		"not an address":       "not an address",
	} {
		if got := networkKey(in); got != want {
			t.Errorf("networkKey(%q) = %q, want %q", in, got, want)
		}
	}
}
