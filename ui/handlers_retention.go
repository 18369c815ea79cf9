package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/digest"
	"fritidsjob/people"
)

// pruneAccessLog deletes access-log entries past their retention; the
// daily job and the admin's button both call it.
func (a *App) pruneAccessLog() (int, error) {
	return a.people.PruneAccessLog(a.cfg.Now().Add(-a.cfg.AccessLogRetention))
}

// pruneCaseNotes deletes case notes past their retention; the daily job
// and the admin's button both call it.
func (a *App) pruneCaseNotes() (int, error) {
	if a.employers == nil {
		return 0, nil
	}
	return a.employers.PruneNotes(a.cfg.Now().Add(-a.cfg.CaseNoteRetention))
}

// inactiveYouth is a youth the retention job would erase.
type inactiveYouth struct {
	AreaName string
	ID       uint64
	Last     time.Time
}

// inactiveYouths finds youths whose last activity (registration, a task
// claimed, any participation; see digest.IdleYouths) is older than the
// retention period.
func (a *App) inactiveYouths() ([]inactiveYouth, error) {
	cutoff := a.cfg.Now().Add(-a.cfg.InactiveYouthRetention)
	areas, err := a.people.Areas()
	if err != nil {
		return nil, err
	}
	var out []inactiveYouth
	for _, area := range areas {
		idle, err := digest.IdleYouths(a.db, a.people, a.jobs, area.ID, cutoff)
		if err != nil {
			return nil, err
		}
		for _, y := range idle {
			out = append(out, inactiveYouth{AreaName: area.Name, ID: y.YouthID, Last: y.Last})
		}
	}
	return out, nil
}

// eraseInactive erases every inactive youth; the daily job calls it.
func (a *App) eraseInactive() (int, error) {
	list, err := a.inactiveYouths()
	if err != nil {
		return 0, err
	}
	areas, err := a.people.Areas()
	if err != nil {
		return 0, err
	}
	byName := map[string]uint64{}
	for _, ar := range areas {
		byName[ar.Name] = ar.ID
	}
	for _, y := range list {
		if err := a.people.LogAccess(people.AccessEntry{ActorRole: people.RoleSystem, AreaID: byName[y.AreaName],
			Action: people.AccessDelete, What: "youth_profile", SubjectID: y.ID, Detail: "retention"}); err != nil {
			return 0, err
		}
		if err := a.people.EraseYouth(byName[y.AreaName], y.ID, 0); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// retention shows the admin what the retention jobs would delete now (a
// dry run) and lets them run them at once.
func (a *App) retention(c *fiber.Ctx) error {
	cutoff := a.cfg.Now().Add(-a.cfg.AccessLogRetention)
	n, err := a.people.AccessLogOlderThan(cutoff)
	if err != nil {
		return err
	}
	inactive, err := a.inactiveYouths()
	if err != nil {
		return err
	}
	notes := 0
	if a.employers != nil {
		if notes, err = a.employers.NotesOlderThan(a.cfg.Now().Add(-a.cfg.CaseNoteRetention)); err != nil {
			return err
		}
	}
	return a.render(c, fiber.StatusOK, &retentionPage{basePage: basePage{Done: a.doneMessage(c)},
		AccessDue: n, Cutoff: cutoff,
		NotesDue: notes, NoteDays: int(a.cfg.CaseNoteRetention.Hours() / 24),
		Days: int(a.cfg.AccessLogRetention.Hours() / 24), Inactive: inactive,
		InactiveDays: int(a.cfg.InactiveYouthRetention.Hours() / 24)})
}

func (a *App) runRetention(c *fiber.Ctx) error {
	n, err := a.pruneAccessLog()
	if err != nil {
		return err
	}
	m, err := a.eraseInactive()
	if err != nil {
		return err
	}
	k, err := a.pruneCaseNotes()
	if err != nil {
		return err
	}
	a.log.Info("retention run by admin", "user", currentUser(c).ID, "access_log_deleted", n, "youths_erased", m, "case_notes_deleted", k)
	return c.Redirect("/admin/retention?done=retention_run", fiber.StatusSeeOther)
}
