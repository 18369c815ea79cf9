package ui

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// has reports whether lang's catalogue has key.
func (c catalog) has(lang, key string) bool {
	_, ok := c[pickLang(lang)][key]
	return ok
}

// lang is the caller's language: the logged-in user's choice, else the
// language cookie, else Danish.
func (a *App) lang(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil && u.Lang != "" {
		return pickLang(u.Lang)
	}
	return pickLang(c.Cookies(a.cookies.lang))
}

// render writes p with status, filling its basePage with what every page
// needs.
func (a *App) render(c *fiber.Ctx, status int, p page) error {
	b := p.base()
	b.Lang = a.lang(c)
	b.OtherLang = map[string]string{"da": "en", "en": "da"}[b.Lang]
	b.User = currentUser(c)
	b.Area = currentArea(c)
	if b.User != nil {
		n, err := a.notify.Unread(b.User.ID)
		if err != nil { // the page still shows, without the count
			a.log.Warn("unread count", "user", b.User.ID, "err", err, "rid", requestID(c))
		}
		b.Unread = n
	}
	b.CSRF = a.csrfToken(c)
	b.Path = c.OriginalURL()
	b.Page = p.template()
	if b.Form == nil {
		b.Form = map[string]string{} // forms read .Form; never nil
	}
	c.Status(status)
	return c.Render(b.Page, p)
}

// pageFunc shows a page again with what a handler adds to it: a refusal's
// message, the form as sent.
type pageFunc func(c *fiber.Ctx, status int, b basePage) error

// refused shows the page of a refused action again: err's translated
// message with its status, and the named form fields as sent (never a
// secret's). A server error, and a not-found (what the page is about is
// not there), go on to the error page instead; onPage marks a not-found
// that is the action's own answer, shown on the page.
func (a *App) refused(c *fiber.Ctx, err error, show pageFunc, fields ...string) error {
	how, marked := err.(refusal)
	if marked {
		err = how.error
	}
	status, msg := a.explain(c, err)
	if status >= 500 || status == fiber.StatusNotFound && !how.notFoundOnPage {
		return err
	}
	b := basePage{Error: msg}
	if len(fields) > 0 {
		b.Form = make(map[string]string, len(fields))
		for _, f := range fields {
			b.Form[f] = c.FormValue(f)
		}
	}
	return show(c, status, b)
}

// refusal is an error with how refused shows it.
type refusal struct {
	error
	notFoundOnPage bool // a not-found is shown on the page, not as the error page
}

func (r refusal) Unwrap() error { return r.error }

// onPage marks err as the action's own answer even when it is a
// not-found (no consent to withdraw): refused shows it on the page.
func onPage(err error) error { return refusal{error: err, notFoundOnPage: true} }

// safeNext returns target when it is a path on this site, else "/". It
// stops ?next= from sending a user to another site after login.
func safeNext(target string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") {
		return "/"
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.ContainsAny(target, "\r\n") {
		return "/"
	}
	return target
}

func itoa(n int) string { return strconv.Itoa(n) }
