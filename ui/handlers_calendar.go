package ui

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/jobs/rules"
	"fritidsjob/people"
)

// calendar shows the area's school holidays, which decide the school-day
// limits for young workers, and lets the coordinator change them.
func (a *App) calendar(c *fiber.Ctx) error {
	return a.renderCalendar(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderCalendar(c *fiber.Ctx, status int, b basePage) error {
	cal, err := a.jobs.Calendar(currentArea(c).ID)
	if err != nil {
		return err
	}
	return a.render(c, status, &calendarPage{basePage: b, Calendar: cal})
}

func (a *App) addHoliday(c *fiber.Ctx) error {
	from, err1 := people.ParseDate(c.FormValue("from"))
	to, err2 := people.ParseDate(c.FormValue("to"))
	name := c.FormValue("name")
	var err error
	switch {
	case err1 != nil || err2 != nil:
		err = fieldError("holiday", "format")
	case to.Before(from):
		err = fieldError("holiday", "order")
	case len(name) == 0 || len(name) > 80:
		err = fieldError("holiday", "name")
	}
	if err != nil {
		return a.refused(c, err, a.renderCalendar, "from", "to", "name")
	}
	area := currentArea(c).ID
	cal, err := a.jobs.Calendar(area)
	if err != nil {
		return err
	}
	cal.Holidays = append(cal.Holidays, rules.Holiday{From: from, To: to, Name: name})
	slices.SortFunc(cal.Holidays, func(x, y rules.Holiday) int {
		if x.From.Before(y.From) {
			return -1
		}
		if y.From.Before(x.From) {
			return 1
		}
		return 0
	})
	if err := a.jobs.SetCalendar(area, cal); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/calendar?done=calendar_saved"), fiber.StatusSeeOther)
}

func (a *App) removeHoliday(c *fiber.Ctx) error {
	area := currentArea(c).ID
	cal, err := a.jobs.Calendar(area)
	if err != nil {
		return err
	}
	i, err := strconv.Atoi(c.FormValue("index"))
	if err != nil || i < 0 || i >= len(cal.Holidays) {
		return fieldError("holiday", "format")
	}
	cal.Holidays = slices.Delete(cal.Holidays, i, i+1)
	if err := a.jobs.SetCalendar(area, cal); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/calendar?done=calendar_saved"), fiber.StatusSeeOther)
}

// rulesPage lists the young-worker rules in force, with their sources.
func (a *App) rulesPage(c *fiber.Ctx) error {
	today := people.DateOf(a.cfg.Now().In(people.Copenhagen))
	return a.render(c, fiber.StatusOK, &rulesPage{
		Rules: a.jobs.Rules().Rules(today), Version: a.jobs.Rules().Version(today),
	})
}
