package main

// End-to-end tests of the real binary: TestMain builds it once, and every
// test runs it as a subprocess on its own data directory and a free port on
// 127.0.0.1.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binPath is the binary built by TestMain.
var binPath string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "fritidsjob-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binPath = filepath.Join(dir, "fritidsjob")
	// The environment (GOTOOLCHAIN and all) is inherited.
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "go build:", err)
		return 1
	}
	return m.Run()
}

// syncBuffer is a bytes.Buffer safe to read while a process writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// result is what a finished command left behind.
type result struct {
	stdout, stderr string
	code           int // exit code; -1 when killed by a signal
	err            error
}

// runCmd runs the binary to completion within timeout.
func runCmd(t *testing.T, stdin string, timeout time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("fritidsjob %s did not finish within %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), timeout, stdout.String(), stderr.String())
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), err: err}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("run fritidsjob %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// server is a running 'fritidsjob serve' subprocess.
type server struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT
	data   string
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, valid after done
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

// startServer starts the web app on data and waits until /healthz answers.
// The process is killed in t.Cleanup if the test has not stopped it.
func startServer(t *testing.T, data string, extra ...string) *server {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args := append([]string{"-data", data, "-addr", addr}, extra...)
	s := &server{
		cmd:    exec.Command(binPath, args...),
		base:   "http://" + addr,
		data:   data,
		stdout: &syncBuffer{},
		stderr: &syncBuffer{},
		done:   make(chan struct{}),
	}
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start server: %v", err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})

	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case <-s.done:
			t.Fatalf("server exited before it was ready: %v\nstdout:\n%s\nstderr:\n%s", s.err, s.stdout, s.stderr)
		default:
		}
		resp, err := hc.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s not healthy within 15 s (last: %v)\nstdout:\n%s\nstderr:\n%s", s.base, err, s.stdout, s.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits up to timeout; it returns the exit error.
func (s *server) stop(t *testing.T, timeout time.Duration) error {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
		return s.err
	case <-time.After(timeout):
		t.Fatalf("server did not exit within %s of SIGTERM\nstderr:\n%s", timeout, s.stderr)
		return nil
	}
}

// newClient is a browser-like client: a cookie jar, no redirect following.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfFrom extracts the CSRF token from a page's form.
func csrfFrom(t *testing.T, html string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no _csrf field in page:\n%s", html)
	}
	return m[1]
}

// get fetches path and returns status and body.
func get(t *testing.T, hc *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// login logs in through the login form and fails the test unless the
// server answers 303 to "/". It returns the logged-in client.
func login(t *testing.T, base, username, secret string) *http.Client {
	t.Helper()
	hc := newClient(t)
	status, body := get(t, hc, base+"/login")
	if status != http.StatusOK {
		t.Fatalf("GET /login: %d\n%s", status, body)
	}
	resp, err := hc.PostForm(base+"/login", url.Values{
		"username": {username}, "secret": {secret}, "_csrf": {csrfFrom(t, body)}, "next": {"/"},
	})
	if err != nil {
		t.Fatalf("POST /login: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login as %s: %d Location=%q, want 303 to /\n%s", username, resp.StatusCode, resp.Header.Get("Location"), b)
	}
	return hc
}

// oneLine fails unless s is exactly one non-empty line.
func oneLine(t *testing.T, what, s string) {
	t.Helper()
	s = strings.TrimSuffix(s, "\n")
	if s == "" || strings.Contains(s, "\n") {
		t.Errorf("%s should be one line, got:\n%s", what, s)
	}
}

// daMessage returns the Danish text of a message key from ui's catalogue
// files, escaped as a page shows it, so that tests of the binary name the
// message they expect instead of repeating its wording.
func daMessage(t *testing.T, key string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "ui", "locales", "da*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Danish catalogue: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if raw, ok := m[key]; ok {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("%s: %s is not a plain message: %v", name, key, err)
			}
			var esc strings.Builder // as html/template writes it in a page
			if err := template.Must(template.New("").Parse("{{.}}")).Execute(&esc, s); err != nil {
				t.Fatal(err)
			}
			return esc.String()
		}
	}
	t.Fatalf("message %q is not in the Danish catalogue", key)
	return ""
}

