package ui

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
)

func userPage(u people.User) string { return "/admin/users/" + itoa(int(u.ID)) }

// logged finds the access-log entry about subject with what, newest first.
func logged(t *testing.T, f *fixture, what string, subject uint64) (people.AccessEntry, bool) {
	t.Helper()
	entries, err := f.ppl.AccessLog(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.What == what && e.SubjectID == subject {
			return e, true
		}
	}
	return people.AccessEntry{}, false
}

func wantLogged(t *testing.T, f *fixture, action, what string, subject uint64) people.AccessEntry {
	t.Helper()
	e, ok := logged(t, f, what, subject)
	if !ok || e.Action != action || e.ActorRole != "admin" {
		t.Fatalf("no %s entry %q about user %d by an admin in the access log (found %+v)", action, what, subject, e)
	}
	return e
}

var userRowRe = regexp.MustCompile(`id="user-(\d+)"`)

func rowIDs(body string) []string {
	var ids []string
	for _, m := range userRowRe.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestAdminFindsUserByUsernameAndRole: the admin searches by part of a
// username, by role and by area; the search is logged, and so is each
// youth whose name the list shows, where the youth can see it.
func TestAdminFindsUserByUsernameAndRole(t *testing.T) {
	f := newFixture(t)
	admin := f.loggedIn("admin")
	id := func(name string) string { return itoa(int(f.users[name].ID)) }
	cases := []struct {
		query string
		want  []string
	}{
		{"q=coord", []string{id("coorda"), id("coordb")}},
		{"q=coord&role=coordinator&area=" + itoa(int(f.areaA.ID)), []string{id("coorda")}},
		{"role=task_owner", []string{id("ownera")}},
		{"role=admin", []string{id("admin")}},
		{"q=" + url.QueryEscape("BRUGER YOUTHB"), []string{id("youthb")}}, // a youth's sealed name
	}
	for _, c := range cases {
		resp, body := admin.get("/admin/users?" + c.query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", c.query, resp.StatusCode)
		}
		if got := rowIDs(body); !slices.Equal(got, c.want) {
			t.Errorf("%s: rows %v, want %v", c.query, got, c.want)
		}
	}
	e, ok := logged(t, f, "user_list", 0)
	if !ok || e.Action != people.AccessSearch || !strings.Contains(e.Detail, "q=") {
		t.Errorf("the search is not in the access log: %+v", e)
	}
	about, err := f.ppl.AccessAbout(f.areaB.ID, f.users["youthb"].ID)
	if err != nil || len(about) == 0 || about[0].ActorRole != "admin" {
		t.Errorf("youthB cannot see that the admin's list showed her: %+v, %v", about, err)
	}
	if resp, body := admin.get("/admin/users?role=king"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="search-error"`) {
		t.Errorf("unknown role: %d", resp.StatusCode)
	}
	// The admin page links to the list.
	if _, body := admin.get("/admin"); !strings.Contains(body, `id="go-users"`) {
		t.Error("the admin page has no link to the user list")
	}
}

// TestAdminUserListPages: 120 more accounts walked through the "next page"
// links: every account once, in username order.
func TestAdminUserListPages(t *testing.T) {
	f := newFixture(t)
	for i := range 120 {
		_, err := f.ppl.CreateUser(people.NewUser{Username: fmt.Sprintf("staff%03d", (i*7)%120), DisplayName: "Ansat",
			Secret: testPassword, SecretKind: people.SecretPassword,
			Memberships: []people.Membership{{AreaID: f.areaA.ID, Role: people.RoleTaskOwner}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	all := map[string]string{} // id -> username
	var want []string
	for _, u := range fixtureUsers {
		all[itoa(int(f.users[strings.ToLower(u.username)].ID))] = strings.ToLower(u.username)
	}
	for i := range 120 {
		u, err := f.ppl.UserByUsername(fmt.Sprintf("staff%03d", i))
		if err != nil {
			t.Fatal(err)
		}
		all[itoa(int(u.ID))] = u.Username
	}
	for _, name := range all {
		want = append(want, name)
	}
	sort.Strings(want)

	admin := f.loggedIn("admin")
	next := "/admin/users"
	var got []string
	pages := 0
	nextRe := regexp.MustCompile(`id="next-page" href="([^"]+)"`)
	for next != "" {
		resp, body := admin.get(next)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", next, resp.StatusCode)
		}
		pages++
		ids := rowIDs(body)
		if len(ids) > 50 {
			t.Fatalf("page %d has %d rows", pages, len(ids))
		}
		for _, id := range ids {
			got = append(got, all[id])
		}
		next = ""
		if m := nextRe.FindStringSubmatch(body); m != nil {
			next = html.UnescapeString(m[1])
		}
		if pages > 10 {
			t.Fatal("the next-page link does not move on")
		}
	}
	if !slices.Equal(got, want) || pages != 3 {
		t.Fatalf("%d pages, %d rows; want every one of %d accounts once in username order:\n got %v\nwant %v", pages, len(got), len(want), got, want)
	}
}

