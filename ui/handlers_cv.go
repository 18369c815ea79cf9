package ui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/cv"
	"fritidsjob/people"
)

// cvRows is how many rows of each repeated section the form shows beyond
// what the youth already has.
const cvRows = 2

// cvPage is the youth's CV editor (or a coordinator's, when allowed).
func (a *App) cvPage(c *fiber.Ctx) error {
	area, youth, staff, err := a.cvSubject(c)
	if err != nil {
		return err
	}
	return a.renderCV(c, fiber.StatusOK, area, youth, staff, basePage{Done: a.doneMessage(c)}, nil)
}

// cvSubject says whose CV the request is about: the logged-in youth's own
// (/a/:area/cv) or, for a coordinator, the youth in the URL.
func (a *App) cvSubject(c *fiber.Ctx) (area, youth uint64, staff bool, err error) {
	area = currentArea(c).ID
	if p := c.Params("user"); p != "" {
		id, ok := parseID(p)
		if !ok {
			return 0, 0, false, fiber.ErrNotFound
		}
		return area, id, true, nil
	}
	return area, currentUser(c).ID, false, nil
}

// renderCV shows youth's CV editor; sent, when not nil, is the form as
// sent, shown again after a refusal.
func (a *App) renderCV(c *fiber.Ctx, status int, area, youth uint64, staff bool, b basePage, sent *cv.CV) error {
	v, err := a.people.Youth(area, youth)
	if err != nil {
		return err
	}
	if err := a.audit(c, people.AccessRead, "cv", youth, ""); err != nil {
		return err
	}
	doc, err := a.cv.Get(area, youth)
	if err != nil {
		return err
	}
	if sent != nil {
		doc = *sent
	}
	lines, err := a.cv.Lines(area, youth)
	if err != nil {
		return err
	}
	courses, err := a.cv.Courses(area, youth)
	if err != nil {
		return err
	}
	codes, err := a.cv.Codes(area, youth)
	if err != nil {
		return err
	}
	lang := a.lang(c)
	lv := make([]cvLine, len(lines))
	for i, l := range lines {
		w := a.workLine(lang, l, currentArea(c).Name)
		lv[i] = cvLine{VerifiedLine: l, Text: w.Title + " · " + w.Detail + " · " + w.Period}
	}
	base := areaURL(c, "/cv")
	if staff {
		base = areaURL(c, "/youths/"+strconv.FormatUint(youth, 10)+"/cv")
	}
	return a.render(c, status, &cvPage{basePage: b,
		Youth: v, CV: doc, Lines: lv, Courses: courses, Codes: codes,
		Staff: staff, Base: base, Now: a.cfg.Now(),
		Edu:     padItems(doc.Education),
		Own:     padItems(doc.OwnWork),
		Langs:   append(append([]cv.Language(nil), doc.Languages...), make([]cv.Language, cvRows)...),
		Refs:    append(append([]cv.Ref(nil), doc.References...), make([]cv.Ref, 1)...),
		CanEdit: !staff || doc.HelpAllowed,
	})
}

func padItems(items []cv.Item) []cv.Item {
	return append(append([]cv.Item(nil), items...), make([]cv.Item, cvRows)...)
}

