package ui

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fritidsjob/store"
)

// sessionCookie is the session cookie a response set, or nil.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == "fj_session" {
			return ck
		}
	}
	return nil
}

// TestSessionCookieEndsWithTheBrowser: on a shared youth-club PC closing
// the browser must log out, so the session cookie has no lifetime of its
// own, for youths always and for staff unless they tick "husk mig" on a
// personal device; then it lasts the session's absolute lifetime.
func TestSessionCookieEndsWithTheBrowser(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		user, secret, remember string
		persistent             bool
	}{
		{"youthA", "482916", "", false},
		{"youthA", "482916", "1", false}, // youths cannot ask to be remembered
		{"coordA", testPassword, "", false},
		{"coordA", testPassword, "1", true},
	} {
		c := f.client()
		resp, _ := c.post("/login", "/login", url.Values{"username": {tc.user}, "secret": {tc.secret}, "next": {"/"}, "remember": {tc.remember}})
		ck := sessionCookie(resp)
		if resp.StatusCode != http.StatusSeeOther || ck == nil {
			t.Fatalf("%s remember=%q: login %d, cookie %v", tc.user, tc.remember, resp.StatusCode, ck)
		}
		if persistent := ck.MaxAge > 0 || !ck.Expires.IsZero(); persistent != tc.persistent {
			t.Errorf("%s remember=%q: cookie MaxAge %d Expires %v, want persistent=%v", tc.user, tc.remember, ck.MaxAge, ck.Expires, tc.persistent)
		}
		// The periodic "seen" refresh re-sends the cookie: it keeps its kind.
		f.clock.Add(6 * 60e9)
		resp, _ = c.get("/")
		if ck := sessionCookie(resp); ck != nil && (ck.MaxAge > 0 || !ck.Expires.IsZero()) != tc.persistent {
			t.Errorf("%s remember=%q: refreshed cookie changed its kind", tc.user, tc.remember)
		}
	}
	_, page := f.client().get("/login")
	if !strings.Contains(page, `id="remember"`) {
		t.Error("the login page offers no 'husk mig'")
	}
}

// TestSessionIDsStoredHashed: the store holds a hash of each session ID,
// never the ID itself, so a copy of the data file (a backup) logs nobody in.
func TestSessionIDsStoredHashed(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("coordA")
	sid := c.cookies["fj_session"]
	if sid == "" {
		t.Fatal("no session cookie")
	}
	found := 0
	if err := f.db.View(func(tx store.Tx) error {
		return tx.Scan("sessions", nil, func(k, v []byte) error {
			found++
			if bytes.Contains(k, []byte(sid)) || bytes.Contains(v, []byte(sid)) {
				t.Errorf("the session ID is stored in plain text")
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no session stored")
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the session does not work: %d", resp.StatusCode)
	}
}
