package main

// TestCrashSafety kills the real server with SIGKILL while it is busy with
// concurrent writes, many times over, and checks after every kill that the
// store is consistent ('fritidsjob check') and that every write the server
// acknowledged (a 303 redirect with done= in its Location) survived. The
// writes: youths' claims, cancellations, reward requests and withdrawals;
// the coordinator's approvals, corrections of hours, redemption decisions
// and guidance sessions in the employer pipeline (each with its
// participation record in the same transaction).

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fritidsjob/people"
)

const (
	crashCycles   = 60
	crashBudget   = 3*time.Minute + 20*time.Second // stop starting cycles after this
	crashMinCycle = 50
)

// crashYouths claim and cancel tasks, request rewards and withdraw
// requests; the demo work of ali, nour and zainab waits for approval, and
// everyone's data export is checked at the end.
var crashYouths = []string{"amira", "mads", "freja", "jonas", "ali", "nour", "zainab", "mikkel"}

var (
	crashClaimRE      = regexp.MustCompile(`id="claim-(\d+)"`)
	crashMyTaskRE     = regexp.MustCompile(`id="my-task-(\d+)"`)
	crashRequestRE    = regexp.MustCompile(`action="/a/1/rewards/(\d+)/request"`)
	crashWithdrawRE   = regexp.MustCompile(`action="/a/1/redemptions/(\d+)/cancel"`)
	crashEntryRE      = regexp.MustCompile(`name="entry" value="(\d+)"`)
	crashConfirmRE    = regexp.MustCompile(`action="/a/1/redemptions/(\d+)/confirm"`)
	errCrashLoggedOut = errors.New("logged out")

	// crashLogins counts logins (first ones and after lost sessions).
	crashLogins atomic.Int64
)

// crashClient is one logged-in user; its session lives in the store and so
// survives restarts, but it logs in again if sent to /login.
type crashClient struct {
	user, secret string
	hc           *http.Client
}

// crashLedger is what the server acknowledged, and what was attempted.
type crashLedger struct {
	mu sync.Mutex
	// approved: entry ID → cycle it was acknowledged in.
	approved map[uint64]int
	// requests: key → youth, for acknowledged reward requests; attempted
	// holds every key ever sent.
	requests  map[string]string
	attempted map[string]string
	// decided: redemption ID → the final status an acknowledged action set.
	decided map[uint64]string
	// lastTask: youth/task → the last attempted claim or cancel and whether
	// it was acknowledged.
	lastTask map[string]crashTaskOp
	// corrections: work entries the coordinator may correct through the
	// supervisor hours form, which puts a new entry in the approval queue;
	// corrected holds the acknowledged ones (entry corrected → youth).
	corrections []crashCorrection
	corrected   map[uint64]string
	// youthIDs: youth user ID → username, for the youths the coordinator
	// records pipeline activities for. Each attempt has its own length in
	// minutes (nextMinutes, from 601: longer than any demo session), so it
	// can be found again: activities holds
	// the acknowledged ones (minutes → youth ID), activityTried every
	// attempt.
	youthIDs      map[uint64]string
	nextMinutes   int
	activities    map[int]uint64
	activityTried map[int]uint64
	acks          map[string]int // per kind
	fails         map[string]int // refusals (4xx pages), per kind
	errs          map[string]int // transport errors (the kill), per kind
}

type crashCorrection struct {
	user               string
	youth, task, entry uint64
	day, from, to      string
}

type crashTaskOp struct {
	claim, acked bool
}

func (l *crashLedger) count(m map[string]int, kind string) {
	l.mu.Lock()
	m[kind]++
	l.mu.Unlock()
}

func crashKey() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "crash-" + hex.EncodeToString(b)
}

// crashLogin logs in without the testing helpers, so it can run in
// worker goroutines.
func crashLogin(base string, c *crashClient) error {
	crashLogins.Add(1)
	body, status, _, err := crashGet(c.hc, base+"/login")
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET /login: %d", status)
	}
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		return errors.New("no csrf on /login")
	}
	resp, err := c.hc.PostForm(base+"/login", url.Values{
		"username": {c.user}, "secret": {c.secret}, "_csrf": {m[1]}, "next": {"/"},
	})
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		return fmt.Errorf("login %s: %d %q", c.user, resp.StatusCode, resp.Header.Get("Location"))
	}
	return nil
}

func crashGet(hc *http.Client, u string) (string, int, string, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return "", 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode, resp.Header.Get("Location"), err
}