func TestDemoStartsAndServes(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, data, "-demo")
	out := s.stdout.String()
	for _, want := range []string{"amira", "demo-kode-2026", "Blåbærparken", "jorgen", "employer_contact"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo stdout lacks %q:\n%s", want, out)
		}
	}
	hc := newClient(t)
	status, body := get(t, hc, s.base+"/login")
	if want := daMessage(t, "login.title"); status != http.StatusOK || !strings.Contains(body, want) {
		t.Errorf("GET /login: %d, want 200 with %q\n%s", status, want, body)
	}
	if status, body := get(t, hc, s.base+"/readyz"); status != http.StatusOK {
		t.Errorf("GET /readyz: %d %s", status, body)
	}
	if fi, err := os.Stat(filepath.Join(data, "fritidsjob.db")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("database file: %v", err)
	}
	fi, err := os.Stat(filepath.Join(data, "secret"))
	if err != nil {
		t.Fatalf("secret file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret mode %o, want 600", perm)
	}
	// The caretaker manages the tasks he posted, not the coordinator's.
	_, tasks := get(t, login(t, s.base, "bjarne", demoPassword), s.base+"/a/1/manage/tasks")
	for title, want := range map[string]bool{"Vedligehold af legepladsen": true, "Oprydning af cykelkælderen": true, "Hjælp til fællesspisning": false} {
		if strings.Contains(tasks, title) != want {
			t.Errorf("bjarne's task list: %q shown %v, want %v", title, !want, want)
		}
	}
	// Amira moved up from a waitlist: her inbox has the message and the bell counts it.
	_, inbox := get(t, login(t, s.base, "amira", demoPIN), s.base+"/inbox")
	if !strings.Contains(inbox, "Kaffe og kage til beboermødet") || !strings.Contains(inbox, `id="unread-count"`) {
		t.Errorf("amira's inbox lacks the promotion or the bell:\n%s", inbox)
	}
	// The admin's outbox is populated: a failed SMS with the gateway's
	// reason, a queued one waiting for a retry, and sent ones counted.
	_, outbox := get(t, login(t, s.base, "admin", demoPassword), s.base+"/admin/outbox")
	for _, want := range []string{"the recipient number is not a mobile number", `class="badge state-failed"`,
		`class="badge state-queued"`, `id="outbox-off-sms"`} {
		if !strings.Contains(outbox, want) {
			t.Errorf("the demo's outbox lacks %q", want)
		}
	}
	// Mette has a follow-up notice and the week's digest; Jørgen hears of
	// the candidates shared with Føtex.
	_, inbox = get(t, login(t, s.base, "mette", demoPassword), s.base+"/inbox")
	followUp, _, _ := strings.Cut(daMessage(t, "notify.followup_due"), "%")
	if !strings.Contains(inbox, strings.ReplaceAll(daMessage(t, "notify.coordinator_digest")[:len("Ugen i %s")], "%s", "Blåbærparken")) || !strings.Contains(inbox, `href="/a/1/pipeline"`) ||
		!strings.Contains(inbox, followUp) || !strings.Contains(inbox, "/pipeline\"") {
		t.Errorf("mette's inbox lacks the digest or the follow-up:\n%s", inbox)
	}
	_, inbox = get(t, login(t, s.base, "jorgen", demoPassword), s.base+"/inbox")
	if !strings.Contains(inbox, "Føtex Gellerup") || !strings.Contains(inbox, `href="/a/1/portal"`) {
		t.Errorf("jorgen's inbox lacks the shared candidate:\n%s", inbox)
	}
	if err := s.stop(t, 10*time.Second); err != nil {
		t.Fatalf("server exit: %v\n%s", err, s.stderr)
	}

	// A second start with -demo on the same data adds nothing.
	s2 := startServer(t, data, "-demo")
	out2 := s2.stdout.String()
	if !strings.Contains(out2, "no demo data was added") {
		t.Errorf("second -demo start should say no demo data was added:\n%s", out2)
	}
	if strings.Contains(out2, "Demo: added") {
		t.Errorf("second -demo start seeded again:\n%s", out2)
	}
	if err := s2.stop(t, 10*time.Second); err != nil {
		t.Fatalf("second server exit: %v\n%s", err, s2.stderr)
	}
}

