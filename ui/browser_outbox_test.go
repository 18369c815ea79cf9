package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
)

// TestBrowserInboxContactOutboxAt360: on a 360 px phone screen a youth
// with unread messages sees the count on the bell, opens the inbox,
// marks it read (the count goes), and saves a phone number with SMS
// chosen; an administrator opens the outbox with failed messages. No
// page is wider than the screen.
func TestBrowserInboxContactOutboxAt360(t *testing.T) {
	longReason := "gateway 422: " + strings.Repeat("invalid-recipient-", 8)
	f, _ := outboxFixture(t, 3, 0, func(notify.Message) error { return notify.Permanent(errors.New(longReason)) })
	base := f.serve()
	ctx := newBrowser(t, 360, 740)
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	noSideScroll := func(ctx context.Context, where string) {
		t.Helper()
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if overflow {
			t.Errorf("%s: page is wider than the 360 px screen", where)
		}
	}
	// FRITIDSJOB_SCREENSHOT_DIR keeps a PNG of each screen, to look at.
	shot := func(ctx context.Context, name string) {
		if dir := os.Getenv("FRITIDSJOB_SCREENSHOT_DIR"); dir != "" {
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(dir+"/"+name+".png", png, 0o644)
			}
		}
	}
	login := func(ctx context.Context, user, secret string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("secret"), secret),
			chromedp.Click(chromedp.ID("login-submit")), chromedp.WaitVisible(chromedp.ID("greeting"))); err != nil {
			t.Fatalf("log in %s: %v", user, err)
		}
	}

	login(ctx, "youthA", peoplekit.PIN)
	if n := text(ctx, "#unread-count"); n != "3" {
		t.Fatalf("bell shows %q, want 3", n)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("nav-inbox")), chromedp.WaitVisible(chromedp.ID("inbox-mark-read"))); err != nil {
		t.Fatalf("open the inbox: %v", err)
	}
	noSideScroll(ctx, "inbox")
	shot(ctx, "inbox")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("inbox-mark-read")), chromedp.WaitVisible(chromedp.CSS(`p[role="status"]`))); err != nil {
		t.Fatalf("mark read: %v", err)
	}
	if s := text(ctx, "#inbox-unread"); s != f.text("inbox.all_read") {
		t.Errorf("after marking read: %q", s)
	}
	gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("unread-count") === null`))
	if err != nil || !gone {
		t.Errorf("the bell still shows a count after marking read (%v)", err)
	}
	noSideScroll(ctx, "inbox after marking read")

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("nav-account")), chromedp.WaitVisible(chromedp.ID("contact-phone"))); err != nil {
		t.Fatalf("open the account page: %v", err)
	}
	noSideScroll(ctx, "account")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("contact-phone"), "31 22 33 44"),
		chromedp.Click(chromedp.ID("contact-save")), chromedp.WaitVisible(chromedp.ID("done"))); err != nil {
		t.Fatalf("save contact: %v", err)
	}
	if u, _ := f.ppl.User(f.users["youtha"].ID); u.Contact.Phone != "+4531223344" || !u.Contact.SMS {
		t.Errorf("saved contact %+v", u.Contact)
	}
	noSideScroll(ctx, "account after saving")
	shot(ctx, "account-contact")

	adm := newBrowser(t, 360, 740)
	login(adm, "admin", testPassword)
	if err := chromedp.Do(adm, chromedp.Navigate(base+"/admin/outbox"), chromedp.WaitVisible(chromedp.ID("outbox-list"))); err != nil {
		t.Fatalf("open the outbox: %v", err)
	}
	if s := text(adm, "#outbox-list"); !strings.Contains(s, longReason) {
		t.Errorf("outbox lacks the provider's reason: %q", s)
	}
	noSideScroll(adm, "admin outbox")
	shot(adm, "admin-outbox")
}
