package ui

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/jobs"
	"fritidsjob/people"
)

// finishedShown is how long after its end a closed or cancelled task stays
// on the task management page (all of them with ?all=1).
const finishedShown = 8 * 7 * 24 * time.Hour

// coordinates reports whether the current user coordinates the current
// area: coordinators manage every task of it and see every youth.
func coordinates(c *fiber.Ctx) bool {
	return currentUser(c).HasRole(currentArea(c).ID, people.RoleCoordinator)
}

// mayManage reports whether the current user manages t: a coordinator of
// its area every task, a task owner (a caretaker, a board member) only the
// tasks they posted, whose work they confirm.
func mayManage(c *fiber.Ctx, t jobs.Task) bool {
	return coordinates(c) || t.CreatedBy == currentUser(c).ID
}

// staffTask reads the task in the URL for staff: not found when the area
// has no such task, forbidden when it is not the user's to manage.
func (a *App) staffTask(c *fiber.Ctx) (jobs.Task, error) {
	id, err := taskParam(c)
	if err != nil {
		return jobs.Task{}, err
	}
	t, err := a.jobs.Task(currentArea(c).ID, id)
	if err != nil {
		return jobs.Task{}, err
	}
	if !mayManage(c, t) {
		return jobs.Task{}, fiber.ErrForbidden
	}
	return t, nil
}

// manageTasks lists by status the area's tasks the user manages (a
// coordinator all, a task owner their own): drafts and open tasks always,
// closed and cancelled ones for finishedShown after they ended, so the
// page does not grow with the area's history.
func (a *App) manageTasks(c *fiber.Ctx) error {
	tasks, err := a.jobs.Tasks(currentArea(c).ID)
	if err != nil {
		return err
	}
	all := c.Query("all") == "1"
	since := a.cfg.Now().Add(-finishedShown)
	groups := map[jobs.Status][]jobs.Task{}
	hidden := 0
	for _, t := range tasks {
		if !mayManage(c, t) {
			continue
		}
		if !all && (t.Status == jobs.StatusClosed || t.Status == jobs.StatusCancelled) && t.End.Before(since) {
			hidden++
			continue
		}
		groups[t.Status] = append(groups[t.Status], t)
	}
	return a.render(c, fiber.StatusOK, &manageTasksPage{basePage: basePage{Done: a.doneMessage(c)},
		Groups: groups, Statuses: []jobs.Status{jobs.StatusOpen, jobs.StatusDraft, jobs.StatusClosed, jobs.StatusCancelled},
		Hidden: hidden, IsCoordinator: coordinates(c),
	})
}

var taskFormFields = []string{"title", "description", "category", "commissioner", "place", "day", "from", "to",
	"slots", "min_age", "max_age", "lifting", "alone", "machines", "supervisor", "pay", "points", "rate", "repeat", "publish"}

// renderTaskForm shows the new-task form: b's form as sent, or else the
// usual values.
func (a *App) renderTaskForm(c *fiber.Ctx, status int, b basePage) error {
	if b.Form == nil {
		b.Form = map[string]string{"slots": "2", "min_age": "13", "max_age": "17", "pay": "points",
			"points": "50", "rate": "60,00", "repeat": "1", "from": "16:00", "to": "18:00",
			"day": a.cfg.Now().In(people.Copenhagen).AddDate(0, 0, 3).Format("2006-01-02")}
	}
	return a.render(c, status, &taskNewPage{basePage: b, Categories: jobs.Categories, Commissioners: jobs.Commissioners})
}

func (a *App) newTaskForm(c *fiber.Ctx) error {
	return a.renderTaskForm(c, fiber.StatusOK, basePage{})
}

// createTask reads the task form. Every field error shows the form again
// with the input kept.
func (a *App) createTask(c *fiber.Ctx) error {
	n, err := a.readTaskForm(c)
	if err == nil {
		_, err = a.jobs.CreateTask(currentArea(c).ID, currentUser(c).ID, n)
	}
	if err != nil {
		return a.refused(c, err, a.renderTaskForm, taskFormFields...)
	}
	return c.Redirect(areaURL(c, "/manage/tasks?done=task_created"), fiber.StatusSeeOther)
}

