package ui

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store/bolt"
)

// fixture is an app on a real bbolt file with two areas and a user per role.
type fixture struct {
	t      testing.TB
	app    *App
	db     *bolt.DB
	ppl    *people.Service
	jobs   *jobs.Service
	points *points.Service
	cvs    *cv.Service
	areaA  people.Area
	areaB  people.Area
	users  map[string]people.User // by username
	clock  *testkit.Clock
	secret []byte
	base   string // set by serve
}

const testPassword = "et-godt-kodeord-1"

// fixtureUsers: username -> (role, area "A"/"B"/""), admin has no area.
var fixtureUsers = []struct {
	username string
	role     people.Role
	area     string
}{
	{"admin", "", ""},
	{"coordA", people.RoleCoordinator, "A"},
	{"coordB", people.RoleCoordinator, "B"},
	{"ownerA", people.RoleTaskOwner, "A"},
	{"evalA", people.RoleEvaluator, "A"},
	{"guardA", people.RoleGuardian, "A"},
	{"emplA", people.RoleEmployer, "A"},
	{"youthA", people.RoleYouth, "A"},
	{"youthB", people.RoleYouth, "B"},
}

func newFixture(t testing.TB, mod ...func(*Config)) *fixture {
	t.Helper()
	db := testkit.Store(t)
	clk := testkit.NewClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	o := peoplekit.Options(clk.Now)
	o.OnLock = notify.AccountLocked // as serve wires it
	o.OnConsentLink = notify.ConsentLinkCreated
	ppl, err := people.NewService(db, o)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, ppl: ppl, users: map[string]people.User{}, clock: clk,
		secret: bytes.Repeat([]byte("k"), 32)}
	if f.areaA, err = ppl.CreateArea("Blåbærparken", "Aarhus"); err != nil {
		t.Fatal(err)
	}
	if f.areaB, err = ppl.CreateArea("Solsikkehaven", "Odense"); err != nil {
		t.Fatal(err)
	}
	for i, u := range fixtureUsers {
		n := people.NewUser{Username: u.username, DisplayName: "Bruger " + u.username + " Ærø",
			Secret: testPassword, SecretKind: people.SecretPassword, Admin: u.role == ""}
		area := map[string]uint64{"A": f.areaA.ID, "B": f.areaB.ID}[u.area]
		if u.role != "" {
			n.Memberships = []people.Membership{{AreaID: area, Role: u.role}}
		}
		if u.role == people.RoleYouth {
			n = peoplekit.Youth(area, u.username, people.Date{Year: 2011, Month: time.Month(1 + i), Day: 9})
			n.DisplayName, n.Youth.Gender = "Bruger "+u.username+" Ærø", people.GenderFemale
		}
		f.users[strings.ToLower(u.username)] = peoplekit.Create(t, ppl, n)
	}
	cfg := Config{Secret: f.secret, Now: clk.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, m := range mod {
		m(&cfg)
	}
	eng, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	f.jobs = jobs.NewService(db, ppl, eng, jobs.Options{Now: clk.Now})
	f.points = points.NewService(db, points.Options{Now: clk.Now})
	f.cvs = cv.NewService(db, ppl, cv.Options{Now: clk.Now})
	f.app, err = New(cfg, Deps{DB: db, People: ppl, Jobs: f.jobs, Points: f.points, CV: f.cvs,
		Employers: employers.NewService(db, ppl, eng, employers.Options{Now: clk.Now, Contact: f.cvs.ContactTx})})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// msg returns the Danish text of the message key, with args filled in,
// escaped as it stands in a page's HTML. Tests look for it instead of
// repeating the sentence, so they still check which message a page shows
// while its wording can change.
func (f *fixture) msg(key string, args ...any) string {
	f.t.Helper()
	return f.msgIn("da", key, args...)
}

// text is msg unescaped, as a browser shows it (for chromedp's Text).
func (f *fixture) text(key string, args ...any) string {
	f.t.Helper()
	return f.textIn("da", key, args...)
}

// msgIn is msg in lang.
func (f *fixture) msgIn(lang, key string, args ...any) string {
	f.t.Helper()
	var b strings.Builder
	if err := pageText.Execute(&b, f.textIn(lang, key, args...)); err != nil {
		f.t.Fatal(err)
	}
	return b.String()
}

// textIn is text in lang. A plural message (key.one and key.other) is
// chosen by its first argument, the count. A key missing from lang's
// catalogue fails the test: a page would show "[key]", which the lookup
// must not match.
func (f *fixture) textIn(lang, key string, args ...any) string {
	f.t.Helper()
	if !f.app.msg.has(lang, key) {
		if n, ok := firstCount(args); ok && f.app.msg.has(lang, key+pluralOne) && f.app.msg.has(lang, key+pluralOther) {
			return f.app.msg.N(lang, key, n, args[1:]...)
		}
		f.t.Fatalf("message %q is not in the %s catalogue", key, lang)
	}
	return f.app.msg.T(lang, key, args...)
}

// firstCount is args' first value when it is an int: a plural's count.
func firstCount(args []any) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	n, ok := args[0].(int)
	return n, ok
}

