package ui

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"fritidsjob/people"
)

// socketClient is a browser on a real loopback connection to the served
// app, so the server sees the TCP peer 127.0.0.1, as it would see a
// reverse proxy on the same host.
type socketClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func (f *fixture) socketClient(t *testing.T) *socketClient {
	t.Helper()
	if f.base == "" {
		f.base = f.serve()
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &socketClient{t: t, base: f.base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends one request with the given X-Forwarded-For lines (none when
// empty) and returns the status and body.
func (s *socketClient) do(method, path string, form url.Values, xff ...string) (int, string) {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, v := range xff {
		req.Header.Add("X-Forwarded-For", v)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// post fetches page for its CSRF token and posts form to target.
func (s *socketClient) post(page, target string, form url.Values, xff ...string) (int, string) {
	s.t.Helper()
	_, body := s.do("GET", page, nil, xff...)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("GET %s: no CSRF token", page)
	}
	form.Set("_csrf", m[1])
	return s.do("POST", target, form, xff...)
}

// TestLoginThrottleIgnoresSpoofedForwardedFor: behind a trusted proxy on
// 127.0.0.1, a guesser who writes a new address at the left of
// X-Forwarded-For on every try still comes from the one address the proxy
// saw (the right-most entry), and is throttled after the per-address limit.
func TestLoginThrottleIgnoresSpoofedForwardedFor(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	s := f.socketClient(t)
	limit := people.DefaultThrottle.PerAccount
	for i := 1; i <= 20; i++ {
		// What nginx's $proxy_add_x_forwarded_for makes of a client that
		// sent "X-Forwarded-For: 198.51.100.i" from 203.0.113.9.
		xff := "198.51.100." + itoa(i) + ", 203.0.113.9"
		status, body := s.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {"forkert-kode-123"}}, xff)
		switch {
		case i <= limit && status != http.StatusUnauthorized:
			t.Fatalf("guess %d: %d, want 401", i, status)
		case i > limit && (status != http.StatusTooManyRequests || !strings.Contains(body, f.msg("err.people.throttled"))):
			t.Fatalf("guess %d with spoofed %q: %d, want 429 after %d guesses", i, xff, status, limit)
		}
	}
	// Another client behind the same proxy is not locked out.
	other := f.socketClient(t)
	if status, _ := other.post("/login", "/login", url.Values{"username": {"coordA"}, "secret": {testPassword}, "next": {"/"}}, "203.0.113.10"); status != http.StatusSeeOther {
		t.Fatalf("login from another client behind the proxy: %d", status)
	}
}

// TestConsentRecordsProxiedClientAddress: a guardian's consent through a
// link behind a trusted proxy records the address the proxy saw, not one
// the client wrote into X-Forwarded-For.
func TestConsentRecordsProxiedClientAddress(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustedProxies = []string{"127.0.0.1"} })
	youth := f.users["youtha"]
	token, _, err := f.ppl.CreateConsentLink(f.areaA.ID, youth.ID, f.users["coorda"].ID, "Birgitte Østergaard")
	if err != nil {
		t.Fatal(err)
	}
	s := f.socketClient(t)
	path := "/consent/" + token
	if status, body := s.post(path, path, url.Values{"agree": {"yes"}}, "6.6.6.6, 203.0.113.7"); status != http.StatusOK {
		t.Fatalf("give consent: %d\n%s", status, body)
	}
	cs, err := f.ppl.Consents(f.areaA.ID, youth.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].IP != "203.0.113.7" {
		t.Fatalf("consents %+v, want one from 203.0.113.7", cs)
	}
}

// TestClientIP: the client address is the TCP peer, unless the peer is a
// trusted proxy; then it is the right-most X-Forwarded-For entry that is
// not itself a trusted proxy. Each case runs on a real App (New, with the
// proxies given) and a real fiber context whose TCP peer is set.
func TestClientIP(t *testing.T) {
	const (
		proxy   = "10.0.0.1"
		inner   = "192.168.1.0/24"
		client  = "203.0.113.7"
		spoofed = "6.6.6.6"
	)
	cases := []struct {
		name    string
		proxies []string
		peer    string
		xff     []string // X-Forwarded-For lines, in order
		want    string
	}{
		{"no trusted proxies: header ignored", nil, client, []string{spoofed}, client},
		{"untrusted peer: header ignored entirely", []string{proxy}, client, []string{spoofed + ", " + proxy}, client},
		{"trusted peer without header", []string{proxy}, proxy, nil, proxy},
		{"spoofed left-most ignored", []string{proxy}, proxy, []string{spoofed + ", " + client}, client},
		{"right-most untrusted taken", []string{proxy}, proxy, []string{"198.51.100.1, " + spoofed + ", " + client}, client},
		{"chain of two trusted proxies", []string{proxy, inner}, proxy, []string{spoofed + ", " + client + ", 192.168.1.20"}, client},
		{"header lines read in order", []string{proxy}, proxy, []string{spoofed, client}, client},
		{"garbage left of the client ignored", []string{proxy}, proxy, []string{"<script>, " + client}, client},
		{"garbage right-most: client unknown, the proxy answers", []string{proxy}, proxy, []string{client + ", unknown"}, proxy},
		{"garbage behind a second proxy: the nearest valid hop", []string{proxy, inner}, proxy, []string{client + ", 999.1.1.1, 192.168.1.20"}, "192.168.1.20"},
		{"empty entry stops the walk", []string{proxy}, proxy, []string{client + ", "}, proxy},
		{"blank header", []string{proxy}, proxy, []string{"  "}, proxy},
		{"leading zeros are not an address", []string{proxy}, proxy, []string{"203.000.113.7"}, proxy},
		{"IPv4 with port", []string{proxy}, proxy, []string{client + ":51000"}, client},
		{"IPv6 with brackets", []string{proxy}, proxy, []string{"[2001:db8::7]"}, "2001:db8::7"},
		{"IPv6 with brackets and port", []string{proxy}, proxy, []string{spoofed + ", [2001:db8::7]:443"}, "2001:db8::7"},
		{"IPv6 zone dropped", []string{proxy}, proxy, []string{"fe80::1%eth0"}, "fe80::1"},
		{"IPv6 written long is normalised", []string{proxy}, proxy, []string{"2001:0db8:0000:0000:0000:0000:0000:0007"}, "2001:db8::7"},
		{"IPv4-mapped proxy hop is the IPv4 proxy", []string{proxy}, proxy, []string{client + ", ::ffff:10.0.0.1"}, client},
		{"IPv6 proxy by CIDR", []string{"2001:db8:ffff::/48"}, "2001:db8:ffff::2", []string{spoofed + ", 2001:db8:1::7"}, "2001:db8:1::7"},
		{"IPv6 peer outside the CIDR", []string{"2001:db8:ffff::/48"}, "2001:db8:fffe::2", []string{"2001:db8:1::7"}, "2001:db8:fffe::2"},
		{"every hop trusted: the farthest", []string{"10.0.0.0/8"}, proxy, []string{"10.0.0.3, 10.0.0.2"}, "10.0.0.3"},
	}
	apps := map[string]*App{} // one app per proxy list, living as long as the whole test
	app := func(proxies []string) *App {
		key := strings.Join(proxies, ",")
		if apps[key] == nil {
			apps[key] = newFixture(t, func(c *Config) { c.TrustedProxies = proxies }).app
		}
		return apps[key]
	}
	for _, tc := range cases {
		a := app(tc.proxies)
		t.Run(tc.name, func(t *testing.T) {
			var req fasthttp.Request
			req.SetRequestURI("/login")
			for _, v := range tc.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			var fctx fasthttp.RequestCtx
			fctx.Init(&req, &net.TCPAddr{IP: net.ParseIP(tc.peer), Port: 40000}, nil)
			c := a.fiber.AcquireCtx(&fctx)
			defer a.fiber.ReleaseCtx(c)
			if got := a.clientIP(c); got != tc.want {
				t.Errorf("peer %s, X-Forwarded-For %q: client %q, want %q", tc.peer, tc.xff, got, tc.want)
			}
		})
	}
}

// TestTrustedProxiesRefused: an entry that is neither an address nor a
// network stops New instead of trusting nobody (or the wrong host).
func TestTrustedProxiesRefused(t *testing.T) {
	for _, bad := range []string{"10.0.0", "10.0.0.0/33", "proxy.example", "", "10.0.0.1:80", "2001:db8::/129"} {
		f := newFixture(t)
		cfg := f.app.cfg
		cfg.TrustedProxies = []string{"127.0.0.1", bad}
		_, err := New(cfg, Deps{DB: f.db, People: f.ppl, Jobs: f.jobs, Points: f.points, CV: f.cvs})
		if err == nil || !strings.Contains(err.Error(), "trusted proxy") || !strings.Contains(err.Error(), `"`+bad+`"`) {
			t.Errorf("trusted proxy %q: %v, want an error naming it", bad, err)
		}
	}
	for _, good := range []string{"10.0.0.1", " 10.0.0.0/8", "2001:db8::/48", "::1", "::ffff:10.0.0.0/104"} {
		f := newFixture(t)
		cfg := f.app.cfg
		cfg.TrustedProxies = []string{good}
		if _, err := New(cfg, Deps{DB: f.db, People: f.ppl, Jobs: f.jobs, Points: f.points, CV: f.cvs}); err != nil {
			t.Errorf("trusted proxy %q: %v", good, err)
		}
	}
}