// TestRoleRemovedEndsSessions: taking a role away logs the user out at
// once; logged in again, the role's pages are closed.
func TestRoleRemovedEndsSessions(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	youths := areaPath(f.areaA, "/youths")
	if resp, _ := coord.get(youths); resp.StatusCode != http.StatusOK {
		t.Fatalf("before: %d", resp.StatusCode)
	}
	admin := f.loggedIn("admin")
	u := f.users["coorda"]
	resp, _ := admin.post(userPage(u), userPage(u)+"/roles/remove", url.Values{"area": {itoa(int(f.areaA.ID))}, "role": {"coordinator"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove role: %d", resp.StatusCode)
	}
	if !loggedOut(t, coord) {
		t.Fatal("the coordinator's session outlived the role")
	}
	if resp, _ := f.loggedIn("coordA").get(youths); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("after: %d, want 403", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "role_removed", u.ID)

	// Given back (as task owner this time), it ends the sessions too.
	c2 := f.loggedIn("coordA")
	resp, _ = admin.post(userPage(u), userPage(u)+"/roles/add", url.Values{"area": {itoa(int(f.areaA.ID))}, "role": {"task_owner"}})
	if resp.StatusCode != http.StatusSeeOther || !loggedOut(t, c2) {
		t.Fatalf("add role: %d", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "role_added", u.ID)
	if resp, _ := f.loggedIn("coordA").get(areaPath(f.areaA, "/manage/tasks")); resp.StatusCode != http.StatusOK {
		t.Fatalf("the added role does not open its pages: %d", resp.StatusCode)
	}
	// The youth role is not given or taken here.
	y := f.users["youtha"]
	resp, body := admin.post(userPage(y), userPage(y)+"/roles/remove", url.Values{"area": {itoa(int(f.areaA.ID))}, "role": {"youth"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="user-error"`) {
		t.Fatalf("remove the youth role: %d", resp.StatusCode)
	}
}

// TestAdminDisablesCoordinator: the coordinator's open session ends and
// the login is refused until the account is enabled again.
func TestAdminDisablesCoordinator(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	admin := f.loggedIn("admin")
	u := f.users["coorda"]
	resp, _ := admin.post(userPage(u), userPage(u)+"/disable", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("disable without confirming: %d", resp.StatusCode)
	}
	if loggedOut(t, coord) {
		t.Fatal("an unconfirmed disable ended the session")
	}
	resp, _ = admin.post(userPage(u), userPage(u)+"/disable", url.Values{"confirm": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if !loggedOut(t, coord) {
		t.Fatal("the coordinator's session outlived the disable")
	}
	resp, body := f.client().post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {testPassword}, "next": {"/"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `id="login-error"`) {
		t.Fatalf("login while disabled: %d", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "user_disabled", u.ID)
	if _, body := admin.get(userPage(u)); !strings.Contains(body, `id="state-disabled"`) {
		t.Error("the user page does not show the account closed")
	}
	resp, _ = admin.post(userPage(u), userPage(u)+"/enable", nil)
	if resp.StatusCode != http.StatusSeeOther || loggedOut(t, f.loggedIn("coordA")) {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "user_enabled", u.ID)
	// An admin does not close their own account here.
	me := f.users["admin"]
	if resp, body := admin.post(userPage(me), userPage(me)+"/disable", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="user-error"`) {
		t.Fatalf("disable self: %d", resp.StatusCode)
	}
}

var tempSecretRe = regexp.MustCompile(`id="temp-secret">([^<]+)<`)

// TestTemporaryPassword: the new password is shown once and works; the
// old one does not, and sessions opened with it end.
func TestTemporaryPassword(t *testing.T) {
	f := newFixture(t)
	owner := f.loggedIn("ownerA")
	admin := f.loggedIn("admin")
	u := f.users["ownera"]
	resp, body := admin.post(userPage(u), userPage(u)+"/reset-secret", url.Values{"confirm": {"yes"}})
	m := tempSecretRe.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: %d, no secret shown\n%s", resp.StatusCode, body)
	}
	temp := html.UnescapeString(m[1])
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the password may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	if !loggedOut(t, owner) {
		t.Fatal("a session opened with the old password still works")
	}
	if resp, _ := f.client().post("/login", "/login", url.Values{"username": {"ownerA"}, "secret": {testPassword}, "next": {"/"}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old password: %d", resp.StatusCode)
	}
	c := f.client()
	if resp, _ := c.post("/login", "/login", url.Values{"username": {"ownerA"}, "secret": {temp}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("temporary password: %d", resp.StatusCode)
	}
	// Shown once: the user's page does not show it again.
	if _, body := admin.get(userPage(u)); strings.Contains(body, temp) {
		t.Fatal("the user page shows the temporary password again")
	}
	e := wantLogged(t, f, people.AccessChange, "password_reset", u.ID)
	if strings.Contains(e.Detail, temp) {
		t.Fatal("the access log holds the password")
	}
	// A youth gets a six-digit PIN.
	y := f.users["youtha"]
	_, body = admin.post(userPage(y), userPage(y)+"/reset-secret", url.Values{"confirm": {"yes"}})
	m = tempSecretRe.FindStringSubmatch(body)
	if m == nil || !regexp.MustCompile(`^\d{6}$`).MatchString(m[1]) {
		t.Fatalf("PIN reset shows %v", m)
	}
	if _, err := f.ppl.Login("youthA", m[1], "10.1.1.1"); err != nil {
		t.Fatalf("new PIN: %v", err)
	}
	wantLogged(t, f, people.AccessChange, "pin_reset", y.ID)
}

// TestUnlinkGuardian: the guardian no longer sees the child's access page.
func TestUnlinkGuardian(t *testing.T) {
	f := newFixture(t)
	n := peoplekit.Youth(f.areaA.ID, "lille", people.Date{Year: 2016, Month: 3, Day: 1})
	n.DisplayName = "Lille Ærø"
	child := peoplekit.Create(t, f.ppl, n)
	g := f.users["guarda"]
	if err := f.ppl.LinkGuardian(f.areaA.ID, child.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	guardian := f.loggedIn("guardA")
	access := areaPath(f.areaA, "/children/"+itoa(int(child.ID))+"/access")
	if resp, _ := guardian.get(access); resp.StatusCode != http.StatusOK {
		t.Fatalf("linked guardian: %d", resp.StatusCode)
	}
	admin := f.loggedIn("admin")
	_, body := admin.get(userPage(g))
	if !strings.Contains(body, `id="link-`+itoa(int(child.ID))+`"`) {
		t.Fatal("the guardian's page does not list the link")
	}
	resp, _ := admin.post(userPage(g), userPage(g)+"/guardian-links/remove",
		url.Values{"area": {itoa(int(f.areaA.ID))}, "youth": {itoa(int(child.ID))}, "confirm": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink: %d", resp.StatusCode)
	}
	if resp, _ := guardian.get(access); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unlinked guardian: %d, want 403", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "guardian_unlinked", g.ID)
	if about, _ := f.ppl.AccessAbout(f.areaA.ID, child.ID); len(about) == 0 || about[0].What != "guardian_unlinked" {
		t.Errorf("the child's own log does not show the unlink: %+v", about)
	}
}

// TestAdminUserActions: second factor reset, unlock, end sessions and the
// admin flag, each logged; an admin keeps their own flag.
func TestAdminUserActions(t *testing.T) {
	f := newFixture(t)
	admin := f.loggedIn("admin")
	me := f.users["admin"]
	u := f.users["coordb"]

	secret, _, err := f.ppl.BeginTOTP(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := people.TOTPCode(secret, f.clock.Now())
	if _, err := f.ppl.EnableTOTP(u.ID, secret, code); err != nil {
		t.Fatal(err)
	}
	if _, body := admin.get(userPage(u)); !strings.Contains(body, `id="totp-on"`) {
		t.Error("the user page does not say the second factor is on")
	}
	if resp, _ := admin.post(userPage(u), userPage(u)+"/reset-totp", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset 2FA: %d", resp.StatusCode)
	}
	if got, _ := f.ppl.User(u.ID); f.ppl.HasTOTP(got) {
		t.Fatal("the second factor is still on")
	}
	wantLogged(t, f, people.AccessChange, "totp_reset", u.ID)

	if err := f.ppl.Lock(u.ID); err != nil {
		t.Fatal(err)
	}
	if _, body := admin.get("/admin/users?q=coordb"); !strings.Contains(body, `state-locked`) {
		t.Error("the list does not show the lock")
	}
	if resp, _ := admin.post(userPage(u), userPage(u)+"/unlock", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: %d", resp.StatusCode)
	}
	if got, _ := f.ppl.User(u.ID); !got.Locked.IsZero() {
		t.Fatal("still locked")
	}
	wantLogged(t, f, people.AccessChange, "user_unlocked", u.ID)

	c := f.loggedIn("coordB")
	if resp, _ := admin.post(userPage(u), userPage(u)+"/end-sessions", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther || !loggedOut(t, c) {
		t.Fatalf("end sessions: %d", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "sessions_ended", u.ID)

	if resp, _ := admin.post(userPage(u), userPage(u)+"/admin", url.Values{"admin": {"on"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant admin: %d", resp.StatusCode)
	}
	if resp, _ := f.loggedIn("coordB").get("/admin"); resp.StatusCode != http.StatusOK {
		t.Fatalf("new admin: %d", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "admin_granted", u.ID)
	resp, body := admin.post(userPage(me), userPage(me)+"/admin", url.Values{"admin": {"off"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="user-error"`) {
		t.Fatalf("remove own admin flag: %d", resp.StatusCode)
	}
	if resp, _ := admin.post(userPage(u), userPage(u)+"/admin", url.Values{"admin": {"off"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke admin: %d", resp.StatusCode)
	}
	wantLogged(t, f, people.AccessChange, "admin_revoked", u.ID)
	if resp, _ := admin.get("/admin/users/99999"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown user: %d", resp.StatusCode)
	}
}

// TestLogOutEverywhere: from the own account page, every session of the
// user ends, the one clicking included.
func TestLogOutEverywhere(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"youthA", "coordA"} {
		c := f.loggedIn(name)
		other := f.loggedIn(name)
		resp, body := c.get("/account")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="end-sessions"`) {
			t.Fatalf("%s: account page %d", name, resp.StatusCode)
		}
		if _, home := c.get("/"); !strings.Contains(home, `id="nav-account"`) {
			t.Fatalf("%s: no link to the account page", name)
		}
		resp, _ = c.post("/account", "/account/end-sessions", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Fatalf("%s: log out everywhere: %d %s", name, resp.StatusCode, resp.Header.Get("Location"))
		}
		if !loggedOut(t, c) || !loggedOut(t, other) {
			t.Fatalf("%s: a session survived", name)
		}
		if loggedOut(t, f.loggedIn(name)) {
			t.Fatalf("%s: cannot log in again", name)
		}
	}
}

// TestPluralMessagesFormatTheirCount: a message chosen by count shows the
// count and no formatting debris ("%!(EXTRA int=1)").
func TestPluralMessagesFormatTheirCount(t *testing.T) {
	f := newFixture(t)
	for _, lang := range languages {
		for _, n := range []int{1, 2} {
			for _, key := range []string{"users.shown", "users.partial"} {
				got := f.app.msg.N(lang, key, n)
				if strings.Contains(got, "%!") || !strings.Contains(got, itoa(n)) {
					t.Errorf("%s %s(%d) = %q", lang, key, n, got)
				}
			}
		}
	}
}
