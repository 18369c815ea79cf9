package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserEmployerBridging: on 360 px phone screens a coordinator
// registers an employer with a contact login, posts an opening and shares
// a candidate with the youth's consent; the employer's contact logs in,
// finds the candidate in the portal and records interview feedback.
func TestBrowserEmployerBridging(t *testing.T) {
	f := newFixture(t)
	base := f.serve()
	youth := f.users["youtha"]
	login := func(ctx context.Context, user string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("secret"), testPassword),
			chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("greeting"))); err != nil {
			t.Fatalf("log in %s: %v", user, err)
		}
	}
	step := func(ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
			t.Fatalf("%s: %v at %s\n%s", name, err, loc, body)
		}
	}
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	fits := func(ctx context.Context, where string) {
		t.Helper()
		// FRITIDSJOB_SCREENSHOT_DIR keeps a PNG of each screen, to look at.
		if dir := os.Getenv("FRITIDSJOB_SCREENSHOT_DIR"); dir != "" {
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(filepath.Join(dir, "employers-"+strings.ReplaceAll(where, " ", "-")+".png"), png, 0o644)
			}
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || overflow {
			t.Errorf("%s: wider than the 360 px screen (%v)", where, err)
		}
	}

	coord := newBrowser(t, 360, 740)
	login(coord, "coordA")
	step(coord, "register employer",
		chromedp.Click(chromedp.ID("go-employers")), chromedp.WaitVisible(chromedp.ID("e-name")),
		chromedp.SendKeys(chromedp.ID("e-name"), "Dyrenes Hus"),
		chromedp.SendKeys(chromedp.ID("e-cvr"), validCVR(2345678)),
		chromedp.SendKeys(chromedp.ID("e-industry"), "Dyrehandel"),
		chromedp.SetValue(chromedp.ID("contact-user"), itoa(int(f.users["empla"].ID))),
		chromedp.Click(chromedp.ID("create-employer")), chromedp.WaitVisible(chromedp.ID("employer-name")))
	if s := text(coord, "#done"); !strings.Contains(s, "oprettet") {
		t.Fatalf("after registering: %q", s)
	}
	fits(coord, "employer page")
	step(coord, "open contact form",
		chromedp.Click(chromedp.CSS("#contacts li details summary")), chromedp.WaitVisible(chromedp.ID("e-phone-0")))
	fits(coord, "contact form")
	step(coord, "correct contact",
		chromedp.SendKeys(chromedp.ID("e-phone-0"), "86 12 34 56"),
		chromedp.Click(chromedp.ID("save-contact-0")), chromedp.WaitVisible(chromedp.ID("done")))
	if s := text(coord, "#contacts"); !strings.Contains(s, "86 12 34 56") {
		t.Fatalf("contacts after the correction: %q", s)
	}
	fits(coord, "employer page after a contact correction")
	step(coord, "post opening",
		chromedp.Click(chromedp.CSS("#new-opening summary")), chromedp.WaitVisible(chromedp.ID("o-role")),
		chromedp.SendKeys(chromedp.ID("o-role"), "Dyrepasser"),
		chromedp.SetValue(chromedp.ID("o-hours"), "6"),
		chromedp.SetValue(chromedp.ID("o-age"), "15"),
		chromedp.SetValue(chromedp.ID("o-start"), "2026-12-01"),
		chromedp.SendKeys(chromedp.ID("o-wage"), "72,50"),
		chromedp.Click(chromedp.ID("create-opening")), chromedp.WaitVisible(chromedp.ID("opening-role")))
	if s := text(coord, "#opening-role"); s != "Dyrepasser" {
		t.Fatalf("opening page: %q", s)
	}
	fits(coord, "opening page")
	step(coord, "share candidate",
		chromedp.Click(chromedp.CSS("p.eyebrow a")), chromedp.WaitVisible(chromedp.ID("share-form")),
		chromedp.SetValue(chromedp.ID("s-youth"), itoa(int(youth.ID))),
		chromedp.Click(chromedp.ID("s-consent")),
		chromedp.Click(chromedp.ID("share-candidate")), chromedp.WaitVisible(chromedp.ID("done")))
	if s := text(coord, "#shares"); !strings.Contains(s, youth.DisplayName) {
		t.Fatalf("shared candidates: %q", s)
	}

	// From the start page to the youth's pipeline, and the first move.
	step(coord, "pipeline",
		chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("go-pipeline")),
		chromedp.Click(chromedp.ID("go-pipeline")), chromedp.WaitVisible(chromedp.ID("pipeline-youths")),
		chromedp.Click(chromedp.CSS(`#pipeline-youths a[href$="/youths/`+itoa(int(youth.ID))+`/pipeline"]`)),
		chromedp.WaitVisible(chromedp.ID("move-form")),
		chromedp.SendKeys(chromedp.ID("m-why"), "Mødt i fælleshuset"),
		chromedp.Click(chromedp.ID("move")), chromedp.WaitVisible(chromedp.ID("done")))
	if s := text(coord, "#stage"); s != f.text("stage.outreach") {
		t.Fatalf("stage after the first move: %q", s)
	}
	fits(coord, "pipeline page")

	empl := newBrowser(t, 360, 740)
	login(empl, "emplA")
	step(empl, "portal",
		chromedp.Click(chromedp.ID("go-portal")), chromedp.WaitVisible(chromedp.CSS(".candidates a")))
	fits(empl, "portal")
	step(empl, "feedback",
		chromedp.Click(chromedp.CSS(".candidates a")), chromedp.WaitVisible(chromedp.ID("candidate-name")),
		chromedp.Click(chromedp.ID("fb-interview")),
		chromedp.SendKeys(chromedp.ID("fb-text"), "God samtale. Hun starter på mandag."),
		chromedp.Click(chromedp.ID("give-feedback")), chromedp.WaitVisible(chromedp.ID("done")))
	if s := text(empl, "#feedback"); !strings.Contains(s, "God samtale. Hun starter på mandag.") || !strings.Contains(s, f.text("feedback.kind.interview")) {
		t.Fatalf("feedback list: %q", s)
	}
	fits(empl, "candidate page")
	es, err := f.app.employers.Employers(f.areaA.ID)
	if err != nil || len(es) != 1 {
		t.Fatalf("employers: %v, %v", es, err)
	}
	fb, err := f.app.employers.FeedbackFor(f.areaA.ID, es[0].ID, youth.ID)
	if err != nil || len(fb) != 1 || fb[0].By != f.users["empla"].ID {
		t.Fatalf("stored feedback: %+v, %v", fb, err)
	}
}
