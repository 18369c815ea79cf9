package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/jobs"
	"fritidsjob/people"
)

// queueRow is one entry in the approval queue with what a coordinator
// needs to decide: who, which task, when, how long, what it pays.
type queueRow struct {
	Entry jobs.WorkEntry
	Task  jobs.Task
	Youth people.YouthView
}

// approvals is the coordinator's approval queue: who worked on which
// task, when and for how long.
func (a *App) approvals(c *fiber.Ctx) error {
	return a.renderApprovals(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderApprovals(c *fiber.Ctx, status int, b basePage) error {
	area := currentArea(c)
	queue, err := a.jobs.Queue(area.ID)
	if err != nil {
		return err
	}
	// Only the youths in the queue: each name is decrypted with its own key,
	// and each youth gets an access-log entry before the page shows them.
	byID := map[uint64]people.YouthView{}
	var shown []people.AccessEntry
	for _, e := range queue {
		if _, ok := byID[e.YouthID]; ok {
			continue
		}
		y, err := a.people.Youth(area.ID, e.YouthID)
		if err != nil {
			return err
		}
		byID[e.YouthID] = y
		shown = append(shown, a.accessEntry(c, people.AccessRead, "approval_queue", e.YouthID, ""))
	}
	if err := a.people.LogAccessBatch(shown); err != nil {
		return err
	}
	tasks := map[uint64]jobs.Task{}
	rows := make([]queueRow, 0, len(queue))
	for _, e := range queue {
		t, ok := tasks[e.TaskID]
		if !ok {
			if t, err = a.jobs.Task(area.ID, e.TaskID); err != nil {
				return err
			}
			tasks[e.TaskID] = t
		}
		rows = append(rows, queueRow{Entry: e, Task: t, Youth: byID[e.YouthID]})
	}
	return a.render(c, status, &approvalsPage{basePage: b, Rows: rows})
}

// approve approves the checked entries in one go. Entries someone else
// decided meanwhile are reported, never paid twice.
func (a *App) approve(c *fiber.Ctx) error {
	var ids []uint64
	for _, v := range c.Request().PostArgs().PeekMulti("entry") {
		id, ok := parseID(string(v))
		if !ok {
			return fieldError("entry", "format")
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return a.renderApprovals(c, fiber.StatusBadRequest, basePage{Error: a.msg.T(a.lang(c), "approvals.none_chosen")})
	}
	if len(ids) > 500 {
		return fieldError("entry", "too_many")
	}
	done, err := a.jobs.Approve(currentArea(c).ID, currentUser(c).ID, ids...)
	if err != nil {
		if errors.Is(err, jobs.ErrAlreadyDecided) || errors.Is(err, jobs.ErrNotFound) {
			// Say what did happen too: the others were approved and paid.
			b := basePage{Error: a.msg.T(a.lang(c), "err.jobs.already_decided")}
			if len(done) > 0 {
				b.Done = a.msg.N(a.lang(c), "approvals.some_done", len(done))
			}
			return a.renderApprovals(c, fiber.StatusConflict, b)
		}
		return err
	}
	return c.Redirect(areaURL(c, "/approvals?done=approved"), fiber.StatusSeeOther)
}

func (a *App) reject(c *fiber.Ctx) error {
	id, ok := parseID(c.Params("entry"))
	if !ok {
		return fiber.ErrNotFound
	}
	if _, err := a.jobs.Reject(currentArea(c).ID, currentUser(c).ID, id, c.FormValue("reason")); err != nil {
		return a.refused(c, err, a.renderApprovals)
	}
	return c.Redirect(areaURL(c, "/approvals?done=rejected"), fiber.StatusSeeOther)
}
