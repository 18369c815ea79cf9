package ui

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The second-factor routes in the authorization matrix. The matrix logs
// every principal in fully (its fixture does not require a second factor
// and nobody has enrolled), so there "allowed" means what a logged-in
// user gets: staff, who log in with a password, may open the TOTP pages
// (the code page sends them on, the setup page lets them enrol by choice);
// youths, who log in with a PIN, may not; anonymous callers are sent to
// log in. The pending state (password right, code still owed) is checked
// route by route in TestAuthorizationPending.
func init() {
	staff := []string{"guardA", "ownerA", "coordA", "evalA", "emplA", "coordB", "admin"}
	expectedAccess["GET /login/totp"] = staff
	expectedAccess["POST /login/totp"] = staff
	expectedAccess["GET /account/totp/setup"] = staff
	expectedAccess["POST /account/totp/setup"] = staff
}

// pendingRoutes are the only non-public routes a pending login may use.
var pendingRoutes = map[string]bool{
	"GET /login/totp":          true,
	"POST /login/totp":         true,
	"GET /account/totp/setup":  true,
	"POST /account/totp/setup": true,
}

var routeParam = regexp.MustCompile(`:([a-z]+)(<int>)?`)

// TestAuthorizationPending calls every route as two users whose password
// was right but whose second factor is still owed: one at the code step,
// one at enrolment. Only public routes and the second-factor pages admit
// them; everything else treats them as not logged in.
func TestAuthorizationPending(t *testing.T) {
	f := newFixture(t, requireMFA)
	f.enrolled("evalA")
	youth := f.users["youtha"]
	pending := []struct{ user, page, want string }{
		{"evalA", "/login/totp", "/login/totp"},                  // has a second factor
		{"coordA", "/account/totp/setup", "/account/totp/setup"}, // must enrol first
	}
	for _, r := range f.app.Routes() {
		key := r.Method + " " + r.Path
		allowed := pendingRoutes[key] || contains(expectedAccess[key], "*")
		path := routeParam.ReplaceAllStringFunc(r.Path, func(p string) string {
			m := routeParam.FindStringSubmatch(p)
			switch {
			case m[1] == "area":
				return itoa(int(f.areaA.ID))
			case m[1] == "user":
				return itoa(int(youth.ID))
			case m[2] != "":
				return "1"
			}
			return "AAAA-BBBB-CCCC-DDDD"
		})
		for _, p := range pending {
			c := f.client()
			if loc := c.passwordStep(p.user, "/"); loc != p.want {
				t.Fatalf("%s's password step went to %q, want %q", p.user, loc, p.want)
			}
			var status int
			var body, loc string
			if r.Method == "GET" {
				resp, b := c.get(path)
				status, body, loc = resp.StatusCode, b, resp.Header.Get("Location")
			} else {
				resp, b := c.do(r.Method, path, url.Values{"_csrf": {c.token(p.page)}})
				status, body, loc = resp.StatusCode, b, resp.Header.Get("Location")
			}
			denied := status == 403 || strings.HasPrefix(loc, "/login?") ||
				(status == 401 && strings.Contains(body, f.msg("err.login_required")))
			if denied == allowed {
				t.Errorf("%s as pending %s: status %d (location %q), want allowed=%v", key, p.user, status, loc, allowed)
			}
			if status >= 500 {
				t.Errorf("%s as pending %s: server error %d", key, p.user, status)
			}
		}
	}
}
