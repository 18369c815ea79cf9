package ui

import (
	"net/url"
	"sort"
	"strings"
	"testing"
)

// principals that call every route: anonymous, each role in area A, a
// coordinator of area B (another area) and the installation admin.
var principals = []string{"anon", "youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"}

// expectedAccess is the explicit access table: who may use each route
// (with area A and area A's youth in the URL). A route missing here fails
// TestAuthorizationMatrix, so every new route must be decided on.
var expectedAccess = map[string][]string{
	"GET /login":                     {"*"},
	"POST /login":                    {"*"},
	"POST /lang":                     {"*"},
	"POST /logout":                   {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"GET /":                          {"youthA", "guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"},
	"GET /admin":                     {"admin"},
	"POST /admin/areas":              {"admin"},
	"POST /admin/users":              {"admin"},
	"GET /a/:area/youths":            {"coordA"},
	"GET /a/:area/youths/new":        {"coordA"},
	"POST /a/:area/youths":           {"coordA"},
	"GET /a/:area/youths/:user<int>": {"coordA"},
}

func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	seen := map[string]bool{}
	routes := f.app.Routes()
	sort.Slice(routes, func(i, j int) bool { return routes[i].Path < routes[j].Path })
	for _, r := range routes {
		key := r.Method + " " + r.Path
		seen[key] = true
		allowed, ok := expectedAccess[key]
		if !ok {
			t.Errorf("route %s has no entry in expectedAccess: decide who may use it", key)
			continue
		}
		path := strings.NewReplacer(":area", itoa(int(f.areaA.ID)), ":user<int>", itoa(int(youth.ID))).Replace(r.Path)
		for _, p := range principals {
			want := contains(allowed, "*") || contains(allowed, p)
			c := f.client()
			if p != "anon" {
				c.login(p)
			}
			var status int
			var body, loc string
			if r.Method == "GET" {
				resp, b := c.get(path)
				status, body, loc = resp.StatusCode, b, resp.Header.Get("Location")
			} else {
				page := "/"
				if p == "anon" {
					page = "/login"
				}
				form := url.Values{"_csrf": {c.token(page)}}
				resp, b := c.do(r.Method, path, form)
				status, body, loc = resp.StatusCode, b, resp.Header.Get("Location")
			}
			denied := status == 403 || strings.HasPrefix(loc, "/login?") ||
				(status == 401 && strings.Contains(body, "Du skal logge ind"))
			if denied == want {
				t.Errorf("%s as %s: status %d (location %q), want allowed=%v", key, p, status, loc, want)
			}
			if status >= 500 {
				t.Errorf("%s as %s: server error %d", key, p, status)
			}
		}
	}
	for key := range expectedAccess {
		if !seen[key] {
			t.Errorf("expectedAccess lists %s, which is not registered", key)
		}
	}
}
