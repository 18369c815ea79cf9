package ui

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/notify"
	"fritidsjob/people"
)

// outboxPageSize is how many queued and failed messages one page of the
// admin's outbox shows.
const outboxPageSize = 25

// outboxChannel is one channel's line in the admin's outbox: its counts,
// and whether this installation sends on it.
type outboxChannel struct {
	notify.ChannelStats
	On bool
}

// outboxRow is one queued or failed message as the admin sees it: to whom
// (user ID and username; for a guardian message, whose guardian), its
// kind, never its text.
type outboxRow struct {
	M        notify.Message
	Username string // "" when the account is gone
	Kind     string // the kind in the reader's language, or its code
}

// adminOutbox shows the outbox: per-channel counts, the channels that are
// off, and the queued and failed messages newest first (?after= is the
// keyset cursor). Each youth a row names is logged in their access log.
func (a *App) adminOutbox(c *fiber.Ctx) error {
	return a.renderOutbox(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderOutbox(c *fiber.Ctx, status int, b basePage) error {
	lang := a.lang(c)
	after, _ := strconv.ParseUint(c.Query("after"), 10, 64)
	stats, err := a.notify.Stats()
	if err != nil {
		return err
	}
	p, err := a.notify.Outbox(after, outboxPageSize)
	if err != nil {
		return err
	}
	page := &adminOutboxPage{basePage: b, Next: p.Next}
	for _, ch := range externalChannels {
		st := notify.ChannelStats{Channel: ch}
		if i := slices.IndexFunc(stats, func(s notify.ChannelStats) bool { return s.Channel == ch }); i >= 0 {
			st = stats[i]
		}
		page.Channels = append(page.Channels, outboxChannel{ChannelStats: st, On: slices.Contains(a.cfg.Channels, ch)})
	}
	for _, st := range stats {
		switch {
		case st.Channel == notify.ChannelInbox:
			page.Inbox = st.Sent
		case st.Channel != notify.ChannelNone && !slices.Contains(externalChannels, st.Channel):
			page.Channels = append(page.Channels, outboxChannel{ChannelStats: st, On: slices.Contains(a.cfg.Channels, st.Channel)})
		}
	}
	page.ChannelsOff = a.channelsOff()
	var entries []people.AccessEntry
	logged := map[uint64]bool{}
	for _, m := range p.Messages {
		row := outboxRow{M: m, Kind: m.Kind}
		if key := "outbox.kind." + m.Kind; a.msg.has(lang, key) {
			row.Kind = a.msg.T(lang, key)
		}
		if u, err := a.people.User(m.UserID); err == nil {
			row.Username = u.Username
			if youthArea(u) != 0 && u.Erased.IsZero() && !logged[u.ID] {
				logged[u.ID] = true
				entries = append(entries, a.userEntry(c, people.AccessRead, "outbox_entry", u, ""))
			}
		}
		page.Rows = append(page.Rows, row)
	}
	if err := a.people.LogAccessBatch(entries); err != nil {
		return err
	}
	return a.render(c, status, page)
}

// retryMessage puts one queued or failed message back in the queue, due
// now ("Prøv igen nu").
func (a *App) retryMessage(c *fiber.Ctx) error {
	id, ok := parseID(c.FormValue("id"))
	if !ok {
		return fiber.ErrNotFound
	}
	if err := a.notify.Retry(id); err != nil {
		return a.refused(c, onPage(err), a.renderOutbox)
	}
	a.log.Info("outbox: message retried", "message", id, "user", currentUser(c).ID, "rid", requestID(c))
	return c.Redirect("/admin/outbox?done=outbox_retried", fiber.StatusSeeOther)
}

// retryFailed puts every failed message of one channel back in the queue.
func (a *App) retryFailed(c *fiber.Ctx) error {
	ch := c.FormValue("channel")
	n, err := a.notify.RetryFailed(ch)
	if err != nil {
		return err
	}
	a.log.Info("outbox: failed messages retried", "channel", ch, "n", n, "user", currentUser(c).ID, "rid", requestID(c))
	return c.Redirect("/admin/outbox?done=outbox_retried_all", fiber.StatusSeeOther)
}
