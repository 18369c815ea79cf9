package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// verifyEntries counts the access-log entries of the public verification
// page about youth in area.
func (f *fixture) verifyEntries(area, youth uint64) []people.AccessEntry {
	f.t.Helper()
	all, err := f.ppl.AccessAbout(area, youth)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []people.AccessEntry
	for _, e := range all {
		if e.What == "cv_verified" {
			out = append(out, e)
		}
	}
	return out
}

// TestVerifyPageOneEntryPerDay: 200 anonymous opens of a CV code in one
// day leave one entry on the youth's access page, shown with "åbnet 200
// gange", and the later opens do not touch the data generation (they are
// quiet writes, so kept pages stay fresh); the next day starts a new
// entry; the hash chain stays whole.
func TestVerifyPageOneEntryPerDay(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	y := f.users["youtha"]
	code, err := f.cvs.CurrentCode(f.areaA.ID, y.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Ten employers behind one proxy, twenty opens each: under any rate limit.
	open := func(i int) {
		t.Helper()
		c := f.client()
		c.header.Set("X-Forwarded-For", "198.51.100."+itoa(1+i%10))
		if resp, body := c.get("/v/" + code.Value); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Blåbærparken") {
			t.Fatalf("open %d: %d", i, resp.StatusCode)
		}
	}
	open(0)
	_, data0, err := store.Generations(f.db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 200; i++ {
		open(i)
	}
	if _, data, _ := store.Generations(f.db); data != data0 {
		t.Errorf("later opens raised the data generation %d → %d; the counter is a quiet write", data0, data)
	}
	if got := f.verifyEntries(f.areaA.ID, y.ID); len(got) != 1 || got[0].Opens != 200 {
		t.Fatalf("after 200 opens: %d entries %+v, want one opened 200 times", len(got), got)
	}
	youth := f.loggedIn("youthA")
	_, page := youth.get(areaPath(f.areaA, "/me/access"))
	if n := strings.Count(page, f.accessWhat("read", "cv_verified")); n != 1 || !strings.Contains(page, f.msg("access.opens", 200)) {
		t.Fatalf("youth's access page: %d verification entries, want 1 with %q\n%s", n, f.msg("access.opens", 200), page)
	}

	// The next Copenhagen day starts a new entry with its own count.
	f.clock.Add(24 * time.Hour)
	for i := 0; i < 3; i++ {
		open(i)
	}
	got := f.verifyEntries(f.areaA.ID, y.ID)
	if len(got) != 2 || got[0].Opens != 3 || got[1].Opens != 200 {
		t.Fatalf("the next day: %+v, want a new entry opened 3 times above the one opened 200 times", got)
	}
	youth = f.loggedIn("youthA") // yesterday's session has expired
	_, page = youth.get(areaPath(f.areaA, "/me/access"))
	if !strings.Contains(page, f.msg("access.opens", 3)) || !strings.Contains(page, f.msg("access.opens", 200)) {
		t.Errorf("youth's access page lacks the two days' counts\n%s", page)
	}
	// In English too.
	youth.cookies["fj_lang"] = "en"
	if _, page = youth.get(areaPath(f.areaA, "/me/access")); !strings.Contains(page, f.msgIn("en", "access.opens", 200)) {
		t.Errorf("English access page lacks %q\n%s", f.msgIn("en", "access.opens", 200), page)
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatalf("chain: %v", err)
	}
}

// TestVerifyPageRateLimit: one address gets verifyRateLimit pages a
// minute, then 429 with a Danish page and Retry-After; another address is
// still served; the next minute the first is served again.
func TestVerifyPageRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	code, err := f.cvs.CurrentCode(f.areaA.ID, f.users["youtha"].ID)
	if err != nil {
		t.Fatal(err)
	}
	from := func(addr string) *client {
		c := f.client()
		c.header.Set("X-Forwarded-For", addr)
		return c
	}
	a, b := from("203.0.113.7"), from("203.0.113.8")
	for i := 0; i < verifyRateLimit; i++ {
		if resp, _ := a.get("/v/" + code.Value); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d within the limit: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := a.get("/v/" + code.Value)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, f.msg("err.verify_throttled")) || strings.Contains(body, "Blåbærparken") {
		t.Fatalf("request over the limit: %d Retry-After=%q\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// The empty form counts too: the limit is on the address, not the code.
	if resp, _ := a.get("/v"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the form over the limit: %d", resp.StatusCode)
	}
	if resp, _ := b.get("/v/" + code.Value); resp.StatusCode != http.StatusOK {
		t.Errorf("another address: %d, want 200", resp.StatusCode)
	}
	f.clock.Add(time.Minute)
	if resp, _ := a.get("/v/" + code.Value); resp.StatusCode != http.StatusOK {
		t.Errorf("the next minute: %d, want 200", resp.StatusCode)
	}
}

// TestRateLimiterKeys: IPv6 clients are limited by their /64; when the
// limiter remembers as many addresses as it may, a new one is refused
// until the windows of the others have ended.
func TestRateLimiterKeys(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::9"},
		{"203.0.113.7", "203.0.113.7"},
	} {
		if ka, kb := limitKey(tc.a), limitKey(tc.b); ka != kb {
			t.Errorf("%s and %s limited apart: %q %q", tc.a, tc.b, ka, kb)
		}
	}
	if limitKey("2001:db8:1:2::1") == limitKey("2001:db8:1:3::1") {
		t.Error("two /64s share a limit")
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	l := newRateLimiter(2, time.Minute, 2)
	for _, step := range []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true}, {"a", time.Second, true}, {"a", 2 * time.Second, false},
		{"b", 3 * time.Second, true},
		{"c", 4 * time.Second, false}, // full: a and b are remembered
		{"c", time.Minute + time.Second, true},
		{"a", time.Minute + 2*time.Second, false}, // b and c still in their windows
		{"a", time.Minute + 3*time.Second, true},  // b's has ended
	} {
		if _, ok := l.allow(step.key, now.Add(step.at)); ok != step.want {
			t.Errorf("%s at %v: allowed %v, want %v", step.key, step.at, ok, step.want)
		}
	}
}