// page GETs path, logging in again when the session is gone.
func (c *crashClient) page(base, path string) (string, error) {
	for try := 0; try < 2; try++ {
		body, status, loc, err := crashGet(c.hc, base+path)
		if err != nil {
			return "", err
		}
		if status == http.StatusOK {
			return body, nil
		}
		if status == http.StatusSeeOther || status == http.StatusFound {
			if strings.HasPrefix(loc, "/login") && try == 0 {
				if err := crashLogin(base, c); err != nil {
					return "", err
				}
				continue
			}
		}
		return "", fmt.Errorf("GET %s: %d (Location %q)", path, status, loc)
	}
	return "", errCrashLoggedOut
}

// post sends a form; acked reports a 303 with done= in the Location.
func (c *crashClient) post(ctx context.Context, base, path string, form url.Values) (acked bool, status int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return false, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	if err != nil {
		return false, 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	return resp.StatusCode == http.StatusSeeOther && strings.Contains(loc, "done="), resp.StatusCode, nil
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: run without -short")
	}
	began := time.Now()
	data := t.TempDir()
	l := &crashLedger{
		approved: map[uint64]int{}, requests: map[string]string{}, attempted: map[string]string{},
		decided: map[uint64]string{}, lastTask: map[string]crashTaskOp{}, corrected: map[uint64]string{},
		youthIDs: map[uint64]string{}, nextMinutes: 601, activities: map[int]uint64{}, activityTried: map[int]uint64{},
		acks: map[string]int{}, fails: map[string]int{}, errs: map[string]int{},
	}
	youths := map[string]*crashClient{}
	for _, u := range crashYouths {
		youths[u] = &crashClient{user: u, secret: demoPIN, hc: newClient(t)}
	}
	coord := &crashClient{user: "mette", secret: demoPassword, hc: newClient(t)}

	cycles := 0
	var inFlightAtKill []int
	for cycles < crashCycles && (cycles < crashMinCycle || time.Since(began) < crashBudget) {
		if time.Since(began) > 3*time.Minute+45*time.Second {
			t.Fatalf("only %d cycles within the time budget", cycles)
		}
		extra := []string{"-require-2fa=false"}
		if cycles == 0 {
			extra = []string{"-demo"}
		}
		s := startServer(t, data, extra...)
		// Log in (again, if a session was lost) before the traffic, so no
		// login is cut off by the kill: sessions live in the store and
		// should survive it, which the login count shows.
		before := crashLogins.Load()
		for _, c := range append([]*crashClient{coord}, crashClientsOf(youths)...) {
			if _, err := c.page(s.base, "/"); err != nil {
				t.Fatalf("cycle %d: %s: %v\nserver stderr tail:\n%s", cycles, c.user, err, tail(s.stderr.String(), 2000))
			}
		}
		if n := crashLogins.Load() - before; cycles > 0 && n > 0 {
			t.Logf("cycle %d: %d clients had to log in again after the restart", cycles, n)
		}
		if cycles > 0 {
			crashVerify(t, s.base, l, coord, youths, false)
		} else {
			l.corrections = crashCorrections(t, s.base, youths)
			for _, k := range l.corrections {
				l.youthIDs[k.youth] = k.user
			}
			t.Logf("%d demo work entries to correct (each correction is new work to approve)", len(l.corrections))
		}

		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var inFlight atomic.Int32
		cycle := cycles
		for _, y := range youths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				crashYouthLoop(ctx, s.base, y, l, &inFlight)
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			crashCoordLoop(ctx, s.base, coord, l, &inFlight, cycle)
		}()

		run := time.Duration(50+mrand.IntN(251)) * time.Millisecond
		time.Sleep(run)
		n := int(inFlight.Load())
		if err := s.cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatalf("kill: %v", err)
		}
		<-s.done
		cancel()
		wg.Wait()
		inFlightAtKill = append(inFlightAtKill, n)
		cycles++

		r := runCmd(t, "", 30*time.Second, "check", "-data", data)
		if r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
			t.Fatalf("cycle %d: check after SIGKILL at %s: exit %d\nstdout:\n%s\nstderr:\n%s\nserver stderr tail:\n%s",
				cycle, run, r.code, r.stdout, r.stderr, tail(s.stderr.String(), 2000))
		}
		l.mu.Lock()
		t.Logf("cycle %2d: killed after %3d ms with %d requests in flight; logins so far %d; acks so far %v", cycle, run.Milliseconds(), n, crashLogins.Load(), l.acks)
		l.mu.Unlock()
	}

	// The final look: a clean start, every acknowledged write checked.
	s := startServer(t, data, "-require-2fa=false")
	crashVerify(t, s.base, l, coord, youths, true)
	if err := s.stop(t, 10*time.Second); err != nil {
		t.Fatalf("final server exit: %v\n%s", err, s.stderr)
	}
	r := runCmd(t, "", 30*time.Second, "check", "-data", data)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
		t.Fatalf("final check: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	total := 0
	for _, n := range l.acks {
		total += n
	}
	t.Logf("%d cycles in %s; in flight at the kills: %v", cycles, time.Since(began).Round(time.Millisecond), inFlightAtKill)
	t.Logf("acknowledged %d writes: %v; refused: %v; cut off by the kill: %v", total, l.acks, l.fails, l.errs)
	t.Logf("acknowledged approvals %d, corrections %d, reward requests %d, redemption decisions %d, guidance sessions %d", len(l.approved), len(l.corrected), len(l.requests), len(l.decided), len(l.activities))
	if total == 0 || l.acks["claim"] == 0 || l.acks["request"] == 0 {
		t.Errorf("too little acknowledged traffic to mean anything: %v", l.acks)
	}
}

