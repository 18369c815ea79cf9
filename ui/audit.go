package ui

import (
	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

// audit writes an access-log entry for the current request before the
// data is shown; when it cannot be written, nothing is shown (the caller
// returns the error). A youth reading their own data is not logged.
func (a *App) audit(c *fiber.Ctx, action, what string, subject uint64, detail string) error {
	u := currentUser(c)
	e := people.AccessEntry{Action: action, What: what, SubjectID: subject, Detail: detail, ActorRole: people.RolePublic}
	if u != nil {
		if subject == u.ID {
			return nil
		}
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
	return a.people.LogAccess(e)
}

// myAccess shows a youth when, and by which role, their data was looked
// up, changed or exported.
func (a *App) myAccess(c *fiber.Ctx) error {
	entries, err := a.people.AccessAbout(currentArea(c).ID, currentUser(c).ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "access", fiber.Map{"Entries": entries, "Own": true})
}

// accessLog shows the installation's newest access-log entries to admins.
func (a *App) adminAccessLog(c *fiber.Ctx) error {
	entries, err := a.people.AccessLog(300)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "access", fiber.Map{"Entries": entries})
}
