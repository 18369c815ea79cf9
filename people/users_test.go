package people

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// walkUsers follows the Next cursors from the first page to the last and
// returns every username in the order the pages gave them.
func walkUsers(t *testing.T, s *Service, q UserSearch) (names []string, pages int) {
	t.Helper()
	for {
		p, err := s.SearchUsers(q)
		if err != nil {
			t.Fatalf("SearchUsers(%+v): %v", q, err)
		}
		pages++
		for _, a := range p.Accounts {
			names = append(names, a.User.Username)
		}
		if p.Next == "" {
			return names, pages
		}
		if pages > 1000 {
			t.Fatal("the cursor does not move")
		}
		q.After = p.Next
	}
}

func checkInvariants(t *testing.T, db store.DB) {
	t.Helper()
	if err := db.View(Check); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

// TestSearchUsersPagesByCursor: about 120 accounts walked 50 at a time by
// the cursor: every account once, in username order, and a page deep in
// the list costs no more than the first.
func TestSearchUsersPagesByCursor(t *testing.T) {
	s, _, _ := newTestService(t)
	area := mustArea(t, s, "Blåbærparken")
	want := []string{}
	for i := range 118 {
		name := fmt.Sprintf("u%03d-%c", (i*37)%118, 'a'+rune(i%26)) // created out of order
		staffUser(t, s, area.ID, name, RoleTaskOwner)
		want = append(want, name)
	}
	y, err := s.CreateUser(youthUser(area.ID, "zz-youth", "2011-03-04"))
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, y.Username)
	admin := staffUser(t, s, 0, "aa-admin", "")
	want = append(want, admin.Username)
	sort.Strings(want)

	got, pages := walkUsers(t, s, UserSearch{Limit: 50})
	if !slices.Equal(got, want) {
		t.Fatalf("walked %d names in %d pages, want %d in username order:\n got %v\nwant %v", len(got), pages, len(want), got, want)
	}
	if pages != 3 {
		t.Errorf("%d pages for %d accounts at 50 a page, want 3", pages, len(want))
	}
	// The second page starts right after the cursor: its reads do not grow
	// with the rows before it.
	first, err := s.SearchUsers(UserSearch{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.SearchUsers(UserSearch{Limit: 50, After: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	if second.Examined > 51 {
		t.Errorf("page 2 examined %d accounts; a keyset page examines at most a page and one more", second.Examined)
	}
	if _, err := s.SearchUsers(UserSearch{After: "garbage"}); err == nil {
		t.Error("a malformed cursor was accepted")
	}
}

// TestSearchUsersFilters: by part of a username or a name (a youth's
// sealed name too), by role, by area, and both.
func TestSearchUsersFilters(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "Blåbærparken")
	b := mustArea(t, s, "Solsikkehaven")
	staffUser(t, s, 0, "ida", "")
	mette := staffUser(t, s, a.ID, "mette", RoleCoordinator)
	staffUser(t, s, b.ID, "bodil", RoleCoordinator)
	staffUser(t, s, a.ID, "bjarne", RoleTaskOwner)
	if _, err := s.ChangeMembership(mette.ID, Membership{AreaID: a.ID, Role: RoleEvaluator}, true); err != nil {
		t.Fatal(err)
	}
	yn := youthUser(a.ID, "amira", "2010-05-06")
	yn.DisplayName = "Amira Ærenlund"
	if _, err := s.CreateUser(yn); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		q    UserSearch
		want []string
	}{
		{"everyone", UserSearch{}, []string{"amira", "bjarne", "bodil", "ida", "mette"}},
		{"username part", UserSearch{Text: "ETT"}, []string{"mette"}},
		{"staff name", UserSearch{Text: "åse ør"}, []string{"bjarne", "bodil", "ida", "mette"}},
		{"sealed youth name", UserSearch{Text: "ærenlund"}, []string{"amira"}},
		{"role in any area", UserSearch{Role: RoleCoordinator}, []string{"bodil", "mette"}},
		{"admins", UserSearch{Role: RoleAdmin}, []string{"ida"}},
		{"area", UserSearch{AreaID: a.ID}, []string{"mette", "bjarne", "amira"}}, // by account number
		{"role and area", UserSearch{AreaID: b.ID, Role: RoleCoordinator}, []string{"bodil"}},
		{"second role in area, listed once", UserSearch{AreaID: a.ID, Role: RoleEvaluator}, []string{"mette"}},
		{"area and name", UserSearch{AreaID: a.ID, Text: "amira"}, []string{"amira"}},
		{"nobody", UserSearch{Text: "zzz"}, nil},
	}
	for _, c := range cases {
		got, _ := walkUsers(t, s, c.q)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	p, err := s.SearchUsers(UserSearch{Text: "amira"})
	if err != nil || len(p.Accounts) != 1 {
		t.Fatalf("amira: %+v, %v", p, err)
	}
	if acc := p.Accounts[0]; acc.User.DisplayName != "Amira Ærenlund" || acc.User.Hash != "" || !acc.Login || acc.State() != StateActive {
		t.Errorf("youth row: %+v (name shown, secret hidden, active)", acc)
	}
	if _, err := s.SearchUsers(UserSearch{Role: "king"}); err == nil {
		t.Error("an unknown role was accepted")
	}
	if _, err := s.SearchUsers(UserSearch{AreaID: 99}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown area: %v", err)
	}
}

// TestSearchUsersAreaPages: an area's members page by account number, each
// once, also when one holds several roles there.
func TestSearchUsersAreaPages(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "A")
	b := mustArea(t, s, "B")
	var want []string
	for i := range 23 {
		u := staffUser(t, s, a.ID, fmt.Sprintf("a%02d", 22-i), RoleTaskOwner)
		staffUser(t, s, b.ID, fmt.Sprintf("b%02d", i), RoleTaskOwner)
		if i%3 == 0 {
			if _, err := s.ChangeMembership(u.ID, Membership{AreaID: a.ID, Role: RoleGuardian}, true); err != nil {
				t.Fatal(err)
			}
		}
		want = append(want, u.Username)
	}
	got, pages := walkUsers(t, s, UserSearch{AreaID: a.ID, Limit: 5})
	if !slices.Equal(got, want) || pages != 5 {
		t.Fatalf("area pages (%d): %v, want %v", pages, got, want)
	}
}

// TestSearchUsersIsBounded: a search that matches little stops after a
// bounded number of accounts and hands on a cursor, so no request reads
// (and decrypts) the whole installation.
func TestSearchUsersIsBounded(t *testing.T) {
	s, _, _ := newTestService(t)
	s.searchBound = 7
	a := mustArea(t, s, "A")
	for i := range 20 {
		staffUser(t, s, a.ID, fmt.Sprintf("user%02d", i), RoleTaskOwner)
	}
	staffUser(t, s, a.ID, "zeta", RoleCoordinator)
	p, err := s.SearchUsers(UserSearch{Role: RoleCoordinator})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Partial || p.Next == "" || len(p.Accounts) != 0 || p.Examined != 7 {
		t.Fatalf("first page: %+v, want partial after 7 with a cursor", p)
	}
	got, pages := walkUsers(t, s, UserSearch{Role: RoleCoordinator})
	if !slices.Equal(got, []string{"zeta"}) || pages != 3 {
		t.Fatalf("walk: %v in %d pages", got, pages)
	}
}

func TestChangeMembership(t *testing.T) {
	s, db, _ := newTestService(t)
	a := mustArea(t, s, "A")
	u := staffUser(t, s, a.ID, "mette", RoleTaskOwner)
	coord := Membership{AreaID: a.ID, Role: RoleCoordinator}
	changed, err := s.ChangeMembership(u.ID, coord, true)
	if err != nil || !changed {
		t.Fatalf("add: %v %v", changed, err)
	}
	got, _ := s.User(u.ID)
	if !got.HasRole(a.ID, RoleCoordinator) || got.SessionEpoch != u.SessionEpoch+1 {
		t.Fatalf("after add: %+v", got)
	}
	if changed, err := s.ChangeMembership(u.ID, coord, true); err != nil || changed {
		t.Fatalf("adding again: %v %v, want no change", changed, err)
	}
	if changed, err := s.ChangeMembership(u.ID, Membership{AreaID: a.ID, Role: RoleTaskOwner}, false); err != nil || !changed {
		t.Fatalf("remove: %v %v", changed, err)
	}
	got, _ = s.User(u.ID)
	if got.HasRole(a.ID, RoleTaskOwner) || got.SessionEpoch != u.SessionEpoch+2 {
		t.Fatalf("after remove: %+v", got)
	}
	if ms, _ := s.Members(a.ID, RoleTaskOwner); len(ms) != 0 {
		t.Fatalf("the index still lists the removed role: %v", ms)
	}
	checkInvariants(t, db)

	y, err := s.CreateUser(youthUser(a.ID, "amira", "2010-05-06"))
	if err != nil {
		t.Fatal(err)
	}
	var inv *fault.Error
	for _, c := range []struct {
		name string
		id   uint64
		m    Membership
		add  bool
		ok   func(error) bool
	}{
		{"add the youth role", u.ID, Membership{AreaID: a.ID, Role: RoleYouth}, true, func(e error) bool { return errors.Is(e, ErrYouthRole) }},
		{"remove the youth role", y.ID, Membership{AreaID: a.ID, Role: RoleYouth}, false, func(e error) bool { return errors.Is(e, ErrYouthRole) }},
		{"staff role for a PIN account", y.ID, coord, true, func(e error) bool { return errors.As(e, &inv) && inv.Kind == fault.Invalid }},
		{"unknown role", u.ID, Membership{AreaID: a.ID, Role: "king"}, true, func(e error) bool { return errors.As(e, &inv) && inv.Kind == fault.Invalid }},
		{"unknown area", u.ID, Membership{AreaID: 99, Role: RoleGuardian}, true, func(e error) bool { return errors.Is(e, ErrNotFound) }},
		{"unknown user", 999, coord, true, func(e error) bool { return errors.Is(e, ErrNotFound) }},
	} {
		if _, err := s.ChangeMembership(c.id, c.m, c.add); !c.ok(err) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	checkInvariants(t, db)
}

// TestRemovingGuardianRoleUnlinksChildren: without the role the links in
// that area go too, so a role given back later does not revive them.
func TestRemovingGuardianRoleUnlinksChildren(t *testing.T) {
	s, db, _ := newTestService(t)
	a := mustArea(t, s, "A")
	g := staffUser(t, s, a.ID, "hanne", RoleGuardian)
	y, err := s.CreateUser(youthUser(a.ID, "aya", "2016-05-06"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LinkGuardian(a.ID, y.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChangeMembership(g.ID, Membership{AreaID: a.ID, Role: RoleGuardian}, false); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsGuardianOf(a.ID, g.ID, y.ID); ok {
		t.Fatal("the link outlived the guardian role")
	}
	checkInvariants(t, db)
}

func TestGuardianLinksAndUnlink(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "A")
	g := staffUser(t, s, a.ID, "hanne", RoleGuardian)
	y1, _ := s.CreateUser(youthUser(a.ID, "aya", "2016-05-06"))
	y2, _ := s.CreateUser(youthUser(a.ID, "ali", "2013-05-06"))
	for _, y := range []User{y1, y2} {
		if err := s.LinkGuardian(a.ID, y.ID, g.ID); err != nil {
			t.Fatal(err)
		}
	}
	links, err := s.GuardianLinks(g.ID)
	if err != nil || len(links) != 2 || links[0].YouthID != y1.ID || links[0].Username != "aya" || links[1].AreaID != a.ID {
		t.Fatalf("links: %+v, %v", links, err)
	}
	if err := s.UnlinkGuardian(a.ID, y1.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsGuardianOf(a.ID, g.ID, y1.ID); ok {
		t.Fatal("still linked after unlink")
	}
	if ok, _ := s.IsGuardianOf(a.ID, g.ID, y2.ID); !ok {
		t.Fatal("unlinking one child unlinked the other")
	}
	if err := s.UnlinkGuardian(a.ID, y1.ID, g.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unlink twice: %v", err)
	}
}

func TestSetAdmin(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "A")
	ida := staffUser(t, s, 0, "ida", "")
	mette := staffUser(t, s, a.ID, "mette", RoleCoordinator)
	if err := s.SetAdmin(ida.ID, false, ida.ID); !errors.Is(err, ErrOwnAdmin) {
		t.Fatalf("own admin flag: %v", err)
	}
	if err := s.SetAdmin(ida.ID, false, 0); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("last admin: %v", err)
	}
	if err := s.SetDisabled(ida.ID, true); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("disable the last admin: %v", err)
	}
	if err := s.SetAdmin(mette.ID, true, ida.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := s.User(mette.ID)
	if !got.Admin || got.SessionEpoch != mette.SessionEpoch+1 {
		t.Fatalf("granted: %+v", got)
	}
	if err := s.SetAdmin(ida.ID, false, mette.ID); err != nil {
		t.Fatalf("another admin removes the flag: %v", err)
	}
	y, _ := s.CreateUser(youthUser(a.ID, "amira", "2010-05-06"))
	var inv *fault.Error
	if err := s.SetAdmin(y.ID, true, mette.ID); !errors.As(err, &inv) || inv.Kind != fault.Invalid {
		t.Fatalf("admin flag for a PIN account: %v", err)
	}
}

// TestResetSecret: a temporary password (or PIN) replaces the old one,
// which stops working, and ends the sessions.
func TestResetSecret(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "A")
	u := staffUser(t, s, a.ID, "mette", RoleCoordinator)
	temp, err := s.ResetSecret(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(temp) < 16 || strings.Contains(temp, " ") {
		t.Fatalf("temporary password %q", temp)
	}
	if _, err := s.Login("mette", "et-godt-kodeord-1", "10.0.0.1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("old password: %v", err)
	}
	got, err := s.Login("mette", temp, "10.0.0.1")
	if err != nil || got.SessionEpoch != u.SessionEpoch+1 {
		t.Fatalf("temporary password: %+v, %v", got, err)
	}
	if strings.Contains(got.Hash, temp) {
		t.Fatal("the password is stored in plain text")
	}
	y, _ := s.CreateUser(youthUser(a.ID, "amira", "2010-05-06"))
	pin, err := s.ResetSecret(y.ID)
	if err != nil || len(pin) != PINLength || trivialPIN(pin, Date{}) || easyPIN(pin) {
		t.Fatalf("PIN %q, %v", pin, err)
	}
	if _, err := s.Login("amira", pin, "10.0.0.2"); err != nil {
		t.Fatalf("new PIN: %v", err)
	}
	if _, err := s.Login("amira", "482916", "10.0.0.2"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("old PIN: %v", err)
	}
}

func TestRandomPINIsNotTrivial(t *testing.T) {
	for _, p := range []string{"112211", "135791", "246802", "121211"} {
		if !easyPIN(p) && !trivialPIN(p, Date{}) {
			t.Errorf("%s counts as hard to guess", p)
		}
	}
	for _, p := range []string{"402917", "839104", "570362"} {
		if easyPIN(p) {
			t.Errorf("%s counts as easy", p)
		}
	}
	seen := map[string]bool{}
	for range 500 {
		p, err := randomPIN()
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != PINLength || easyPIN(p) || validSecret(p, SecretPIN, Date{}) != nil {
			t.Fatalf("randomPIN gave %q", p)
		}
		seen[p] = true
	}
	if len(seen) < 490 {
		t.Fatalf("only %d different PINs in 500", len(seen))
	}
}

func TestLockAndState(t *testing.T) {
	s, _, _ := newTestService(t)
	a := mustArea(t, s, "A")
	u := staffUser(t, s, a.ID, "mette", RoleCoordinator)
	if err := s.Lock(u.ID); err != nil {
		t.Fatal(err)
	}
	acc, err := s.Account(u.ID)
	if err != nil || acc.State() != StateLocked || acc.User.Hash != "" {
		t.Fatalf("locked: %+v, %v", acc, err)
	}
	if err := s.Unlock(u.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisabled(u.ID, true); err != nil {
		t.Fatal(err)
	}
	if acc, _ := s.Account(u.ID); acc.State() != StateDisabled {
		t.Fatalf("disabled: %s", acc.State())
	}
}