func TestSecondProcessFailsFast(t *testing.T) {
	data := t.TempDir()
	startServer(t, data)
	start := time.Now()
	r := runCmd(t, "", 5*time.Second, "-data", data, "-addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)))
	t.Logf("second process exited %d after %s", r.code, time.Since(start).Round(time.Millisecond))
	if r.code == 0 {
		t.Fatalf("second server on the same data exited 0\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	oneLine(t, "stderr", r.stderr)
	if !strings.Contains(r.stderr, "in use") {
		t.Errorf("stderr should say the database is in use:\n%s", r.stderr)
	}
}

func TestBackupWhileServing(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, data, "-demo")
	admin := login(t, s.base, "admin", demoPassword)
	status, page := get(t, admin, s.base+"/admin")
	if status != http.StatusOK {
		t.Fatalf("GET /admin: %d\n%s", status, page)
	}
	token := csrfFrom(t, page)

	// Write load: new areas through the admin form while the backup runs,
	// stopped when the backup is done or at the latest after 2 s / 1000.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	firstWrite := make(chan struct{})
	type loadResult struct {
		n   int
		err error
	}
	loadDone := make(chan loadResult, 1)
	go func() {
		n := 0
		defer func() {
			if n == 0 {
				close(firstWrite)
			}
		}()
		for i := 1; i <= 1000 && ctx.Err() == nil; i++ {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/admin/areas", strings.NewReader(url.Values{
				"_csrf": {token}, "name": {fmt.Sprintf("Lastområde %d", i)}, "municipality": {"Testkommune"},
			}.Encode()))
			if err != nil {
				loadDone <- loadResult{n, err}
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := admin.Do(req)
			if err != nil {
				if ctx.Err() != nil {
					break
				}
				loadDone <- loadResult{n, err}
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				loadDone <- loadResult{n, fmt.Errorf("POST /admin/areas #%d: status %d", i, resp.StatusCode)}
				return
			}
			n++
			if n == 1 {
				close(firstWrite)
			}
		}
		loadDone <- loadResult{n, nil}
	}()

	<-firstWrite
	out := filepath.Join(t.TempDir(), "backup.db")
	br := runCmd(t, "", 20*time.Second, "backup", "-data", data, out)
	loadStillRunning := ctx.Err() == nil && len(loadDone) == 0
	cancel()
	lr := <-loadDone
	if lr.err != nil {
		t.Fatalf("write load: %v", lr.err)
	}
	t.Logf("write load: %d areas created; load still running when the backup finished: %v", lr.n, loadStillRunning)
	if lr.n == 0 {
		t.Fatal("write load created no areas")
	}
	if br.code != 0 || !strings.Contains(br.stdout, "backup written to") {
		t.Fatalf("backup: exit %d\nstdout:\n%s\nstderr:\n%s", br.code, br.stdout, br.stderr)
	}
	if !strings.Contains(s.stderr.String(), "backup written over control socket") {
		t.Errorf("the backup did not go through the server's control socket; server log:\n%s", s.stderr)
	}

	cr := runCmd(t, "", 20*time.Second, "check", "-data", data)
	if cr.code != 0 || !strings.Contains(cr.stdout, "OK") {
		t.Fatalf("check on the serving data: exit %d\nstdout:\n%s\nstderr:\n%s", cr.code, cr.stdout, cr.stderr)
	}

	// Restore: the backup as the database of a fresh data directory.
	restored := t.TempDir()
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "fritidsjob.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	// The installation secret, kept apart from the backups, goes beside it:
	// youths' data keys and every secret's pepper derive from it.
	sec, err := os.ReadFile(filepath.Join(data, "secret"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "secret"), sec, 0o600); err != nil {
		t.Fatal(err)
	}
	cr = runCmd(t, "", 20*time.Second, "check", "-data", restored)
	if cr.code != 0 || strings.TrimSpace(cr.stdout) != "OK" {
		t.Fatalf("check on the restored backup: exit %d\nstdout:\n%s\nstderr:\n%s", cr.code, cr.stdout, cr.stderr)
	}
	s2 := startServer(t, restored, "-require-2fa=false") // no -demo: a second factor would be required
	admin2 := login(t, s2.base, "admin", demoPassword)
	status, page = get(t, admin2, s2.base+"/admin")
	if status != http.StatusOK || !strings.Contains(page, "Blåbærparken") {
		t.Fatalf("restored GET /admin: %d, want 200 listing Blåbærparken\n%s", status, page)
	}
	if !strings.Contains(page, "Lastområde 1<") {
		t.Errorf("restored admin page lacks the area written before the backup started")
	}
}

