package main

// TestMultiInstance runs two instances of the real binary on one
// redis-server: claims and approvals race across both, and a session made
// on one instance is good on the other.

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store/redis"
	"fritidsjob/store/redis/redistest"
)

const (
	multiSecret = "multi-instance-test-secret-0123456789abcdef"
	multiRacers = 200
	multiSlots  = 5
	multiArea   = uint64(1) // the demo area
	multiPoints = 60
)

// multiFixture is the data the pre-step adds next to the demo data.
type multiFixture struct {
	racers  []uint64 // youth IDs, username racerNNN, PIN demoPIN
	race    uint64   // the task with multiSlots slots
	workers []uint64 // youths with pending work on a past task
}

// seedMulti adds the racers, the race task and pending work through the
// domain API, on the same Redis the instances use. Youth PINs are hashed
// with cheap argon2 parameters (the hash records them), so 200 logins stay
// fast; that is the only shortcut.
func seedMulti(t *testing.T, redisURL string) multiFixture {
	t.Helper()
	db, err := redis.Open(redisURL, redis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	clk := &demoClock{t: now}
	ppl, err := people.NewService(db, people.Options{Secret: []byte(multiSecret), Now: clk.Now, Hash: peoplekit.CheapHash})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	js := jobs.NewService(db, ppl, engine, jobs.Options{Now: clk.Now})
	coord, err := ppl.Login("mette", demoPassword, "test")
	if err != nil {
		t.Fatalf("demo coordinator: %v", err)
	}
	var f multiFixture
	today := now.In(people.Copenhagen)
	for i := range multiRacers + 1 { // racer200 is for the throttle check
		u, err := ppl.CreateUser(people.NewUser{
			Username: fmt.Sprintf("racer%03d", i), DisplayName: fmt.Sprintf("Racer %d Ærø", i),
			Secret: demoPIN, SecretKind: people.SecretPIN,
			Memberships: []people.Membership{{AreaID: multiArea, Role: people.RoleYouth}},
			Youth: &people.Youth{BirthDate: people.DateOf(today.AddDate(-16, 0, -40-i)), Gender: people.GenderOther, School: people.SchoolFinished9,
				Guardians: []people.GuardianContact{{Name: "Forælder", Relation: "forælder"}}},
		})
		if err != nil {
			t.Fatalf("racer %d: %v", i, err)
		}
		f.racers = append(f.racers, u.ID)
	}
	base := jobs.NewTask{Place: "Fælleshuset", Supervisor: "Bjarne Ærø", Commissioner: jobs.ByCaretakers,
		Category: jobs.CatTidying, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: multiPoints, Publish: true}
	// The race: a Saturday two weeks ahead, 5 slots.
	sat := weekday(now, time.Saturday, 2)
	race := base
	race.Title, race.Slots, race.Start, race.End = "Kapløbet om fem pladser", multiSlots, at(sat, 10, 0), at(sat, 12, 0)
	ts, err := js.CreateTask(multiArea, coord.ID, race)
	if err != nil {
		t.Fatalf("race task: %v", err)
	}
	f.race = ts[0].ID
	// Pending work: a Saturday three weeks back, 10 workers.
	past := base
	psat := weekday(now, time.Saturday, -3)
	past.Title, past.Slots, past.Start, past.End = "Arbejde der venter på godkendelse", 10, at(psat, 10, 0), at(psat, 12, 0)
	clk.t = past.Start.Add(-72 * time.Hour)
	ts, err = js.CreateTask(multiArea, coord.ID, past)
	if err != nil {
		t.Fatalf("past task: %v", err)
	}
	pt := ts[0]
	f.workers = f.racers[:10]
	for _, y := range f.workers {
		if _, err := js.Claim(multiArea, pt.ID, y); err != nil {
			t.Fatalf("claim past task: %v", err)
		}
	}
	clk.t = pt.End.Add(2 * time.Hour)
	for _, y := range f.workers {
		if _, err := js.RecordHours(multiArea, pt.ID, y, y, pt.Start, pt.End, 0, 0); err != nil {
			t.Fatalf("hours: %v", err)
		}
	}
	return f
}

// multiLogin logs in without t (for goroutines).
func multiLogin(base, user, secret string) (*http.Client, error) {
	c := &crashClient{user: user, secret: secret, hc: &http.Client{
		Jar: mustJar(), Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	return c.hc, crashLogin(base, c)
}

// racer is a logged-in youth with the CSRF token of its last task page and
// the claim URL on the other instance.
type racer struct {
	hc   *http.Client
	csrf string
	post string
}

var multiEntryRE = regexp.MustCompile(`name="entry" value="(\d+)"`)

func TestMultiInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-instance test: run without -short")
	}
	srv := redistest.Start(t, redistest.Options{AOF: true})
	t.Setenv("FRITIDSJOB_SECRET", multiSecret)
	began := time.Now()
	a := startServer(t, t.TempDir(), "-redis", srv.URL(), "-demo")
	b := startServer(t, t.TempDir(), "-redis", srv.URL(), "-require-2fa=false")
	if !strings.Contains(a.stdout.String(), "Demo: added") {
		t.Fatalf("instance A did not seed the demo:\n%s", a.stdout)
	}
	f := seedMulti(t, srv.URL())
	bases := []string{a.base, b.base}
	t.Logf("two instances up and %d youths seeded in %s", multiRacers+1, time.Since(began).Round(time.Millisecond))

	// A session made on A is good on B: the cookie jar ignores ports, as
	// browsers do, so the same client presents A's cookie to B.
	hc := login(t, a.base, "mette", demoPassword)
	if status, body := get(t, hc, b.base+"/a/1/approvals"); status != http.StatusOK || !strings.Contains(body, `name="entry"`) {
		t.Fatalf("GET B/a/1/approvals with A's session: %d (want 200 with the queue)\n%.500s", status, body)
	}

	keptPagesFollowTheOtherInstance(t, a.base, b.base, f.race)

	// The login throttle is shared: 5 wrong PINs spread over both
	// instances lock the account on both, even for the right PIN.
	for i := range 6 {
		pin, want := "735142", http.StatusUnauthorized
		if i == 5 {
			pin, want = demoPIN, http.StatusTooManyRequests
		}
		if got := loginStatus(t, bases[i%2], "racer200", pin); got != want {
			t.Errorf("login attempt %d on instance %d: %d, want %d", i+1, i%2, got, want)
		}
	}

	// 200 youths log in (half on each instance), load the task list on one
	// instance and claim on the other, all at once.
	racers := make([]racer, multiRacers)
	var wg sync.WaitGroup
	errs := make(chan error, multiRacers)
	sem := make(chan struct{}, 16)
	for i := range multiRacers {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			base := bases[i%2]
			hc, err := multiLogin(base, fmt.Sprintf("racer%03d", i), demoPIN)
			if err != nil {
				errs <- fmt.Errorf("racer %d login: %w", i, err)
				return
			}
			body, status, _, err := crashGet(hc, base+"/a/1/tasks")
			if err != nil || status != http.StatusOK {
				errs <- fmt.Errorf("racer %d tasks: %d %v", i, status, err)
				return
			}
			if !strings.Contains(body, fmt.Sprintf(`id="claim-%d"`, f.race)) {
				errs <- fmt.Errorf("racer %d: race task %d not offered", i, f.race)
				return
			}
			racers[i] = racer{hc: hc, csrf: crashCSRF(body), post: bases[(i+1)%2] + fmt.Sprintf("/a/1/tasks/%d/claim", f.race)}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	t.Logf("%d youths logged in on two instances in %s", len(racers), time.Since(began).Round(time.Millisecond))

	start := make(chan struct{})
	statuses := make([]int, len(racers))
	raceBegan := time.Now()
	for i := range racers {
		wg.Go(func() {
			<-start
			resp, err := racers[i].hc.PostForm(racers[i].post, url.Values{"_csrf": {racers[i].csrf}})
			if err != nil {
				statuses[i] = -1
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	raceTook := time.Since(raceBegan)
	byStatus := map[int]int{}
	for _, s := range statuses {
		byStatus[s]++
	}
	t.Logf("race: %d claims across two instances in %s; statuses %v", len(racers), raceTook.Round(time.Millisecond), byStatus)
	if byStatus[http.StatusSeeOther] != len(racers) {
		t.Errorf("claim statuses %v, want all %d answered 303 (a slot or a waitlist place)", byStatus, len(racers))
	}

	// Concurrent approvals: two coordinator sessions, one per instance,
	// approve the same queue at the same time, three rounds.
	coordA := login(t, a.base, "mette", demoPassword)
	coordB := login(t, b.base, "mette", demoPassword)
	approvals := map[int]int{}
	var mu sync.Mutex
	for range 3 {
		type post struct {
			hc   *http.Client
			base string
			form url.Values
		}
		var posts []post
		for j, c := range []*http.Client{coordA, coordB} {
			status, body := get(t, c, bases[j]+"/a/1/approvals")
			if status != http.StatusOK {
				t.Fatalf("approvals page: %d", status)
			}
			form := url.Values{"_csrf": {csrfFrom(t, body)}}
			for _, m := range multiEntryRE.FindAllStringSubmatch(body, -1) {
				form.Add("entry", m[1])
			}
			posts = append(posts, post{c, bases[j], form})
		}
		start := make(chan struct{})
		for _, p := range posts {
			if len(p.form["entry"]) == 0 {
				continue
			}
			wg.Go(func() {
				<-start
				resp, err := p.hc.PostForm(p.base+"/a/1/approvals", p.form)
				st := -1
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					st = resp.StatusCode
				}
				mu.Lock()
				approvals[st]++
				mu.Unlock()
			})
		}
		close(start)
		wg.Wait()
	}
	t.Logf("approval posts by status: %v", approvals)

	// Redis goes away under load and comes back: requests answer 200 or a
	// 503 with the Danish message, each within a second and a half; both
	// instances report it on /readyz and recover on their own.
	outage(t, srv, bases, racers[20:60])

	// The store, read through the domain API: exactly multiSlots active
	// claims, and every worker paid exactly once.
	db, err := redis.Open(srv.URL(), redis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ppl, err := people.NewService(db, people.Options{Secret: []byte(multiSecret)})
	if err != nil {
		t.Fatal(err)
	}
	engine, _ := rules.Default()
	js := jobs.NewService(db, ppl, engine, jobs.Options{})
	claims, err := js.Claims(multiArea, f.race)
	if err != nil {
		t.Fatal(err)
	}
	active, waiting := 0, 0
	for _, c := range claims {
		switch c.Status {
		case jobs.ClaimActive:
			active++
		case jobs.ClaimWaitlist:
			waiting++
		}
	}
	task, err := js.Task(multiArea, f.race)
	if err != nil {
		t.Fatal(err)
	}
	if active != multiSlots || task.Claimed != multiSlots {
		t.Errorf("race task: %d active claims, Claimed=%d; want exactly %d", active, task.Claimed, multiSlots)
	}
	if active+waiting != byStatus[http.StatusSeeOther] {
		t.Errorf("%d claims stored (%d active, %d waitlist), %d acknowledged", active+waiting, active, waiting, byStatus[http.StatusSeeOther])
	}
	ps := points.NewService(db, points.Options{})
	for _, y := range f.workers {
		bal, err := ps.Balance(multiArea, y)
		if err != nil {
			t.Fatal(err)
		}
		if bal.Points != multiPoints {
			t.Errorf("youth %d has %d points after concurrent approvals, want %d (paid once)", y, bal.Points, multiPoints)
		}
	}
	q, err := js.Queue(multiArea)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range q {
		for _, w := range f.workers {
			if e.YouthID == w {
				t.Errorf("work entry %d of youth %d still waits for approval", e.ID, w)
			}
		}
	}
	r := runCmd(t, "", 60*time.Second, "check", "-redis", srv.URL())
	if r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
		t.Errorf("check: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("whole test %s", time.Since(began).Round(time.Millisecond))
}

// outage stops redis-server while clients keep loading pages, checks the
// answers, restarts it and waits for both instances to serve again.
func outage(t *testing.T, srv *redistest.Server, bases []string, clients []racer) {
	t.Helper()
	unavailable := daMessage(t, "err.unavailable")
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		slowest  time.Duration
		bad      []string
		wg       sync.WaitGroup
	)
	stop := make(chan struct{})
	for i, c := range clients {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				began := time.Now()
				body, status, _, err := crashGet(c.hc, bases[i%2]+"/a/1/tasks")
				took := time.Since(began)
				mu.Lock()
				if err != nil {
					status = -1
				}
				statuses[status]++
				slowest = max(slowest, took)
				if status != http.StatusOK && status != http.StatusServiceUnavailable && len(bad) < 3 {
					bad = append(bad, fmt.Sprintf("status %d: %s", status, body))
				}
				if status == http.StatusServiceUnavailable && !strings.Contains(body, unavailable) && len(bad) < 3 {
					bad = append(bad, body)
				}
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	srv.Stop(t)
	for _, base := range bases {
		began := time.Now()
		status, _ := get(t, http.DefaultClient, base+"/readyz")
		if status != http.StatusServiceUnavailable || time.Since(began) > time.Second {
			t.Errorf("%s/readyz with Redis down: %d after %s, want 503 within 1 s", base, status, time.Since(began))
		}
	}
	time.Sleep(time.Second)
	srv.Start(t)
	deadline := time.Now().Add(10 * time.Second)
	for _, base := range bases {
		for {
			status, _ := get(t, http.DefaultClient, base+"/readyz")
			if status == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not ready 10 s after Redis came back", base)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	mu.Lock()
	before := statuses[http.StatusOK]
	mu.Unlock()
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	t.Logf("outage: page loads by status %v, slowest %s", statuses, slowest.Round(time.Millisecond))
	if statuses[http.StatusOK] <= before {
		t.Errorf("no page loaded after Redis came back (statuses %v)", statuses)
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no 503 while Redis was down (statuses %v)", statuses)
	}
	for st, n := range statuses {
		if st != http.StatusOK && st != http.StatusServiceUnavailable {
			t.Errorf("%d page loads answered %d, want only 200 or 503", n, st)
		}
	}
	if slowest > 1500*time.Millisecond {
		t.Errorf("slowest page load %s, want ≤ 1.5 s", slowest)
	}
	for _, b := range bad {
		t.Errorf("unexpected page during the outage:\n%.600s", b)
	}
}

// loginStatus posts one login attempt and returns the status.
func loginStatus(t *testing.T, base, user, secret string) int {
	t.Helper()
	hc := newClient(t)
	_, body := get(t, hc, base+"/login")
	resp, err := hc.PostForm(base+"/login", url.Values{
		"username": {user}, "secret": {secret}, "_csrf": {csrfFrom(t, body)}, "next": {"/"},
	})
	if err != nil {
		t.Fatalf("POST /login: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func mustJar() http.CookieJar {
	jar, err := cookiejar.New(nil)
	if err != nil {
		panic(err) // cookiejar.New(nil) never fails
	}
	return jar
}

// TestMigrate copies the demo store from bbolt to Redis and back with the
// real binary; check passes on each copy and the app serves from Redis.
func TestMigrate(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	t.Setenv("FRITIDSJOB_SECRET", multiSecret)
	data := t.TempDir()
	s := startServer(t, data, "-demo")
	if err := s.stop(t, 10*time.Second); err != nil {
		t.Fatalf("server exit: %v", err)
	}
	src := "bolt:" + data + "/fritidsjob.db"
	r := runCmd(t, "", 60*time.Second, "migrate", "-from", src, "-to", srv.URL())
	if r.code != 0 || !strings.Contains(r.stdout, "check of the copy: OK") {
		t.Fatalf("migrate bolt → redis: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	t.Log(strings.TrimSpace(r.stdout))
	if r := runCmd(t, "", 60*time.Second, "migrate", "-from", src, "-to", srv.URL()); r.code == 0 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("second migrate into the same Redis: exit %d, want a refusal\n%s", r.code, r.stderr)
	}
	if r := runCmd(t, "", 60*time.Second, "check", "-redis", srv.URL()); r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
		t.Errorf("check -redis: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	back := t.TempDir()
	r = runCmd(t, "", 60*time.Second, "migrate", "-from", srv.URL(), "-to", "bolt:"+back+"/fritidsjob.db")
	if r.code != 0 {
		t.Fatalf("migrate redis → bolt: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := runCmd(t, "", 60*time.Second, "check", "-data", back); r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
		t.Errorf("check on the copy back: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The app on the migrated Redis: the demo coordinator logs in and sees
	// the demo area's approval queue.
	rs := startServer(t, t.TempDir(), "-redis", srv.URL(), "-require-2fa=false")
	hc := login(t, rs.base, "mette", demoPassword)
	if status, body := get(t, hc, rs.base+"/a/1/approvals"); status != http.StatusOK || !strings.Contains(body, `name="entry"`) {
		t.Errorf("approvals on the migrated store: %d\n%.300s", status, body)
	}
	// A backup in Redis mode is a bbolt file that passes check.
	file := t.TempDir() + "/backup.db"
	if r := runCmd(t, "", 60*time.Second, "backup", "-redis", srv.URL(), file); r.code != 0 {
		t.Fatalf("backup -redis: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// keptPagesFollowTheOtherInstance: instance A keeps a youth's task page,
// yet shows a claim and a cancel made through B at once, and a logout on
// B ends the session on A (both read the generations from Redis).
func keptPagesFollowTheOtherInstance(t *testing.T, a, b string, avoid uint64) {
	t.Helper()
	hc := login(t, a, "amira", demoPIN)
	get(t, hc, a+"/a/1/tasks")
	status, page := get(t, hc, a+"/a/1/tasks") // kept by now
	if status != http.StatusOK {
		t.Fatalf("A tasks: %d", status)
	}
	var task string
	for _, m := range regexp.MustCompile(`id="claim-(\d+)"`).FindAllStringSubmatch(page, -1) {
		if m[1] != strconv.FormatUint(avoid, 10) {
			task = m[1]
			break
		}
	}
	if task == "" {
		t.Fatal("amira has no task to claim on A")
	}
	for _, step := range []struct{ action, want string }{{"claim", `id="my-task-` + task + `"`}, {"cancel", `id="claim-` + task + `"`}} {
		resp, err := hc.PostForm(b+"/a/1/tasks/"+task+"/"+step.action, url.Values{"_csrf": {crashCSRF(page)}})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s on B: %d", step.action, resp.StatusCode)
		}
		if status, page = get(t, hc, a+"/a/1/tasks"); status != http.StatusOK || !strings.Contains(page, step.want) {
			t.Fatalf("after a %s on B, A's task page (%d) lacks %s", step.action, status, step.want)
		}
	}
	au, err := url.Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	kept := hc.Jar.Cookies(au)
	resp, err := hc.PostForm(b+"/logout", url.Values{"_csrf": {crashCSRF(page)}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	hc.Jar.SetCookies(au, kept) // the old session cookie, presented again
	if status, _ := get(t, hc, a+"/a/1/tasks"); status == http.StatusOK {
		t.Fatal("after a logout on B, A still served the youth's task page to the old session cookie")
	}
}
