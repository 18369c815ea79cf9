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

// render writes page with status, adding what every page needs.
func (a *App) render(c *fiber.Ctx, status int, page string, data fiber.Map) error {
	if data == nil {
		data = fiber.Map{}
	}
	lang := a.lang(c)
	data["Lang"] = lang
	data["OtherLang"] = map[string]string{"da": "en", "en": "da"}[lang]
	data["User"] = currentUser(c)
	data["Area"] = currentArea(c)
	data["CSRF"] = a.csrfToken(c)
	data["Path"] = c.OriginalURL()
	data["Page"] = page
	if _, ok := data["Form"]; !ok {
		data["Form"] = map[string]string{} // forms read .Form; never nil
	}
	c.Status(status)
	return c.Render(page, data)
}

// renderPage writes p with status, filling its basePage with what every
// page needs.
func (a *App) renderPage(c *fiber.Ctx, status int, p page) error {
	b := p.base()
	b.Lang = a.lang(c)
	b.OtherLang = map[string]string{"da": "en", "en": "da"}[b.Lang]
	b.User = currentUser(c)
	b.Area = currentArea(c)
	b.CSRF = a.csrfToken(c)
	b.Path = c.OriginalURL()
	b.Page = p.template()
	if b.Form == nil {
		b.Form = map[string]string{} // forms read .Form; never nil
	}
	c.Status(status)
	return c.Render(b.Page, p)
}

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
