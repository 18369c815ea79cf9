package ui

import (
	"net/url"
	"strings"
	"testing"
)

// TestCSRFOnEveryStateChangingRoute: every registered non-GET route,
// called by each logged-in principal (and anonymously) without a token, is
// refused with 403 and changes nothing.
func TestCSRFOnEveryStateChangingRoute(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	clients := map[string]*client{"anon": f.client()}
	for _, p := range []string{"youthA", "coordA", "admin", "guardA"} {
		clients[p] = f.loggedIn(p)
	}
	before, _ := f.ppl.AccessLog(0)
	n := 0
	for _, r := range f.app.Routes() {
		if r.Method == "GET" {
			continue
		}
		path := strings.NewReplacer(":area<int>", itoa(int(f.areaA.ID)), ":area", itoa(int(f.areaA.ID)), ":user<int>", itoa(int(youth.ID)),
			":task<int>", "1", ":entry<int>", "1", ":reward<int>", "1", ":redemption<int>", "1", ":code<int>", "1",
			":action", "paper", ":token", "no-such-token-0123456789").Replace(r.Path)
		for name, c := range clients {
			resp, _ := c.do(r.Method, path, url.Values{"guardian": {"X"}, "name": {"X"}, "lang": {"en"}})
			if resp.StatusCode != 403 {
				t.Errorf("%s %s as %s without a CSRF token: %d, want 403", r.Method, r.Path, name, resp.StatusCode)
			}
			n++
		}
	}
	if n < 40 {
		t.Fatalf("only %d calls: the route list looks wrong", n)
	}
	after, _ := f.ppl.AccessLog(0)
	if len(after) != len(before) {
		t.Fatalf("refused posts changed the access log: %d → %d entries", len(before), len(after))
	}
	if areas, _ := f.ppl.Areas(); len(areas) != 2 {
		t.Fatalf("refused posts created areas: %d", len(areas))
	}
}