func (a *App) readTaskForm(c *fiber.Ctx) (jobs.NewTask, error) {
	n := jobs.NewTask{
		Title: c.FormValue("title"), Description: c.FormValue("description"), Place: c.FormValue("place"),
		Supervisor: c.FormValue("supervisor"), Category: jobs.Category(c.FormValue("category")),
		Commissioner: jobs.Commissioner(c.FormValue("commissioner")), Pay: jobs.PayKind(c.FormValue("pay")),
		Lifting12kg: c.FormValue("lifting") == "on", WorksAlone: c.FormValue("alone") == "on",
		Machines: c.FormValue("machines") == "on", Publish: c.FormValue("publish") == "on",
	}
	var err error
	if n.Start, err = parseDayTime("start", c.FormValue("day"), c.FormValue("from")); err != nil {
		return n, err
	}
	if n.End, err = parseDayTime("end", c.FormValue("day"), c.FormValue("to")); err != nil {
		return n, err
	}
	if n.Slots, err = parseIntField("slots", c.FormValue("slots"), 1, 200); err != nil {
		return n, err
	}
	if n.MinAge, err = parseIntField("age", c.FormValue("min_age"), 8, 30); err != nil {
		return n, err
	}
	if n.MaxAge, err = parseIntField("age", c.FormValue("max_age"), 8, 30); err != nil {
		return n, err
	}
	if n.RepeatWeeks, err = parseIntField("repeat", defaultStr(c.FormValue("repeat"), "1"), 1, 26); err != nil {
		return n, err
	}
	switch n.Pay {
	case jobs.PayPoints:
		p, err := parseIntField("points", c.FormValue("points"), 1, 10000)
		if err != nil {
			return n, err
		}
		n.Points = int64(p)
	case jobs.PayWage:
		if n.RateOre, err = parseKroner("rate", c.FormValue("rate")); err != nil {
			return n, err
		}
	}
	return n, nil
}

// taskRow is one youth's line on a task page.
type taskRow struct {
	Claim   jobs.Claim // ClaimCancelled when only recorded work keeps the youth on the task
	Youth   people.YouthView
	Entries []jobs.WorkEntry
	Open    bool // checked in now
}

// candidate is a youth of the area and whether the rules let them take the task.
type candidate struct {
	Youth   people.YouthView
	Verdict jobs.Verdict
}

// Access-log subjects of a task page: a youth on the task, and a youth
// shown to a coordinator with whether they may take it.
const (
	whatTaskParticipant = "task_participant"
	whatTaskCandidate   = "task_candidate"
)

