package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

func (a *App) youthList(c *fiber.Ctx) error {
	area := currentArea(c)
	if err := a.audit(c, people.AccessSearch, "youth_list", 0, "area="+strconv.FormatUint(area.ID, 10)); err != nil {
		return err
	}
	ys, unreadable, err := a.people.YouthsInArea(area.ID)
	if err != nil {
		return err
	}
	all := c.Query("all") == "1"
	historical := 0
	if !all {
		ys, historical = activeYouths(ys, nil)
	}
	today := people.DateOf(a.cfg.Now().In(people.Copenhagen))
	rows := make([]youthRow, 0, len(ys))
	for _, y := range ys {
		rows = append(rows, youthRow{V: y, Age: y.Youth.BirthDate.AgeOn(today), Band: ageBandKey(y.Youth, today)})
	}
	return a.renderPage(c, fiber.StatusOK, &youthsPage{basePage: basePage{Done: a.doneMessage(c)},
		Youths: rows, Historical: historical, Unreadable: unreadable})
}

func (a *App) youthForm(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "youth_new", fiber.Map{"Form": map[string]string{"school": "compulsory"}})
}

var youthFormFields = []string{"display_name", "username", "birth_date", "gender", "school", "guardian_name", "guardian_phone"}

func (a *App) createYouth(c *fiber.Ctx) error {
	area := currentArea(c)
	rerender := func(status int, data fiber.Map) error { return a.render(c, status, "youth_new", data) }
	birth, err := people.ParseDate(c.FormValue("birth_date"))
	if err != nil {
		return a.formError(c, &people.InvalidError{Field: "birth_date", Code: "format"}, rerender, youthFormFields...)
	}
	y := &people.Youth{
		BirthDate: birth,
		Gender:    people.Gender(c.FormValue("gender")),
		School:    people.SchoolStatus(c.FormValue("school")),
	}
	if g := c.FormValue("guardian_name"); g != "" {
		y.Guardians = []people.GuardianContact{{Name: g, Phone: c.FormValue("guardian_phone")}}
	}
	u, err := a.people.CreateUser(people.NewUser{
		Username:    c.FormValue("username"),
		DisplayName: c.FormValue("display_name"),
		Secret:      c.FormValue("pin"),
		SecretKind:  people.SecretPIN,
		Memberships: []people.Membership{{AreaID: area.ID, Role: people.RoleYouth}},
		Youth:       y,
	})
	if err != nil {
		return a.formError(c, err, rerender, youthFormFields...)
	}
	if err := a.audit(c, people.AccessChange, "youth_profile", u.ID, "created"); err != nil {
		return err
	}
	return c.Redirect("/a/"+strconv.FormatUint(area.ID, 10)+"/youths/"+strconv.FormatUint(u.ID, 10)+"?done=youth_created", fiber.StatusSeeOther)
}

func (a *App) youthPage(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("user"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	return a.renderYouthPage(c, fiber.StatusOK, id, fiber.Map{"Done": a.doneMessage(c)})
}

// renderYouthPage shows a youth's profile and consents to a coordinator.
func (a *App) renderYouthPage(c *fiber.Ctx, status int, id uint64, data fiber.Map) error {
	area := currentArea(c)
	v, err := a.people.Youth(area.ID, id)
	if err != nil {
		return err
	}
	if err := a.audit(c, people.AccessRead, "youth_profile", id, ""); err != nil {
		return err
	}
	consents, err := a.people.Consents(area.ID, id)
	if err != nil {
		return err
	}
	today := people.DateOf(a.cfg.Now().In(people.Copenhagen))
	active := false
	for _, k := range consents {
		active = active || k.Active()
	}
	data["Y"], data["Age"], data["Band"] = v, v.Youth.BirthDate.AgeOn(today), ageBandKey(v.Youth, today)
	data["Consents"], data["ConsentActive"] = consents, active
	guardians, err := a.people.Members(area.ID, people.RoleGuardian)
	if err != nil {
		return err
	}
	data["GuardianAccounts"] = guardians
	data["NeedsConsent"] = v.Youth.BirthDate.AgeOn(today) < 15
	return a.render(c, status, "youth", data)
}
