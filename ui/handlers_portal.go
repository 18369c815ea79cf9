package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/employers"
	"fritidsjob/people"
)

// portalEmployer is one employer as its contact person sees it.
type portalEmployer struct {
	E          employers.Employer
	Openings   []employers.Opening
	Candidates []employers.Candidate
}

// portal is the employer contact's start page: for each employer they are
// a contact of, its openings and the candidates a coordinator shared with
// it. Each candidate shown is a read of a youth's data and is logged.
func (a *App) portal(c *fiber.Ctx) error {
	area, u := currentArea(c).ID, currentUser(c)
	es, err := a.employers.ContactEmployers(area, u.ID)
	if err != nil {
		return err
	}
	var out []portalEmployer
	for _, e := range es {
		os, err := a.employers.Openings(area, e.ID)
		if err != nil {
			return err
		}
		cs, err := a.employers.SharedCandidates(area, e.ID)
		if err != nil {
			return err
		}
		for _, cand := range cs {
			if err := a.audit(c, people.AccessRead, "employer_candidate", cand.YouthID, "list employer="+strconv.FormatUint(e.ID, 10)); err != nil {
				return err
			}
		}
		out = append(out, portalEmployer{E: e, Openings: os, Candidates: cs})
	}
	return a.render(c, fiber.StatusOK, &portalPage{Employers: out})
}

// portalCandidate shows one shared candidate to a contact person of the
// employer (403 for anyone else, 404 when not shared), with the feedback
// the employer gave and the form to give more.
func (a *App) portalCandidate(c *fiber.Ctx) error {
	return a.renderCandidate(c, fiber.StatusOK, basePage{Done: a.doneMessage(c)})
}

func (a *App) renderCandidate(c *fiber.Ctx, status int, b basePage) error {
	area := currentArea(c).ID
	emp, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	youth, err := idParam(c, "user")
	if err != nil {
		return err
	}
	cand, err := a.employers.CandidateFor(area, emp, youth, currentUser(c).ID)
	if err != nil {
		return err
	}
	if err := a.audit(c, people.AccessRead, "employer_candidate", youth, "employer="+strconv.FormatUint(emp, 10)); err != nil {
		return err
	}
	e, err := a.employers.Employer(area, emp)
	if err != nil {
		return err
	}
	fb, err := a.employers.FeedbackFor(area, emp, youth)
	if err != nil {
		return err
	}
	return a.render(c, status, &candidatePage{basePage: b, E: e, C: cand, Feedback: fb})
}

// giveFeedback stores an employer contact's feedback after an interview
// or at a follow-up; someone who is not the employer's contact, or a youth
// not shared with it, changes nothing.
func (a *App) giveFeedback(c *fiber.Ctx) error {
	area := currentArea(c).ID
	emp, err := idParam(c, "employer")
	if err != nil {
		return err
	}
	youth, err := idParam(c, "user")
	if err != nil {
		return err
	}
	n := employers.NewFeedback{EmployerID: emp, YouthID: youth, Kind: employers.FeedbackKind(c.FormValue("kind")), Text: c.FormValue("text")}
	if _, err := a.employers.AddFeedback(area, currentUser(c).ID, n); err != nil {
		return a.refused(c, err, a.renderCandidate, "kind", "text")
	}
	if err := a.audit(c, people.AccessChange, "employer_feedback", youth, "employer="+strconv.FormatUint(emp, 10)); err != nil {
		return err
	}
	return c.Redirect(areaURL(c, "/portal/employers/"+strconv.FormatUint(emp, 10)+"/candidates/"+strconv.FormatUint(youth, 10)+"?done=feedback_saved"), fiber.StatusSeeOther)
}
