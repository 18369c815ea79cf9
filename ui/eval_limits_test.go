package ui

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fritidsjob/evaluation"
)

// getAsync sends a GET with c's cookies from another goroutine and
// delivers the status and body on the returned channel. It leaves c's
// cookies alone, so it can run beside c's own requests.
func (c *client) getAsync(target string) <-chan [2]string {
	req := httptest.NewRequest("GET", target, nil)
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	out := make(chan [2]string, 1)
	go func() {
		resp, err := c.f.app.Fiber().Test(req, -1)
		if err != nil {
			out <- [2]string{"error", err.Error()}
			return
		}
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		resp.Body.Close()
		out <- [2]string{itoa(resp.StatusCode), b.String()}
	}()
	return out
}

// TestEvalFitOnePerUser: while a user's fit runs (held by the test hook),
// the same user's request for another fit is refused with 429, a Danish
// message and Retry-After; the same fit asked again joins the running one
// instead of fitting twice; afterwards the refused fit runs.
func TestEvalFitOnePerUser(t *testing.T) {
	f := newFixture(t)
	ev := f.loggedIn("evalA")
	ev.get("/") // settle the session before requests run side by side
	started := make(chan string, 8)
	release := make(chan struct{})
	var fits atomic.Int32
	f.app.fits.onFit = func(key string) {
		if fits.Add(1) == 1 { // hold the first fit only, so a regression fails rather than hangs
			started <- key
			<-release
		}
	}
	joined := make(chan struct{}, 1)
	f.app.fits.onWait = func(string) { joined <- struct{}{} }

	first := ev.getAsync("/eval?from=2022")
	<-started // the first fit is running and held
	same := ev.getAsync("/eval?from=2022")
	<-joined // the identical request waits for it
	resp, body := ev.get("/eval?from=2023")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, f.msg("err.fit_busy")) {
		t.Errorf("a second fit while the first runs: %d Retry-After=%q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	close(release)
	for i, ch := range []<-chan [2]string{first, same} {
		if r := <-ch; r[0] != "200" {
			t.Errorf("request %d: %s\n%s", i+1, r[0], r[1])
		}
	}
	if n := fits.Load(); n != 1 {
		t.Errorf("%d fits for two identical requests, want 1", n)
	}
	if resp, _ := ev.get("/eval?from=2023"); resp.StatusCode != http.StatusOK || fits.Load() != 2 {
		t.Errorf("the refused fit afterwards: %d after %d fits", resp.StatusCode, fits.Load())
	}
}

// TestEvalFitCachedUntilDataChanges: a fit is reused, however much later,
// until the data changes (not by a time limit); the page's own quiet
// writes (session, access log) do not count as a change; after a write
// the fit is made again.
func TestEvalFitCachedUntilDataChanges(t *testing.T) {
	f := newFixture(t)
	f.importHistory()
	// The first fit ever makes the export key (a write); make it here so
	// that the fits below see one unchanged store.
	if _, err := f.app.eval.Keys().Current(); err != nil {
		t.Fatal(err)
	}
	ev := f.loggedIn("evalA")
	var fits atomic.Int32
	f.app.fits.onFit = func(string) { fits.Add(1) }
	area := itoa(int(f.areaA.ID))
	if resp, _ := ev.get("/eval?area=" + area); resp.StatusCode != 200 || fits.Load() != 1 {
		t.Fatalf("page: %d after %d fits", resp.StatusCode, fits.Load())
	}
	if resp, _ := ev.get("/eval/chart.svg?area=" + area); resp.StatusCode != 200 {
		t.Fatalf("chart: %d", resp.StatusCode)
	}
	f.clock.Add(10 * time.Minute)
	if resp, _ := ev.get("/eval?area=" + area + "&gender=female"); resp.StatusCode != 200 {
		t.Fatalf("page by gender: %d", resp.StatusCode)
	}
	if n := fits.Load(); n != 1 {
		t.Fatalf("%d fits without a change in the data, want 1", n)
	}
	f.approvedWork(t, f.users["youtha"].ID, "childcare", "2026-11-20", 60)
	if resp, _ := ev.get("/eval?area=" + area); resp.StatusCode != 200 || fits.Load() != 2 {
		t.Fatalf("after a write: %d after %d fits, want a new fit", resp.StatusCode, fits.Load())
	}
}

// TestFitSlots: with every fit slot taken, another user's fit waits at
// most the cache's wait and is then refused with errFitsFull; once the
// slot is free it runs. A store error is not kept.
func TestFitSlots(t *testing.T) {
	fc := newFitCache(1, 0)
	started, release := make(chan struct{}), make(chan struct{})
	fc.onFit = func(key string) {
		if key == "held" {
			close(started)
			<-release
		}
	}
	var fits atomic.Int32
	fit := func() (*evaluation.GenderSplit, error) { fits.Add(1); return &evaluation.GenderSplit{}, nil }
	done := make(chan error, 1)
	go func() {
		_, err := fc.get(1, "held", 7, true, fit)
		done <- err
	}()
	<-started
	if _, err := fc.get(2, "other", 7, true, fit); err != errFitsFull {
		t.Fatalf("a fit while every slot is taken: %v, want errFitsFull", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := fc.get(2, "other", 7, true, fit); err != nil || fits.Load() != 2 {
		t.Fatalf("after the slot is free: %v, %d fits", err, fits.Load())
	}
	broken := errors.New("store down")
	for range 2 {
		if _, err := fc.get(2, "broken", 7, true, func() (*evaluation.GenderSplit, error) { fits.Add(1); return nil, broken }); err != broken {
			t.Fatalf("store error: %v", err)
		}
	}
	if fits.Load() != 4 {
		t.Errorf("%d fits: a store error was kept", fits.Load())
	}
}
