package ui

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/internal/ical"
	"fritidsjob/jobs"
	"fritidsjob/people"
)

// calFeedRateLimit is how many feed reads one address gets a minute: a
// phone re-reads its calendars a few times an hour; a household shares an
// address.
const calFeedRateLimit = 60

// calFeedRefresh is how often a phone is asked to re-read the feed.
const calFeedRefresh = time.Hour

// registerCalendarFeedRoutes declares a youth's page for their calendar
// feed and the feed itself, public behind its secret token.
func (a *App) registerCalendarFeedRoutes() {
	youth := roles(people.RoleYouth)
	a.handle(fiber.MethodGet, "/a/:area/me/calendar", youth, a.feedPage)
	a.handle(fiber.MethodPost, "/a/:area/me/calendar/new", youth, a.newFeed)
	a.handle(fiber.MethodPost, "/a/:area/me/calendar/stop", youth, a.stopFeed)
	// Public: the phone's calendar reads it without a login, so the token
	// is the key; no session is opened. One address gets calFeedRateLimit
	// reads a minute.
	lim := newRateLimiter(calFeedRateLimit, time.Minute, rateLimitAddresses)
	a.handle(fiber.MethodGet, "/cal/:token", public, a.limited(lim, "cal_throttled", a.calFeed))
}

// feedPage shows whether the youth has a calendar feed and lets them make
// one (or a new one) or stop it.
func (a *App) feedPage(c *fiber.Ctx) error {
	return a.renderFeedPage(c, "")
}

func (a *App) renderFeedPage(c *fiber.Ctx, link string) error {
	area := currentArea(c)
	f, ok, err := a.jobs.FeedOf(area.ID, currentUser(c).ID)
	if err != nil {
		return err
	}
	p := &feedPage{basePage: basePage{Done: a.doneMessage(c)}, Active: ok, Link: link}
	if ok {
		p.Created = f.Created
	}
	if link != "" {
		// The address is the app's own with a token of base64url letters.
		p.Webcal = template.URL("webcal://" + strings.TrimPrefix(strings.TrimPrefix(link, "https://"), "http://"))

		p.Done = a.msg.T(a.lang(c), "done.calfeed_made")
	}
	return a.render(c, fiber.StatusOK, p)
}

// newFeed makes a new feed address for the youth (the old one stops
// working) and shows it once.
func (a *App) newFeed(c *fiber.Ctx) error {
	area := currentArea(c)
	token, err := a.jobs.NewFeed(area.ID, currentUser(c).ID)
	if err != nil {
		return err
	}
	return a.renderFeedPage(c, a.publicBase(c)+"/cal/"+token+".ics")
}

// stopFeed deletes the youth's feed: the phone's calendar finds nothing
// at the address any more.
func (a *App) stopFeed(c *fiber.Ctx) error {
	area := currentArea(c)
	if err := a.jobs.StopFeed(area.ID, currentUser(c).ID); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/a/%d/me/calendar?done=calfeed_stopped", area.ID), fiber.StatusSeeOther)
}

// calFeed serves a youth's tasks as an iCalendar feed: the tasks they
// have a place or a waitlist spot on, and those cancelled, each under a
// UID of its claim. It names no youth. An unknown or revoked token is 404.
func (a *App) calFeed(c *fiber.Ctx) error {
	token, ok := strings.CutSuffix(c.Params("token"), ".ics")
	if !ok {
		return fiber.ErrNotFound
	}
	f, tasks, err := a.jobs.FeedTasks(token)
	if errors.Is(err, jobs.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	lang := "da"
	if u, err := a.people.User(f.YouthID); err == nil {
		lang = pickLang(u.Lang)
	}
	now := a.cfg.Now()
	cal := ical.Calendar{ProdID: "-//Fritidsjob//Fritidsjob//DA", Name: a.msg.T(lang, "calfeed.name"), Refresh: calFeedRefresh}
	for _, m := range tasks {
		e := ical.Event{UID: fmt.Sprintf("claim-%d@fritidsjob", m.Claim.Seq), Stamp: now, Start: m.Task.Start, End: m.Task.End,
			Summary: m.Task.Title, Location: m.Task.Place, Modified: m.Claim.Updated, Status: ical.StatusConfirmed,
			Description: a.msg.T(lang, "calfeed.supervisor", m.Task.Supervisor)}
		switch {
		case m.Task.Status == jobs.StatusCancelled || m.Claim.Status == jobs.ClaimCancelled:
			e.Status = ical.StatusCancelled
		case m.Claim.Status == jobs.ClaimWaitlist:
			e.Status = ical.StatusTentative
			e.Summary = a.msg.T(lang, "calfeed.waitlist", m.Task.Title)
		}
		cal.Events = append(cal.Events, e)
	}
	var buf bytes.Buffer
	if err := cal.Write(&buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="fritidsjob.ics"`)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.Send(buf.Bytes())
}
