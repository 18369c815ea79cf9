package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/digest"
	"fritidsjob/notify"
	"fritidsjob/people"
)

// inboxPageSize is how many messages one inbox page shows.
const inboxPageSize = 20

// inbox shows the user's own messages, newest first, a page at a time
// (?after= is the keyset cursor).
func (a *App) inbox(c *fiber.Ctx) error {
	u := currentUser(c)
	after, _ := strconv.ParseUint(c.Query("after"), 10, 64)
	p, err := a.notify.Inbox(u.ID, after, inboxPageSize)
	if err != nil {
		return err
	}
	lang := a.lang(c)
	items := make([]inboxItem, len(p.Messages))
	for i, m := range p.Messages {
		items[i] = inboxItem{ID: m.ID, Text: a.messageText(lang, m), Link: messageLink(m), Created: m.Created, Unread: !m.Read()}
	}
	return a.render(c, fiber.StatusOK, &inboxPage{basePage: basePage{Done: a.doneMessage(c)}, Messages: items, Next: p.Next})
}

// inboxRead marks all the user's messages read ("Markér som læst").
func (a *App) inboxRead(c *fiber.Ctx) error {
	if _, err := a.notify.MarkAllRead(currentUser(c).ID); err != nil {
		return err
	}
	return c.Redirect("/inbox?done=inbox_read", fiber.StatusSeeOther)
}

// RenderMessage writes message m in lang for a channel outside the app
// (the worker's notify.Renderer): the inbox's text, a subject, and a link
// on the public URL ("" when none is configured) to the page where the
// reader acts on it, else to the inbox.
func (a *App) RenderMessage(m notify.Message, lang string) notify.Text {
	lang = pickLang(lang)
	t := notify.Text{Subject: a.msg.T(lang, "notify.subject"), Body: a.messageText(lang, m)}
	switch {
	case m.Kind == notify.KindConsentLink:
		t.Link = a.publicLink(m.Params["link"])
	case a.cfg.PublicURL != "" && !m.Guardian:
		link := messageLink(m)
		if link == "" {
			link = "/inbox"
		}
		t.Link = a.publicLink(link)
	}
	return t
}

// messageLink is the app path where m's reader acts on it, "" for none
// beyond the inbox.
func messageLink(m notify.Message) string {
	area := "/a/" + strconv.FormatUint(m.AreaID, 10)
	switch m.Kind {
	case notify.KindCandidateShared:
		return area + "/portal"
	case notify.KindFollowUpDue:
		if _, err := strconv.ParseUint(m.Params["youth"], 10, 64); err == nil {
			return area + "/youths/" + m.Params["youth"] + "/pipeline"
		}
	case notify.KindCoordinatorDigest:
		return area + "/pipeline"
	}
	return ""
}

// publicLink is path on the app's public address (PublicURL), or the path
// alone when none is configured.
func (a *App) publicLink(path string) string {
	return strings.TrimRight(a.cfg.PublicURL, "/") + path
}

// messageText is message m in lang: the catalogue's "notify.<kind>" text
// filled with the message's parameters in the order that kind's text
// takes them. The domain keeps only the code and the parameters, so a
// message reads in whatever language its reader uses now.
func (a *App) messageText(lang string, m notify.Message) string {
	p := m.Params
	at := func(k string) time.Time {
		t, _ := time.Parse(time.RFC3339, p[k])
		return t
	}
	key := "notify." + m.Kind
	switch m.Kind {
	case notify.KindWaitlistPromoted, notify.KindClaimConfirmed, notify.KindTaskCancelled:
		return a.msg.T(lang, key, p["task"], a.msg.when(lang, at("start"), at("end")))
	case notify.KindHoursApproved:
		minutes, _ := strconv.Atoi(p["minutes"])
		return a.msg.T(lang, key, p["task"], formatDate(at("start")), a.msg.duration(lang, minutes))
	case notify.KindHoursRejected:
		return a.msg.T(lang, key, p["task"], formatDate(at("start")), p["reason"])
	case notify.KindReminderDayBefore, notify.KindReminderSoon, notify.KindFirstWageTask:
		if m.Kind == notify.KindFirstWageTask {
			return a.msg.T(lang, key, a.youthName(m.UserID), p["task"], a.msg.when(lang, at("start"), at("end")))
		}
		return a.msg.T(lang, key, p["task"], a.msg.when(lang, at("start"), at("end")))
	case notify.KindRewardConfirmed, notify.KindRewardRefused, notify.KindRewardCancelled:
		reward := p["reward"]
		if d, err := time.ParseInLocation(time.DateOnly, p["date"], people.Copenhagen); err == nil {
			reward = a.msg.T(lang, "notify.reward_on", reward, formatDate(d))
		}
		pts, _ := strconv.ParseInt(p["points"], 10, 64)
		points := a.msg.N(lang, "notify.points", int(pts))
		if m.Kind == notify.KindRewardRefused && p["reason"] != "" {
			return a.msg.T(lang, key+"_reason", reward, points, p["reason"])
		}
		return a.msg.T(lang, key, reward, points)
	case notify.KindConsentLink:
		return a.msg.T(lang, key, a.youthName(m.UserID), a.publicLink(p["link"]), formatDate(at("expires")))
	case notify.KindAccountLocked:
		name := p["user"]
		if id, err := strconv.ParseUint(p["user"], 10, 64); err == nil {
			if u, err := a.people.User(id); err == nil && u.DisplayName != "" {
				name = u.DisplayName + " (" + u.Username + ")"
			}
		}
		return a.msg.T(lang, key, name)
	case notify.KindCandidateShared:
		return a.msg.T(lang, key, p["employer"])
	case notify.KindFollowUpDue:
		d, _ := time.ParseInLocation(time.DateOnly, p["date"], people.Copenhagen)
		return a.msg.T(lang, key, formatDate(d))
	case notify.KindCoordinatorDigest:
		n := func(k string) int { v, _ := strconv.Atoi(p[k]); return v }
		area := ""
		if ar, err := a.people.Area(m.AreaID); err == nil {
			area = ar.Name
		}
		week := p["week"]
		if i := strings.LastIndex(week, "W"); i >= 0 {
			week = strings.TrimLeft(week[i+1:], "0")
		}
		return a.msg.T(lang, key, area, week,
			a.msg.N(lang, "notify.digest.followups", n("followups")),
			a.msg.N(lang, "notify.digest.inactive", n("inactive"), digest.InactiveDays),
			a.msg.N(lang, "notify.digest.hours", n("hours")),
			a.msg.N(lang, "notify.digest.rewards", n("rewards")))
	}
	if a.msg.has(lang, key) {
		return a.msg.T(lang, key)
	}
	return a.msg.T(lang, "notify.unknown")
}

// youthName is the display name of user id, for a message to their
// guardian, or "" when it cannot be read.
func (a *App) youthName(id uint64) string {
	if u, err := a.people.User(id); err == nil {
		return u.DisplayName
	}
	return ""
}
