package ui

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/employers"
	"fritidsjob/people"
)

// inactiveDays is how long a youth in the pipeline may go without a step,
// activity or note before the coordinator's list shows them.
const inactiveDays = 30

// pipelineRow is one youth on the coordinator's pipeline overview.
type pipelineRow struct {
	ID    uint64
	Name  string
	Stage employers.Stage
}

// pipelineOverview is the coordinator's work list: every youth's stage,
// the case-note follow-ups that are due and the youths with no activity
// for 30 days.
func (a *App) pipelineOverview(c *fiber.Ctx) error {
	area := currentArea(c).ID
	if err := a.audit(c, people.AccessSearch, "pipeline_list", 0, "area="+strconv.FormatUint(area, 10)); err != nil {
		return err
	}
	ys, _, err := a.people.YouthsInArea(area)
	if err != nil {
		return err
	}
	ps, err := a.employers.Pipelines(area)
	if err != nil {
		return err
	}
	stage := map[uint64]employers.Stage{}
	for _, p := range ps {
		stage[p.YouthID] = p.Stage
	}
	names := map[uint64]string{}
	for _, y := range ys {
		names[y.User.ID] = y.User.DisplayName
	}
	ys, historical := activeYouths(ys, func(y people.YouthView) bool { return stage[y.User.ID] != "" })
	var rows []pipelineRow
	for _, y := range ys {
		rows = append(rows, pipelineRow{ID: y.User.ID, Name: y.User.DisplayName, Stage: stage[y.User.ID]})
	}
	today := a.today()
	due, err := a.employers.DueFollowUps(area, today)
	if err != nil {
		return err
	}
	inactive, err := a.employers.Inactive(area, today, inactiveDays)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, &pipelinePage{basePage: basePage{Done: a.doneMessage(c)},
		Rows: rows, Due: due, Inactive: inactive, Names: names, Days: inactiveDays, Historical: historical})
}

func (a *App) today() people.Date { return people.DateOf(a.cfg.Now().In(people.Copenhagen)) }

