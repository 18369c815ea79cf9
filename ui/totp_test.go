package ui

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
)

// requireMFA is the fixture option that makes staff give a second factor.
func requireMFA(c *Config) { c.RequireSecondFactor = true }

var (
	secretRe   = regexp.MustCompile(`id="totp-secret"[^>]*>([A-Z2-7 ]+)<`)
	recoveryRe = regexp.MustCompile(`<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>`)
)

// passwordStep posts username and password and returns where the login
// sent the client.
func (c *client) passwordStep(username, next string) string {
	c.f.t.Helper()
	secret := testPassword
	if strings.HasPrefix(username, "youth") {
		secret = peoplekit.PIN
	}
	resp, body := c.post("/login", "/login", url.Values{"username": {username}, "secret": {secret}, "next": {next}})
	if resp.StatusCode != http.StatusSeeOther {
		c.f.t.Fatalf("password step as %s: %d\n%s", username, resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

// code returns the current TOTP code for secret on the fixture's clock.
func (f *fixture) code(secret string) string {
	f.t.Helper()
	code, err := people.TOTPCode(secret, f.clock.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	return code
}

// wrongCode is a 6-digit code that is not right.
func wrongCode(right string) string {
	if right == "000000" {
		return "111111"
	}
	return "000000"
}

// enrolled gives username a second factor through the service and returns
// its secret and recovery codes.
func (f *fixture) enrolled(username string) (string, []string) {
	f.t.Helper()
	u := f.users[strings.ToLower(username)]
	secret, _, err := f.ppl.BeginTOTP(u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	codes, err := f.ppl.EnableTOTP(u.ID, secret, f.code(secret))
	if err != nil {
		f.t.Fatal(err)
	}
	f.clock.Add(30 * time.Second) // the enrolment code is used up
	return secret, codes
}

// notLoggedIn fails unless GET / sends the client to the login page.
func (c *client) notLoggedIn(when string) {
	c.f.t.Helper()
	resp, _ := c.get("/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?") {
		c.f.t.Fatalf("%s: GET / = %d %s, want a redirect to the login page", when, resp.StatusCode, resp.Header.Get("Location"))
	}
}

func (c *client) atHome(when, username string) {
	c.f.t.Helper()
	resp, body := c.get("/")
	if resp.StatusCode != 200 || !strings.Contains(body, c.f.msg("home.hello", "Bruger "+username)) {
		c.f.t.Fatalf("%s: GET / = %d, want %s's start page", when, resp.StatusCode, username)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestTOTPEnrolmentAndLogin walks a coordinator through the first login
// (enrolment), a login with a code, a wrong code, a replayed code and a
// recovery code used twice.
func TestTOTPEnrolmentAndLogin(t *testing.T) {
	logs := &lockedBuffer{}
	f := newFixture(t, requireMFA, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})

	// First login: the password is right, but the coordinator must enrol
	// before anything else.
	c := f.client()
	if loc := c.passwordStep("coordA", "/"); loc != "/account/totp/setup" {
		t.Fatalf("first login went to %q, want the enrolment page", loc)
	}
	pendingID := c.cookies["fj_session"]
	if pendingID == "" {
		t.Fatal("no session cookie for the pending login")
	}
	c.notLoggedIn("password only")
	if resp, _ := c.get(areaPath(f.areaA, "/youths")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("password only: coordinator page %d, want a redirect to login", resp.StatusCode)
	}
	resp, body := c.get("/account/totp/setup")
	m := secretRe.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, `id="totp-required"`) {
		t.Fatalf("setup page: %d, secret shown: %v\n%s", resp.StatusCode, m != nil, body)
	}
	shown := m[1]
	secret := strings.ReplaceAll(shown, " ", "")
	if len(secret) != 32 || len(strings.Fields(shown)) != 8 {
		t.Fatalf("secret shown as %q, want 32 characters in groups of 4", shown)
	}
	if !strings.Contains(body, `<svg xmlns="http://www.w3.org/2000/svg" id="totp-qr"`) || !strings.Contains(body, `<path fill="#000" d="M`) {
		t.Fatal("setup page has no inline SVG QR code")
	}
	if !strings.Contains(body, `href="otpauth://totp/Fritidsjob:coorda?`) || !strings.Contains(body, "secret="+secret) {
		t.Fatal("setup page lacks the otpauth:// link with the same secret")
	}
	if _, again := c.get("/account/totp/setup"); !strings.Contains(again, shown) {
		t.Fatal("reloading the setup page changed the secret")
	}

	// A wrong code enables nothing.
	resp, body = c.post("/account/totp/setup", "/account/totp/setup", url.Values{"code": {wrongCode(f.code(secret))}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, f.msg("err.people.bad_code")) || !strings.Contains(body, shown) {
		t.Fatalf("wrong enrolment code: %d\n%s", resp.StatusCode, body)
	}
	if u, _ := f.ppl.User(f.users["coorda"].ID); f.ppl.HasTOTP(u) {
		t.Fatal("second factor enabled by a wrong code")
	}
	c.notLoggedIn("after a wrong enrolment code")

	// The right code: recovery codes, shown once, and a full session under a new ID.
	resp, body = c.post("/account/totp/setup", "/account/totp/setup", url.Values{"code": {f.code(secret)}})
	codes := recoveryRe.FindAllStringSubmatch(body, -1)
	if resp.StatusCode != 200 || len(codes) != 8 || !strings.Contains(body, f.msg("totp.done.codes_warning")) {
		t.Fatalf("enrolment: %d with %d recovery codes\n%s", resp.StatusCode, len(codes), body)
	}
	if id := c.cookies["fj_session"]; id == "" || id == pendingID {
		t.Fatalf("session ID after enrolment %q, want a new one", id)
	}
	stale := f.client()
	stale.cookies["fj_session"] = pendingID
	stale.notLoggedIn("the pending session's ID after enrolment")
	c.atHome("after enrolment", "coordA")
	if resp, _ := c.get(areaPath(f.areaA, "/youths")); resp.StatusCode != 200 {
		t.Fatalf("after enrolment: coordinator page %d", resp.StatusCode)
	}
	if _, body := c.get("/account/totp/setup"); !strings.Contains(body, f.msg("totp.enabled.left", 8)) || secretRe.MatchString(body) {
		t.Fatal("setup page after enrolment should show the state, not a secret")
	}
	c.post("/", "/logout", nil)

	// The next login asks for the code.
	f.clock.Add(30 * time.Second)
	c = f.client()
	if loc := c.passwordStep("coordA", "/"); loc != "/login/totp" {
		t.Fatalf("second login went to %q, want /login/totp", loc)
	}
	pendingID = c.cookies["fj_session"]
	c.notLoggedIn("before the code")
	resp, body = c.post("/login/totp", "/login/totp", url.Values{"code": {wrongCode(f.code(secret))}, "next": {"/"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, f.msg("err.people.bad_code")) || !strings.Contains(body, `<html lang="da">`) {
		t.Fatalf("wrong code: %d, want 401 with the Danish message\n%s", resp.StatusCode, body)
	}
	c.notLoggedIn("after a wrong code")
	good := f.code(secret)
	resp, _ = c.post("/login/totp", "/login/totp", url.Values{"code": {good}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("right code: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if id := c.cookies["fj_session"]; id == "" || id == pendingID {
		t.Fatal("session ID not regenerated after the second factor")
	}
	c.atHome("after the code", "coordA")

	// The same code in another login is refused (single use).
	replay := f.client()
	replay.passwordStep("coordA", "/")
	if resp, _ := replay.post("/login/totp", "/login/totp", url.Values{"code": {good}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d, want 401", resp.StatusCode)
	}
	replay.notLoggedIn("after a replayed code")

	// A recovery code works once, and a next= survives the second step.
	rc := codes[0][1]
	r1 := f.client()
	next := areaPath(f.areaA, "/youths")
	if loc := r1.passwordStep("coordA", next); loc != "/login/totp?next="+url.QueryEscape(next) {
		t.Fatalf("login with next went to %q", loc)
	}
	resp, _ = r1.post("/login/totp?next="+url.QueryEscape(next), "/login/totp", url.Values{"code": {strings.ToLower(rc)}, "next": {next}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != next {
		t.Fatalf("recovery code: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	r1.atHome("after a recovery code", "coordA")
	r2 := f.client()
	r2.passwordStep("coordA", "/")
	if resp, body := r2.post("/login/totp", "/login/totp", url.Values{"code": {rc}}); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, f.msg("err.people.bad_code")) {
		t.Fatalf("recovery code used twice: %d", resp.StatusCode)
	}
	r2.notLoggedIn("after a spent recovery code")
	if u, _ := f.ppl.User(f.users["coorda"].ID); len(u.RecoveryHashes) != 7 {
		t.Fatalf("%d recovery codes left, want 7", len(u.RecoveryHashes))
	}

	// Neither the secret nor a recovery code reaches the log.
	for _, s := range []string{secret, shown, rc, strings.ReplaceAll(rc, "-", "")} {
		if strings.Contains(logs.String(), s) {
			t.Fatalf("log contains a secret:\n%s", logs.String())
		}
	}
	if !strings.Contains(logs.String(), "second factor enabled") {
		t.Fatal("enrolment not logged")
	}
}

func TestTOTPThrottledInUI(t *testing.T) {
	f := newFixture(t, requireMFA)
	secret, _ := f.enrolled("evalA")
	c := f.client()
	c.passwordStep("evalA", "/")
	bad := wrongCode(f.code(secret))
	for i := range 5 {
		if resp, _ := c.post("/login/totp", "/login/totp", url.Values{"code": {bad}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := c.post("/login/totp", "/login/totp", url.Values{"code": {f.code(secret)}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, f.msg("err.people.throttled")) {
		t.Fatalf("6th code: %d Retry-After=%q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	c.notLoggedIn("throttled")
}

func TestYouthNeverSeesTOTP(t *testing.T) {
	f := newFixture(t, requireMFA)
	c := f.client()
	if loc := c.passwordStep("youthA", "/"); loc != "/" {
		t.Fatalf("youth login went to %q, want /", loc)
	}
	resp, body := c.get("/")
	if resp.StatusCode != 200 || strings.Contains(body, "totp") || strings.Contains(body, "Engangskode") {
		t.Fatalf("youth start page: %d", resp.StatusCode)
	}
	for _, p := range []string{"/login/totp", "/account/totp/setup"} {
		if resp, _ := c.get(p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("youth GET %s: %d, want 403", p, resp.StatusCode)
		}
	}
}

// TestSecondFactorRoles: which logins need a second step, with and without
// RequireSecondFactor.
func TestSecondFactorRoles(t *testing.T) {
	required := newFixture(t, requireMFA)
	for user, want := range map[string]string{
		"coordA": "/account/totp/setup", "evalA": "/account/totp/setup", "admin": "/account/totp/setup",
		"ownerA": "/", "guardA": "/", "emplA": "/", "youthA": "/",
	} {
		if loc := required.client().passwordStep(user, "/"); loc != want {
			t.Errorf("required: %s went to %q, want %q", user, loc, want)
		}
	}
	// Not required (the zero Config): no second step for whoever has not
	// enrolled, but whoever has is asked for the code.
	f := newFixture(t)
	if loc := f.client().passwordStep("coordA", "/"); loc != "/" {
		t.Fatalf("not required: coordinator without TOTP went to %q, want /", loc)
	}
	secret, _ := f.enrolled("ownerA")
	c := f.client()
	if loc := c.passwordStep("ownerA", "/"); loc != "/login/totp" {
		t.Fatalf("not required: enrolled task owner went to %q, want /login/totp", loc)
	}
	if resp, _ := c.post("/login/totp", "/login/totp", url.Values{"code": {f.code(secret)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("task owner's code: %d", resp.StatusCode)
	}
	c.atHome("task owner after the code", "ownerA")
}

// TestTOTPSetupWhenLoggedIn: staff can turn the second factor on by choice.
func TestTOTPSetupWhenLoggedIn(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("ownerA")
	id := c.cookies["fj_session"]
	_, body := c.get("/account/totp/setup")
	m := secretRe.FindStringSubmatch(body)
	if m == nil || strings.Contains(body, `id="totp-required"`) {
		t.Fatalf("setup page when logged in:\n%s", body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	resp, body := c.post("/account/totp/setup", "/account/totp/setup", url.Values{"code": {f.code(secret)}})
	if resp.StatusCode != 200 || len(recoveryRe.FindAllString(body, -1)) != 8 {
		t.Fatalf("enable when logged in: %d", resp.StatusCode)
	}
	if c.cookies["fj_session"] != id {
		t.Fatal("a logged-in enrolment should keep the session")
	}
	c.atHome("after enabling", "ownerA")
	// A second post (a resent form) changes nothing.
	before, _ := f.ppl.User(f.users["ownera"].ID)
	if resp, _ := c.post("/", "/account/totp/setup", url.Values{"code": {f.code(secret)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resent enrolment: %d", resp.StatusCode)
	}
	if u, _ := f.ppl.User(f.users["ownera"].ID); u.TOTPSecret != before.TOTPSecret || !f.ppl.HasTOTP(u) || len(u.RecoveryHashes) != 8 {
		t.Fatal("resent enrolment changed the second factor")
	}
}

func TestPendingLoginExpires(t *testing.T) {
	f := newFixture(t, requireMFA)
	secret, _ := f.enrolled("coordA")
	c := f.client()
	c.passwordStep("coordA", "/")
	tok := c.token("/login/totp")
	f.clock.Add(11 * time.Minute)
	if resp, _ := c.get("/login/totp"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?") {
		t.Fatalf("pending login after 11 minutes: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ := c.do("POST", "/login/totp", url.Values{"_csrf": {tok}, "code": {f.code(secret)}})
	if resp.StatusCode < 400 {
		t.Fatalf("code for an expired pending login: %d", resp.StatusCode)
	}
	c.notLoggedIn("expired pending login")
}

func TestAdminDisablesTOTP(t *testing.T) {
	f := newFixture(t, requireMFA)
	f.enrolled("coordA")
	if loc := f.client().passwordStep("coordA", "/"); loc != "/login/totp" {
		t.Fatalf("enrolled coordinator went to %q", loc)
	}
	// The admin needs a second factor too.
	adminSecret, _ := f.enrolled("admin")
	a := f.client()
	a.passwordStep("admin", "/")
	if resp, _ := a.post("/login/totp", "/login/totp", url.Values{"code": {f.code(adminSecret)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin code: %d", resp.StatusCode)
	}
	page := "/admin/users/" + itoa(int(f.users["coorda"].ID))
	resp, _ := a.post(page, page+"/reset-totp", url.Values{"confirm": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"?done=totp_reset" {
		t.Fatalf("reset: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := a.get(page + "?done=totp_reset"); !strings.Contains(body, f.msg("done.totp_reset")) {
		t.Fatal("no confirmation after the reset")
	}
	if loc := f.client().passwordStep("coordA", "/"); loc != "/account/totp/setup" {
		t.Fatalf("after disabling, coordinator went to %q, want enrolment", loc)
	}
}

func TestTOTPPagesInEnglish(t *testing.T) {
	f := newFixture(t, requireMFA)
	f.enrolled("evalA")
	c := f.client()
	c.post("/login", "/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
	c.passwordStep("evalA", "/")
	if _, body := c.get("/login/totp"); !strings.Contains(body, f.msgIn("en", "totp.login.title")) || strings.Contains(body, "[totp.") {
		t.Fatalf("code page not in English:\n%s", body)
	}
	g := f.client()
	g.post("/login", "/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
	g.passwordStep("coordA", "/")
	if _, body := g.get("/account/totp/setup"); !strings.Contains(body, f.msgIn("en", "totp.setup.title")) || strings.Contains(body, "[totp.") {
		t.Fatalf("setup page not in English:\n%s", body)
	}
}

// TestSessionUsableAfterRefresh: the request that refreshes the session's
// last-seen time (every 5 minutes) saves the session, which hands fiber's
// session object back to its pool; logout (and a login that replaces the
// session) must still work on that request.
func TestSessionUsableAfterRefresh(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("coordA")
	tok := c.token("/")
	f.clock.Add(6 * time.Minute)
	resp, _ := c.do("POST", "/logout", url.Values{"_csrf": {tok}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout on the refreshing request: %d", resp.StatusCode)
	}
	c.notLoggedIn("after logout")

	d := f.loggedIn("evalA")
	tok = d.token("/")
	old := d.cookies["fj_session"]
	f.clock.Add(6 * time.Minute)
	resp, _ = d.do("POST", "/login", url.Values{"_csrf": {tok}, "username": {"evalA"}, "secret": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther || d.cookies["fj_session"] == old {
		t.Fatalf("login again on the refreshing request: %d", resp.StatusCode)
	}
	stale := f.client()
	stale.cookies["fj_session"] = old
	stale.notLoggedIn("old session after a new login")
}

func TestQRSVG(t *testing.T) {
	svg, err := qrSVG("otpauth://totp/Fritidsjob:x?secret=" + strings.Repeat("A", 32))
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, "<svg ") || !strings.HasSuffix(s, "</svg>") || strings.Contains(s, "AAAA") || strings.Contains(s, "style") {
		t.Fatalf("svg: %.200s", s)
	}
	// Drawn back from the path, the modules are the QR code's.
	text := "otpauth://totp/Fritidsjob:x?secret=" + strings.Repeat("A", 32)
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	got := make([][]bool, len(want))
	for y := range got {
		got[y] = make([]bool, len(want))
	}
	d := regexp.MustCompile(`<path fill="#000" d="([^"]*)"`).FindStringSubmatch(s)[1]
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		n, _ := strconv.Atoi(m[3])
		for i := range n {
			got[y][x+i] = true
		}
	}
	for y := range want {
		for x := range want[y] {
			if got[y][x] != want[y][x] {
				t.Fatalf("module (%d,%d) = %v, want %v", x, y, got[y][x], want[y][x])
			}
		}
	}
	if got := groupsOf("ABCDEFGHIJ", 4); got != "ABCD EFGH IJ" {
		t.Fatalf("groupsOf = %q", got)
	}
}