// manageTask shows one task: the youths on it (claims, waitlist, the work
// recorded) and, to coordinators, every other current youth of the area
// with whether they may take it and why not. A task owner sees only the
// youths on their task. Each youth shown gets an access-log entry.
func (a *App) manageTask(c *fiber.Ctx) error {
	return a.renderManageTask(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderManageTask(c *fiber.Ctx, status int, b basePage) error {
	area := currentArea(c)
	t, err := a.staffTask(c)
	if err != nil {
		return err
	}
	parts, err := a.jobs.Participants(area.ID, t.ID)
	if err != nil {
		return err
	}
	coord := coordinates(c)
	byID, current, err := a.taskCandidatePool(area.ID, t, coord)
	if err != nil {
		return err
	}
	rows, pending, err := a.taskRows(area.ID, parts, byID)
	if err != nil {
		return err
	}
	cands, err := a.taskCandidates(area.ID, t.ID, current, parts)
	if err != nil {
		return err
	}
	if err := a.logTaskPage(c, t.ID, rows, cands); err != nil {
		return err
	}
	return a.render(c, status, &taskPage{basePage: b, Task: t, TaskDay: taskDay(t), Rows: rows, Candidates: cands,
		Pending: pending, IsCoordinator: coord})
}

// taskCandidatePool reads the area's youths when the task page lists
// candidates: only a coordinator's page of a task youths may still take
// does; otherwise each youth on the task is decrypted on its own. It
// returns them by ID and those who may take tasks (current: imported
// history cannot).
func (a *App) taskCandidatePool(area uint64, t jobs.Task, coord bool) (byID map[uint64]people.YouthView, current []people.YouthView, err error) {
	byID = map[uint64]people.YouthView{}
	if !coord || (t.Status != jobs.StatusOpen && t.Status != jobs.StatusDraft) {
		return byID, nil, nil
	}
	youths, _, err := a.people.YouthsInArea(area)
	if err != nil {
		return nil, nil, err
	}
	for _, y := range youths {
		byID[y.User.ID] = y
	}
	current, _ = activeYouths(youths, nil) // imported history cannot take tasks
	return byID, current, nil
}

// taskRows are the task page's lines, one per youth on the task (from
// byID, else read), and how many entries wait for approval. A youth whose
// data does not open is left out.
func (a *App) taskRows(area uint64, parts []jobs.Participant, byID map[uint64]people.YouthView) ([]taskRow, int, error) {
	rows := make([]taskRow, 0, len(parts))
	pending := 0
	for _, p := range parts {
		id := p.Claim.YouthID
		y, ok := byID[id]
		if !ok {
			var err error
			y, err = a.people.Youth(area, id)
			if errors.Is(err, people.ErrUnreadable) {
				continue // 'fritidsjob check' names them; the page works for the rest
			}
			if err != nil {
				return nil, 0, err
			}
		}
		r := taskRow{Claim: p.Claim, Youth: y, Entries: p.Entries}
		for _, e := range p.Entries {
			r.Open = r.Open || e.Status == jobs.EntryOpen
			if e.Status == jobs.EntryPending {
				pending++
			}
		}
		rows = append(rows, r)
	}
	return rows, pending, nil
}

// taskCandidates are the current youths not on the task with whether the
// rules let them take it, those who may first.
func (a *App) taskCandidates(area, task uint64, current []people.YouthView, parts []jobs.Participant) ([]candidate, error) {
	on := make(map[uint64]bool, len(parts))
	for _, p := range parts {
		on[p.Claim.YouthID] = true
	}
	var cands []candidate
	for _, y := range current {
		if on[y.User.ID] {
			continue
		}
		v, err := a.jobs.Eligibility(area, task, y.User.ID)
		if err != nil {
			return nil, err
		}
		cands = append(cands, candidate{Youth: y, Verdict: v})
	}
	slices.SortStableFunc(cands, func(x, y candidate) int {
		if x.Verdict.OK() == y.Verdict.OK() {
			return 0
		}
		if x.Verdict.OK() {
			return -1
		}
		return 1
	})
	return cands, nil
}

// logTaskPage writes one access-log entry per youth the task page shows,
// before it is shown.
func (a *App) logTaskPage(c *fiber.Ctx, task uint64, rows []taskRow, cands []candidate) error {
	detail := "task=" + strconv.FormatUint(task, 10)
	shown := make([]people.AccessEntry, 0, len(rows)+len(cands))
	log := func(what string, youth uint64) {
		if youth != currentUser(c).ID {
			shown = append(shown, a.accessEntry(c, people.AccessRead, what, youth, detail))
		}
	}
	for _, r := range rows {
		log(whatTaskParticipant, r.Claim.YouthID)
	}
	for _, cd := range cands {
		log(whatTaskCandidate, cd.Youth.User.ID)
	}
	return a.people.LogAccessBatch(shown)
}

// staffAction runs an action on a task (and maybe a youth) for staff who
// manage the task and returns to the task page.
func (a *App) staffAction(done string, do func(c *fiber.Ctx, area, task, youth, by uint64) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		t, err := a.staffTask(c)
		if err != nil {
			return err
		}
		task := t.ID
		var youth uint64
		if p := c.Params("user"); p != "" {
			var ok bool
			if youth, ok = parseID(p); !ok {
				return fiber.ErrNotFound
			}
		}
		if err := do(c, currentArea(c).ID, task, youth, currentUser(c).ID); err != nil {
			return a.refused(c, err, a.renderManageTask)
		}
		if d, ok := c.Locals(ctxDone).(string); ok {
			done = d
		}
		return c.Redirect(areaURL(c, "/manage/tasks/"+strconv.FormatUint(task, 10)+"?done="+done), fiber.StatusSeeOther)
	}
}

// ctxDone lets a staff action replace its route's done message.
const ctxDone = "fj.done"

func (a *App) setTaskStatus(c *fiber.Ctx, area, task, _, _ uint64) error {
	to := jobs.Status(c.FormValue("to"))
	if !slices.Contains([]jobs.Status{jobs.StatusOpen, jobs.StatusClosed, jobs.StatusCancelled}, to) {
		return fieldError("status", "unknown")
	}
	_, err := a.jobs.SetStatus(area, task, to)
	return err
}

func (a *App) supervisorCheckIn(c *fiber.Ctx, area, task, youth, by uint64) error {
	_, err := a.jobs.CheckIn(area, task, youth, by)
	return err
}

func (a *App) supervisorCheckOut(c *fiber.Ctx, area, task, youth, by uint64) error {
	brk, err := parseIntField("break", defaultStr(c.FormValue("break"), "0"), 0, 240)
	if err != nil {
		return err
	}
	_, err = a.jobs.CheckOut(area, task, youth, brk)
	return err
}

func (a *App) supervisorHours(c *fiber.Ctx, area, task, youth, by uint64) error {
	done, err := a.recordHoursFor(c, area, task, youth, by)
	if err == nil && done != "hours_recorded" {
		c.Locals(ctxDone, done)
	}
	return err
}

func (a *App) staffCancelClaim(c *fiber.Ctx, area, task, youth, _ uint64) error {
	return a.jobs.Cancel(area, task, youth, true)
}

func (a *App) approveTask(c *fiber.Ctx, area, task, _, by uint64) error {
	_, err := a.jobs.ApproveTask(area, task, by)
	return err
}