// importDone is the import report's first sentence for the given counts,
// as the admin's evaluation page writes it.
func (f *fixture) importDone(youths, events, spells, unchanged int) string {
	f.t.Helper()
	return f.msg("evalx.import.done", f.text("evalx.import.youths", youths), f.text("evalx.import.events", events),
		f.text("evalx.import.spells", spells), f.text("evalx.import.unchanged", unchanged))
}

// pageText escapes text the way html/template escapes it in a page.
var pageText = template.Must(template.New("text").Parse("{{.}}"))

// client is a browser stand-in: it keeps cookies and reads CSRF tokens.
type client struct {
	f       *fixture
	cookies map[string]string
	header  http.Header // extra headers on every request
}

func (f *fixture) client() *client {
	return &client{f: f, cookies: map[string]string{}, header: http.Header{}}
}

// do sends a request through the fiber app and records Set-Cookie.
func (c *client) do(method, target string, form url.Values) (*http.Response, string) {
	c.f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := c.f.app.Fiber().Test(req, -1)
	if err != nil {
		c.f.t.Fatalf("%s %s: %v", method, target, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		c.f.t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return resp, string(b)
}

func (c *client) get(target string) (*http.Response, string) { return c.do("GET", target, nil) }

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// token fetches page and returns the CSRF token in its forms.
func (c *client) token(page string) string {
	c.f.t.Helper()
	resp, body := c.get(page)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		c.f.t.Fatalf("GET %s (%d): no CSRF token in page", page, resp.StatusCode)
	}
	return m[1]
}

// post submits form with the token from page.
func (c *client) post(page, target string, form url.Values) (*http.Response, string) {
	c.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.token(page))
	return c.do("POST", target, form)
}

// login logs the client in as username and fails the test if it cannot.
func (c *client) login(username string) {
	c.f.t.Helper()
	secret := testPassword
	if strings.HasPrefix(username, "youth") {
		secret = peoplekit.PIN
	}
	resp, body := c.post("/login", "/login", url.Values{"username": {username}, "secret": {secret}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		c.f.t.Fatalf("login %s: %d %s\n%s", username, resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

func (f *fixture) loggedIn(username string) *client {
	f.t.Helper()
	c := f.client()
	c.login(username)
	return c
}

func areaPath(a people.Area, rest string) string {
	return "/a/" + itoa(int(a.ID)) + rest
}

// serve runs the app on a real loopback socket and returns its base URL.
func (f *fixture) serve() string {
	f.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.t.Fatal(err)
	}
	go f.app.Serve(ln)
	f.t.Cleanup(func() { f.app.Shutdown(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// postTooLarge announces a body of n bytes to path over a real socket
// but sends only the headers, and returns the server's answer. The server
// refuses by Content-Length before reading the body, which app.Test cannot
// show; not sending the body avoids a reset while the client still writes.
func (f *fixture) postTooLarge(t *testing.T, path string, n int) (*http.Response, string) {
	t.Helper()
	if f.base == "" {
		f.base = f.serve()
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n",
		path, strings.TrimPrefix(f.base, "http://"), n)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp, string(b)
}
