package ui

import (
	"github.com/gofiber/fiber/v2"

	"fritidsjob/employers"
)

var employerFormFields = []string{"name", "cvr", "address", "industry", "agreements", "contact_name", "contact_phone", "contact_email"}

// employerList is the area's employer register with the form to add one.
func (a *App) employerList(c *fiber.Ctx) error {
	return a.renderEmployers(c, fiber.StatusOK, fiber.Map{"Done": a.doneMessage(c)})
}

func (a *App) renderEmployers(c *fiber.Ctx, status int, data fiber.Map) error {
	list, err := a.employers.Employers(currentArea(c).ID)
	if err != nil {
		return err
	}
	data["Employers"] = list
	return a.render(c, status, "employers", data)
}

// createEmployer registers an employer; an invalid or duplicate CVR shows
// the form again with the input kept.
func (a *App) createEmployer(c *fiber.Ctx) error {
	n := employers.NewEmployer{Name: c.FormValue("name"), CVR: c.FormValue("cvr"), Address: c.FormValue("address"),
		Industry: c.FormValue("industry"), Agreements: c.FormValue("agreements")}
	if name := c.FormValue("contact_name"); name != "" {
		n.Contacts = []employers.Contact{{Name: name, Phone: c.FormValue("contact_phone"), Email: c.FormValue("contact_email")}}
	}
	if _, err := a.employers.CreateEmployer(currentArea(c).ID, n); err != nil {
		return a.formError(c, err, func(s int, d fiber.Map) error { return a.renderEmployers(c, s, d) }, employerFormFields...)
	}
	return c.Redirect(areaURL(c, "/employers?done=employer_created"), fiber.StatusSeeOther)
}
