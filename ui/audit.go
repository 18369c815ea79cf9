package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/notify"
	"fritidsjob/people"
)

// audit writes an access-log entry for the current request before the
// data is shown; when it cannot be written, nothing is shown (the caller
// returns the error). A youth reading their own data is not logged.
func (a *App) audit(c *fiber.Ctx, action, what string, subject uint64, detail string) error {
	if u := currentUser(c); u != nil && subject == u.ID {
		return nil
	}
	return a.people.LogAccess(a.accessEntry(c, action, what, subject, detail))
}

// accessEntry is the access-log entry for the current request: who (by
// the role they hold in the area), where, and about whom. A page that
// shows many youths logs one per youth with people.LogAccessBatch.
func (a *App) accessEntry(c *fiber.Ctx, action, what string, subject uint64, detail string) people.AccessEntry {
	u := currentUser(c)
	e := people.AccessEntry{Action: action, What: what, SubjectID: subject, Detail: detail, ActorRole: people.RolePublic}
	if u != nil {
		e.ActorID, e.ActorRole = u.ID, ""
		if u.Admin {
			e.ActorRole = "admin"
		}
	}
	if area := currentArea(c); area != nil {
		e.AreaID = area.ID
		if u != nil {
			for _, m := range u.Memberships {
				if m.AreaID == area.ID && m.Role != people.RoleYouth {
					e.ActorRole = string(m.Role)
					break
				}
			}
		}
	}
	return e
}

// myAccess shows a youth when, and by which role, their data was looked
// up, changed or exported.
func (a *App) myAccess(c *fiber.Ctx) error {
	return a.accessAbout(c, currentUser(c).ID, "/a/"+itoa(int(currentArea(c).ID))+"/me/data.zip")
}

func (a *App) accessAbout(c *fiber.Ctx, youth uint64, dataURL string) error {
	entries, err := a.people.AccessAbout(currentArea(c).ID, youth)
	if err != nil {
		return err
	}
	page := &accessPage{Entries: entries, Own: true, DataURL: dataURL}
	if err := a.sentTo(c, youth, page); err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, page)
}

// sentPageSize is how many messages one page of "sent to you" shows.
const sentPageSize = 20

// sentTo fills page's "sent to you" list: the messages sent to youth on
// every channel (and to their guardian), newest first, a page at a time
// (?sent_after= is the keyset cursor).
func (a *App) sentTo(c *fiber.Ctx, youth uint64, page *accessPage) error {
	after, _ := strconv.ParseUint(c.Query("sent_after"), 10, 64)
	p, err := a.notify.Sent(youth, after, sentPageSize)
	if err != nil {
		return err
	}
	lang := a.lang(c)
	for _, m := range p.Messages {
		it := sentItem{Text: a.messageText(lang, m), Channel: "sent.channel." + m.Channel, Guardian: m.Guardian,
			State: "sent.state." + string(m.State), At: m.Created}
		if m.Channel == notify.ChannelNone {
			it.State = "sent.state.recorded" // a guardian message's own record: its copies are what went out
		}
		if !a.msg.has(lang, it.Channel) {
			it.Channel = "sent.channel.other"
		}
		if m.State == notify.StateSent {
			it.At = m.SentAt
		}
		page.Sent = append(page.Sent, it)
	}
	if p.Next != 0 {
		page.SentMore = c.Path() + "?sent_after=" + strconv.FormatUint(p.Next, 10) + "#sent-list"
	}
	return nil
}

// guardianChild admits a guardian to a linked child's pages while the
// child is under the digital consent age; from then on the youth decides.
func (a *App) guardianChild(c *fiber.Ctx) (uint64, error) {
	area, u := currentArea(c), currentUser(c)
	youth, ok := parseID(c.Params("user"))
	if !ok {
		return 0, fiber.ErrNotFound
	}
	linked, err := a.people.IsGuardianOf(area.ID, u.ID, youth)
	if err != nil {
		return 0, err
	}
	if !linked {
		return 0, fiber.ErrForbidden
	}
	v, err := a.people.Youth(area.ID, youth)
	if err != nil {
		return 0, err
	}
	if v.Youth.BirthDate.AgeOn(people.DateOf(a.cfg.Now().In(people.Copenhagen))) >= a.cfg.DigitalConsentAge {
		return 0, fiber.ErrForbidden
	}
	return youth, nil
}

// childAccess shows a guardian who looked at their young child's data.
func (a *App) childAccess(c *fiber.Ctx) error {
	youth, err := a.guardianChild(c)
	if err != nil {
		return err
	}
	return a.accessAbout(c, youth, "/a/"+itoa(int(currentArea(c).ID))+"/children/"+itoa(int(youth))+"/data.zip")
}

// childData sends a guardian everything held about their young child.
func (a *App) childData(c *fiber.Ctx) error {
	youth, err := a.guardianChild(c)
	if err != nil {
		return err
	}
	if err := a.audit(c, people.AccessExport, "youth_data", youth, "guardian"); err != nil {
		return err
	}
	return a.dataOf(c, youth)
}

// accessLog shows the installation's newest access-log entries to admins.
func (a *App) adminAccessLog(c *fiber.Ctx) error {
	entries, err := a.people.AccessLog(300)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, &accessPage{Entries: entries})
}
