package ui

import (
	"bytes"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
	"fritidsjob/points"
)

// adminArea reads the :area of an admin route (admins hold no area role,
// so authorize does not set it).
func (a *App) adminArea(c *fiber.Ctx) (people.Area, error) {
	id, ok := parseID(c.Params("area"))
	if !ok {
		return people.Area{}, fiber.ErrNotFound
	}
	return a.people.Area(id)
}

// cprRow is a youth on the admin's CPR page; the number itself is shown
// masked.
type cprRow struct {
	Youth  people.YouthView
	Masked string
}

// cprPage lets an admin enter the CPR numbers the payroll office needs for
// youths paid wages. CPR is entered and shown nowhere else.
func (a *App) cprPage(c *fiber.Ctx) error {
	return a.renderCPR(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderCPR(c *fiber.Ctx, status int, b basePage) error {
	area, err := a.adminArea(c)
	if err != nil {
		return err
	}
	if err := a.people.LogAccess(people.AccessEntry{ActorID: currentUser(c).ID, ActorRole: "admin", AreaID: area.ID,
		Action: people.AccessSearch, What: "cpr_list", Detail: "area=" + strconv.FormatUint(area.ID, 10)}); err != nil {
		return err
	}
	youths, _, err := a.people.YouthsInArea(area.ID)
	if err != nil {
		return err
	}
	var rows []cprRow
	for _, y := range youths {
		if !y.User.Erased.IsZero() {
			continue
		}
		cpr, err := a.people.CPR(area.ID, y.User.ID)
		if err != nil {
			return err
		}
		r := cprRow{Youth: y}
		if cpr != "" {
			r.Masked = cpr[:6] + "-••••"
		}
		rows = append(rows, r)
	}
	now := a.cfg.Now().In(people.Copenhagen)
	return a.render(c, status, &cprPage{basePage: b, AreaRec: area, Rows: rows, Month: now.Format("2006-01")})
}

func (a *App) setCPR(c *fiber.Ctx) error {
	area, err := a.adminArea(c)
	if err != nil {
		return err
	}
	youth, ok := parseID(c.Params("user"))
	if !ok {
		return fiber.ErrNotFound
	}
	if err := a.people.SetCPR(area.ID, youth, c.FormValue("cpr")); err != nil {
		return a.refused(c, err, a.renderCPR)
	}
	if err := a.people.LogAccess(people.AccessEntry{ActorID: currentUser(c).ID, ActorRole: "admin", AreaID: area.ID,
		Action: people.AccessChange, What: "cpr", SubjectID: youth}); err != nil {
		return err
	}
	return c.Redirect("/admin/areas/"+strconv.FormatUint(area.ID, 10)+"/cpr?done=cpr_saved", fiber.StatusSeeOther)
}

// payrollCPR streams the payroll file with CPR numbers: admin only, and
// logged as an export.
func (a *App) payrollCPR(c *fiber.Ctx) error {
	area, err := a.adminArea(c)
	if err != nil {
		return err
	}
	month := c.Query("month")
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return fieldError("month", "format")
	}
	if err := a.people.LogAccess(people.AccessEntry{ActorID: currentUser(c).ID, ActorRole: "admin", AreaID: area.ID,
		Action: people.AccessExport, What: "payroll_cpr", Detail: "month=" + month}); err != nil {
		return err
	}
	rows, err := a.points.Payroll(area.ID, t.Month(), t.Year())
	if err != nil {
		return err
	}
	names, err := a.youthNames(area.ID)
	if err != nil {
		return err
	}
	cprs := map[uint64]string{}
	for _, r := range rows {
		if cprs[r.YouthID], err = a.people.CPR(area.ID, r.YouthID); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := points.WritePayrollCSVWithCPR(&buf, rows, func(id uint64) string { return names[id] },
		func(id uint64) string { return cprs[id] }); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="loen-cpr-`+slug(area.Name)+"-"+month+`.csv"`)
	return c.Send(buf.Bytes())
}
