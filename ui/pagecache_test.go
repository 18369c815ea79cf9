package ui

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/people"
	"fritidsjob/store"
)

// openTask posts a published points task in area A a few days ahead.
func (f *fixture) openTask(title string) jobs.Task {
	f.t.Helper()
	day := time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen)
	ts, err := f.jobs.CreateTask(f.areaA.ID, f.users["coorda"].ID, jobs.NewTask{Title: title, Place: "Fælleshuset",
		Supervisor: "Bjarne", Category: jobs.CatTidying, Commissioner: jobs.ByStaff, Start: day, End: day.Add(time.Hour),
		Slots: 3, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 40, Publish: true})
	if err != nil {
		f.t.Fatal(err)
	}
	return ts[0]
}

// TestPageCacheServesOnlyFreshPages: a kept task page is sent again only
// while nothing was written and the minute is the same; a write anywhere,
// the next minute, another session or a query string each get a fresh
// render.
func TestPageCacheServesOnlyFreshPages(t *testing.T) {
	f := newFixture(t)
	task := f.openTask("Rydde fælleshuset")
	youth := f.loggedIn("youthA")
	path := areaPath(f.areaA, "/tasks")
	hits := func() int64 { return f.app.pages.hits.Load() }

	_, first := youth.get(path)
	h := hits()
	resp, again := youth.get(path)
	if resp.StatusCode != http.StatusOK || again != first || hits() != h+1 {
		t.Fatalf("second view: status %d, same page %v, hits %d → %d; want the kept page sent", resp.StatusCode, again == first, h, hits())
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("kept page headers: %v", resp.Header)
	}

	// A claim made elsewhere (another device, the coordinator) is a write.
	if _, err := f.jobs.Claim(f.areaA.ID, task.ID, f.users["youtha"].ID); err != nil {
		t.Fatal(err)
	}
	h = hits()
	_, after := youth.get(path)
	if hits() != h || !strings.Contains(after, "my-task-"+strconv.FormatUint(task.ID, 10)) {
		t.Fatalf("after a claim the page must be rendered again and show it (hits %d → %d)", h, hits())
	}

	// The next minute renders again, even with nothing written.
	youth.get(path)
	f.clock.Add(time.Minute)
	h = hits()
	youth.get(path)
	if hits() != h {
		t.Fatal("a page kept in the previous minute was sent")
	}

	// The same youth in another session gets a page with that session's
	// CSRF token, never the first session's page.
	other := f.loggedIn("youthA")
	_, page2 := other.get(path)
	_, page1 := youth.get(path)
	t1, t2 := csrfRe.FindStringSubmatch(page1), csrfRe.FindStringSubmatch(page2)
	if t1 == nil || t2 == nil || t1[1] == t2[1] {
		t.Fatalf("two sessions share a page: tokens %v and %v", t1, t2)
	}

	// A query string (a confirmation message) is never kept.
	h = hits()
	youth.get(path + "?done=claimed")
	youth.get(path + "?done=claimed")
	if hits() != h {
		t.Fatal("a page with a query string was kept")
	}
}

