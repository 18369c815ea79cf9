package people

import (
	"errors"
	"sync"
	"testing"
	"time"

	"fritidsjob/fault"
	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

func newTestService(t *testing.T) (*Service, store.DB, *testkit.Clock) {
	t.Helper()
	db := testkit.Store(t)
	clk := testkit.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	s, err := NewService(db, Options{Now: clk.Now, Hash: HashParams(testkit.CheapHash), Secret: testkit.Secret()})
	if err != nil {
		t.Fatal(err)
	}
	return s, db, clk
}

func mustArea(t *testing.T, s *Service, name string) Area {
	t.Helper()
	a, err := s.CreateArea(name, "Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func youthUser(area uint64, username string, birth string) NewUser {
	d, _ := ParseDate(birth)
	return NewUser{
		Username: username, DisplayName: "Søren Ørsted", Secret: "482916", SecretKind: SecretPIN,
		Memberships: []Membership{{AreaID: area, Role: RoleYouth}},
		Youth:       &Youth{BirthDate: d, Gender: GenderMale, School: SchoolCompulsory},
	}
}

func TestCreateArea(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	got, err := s.Area(a.ID)
	if err != nil || got.Name != "Blåbærparken" {
		t.Fatalf("Area(%d) = %+v, %v", a.ID, got, err)
	}
	if _, err := s.CreateArea("BLÅBÆRPARKEN", "Aarhus"); !errors.Is(err, ErrAreaNameTaken) {
		t.Fatalf("duplicate name: %v, want ErrAreaNameTaken", err)
	}
	var inv *fault.Error
	if _, err := s.CreateArea("  ", "Aarhus"); !errors.As(err, &inv) || inv.Field != "name" {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := s.Area(999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown area: %v", err)
	}
}

func TestCreateUserValidation(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	staff := func(mod func(*NewUser)) NewUser {
		n := NewUser{Username: "mette", DisplayName: "Mette Søgaard", Secret: "lang-nok-kode-1", SecretKind: SecretPassword,
			Memberships: []Membership{{AreaID: a.ID, Role: RoleCoordinator}}}
		mod(&n)
		return n
	}
	cases := []struct {
		name  string
		n     NewUser
		field string
	}{
		{"short username", staff(func(n *NewUser) { n.Username = "ab" }), "username"},
		{"bad username chars", staff(func(n *NewUser) { n.Username = "mette søgaard" }), "username"},
		{"short password", staff(func(n *NewUser) { n.Secret = "kort" }), "password"},
		{"common password", staff(func(n *NewUser) { n.Secret = "Adgangskode" }), "password"},
		{"pin for staff", staff(func(n *NewUser) { n.SecretKind = SecretPIN; n.Secret = "1234" }), "pin"},
		{"unknown role", staff(func(n *NewUser) { n.Memberships[0].Role = "boss" }), "role"},
		{"empty name", staff(func(n *NewUser) { n.DisplayName = " " }), "display_name"},
		{"control char in name", staff(func(n *NewUser) { n.DisplayName = "a\x00b" }), "display_name"},
		{"youth profile for staff", staff(func(n *NewUser) { n.Youth = &Youth{} }), "youth"},
		{"youth without profile", func() NewUser { n := youthUser(a.ID, "ali", "2012-01-01"); n.Youth = nil; return n }(), "youth"},
		{"youth born in future", youthUser(a.ID, "ali", "2027-01-01"), "birth_date"},
		{"youth too young", youthUser(a.ID, "ali", "2022-01-01"), "birth_date"},
		{"pin with letters", func() NewUser { n := youthUser(a.ID, "ali", "2012-01-01"); n.Secret = "12ab"; return n }(), "pin"},
		{"bad gender", func() NewUser { n := youthUser(a.ID, "ali", "2012-01-01"); n.Youth.Gender = "x"; return n }(), "gender"},
		{"bad school", func() NewUser { n := youthUser(a.ID, "ali", "2012-01-01"); n.Youth.School = "x"; return n }(), "school"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.CreateUser(c.n)
			var inv *fault.Error
			if !errors.As(err, &inv) || inv.Field != c.field {
				t.Fatalf("got %v, want invalid %s", err, c.field)
			}
		})
	}
	if n, _ := s.UserCount(); n != 0 {
		t.Fatalf("%d users stored after only invalid input", n)
	}
	if _, err := s.CreateUser(staff(func(n *NewUser) { n.Memberships[0].AreaID = 77 })); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown area: %v", err)
	}
	if _, err := s.CreateUser(staff(func(*NewUser) {})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(staff(func(n *NewUser) { n.Username = "METTE" })); !errors.Is(err, ErrUsernameTaken) {
		t.Fatalf("taken username: %v", err)
	}
}

func TestYouthIsScopedToItsArea(t *testing.T) {
	s, db, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	b := mustArea(t, s, "Solsikkehaven")
	u, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17"))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Youth(a.ID, u.ID); err != nil || v.Youth.BirthDate.String() != "2012-05-17" {
		t.Fatalf("own area: %+v, %v", v, err)
	}
	if _, err := s.Youth(b.ID, u.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other area: %v, want ErrNotFound", err)
	}
	list, _, err := s.YouthsInArea(b.ID)
	if err != nil || len(list) != 0 {
		t.Fatalf("other area lists %d youths, %v", len(list), err)
	}
	if list, _, _ := s.YouthsInArea(a.ID); len(list) != 1 {
		t.Fatalf("own area lists %d youths", len(list))
	}
	if err := db.View(Check); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

func TestLogin(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	u, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Login(" SARA ", "482916", "10.0.0.1")
	if err != nil || got.ID != u.ID {
		t.Fatalf("right PIN: %+v, %v", got, err)
	}
	if _, err := s.Login("", "", ""); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("empty login: %v, want ErrBadCredentials", err)
	}
	_, errWrong := s.Login("sara", "1111", "10.0.0.1")
	_, errUnknown := s.Login("nobody", "1111", "10.0.0.1")
	if !errors.Is(errWrong, ErrBadCredentials) || !errors.Is(errUnknown, ErrBadCredentials) || errWrong.Error() != errUnknown.Error() {
		t.Fatalf("wrong secret %v and unknown user %v must be the same error", errWrong, errUnknown)
	}
}

func TestLoginThrottle(t *testing.T) {
	s, _, clk := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	if _, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17")); err != nil {
		t.Fatal(err)
	}
	lim := DefaultThrottle
	for i := 0; i < lim.PerAccount; i++ {
		if _, err := s.Login("sara", "0000", "10.0.0.9"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// The next attempt is refused even with the right PIN, and says when to retry.
	_, err := s.Login("sara", "482916", "10.0.0.9")
	var th *ThrottledError
	if !errors.As(err, &th) || th.RetryAfter <= 0 || th.RetryAfter > lim.Window {
		t.Fatalf("attempt %d: %v, want throttled", lim.PerAccount+1, err)
	}
	// Unknown usernames are throttled the same way, so throttling reveals nothing.
	for i := 0; i < lim.PerAccount; i++ {
		s.Login("ghost", "0000", "10.0.0.9")
	}
	if _, err := s.Login("ghost", "0000", "10.0.0.9"); !errors.As(err, &th) {
		t.Fatalf("unknown user not throttled: %v", err)
	}
	// The youth can still log in from another address: no lockout by a guesser.
	if _, err := s.Login("sara", "482916", "10.0.0.10"); err != nil {
		t.Fatalf("other IP: %v", err)
	}
	// After the window the account opens again.
	clk.Add(lim.Window)
	if _, err := s.Login("sara", "482916", "10.0.0.9"); err != nil {
		t.Fatalf("after window: %v", err)
	}
	if n, err := s.SweepThrottle(); err != nil || n == 0 {
		t.Fatalf("sweep removed %d, %v", n, err)
	}
}

func TestLoginThrottleHoldsUnderParallelGuessing(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	if _, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	guesses := 0
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Login("sara", "0000", "10.0.0.9")
			if errors.Is(err, ErrBadCredentials) {
				mu.Lock()
				guesses++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if guesses != DefaultThrottle.PerAccount {
		t.Fatalf("%d guesses checked, limit is %d", guesses, DefaultThrottle.PerAccount)
	}
}

func TestLoginThrottlePerIP(t *testing.T) {
	s, _, _ := newTestService(t)
	s.throttle = ThrottleLimits{PerAccount: 100, PerIP: 3, Window: time.Minute}
	for i := 0; i < 3; i++ {
		s.Login("user"+string(rune('a'+i)), "0000", "10.1.1.1")
	}
	var th *ThrottledError
	if _, err := s.Login("other", "0000", "10.1.1.1"); !errors.As(err, &th) {
		t.Fatalf("IP sweep not throttled: %v", err)
	}
}

func TestCheckFindsBrokenIndex(t *testing.T) {
	s, db, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	if _, err := s.CreateUser(youthUser(a.ID, "sara", "2012-05-17")); err != nil {
		t.Fatal(err)
	}
	if err := db.View(Check); err != nil {
		t.Fatalf("clean store: %v", err)
	}
	for _, c := range []struct{ bucket, key string }{{bucketUsernames, "sara"}} {
		if err := db.Update(func(tx store.Tx) error { return tx.Delete(c.bucket, []byte(c.key)) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.View(Check); err == nil {
		t.Fatal("Check passed with a missing username index")
	}
}

func TestDateAgeOn(t *testing.T) {
	d := func(s string) Date {
		t.Helper()
		v, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		birth, on string
		age       int
	}{
		{"2013-06-15", "2026-06-14", 12},
		{"2013-06-15", "2026-06-15", 13},
		{"2012-02-29", "2025-02-28", 12},
		{"2012-02-29", "2025-03-01", 13},
		{"2012-02-29", "2024-02-29", 12},
	}
	for _, c := range cases {
		if got := d(c.birth).AgeOn(d(c.on)); got != c.age {
			t.Errorf("born %s, on %s: age %d, want %d", c.birth, c.on, got, c.age)
		}
	}
	if _, err := ParseDate("2026-02-30"); err == nil {
		t.Error("30 February accepted")
	}
}

func TestDefaultHashParams(t *testing.T) {
	// OWASP's argon2id minimum: m ≥ 19 MiB, t ≥ 2, p = 1.
	p := DefaultHashParams
	if p.MemoryKiB < 19456 || p.Time < 2 || p.Threads < 1 {
		t.Fatalf("default argon2id parameters %+v are below OWASP's minimum", p)
	}
	h, err := hashSecret("Æblegrød-på-Ørestad", p, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, _, err := parseHash(h)
	if err != nil || got != p {
		t.Fatalf("stored parameters %+v, %v", got, err)
	}
	if ok, _ := verifySecret(h, "Æblegrød-på-Ørestad", nil); !ok {
		t.Fatal("right secret refused")
	}
	if ok, _ := verifySecret(h, "æblegrød-på-ørestad", nil); ok {
		t.Fatal("wrong secret accepted")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := verifySecret(bad, "x", nil); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}