// saveCV reads the CV form. Nothing the youth typed is lost on an error:
// the form comes back as sent.
func (a *App) saveCV(c *fiber.Ctx) error {
	area, youth, staff, err := a.cvSubject(c)
	if err != nil {
		return err
	}
	old, err := a.cv.Get(area, youth)
	if err != nil {
		return err
	}
	f := cv.CV{
		Headline: c.FormValue("headline"), Profile: c.FormValue("profile"),
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), Town: c.FormValue("town"),
		ShowPhone: c.FormValue("show_phone") == "on", ShowEmail: c.FormValue("show_email") == "on", ShowTown: c.FormValue("show_town") == "on",
		Skills: splitList(c.FormValue("skills")), Interests: splitList(c.FormValue("interests")),
		Template: c.FormValue("template"), Lang: c.FormValue("cv_lang"), HelpAllowed: c.FormValue("help") == "on",
	}
	for i := 0; i < 25; i++ {
		n := strconv.Itoa(i)
		if t := c.FormValue("edu_title_" + n); t != "" {
			f.Education = append(f.Education, cv.Item{Title: t, Place: c.FormValue("edu_place_" + n), Period: c.FormValue("edu_period_" + n)})
		}
		if t := c.FormValue("own_title_" + n); t != "" {
			f.OwnWork = append(f.OwnWork, cv.Item{Title: t, Place: c.FormValue("own_place_" + n), Period: c.FormValue("own_period_" + n)})
		}
		if l := c.FormValue("lang_name_" + n); l != "" {
			f.Languages = append(f.Languages, cv.Language{Name: l, Level: c.FormValue("lang_level_" + n)})
		}
		if r := c.FormValue("ref_name_" + n); r != "" {
			ref := cv.Ref{Name: r, Relation: c.FormValue("ref_relation_" + n), Contact: c.FormValue("ref_contact_" + n)}
			if c.FormValue("ref_consent_"+n) == "on" {
				ref.ConsentAt = a.cfg.Now()
			}
			f.References = append(f.References, ref)
		}
	}
	shown := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("show_line") {
		shown[string(v)] = true
	}
	lines, err := a.cv.Lines(area, youth)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if !shown[l.Key] {
			f.HiddenLines = append(f.HiddenLines, l.Key)
		}
	}
	if staff {
		f.HelpAllowed = old.HelpAllowed
	}
	if _, err := a.cv.Save(area, youth, currentUser(c).ID, f, staff); err != nil {
		return a.refused(c, err, func(c *fiber.Ctx, status int, b basePage) error {
			return a.renderCV(c, status, area, youth, staff, b, &f) // nothing typed is lost
		})
	}
	if err := a.audit(c, people.AccessChange, "cv", youth, ""); err != nil {
		return err
	}
	target := areaURL(c, "/cv?done=cv_saved")
	if staff {
		target = areaURL(c, "/youths/"+strconv.FormatUint(youth, 10)+"/cv?done=cv_saved")
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// splitList reads "a, b, c" (or one per line) into items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cvDocument assembles what is printed: the youth's choices, the verified
// lines they show, the courses and the verification code.
func (a *App) cvDocument(c *fiber.Ctx, area, youth uint64, withCode bool) (cv.Document, error) {
	v, err := a.people.Youth(area, youth)
	if err != nil {
		return cv.Document{}, err
	}
	d, err := a.cv.Get(area, youth)
	if err != nil {
		return cv.Document{}, err
	}
	lines, err := a.cv.Lines(area, youth)
	if err != nil {
		return cv.Document{}, err
	}
	courses, err := a.cv.Courses(area, youth)
	if err != nil {
		return cv.Document{}, err
	}
	lang := pickLang(c.Query("lang", d.Lang))
	template := c.Query("template", d.Template)
	areaName := currentArea(c).Name
	doc := cv.Document{Lang: lang, Template: template, Name: v.User.DisplayName, Headline: d.Headline, Profile: d.Profile,
		Skills: d.Skills, Interests: d.Interests, Languages: d.Languages}
	if doc.Headline == "" {
		doc.Headline = a.msg.T(lang, "cv.default_headline", areaName)
	}
	for _, x := range []struct {
		show bool
		v    string
	}{{d.ShowPhone, d.Phone}, {d.ShowEmail, d.Email}, {d.ShowTown, d.Town}} {
		if x.show && x.v != "" {
			doc.Contact = append(doc.Contact, x.v)
		}
	}
	for _, l := range lines {
		if !l.Hidden {
			doc.Work = append(doc.Work, a.workLine(lang, l, areaName))
		}
	}
	for _, w := range d.OwnWork {
		doc.Work = append(doc.Work, cv.WorkLine{Title: w.Title, Place: w.Place, Period: w.Period})
	}
	for _, e := range d.Education {
		doc.Education = append(doc.Education, cv.Entry{Title: e.Title, Place: e.Place, Period: e.Period})
	}
	for _, k := range courses {
		doc.Courses = append(doc.Courses, cv.Entry{Title: k.Title, Place: k.Issuer, Period: formatDate(k.Date), Verified: true, Date: k.Date.String()})
	}
	for _, r := range d.References {
		if !r.ConsentAt.IsZero() {
			doc.References = append(doc.References, cv.Reference{Name: r.Name, Relation: r.Relation, Contact: r.Contact})
		}
	}
	if withCode {
		code, err := a.cv.CurrentCode(area, youth)
		if err != nil {
			return cv.Document{}, err
		}
		doc.Code = code.Value
		doc.URL = a.publicBase(c) + "/v/" + code.Value
		doc.Issued = formatDate(code.Created)
		doc.VerifiedBy = a.msg.T(lang, "cv.verified_by_area", areaName)
	}
	return doc, nil
}

// workLine translates a verified line: "Børnepasning, Blåbærparken — 14
// gange, 28 timer, jan.–mar. 2027".
func (a *App) workLine(lang string, l cv.VerifiedLine, areaName string) cv.WorkLine {
	title := a.msg.T(lang, "cvline."+l.Type)
	if l.Category != "" && a.msg.has(lang, "cat."+l.Category) {
		title = a.msg.T(lang, "cat."+l.Category)
	}
	hours := strconv.FormatFloat(float64(l.Minutes)/60, 'f', -1, 64)
	if lang == "da" {
		hours = strings.ReplaceAll(hours, ".", ",")
	}
	times := a.msg.N(lang, "cv.times", l.Times)
	hrs := a.msg.T(lang, "cv.hours", hours)
	if l.Minutes == 60 {
		hrs = a.msg.T(lang, "cv.one_hour")
	}
	return cv.WorkLine{Title: title, Place: areaName, Detail: times + ", " + hrs,
		Period: a.period(lang, l.First, l.Last), Verified: true, Start: l.First.String(), End: l.Last.String()}
}

// period shows a span of dates by month: "jan.–mar. 2027", "nov. 2026–feb. 2027".
func (a *App) period(lang string, from, to people.Date) string {
	m := func(d people.Date) string { return a.msg.T(lang, "mon."+strconv.Itoa(int(d.Month))) }
	switch {
	case from.Year == to.Year && from.Month == to.Month:
		return m(from) + " " + strconv.Itoa(from.Year)
	case from.Year == to.Year:
		return m(from) + "–" + m(to) + " " + strconv.Itoa(to.Year)
	}
	return m(from) + " " + strconv.Itoa(from.Year) + "–" + m(to) + " " + strconv.Itoa(to.Year)
}

// publicBase is the site's address for links printed on paper.
func (a *App) publicBase(c *fiber.Ctx) string {
	if a.cfg.PublicURL != "" {
		return strings.TrimSuffix(a.cfg.PublicURL, "/")
	}
	return c.BaseURL()
}

// cvDocumentFor builds the CV of the request's youth (the logged-in youth,
// or the one in a coordinator's URL) and logs the access.
func (a *App) cvDocumentFor(c *fiber.Ctx, withCode bool, action, what, detail string) (cv.Document, error) {
	area, youth, _, err := a.cvSubject(c)
	if err != nil {
		return cv.Document{}, err
	}
	doc, err := a.cvDocument(c, area, youth, withCode)
	if err != nil {
		return cv.Document{}, err
	}
	return doc, a.audit(c, action, what, youth, detail)
}

func (a *App) cvPreview(c *fiber.Ctx) error {
	doc, err := a.cvDocumentFor(c, false, people.AccessRead, "cv", "preview")
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, &cvPreviewPage{Doc: doc})
}