// youthPipeline is one youth's pipeline: the current stage, the full
// history (who, when, why), activities, job spells, case notes, the
// openings that fit (and why) and the forms to move on, record an
// activity and write a note.
func (a *App) youthPipeline(c *fiber.Ctx) error {
	return a.renderPipeline(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

var moveFormFields = []string{"to", "why", "date", "opening", "end_reason", "minutes", "kind", "text", "follow_up"}

func (a *App) renderPipeline(c *fiber.Ctx, status int, b basePage) error {
	area := currentArea(c).ID
	youth, err := idParam(c, "user")
	if err != nil {
		return err
	}
	v, err := a.people.Youth(area, youth)
	if err != nil {
		return err
	}
	if err := a.audit(c, people.AccessRead, "pipeline", youth, ""); err != nil {
		return err
	}
	d, err := a.employers.YouthData(area, youth)
	if err != nil {
		return err
	}
	p, acts, notes, spells := d.Pipeline, d.Activities, d.Notes, d.Spells
	var cur employers.Stage
	if p != nil {
		cur = p.Stage
	}
	my, err := a.matchYouths(area, youth)
	if err != nil {
		return err
	}
	suggestions, err := a.employers.SuggestOpenings(area, my[0])
	if err != nil {
		return err
	}
	emps, err := a.employers.Employers(area)
	if err != nil {
		return err
	}
	empNames := map[uint64]string{}
	for _, e := range emps {
		empNames[e.ID] = e.Name
	}
	// Who moved the youth and wrote the notes.
	by := map[uint64]string{}
	name := func(id uint64) {
		if _, ok := by[id]; !ok {
			if u, err := a.people.User(id); err == nil {
				by[id] = u.DisplayName
			}
		}
	}
	if p != nil {
		for _, st := range p.Steps {
			name(st.By)
		}
	}
	for _, n := range notes {
		name(n.By)
	}
	for _, x := range acts {
		name(x.By)
	}
	return a.render(c, status, &youthPipelinePage{basePage: b,
		Y: v, P: p, Stage: cur, Next: employers.Next(cur),
		Activities: acts, Notes: notes, Spells: spells, Suggestions: suggestions,
		Shares: d.Shares, Feedback: d.Feedback,
		By: by, EmployerNames: empNames, Today: a.today().String(),
		EndReasons: []employers.EndReason{employers.EndQuit, employers.EndLetGo, employers.EndSeasonOver, employers.EndEducation, employers.EndOther},
		Kinds:      []employers.ActivityKind{employers.ActGuidance, employers.ActCVWorkshop, employers.ActInterviewTraining},
	})
}

// optionalDate reads a date field that may be empty.
func optionalDate(field, s string) (people.Date, error) {
	if s = strings.TrimSpace(s); s == "" {
		return people.Date{}, nil
	}
	d, err := people.ParseDate(s)
	if err != nil {
		return people.Date{}, fieldError(field, "format")
	}
	return d, nil
}

// movePipeline moves a youth to the next stage with a reason; a
// placement names the opening, an end its reason; a guidance, CV or
// interview-training step may record the session's minutes.
func (a *App) movePipeline(c *fiber.Ctx) error {
	area := currentArea(c).ID
	youth, err := idParam(c, "user")
	if err != nil {
		return err
	}
	fail := func(err error) error { return a.refused(c, err, a.renderPipeline, moveFormFields...) }
	to := employers.Stage(c.FormValue("to"))
	opt := employers.MoveOptions{EndReason: employers.EndReason(c.FormValue("end_reason"))}
	if opt.Date, err = optionalDate("date", c.FormValue("date")); err != nil {
		return fail(err)
	}
	if id, ok := parseID(c.FormValue("opening")); ok {
		opt.OpeningID = id
	}
	if m := strings.TrimSpace(c.FormValue("minutes")); m != "" {
		if opt.Minutes, err = parseIntField("minutes", m, 0, 24*60); err != nil {
			return fail(err)
		}
	}
	if _, err := a.employers.Move(area, youth, to, currentUser(c).ID, c.FormValue("why"), opt); err != nil {
		return fail(err)
	}
	if err := a.audit(c, people.AccessChange, "pipeline", youth, "stage="+string(to)); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/youths/"+strconv.FormatUint(youth, 10)+"/pipeline?done=moved"), fiber.StatusSeeOther)
}

// recordActivity records a guidance session, CV workshop or interview
// training with its date and duration.
func (a *App) recordActivity(c *fiber.Ctx) error {
	area := currentArea(c).ID
	youth, err := idParam(c, "user")
	if err != nil {
		return err
	}
	fail := func(err error) error { return a.refused(c, err, a.renderPipeline, moveFormFields...) }
	date, err := optionalDate("date", c.FormValue("date"))
	if err != nil {
		return fail(err)
	}
	minutes, err := parseIntField("minutes", c.FormValue("minutes"), 1, 24*60)
	if err != nil {
		return fail(err)
	}
	if _, err := a.employers.RecordActivity(area, youth, employers.ActivityKind(c.FormValue("kind")), date, minutes, currentUser(c).ID); err != nil {
		return fail(err)
	}
	if err := a.audit(c, people.AccessChange, "activity", youth, c.FormValue("kind")); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/youths/"+strconv.FormatUint(youth, 10)+"/pipeline?done=activity_recorded"), fiber.StatusSeeOther)
}

// addNote writes a case note, optionally with a follow-up date.
func (a *App) addNote(c *fiber.Ctx) error {
	area := currentArea(c).ID
	youth, err := idParam(c, "user")
	if err != nil {
		return err
	}
	fail := func(err error) error { return a.refused(c, err, a.renderPipeline, moveFormFields...) }
	var follow *people.Date
	if d, err := optionalDate("follow_up", c.FormValue("follow_up")); err != nil {
		return fail(err)
	} else if !d.IsZero() {
		follow = &d
	}
	if _, err := a.employers.AddNote(area, youth, currentUser(c).ID, c.FormValue("text"), follow); err != nil {
		return fail(err)
	}
	if err := a.audit(c, people.AccessChange, "case_note", youth, "added"); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/youths/"+strconv.FormatUint(youth, 10)+"/pipeline?done=note_added"), fiber.StatusSeeOther)
}

// completeFollowUp marks a case note's follow-up as handled.
func (a *App) completeFollowUp(c *fiber.Ctx) error {
	id, err := idParam(c, "note")
	if err != nil {
		return err
	}
	if err := a.employers.CompleteFollowUp(currentArea(c).ID, id); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/pipeline?done=followup_done"), fiber.StatusSeeOther)
}

// funnel shows the area's pipeline at a glance: youths per stage and the
// 3-month retention by gender, counts under 5 shown as "<5".
func (a *App) funnel(c *fiber.Ctx) error {
	f, err := a.employers.Funnel(currentArea(c).ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, &funnelPage{F: f, Genders: employers.FunnelGenders})
}
