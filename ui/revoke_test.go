package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
)

// loggedOut reports whether c's session no longer speaks for anyone: a
// page behind a login sends it to the login page.
func loggedOut(t *testing.T, c *client) bool {
	t.Helper()
	resp, _ := c.get("/")
	return resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/login")
}

// TestRevocationEndsSessions: a new PIN, disabling, "log out everywhere"
// and a reset second factor each end the sessions opened before, kept
// login state included; a login after them works (but not while disabled).
func TestRevocationEndsSessions(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	cases := []struct {
		name, user string
		revoke     func() error
		relogin    bool
	}{
		{"PIN reset by the coordinator", "youthA", func() error {
			coord := f.loggedIn("coordA")
			page := areaPath(f.areaA, "/youths/"+itoa(int(youth.ID)))
			resp, _ := coord.post(page, page+"/pin", url.Values{"pin": {"482916"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("PIN reset: %d", resp.StatusCode)
			}
			return nil
		}, true},
		{"account disabled", "ownerA", func() error { return f.ppl.SetDisabled(f.users["ownera"].ID, true) }, false},
		{"log out everywhere", "evalA", func() error { return f.ppl.EndSessions(f.users["evala"].ID) }, true},
		{"second factor reset", "coordB", func() error { return f.ppl.DisableTOTP(f.users["coordb"].ID) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := f.loggedIn(tc.user)
			other := f.loggedIn(tc.user) // a second device
			c.get("/")                   // warm the kept login state
			if loggedOut(t, c) || loggedOut(t, other) {
				t.Fatal("not logged in before the revocation")
			}
			if err := tc.revoke(); err != nil {
				t.Fatal(err)
			}
			if !loggedOut(t, c) || !loggedOut(t, other) {
				t.Fatal("a session opened before the revocation still works")
			}
			if tc.relogin {
				if loggedOut(t, f.loggedIn(tc.user)) {
					t.Fatal("a new login does not work")
				}
			} else {
				secret := testPassword
				resp, body := f.client().post("/login", "/login", url.Values{"username": {tc.user}, "secret": {secret}, "next": {"/"}})
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `id="login-error"`) {
					t.Fatalf("login while disabled: %d", resp.StatusCode)
				}
				if err := f.ppl.SetDisabled(f.users[strings.ToLower(tc.user)].ID, false); err != nil {
					t.Fatal(err)
				}
				if loggedOut(t, f.loggedIn(tc.user)) {
					t.Fatal("login after enabling does not work")
				}
			}
		})
	}
	if err := f.ppl.SetDisabled(youth.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ppl.Login("youthA", "482916", "10.0.0.1"); !errors.Is(err, people.ErrDisabled) {
		t.Fatalf("login of a disabled youth: %v", err)
	}
}

// TestLockedYouthIsShownAndUnlocked: ten wrong PINs lock a youth's
// account whatever the address; the coordinator's start page names the
// youth, and the youth page unlocks it.
func TestLockedYouthIsShownAndUnlocked(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	for i := 0; i < 10; i++ {
		if i == 5 {
			f.clock.Add(16 * time.Minute) // past the per-address window: the lock counts on
		}
		f.client().post("/login", "/login", url.Values{"username": {"youthA"}, "secret": {"00000" + itoa(i)}})
	}
	resp, body := f.client().post("/login", "/login", url.Values{"username": {"youthA"}, "secret": {"482916"}, "next": {"/"}})
	if resp.StatusCode == http.StatusSeeOther {
		t.Fatal("the right PIN logged in to a locked account")
	}
	if !strings.Contains(body, `id="login-error"`) {
		t.Fatalf("no error on the login page: %d", resp.StatusCode)
	}
	coord := f.loggedIn("coordA")
	if _, home := coord.get("/"); !strings.Contains(home, `id="locked-`+itoa(int(youth.ID))+`"`) {
		t.Fatal("the coordinator's start page does not name the locked youth")
	}
	// The lock also reached the coordinator's inbox, naming the youth; the
	// youths of the area and the other area's coordinator were not told.
	if _, inbox := coord.get("/inbox"); !strings.Contains(inbox, f.msg("notify.account_locked", youth.DisplayName+" ("+youth.Username+")")) {
		t.Error("the coordinator's inbox does not tell of the lock")
	}
	if _, inbox := f.loggedIn("coordB").get("/inbox"); strings.Contains(inbox, youth.DisplayName) {
		t.Error("another area's coordinator was told of the lock")
	}
	page := areaPath(f.areaA, "/youths/"+itoa(int(youth.ID)))
	if resp, _ := coord.post(page, page+"/unlock", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: %d", resp.StatusCode)
	}
	if loggedOut(t, f.loggedIn("youthA")) {
		t.Fatal("the youth cannot log in after the unlock")
	}
}
