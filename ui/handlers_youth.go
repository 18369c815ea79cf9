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
	return a.render(c, fiber.StatusOK, &youthsPage{basePage: basePage{Done: a.doneMessage(c)},
		Youths: rows, Historical: historical, Unreadable: unreadable})
}

func (a *App) youthForm(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, &youthNewPage{basePage{Form: map[string]string{"school": "compulsory"}}})
}

var youthFormFields = []string{"display_name", "username", "birth_date", "gender", "school", "guardian_name", "guardian_phone"}

func (a *App) createYouth(c *fiber.Ctx) error {
	area := currentArea(c)
	show := func(c *fiber.Ctx, status int, b basePage) error { return a.render(c, status, &youthNewPage{b}) }
	birth, err := people.ParseDate(c.FormValue("birth_date"))
	if err != nil {
		return a.refused(c, fieldError("birth_date", "format"), show, youthFormFields...)
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
		return a.refused(c, err, show, youthFormFields...)
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
	return a.renderYouthPage(c, fiber.StatusOK, id, &youthPage{basePage: basePage{Done: a.doneMessage(c)}})
}

// renderYouthPage shows a youth's profile and consents to a coordinator,
// with what the handler put in p (a message, a consent link).
func (a *App) renderYouthPage(c *fiber.Ctx, status int, id uint64, p *youthPage) error {
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
	p.Y, p.Age, p.Band = v, v.Youth.BirthDate.AgeOn(today), ageBandKey(v.Youth, today)
	p.Consents, p.ConsentActive = consents, active
	guardians, err := a.people.Members(area.ID, people.RoleGuardian)
	if err != nil {
		return err
	}
	p.GuardianAccounts = guardians
	p.NeedsConsent = v.Youth.BirthDate.AgeOn(today) < 15
	p.Contact = contactForm(v.User.Contact)
	if _, sent := p.Form["phone"]; sent { // the contact form refused: as typed
		p.Contact, p.ContactRefused = map[string]string{"phone": p.Form["phone"], "sms": p.Form["sms"]}, true
	}
	return a.render(c, status, p)
}

// showYouth shows youth's profile again after a refusal.
func (a *App) showYouth(youth uint64) pageFunc {
	return func(c *fiber.Ctx, status int, b basePage) error {
		return a.renderYouthPage(c, status, youth, &youthPage{basePage: b})
	}
}
