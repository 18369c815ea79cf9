package ui

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"fritidsjob/people"
)

// The second factor (TOTP). After the right password, a user who has a
// second factor, or whose role needs one while Config.RequireSecondFactor
// is on, gets a pending session: not logged in, admitted only to the pages
// below (Access.Pending). The right code, or enrolment with a first code,
// turns it into a full session under a new ID.

// Session keys of an enrolment in progress: the new secret and its
// otpauth:// URL, kept server-side until the first code confirms them.
const (
	sessTOTPSecret = "totp_new"
	sessTOTPURL    = "totp_url"
)

// pendingAccess admits the second-factor pages (see Access.Pending).
var pendingAccess = Access{Pending: true}

// secondFactorDue reports whether u must give, or first enrol, a second
// factor before being logged in.
func (a *App) secondFactorDue(u people.User) bool {
	return a.people.HasTOTP(u) || (a.cfg.RequireSecondFactor && a.people.NeedsSecondFactor(u))
}

// secondFactorURL is where a pending login goes next.
func secondFactorURL(enrolled bool, next string) string {
	if enrolled {
		return withNext("/login/totp", next)
	}
	return withNext("/account/totp/setup", next)
}

func withNext(path, next string) string {
	if next = safeNext(next); next == "/" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

// totpUser is the user the TOTP pages are about: the logged-in user, or
// the pending one (pending is then true). authorize has admitted one.
func totpUser(c *fiber.Ctx) (u *people.User, pending bool) {
	if u := currentUser(c); u != nil {
		return u, false
	}
	return pendingUser(c), true
}

func (a *App) totpLoginPage(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	u, pending := totpUser(c)
	if !pending {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	if !a.people.HasTOTP(*u) {
		return c.Redirect(withNext("/account/totp/setup", next), fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, &totpLoginPage{Next: next})
}

// totpLogin checks the code (or a recovery code) of a pending login.
func (a *App) totpLogin(c *fiber.Ctx) error {
	next := safeNext(c.FormValue("next"))
	u, pending := totpUser(c)
	if !pending {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	if !a.people.HasTOTP(*u) {
		return c.Redirect(withNext("/account/totp/setup", next), fiber.StatusSeeOther)
	}
	if err := a.people.VerifyTOTP(u.ID, c.FormValue("code"), a.clientIP(c)); err != nil {
		return a.codeRefused(c, err, func(c *fiber.Ctx, status int, b basePage) error {
			return a.render(c, status, &totpLoginPage{basePage: b, Next: next})
		})
	}
	if err := a.completeLogin(c, *u); err != nil {
		return err
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// codeRefused shows the page again with the reason a code was not taken,
// or passes other errors on.
func (a *App) codeRefused(c *fiber.Ctx, err error, show pageFunc) error {
	var th *people.ThrottledError
	if !errors.Is(err, people.ErrBadCode) && !errors.As(err, &th) {
		return err
	}
	if th != nil {
		c.Set(fiber.HeaderRetryAfter, itoa(int(th.RetryAfter/time.Second)+1))
	}
	return a.refused(c, err, show)
}

// completeLogin turns a pending session into a full one under a new ID.
func (a *App) completeLogin(c *fiber.Ctx, u people.User) error {
	fresh, err := a.people.User(u.ID) // with the step or recovery code just used
	if err != nil {
		return err
	}
	remember := false
	if sess, err := a.session(c); err != nil {
		return err
	} else if sess != nil {
		remember, _ = sess.Get(sessRemember).(bool)
	}
	if err := a.startSession(c, fresh, remember); err != nil {
		return err
	}
	c.Locals(ctxPending, nil)
	c.Locals(ctxUser, &fresh)
	return nil
}

// totpSetupPage shows a new secret as a QR code and in text, or, when a
// second factor is on already, how many recovery codes are left.
func (a *App) totpSetupPage(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	u, pending := totpUser(c)
	if a.people.HasTOTP(*u) {
		if pending {
			return c.Redirect(withNext("/login/totp", next), fiber.StatusSeeOther)
		}
		return a.render(c, fiber.StatusOK, &totpSetupPage{Enabled: true, RecoveryLeft: len(u.RecoveryHashes)})
	}
	return a.renderSetup(c, fiber.StatusOK, *u, pending, next, basePage{})
}

// renderSetup shows the enrolment form with the secret kept in the
// session, making one the first time.
func (a *App) renderSetup(c *fiber.Ctx, status int, u people.User, pending bool, next string, b basePage) error {
	sess, err := a.session(c)
	if err != nil {
		return err
	}
	if sess == nil {
		return errLoginRequired
	}
	secret, _ := sess.Get(sessTOTPSecret).(string)
	link, _ := sess.Get(sessTOTPURL).(string)
	if secret == "" || link == "" {
		var err error
		if secret, link, err = a.people.BeginTOTP(u.ID); err != nil {
			return err
		}
		sess.Set(sessTOTPSecret, secret)
		sess.Set(sessTOTPURL, link)
		if err := a.saveSession(c, sess); err != nil {
			return err
		}
		c.Locals(ctxSession, nil) // Save released it
	}
	qr, err := qrSVG(link)
	if err != nil {
		return err
	}
	return a.render(c, status, &totpSetupPage{basePage: b,
		Next:     next,
		Pending:  pending,
		Required: a.cfg.RequireSecondFactor && a.people.NeedsSecondFactor(u),
		Secret:   groupsOf(secret, 4),
		QR:       qr,
		// Our own otpauth:// URL (html/template would blank the scheme).
		Link: template.URL(link),
	})
}

// totpSetup enables the second factor when the code matches the secret
// kept in the session, and shows the recovery codes once. A pending login
// becomes a full one, under a new session ID.
func (a *App) totpSetup(c *fiber.Ctx) error {
	next := safeNext(c.FormValue("next"))
	u, pending := totpUser(c)
	sess, err := a.session(c)
	if err != nil {
		return err
	}
	if sess == nil {
		return errLoginRequired
	}
	secret, _ := sess.Get(sessTOTPSecret).(string)
	if a.people.HasTOTP(*u) || secret == "" {
		// Enabled already, or no secret shown yet in this session.
		return c.Redirect(withNext("/account/totp/setup", next), fiber.StatusSeeOther)
	}
	codes, err := a.people.EnableTOTP(u.ID, secret, c.FormValue("code"))
	if errors.Is(err, people.ErrBadCode) {
		return a.refused(c, err, func(c *fiber.Ctx, status int, b basePage) error {
			return a.renderSetup(c, status, *u, pending, next, b)
		})
	}
	if err != nil {
		return err
	}
	a.log.Info("second factor enabled", "user", u.ID, "rid", requestID(c))
	if pending {
		if err := a.completeLogin(c, *u); err != nil {
			return err
		}
	} else {
		sess.Delete(sessTOTPSecret)
		sess.Delete(sessTOTPURL)
		if err := a.saveSession(c, sess); err != nil {
			return err
		}
		c.Locals(ctxSession, nil)
	}
	shown := make([]string, len(codes))
	for i, code := range codes {
		shown[i] = code[:5] + "-" + code[5:]
	}
	return a.render(c, fiber.StatusOK, &totpSetupPage{Codes: shown, Next: next})
}

// groupsOf splits s into space-separated groups of n, for reading aloud
// and typing.
func groupsOf(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

// qrSVG draws text as a QR code in inline SVG: one path of dark modules
// on white, quiet zone included. The markup holds only numbers and
// constants, so it is safe to mark as HTML; the CSP allows inline SVG
// (it is not script, and it uses presentation attributes, not style).
func qrSVG(text string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err) // never the text: it holds the secret
	}
	bm := q.Bitmap()
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="totp-qr" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" aria-hidden="true">`, n, n, n*5, n*5)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
