package people

import (
	"encoding/base32"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fritidsjob/fault"
	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

// rfcSecret is the SHA-1 key of RFC 6238 appendix B and RFC 4226
// appendix D, "12345678901234567890", in base32.
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

func TestHOTPRFC4226Vectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := hotp([]byte("12345678901234567890"), uint64(i)); got != w {
			t.Errorf("HOTP(%d) = %s, want %s", i, got, w)
		}
	}
}

func TestTOTPRFC6238Vectors(t *testing.T) {
	// RFC 6238 appendix B, SHA-1 column; the RFC shows 8 digits, an
	// authenticator app the last 6.
	cases := []struct {
		unix int64
		rfc8 string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	}
	for _, tc := range cases {
		got, err := TOTPCode(rfcSecret, time.Unix(tc.unix, 0))
		if err != nil || got != tc.rfc8[2:] {
			t.Errorf("TOTP at %d = %q, %v; want %s", tc.unix, got, err, tc.rfc8[2:])
		}
	}
	// Lower case, spaces and padding are read as well.
	if got, _ := TOTPCode(strings.ToLower(rfcSecret[:8])+" "+rfcSecret[8:]+"====", time.Unix(59, 0)); got != "287082" {
		t.Errorf("secret with spaces and padding: %q", got)
	}
	if _, err := TOTPCode("not base32!", time.Unix(59, 0)); err == nil {
		t.Error("malformed secret accepted")
	}
}