// TestKeptLoginFollowsTheStore: a GET that resumes a session from the
// kept login state sees every change to the user, still ends idle
// sessions, and still refreshes "seen" so an active session lives on.
func TestKeptLoginFollowsTheStore(t *testing.T) {
	f := newFixture(t)
	youth := f.loggedIn("youthA")
	path := areaPath(f.areaA, "/tasks")
	if _, body := youth.get(path); !strings.Contains(body, "Opgaver") {
		t.Fatal("want the Danish task page")
	}
	youth.get(path)

	// The user changed elsewhere: the next page follows.
	if err := f.ppl.SetLang(f.users["youtha"].ID, "en"); err != nil {
		t.Fatal(err)
	}
	if _, body := youth.get(path); !strings.Contains(body, f.msgIn("en", "tasks.free")) {
		t.Fatal("the language changed in the store but the page did not follow")
	}

	// Active every 50 minutes for 3 h 20 min: "seen" is refreshed, so the
	// 2-hour idle limit never ends the session.
	for i := range 4 {
		f.clock.Add(50 * time.Minute)
		if resp, _ := youth.get(path); resp.StatusCode != http.StatusOK {
			t.Fatalf("active session ended after %d × 50 min: %d", i+1, resp.StatusCode)
		}
	}

	// Idle for longer than the limit, with nothing written meanwhile: the
	// kept login must not be used.
	youth.get(path)
	f.clock.Add(2*time.Hour + time.Second)
	resp, _ := youth.get(path)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("idle session: %d %s; want a redirect to the login", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestLogoutEndsKeptLogin: after logout the old session cookie gets
// nothing, even though its login state was kept a moment before.
func TestLogoutEndsKeptLogin(t *testing.T) {
	f := newFixture(t)
	youth := f.loggedIn("youthA")
	path := areaPath(f.areaA, "/tasks")
	youth.get(path)
	youth.get(path)
	old := map[string]string{}
	for k, v := range youth.cookies {
		old[k] = v
	}
	if resp, _ := youth.post(path, "/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	youth.cookies = old
	resp, _ := youth.get(path)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("old cookie after logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestKeptPageCompressed: a client that accepts gzip or brotli gets the
// kept page compressed, and it unpacks to the very page an identity
// client gets.
func TestKeptPageCompressed(t *testing.T) {
	f := newFixture(t)
	f.openTask("Rydde fælleshuset")
	youth := f.loggedIn("youthA")
	path := areaPath(f.areaA, "/tasks")
	_, plain := youth.get(path)
	for _, c := range []struct {
		accept, enc string
		unpack      func([]byte) ([]byte, error)
	}{
		{"gzip, deflate", "gzip", func(b []byte) ([]byte, error) { return fasthttp.AppendGunzipBytes(nil, b) }},
		{"gzip, deflate, br, zstd", "br", func(b []byte) ([]byte, error) { return fasthttp.AppendUnbrotliBytes(nil, b) }},
	} {
		youth.header = http.Header{"Accept-Encoding": {c.accept}}
		for range 2 { // built, then kept
			resp, body := youth.get(path)
			if resp.Header.Get("Content-Encoding") != c.enc || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Fatalf("Accept-Encoding %q: Content-Encoding %q, Vary %q", c.accept, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
			}
			got, err := c.unpack([]byte(body))
			if err != nil || string(got) != plain {
				t.Fatalf("%s body does not unpack to the page: %v", c.enc, err)
			}
			if len(body) >= len(plain)/2 {
				t.Fatalf("%s body %d bytes for a %d-byte page", c.enc, len(body), len(plain))
			}
		}
	}
}

// TestKeptPagesRenderTheSameTwice: a kept page is sent many times, so its
// templates must not draw anything per render. newkey (a fresh
// idempotency key per form) would make two sends of one kept page book
// once.
func TestKeptPagesRenderTheSameTwice(t *testing.T) {
	for _, page := range []string{"tasks", "home"} {
		b, err := templateFS.ReadFile("templates/pages/" + page + ".html")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "newkey") {
			t.Errorf("page %s is kept by the page cache but uses newkey", page)
		}
	}
	for _, f := range []string{"templates/layout.html", "templates/partials.html"} {
		b, err := templateFS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "newkey") {
			t.Errorf("%s is part of every kept page but uses newkey", f)
		}
	}
}

// TestKeptPageOutlivesLogins: sessions, login throttles and access-log
// entries are quiet writes, so other people logging in and out and staff
// looking up youths leave a youth's kept page in use, while a write the
// page shows still replaces it.
func TestKeptPageOutlivesLogins(t *testing.T) {
	f := newFixture(t)
	task := f.openTask("Rydde fælleshuset")
	youth := f.loggedIn("youthA")
	path := areaPath(f.areaA, "/tasks")
	youth.get(path)
	other := f.loggedIn("coordA") // a session and throttle counters written
	other.get("/")
	other.post("/", "/logout", nil)                                                             // a session deleted
	f.client().post("/login", "/login", url.Values{"username": {"youthB"}, "secret": {"0000"}}) // a failed login
	coord := f.loggedIn("coordA")
	logged := len(accessLog(t, f))
	coord.get(areaPath(f.areaA, "/youths/"+itoa(int(f.users["youtha"].ID)))) // an access-log entry
	if len(accessLog(t, f)) != logged+1 {
		t.Fatal("viewing a youth's profile wrote no access-log entry")
	}
	before := f.app.pages.hits.Load()
	if _, body := youth.get(path); f.app.pages.hits.Load() != before+1 || !strings.Contains(body, "task-"+strconv.FormatUint(task.ID, 10)) {
		t.Fatalf("after other logins and a logged profile view the kept page was not used (hits %d → %d)", before, f.app.pages.hits.Load())
	}
	if _, err := f.jobs.Claim(f.areaA.ID, task.ID, f.users["youtha"].ID); err != nil {
		t.Fatal(err)
	}
	before = f.app.pages.hits.Load()
	if _, body := youth.get(path); f.app.pages.hits.Load() != before || !strings.Contains(body, "my-task-"+strconv.FormatUint(task.ID, 10)) {
		t.Fatal("a claim did not replace the kept page")
	}
}

// accessLog is the whole access log.
func accessLog(t *testing.T, f *fixture) []people.AccessEntry {
	t.Helper()
	all, err := f.ppl.AccessLog(0)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestKeptPagesNeverLagAWrite: while other requests keep filling the page
// cache, every view that starts after a claim or cancel has returned shows
// it. A page built from data read before a write is kept only under the
// generation before it, which no later request reads.
func TestKeptPagesNeverLagAWrite(t *testing.T) {
	f := newFixture(t)
	task := f.openTask("Rydde fælleshuset")
	n := peoplekit.Youth(f.areaA.ID, "youthA2", people.Date{Year: 2010, Month: 3, Day: 9})
	n.DisplayName, n.Youth.Gender, n.Youth.School = "Anden Ung", people.GenderMale, people.SchoolFinished9
	other := peoplekit.Create(t, f.ppl, n)
	youth := f.loggedIn("youthA")
	path := areaPath(f.areaA, "/tasks")
	entry := func(body string) string { // the task's card on the page
		i := strings.Index(body, `id="task-`+strconv.FormatUint(task.ID, 10)+`"`)
		if i < 0 {
			return "task missing"
		}
		if j := strings.Index(body[i:], "</article>"); j >= 0 {
			return body[i : i+j]
		}
		return body[i:]
	}

	stop := make(chan struct{})
	var bgs sync.WaitGroup
	for range 3 { // keep building and sending youthA's page in the same session
		bgs.Add(1)
		go func() {
			defer bgs.Done()
			bg := &client{f: f, cookies: maps.Clone(youth.cookies)}
			for {
				select {
				case <-stop:
					return
				default:
					bg.get(path)
				}
			}
		}()
	}
	bgs.Add(1)
	go func() { // unrelated writes, so that page builds are always under way
		defer bgs.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				if err := f.db.Update(func(tx store.Tx) error { return tx.Put("noise", []byte("k"), []byte{byte(i)}) }); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(time.Millisecond)
			}
		}
	}()
	done := make(chan struct{})
	go func() { bgs.Wait(); close(done) }()
	for i := range 40 {
		var want string // the free-slots line, after its tag
		if i%2 == 0 {
			if _, err := f.jobs.Claim(f.areaA.ID, task.ID, other.ID); err != nil {
				t.Fatal(err)
			}
			want = ">" + f.msg("tasks.slots_left", 2)
		} else {
			if err := f.jobs.Cancel(f.areaA.ID, task.ID, other.ID, false); err != nil {
				t.Fatal(err)
			}
			want = ">" + f.msg("tasks.slots_left", 3)
		}
		for range 6 {
			time.Sleep(200 * time.Microsecond)
			if _, body := youth.get(path); !strings.Contains(entry(body), want) {
				close(stop)
				<-done
				t.Fatalf("round %d: after the write returned, the task shows\n%s\nwant %q", i, entry(body), want)
			}
		}
	}
	close(stop)
	<-done
	if f.app.pages.hits.Load() == 0 {
		t.Fatal("no view was sent from the cache: the test proved nothing")
	}
}
