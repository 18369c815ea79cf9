package ui

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

// CSRF protection is a synchronizer token bound to the caller: an HMAC of
// the session ID (or, before login, of a random pre-session cookie) under
// the installation secret. It needs no store write per page, a token from
// another session never matches, and every non-GET request must carry it
// in the form field _csrf (or the X-CSRF-Token header). Cross-site requests
// are also refused by Origin and Sec-Fetch-Site before the token is read.

const csrfField = "_csrf"

// csrfBasis is the value the caller's token is derived from: the session ID
// when logged in (or when only the second factor is still owed), else the
// pre-session cookie ("" when there is none).
func (a *App) csrfBasis(c *fiber.Ctx) string {
	if currentUser(c) != nil || pendingUser(c) != nil {
		// Read the ID saved at load time: fiber recycles a session object
		// after Save, and its ID() is then empty.
		if id, ok := c.Locals(ctxSessID).(string); ok && id != "" {
			return "s:" + id
		}
	}
	if pre := c.Cookies(a.cookies.pre); pre != "" {
		return "p:" + pre
	}
	return ""
}

func (a *App) csrfFor(basis string) string {
	m := hmac.New(sha256.New, a.cfg.Secret)
	m.Write([]byte("csrf\x00" + basis))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken returns the token for forms on this page, first giving an
// anonymous caller a pre-session cookie if it has none.
func (a *App) csrfToken(c *fiber.Ctx) string {
	basis := a.csrfBasis(c)
	if basis == "" {
		pre := randomToken()
		c.Cookie(&fiber.Cookie{
			Name: a.cookies.pre, Value: pre, Path: "/", HTTPOnly: true,
			Secure: a.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode,
		})
		c.Request().Header.SetCookie(a.cookies.pre, pre)
		basis = "p:" + pre
	}
	return a.csrfFor(basis)
}

// checkCSRF refuses state-changing requests without the caller's token.
func (a *App) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if c.Get("Sec-Fetch-Site") == "cross-site" {
		return errCSRF
	}
	if o := c.Get(fiber.HeaderOrigin); o != "" && o != c.Protocol()+"://"+c.Hostname() {
		return errCSRF
	}
	basis := a.csrfBasis(c)
	got := c.FormValue(csrfField)
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	if basis == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.csrfFor(basis))) != 1 {
		return errCSRF
	}
	return c.Next()
}
