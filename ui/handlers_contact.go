package ui

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

// externalChannels are the channels besides the inbox a user may choose,
// in the order the pages list them.
var externalChannels = []string{"sms", "email"}

// channelsOff are the external channels this installation does not send on.
func (a *App) channelsOff() []string {
	var off []string
	for _, ch := range externalChannels {
		if !slices.Contains(a.cfg.Channels, ch) {
			off = append(off, ch)
		}
	}
	return off
}

// contactForm is the contact form's values for c as stored.
func contactForm(c people.Contact) map[string]string {
	f := map[string]string{"phone": formatPhone(c.Phone), "email": c.Email}
	if c.SMS {
		f["sms"] = "on"
	}
	if c.Mail {
		f["mail"] = "on"
	}
	return f
}

// formatPhone writes a stored "+45" number as "+45 22 34 56 78"; any
// other value as it is.
func formatPhone(p string) string {
	d, ok := strings.CutPrefix(p, "+45")
	if !ok || len(d) != 8 {
		return p
	}
	return "+45 " + d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8]
}

// saveContact stores the user's own phone, e-mail and the channels they
// chose ("Send mig sms", "Send mig e-mail"); the inbox is always on. Bad
// input is shown on the page with the values as typed.
func (a *App) saveContact(c *fiber.Ctx) error {
	u := currentUser(c)
	ct := people.Contact{Phone: c.FormValue("phone"), Email: c.FormValue("email"),
		SMS: c.FormValue("sms") == "on", Mail: c.FormValue("mail") == "on"}
	if err := a.people.SetContact(u.ID, ct); err != nil {
		return a.refused(c, err, a.renderAccount, "phone", "email", "sms", "mail")
	}
	a.log.Info("contact changed", "user", u.ID, "sms", ct.SMS, "mail", ct.Mail, "rid", requestID(c))
	return c.Redirect("/account?done=contact_saved#account-contact", fiber.StatusSeeOther)
}

// saveYouthContact sets a youth's phone number and SMS choice for them
// (coordinator), keeping their e-mail and its choice; logged in the
// youth's access log like any change to their data.
func (a *App) saveYouthContact(c *fiber.Ctx) error {
	area, youth, err := a.youthOfArea(c)
	if err != nil {
		return err
	}
	u, err := a.people.User(youth)
	if err != nil {
		return err
	}
	ct := u.Contact
	ct.Phone, ct.SMS = c.FormValue("phone"), c.FormValue("sms") == "on"
	if err := a.people.SetContact(youth, ct); err != nil {
		return a.refused(c, onPage(err), a.showYouth(youth), "phone", "sms")
	}
	if err := a.audit(c, people.AccessChange, "youth_contact", youth, ""); err != nil {
		return err
	}
	return c.Redirect(youthURL(area, youth)+"?done=youth_contact_saved", fiber.StatusSeeOther)
}
