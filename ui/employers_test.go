package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
)

// TestEmployerRegister: a coordinator registers an employer; an invalid or
// duplicate CVR is refused in Danish with the input kept; another area's
// coordinator does not see it.
func TestEmployerRegister(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	page := areaPath(f.areaA, "/employers")
	form := url.Values{"name": {"Føtex Gellerup"}, "cvr": {"12345678"}, "industry": {"Detailhandel"},
		"contact_name": {"Jørgen Ærø"}, "contact_phone": {"86 00 00 00"}}
	if resp, body := coord.post(page, page, form); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.cvr.checksum")) || !strings.Contains(body, `value="Føtex Gellerup"`) {
		t.Fatalf("bad checksum: %d", resp.StatusCode)
	}
	form.Set("cvr", "1234567")
	if resp, body := coord.post(page, page, form); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.cvr.format")) {
		t.Fatalf("7 digits: %d", resp.StatusCode)
	}
	form.Set("cvr", validCVR(1234567))
	if resp, _ := coord.post(page, page, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	if _, body := coord.get(page); !strings.Contains(body, "Føtex Gellerup") || !strings.Contains(body, "Jørgen Ærø") {
		t.Fatal("employer not listed")
	}
	if resp, body := coord.post(page, page, form); resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.employers.duplicate_cvr")) {
		t.Fatalf("duplicate CVR: %d", resp.StatusCode)
	}
	other := f.loggedIn("coordB")
	if _, body := other.get(areaPath(f.areaB, "/employers")); strings.Contains(body, "Føtex Gellerup") {
		t.Fatal("another area sees the employer")
	}
}

// validCVR turns 7 leading digits into a CVR whose weighted sum (2, 7, 6,
// 5, 4, 3, 2, 1) is divisible by 11, or "" when no last digit works.
func validCVR(first7 int) string {
	w := []int{2, 7, 6, 5, 4, 3, 2}
	d := []byte{}
	for _, r := range itoa(first7) {
		d = append(d, byte(r-'0'))
	}
	sum := 0
	for i, x := range d {
		sum += int(x) * w[i]
	}
	for last := 0; last <= 9; last++ {
		if (sum+last)%11 == 0 {
			return itoa(first7) + itoa(last)
		}
	}
	return ""
}

// idFrom reads the last path element of a redirect such as
// /a/1/employers/7?done=... as an ID.
func idFrom(t *testing.T, loc string) uint64 {
	t.Helper()
	p := strings.SplitN(loc, "?", 2)[0]
	id, ok := parseID(p[strings.LastIndex(p, "/")+1:])
	if !ok {
		t.Fatalf("no ID in %q", loc)
	}
	return id
}

