package ui

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/people"
)

// chromium finds a Chromium on PATH, or skips (fails when CI requires it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("FRITIDSJOB_REQUIRE_BROWSER") != "" {
		t.Fatal("chromium not found on PATH, and FRITIDSJOB_REQUIRE_BROWSER is set")
	}
	t.Skip("chromium not on PATH; install it (apt-get install chromium) to run browser tests")
	return ""
}

// newBrowser starts a headless Chromium with a phone-size viewport.
func newBrowser(t *testing.T, width, height int64) context.Context {
	t.Helper()
	ctx := startBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulatePortrait)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// startBrowser starts a headless Chromium and returns its first tab.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(412, 915),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// TestBrowserYouthPhone logs in as a youth on a 360 px wide phone screen,
// switches to English and back, and logs out, in real Chromium.
func TestBrowserYouthPhone(t *testing.T) {
	f := newFixture(t)
	base := f.serve()
	ctx := newBrowser(t, 360, 740)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	// FRITIDSJOB_SCREENSHOT_DIR keeps a PNG of each screen, to look at.
	shot := func(name string) {
		if dir := os.Getenv("FRITIDSJOB_SCREENSHOT_DIR"); dir != "" {
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(dir+"/"+name+".png", png, 0o644)
			}
		}
	}
	noSideScroll := func(where string) {
		t.Helper()
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if overflow {
			t.Errorf("%s: page is wider than the 360 px screen", where)
		}
	}

	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("username")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if h := text("h1"); h != f.text("login.title") {
		t.Fatalf("login heading %q, want Danish", h)
	}
	noSideScroll("login")
	shot("login")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("username"), "youthA"),
		chromedp.SendKeys(chromedp.ID("secret"), peoplekit.PIN),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("greeting")),
	)
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	if g := text("#greeting"); !strings.Contains(g, f.text("home.hello", "Bruger youthA Ærø")) {
		t.Fatalf("greeting %q", g)
	}
	if s := text(".role-youth h2"); s != f.text("youth.my_tasks") {
		t.Fatalf("youth section %q", s)
	}
	noSideScroll("youth home")
	shot("youth-home")

	// Switch to English; the page comes back in English.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`))); err != nil {
		t.Fatalf("switch to English: %v", err)
	}
	if s := text(".role-youth h2"); s != f.textIn("en", "youth.my_tasks") {
		t.Fatalf("after switch: %q", s)
	}
	// Reload: the choice is remembered.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"]`))); err != nil {
		t.Fatalf("reload: %v", err)
	}
	// And back to Danish.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="da"]`))); err != nil {
		t.Fatalf("switch to Danish: %v", err)
	}
	if s := text(".role-youth h2"); s != f.text("youth.my_tasks") {
		t.Fatalf("after switching back: %q", s)
	}
	// The logout button is reachable by keyboard: focus it and press Enter.
	if err := chromedp.Do(ctx,
		chromedp.Focus(chromedp.ID("logout")),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("username")),
	); err != nil {
		t.Fatalf("log out: %v", err)
	}
	if h := text("h1"); h != f.text("login.title") {
		t.Fatalf("after logout: %q", h)
	}
	shot("logged-out")
	// After logout the start page needs a login again.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("username"))); err != nil {
		t.Fatal(err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "/login") {
		t.Fatalf("after logout / went to %s", url)
	}
}

// TestBrowserClaimApprovePoints: a youth claims a task on a phone and
// records the hours, a coordinator approves it in another browser, and the
// youth sees the points arrive.
func TestBrowserClaimApprovePoints(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.SessionIdle = 30 * 24 * time.Hour; c.SessionMax = 30 * 24 * time.Hour })
	ts, err := f.jobs.CreateTask(f.areaA.ID, f.users["coorda"].ID, jobs.NewTask{Title: "Børnepasning under beboermødet",
		Place: "Fælleshuset", Supervisor: "Bjarne Ærø", Category: jobs.CatChildcare, Commissioner: jobs.ByDepartmentBoard,
		Start: time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen), End: time.Date(2026, 11, 28, 12, 0, 0, 0, people.Copenhagen),
		Slots: 3, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 75, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(int(ts[0].ID))
	base := f.serve()
	youth := newBrowser(t, 360, 740)
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	login := func(ctx context.Context, user, secret string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("secret"), secret),
			chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("greeting"))); err != nil {
			t.Fatalf("log in %s: %v", user, err)
		}
	}
	login(youth, "youthA", peoplekit.PIN)
	err = chromedp.Do(youth,
		chromedp.Click(chromedp.ID("go-tasks")),
		chromedp.WaitVisible(chromedp.ID("claim-"+id)),
		chromedp.Click(chromedp.ID("claim-"+id)),
		chromedp.WaitVisible(chromedp.ID("done")),
	)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	if s := text(youth, "#my-task-"+id); !strings.Contains(s, f.text("tasks.you_have_slot")) {
		t.Fatalf("after claim: %q", s)
	}
	// Saturday comes; afterwards the youth enters the hours (the form is prefilled).
	f.clock.Add(4 * 24 * time.Hour)
	if err := chromedp.Do(youth, chromedp.Navigate(base+areaPath(f.areaA, "/tasks")), chromedp.WaitVisible(chromedp.ID("my-task-"+id))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(youth, chromedp.Click(chromedp.CSS("#my-task-"+id+" summary"))); err != nil {
		t.Fatal(err)
	}
	step := func(name string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(youth, 10*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, a); err != nil {
			loc, _ := chromedp.Run(youth, chromedp.Location())
			body, _ := chromedp.Run(youth, chromedp.Text(chromedp.CSS("main")))
			t.Fatalf("%s: %v at %s\n%s", name, err, loc, body)
		}
	}
	step("hours button", chromedp.WaitVisible(chromedp.ID("hours-"+id)))
	step("click", chromedp.Click(chromedp.ID("hours-"+id)))
	step("result", chromedp.WaitVisible(chromedp.CSS("#done")))
	if s := text(youth, "main"); !strings.Contains(s, f.text("done.hours_recorded")) {
		t.Fatalf("after sending hours: %q", s)
	}
	// The coordinator, in a browser of their own, approves.
	coord := startBrowser(t)
	login(coord, "coordA", testPassword)
	err = chromedp.Do(coord,
		chromedp.Click(chromedp.ID("go-approvals")),
		chromedp.WaitVisible(chromedp.ID("approve")),
		chromedp.Click(chromedp.ID("approve")),
		chromedp.WaitVisible(chromedp.ID("queue-empty")),
	)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	err = chromedp.Do(youth, chromedp.Navigate(base+areaPath(f.areaA, "/points")), chromedp.WaitVisible(chromedp.ID("balance-points")))
	if err != nil {
		t.Fatal(err)
	}
	if s := text(youth, "#balance-points"); s != "75" {
		t.Fatalf("youth sees %q points, want 75", s)
	}
}

