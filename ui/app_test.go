package ui

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
)

func TestLoginLogout(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	resp, _ := c.get("/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous GET / = %d %s, want redirect to login", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := c.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {testPassword}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d\n%s", resp.StatusCode, body)
	}
	var sess *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "fj_session" {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Secure || sess.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over http", sess)
	}
	resp, body = c.get("/")
	if resp.StatusCode != 200 || !strings.Contains(body, f.msg("home.hello", "Bruger coordA Ærø")) {
		t.Fatalf("home after login: %d\n%s", resp.StatusCode, body)
	}
	old := c.cookies["fj_session"]
	resp, _ = c.post("/", "/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Replaying the old cookie finds no session: it was deleted server-side.
	replay := f.client()
	replay.cookies["fj_session"] = old
	if resp, _ := replay.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("replayed session after logout: %d, want redirect to login", resp.StatusCode)
	}
}

func TestSessionRegeneratedAtLogin(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	// A planted, unknown session ID is never adopted.
	c.cookies["fj_session"] = "planted-by-attacker"
	c.login("youthA")
	if id := c.cookies["fj_session"]; id == "planted-by-attacker" || id == "" {
		t.Fatalf("session ID after login = %q", id)
	}
	// Logging in again, already logged in, issues a new ID and kills the old one.
	first := c.cookies["fj_session"]
	resp, _ := c.post("/", "/login", url.Values{"username": {"youthA"}, "secret": {peoplekit.PIN}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second login: %d", resp.StatusCode)
	}
	if c.cookies["fj_session"] == first {
		t.Fatal("session ID not regenerated at second login")
	}
	stale := f.client()
	stale.cookies["fj_session"] = first
	if resp, _ := stale.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pre-login session still valid: %d", resp.StatusCode)
	}
}

func TestSessionIDEntropy(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		c := f.loggedIn("evalA")
		id := c.cookies["fj_session"]
		raw, err := base64.RawURLEncoding.DecodeString(id)
		if err != nil || len(raw) < 16 {
			t.Fatalf("session ID %q: %d bytes, %v; want ≥ 128 bits", id, len(raw), err)
		}
		if seen[id] {
			t.Fatalf("session ID %q issued twice", id)
		}
		seen[id] = true
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("coordA")
	f.clock.Add(time.Hour)
	if resp, _ := c.get("/"); resp.StatusCode != 200 {
		t.Fatalf("after 1 h: %d", resp.StatusCode)
	}
	f.clock.Add(2*time.Hour + time.Second)
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 2 h idle: %d, want redirect to login", resp.StatusCode)
	}
}

