// Command load measures HTTP throughput and latency of the real Fritidsjob
// app next to a bare fiber app measured in the same run, on 127.0.0.1 only.
//
// It builds cmd/fritidsjob and starts it as a subprocess with -demo on a
// bbolt file in a temporary directory, exactly as an operator would, and
// starts a bare fiber v2 app with one route in this process. A client with
// c keep-alive connections (Go's net/http client, or with -client raw a
// lean HTTP/1.1 client in the manner of wrk, see rawFetcher) sending a
// phone browser's Accept-Encoding then drives, for d each:
//
//   - bare fiber: GET /hello
//   - youth task list: GET /a/1/tasks as demo youth amira
//   - a mix: 80 % youth task list, 10 % youth home (/), 5 % coordinator
//     approvals (/a/1/approvals), 5 % coordinator task management
//     (/a/1/manage/tasks), as demo coordinator mette
//   - a mix with writes while an evaluator's ZIP export runs over and over:
//     six youths view their task lists and home pages, claim and cancel a
//     task (4.8 % of requests are writes, each of which makes every kept
//     page stale), and the coordinator views approvals and tasks
//
// and prints requests/s, p50, p99 and errors per scenario and the ratio
// task-list req/s ÷ bare-fiber req/s. The client and the servers share the
// machine's cores, so the absolute numbers are a floor; the ratio is the
// figure to compare.
//
// With -redis it then starts a redis-server (appendonly yes, appendfsync
// always) and runs the mix again on the app in Redis mode, with one
// instance and with two instances sharing the Redis (requests alternate
// between them; the session cookie is valid on both).
//
//	go run ./bench/load [-d 10s] [-c 64] [-n 2000000] [-bin path/to/fritidsjob] [-redis] [-client raw|net/http]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Demo logins seeded by `fritidsjob -demo` (cmd/fritidsjob/demo.go).
const (
	youthUser, youthPIN  = "amira", "482916"
	coordUser, coordPass = "mette", "demo-kode-2026"
)

// Goals from the issue.
const (
	goalRatio = 0.5                   // task list req/s ≥ 50 % of bare fiber
	goalP99   = 50 * time.Millisecond // p99 at 64 connections
	goalConns = 64
)

