package ui

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/employers"
	"fritidsjob/people"
)

var employerFormFields = []string{"name", "cvr", "address", "industry", "agreements", "notes", "contact_name", "contact_phone", "contact_email", "contact_user"}

// employerList is the area's employer register with the form to add one.
func (a *App) employerList(c *fiber.Ctx) error {
	return a.renderEmployers(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderEmployers(c *fiber.Ctx, status int, b basePage) error {
	list, err := a.employers.Employers(currentArea(c).ID)
	if err != nil {
		return err
	}
	contacts, err := a.people.Members(currentArea(c).ID, people.RoleEmployer)
	if err != nil {
		return err
	}
	return a.render(c, status, &employersPage{basePage: b, Employers: list, ContactUsers: contacts})
}

// contactFromForm reads the contact-person fields; the login (a user
// with the employer-contact role) is optional, and names the contact when
// no name was typed.
func (a *App) contactFromForm(c *fiber.Ctx) (employers.Contact, bool) {
	ct := employers.Contact{Name: c.FormValue("contact_name"), Phone: c.FormValue("contact_phone"), Email: c.FormValue("contact_email")}
	if id, ok := parseID(c.FormValue("contact_user")); ok {
		ct.UserID = id
		if strings.TrimSpace(ct.Name) == "" {
			if u, err := a.people.User(id); err == nil {
				ct.Name = u.DisplayName
			}
		}
	}
	return ct, ct.Name != "" || ct.UserID != 0
}

// createEmployer registers an employer; an invalid or duplicate CVR shows
// the form again with the input kept.
func (a *App) createEmployer(c *fiber.Ctx) error {
	n := employerFromForm(c)
	if ct, ok := a.contactFromForm(c); ok {
		n.Contacts = []employers.Contact{ct}
	}
	e, err := a.employers.CreateEmployer(currentArea(c).ID, n)
	if err != nil {
		return a.refused(c, err, a.renderEmployers, employerFormFields...)
	}
	return c.Redirect(areaURL(c, "/employers/"+strconv.FormatUint(e.ID, 10)+"?done=employer_created"), fiber.StatusSeeOther)
}

// employerFromForm reads the employer's own fields (not its contacts).
func employerFromForm(c *fiber.Ctx) employers.NewEmployer {
	return employers.NewEmployer{Name: c.FormValue("name"), CVR: c.FormValue("cvr"), Address: c.FormValue("address"),
		Industry: c.FormValue("industry"), Agreements: c.FormValue("agreements"), Notes: c.FormValue("notes")}
}

// updateEmployer changes an employer's name, CVR (checked as at
// registration), address, industry, agreements and notes; its contact
// persons stay.
func (a *App) updateEmployer(c *fiber.Ctx) error {
	area := currentArea(c).ID
	id, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	if _, err := a.employers.UpdateDetails(area, id, employerFromForm(c)); err != nil {
		return a.refused(c, err, a.showEmployer(employerEdit{Editing: true}), employerFormFields...)
	}
	return c.Redirect(areaURL(c, "/employers/"+strconv.FormatUint(id, 10)+"?done=employer_updated"), fiber.StatusSeeOther)
}

// idParam reads a positive ID from URL parameter name, or 404.
func idParam(c *fiber.Ctx, name string) (uint64, error) {
	id, ok := parseID(c.Params(name))
	if !ok {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// employerPage shows one employer: contacts, notes, agreements, its
// openings, the youths shared with it and its feedback, with the forms to
// post an opening, add a contact person and share a candidate.
func (a *App) employerPage(c *fiber.Ctx) error {
	return a.renderEmployer(c, fiber.StatusOK, &employerPage{basePage: basePage{Done: a.doneMessage(c)}})
}

var openingFormFields = []string{"role", "place", "hours", "min_age", "start_date", "wage", "keywords", "lifting", "alone", "machines"}

// renderEmployer shows the employer page p, with what the handler put in
// it (a message, the forms a refusal opens again).
func (a *App) renderEmployer(c *fiber.Ctx, status int, p *employerPage) error {
	area := currentArea(c).ID
	id, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	e, err := a.employers.Employer(area, id)
	if err != nil {
		return err
	}
	openings, err := a.employers.Openings(area, id)
	if err != nil {
		return err
	}
	shares, err := a.employers.Shares(area, id)
	if err != nil {
		return err
	}
	feedback, err := a.employers.FeedbackFor(area, id, 0)
	if err != nil {
		return err
	}
	contacts, err := a.people.Members(area, people.RoleEmployer)
	if err != nil {
		return err
	}
	// The share form lists the area's youths: a search of youths.
	if err := a.audit(c, people.AccessSearch, "youth_list", 0, "employer="+strconv.FormatUint(id, 10)); err != nil {
		return err
	}
	ys, _, err := a.people.YouthsInArea(area)
	if err != nil {
		return err
	}
	names := map[uint64]string{}
	for _, y := range ys {
		names[y.User.ID] = y.User.DisplayName
	}
	ys, _ = activeYouths(ys, nil) // the share form offers current youths only
	p.E, p.Openings, p.Shares, p.Feedback = e, openings, shares, feedback
	p.Youths, p.Names, p.ContactUsers = ys, names, contacts
	return a.render(c, status, p)
}

// showEmployer shows the employer page again after a refusal, with the
// edit forms in edit open.
func (a *App) showEmployer(edit employerEdit) pageFunc {
	return func(c *fiber.Ctx, status int, b basePage) error {
		return a.renderEmployer(c, status, &employerPage{basePage: b, employerEdit: edit})
	}
}

// addContact adds a contact person (optionally with a login) to an employer.
func (a *App) addContact(c *fiber.Ctx) error {
	id, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	ct, ok := a.contactFromForm(c)
	if !ok {
		return a.refused(c, fieldError("contact_name", "required"), a.showEmployer(employerEdit{}), employerFormFields...)
	}
	if _, err := a.employers.AddContact(currentArea(c).ID, id, ct); err != nil {
		return a.refused(c, err, a.showEmployer(employerEdit{}), employerFormFields...)
	}
	return c.Redirect(areaURL(c, "/employers/"+strconv.FormatUint(id, 10)+"?done=contact_added"), fiber.StatusSeeOther)
}

// contactParams reads the :employer and :index URL parameters of a
// contact's routes.
func contactParams(c *fiber.Ctx) (employer uint64, index int, err error) {
	if employer, err = idParam(c, "employer"); err != nil {
		return 0, 0, err
	}
	if index, err = strconv.Atoi(c.Params("index")); err != nil {
		return 0, 0, fiber.ErrNotFound
	}
	return employer, index, nil
}

// updateContact corrects a contact person in place: name, phone, e-mail
// or login. Refused input shows the page again with that contact's form
// open and the input kept.
func (a *App) updateContact(c *fiber.Ctx) error {
	id, i, err := contactParams(c)
	if err != nil {
		return err
	}
	show := a.showEmployer(employerEdit{EditingContact: true, EditContact: i})
	ct, ok := a.contactFromForm(c)
	if !ok {
		return a.refused(c, fieldError("contact_name", "required"), show, employerFormFields...)
	}
	if _, err := a.employers.UpdateContact(currentArea(c).ID, id, i, c.FormValue("name"), ct); err != nil {
		return a.refused(c, err, show, employerFormFields...)
	}
	return c.Redirect(areaURL(c, "/employers/"+strconv.FormatUint(id, 10)+"?done=contact_updated"), fiber.StatusSeeOther)
}

// removeContact removes a contact person from an employer; a login the
// contact had no longer reaches this employer's candidates.
func (a *App) removeContact(c *fiber.Ctx) error {
	id, i, err := contactParams(c)
	if err != nil {
		return err
	}
	if _, err := a.employers.RemoveContact(currentArea(c).ID, id, i, c.FormValue("name")); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/employers/"+strconv.FormatUint(id, 10)+"?done=contact_removed"), fiber.StatusSeeOther)
}

// splitKeywords reads a comma-separated list.
func splitKeywords(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// createOpening posts an opening for the employer.
func (a *App) createOpening(c *fiber.Ctx) error {
	id, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	fail := func(err error) error { return a.refused(c, err, a.showEmployer(employerEdit{}), openingFormFields...) }
	n := employers.NewOpening{EmployerID: id, Role: c.FormValue("role"), Place: c.FormValue("place"),
		Lifting12kg: c.FormValue("lifting") == "on", WorksAlone: c.FormValue("alone") == "on",
		Machines: c.FormValue("machines") == "on", Keywords: splitKeywords(c.FormValue("keywords"))}
	if n.HoursPerWeek, err = parseIntField("hours", c.FormValue("hours"), 1, 40); err != nil {
		return fail(err)
	}
	if n.MinAge, err = parseIntField("min_age", c.FormValue("min_age"), 13, 30); err != nil {
		return fail(err)
	}
	if n.StartDate, err = people.ParseDate(c.FormValue("start_date")); err != nil {
		return fail(fieldError("start_date", "format"))
	}
	if w := strings.TrimSpace(c.FormValue("wage")); w != "" {
		if n.WageOre, err = parseKroner("wage", w); err != nil {
			return fail(err)
		}
	}
	o, err := a.employers.CreateOpening(currentArea(c).ID, n)
	if err != nil {
		return fail(err)
	}
	return c.Redirect(areaURL(c, "/openings/"+strconv.FormatUint(o.ID, 10)+"?done=opening_created"), fiber.StatusSeeOther)
}

// shareCandidate shares a youth with the employer. The coordinator
// confirms that the youth agreed (required); whether the employer may see
// the youth's phone and address is a separate choice of the youth's.
func (a *App) shareCandidate(c *fiber.Ctx) error {
	area := currentArea(c).ID
	id, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	fields := []string{"youth", "consent", "show_contact"}
	show := a.showEmployer(employerEdit{})
	youth, ok := parseID(c.FormValue("youth"))
	if !ok {
		return a.refused(c, fieldError("youth", "required"), show, fields...)
	}
	if c.FormValue("consent") != "on" {
		return a.refused(c, fieldError("consent", "required"), show, fields...)
	}
	if _, err := a.employers.ShareYouth(area, id, youth, currentUser(c).ID, a.cfg.Now(), c.FormValue("show_contact") == "on"); err != nil {
		return a.refused(c, err, show, fields...)
	}
	if err := a.audit(c, people.AccessChange, "employer_share", youth, "employer="+strconv.FormatUint(id, 10)); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/employers/"+strconv.FormatUint(id, 10)+"?done=candidate_shared"), fiber.StatusSeeOther)
}

// unshareCandidate withdraws a shared youth from the employer (for
// example when the youth withdraws consent).
func (a *App) unshareCandidate(c *fiber.Ctx) error {
	id, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	youth, err := idParam(c, "user")
	if err != nil {
		return err
	}
	if _, err := a.employers.Employer(currentArea(c).ID, id); err != nil {
		return err
	}
	if err := a.employers.Unshare(currentArea(c).ID, id, youth); err != nil {
		return err
	}
	if err := a.audit(c, people.AccessChange, "employer_share", youth, "withdrawn employer="+strconv.FormatUint(id, 10)); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/employers/"+strconv.FormatUint(id, 10)+"?done=candidate_unshared"), fiber.StatusSeeOther)
}

// matchYouths are the area's youths with their CV interests, for matching.
func (a *App) matchYouths(area uint64, only uint64) ([]employers.MatchYouth, error) {
	var vs []people.YouthView
	if only != 0 {
		v, err := a.people.Youth(area, only)
		if err != nil {
			return nil, err
		}
		vs = []people.YouthView{v}
	} else {
		var err error
		if vs, _, err = a.people.YouthsInArea(area); err != nil {
			return nil, err
		}
		vs, _ = activeYouths(vs, nil) // history is not suggested for openings
	}
	out := make([]employers.MatchYouth, 0, len(vs))
	for _, v := range vs {
		cv, err := a.cv.Get(area, v.User.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, employers.MatchYouth{ID: v.User.ID, Name: v.User.DisplayName, Youth: v.Youth, Interests: cv.Interests})
	}
	return out, nil
}

// openingPage shows an opening with the youths it suggests (and why) and
// the youths in the pipeline it does not fit yet (and why not).
func (a *App) openingPage(c *fiber.Ctx) error {
	area := currentArea(c).ID
	id, err := idParam(c, "opening")
	if err != nil {
		return err
	}
	o, err := a.employers.Opening(area, id)
	if err != nil {
		return err
	}
	e, err := a.employers.Employer(area, o.EmployerID)
	if err != nil {
		return err
	}
	if err := a.audit(c, people.AccessSearch, "match", 0, "opening="+strconv.FormatUint(id, 10)); err != nil {
		return err
	}
	ys, err := a.matchYouths(area, 0)
	if err != nil {
		return err
	}
	matches, others, err := a.employers.SuggestYouths(area, id, ys)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, &openingPage{basePage: basePage{Done: a.doneMessage(c)},
		O: o, E: e, Matches: matches, Others: others})
}

// closeOpening stops an opening from taking placements.
func (a *App) closeOpening(c *fiber.Ctx) error {
	id, err := idParam(c, "opening")
	if err != nil {
		return err
	}
	if err := a.employers.CloseOpening(currentArea(c).ID, id); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/openings/"+strconv.FormatUint(id, 10)+"?done=opening_closed"), fiber.StatusSeeOther)
}

// reason renders a match reason in lang: a broken rule in its own words,
// everything else through the catalogue ("match.<code>").
func (c catalog) reason(lang string, r employers.Reason) string {
	if r.Text != nil {
		if t, ok := r.Text[lang]; ok {
			return t
		}
		return r.Text["da"]
	}
	args := make([]any, len(r.Args))
	for i, s := range r.Args {
		args[i] = s
	}
	return c.T(lang, "match."+r.Code, args...)
}
