package ui

import (
	"github.com/gofiber/fiber/v2"
)

// pruneAccessLog deletes access-log entries past their retention; the
// daily job and the admin's button both call it.
func (a *App) pruneAccessLog() (int, error) {
	return a.people.PruneAccessLog(a.cfg.Now().Add(-a.cfg.AccessLogRetention))
}

// retention shows the admin what the retention job would delete now (a
// dry run) and lets them run it at once.
func (a *App) retention(c *fiber.Ctx) error {
	cutoff := a.cfg.Now().Add(-a.cfg.AccessLogRetention)
	n, err := a.people.AccessLogOlderThan(cutoff)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "retention", fiber.Map{"AccessDue": n, "Cutoff": cutoff,
		"Days": int(a.cfg.AccessLogRetention.Hours() / 24), "Done": a.doneMessage(c)})
}

func (a *App) runRetention(c *fiber.Ctx) error {
	n, err := a.pruneAccessLog()
	if err != nil {
		return err
	}
	a.log.Info("retention run by admin", "user", currentUser(c).ID, "access_log_deleted", n)
	return c.Redirect("/admin/retention?done=retention_run", fiber.StatusSeeOther)
}
