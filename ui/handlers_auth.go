package ui

import (
	"errors"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

func (a *App) loginPage(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, &loginPage{Next: safeNext(c.Query("next"))})
}

// login checks the credentials. A wrong password and an unknown user give
// the same page, status and (argon2id-bound) timing.
func (a *App) login(c *fiber.Ctx) error {
	username := c.FormValue("username")
	next := safeNext(c.FormValue("next"))
	u, err := a.people.Login(username, c.FormValue("secret"), a.clientIP(c))
	var th *people.ThrottledError
	if errors.Is(err, people.ErrBadCredentials) || errors.Is(err, people.ErrDisabled) || errors.Is(err, people.ErrLocked) || errors.As(err, &th) {
		status, msg := a.explain(c, err)
		if th != nil {
			c.Set(fiber.HeaderRetryAfter, itoa(int(th.RetryAfter/time.Second)+1))
		}
		return a.render(c, status, &loginPage{
			basePage: basePage{Error: msg}, Next: next, Username: username,
		})
	}
	if err != nil {
		return err
	}
	remember := c.FormValue("remember") == "1"
	if a.secondFactorDue(u) {
		// Not logged in yet: the session only remembers that the password
		// was right, and the next stop is the code (or enrolment).
		if err := a.startPendingSession(c, u, remember); err != nil {
			return err
		}
		if err := a.rememberLang(c, u); err != nil {
			return err
		}
		return c.Redirect(secondFactorURL(a.people.HasTOTP(u), next), fiber.StatusSeeOther)
	}
	if err := a.startSession(c, u, remember); err != nil {
		return err
	}
	c.Locals(ctxUser, &u)
	if err := a.rememberLang(c, u); err != nil {
		return err
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// rememberLang gives the browser the account's language, or keeps the
// language chosen on the login page for an account without one.
func (a *App) rememberLang(c *fiber.Ctx, u people.User) error {
	if u.Lang != "" {
		a.setLangCookie(c, u.Lang)
	} else if l := c.Cookies(a.cookies.lang); l != "" {
		return a.people.SetLang(u.ID, pickLang(l))
	}
	return nil
}

func (a *App) logout(c *fiber.Ctx) error {
	if err := a.endSession(c); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// setLang switches the language, remembered in a cookie and, when logged
// in, on the account.
func (a *App) setLang(c *fiber.Ctx) error {
	lang := c.FormValue("lang")
	if pickLang(lang) != lang {
		return fiber.ErrBadRequest
	}
	if u := currentUser(c); u != nil {
		if err := a.people.SetLang(u.ID, lang); err != nil {
			return err
		}
	}
	a.setLangCookie(c, lang)
	return c.Redirect(safeNext(c.FormValue("next")), fiber.StatusSeeOther)
}

func (a *App) setLangCookie(c *fiber.Ctx, lang string) {
	c.Cookie(&fiber.Cookie{
		Name: a.cookies.lang, Value: pickLang(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, Secure: a.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func loginURL(next string) string { return "/login?next=" + url.QueryEscape(safeNext(next)) }