func TestGracefulShutdown(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, data)
	sock := filepath.Join(data, "control.sock")
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatalf("control socket while serving: %v", err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("control socket mode %v, want a 0600 socket", fi.Mode())
	}
	start := time.Now()
	if err := s.stop(t, 10*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v, want 0\nstderr:\n%s", err, s.stderr)
	}
	t.Logf("exited %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	if _, err := os.Lstat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("control socket still there after shutdown: %v", err)
	}
	r := runCmd(t, "", 20*time.Second, "check", "-data", data)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
		t.Fatalf("check after shutdown: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestDataDirNotWritable(t *testing.T) {
	// Below a regular file: fails the same way as root or not.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, "", 10*time.Second, "-data", filepath.Join(file, "sub"), "-addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)))
	if r.code == 0 {
		t.Fatalf("serve on an impossible data directory exited 0\nstderr:\n%s", r.stderr)
	}
	oneLine(t, "stderr", r.stderr)
	if !strings.Contains(r.stderr, "data directory") {
		t.Errorf("stderr should mention the data directory:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine") {
		t.Errorf("stderr looks like a panic:\n%s", r.stderr)
	}
}

func TestUserAddAdmin(t *testing.T) {
	data := t.TempDir()
	r := runCmd(t, "et-langt-kodeord-42\n", 20*time.Second,
		"user", "add", "-data", data, "-username", "boss", "-name", "Bo Ssø", "-admin")
	if r.code != 0 || !strings.Contains(r.stdout, "created") {
		t.Fatalf("user add: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, "kort\n", 20*time.Second,
		"user", "add", "-data", data, "-username", "shorty", "-name", "Kort Kode")
	if r.code == 0 {
		t.Fatalf("user add with a short password exited 0\nstdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "password") {
		t.Errorf("short password error should mention the password:\n%s", r.stderr)
	}
	s := startServer(t, data, "-require-2fa=false") // the second factor is tested in ui
	admin := login(t, s.base, "boss", "et-langt-kodeord-42")
	if status, body := get(t, admin, s.base+"/admin"); status != http.StatusOK {
		t.Errorf("boss GET /admin: %d, want 200\n%s", status, body)
	}
}

func TestUnknownCommand(t *testing.T) {
	r := runCmd(t, "", 10*time.Second, "frobnicate")
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	if !strings.Contains(r.stderr, "Usage:") || !strings.Contains(r.stderr, "frobnicate") {
		t.Errorf("stderr should name the command and show the usage:\n%s", r.stderr)
	}
}
