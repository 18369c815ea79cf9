package ui

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/jobs"
	"fritidsjob/people"
)

// areaURL is a path inside the current area.
func areaURL(c *fiber.Ctx, rest string) string {
	return "/a/" + strconv.FormatUint(currentArea(c).ID, 10) + rest
}

// taskParam reads the :task URL parameter.
func taskParam(c *fiber.Ctx) (uint64, error) {
	id, ok := parseID(c.Params("task"))
	if !ok {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// youthTasks is the youth's task page: what they have claimed (with
// check-in, check-out and hours) and what they can still take.
func (a *App) youthTasks(c *fiber.Ctx) error {
	return a.servePage(c, func() error {
		return a.renderYouthTasks(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
	})
}

func (a *App) renderYouthTasks(c *fiber.Ctx, status int, b basePage) error {
	area, u := currentArea(c), currentUser(c)
	offers, err := a.jobs.Offers(area.ID, u.ID)
	if err != nil {
		return err
	}
	mine, err := a.jobs.YouthClaims(area.ID, u.ID)
	if err != nil {
		return err
	}
	entries, err := a.jobs.YouthEntries(area.ID, u.ID)
	if err != nil {
		return err
	}
	free, refused := splitOffers(offers)
	now := a.cfg.Now()
	titles := map[uint64]string{}
	var views []myTask
	for _, m := range mine {
		titles[m.Task.ID] = m.Task.Title
		if m.Claim.Status == jobs.ClaimCancelled {
			continue
		}
		v := a.myTaskView(m, entries, now)
		if m.Task.End.Add(14*24*time.Hour).Before(now) && !v.CanRecord {
			continue // long done: it lives on in "my hours"
		}
		views = append(views, v)
	}
	return a.render(c, status, &tasksPage{basePage: b, Mine: views, Free: free, Refused: refused, Entries: entries, Titles: titles})
}

// splitOffers parts the offers the youth holds no claim on into those they
// may take and those they may not.
func splitOffers(offers []jobs.Offer) (free, refused []jobs.Offer) {
	for _, o := range offers {
		switch {
		case o.Claim != nil:
		case o.CanTake():
			free = append(free, o)
		default:
			refused = append(refused, o)
		}
	}
	return free, refused
}

// myTaskView is the youth's task m with what they can do with it at now,
// given their recorded hours.
func (a *App) myTaskView(m jobs.MyTask, entries []jobs.WorkEntry, now time.Time) myTask {
	v := myTask{MyTask: m, Waitlisted: m.Claim.Status == jobs.ClaimWaitlist}
	for _, e := range entries {
		if e.TaskID != m.Task.ID {
			continue
		}
		switch e.Status {
		case jobs.EntryOpen:
			v.CheckedIn = true
		case jobs.EntryPending, jobs.EntryApproved:
			v.Worked = true
		}
	}
	active := m.Claim.Status == jobs.ClaimActive && m.Task.Status != jobs.StatusCancelled
	v.CanCancel = now.Before(m.Task.Start.Add(-a.jobs.CancelCutoff()))
	v.CanCheckIn = active && !v.Worked && !now.Before(m.Task.Start.Add(-time.Hour)) && !now.After(m.Task.End.Add(time.Hour))
	v.CanRecord = active && !v.Worked && !v.CheckedIn && now.After(m.Task.Start)
	return v
}

// myTask is one of the youth's tasks with what they can do with it now.
type myTask struct {
	jobs.MyTask
	Waitlisted, CheckedIn, Worked    bool
	CanCancel, CanCheckIn, CanRecord bool
}

// youthAction runs one task action for the logged-in youth and returns to
// the task page with a confirmation, or shows the reason it was refused.
func (a *App) youthAction(do func(c *fiber.Ctx, area, task, youth uint64) (string, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		task, err := taskParam(c)
		if err != nil {
			return err
		}
		done, err := do(c, currentArea(c).ID, task, currentUser(c).ID)
		if err != nil {
			return a.refused(c, err, a.renderYouthTasks)
		}
		return c.Redirect(areaURL(c, "/tasks?done="+done), fiber.StatusSeeOther)
	}
}

func (a *App) claimTask(c *fiber.Ctx, area, task, youth uint64) (string, error) {
	res, err := a.jobs.Claim(area, task, youth)
	if err != nil {
		return "", err
	}
	if res.Claim.Status == jobs.ClaimWaitlist {
		return "waitlisted", nil
	}
	return "claimed", nil
}

func (a *App) cancelTask(c *fiber.Ctx, area, task, youth uint64) (string, error) {
	return "cancelled", a.jobs.Cancel(area, task, youth, false)
}

func (a *App) checkIn(c *fiber.Ctx, area, task, youth uint64) (string, error) {
	_, err := a.jobs.CheckIn(area, task, youth, youth)
	return "checked_in", err
}

func (a *App) checkOut(c *fiber.Ctx, area, task, youth uint64) (string, error) {
	brk, err := parseIntField("break", defaultStr(c.FormValue("break"), "0"), 0, 240)
	if err != nil {
		return "", err
	}
	_, err = a.jobs.CheckOut(area, task, youth, brk)
	return "checked_out", err
}

func (a *App) recordHours(c *fiber.Ctx, area, task, youth uint64) (string, error) {
	return a.recordHoursFor(c, area, task, youth, currentUser(c).ID)
}

// recordHoursFor reads the hours form (date, from, to, break) and records
// it. It returns the done message: the same hours sent again are the
// entry already there, which may be decided already.
func (a *App) recordHoursFor(c *fiber.Ctx, area, task, youth, by uint64) (string, error) {
	day := c.FormValue("day")
	start, err := parseDayTime("start", day, c.FormValue("from"))
	if err != nil {
		return "", err
	}
	end, err := parseDayTime("end", day, c.FormValue("to"))
	if err != nil {
		return "", err
	}
	brk, err := parseIntField("break", defaultStr(c.FormValue("break"), "0"), 0, 240)
	if err != nil {
		return "", err
	}
	var corrects uint64
	if v := c.FormValue("corrects"); v != "" {
		var ok bool
		if corrects, ok = parseID(v); !ok {
			return "", fieldError("corrects", "format")
		}
	}
	e, err := a.jobs.RecordHours(area, task, youth, by, start, end, brk, corrects)
	if err != nil {
		return "", err
	}
	if e.Status == jobs.EntryApproved {
		return "hours_already_approved", nil
	}
	return "hours_recorded", nil
}

func defaultStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// taskDay returns the task's date for a form's default value.
func taskDay(t jobs.Task) string { return t.Start.In(people.Copenhagen).Format(time.DateOnly) }