// staffUser creates a password account with role in area (admin when role
// is empty).
func staffUser(t *testing.T, s *Service, area uint64, username string, role Role) User {
	t.Helper()
	n := NewUser{Username: username, DisplayName: "Åse Ørum", Secret: "et-godt-kodeord-1", SecretKind: SecretPassword}
	if role == "" {
		n.Admin = true
	} else {
		n.Memberships = []Membership{{AreaID: area, Role: role}}
	}
	u, err := s.CreateUser(n)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// enrol runs BeginTOTP and EnableTOTP for u at the clock's time.
func enrol(t *testing.T, s *Service, clk *testkit.Clock, u User) (secret string, codes []string) {
	t.Helper()
	secret, _, err := s.BeginTOTP(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, err := TOTPCode(secret, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	codes, err = s.EnableTOTP(u.ID, secret, code)
	if err != nil {
		t.Fatalf("EnableTOTP: %v", err)
	}
	return secret, codes
}

func TestTOTPEnrolment(t *testing.T) {
	s, _, clk := newTestService(t)
	area := mustArea(t, s, "Blåbærparken")
	u := staffUser(t, s, area.ID, "mette", RoleCoordinator)

	secret, link, err := s.BeginTOTP(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	key, err := b32.DecodeString(secret)
	if err != nil || len(key) != 20 {
		t.Fatalf("secret %d bytes, %v; want 160 bits of base32", len(key), err)
	}
	pu, err := url.Parse(link)
	if err != nil || pu.Scheme != "otpauth" || pu.Host != "totp" || pu.Path != "/Fritidsjob:mette" {
		t.Fatalf("otpauth URL %q", link)
	}
	q := pu.Query()
	if q.Get("secret") != secret || q.Get("issuer") != "Fritidsjob" || q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Fatalf("otpauth query %v", q)
	}
	if again, _, _ := s.BeginTOTP(u.ID); again == secret {
		t.Fatal("BeginTOTP gave the same secret twice")
	}
	// Begin stores nothing.
	if got, _ := s.User(u.ID); s.HasTOTP(got) || got.TOTPSecret != "" {
		t.Fatal("BeginTOTP stored the secret")
	}

	// A wrong code enables nothing, and no error names the secret.
	good, _ := TOTPCode(secret, clk.Now())
	wrong := "000000"
	if wrong == good {
		wrong = "111111"
	}
	for _, bad := range []string{wrong, "", "12345", "abcdef", "1234567"} {
		_, err := s.EnableTOTP(u.ID, secret, bad)
		if !errors.Is(err, ErrBadCode) {
			t.Fatalf("EnableTOTP with %q: %v, want ErrBadCode", bad, err)
		}
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("error names the secret: %v", err)
		}
	}
	var inv *fault.Error
	if _, err := s.EnableTOTP(u.ID, "!!"+secret, good); !errors.As(err, &inv) || inv.Kind != fault.Invalid || strings.Contains(err.Error(), secret) {
		t.Fatalf("malformed secret: %v", err)
	}
	if got, _ := s.User(u.ID); s.HasTOTP(got) {
		t.Fatal("enabled after wrong codes")
	}

	codes, err := s.EnableTOTP(u.ID, secret, good)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 8 {
		t.Fatalf("%d recovery codes, want 8", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 10 || strings.Trim(c, recoveryAlphabet) != "" || seen[c] {
			t.Fatalf("recovery code %q: want 10 distinct Crockford symbols", c)
		}
		seen[c] = true
	}
	got, err := s.User(u.ID)
	seed, sealed, _ := s.keys.openField(u.ID, "totp", got.TOTPSecret)
	if err != nil || !s.HasTOTP(got) || !sealed || seed != secret || strings.Contains(got.TOTPSecret, secret) || len(got.RecoveryHashes) != 8 {
		t.Fatalf("after enabling: HasTOTP=%v, %d hashes, %v", s.HasTOTP(got), len(got.RecoveryHashes), err)
	}
	for _, h := range got.RecoveryHashes {
		if len(h) != 64 || seen[h] {
			t.Fatalf("stored recovery value %q is not a SHA-256 hash", h)
		}
	}
	// The enrolment code is used up: it does not log in.
	if err := s.VerifyTOTP(u.ID, good, "10.0.0.1"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("enrolment code reused: %v", err)
	}
	// A second enrolment is refused until an admin disables the first.
	if _, _, err := s.BeginTOTP(u.ID); !errors.Is(err, ErrTOTPEnabled) {
		t.Fatalf("BeginTOTP when enabled: %v", err)
	}
	if _, err := s.EnableTOTP(u.ID, secret, good); !errors.Is(err, ErrTOTPEnabled) {
		t.Fatalf("EnableTOTP when enabled: %v", err)
	}
	if err := s.DisableTOTP(u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User(u.ID); s.HasTOTP(got) || len(got.RecoveryHashes) != 0 || got.TOTPLastStep != 0 {
		t.Fatalf("after DisableTOTP: %+v", got.RecoveryHashes)
	}
	if err := s.VerifyTOTP(u.ID, codes[0], "10.0.0.1"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("recovery code after DisableTOTP: %v", err)
	}
	if _, _, err := s.BeginTOTP(u.ID); err != nil {
		t.Fatalf("BeginTOTP after DisableTOTP: %v", err)
	}
	if err := s.DisableTOTP(999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("DisableTOTP(unknown): %v", err)
	}
}

func TestTOTPWindow(t *testing.T) {
	cases := []struct {
		name   string
		offset time.Duration // of the code's time from the server's clock
		ok     bool
	}{
		{"now", 0, true},
		{"end of this step", 29 * time.Second, true},
		{"one step early", -30 * time.Second, true},
		{"one step late", 30 * time.Second, true},
		{"two steps early", -60 * time.Second, false},
		{"two steps late", 60 * time.Second, false},
		{"ten minutes early", -10 * time.Minute, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _, clk := newTestService(t)
			area := mustArea(t, s, "Blåbærparken")
			u := staffUser(t, s, area.ID, "aase", RoleEvaluator)
			secret, _ := enrol(t, s, clk, u)
			clk.Add(10 * time.Minute)
			// Start of a step, so "end of this step" stays inside it.
			now := clk.Now()
			clk.Add(-time.Duration(now.Unix()%30) * time.Second)
			code, _ := TOTPCode(secret, clk.Now().Add(tc.offset))
			err := s.VerifyTOTP(u.ID, code, "10.0.0.1")
			if tc.ok && err != nil {
				t.Fatalf("code %s off: %v, want accepted", tc.offset, err)
			}
			if !tc.ok && !errors.Is(err, ErrBadCode) {
				t.Fatalf("code %s off: %v, want ErrBadCode", tc.offset, err)
			}
		})
	}
}

func TestTOTPSingleUse(t *testing.T) {
	s, _, clk := newTestService(t)
	area := mustArea(t, s, "Blåbærparken")
	u := staffUser(t, s, area.ID, "mette", RoleCoordinator)
	secret, _ := enrol(t, s, clk, u)
	clk.Add(time.Minute)
	code, _ := TOTPCode(secret, clk.Now())
	if err := s.VerifyTOTP(u.ID, code, "10.0.0.1"); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if err := s.VerifyTOTP(u.ID, code, "10.0.0.1"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("replay: %v, want ErrBadCode", err)
	}
	// An older code, though inside the window, is refused after a newer one.
	clk.Add(30 * time.Second)
	older, _ := TOTPCode(secret, clk.Now().Add(-30*time.Second))
	if older != code {
		if err := s.VerifyTOTP(u.ID, older, "10.0.0.1"); !errors.Is(err, ErrBadCode) {
			t.Fatalf("older code after a newer one: %v", err)
		}
	}
	next, _ := TOTPCode(secret, clk.Now())
	if err := s.VerifyTOTP(u.ID, " "+next[:3]+" "+next[3:], "10.0.0.1"); err != nil {
		t.Fatalf("next step's code, typed with a space: %v", err)
	}
	if got, _ := s.User(u.ID); got.TOTPLastStep != totpStep(clk.Now()) {
		t.Fatalf("last step %d, want %d", got.TOTPLastStep, totpStep(clk.Now()))
	}

	// Two requests racing with one code: exactly one wins.
	clk.Add(30 * time.Second)
	code, _ = TOTPCode(secret, clk.Now())
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.VerifyTOTP(u.ID, code, "10.0.0.1") == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("one code accepted %d times in parallel", wins)
	}
}

func TestRecoveryCodeWorksOnce(t *testing.T) {
	s, _, clk := newTestService(t)
	area := mustArea(t, s, "Blåbærparken")
	u := staffUser(t, s, area.ID, "ida", "")
	_, codes := enrol(t, s, clk, u)
	if err := s.VerifyTOTP(u.ID, codes[0], "10.0.0.1"); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if err := s.VerifyTOTP(u.ID, codes[0], "10.0.0.1"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("recovery code reused: %v, want ErrBadCode", err)
	}
	// Typed as shown (two groups), in lower case, with O for 0 and so on.
	typed := strings.ToLower(codes[1][:5] + "-" + codes[1][5:])
	typed = strings.NewReplacer("0", "o", "1", "l").Replace(typed)
	if err := s.VerifyTOTP(u.ID, typed, "10.0.0.1"); err != nil {
		t.Fatalf("recovery code typed %q: %v", typed, err)
	}
	if got, _ := s.User(u.ID); len(got.RecoveryHashes) != 6 {
		t.Fatalf("%d recovery codes left, want 6", len(got.RecoveryHashes))
	}
	// The others still work; a made-up one does not.
	if err := s.VerifyTOTP(u.ID, "ABCDEFGHJK", "10.0.0.1"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("made-up recovery code: %v", err)
	}
	if err := s.VerifyTOTP(u.ID, codes[7], "10.0.0.1"); err != nil {
		t.Fatalf("last recovery code: %v", err)
	}
}

func TestTOTPThrottle(t *testing.T) {
	s, _, clk := newTestService(t)
	area := mustArea(t, s, "Blåbærparken")
	u := staffUser(t, s, area.ID, "mette", RoleCoordinator)
	other := staffUser(t, s, area.ID, "aase", RoleEvaluator)
	secret, codes := enrol(t, s, clk, u)
	otherSecret, _ := enrol(t, s, clk, other)
	clk.Add(time.Minute)
	good, _ := TOTPCode(secret, clk.Now())
	wrong := "000000"
	if wrong == good {
		wrong = "111111"
	}
	for i := range DefaultThrottle.PerAccount {
		if err := s.VerifyTOTP(u.ID, wrong, "10.0.0.1"); !errors.Is(err, ErrBadCode) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	// The sixth try is refused even with the right code or a recovery code.
	for _, c := range []string{good, codes[0]} {
		var th *ThrottledError
		if err := s.VerifyTOTP(u.ID, c, "10.0.0.1"); !errors.As(err, &th) || th.RetryAfter <= 0 || th.RetryAfter > DefaultThrottle.Window {
			t.Fatalf("after %d wrong codes: %v, want *ThrottledError", DefaultThrottle.PerAccount, err)
		}
		if err := s.VerifyTOTP(u.ID, c, "10.0.0.1"); strings.Contains(err.Error(), secret) {
			t.Fatal("error names the secret")
		}
	}
	// Another account is not affected.
	oc, _ := TOTPCode(otherSecret, clk.Now())
	if err := s.VerifyTOTP(other.ID, oc, "10.0.0.1"); err != nil {
		t.Fatalf("other account: %v", err)
	}
	// The owner at another address is not locked out by the guesser.
	if err := s.VerifyTOTP(u.ID, good, "192.0.2.44"); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}
	// After the window, the right code works again; the recovery code was not spent.
	clk.Add(DefaultThrottle.Window)
	good, _ = TOTPCode(secret, clk.Now())
	if err := s.VerifyTOTP(u.ID, good, "10.0.0.1"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	if err := s.VerifyTOTP(u.ID, codes[0], "10.0.0.1"); err != nil {
		t.Fatalf("recovery code refused while throttled was spent: %v", err)
	}
}

func TestSecondFactorRoles(t *testing.T) {
	s, _, _ := newTestService(t)
	area := mustArea(t, s, "Blåbærparken")
	cases := []struct {
		u    User
		want bool
	}{
		{staffUser(t, s, area.ID, "admin", ""), true},
		{staffUser(t, s, area.ID, "coord", RoleCoordinator), true},
		{staffUser(t, s, area.ID, "eval", RoleEvaluator), true},
		{staffUser(t, s, area.ID, "owner", RoleTaskOwner), false},
		{staffUser(t, s, area.ID, "guard", RoleGuardian), false},
		{staffUser(t, s, area.ID, "empl", RoleEmployer), false},
	}
	youth, err := s.CreateUser(youthUser(area.ID, "amira", "2010-05-01"))
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, struct {
		u    User
		want bool
	}{youth, false})
	for _, tc := range cases {
		if got := s.NeedsSecondFactor(tc.u); got != tc.want {
			t.Errorf("NeedsSecondFactor(%s) = %v, want %v", tc.u.Username, got, tc.want)
		}
	}
	// Youths log in with a PIN and never enrol.
	var inv *fault.Error
	if _, _, err := s.BeginTOTP(youth.ID); !errors.As(err, &inv) || inv.Field != "totp" {
		t.Fatalf("BeginTOTP for a youth: %v", err)
	}
	if err := s.VerifyTOTP(youth.ID, "123456", "10.0.0.1"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("VerifyTOTP without a factor: %v", err)
	}
}

// TestTOTPSeedSealed: the seed is stored sealed with a key derived from the
// installation secret, so a backup alone is no second factor; a seed
// stored in plain text before sealing still works and is sealed at its
// first right code; another installation secret cannot open it.
func TestTOTPSeedSealed(t *testing.T) {
	s, db, clk := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	u := staffUser(t, s, a.ID, "mette", RoleCoordinator)
	secret, _ := enrol(t, s, clk, u)
	got, _ := s.User(u.ID)
	if !strings.HasPrefix(got.TOTPSecret, sealedFieldPrefix) || strings.Contains(got.TOTPSecret, secret) {
		t.Fatalf("stored seed %q is not sealed", got.TOTPSecret)
	}
	other, err := newKeyring([]byte(strings.Repeat("z", 40)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.openField(u.ID, "totp", got.TOTPSecret); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("another secret opened the seed: %v", err)
	}
	// As stored before sealing: the seed in plain text.
	if err := db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, u.ID)
		if err != nil {
			return err
		}
		u.TOTPSecret = secret
		return store.PutJSON(tx, bucketUsers, store.ID(u.ID), u)
	}); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	code, _ := TOTPCode(secret, clk.Now())
	if err := s.VerifyTOTP(u.ID, code, "10.0.0.1"); err != nil {
		t.Fatalf("a plain seed from before sealing: %v", err)
	}
	if got, _ := s.User(u.ID); !strings.HasPrefix(got.TOTPSecret, sealedFieldPrefix) {
		t.Fatal("the plain seed was not sealed at its first use")
	}
}