func crashClientsOf(m map[string]*crashClient) []*crashClient {
	out := make([]*crashClient, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].user < out[j].user })
	return out
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// crashYouthLoop claims and cancels tasks, requests rewards and withdraws
// requests until ctx ends.
func crashYouthLoop(ctx context.Context, base string, c *crashClient, l *crashLedger, inFlight *atomic.Int32) {
	for ctx.Err() == nil {
		if mrand.IntN(3) == 0 {
			crashYouthPoints(ctx, base, c, l, inFlight)
		} else {
			crashYouthTasks(ctx, base, c, l, inFlight)
		}
	}
}

func crashYouthTasks(ctx context.Context, base string, c *crashClient, l *crashLedger, inFlight *atomic.Int32) {
	body, err := c.page(base, "/a/1/tasks")
	if err != nil {
		return
	}
	csrf := csrfRE.FindStringSubmatch(body)
	if csrf == nil {
		return
	}
	var ids []string
	claim := mrand.IntN(2) == 0
	if claim {
		for _, m := range crashClaimRE.FindAllStringSubmatch(body, -1) {
			ids = append(ids, m[1])
		}
	} else {
		for _, m := range crashMyTaskRE.FindAllStringSubmatch(body, -1) {
			if strings.Contains(body, `action="/a/1/tasks/`+m[1]+`/cancel"`) {
				ids = append(ids, m[1])
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	id := ids[mrand.IntN(len(ids))]
	kind, path := "cancel", "/a/1/tasks/"+id+"/cancel"
	if claim {
		kind, path = "claim", "/a/1/tasks/"+id+"/claim"
	}
	key := c.user + "/" + id
	l.mu.Lock()
	l.lastTask[key] = crashTaskOp{claim: claim}
	l.mu.Unlock()
	inFlight.Add(1)
	acked, _, err := c.post(ctx, base, path, url.Values{"_csrf": {csrf[1]}})
	inFlight.Add(-1)
	crashRecord(l, kind, acked, err)
	if acked {
		l.mu.Lock()
		l.lastTask[key] = crashTaskOp{claim: claim, acked: true}
		l.mu.Unlock()
	}
}

func crashYouthPoints(ctx context.Context, base string, c *crashClient, l *crashLedger, inFlight *atomic.Int32) {
	body, err := c.page(base, "/a/1/points")
	if err != nil {
		return
	}
	csrf := crashCSRF(body)
	if csrf == "" {
		return
	}
	withdraw := crashWithdrawRE.FindAllStringSubmatch(body, -1)
	if len(withdraw) > 0 && mrand.IntN(3) == 0 {
		id := withdraw[mrand.IntN(len(withdraw))][1]
		inFlight.Add(1)
		acked, _, err := c.post(ctx, base, "/a/1/redemptions/"+id+"/cancel", url.Values{"_csrf": {csrf}})
		inFlight.Add(-1)
		crashRecord(l, "withdraw", acked, err)
		if acked {
			n, _ := strconv.ParseUint(id, 10, 64)
			l.mu.Lock()
			l.decided[n] = "cancelled"
			l.mu.Unlock()
		}
		return
	}
	reqs := crashRequestRE.FindAllStringSubmatch(body, -1)
	if len(reqs) == 0 {
		return
	}
	id := reqs[mrand.IntN(len(reqs))][1]
	key := crashKey()
	l.mu.Lock()
	l.attempted[key] = c.user
	l.mu.Unlock()
	inFlight.Add(1)
	acked, _, err := c.post(ctx, base, "/a/1/rewards/"+id+"/request", url.Values{"_csrf": {csrf}, "key": {key}})
	inFlight.Add(-1)
	crashRecord(l, "request", acked, err)
	if acked {
		l.mu.Lock()
		l.requests[key] = c.user
		l.mu.Unlock()
	}
}

// crashCoordLoop approves the waiting work and confirms or refuses reward
// requests until ctx ends.
func crashCoordLoop(ctx context.Context, base string, c *crashClient, l *crashLedger, inFlight *atomic.Int32, cycle int) {
	for ctx.Err() == nil {
		if mrand.IntN(4) == 0 {
			crashCorrect(ctx, base, c, l, inFlight)
			continue
		}
		if mrand.IntN(4) == 0 {
			crashActivity(ctx, base, c, l, inFlight)
			continue
		}
		if mrand.IntN(2) == 0 {
			body, err := c.page(base, "/a/1/approvals")
			if err != nil {
				continue
			}
			csrf := crashCSRF(body)
			var ids []uint64
			form := url.Values{"_csrf": {csrf}}
			for _, m := range crashEntryRE.FindAllStringSubmatch(body, -1) {
				if mrand.IntN(2) == 0 {
					n, _ := strconv.ParseUint(m[1], 10, 64)
					ids = append(ids, n)
					form.Add("entry", m[1])
				}
			}
			if len(ids) == 0 || csrf == "" {
				continue
			}
			inFlight.Add(1)
			acked, _, err := c.post(ctx, base, "/a/1/approvals", form)
			inFlight.Add(-1)
			crashRecord(l, "approve", acked, err)
			if acked {
				l.mu.Lock()
				for _, id := range ids {
					l.approved[id] = cycle
				}
				l.mu.Unlock()
			}
			continue
		}
		body, err := c.page(base, "/a/1/rewards")
		if err != nil {
			continue
		}
		csrf := crashCSRF(body)
		reds := crashConfirmRE.FindAllStringSubmatch(body, -1)
		if len(reds) == 0 || csrf == "" {
			continue
		}
		id := reds[mrand.IntN(len(reds))][1]
		kind, path, form, final := "refuse", "/a/1/redemptions/"+id+"/refuse", url.Values{"_csrf": {csrf}, "reason": {"crash test"}}, "refused"
		if mrand.IntN(8) == 0 {
			kind, path, form, final = "confirm", "/a/1/redemptions/"+id+"/confirm", url.Values{"_csrf": {csrf}}, "confirmed"
		}
		inFlight.Add(1)
		acked, _, err := c.post(ctx, base, path, form)
		inFlight.Add(-1)
		crashRecord(l, kind, acked, err)
		if acked {
			n, _ := strconv.ParseUint(id, 10, 64)
			l.mu.Lock()
			l.decided[n] = final
			l.mu.Unlock()
		}
	}
}

// crashActivity records a guidance session for one of the youths: an
// employer-pipeline write that puts the activity and its participation
// record in one transaction (fritidsjob check pairs them after each kill).
// Its length in minutes is unique to the attempt.
func crashActivity(ctx context.Context, base string, c *crashClient, l *crashLedger, inFlight *atomic.Int32) {
	l.mu.Lock()
	if len(l.youthIDs) == 0 || l.nextMinutes >= 24*60 {
		l.mu.Unlock()
		return
	}
	ids := make([]uint64, 0, len(l.youthIDs))
	for id := range l.youthIDs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	youth := ids[mrand.IntN(len(ids))]
	minutes := l.nextMinutes
	l.nextMinutes++
	l.activityTried[minutes] = youth
	l.mu.Unlock()
	body, err := c.page(base, fmt.Sprintf("/a/1/youths/%d/pipeline", youth))
	if err != nil {
		return
	}
	csrf := crashCSRF(body)
	if csrf == "" {
		return
	}
	inFlight.Add(1)
	acked, _, err := c.post(ctx, base, fmt.Sprintf("/a/1/youths/%d/activities", youth), url.Values{
		"_csrf": {csrf}, "kind": {"guidance"}, "minutes": {strconv.Itoa(minutes)},
		"date": {time.Now().In(people.Copenhagen).Format(time.DateOnly)},
	})
	inFlight.Add(-1)
	crashRecord(l, "activity", acked, err)
	if acked {
		l.mu.Lock()
		l.activities[minutes] = youth
		l.mu.Unlock()
	}
}

// crashCorrections lists the youths' finished demo work.
func crashCorrections(t *testing.T, base string, youths map[string]*crashClient) []crashCorrection {
	t.Helper()
	var out []crashCorrection
	for _, c := range crashClientsOf(youths) {
		for _, w := range crashFetchExport(t, base, c).Work {
			if w.Status != "approved" && w.Status != "pending" {
				continue
			}
			st, en := w.Start.In(people.Copenhagen), w.End.In(people.Copenhagen)
			out = append(out, crashCorrection{user: c.user, youth: w.Youth, task: w.Task, entry: w.ID,
				day: st.Format(time.DateOnly), from: st.Format("15:04"), to: en.Format("15:04")})
		}
	}
	return out
}

// crashCorrect records corrected hours (the same times) for one demo
// entry not yet corrected with an acknowledgement.
func crashCorrect(ctx context.Context, base string, c *crashClient, l *crashLedger, inFlight *atomic.Int32) {
	l.mu.Lock()
	var open []crashCorrection
	for _, k := range l.corrections {
		if _, done := l.corrected[k.entry]; !done {
			open = append(open, k)
		}
	}
	l.mu.Unlock()
	if len(open) == 0 {
		return
	}
	k := open[mrand.IntN(len(open))]
	body, err := c.page(base, "/a/1/approvals")
	if err != nil {
		return
	}
	csrf := crashCSRF(body)
	if csrf == "" {
		return
	}
	inFlight.Add(1)
	acked, _, err := c.post(ctx, base, fmt.Sprintf("/a/1/manage/tasks/%d/youths/%d/hours", k.task, k.youth), url.Values{
		"_csrf": {csrf}, "day": {k.day}, "from": {k.from}, "to": {k.to}, "break": {"0"},
		"corrects": {strconv.FormatUint(k.entry, 10)},
	})
	inFlight.Add(-1)
	crashRecord(l, "hours", acked, err)
	if acked {
		l.mu.Lock()
		l.corrected[k.entry] = k.user
		l.mu.Unlock()
	}
}

func crashCSRF(body string) string {
	if m := csrfRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func crashRecord(l *crashLedger, kind string, acked bool, err error) {
	switch {
	case err != nil:
		l.count(l.errs, kind)
	case acked:
		l.count(l.acks, kind)
	default:
		l.count(l.fails, kind)
	}
}

// crashExport is the part of a youth's data export the test checks.
type crashExport struct {
	Rewards []struct {
		ID     uint64 `json:"id"`
		Status string `json:"status"`
		Key    string `json:"key"`
	}
	Work []struct {
		ID       uint64    `json:"id"`
		Task     uint64    `json:"task"`
		Youth    uint64    `json:"youth"`
		Start    time.Time `json:"start"`
		End      time.Time `json:"end"`
		Status   string    `json:"status"`
		Corrects uint64    `json:"corrects"`
	}
	Employment struct {
		Activities []struct {
			Youth   uint64 `json:"youth"`
			Kind    string `json:"kind"`
			Minutes int    `json:"minutes"`
		} `json:"activities"`
	}
}

func crashFetchExport(t *testing.T, base string, c *crashClient) crashExport {
	t.Helper()
	if _, err := c.page(base, "/a/1/points"); err != nil { // logs in again if need be
		t.Fatalf("%s: %v", c.user, err)
	}
	body, status, _, err := crashGet(c.hc, base+"/a/1/me/data.zip")
	if err != nil || status != http.StatusOK {
		t.Fatalf("%s GET data.zip: %d %v", c.user, status, err)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("%s data.zip: %v", c.user, err)
	}
	var ex crashExport
	for _, f := range zr.File {
		var into any
		switch f.Name {
		case "rewards.json":
			into = &ex.Rewards
		case "work.json":
			into = &ex.Work
		case "employment.json":
			into = &ex.Employment
		default:
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(rc).Decode(into)
		rc.Close()
		if err != nil {
			t.Fatalf("%s %s: %v", c.user, f.Name, err)
		}
	}
	return ex
}

// crashVerify checks, on a freshly restarted server, that every
// acknowledged write is there: approvals are out of the queue (and, in the
// final look, approved in the youth's own data), reward requests exist
// exactly once, decisions on requests stand, and acknowledged claims and
// cancellations show on the youth's task page.
func crashVerify(t *testing.T, base string, l *crashLedger, coord *crashClient, youths map[string]*crashClient, final bool) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	queue, err := coord.page(base, "/a/1/approvals")
	if err != nil {
		t.Fatalf("coordinator approvals after restart: %v", err)
	}
	for id, cyc := range l.approved {
		if strings.Contains(queue, fmt.Sprintf(`name="entry" value="%d"`, id)) {
			t.Errorf("entry %d, approved with an acknowledgement in cycle %d, is back in the approval queue after the crash", id, cyc)
		}
	}
	// Acknowledged claims and cancellations, where they were the youth's
	// last attempt on the task.
	pages := map[string]string{}
	for key, op := range l.lastTask {
		if !op.acked {
			continue
		}
		user, task, _ := strings.Cut(key, "/")
		page, ok := pages[user]
		if !ok {
			if page, err = youths[user].page(base, "/a/1/tasks"); err != nil {
				t.Fatalf("%s tasks after restart: %v", user, err)
			}
			pages[user] = page
		}
		has := strings.Contains(page, `id="my-task-`+task+`"`)
		if op.claim && !has {
			t.Errorf("%s's acknowledged claim of task %s is gone after the crash", user, task)
		}
		if !op.claim && has {
			t.Errorf("%s's acknowledged cancellation of task %s is undone after the crash", user, task)
		}
	}
	if !final {
		return
	}
	// The youths' own data: reward requests by key, decisions, approved work.
	seenKeys := map[string]int{}
	status := map[uint64]string{}
	approvedWork := map[uint64]bool{}
	corrections := map[uint64]int{}  // corrected entry → live corrections
	activities := map[int][]uint64{} // minutes → youths with such a guidance session
	users := make([]string, 0, len(youths))
	for u := range youths {
		users = append(users, u)
	}
	sort.Strings(users)
	for _, u := range users {
		ex := crashFetchExport(t, base, youths[u])
		for _, r := range ex.Rewards {
			status[r.ID] = r.Status
			if strings.HasPrefix(r.Key, "crash-") {
				seenKeys[r.Key]++
				if who, ok := l.attempted[r.Key]; !ok || who != u {
					t.Errorf("%s has a reward request with key %s the test never sent as %s (sent as %q)", u, r.Key, u, who)
				}
			}
		}
		for _, a := range ex.Employment.Activities {
			if a.Kind == "guidance" {
				activities[a.Minutes] = append(activities[a.Minutes], a.Youth)
			}
		}
		for _, w := range ex.Work {
			if w.Corrects != 0 && w.Status != "rejected" {
				corrections[w.Corrects]++
			}
			if w.Status == "approved" {
				if approvedWork[w.ID] {
					t.Errorf("work entry %d approved twice", w.ID)
				}
				approvedWork[w.ID] = true
			}
		}
	}
	for key, who := range l.requests {
		if n := seenKeys[key]; n != 1 {
			t.Errorf("%s's acknowledged reward request %s is there %d times, want once", who, key, n)
		}
	}
	for k, n := range seenKeys {
		if n > 1 {
			t.Errorf("reward request key %s stored %d times", k, n)
		}
	}
	for id, want := range l.decided {
		if got := status[id]; got != want {
			t.Errorf("redemption %d: acknowledged as %s, now %q", id, want, got)
		}
	}
	for id, cyc := range l.approved {
		if !approvedWork[id] {
			t.Errorf("entry %d, approved with an acknowledgement in cycle %d, is not approved in the youth's data", id, cyc)
		}
	}
	for id, who := range l.corrected {
		if n := corrections[id]; n != 1 {
			t.Errorf("%s's entry %d: the acknowledged correction is there %d times, want once", who, id, n)
		}
	}
	for minutes, youth := range l.activities {
		if got := activities[minutes]; len(got) != 1 || got[0] != youth {
			t.Errorf("acknowledged %d-minute guidance session for youth %d: found for %v, want once", minutes, youth, got)
		}
	}
	for minutes, got := range activities {
		if youth, tried := l.activityTried[minutes]; tried && (len(got) > 1 || got[0] != youth) {
			t.Errorf("%d-minute guidance session: stored for %v, sent once for youth %d", minutes, got, youth)
		}
	}
	var stillPending []string
	for _, m := range crashEntryRE.FindAllStringSubmatch(queue, -1) {
		stillPending = append(stillPending, m[1])
	}
	t.Logf("final look: %d acknowledged approvals found approved, %d acknowledged requests found once, %d decisions stand; still pending: %v; youths checked: %s",
		len(l.approved), len(l.requests), len(l.decided), stillPending, strings.Join(users, ","))
}