func main() {
	d := flag.Duration("d", 10*time.Second, "measured duration of each scenario (three scenarios)")
	c := flag.Int("c", 64, "concurrent connections")
	n := flag.Int("n", 2_000_000, "at most this many requests per scenario")
	bin := flag.String("bin", "", "a built fritidsjob binary (default: go build ./cmd/fritidsjob into a temp dir)")
	warm := flag.Duration("warmup", 500*time.Millisecond, "unmeasured load before each scenario")
	withRedis := flag.Bool("redis", false, "also run the mix on Redis (redis-server on PATH) with one and two app instances")
	client := flag.String("client", "net/http", "load client: net/http (Go's) or raw (a lean keep-alive HTTP/1.1 client in the manner of wrk, which leaves the servers more of the CPU)")
	encoding := flag.String("accept-encoding", "gzip, deflate, br, zstd", `Accept-Encoding of every request, as a phone's browser sends it ("" for none)`)
	flag.Parse()
	if *c < 1 || *n < 1 || *d <= 0 || (*client != "raw" && *client != "net/http") {
		fmt.Fprintln(os.Stderr, "load: -c, -n and -d must be positive; -client is raw or net/http")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, opts{d: *d, c: *c, n: *n, bin: *bin, warm: *warm, redis: *withRedis, client: *client, encoding: *encoding})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type opts struct {
	d, warm time.Duration
	c, n    int
	bin     string
	redis   bool
	client  string
	// encoding is the Accept-Encoding header of every request.
	encoding string
}

// run measures the bare fiber app, the app's pages and the page mix
// (with writes and an export), optionally in Redis mode, and reports.
func run(ctx context.Context, o opts) error {
	tmp, err := os.MkdirTemp("", "fj-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Printf("machine: %d CPUs, GOMAXPROCS %d, %s; client, bare fiber and the app subprocess share these cores,\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Printf("so absolute req/s are a floor — compare the ratio. %d connections, %s per scenario (+%s warm-up), ≤ %d requests each.\n\n", o.c, o.d, o.warm, o.n)

	// (1) The bare fiber app, in this process.
	bare, stopBare, err := startBare()
	if err != nil {
		return err
	}
	defer stopBare()

	// (2) The real app as a subprocess, as cmd/fritidsjob wires it.
	binPath, err := appBinary(ctx, o, tmp)
	if err != nil {
		return err
	}
	app, err := startApp(ctx, binPath, filepath.Join(tmp, "data"), filepath.Join(tmp, "app.log"), []string{"-demo"}, nil)
	if err != nil {
		return err
	}
	defer app.stop()
	fmt.Printf("fritidsjob -demo on %s (its log goes to a temp file, as a service's log would)\n\n", app.base)

	youth, err := login(app.base, youthUser, youthPIN)
	if err != nil {
		return err
	}
	coord, err := login(app.base, coordUser, coordPass)
	if err != nil {
		return err
	}
	routes := appRoutes(app.base, youth, coord)
	routes["hello"] = target{name: "GET /hello", url: bare + "/hello"}
	setEncoding(routes, o.encoding)
	if err := probeRoutes(routes, o.encoding); err != nil {
		return err
	}

	client := rawFetcher
	if o.client == "net/http" {
		client = netHTTPFetcher(newClient(o.c))
	}
	fmt.Printf("load client: %s\n", o.client)
	results, err := runScenarios(ctx, o, client, routes)
	if err != nil {
		return err
	}
	r, err := runBusy(ctx, o, client, app.base, coord)
	if err != nil {
		return err
	}
	results = append(results, r)
	if err := app.alive(); err != nil {
		return err
	}
	if o.redis {
		rs, err := runRedis(ctx, o, binPath, tmp, client)
		if err != nil {
			return err
		}
		results = append(results, rs...)
	}
	if errs := report(os.Stdout, results, o.c); errs > 0 {
		return fmt.Errorf("%d requests failed", errs)
	}
	return nil
}

// appBinary is o.bin, or cmd/fritidsjob built into tmp.
func appBinary(ctx context.Context, o opts, tmp string) (string, error) {
	if o.bin != "" {
		return o.bin, nil
	}
	binPath := filepath.Join(tmp, "fritidsjob")
	t0 := time.Now()
	build := exec.CommandContext(ctx, "go", "build", "-o", binPath, "fritidsjob/cmd/fritidsjob")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/fritidsjob: %w", err)
	}
	fmt.Printf("built cmd/fritidsjob in %.1f s\n", time.Since(t0).Seconds())
	return binPath, nil
}

// probeRoutes checks that every page answers 200 with a body before it is
// measured, and prints the size of the youth's task list.
func probeRoutes(routes map[string]target, encoding string) error {
	for _, k := range []string{"hello", "tasks", "home", "approvals", "manage"} {
		if size, err := probe(routes[k]); err != nil {
			return fmt.Errorf("%s: %w", routes[k].name, err)
		} else if k == "tasks" {
			fmt.Printf("youth task list page: %d bytes on the wire (Accept-Encoding %q)\n", size, encoding)
		}
	}
	fmt.Println()
	return nil
}

// runScenarios drives the bare app, the youth's task list and the mix,
// each after its warm-up.
func runScenarios(ctx context.Context, o opts, client func() fetcher, routes map[string]target) ([]result, error) {
	scenarios := []struct {
		name    string
		targets []target
	}{
		{"bare fiber GET /hello", []target{routes["hello"]}},
		{"youth task list GET /a/1/tasks", []target{routes["tasks"]}},
		{"mix 80/10/5/5 (tasks/home/approvals/manage)", mixOf(routes)},
	}
	var results []result
	for _, s := range scenarios {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if o.warm > 0 {
			drive(ctx, client, s.targets, o.c, o.n, o.warm)
		}
		r := drive(ctx, client, s.targets, o.c, o.n, o.d)
		r.name = s.name
		results = append(results, r)
		fmt.Printf("  done: %-46s %9.0f req/s\n", s.name, r.rate())
	}
	return results, nil
}

// runBusy drives the mix with writes while an evaluator's exports run.
func runBusy(ctx context.Context, o opts, client func() fetcher, base, coord string) (result, error) {
	busy, what, err := busyMix(base, coord, o.encoding)
	if err != nil {
		return result{}, fmt.Errorf("mix with writes: %w", err)
	}
	eval, err := login(base, evaluatorUser, evaluatorPass)
	if err != nil {
		return result{}, err
	}
	exports := startExports(ctx, base, eval)
	r := drive(ctx, client, busy, o.c, o.n, o.d)
	exports.stop()
	r.name = "mix with writes + an export running"
	fmt.Printf("  done: %-46s %9.0f req/s (%s; %d exports of %.1f MB each, %d export errors)\n", r.name, r.rate(), what,
		exports.done.Load(), float64(exports.bytes.Load())/float64(max(exports.done.Load(), 1))/1e6, exports.errs.Load())
	if s, ok := exports.firstErr.Load().(string); ok {
		fmt.Printf("  first export error: %s\n", s)
	}
	return r, nil
}

// redisMixes logs in on the first instance and returns the mix on it and
// the mix alternating between the two instances, after probing every page
// of both.
func redisMixes(o opts, baseA, baseB string) (one, two []target, err error) {
	youth, err := login(baseA, youthUser, youthPIN)
	if err != nil {
		return nil, nil, err
	}
	coord, err := login(baseA, coordUser, coordPass)
	if err != nil {
		return nil, nil, err
	}
	ra, rb := appRoutes(baseA, youth, coord), appRoutes(baseB, youth, coord)
	setEncoding(ra, o.encoding)
	setEncoding(rb, o.encoding)
	for _, r := range []map[string]target{ra, rb} {
		for _, t := range r {
			if _, err := probe(t); err != nil {
				return nil, nil, fmt.Errorf("redis mode %s %s: %w", t.name, t.url, err)
			}
		}
	}
	one = mixOf(ra)
	for i, t := range mixOf(rb) {
		two = append(two, one[i], t)
	}
	return one, two, nil
}

// ok reports whether status is a right answer: 200 for a page; for a
// claim or cancel the redirect of success or a refusal with its reason
// (the youth holds the slot already, or has no claim to cancel), but not
// a CSRF failure (403), a throttle (429) or a server error.
func (t target) ok(status int) bool {
	if t.form == "" {
		return status == http.StatusOK
	}
	return status == http.StatusSeeOther || (status >= 400 && status < 500 && status != http.StatusForbidden && status != http.StatusTooManyRequests)
}

// setEncoding gives every route the Accept-Encoding header enc.
func setEncoding(routes map[string]target, enc string) {
	for k, t := range routes {
		t.encoding = enc
		routes[k] = t
	}
}

// appRoutes are the measured pages of one app instance.
func appRoutes(base, youth, coord string) map[string]target {
	return map[string]target{
		"tasks":     {name: "GET /a/1/tasks (youth)", url: base + "/a/1/tasks", cookie: youth},
		"home":      {name: "GET / (youth)", url: base + "/", cookie: youth},
		"approvals": {name: "GET /a/1/approvals (coordinator)", url: base + "/a/1/approvals", cookie: coord},
		"manage":    {name: "GET /a/1/manage/tasks (coordinator)", url: base + "/a/1/manage/tasks", cookie: coord},
	}
}

// mixOf is the mix: 16/20 task list, 2/20 home, 1/20 approvals, 1/20 manage.
func mixOf(routes map[string]target) []target {
	var mix []target
	for i := 0; i < 16; i++ {
		mix = append(mix, routes["tasks"])
	}
	return append(mix, routes["home"], routes["home"], routes["approvals"], routes["manage"])
}

// runRedis measures the mix on the app in Redis mode with one and with two
// instances on one redis-server.
func runRedis(ctx context.Context, o opts, bin, tmp string, client func() fetcher) ([]result, error) {
	dir := filepath.Join(tmp, "redis")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	host, port, _ := net.SplitHostPort(addr)
	rs := exec.Command("redis-server", "--port", port, "--bind", host, "--dir", dir, "--save", "",
		"--appendonly", "yes", "--appendfsync", "always", "--loglevel", "warning")
	if err := rs.Start(); err != nil {
		return nil, fmt.Errorf("start redis-server (is it on PATH?): %w", err)
	}
	defer func() { rs.Process.Kill(); rs.Wait() }()
	url := "redis://" + addr + "/0"
	env := []string{"FRITIDSJOB_SECRET=bench-load-secret-0123456789abcdef-0123456789"}
	var a *appProc
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		// The first start may find redis-server still starting.
		a, err = startApp(ctx, bin, filepath.Join(tmp, "ra"), filepath.Join(tmp, "ra.log"), []string{"-redis", url, "-demo"}, env)
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	defer a.stop()
	b, err := startApp(ctx, bin, filepath.Join(tmp, "rb"), filepath.Join(tmp, "rb.log"), []string{"-redis", url, "-require-2fa=false"}, env)
	if err != nil {
		return nil, err
	}
	defer b.stop()
	fmt.Printf("\nfritidsjob -redis on %s and %s, one redis-server (appendfsync always) on %s\n", a.base, b.base, addr)
	one, two, err := redisMixes(o, a.base, b.base)
	if err != nil {
		return nil, err
	}
	var out []result
	for _, s := range []struct {
		name    string
		targets []target
	}{{"redis, 1 instance: mix", one}, {"redis, 2 instances: mix", two}} {
		if o.warm > 0 {
			drive(ctx, client, s.targets, o.c, o.n, o.warm)
		}
		r := drive(ctx, client, s.targets, o.c, o.n, o.d)
		r.name = s.name
		out = append(out, r)
		fmt.Printf("  done: %-46s %9.0f req/s\n", s.name, r.rate())
	}
	for _, p := range []*appProc{a, b} {
		if err := p.alive(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ---- servers ----

func startBare() (base string, stop func(), err error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/hello", func(c *fiber.Ctx) error { return c.SendString("Hej, verden!") })
	go func() { _ = app.Listener(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = app.ShutdownWithTimeout(5 * time.Second) }, nil
}

type appProc struct {
	cmd  *exec.Cmd
	base string
	log  string
	done chan struct{}
	err  error
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

func startApp(ctx context.Context, bin, data, logPath string, args, env []string) (*appProc, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	p := &appProc{base: "http://" + addr, log: logPath, done: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"-data", data, "-addr", addr}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	// Only the flags configure the app: drop any FRITIDSJOB_* settings.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FRITIDSJOB_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.Env = append(p.cmd.Env, env...)
	if err := p.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-p.done:
			return nil, fmt.Errorf("fritidsjob exited before it was ready: %v\n%s", p.err, tail(logPath))
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		default:
		}
		resp, err := hc.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("fritidsjob on %s not healthy within 20 s (last: %v)\n%s", p.base, err, tail(logPath))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// alive reports an error if the subprocess has exited.
func (p *appProc) alive() error {
	select {
	case <-p.done:
		return fmt.Errorf("fritidsjob exited during the run: %v\n%s", p.err, tail(p.log))
	default:
		return nil
	}
}

// stop sends SIGTERM, waits up to 10 s, then kills.
func (p *appProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// ---- client ----

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// login logs in through the login form and returns the Cookie header of
// the logged-in session.
func login(base, username, secret string) (string, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(base + "/login")
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("GET /login: status %d, csrf field found: %v", resp.StatusCode, m != nil)
	}
	resp, err = hc.PostForm(base+"/login", url.Values{
		"username": {username}, "secret": {secret}, "_csrf": {string(m[1])}, "next": {"/"},
	})
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		return "", fmt.Errorf("login as %s: status %d, Location %q; want 303 to /", username, resp.StatusCode, resp.Header.Get("Location"))
	}
	u, _ := url.Parse(base + "/")
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; "), nil
}

type target struct {
	name, url, cookie string
	encoding          string  // the Accept-Encoding header, if any
	form              string  // a POST's urlencoded body; "" for a GET
	req               *rawReq // the prepared request of the raw client
}

func newClient(c int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        c,
		MaxIdleConnsPerHost: c,
		MaxConnsPerHost:     c,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func probe(t target) (int, error) {
	hc := newClient(1)
	status, size, err := fetch(context.Background(), hc, t)
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK || size == 0 {
		return 0, fmt.Errorf("status %d, %d bytes; want 200 with a body", status, size)
	}
	return size, nil
}

func fetch(ctx context.Context, hc *http.Client, t target) (status, size int, err error) {
	method, body := http.MethodGet, io.Reader(nil)
	if t.form != "" {
		method, body = http.MethodPost, strings.NewReader(t.form)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.url, body)
	if err != nil {
		return 0, 0, err
	}
	if t.form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if t.cookie != "" {
		req.Header.Set("Cookie", t.cookie)
	}
	if t.encoding != "" {
		req.Header.Set("Accept-Encoding", t.encoding) // the body is counted, not decoded
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, int(n), err
}

type sample struct {
	ns    int64
	route uint8
}

type result struct {
	name    string
	targets []target
	samples []sample // successful requests only
	errs    int64
	firstEr string
	elapsed time.Duration
}

func (r result) rate() float64 {
	return float64(len(r.samples)+int(r.errs)) / r.elapsed.Seconds()
}

// drive runs c workers against targets (round-robin over the list, so a
// list's composition is its mix) for d or until n requests were started.
func drive(ctx context.Context, client func() fetcher, targets []target, c, n int, d time.Duration) result {
	targets, err := prepared(targets)
	if err != nil {
		return result{targets: targets, errs: 1, firstEr: err.Error(), elapsed: time.Nanosecond}
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var next atomic.Int64
	var errs atomic.Int64
	var firstErr atomic.Value
	per := make([][]sample, c)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			buf := make([]sample, 0, 4096)
			fetch := client()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					break
				}
				ri := int(i % int64(len(targets)))
				t0 := time.Now()
				status, _, err := fetch(ctx, targets[ri])
				lat := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					break // cut off by the end of the run: not an error
				}
				if err == nil && !targets[ri].ok(status) {
					err = fmt.Errorf("%s: status %d", targets[ri].name, status)
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				buf = append(buf, sample{lat.Nanoseconds(), uint8(ri)})
			}
			per[w] = buf
		}(w)
	}
	wg.Wait()
	r := result{targets: targets, errs: errs.Load(), elapsed: time.Since(start)}
	if s, ok := firstErr.Load().(string); ok {
		r.firstEr = s
	}
	for _, b := range per {
		r.samples = append(r.samples, b...)
	}
	return r
}

// ---- report ----

func percentiles(ns []int64) (p50, p99 time.Duration) {
	if len(ns) == 0 {
		return 0, 0
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
	at := func(p float64) time.Duration {
		k := int(p*float64(len(ns))+0.999999) - 1
		if k < 0 {
			k = 0
		}
		return time.Duration(ns[k])
	}
	return at(0.50), at(0.99)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }

// report prints the table and the goals and returns the number of failed
// requests (the one goal CI holds a short run to: timings vary by machine).
func report(w io.Writer, rs []result, c int) int64 {
	fmt.Fprintln(w)
	tw := w
	const row = "%-46s %9s %10s %10s %7s\n"
	fmt.Fprintf(tw, row, "scenario", "req/s", "p50", "p99", "errors")
	p99s := make([]time.Duration, len(rs))
	var totalErrs int64
	for i, r := range rs {
		all := make([]int64, len(r.samples))
		for j, s := range r.samples {
			all[j] = s.ns
		}
		p50, p99 := percentiles(all)
		p99s[i] = p99
		totalErrs += r.errs
		fmt.Fprintf(tw, row, r.name, fmt.Sprintf("%.0f", r.rate()), ms(p50), ms(p99), fmt.Sprint(r.errs))
		// Per-route rows for a mix.
		names := map[string]bool{}
		for _, t := range r.targets {
			names[t.name] = true
		}
		if len(names) > 1 {
			seen := map[string]bool{}
			for _, t := range r.targets {
				if seen[t.name] {
					continue
				}
				seen[t.name] = true
				var lat []int64
				for _, s := range r.samples {
					if r.targets[s.route].name == t.name {
						lat = append(lat, s.ns)
					}
				}
				a, b := percentiles(lat)
				fmt.Fprintf(tw, row, "  · "+t.name, fmt.Sprintf("%.0f", float64(len(lat))/r.elapsed.Seconds()), ms(a), ms(b), "")
			}
		}
	}
	for _, r := range rs {
		if r.firstEr != "" {
			fmt.Fprintf(w, "first error in %q: %s\n", r.name, r.firstEr)
		}
	}
	bare, tasks := rs[0], rs[1]
	ratio := tasks.rate() / bare.rate()
	fmt.Fprintf(w, "\ntask list ÷ bare fiber: %.3f (%.0f / %.0f req/s, same run, %d connections)\n", ratio, tasks.rate(), bare.rate(), c)
	fmt.Fprintf(w, "note: %d CPUs; the load client, the in-process bare fiber app and the fritidsjob subprocess compete for them.\n", runtime.NumCPU())
	fmt.Fprintln(w, "\ngoals (issue):")
	fmt.Fprintf(w, "  %-32s %s (%.1f %%)\n", fmt.Sprintf("task list ≥ %.0f %% of bare fiber:", goalRatio*100), met(ratio >= goalRatio), ratio*100)
	p99note := ""
	if c != goalConns {
		p99note = fmt.Sprintf(" — the goal is stated at %d connections; this run used %d", goalConns, c)
	}
	fmt.Fprintf(w, "  %-32s %s (%s%s)\n", "task list p99 < "+ms(goalP99)+":", met(p99s[1] < goalP99), ms(p99s[1]), p99note)
	fmt.Fprintf(w, "  %-32s %s (%d)\n", "0 errors (all scenarios):", met(totalErrs == 0), totalErrs)
	return totalErrs
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