// TestEmployerPipelineHTTP walks a coordinator through employer
// bridging: an employer with a contact login, a refused and a posted
// opening, a share refused without consent and then made, the pipeline
// to interview with a guidance session, a too-young placement and a
// follow-up before the start refused in Danish with nothing changed, a
// placement, a note due today, the funnel with "<5".
func TestEmployerPipelineHTTP(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	area := f.areaA.ID
	youth := f.users["youtha"].ID
	list := areaPath(f.areaA, "/employers")
	resp, _ := coord.post(list, list, url.Values{"name": {"Dyrenes Hus"}, "cvr": {validCVR(2345678)}, "industry": {"Dyrehandel"},
		"contact_name": {"Mette"}, "contact_user": {itoa(int(f.users["empla"].ID))}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create employer: %d", resp.StatusCode)
	}
	emp := idFrom(t, resp.Header.Get("Location"))
	page := areaPath(f.areaA, "/employers/"+itoa(int(emp)))
	if _, body := coord.get(page); !strings.Contains(body, "Dyrenes Hus") || !strings.Contains(body, f.msg("employers.has_login")) {
		t.Fatal("employer page lacks the employer or its contact login")
	}

	// Editing: a bad CVR changes nothing; notes and agreements are saved.
	edit := url.Values{"name": {"Dyrenes Hus"}, "cvr": {"23456780"}, "industry": {"Dyrehandel"}, "notes": {"Ring før kl. 10"}}
	if resp, body := coord.post(page, page, edit); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.cvr.checksum")) {
		t.Fatalf("edit with bad CVR: %d", resp.StatusCode)
	}
	if e, _ := f.app.employers.Employer(area, emp); e.Notes != "" || e.CVR != validCVR(2345678) {
		t.Fatalf("refused edit changed the employer: %+v", e)
	}
	edit.Set("cvr", validCVR(2345678))
	edit.Set("agreements", "Tager en ung hver sommer")
	if resp, _ := coord.post(page, page, edit); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	if e, _ := f.app.employers.Employer(area, emp); e.Notes != "Ring før kl. 10" || len(e.Contacts) != 1 || e.Contacts[0].UserID != f.users["empla"].ID {
		t.Fatalf("edited employer: %+v", e)
	}

	// Openings: bad hours refused in Danish; two posted.
	opening := func(role, minAge string) (*http.Response, string) {
		return coord.post(page, page+"/openings", url.Values{"role": {role}, "hours": {"6"}, "min_age": {minAge},
			"start_date": {"2026-12-01"}, "wage": {"72,50"}, "keywords": {"dyr, akvarier"}})
	}
	if resp, body := coord.post(page, page+"/openings", url.Values{"role": {"Hjælper"}, "hours": {"0"}, "min_age": {"15"}, "start_date": {"2026-12-01"}}); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.hours.range")) {
		t.Fatalf("0 hours: %d", resp.StatusCode)
	}
	if os, _ := f.app.employers.Openings(area, emp); len(os) != 0 {
		t.Fatalf("a refused opening was stored: %+v", os)
	}
	resp, _ = opening("Dyrepasser", "16")
	old := idFrom(t, resp.Header.Get("Location"))
	resp, _ = opening("Butikshjælper", "15")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("opening: %d", resp.StatusCode)
	}
	open := idFrom(t, resp.Header.Get("Location"))
	if _, body := coord.get(areaPath(f.areaA, "/openings/"+itoa(int(open)))); !strings.Contains(body, "Butikshjælper") || !strings.Contains(body, "72,50 kr.") {
		t.Fatal("opening page")
	}

	// Sharing needs the youth's consent.
	if resp, body := coord.post(page, page+"/shares", url.Values{"youth": {itoa(int(youth))}}); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.consent.required")) {
		t.Fatalf("share without consent: %d", resp.StatusCode)
	}
	if sh, _ := f.app.employers.Shares(area, emp); len(sh) != 0 {
		t.Fatal("shared without consent")
	}
	if resp, _ := coord.post(page, page+"/shares", url.Values{"youth": {itoa(int(youth))}, "consent": {"on"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("share: %d", resp.StatusCode)
	}

	// The pipeline.
	pp := areaPath(f.areaA, "/youths/"+itoa(int(youth))+"/pipeline")
	move := func(form url.Values) (*http.Response, string) { return coord.post(pp, pp, form) }
	for _, st := range []string{"outreach", "guidance", "cv_ready", "interview_training", "applied", "interview"} {
		form := url.Values{"to": {st}, "why": {"samtale med " + st}}
		if st == "guidance" {
			form.Set("minutes", "45")
		}
		if resp, body := move(form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("move to %s: %d %s", st, resp.StatusCode, body)
		}
	}
	if resp, body := move(url.Values{"to": {"placed"}, "opening": {itoa(int(old))}}); resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.employers.too_young")) {
		t.Fatalf("too young: %d", resp.StatusCode)
	}
	if p, _ := f.app.employers.Pipeline(area, youth); p.Stage != "interview" {
		t.Fatalf("stage after refused placement: %s", p.Stage)
	}
	if resp, body := move(url.Values{"to": {"followup_1m"}}); resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.employers.bad_move")) {
		t.Fatalf("skipping the placement: %d", resp.StatusCode)
	}
	if resp, _ := move(url.Values{"to": {"placed"}, "opening": {itoa(int(open))}, "why": {"Fik jobbet"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("place: %d", resp.StatusCode)
	}
	if resp, body := move(url.Values{"to": {"followup_1m"}, "date": {"2026-11-30"}}); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.followup.before_start")) {
		t.Fatalf("follow-up before start: %d", resp.StatusCode)
	}
	if p, _ := f.app.employers.Pipeline(area, youth); p.Stage != "placed" || len(p.Steps) != 7 {
		t.Fatalf("after refused follow-up: %s, %d steps", p.Stage, len(p.Steps))
	}
	_, body := coord.get(pp)
	for _, want := range []string{f.msg("stage.placed"), "Fik jobbet", "samtale med outreach", f.msg("activity.guidance"), f.msg("activities.minutes", 45), "Dyrenes Hus", "Bruger coordA", f.msg("share.consent_at", "25-11-2026")} {
		if !strings.Contains(body, want) {
			t.Errorf("pipeline page lacks %q", want)
		}
	}
	// Activities and notes.
	if resp, body := coord.post(pp, areaPath(f.areaA, "/youths/"+itoa(int(youth))+"/activities"), url.Values{"kind": {"cv_workshop"}, "date": {"2026-11-24"}, "minutes": {"0"}}); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.minutes.range")) {
		t.Fatalf("0 minutes: %d", resp.StatusCode)
	}
	if resp, _ := coord.post(pp, areaPath(f.areaA, "/youths/"+itoa(int(youth))+"/activities"), url.Values{"kind": {"cv_workshop"}, "date": {"2026-11-24"}, "minutes": {"90"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("activity: %d", resp.StatusCode)
	}
	if resp, _ := coord.post(pp, areaPath(f.areaA, "/youths/"+itoa(int(youth))+"/notes"), url.Values{"text": {"Ring til mor om vagtplan"}, "follow_up": {"2026-11-25"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("note: %d", resp.StatusCode)
	}
	if _, body := coord.get(areaPath(f.areaA, "/pipeline")); !strings.Contains(body, "Ring til mor om vagtplan") {
		t.Fatal("due follow-up not listed")
	}
	if _, body := coord.get("/"); !strings.Contains(body, f.msg("coord.due", 1)) {
		t.Fatal("the start page does not point to the due follow-up")
	}
	if _, body := coord.get(areaPath(f.areaA, "/funnel")); !strings.Contains(body, "&lt;5") {
		t.Fatal("funnel does not suppress small counts")
	}
	// Every pipeline read and change was logged.
	entries, err := f.ppl.AccessAbout(area, youth)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action+" "+e.What] = true
	}
	for _, want := range []string{"read pipeline", "change pipeline", "change employer_share", "change case_note", "change activity"} {
		if !seen[want] {
			t.Errorf("access log lacks %q: %v", want, seen)
		}
	}
}

// TestEmployerPortalIsolation: an employer contact sees only their own
// employer's openings and shared candidates; another employer's
// candidate or a youth not shared is refused (403/404) and feedback on
// them changes nothing; phone and address only with the youth's consent;
// every look at a candidate is in the access log; coordinators reach
// only their own area's employers.
func TestEmployerPortalIsolation(t *testing.T) {
	f := newFixture(t)
	area := f.areaA.ID
	svc := f.app.employers
	other, err := f.ppl.CreateUser(people.NewUser{Username: "emplA2", DisplayName: "Anden Kontakt", Secret: testPassword,
		SecretKind: people.SecretPassword, Memberships: []people.Membership{{AreaID: area, Role: people.RoleEmployer}}})
	if err != nil {
		t.Fatal(err)
	}
	n := peoplekit.Youth(area, "youthA2", people.Date{Year: 2010, Month: 3, Day: 3})
	n.DisplayName, n.Secret = "Zainab Østergaard", "735142"
	n.Youth.Gender, n.Youth.School = people.GenderFemale, people.SchoolFinished9
	y2 := peoplekit.Create(t, f.ppl, n)
	y1 := f.users["youtha"].ID
	for id, phone := range map[uint64]string{y1: "99 88 77 66", y2.ID: "12 34 56 78"} {
		if _, err := f.cvs.Save(area, id, id, cv.CV{Phone: phone, Town: "Gellerup"}, false); err != nil {
			t.Fatal(err)
		}
	}
	mine, err := svc.CreateEmployer(area, employers.NewEmployer{Name: "Mit Firma", CVR: validCVR(3456789),
		Contacts: []employers.Contact{{Name: "A", UserID: f.users["empla"].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := svc.CreateEmployer(area, employers.NewEmployer{Name: "Deres Firma", CVR: validCVR(4567890),
		Contacts: []employers.Contact{{Name: "B", UserID: other.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []employers.NewOpening{{EmployerID: mine.ID, Role: "Mit job"}, {EmployerID: theirs.ID, Role: "Deres job"}} {
		o.HoursPerWeek, o.MinAge, o.StartDate = 5, 15, people.Date{Year: 2026, Month: 12, Day: 1}
		if _, err := svc.CreateOpening(area, o); err != nil {
			t.Fatal(err)
		}
	}
	now := f.clock.Now()
	if _, err := svc.ShareYouth(area, mine.ID, y1, f.users["coorda"].ID, now, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ShareYouth(area, theirs.ID, y2.ID, f.users["coorda"].ID, now, true); err != nil {
		t.Fatal(err)
	}
	cand := func(emp, youth uint64) string {
		return areaPath(f.areaA, "/portal/employers/"+itoa(int(emp))+"/candidates/"+itoa(int(youth)))
	}

	me := f.loggedIn("emplA")
	_, body := me.get(areaPath(f.areaA, "/portal"))
	if !strings.Contains(body, "Mit job") || !strings.Contains(body, "Bruger youthA Ærø") {
		t.Fatal("portal lacks my opening or my candidate")
	}
	if strings.Contains(body, "Deres job") || strings.Contains(body, "Zainab") {
		t.Fatal("portal shows another employer's opening or candidate")
	}
	resp, body := me.get(cand(mine.ID, y1))
	if resp.StatusCode != 200 || !strings.Contains(body, "Bruger youthA Ærø") {
		t.Fatalf("my candidate: %d", resp.StatusCode)
	}
	if strings.Contains(body, "99 88 77 66") || strings.Contains(body, "Gellerup") {
		t.Fatal("phone or address shown without the youth's consent")
	}
	if resp, body := me.get(cand(theirs.ID, y2.ID)); resp.StatusCode != 403 || strings.Contains(body, "Zainab") {
		t.Fatalf("another employer's candidate: %d", resp.StatusCode)
	}
	if resp, body := me.get(cand(mine.ID, y2.ID)); resp.StatusCode != 404 || strings.Contains(body, "Zainab") {
		t.Fatalf("a youth not shared with me: %d", resp.StatusCode)
	}
	fb := url.Values{"kind": {"interview"}, "text": {"Kom for sent"}}
	page := areaPath(f.areaA, "/portal")
	if resp, _ := me.post(page, cand(theirs.ID, y2.ID)+"/feedback", fb); resp.StatusCode != 403 {
		t.Fatalf("feedback on another employer's candidate: %d", resp.StatusCode)
	}
	if resp, _ := me.post(page, cand(mine.ID, y2.ID)+"/feedback", fb); resp.StatusCode != 404 {
		t.Fatalf("feedback on a youth not shared with me: %d", resp.StatusCode)
	}
	if got, _ := svc.FeedbackFor(area, theirs.ID, 0); len(got) != 0 {
		t.Fatalf("refused feedback was stored: %+v", got)
	}
	if got, _ := svc.FeedbackFor(area, mine.ID, y2.ID); len(got) != 0 {
		t.Fatalf("refused feedback was stored: %+v", got)
	}
	if resp, body := me.post(page, cand(mine.ID, y1)+"/feedback", url.Values{"kind": {"interview"}, "text": {" "}}); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.text.required")) {
		t.Fatalf("empty feedback: %d", resp.StatusCode)
	}
	if resp, _ := me.post(page, cand(mine.ID, y1)+"/feedback", url.Values{"kind": {"interview"}, "text": {"God samtale, starter mandag"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("feedback: %d", resp.StatusCode)
	}
	if got, _ := svc.FeedbackFor(area, mine.ID, y1); len(got) != 1 || got[0].Text != "God samtale, starter mandag" {
		t.Fatalf("feedback stored: %+v", got)
	}
	// The other contact sees their candidate's phone: the youth agreed.
	if _, body := f.loggedIn("emplA2").get(cand(theirs.ID, y2.ID)); !strings.Contains(body, "12 34 56 78") {
		t.Fatal("phone not shown although the youth agreed")
	}
	// Employer access to a youth is in the youth's access log.
	entries, err := f.ppl.AccessAbout(area, y1)
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, e := range entries {
		if e.ActorRole == string(people.RoleEmployer) && e.What == "employer_candidate" && e.Action == people.AccessRead {
			reads++
		}
	}
	if reads < 2 {
		t.Fatalf("employer reads logged: %d, want the portal list and the candidate page", reads)
	}
	// Coordinators reach only their own area's employers.
	coordB := f.loggedIn("coordB")
	if resp, _ := coordB.get(areaPath(f.areaA, "/employers/"+itoa(int(mine.ID)))); resp.StatusCode != 403 {
		t.Fatalf("coordinator of B on A's employer: %d", resp.StatusCode)
	}
	if resp, body := coordB.get(areaPath(f.areaB, "/employers/"+itoa(int(mine.ID)))); resp.StatusCode != 404 || strings.Contains(body, "Mit Firma") {
		t.Fatalf("A's employer through B's URL: %d", resp.StatusCode)
	}
	// An employer contact cannot use the coordinator's pages.
	if resp, _ := me.get(areaPath(f.areaA, "/employers/"+itoa(int(mine.ID)))); resp.StatusCode != 403 {
		t.Fatalf("employer contact on the coordinator's page: %d", resp.StatusCode)
	}
	// The coordinator removes the contact: the login no longer reaches the
	// employer's candidate. A stale form (another name) changes nothing.
	co := f.loggedIn("coordA")
	empPage := areaPath(f.areaA, "/employers/"+itoa(int(mine.ID)))
	remove := empPage + "/contacts/0/remove"
	if resp, _ := co.post(empPage, remove, url.Values{"name": {"Z"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("removing a contact by a stale name: %d, want 404", resp.StatusCode)
	}
	if resp, _ := co.post(empPage, remove, url.Values{"name": {"A"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove contact: %d", resp.StatusCode)
	}
	if e, _ := svc.Employer(area, mine.ID); len(e.Contacts) != 0 {
		t.Fatalf("contacts after removal: %+v", e.Contacts)
	}
	if resp, body := me.get(cand(mine.ID, y1)); resp.StatusCode != 403 || strings.Contains(body, "Bruger youthA Ærø") {
		t.Fatalf("a removed contact on the candidate page: %d", resp.StatusCode)
	}
}

// TestCaseNoteRetention: the admin's dry run counts case notes past
// retention and the run deletes them; a newer note stays.
func TestCaseNoteRetention(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.CaseNoteRetention = 365 * 24 * time.Hour })
	area, youth := f.areaA.ID, f.users["youtha"].ID
	if _, err := f.app.employers.AddNote(area, youth, f.users["coorda"].ID, "Gammel note", nil); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(400 * 24 * time.Hour) // past the notes' retention, not the youth's
	if _, err := f.app.employers.AddNote(area, youth, f.users["coorda"].ID, "Ny note", nil); err != nil {
		t.Fatal(err)
	}
	adm := f.loggedIn("admin")
	if _, page := adm.get("/admin/retention"); !strings.Contains(page, f.msg("retention.notes_due", 1)) {
		t.Fatal("dry run does not count the old case note")
	}
	if notes, _ := f.app.employers.Notes(area, youth); len(notes) != 2 {
		t.Fatalf("the dry run deleted: %+v", notes)
	}
	adm.post("/admin/retention", "/admin/retention", url.Values{})
	if notes, _ := f.app.employers.Notes(area, youth); len(notes) != 1 || notes[0].Text != "Ny note" {
		t.Fatalf("after the run: %+v", notes)
	}
}

// TestEditContactHTTP: a coordinator corrects a contact in place; a bad
// e-mail shows that contact's form again with the input kept and changes
// nothing; a form for a contact renamed since (stale) gets 404.
func TestEditContactHTTP(t *testing.T) {
	f := newFixture(t)
	coord := f.loggedIn("coordA")
	list := areaPath(f.areaA, "/employers")
	resp, _ := coord.post(list, list, url.Values{"name": {"Netto Gellerup"}, "cvr": {validCVR(2345678)},
		"industry": {"Detailhandel"}, "contact_name": {"Jørgen Ærø"}, "contact_phone": {"86 00 00 00"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create employer: %d", resp.StatusCode)
	}
	page := resp.Header.Get("Location")
	page = page[:strings.Index(page, "?")]
	edit := page + "/contacts/0"

	resp, body := coord.post(page, edit, url.Values{"name": {"Jørgen Ærø"}, "contact_name": {"Jørgen Ærø"},
		"contact_phone": {"86 11 11 11"}, "contact_email": {"ikke-en-mail"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, f.msg("invalid.contact_email.format")) ||
		!strings.Contains(body, `value="ikke-en-mail"`) || !strings.Contains(body, "<details open><summary>"+f.msg("employers.edit_contact")+"</summary>") {
		t.Fatalf("bad e-mail: %d; want 400 with the reason, the input kept and the form open", resp.StatusCode)
	}
	if _, body := coord.get(page); strings.Contains(body, "86 11 11 11") {
		t.Fatal("a refused edit changed the contact")
	}
	resp, _ = coord.post(page, edit, url.Values{"name": {"Jørgen Ærø"}, "contact_name": {"Jørgen Ærø Holm"},
		"contact_phone": {"86 11 11 11"}, "contact_email": {"jorgen@netto.dk"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=contact_updated") {
		t.Fatalf("edit: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := coord.get(page); !strings.Contains(body, "<strong>Jørgen Ærø Holm</strong> · 86 11 11 11 · jorgen@netto.dk") {
		t.Fatal("the corrected contact is not shown")
	}
	if resp, _ := coord.post(page, edit, url.Values{"name": {"Jørgen Ærø"}, "contact_name": {"X"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a stale form: %d, want 404", resp.StatusCode)
	}
}