// TestCSRFTokenAfterSessionRefresh: the page that refreshes the session's
// last-seen time (a store write, every 5 minutes) must still carry a token
// that works. fiber recycles a saved session object, so reading its ID
// after Save gave an empty basis and a token every post refused.
func TestCSRFTokenAfterSessionRefresh(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("admin")
	f.clock.Add(6 * time.Minute)
	resp, body := c.post("/admin", "/admin/areas", url.Values{"name": {"Hybenhaven"}, "municipality": {"Vejle"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post with the token of a refreshing page: %d\n%s", resp.StatusCode, body)
	}
}

// TestSessionAbsoluteLifetime: a session used every few minutes still
// ends SessionMax (12 h) after login.
func TestSessionAbsoluteLifetime(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("coordA")
	for i := 0; i < 11*10; i++ { // every 6 minutes for 11 hours
		f.clock.Add(6 * time.Minute)
		if resp, _ := c.get("/"); resp.StatusCode != 200 {
			t.Fatalf("after %d min: %d", (i+1)*6, resp.StatusCode)
		}
	}
	f.clock.Add(61 * time.Minute)
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("12 h 1 min after login: %d, want a redirect to login", resp.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("admin")
	other := f.loggedIn("coordA")
	otherToken := other.token("/")
	good := c.token("/admin")
	cases := []struct {
		name   string
		token  string
		header map[string]string
	}{
		{"no token", "", nil},
		{"wrong token", "AAAA", nil},
		{"another session's token", otherToken, nil},
		{"cross-site fetch", good, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"foreign origin", good, map[string]string{"Origin": "https://evil.example"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"name": {"Ondt område"}, "municipality": {"X"}}
			if tc.token != "" {
				form.Set("_csrf", tc.token)
			}
			for k, v := range tc.header {
				c.header.Set(k, v)
			}
			defer func() { c.header = http.Header{} }()
			resp, body := c.do("POST", "/admin/areas", form)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, f.msg("err.csrf")) {
				t.Fatalf("status %d, want 403 with a Danish message\n%s", resp.StatusCode, body)
			}
		})
	}
	areas, _ := f.ppl.Areas()
	if len(areas) != 2 {
		t.Fatalf("%d areas after refused posts, want 2", len(areas))
	}
	// Logout without a token is refused too, and the session survives.
	if resp, _ := c.do("POST", "/logout", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without token: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/"); resp.StatusCode != 200 {
		t.Fatalf("session lost after refused logout: %d", resp.StatusCode)
	}
	// The anonymous login form is protected as well (login CSRF).
	anon := f.client()
	if resp, _ := anon.do("POST", "/login", url.Values{"username": {"admin"}, "secret": {testPassword}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without token: %d", resp.StatusCode)
	}
	// With the right token and a same-origin Origin the post goes through.
	c.header.Set("Origin", "http://example.com")
	resp, body := c.post("/admin", "/admin/areas", url.Values{"name": {"Kirsebærhaven"}, "municipality": {"Vejle"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good post: %d\n%s", resp.StatusCode, body)
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	for i := 0; i < 5; i++ {
		resp, body := c.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {"forkert-kode-123"}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, f.msg("err.people.bad_credentials")) {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	// Spoofed X-Forwarded-For from an untrusted peer does not give a fresh limit.
	c.header.Set("X-Forwarded-For", "203.0.113.77")
	resp, body := c.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, f.msg("err.people.throttled")) {
		t.Fatalf("6th attempt: %d Retry-After=%q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestTrustedProxyHeaderUsedOnlyFromTrustedPeer(t *testing.T) {
	// app.Test connects from 0.0.0.0; trusting it makes X-Forwarded-For the client IP.
	f := newFixture(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	c := f.client()
	for i := 0; i < 5; i++ {
		c.header.Set("X-Forwarded-For", "198.51.100.1")
		c.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {"forkert-kode-123"}})
	}
	c.header.Set("X-Forwarded-For", "198.51.100.2")
	if resp, _ := c.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {testPassword}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login from another client behind the trusted proxy: %d", resp.StatusCode)
	}
}

var volatile = regexp.MustCompile(`value="[A-Za-z0-9_-]{20,}"|[0-9a-f]{8}-[0-9a-f-]{27}`)

func TestNoUserEnumeration(t *testing.T) {
	f := newFixture(t)
	try := func(username string) (int, string) {
		c := f.client()
		c.post("/login", "/login", url.Values{"username": {"x"}, "secret": {"forkert-kode-123"}})
		resp, body := c.post("/login", "/login", url.Values{"username": {username}, "secret": {"forkert-kode-123"}})
		return resp.StatusCode, volatile.ReplaceAllString(strings.ReplaceAll(body, username, "U"), "")
	}
	s1, b1 := try("coorda")
	s2, b2 := try("nobodyhere")
	if s1 != s2 || b1 != b2 {
		t.Fatalf("known user: %d, unknown: %d; bodies equal: %v", s1, s2, b1 == b2)
	}
}

func TestRoleStartPages(t *testing.T) {
	f := newFixture(t)
	cases := map[string][]string{
		"youthA": {"role-youth", f.msg("youth.my_tasks"), f.msg("youth.band")},
		"coordA": {"role-coordinator", f.msg("coord.youth_count", 1), areaPath(f.areaA, "/youths")},
		"evalA":  {"role-evaluator", f.msg("eval.title"), "&lt;5"},
		"ownerA": {"role-task_owner", f.msg("owner.title")},
		"admin":  {"role-admin", f.msg("home.admin_open")},
		"guardA": {"role-guardian"},
	}
	for user, want := range cases {
		c := f.loggedIn(user)
		resp, body := c.get("/")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", user, resp.StatusCode)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s's start page lacks %q", user, w)
			}
		}
		for _, other := range []string{"role-youth", "role-coordinator", "role-evaluator", "role-admin"} {
			if !contains(want, other) && strings.Contains(body, other) {
				t.Errorf("%s's start page shows %s", user, other)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestAreaScoping(t *testing.T) {
	f := newFixture(t)
	youthB := f.users["youthb"]
	youthA := f.users["youtha"]
	cases := []struct {
		user, path string
		status     int
	}{
		{"coordA", areaPath(f.areaA, "/youths"), 200},
		{"coordA", areaPath(f.areaA, "/youths/"+itoa(int(youthA.ID))), 200},
		{"coordA", areaPath(f.areaB, "/youths"), 403},                         // another area's list
		{"coordA", areaPath(f.areaA, "/youths/"+itoa(int(youthB.ID))), 404},   // another area's youth via own area
		{"coordA", areaPath(f.areaB, "/youths/"+itoa(int(youthB.ID))), 403},   // another area's youth directly
		{"coordA", "/a/999/youths", 404},                                      // unknown area
		{"coordA", "/a/abc/youths", 404},                                      // malformed ID
		{"coordA", areaPath(f.areaA, "/youths/99999999999999999999999"), 404}, // overflowing ID
		{"coordA", "/admin", 403},
		{"youthA", areaPath(f.areaA, "/youths"), 403},
		{"evalA", areaPath(f.areaA, "/youths"), 403},
		{"ownerA", areaPath(f.areaA, "/youths/"+itoa(int(youthA.ID))), 403},
		{"admin", areaPath(f.areaA, "/youths"), 403}, // admins run the installation, not the children's records
		{"coordB", areaPath(f.areaB, "/youths"), 200},
	}
	for _, tc := range cases {
		c := f.loggedIn(tc.user)
		resp, body := c.get(tc.path)
		if resp.StatusCode != tc.status {
			t.Errorf("%s GET %s = %d, want %d", tc.user, tc.path, resp.StatusCode, tc.status)
			continue
		}
		if tc.status == 403 && !strings.Contains(body, f.msg("err.forbidden")) {
			t.Errorf("%s GET %s: 403 page is not the Danish one", tc.user, tc.path)
		}
		if tc.status != 200 && strings.Contains(body, youthB.DisplayName) {
			t.Errorf("%s GET %s leaks %s", tc.user, tc.path, youthB.DisplayName)
		}
	}
	// Coordinator A's list never shows area B's youth.
	_, body := f.loggedIn("coordA").get(areaPath(f.areaA, "/youths"))
	if !strings.Contains(body, youthA.DisplayName) || strings.Contains(body, youthB.DisplayName) {
		t.Fatalf("area A list: shows A=%v, B=%v", strings.Contains(body, youthA.DisplayName), strings.Contains(body, youthB.DisplayName))
	}
}

func TestLanguageSwitchIsRemembered(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	resp, _ := c.post("/login", "/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("switch: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := c.get("/login"); !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, f.msgIn("en", "login.lead")) {
		t.Fatal("login page not in English after switching")
	}
	// The choice made before login sticks to the account.
	c.login("youthA")
	if _, body := c.get("/"); !strings.Contains(body, f.msgIn("en", "youth.my_tasks")) {
		t.Fatal("home not in English")
	}
	fresh := f.loggedIn("youthA") // new browser, no language cookie
	if _, body := fresh.get("/"); !strings.Contains(body, f.msgIn("en", "youth.my_tasks")) {
		t.Fatal("account language not remembered in a new browser")
	}
	fresh.post("/", "/lang", url.Values{"lang": {"da"}, "next": {"/"}})
	if _, body := fresh.get("/"); !strings.Contains(body, f.msg("youth.my_tasks")) {
		t.Fatal("switch back to Danish failed")
	}
	if resp, _ := c.post("/", "/lang", url.Values{"lang": {"xx"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown language: %d", resp.StatusCode)
	}
	// An off-site next is ignored.
	if resp, _ := c.post("/", "/lang", url.Values{"lang": {"da"}, "next": {"//evil.example/x"}}); resp.Header.Get("Location") != "/" {
		t.Fatalf("off-site next followed: %s", resp.Header.Get("Location"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	for _, secure := range []bool{false, true} {
		f := newFixture(t, func(c *Config) { c.Secure = secure; c.BodyLimit = 4096 })
		c := f.client()
		if secure {
			// __Host- cookies: the test client sends them back like a browser over HTTPS would.
			c.login2Secure(t)
		} else {
			c.login("coordA")
		}
		checks := []struct {
			name string
			do   func() *http.Response
		}{
			{"200 page", func() *http.Response { r, _ := c.get("/"); return r }},
			{"303", func() *http.Response { r, _ := f.client().get("/"); return r }},
			{"403", func() *http.Response { r, _ := c.get("/admin"); return r }},
			{"404", func() *http.Response { r, _ := c.get("/no/such/page"); return r }},
			{"413", func() *http.Response { r, _ := f.postTooLarge(t, "/login", 10000); return r }},
			{"static", func() *http.Response { r, _ := c.get("/static/app.css"); return r }},
		}
		for _, ch := range checks {
			r := ch.do()
			h := r.Header
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("secure=%v %s: CSP %q", secure, ch.name, csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
				t.Errorf("secure=%v %s: nosniff/referrer missing", secure, ch.name)
			}
			if hsts := h.Get("Strict-Transport-Security"); secure != strings.Contains(hsts, "max-age=") {
				t.Errorf("secure=%v %s: HSTS %q", secure, ch.name, hsts)
			}
			if ch.name != "static" && h.Get("Cache-Control") != "no-store" {
				t.Errorf("secure=%v %s: Cache-Control %q", secure, ch.name, h.Get("Cache-Control"))
			}
			if s := h.Get("Server") + h.Get("X-Powered-By"); s != "" {
				t.Errorf("%s: server banner %q", ch.name, s)
			}
		}
	}
}

// login2Secure logs in when cookies carry the __Host- prefix.
func (c *client) login2Secure(t *testing.T) {
	t.Helper()
	resp, _ := c.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {testPassword}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("secure login: %d", resp.StatusCode)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-fj_session" {
			if !ck.Secure || !ck.HttpOnly || ck.Path != "/" || ck.Domain != "" {
				t.Fatalf("secure session cookie %+v", ck)
			}
			return
		}
	}
	t.Fatal("no __Host-fj_session cookie when Secure")
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.BodyLimit = 64 << 10 })
	c := f.loggedIn("coordA")
	newYouth := areaPath(f.areaA, "/youths/new")
	form := url.Values{"display_name": {"Søs Ørnebjerg"}, "username": {"soes"}, "pin": {"735142"},
		"birth_date": {"2013-13-45"}, "gender": {"female"}, "school": {"compulsory"}, "guardian_name": {"Åge"}}
	resp, body := c.post(newYouth, areaPath(f.areaA, "/youths"), form)
	if resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.birth_date.format")) || !strings.Contains(body, `value="Søs Ørnebjerg"`) {
		t.Fatalf("bad birth date: %d, Danish message and kept input expected\n%s", resp.StatusCode, body)
	}
	form.Set("birth_date", "2013-05-01")
	form.Set("pin", "12")
	if resp, body := c.post(newYouth, areaPath(f.areaA, "/youths"), form); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.pin.length")) {
		t.Fatalf("short PIN: %d\n%s", resp.StatusCode, body)
	}
	if ys, _, _ := f.ppl.YouthsInArea(f.areaA.ID); len(ys) != 1 {
		t.Fatalf("%d youths after bad input, want 1", len(ys))
	}
	form.Set("pin", "735142")
	resp, _ = c.post(newYouth, areaPath(f.areaA, "/youths"), form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good youth: %d", resp.StatusCode)
	}
	if _, body := c.get(resp.Header.Get("Location")); !strings.Contains(body, f.msg("done.youth_created")) || !strings.Contains(body, "01-05-2013") {
		t.Fatal("youth page after create lacks confirmation or dd-mm-yyyy date")
	}
	// The new youth can log in with the PIN.
	y := f.client()
	if resp, _ := y.post("/login", "/login", url.Values{"username": {"soes"}, "secret": {"735142"}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new youth login: %d", resp.StatusCode)
	}
	// Too large a body: 413 with a Danish page (the server refuses it before
	// any handler, so this goes over a real socket).
	if resp, body := f.postTooLarge(t, areaPath(f.areaA, "/youths"), 100<<10); resp.StatusCode != 413 || !strings.Contains(body, f.msg("err.too_large")) {
		t.Fatalf("huge body: %d\n%s", resp.StatusCode, body)
	}
	// Malformed form encoding is a 4xx, never a 500.
	c.header.Set("Content-Type", "multipart/form-data; boundary=")
	if resp, _ := c.do("POST", areaPath(f.areaA, "/youths"), url.Values{"x": {"%%%"}}); resp.StatusCode >= 500 {
		t.Fatalf("malformed form: %d", resp.StatusCode)
	}
}

func TestErrorsLeakNothing(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("coordA")
	f.db.Close() // every store call now fails
	resp, body := c.get("/")
	if resp.StatusCode != 500 {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	for _, leak := range []string{"database", "bolt", "closed", ".db", "goroutine", "ui.db"} {
		if strings.Contains(strings.ToLower(body), leak) {
			t.Errorf("error page leaks %q", leak)
		}
	}
	if !strings.Contains(body, f.msg("err.internal")) || !strings.Contains(body, resp.Header.Get("X-Request-Id")) {
		t.Fatal("error page lacks the Danish message or the request ID")
	}
}

// TestLoginFailsClosed: when the store (and so the login throttle) cannot
// be reached, a right password does not log anyone in.
func TestLoginFailsClosed(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	tok := c.token("/login")
	f.db.Close()
	resp, _ := c.do("POST", "/login", url.Values{"_csrf": {tok}, "username": {"coordA"}, "secret": {testPassword}})
	if resp.StatusCode < 500 || c.cookies["fj_session"] != "" {
		t.Fatalf("login with the store down: %d, session %q", resp.StatusCode, c.cookies["fj_session"])
	}
}

func TestAdminCreatesAreaAndStaff(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("admin")
	resp, _ := c.post("/admin", "/admin/areas", url.Values{"name": {"Æblehaven"}, "municipality": {"Høje-Taastrup"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create area: %d", resp.StatusCode)
	}
	if _, body := c.get("/admin?done=area_created"); !strings.Contains(body, "Æblehaven") || !strings.Contains(body, f.msg("done.area_created")) {
		t.Fatal("new area not listed")
	}
	if resp, body := c.post("/admin", "/admin/areas", url.Values{"name": {"æblehaven"}, "municipality": {"X"}}); resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.people.area_name_taken")) {
		t.Fatalf("duplicate area: %d", resp.StatusCode)
	}
	form := url.Values{"display_name": {"Kim Ødum"}, "username": {"kim"}, "password": {"kort"}, "area": {itoa(int(f.areaB.ID))}, "role": {"coordinator"}}
	if resp, body := c.post("/admin", "/admin/users", form); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.password.length")) || !strings.Contains(body, `value="Kim Ødum"`) {
		t.Fatalf("short password: %d", resp.StatusCode)
	}
	form.Set("password", "et-langt-kodeord")
	if resp, _ := c.post("/admin", "/admin/users", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create staff: %d", resp.StatusCode)
	}
	kim := f.client()
	resp, _ = kim.post("/login", "/login", url.Values{"username": {"kim"}, "secret": {"et-langt-kodeord"}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("kim login: %d", resp.StatusCode)
	}
	if resp, _ := kim.get(areaPath(f.areaB, "/youths")); resp.StatusCode != 200 {
		t.Fatalf("kim as coordinator of B: %d", resp.StatusCode)
	}
}

// TestCoordinatorResetsPIN: a forgotten PIN is replaced by the coordinator;
// the old one stops working, a malformed one is refused in Danish.
func TestCoordinatorResetsPIN(t *testing.T) {
	f := newFixture(t)
	y := f.users["youtha"]
	coord := f.loggedIn("coordA")
	page := areaPath(f.areaA, "/youths/"+itoa(int(y.ID)))
	if resp, body := coord.post(page, page+"/pin", url.Values{"pin": {"12a"}}); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.pin.length")) {
		t.Fatalf("bad PIN: %d", resp.StatusCode)
	}
	if resp, _ := coord.post(page, page+"/pin", url.Values{"pin": {"975310"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	c := f.client()
	if resp, _ := c.post("/login", "/login", url.Values{"username": {"youthA"}, "secret": {peoplekit.PIN}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old PIN: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/login", "/login", url.Values{"username": {"youthA"}, "secret": {"975310"}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new PIN: %d", resp.StatusCode)
	}
}

func TestSafeNext(t *testing.T) {
	cases := map[string]string{
		"/":                      "/",
		"/a/1/youths?x=1":        "/a/1/youths?x=1",
		"":                       "/",
		"//evil.example":         "/",
		"/\\evil.example":        "/",
		"https://evil.example/":  "/",
		"javascript:alert(1)":    "/",
		"/ok\r\nSet-Cookie: x=1": "/",
	}
	for in, want := range cases {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHealthAndReady(t *testing.T) {
	f := newFixture(t)
	if r, _ := f.client().get("/healthz"); r.StatusCode != 200 {
		t.Fatalf("healthz %d", r.StatusCode)
	}
	if r, _ := f.client().get("/readyz"); r.StatusCode != 200 {
		t.Fatalf("readyz %d", r.StatusCode)
	}
	g := newFixture(t, func(c *Config) { c.Ready = func() error { return errTestDown } })
	if r, _ := g.client().get("/readyz"); r.StatusCode != 503 {
		t.Fatalf("readyz when not ready: %d", r.StatusCode)
	}
}

var errTestDown = &testError{}

type testError struct{}

func (*testError) Error() string { return "down" }
