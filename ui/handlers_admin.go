package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

// staffRoles are the roles an admin can give a new account here; youths
// are created by their coordinator with a PIN.
var staffRoles = []people.Role{people.RoleCoordinator, people.RoleTaskOwner, people.RoleEvaluator, people.RoleEmployer, people.RoleGuardian}

func (a *App) adminPage(c *fiber.Ctx) error {
	return a.renderAdmin(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderAdmin(c *fiber.Ctx, status int, b basePage) error {
	areas, err := a.people.Areas()
	if err != nil {
		return err
	}
	n, err := a.people.UserCount()
	if err != nil {
		return err
	}
	return a.render(c, status, &adminPage{basePage: b, Areas: areas, UserCount: n, StaffRoles: staffRoles})
}

func (a *App) createArea(c *fiber.Ctx) error {
	_, err := a.people.CreateArea(c.FormValue("name"), c.FormValue("municipality"))
	if err != nil {
		return a.refused(c, err, a.renderAdmin, "name", "municipality")
	}
	return c.Redirect("/admin?done=area_created", fiber.StatusSeeOther)
}

func (a *App) createStaff(c *fiber.Ctx) error {
	area, _ := strconv.ParseUint(c.FormValue("area"), 10, 64)
	n := people.NewUser{
		Username:    c.FormValue("username"),
		DisplayName: c.FormValue("display_name"),
		Secret:      c.FormValue("password"),
		SecretKind:  people.SecretPassword,
		Admin:       c.FormValue("admin") == "on",
	}
	role := people.Role(c.FormValue("role"))
	if area != 0 || role != "" {
		n.Memberships = []people.Membership{{AreaID: area, Role: role}}
	}
	if role == people.RoleYouth {
		n.Memberships[0].Role = "" // youths are created by coordinators, with a profile
	}
	if _, err := a.people.CreateUser(n); err != nil {
		return a.refused(c, err, a.renderAdmin, "username", "display_name", "area", "role", "admin")
	}
	return c.Redirect("/admin?done=user_created", fiber.StatusSeeOther)
}

// doneMessage translates a ?done= confirmation; unknown values show nothing.
func (a *App) doneMessage(c *fiber.Ctx) string {
	key := "done." + c.Query("done")
	if lang := a.lang(c); c.Query("done") != "" && a.msg.has(lang, key) {
		return a.msg.T(lang, key)
	}
	return ""
}