// cvPDF sends the CV as a PDF with the youth's current verification code.
func (a *App) cvPDF(c *fiber.Ctx) error {
	doc, err := a.cvDocumentFor(c, true, people.AccessExport, "cv_pdf", "")
	if err != nil {
		return err
	}
	pdf, err := a.renderer.Render(doc)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="cv-`+slug(doc.Name)+`.pdf"`)
	return c.Send(pdf)
}

// cvJSON sends the CV as JSON Resume.
func (a *App) cvJSON(c *fiber.Ctx) error {
	doc, err := a.cvDocumentFor(c, true, people.AccessExport, "cv_json", "")
	if err != nil {
		return err
	}
	b, err := doc.JSONResume(doc.VerifiedBy)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="cv-`+slug(doc.Name)+`.json"`)
	return c.Send(b)
}

func (a *App) revokeCode(c *fiber.Ctx) error {
	area, youth, staff, err := a.cvSubject(c)
	if err != nil {
		return err
	}
	id, ok := parseID(c.Params("code"))
	if !ok {
		return fiber.ErrNotFound
	}
	if err := a.cv.Revoke(area, youth, id, currentUser(c).ID); err != nil {
		return err
	}
	if err := a.audit(c, people.AccessChange, "cv_code", youth, "revoked"); err != nil {
		return err
	}
	target := areaURL(c, "/cv?done=code_revoked")
	if staff {
		target = areaURL(c, "/youths/"+strconv.FormatUint(youth, 10)+"/cv?done=code_revoked")
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// addCourse records a course or certificate for a youth (coordinator).
func (a *App) addCourse(c *fiber.Ctx) error {
	area, youth, _, err := a.cvSubject(c)
	if err != nil {
		return err
	}
	date, derr := people.ParseDate(c.FormValue("date"))
	if derr != nil {
		err = fieldError("course_date", "format")
	} else {
		_, err = a.cv.AddCourse(area, youth, currentUser(c).ID, c.FormValue("title"), c.FormValue("issuer"), date)
	}
	if err != nil {
		return a.refused(c, err, func(c *fiber.Ctx, status int, b basePage) error {
			return a.renderCV(c, status, area, youth, true, b, nil)
		})
	}
	if err := a.audit(c, people.AccessChange, "course", youth, "added"); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/youths/"+strconv.FormatUint(youth, 10)+"/cv?done=course_added"), fiber.StatusSeeOther)
}

// verifyPage is public: anyone with a code sees the verified lines and
// nothing else about the youth.
func (a *App) verifyPage(c *fiber.Ctx) error {
	code := c.Params("code")
	if code == "" {
		code = c.Query("code")
	}
	if code == "" {
		return a.render(c, fiber.StatusOK, &verifyPage{})
	}
	v, err := a.cv.Verify(code)
	if errors.Is(err, cv.ErrCodeClosed) {
		return a.render(c, fiber.StatusNotFound, &verifyPage{Closed: true, Code: code})
	}
	if err != nil {
		return err
	}
	area, err := a.people.Area(v.Code.AreaID)
	if err != nil {
		return err
	}
	// The youth can see that someone with the code looked: one entry per
	// code and day, with how many times it was opened.
	if err := a.people.LogAccessDaily(people.AccessEntry{ActorRole: people.RolePublic, AreaID: area.ID,
		Action: people.AccessRead, What: "cv_verified", SubjectID: v.Code.YouthID},
		"cv_code:"+strconv.FormatUint(v.Code.AreaID, 10)+":"+strconv.FormatUint(v.Code.ID, 10)); err != nil {
		return err
	}
	lang := a.lang(c)
	var lines []cv.WorkLine
	for _, l := range v.Lines {
		lines = append(lines, a.workLine(lang, l, area.Name))
	}
	return a.render(c, fiber.StatusOK, &verifyPage{Verified: &v, Lines: lines, AreaName: area.Name, Code: v.Code.Value})
}