// TestBrowserCV: on a phone-size screen a youth edits the CV's profile,
// previews it and downloads the PDF.
func TestBrowserCV(t *testing.T) {
	f := newFixture(t)
	f.approvedWork(t, f.users["youtha"].ID, "childcare", "2026-10-10", 120)
	base := f.serve()
	ctx := newBrowser(t, 360, 740)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "youthA"), chromedp.SendKeys(chromedp.ID("secret"), peoplekit.PIN),
		chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("go-cv")),
		chromedp.Click(chromedp.ID("go-cv")), chromedp.WaitVisible(chromedp.ID("cv-profile")),
		chromedp.SendKeys(chromedp.ID("cv-profile"), "Jeg passer børn i Blåbærparken og er god til at rydde op."),
		chromedp.Click(chromedp.ID("cv-save")), chromedp.WaitVisible(chromedp.ID("done")),
		chromedp.Click(chromedp.ID("cv-preview")), chromedp.WaitVisible(chromedp.ID("cv-name")),
	)
	if err != nil {
		t.Fatalf("edit and preview: %v", err)
	}
	sheet, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".cv-sheet")))
	if err != nil || !strings.Contains(sheet, "Jeg passer børn i Blåbærparken") || !strings.Contains(sheet, f.text("cat.childcare")) {
		t.Fatalf("preview: %q, %v", sheet, err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || overflow {
		t.Fatalf("preview wider than the screen: %v %v", overflow, err)
	}
	// Download the PDF the way the link does, with the browser's own session.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("preview-pdf").href)
		.then(r => r.arrayBuffer().then(b => r.headers.get("content-type") + "|" + r.headers.get("content-disposition") + "|" +
			String.fromCharCode(...new Uint8Array(b.slice(0, 5)))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(got, "|")
	if len(parts) != 3 || parts[0] != "application/pdf" || !strings.Contains(parts[1], "attachment") || parts[2] != "%PDF-" {
		t.Fatalf("PDF download: %q", got)
	}
}

// TestBrowserCancelTaskAsksFirst: on a phone-size screen, a coordinator's
// first tap on "Aflys opgaven" only opens the warning; the second, on
// "Ja, aflys opgaven", cancels the task.
func TestBrowserCancelTaskAsksFirst(t *testing.T) {
	f := newFixture(t)
	task := f.openTask("Rydde fælleshuset")
	base := f.serve()
	ctx := newBrowser(t, 360, 740)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "coordA"), chromedp.SendKeys(chromedp.ID("secret"), testPassword),
		chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("greeting")),
		chromedp.Navigate(base+areaPath(f.areaA, "/manage/tasks/"+itoa(int(task.ID)))),
		chromedp.WaitVisible(chromedp.CSS("#confirm-cancel summary")))
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById("to-cancelled").checkVisibility()`))
	if err != nil || !hidden {
		t.Fatalf("the cancel button shows before the warning is opened (%v)", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#confirm-cancel summary")), chromedp.WaitVisible(chromedp.ID("to-cancelled"))); err != nil {
		t.Fatalf("open the warning: %v", err)
	}
	if got, _ := f.jobs.Task(f.areaA.ID, task.ID); got.Status != jobs.StatusOpen {
		t.Fatalf("opening the warning changed the task: %s", got.Status)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("to-cancelled")), chromedp.WaitVisible(chromedp.ID("done"))); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if got, _ := f.jobs.Task(f.areaA.ID, task.ID); got.Status != jobs.StatusCancelled {
		t.Fatalf("after the second tap the task is %s, want cancelled", got.Status)
	}
}
