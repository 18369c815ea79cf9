package ui

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/people"
)

// consentAction records, links or withdraws a guardian's consent for a
// youth (coordinator) and returns to the youth's page.
func (a *App) consentAction(c *fiber.Ctx) error {
	area := currentArea(c)
	youth, ok := parseID(c.Params("user"))
	if !ok {
		return fiber.ErrNotFound
	}
	by := currentUser(c).ID
	back := "/a/" + strconv.FormatUint(area.ID, 10) + "/youths/" + strconv.FormatUint(youth, 10)
	var err error
	done := ""
	switch c.Params("action") {
	case "paper":
		_, err = a.people.RecordPaperConsent(area.ID, youth, by, c.FormValue("guardian"))
		done = "consent_recorded"
	case "link":
		var token string
		token, _, err = a.people.CreateConsentLink(area.ID, youth, by, c.FormValue("guardian"))
		if err == nil {
			if aerr := a.audit(c, people.AccessChange, "consent", youth, "link created"); aerr != nil {
				return aerr
			}
			// The link is shown once, to be sent to the guardian.
			return a.renderYouthPage(c, fiber.StatusOK, youth, &youthPage{ConsentLink: a.publicBase(c) + "/consent/" + token})
		}
	case "withdraw":
		err = a.people.WithdrawConsent(area.ID, youth, by)
		done = "consent_withdrawn"
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		if errors.Is(err, people.ErrNotFound) {
			err = onPage(err) // no consent to withdraw: the youth's page says so
		}
		return a.refused(c, err, a.showYouth(youth))
	}
	if err := a.audit(c, people.AccessChange, "consent", youth, c.Params("action")); err != nil {
		return err
	}
	return c.Redirect(back+"?done="+done, fiber.StatusSeeOther)
}

// consentPage is the guardian's page behind a one-time link: no account,
// the text they agree to, one button.
func (a *App) consentPage(c *fiber.Ctx) error {
	token := c.Params("token")
	_, v, area, err := a.people.ConsentLinkFor(token)
	if errors.Is(err, people.ErrLinkClosed) {
		return a.render(c, fiber.StatusNotFound, &consentPage{Closed: true})
	}
	if err != nil {
		return err
	}
	p := &consentPage{YouthName: v.User.DisplayName, AreaName: area.Name, Token: token}
	if c.Method() == fiber.MethodPost {
		if c.FormValue("agree") != "yes" {
			p.Error = a.msg.T(a.lang(c), "consent.tick")
			return a.render(c, fiber.StatusBadRequest, p)
		}
		if _, err := a.people.GiveConsentByLink(token, a.clientIP(c)); err != nil {
			if errors.Is(err, people.ErrLinkClosed) {
				return a.render(c, fiber.StatusNotFound, &consentPage{Closed: true})
			}
			return err
		}
		return a.render(c, fiber.StatusOK, &consentPage{Given: true, YouthName: v.User.DisplayName})
	}
	return a.render(c, fiber.StatusOK, p)
}

// eraseYouth erases a youth's personal data (coordinator, confirmed).
func (a *App) eraseYouth(c *fiber.Ctx) error {
	area := currentArea(c)
	youth, ok := parseID(c.Params("user"))
	if !ok {
		return fiber.ErrNotFound
	}
	if c.FormValue("confirm") != "yes" {
		return a.renderYouthPage(c, fiber.StatusBadRequest, youth, &youthPage{basePage: basePage{Error: a.msg.T(a.lang(c), "erase.confirm_needed")}})
	}
	if err := a.audit(c, people.AccessDelete, "youth_profile", youth, "erased"); err != nil {
		return err
	}
	if err := a.people.EraseYouth(area.ID, youth, currentUser(c).ID); err != nil {
		return err
	}
	return c.Redirect("/a/"+strconv.FormatUint(area.ID, 10)+"/youths?done=youth_erased", fiber.StatusSeeOther)
}

// linkGuardian connects a guardian's account to the youth (coordinator).
func (a *App) linkGuardian(c *fiber.Ctx) error {
	area := currentArea(c)
	youth, ok := parseID(c.Params("user"))
	if !ok {
		return fiber.ErrNotFound
	}
	choose := &youthPage{basePage: basePage{Error: a.msg.T(a.lang(c), "guardian.choose")}}
	g, ok := parseID(c.FormValue("guardian"))
	if !ok {
		return a.renderYouthPage(c, fiber.StatusBadRequest, youth, choose)
	}
	if err := a.people.LinkGuardian(area.ID, youth, g); err != nil {
		if errors.Is(err, people.ErrNotGuardian) {
			return a.renderYouthPage(c, fiber.StatusBadRequest, youth, choose)
		}
		return err
	}
	if err := a.audit(c, people.AccessChange, "guardian_link", youth, ""); err != nil {
		return err
	}
	return c.Redirect("/a/"+strconv.FormatUint(area.ID, 10)+"/youths/"+strconv.FormatUint(youth, 10)+"?done=guardian_linked", fiber.StatusSeeOther)
}

// resetPIN gives a youth a new PIN (coordinator), e.g. when it is forgotten.
func (a *App) resetPIN(c *fiber.Ctx) error {
	area, youth, err := a.youthOfArea(c)
	if err != nil {
		return err
	}
	if err := a.people.SetSecret(youth, c.FormValue("pin")); err != nil {
		return a.refused(c, onPage(err), a.showYouth(youth))
	}
	if err := a.audit(c, people.AccessChange, "pin", youth, ""); err != nil {
		return err
	}
	return c.Redirect(youthURL(area, youth)+"?done=pin_reset", fiber.StatusSeeOther)
}

// unlockYouth reopens a youth's account that too many wrong PINs locked
// (coordinator). A new PIN unlocks as well.
func (a *App) unlockYouth(c *fiber.Ctx) error {
	area, youth, err := a.youthOfArea(c)
	if err != nil {
		return err
	}
	if err := a.people.Unlock(youth); err != nil {
		return err
	}
	if err := a.audit(c, people.AccessChange, "login_lock", youth, "unlocked"); err != nil {
		return err
	}
	return c.Redirect(youthURL(area, youth)+"?done=unlocked", fiber.StatusSeeOther)
}

// youthOfArea is the area of the URL and the youth its :user names,
// refused with 404 unless the youth belongs to that area.
func (a *App) youthOfArea(c *fiber.Ctx) (uint64, uint64, error) {
	area := currentArea(c)
	youth, ok := parseID(c.Params("user"))
	if !ok {
		return 0, 0, fiber.ErrNotFound
	}
	if _, err := a.people.Youth(area.ID, youth); err != nil {
		return 0, 0, err
	}
	return area.ID, youth, nil
}

// youthURL is the coordinator's page of youth in area.
func youthURL(area, youth uint64) string {
	return "/a/" + strconv.FormatUint(area, 10) + "/youths/" + strconv.FormatUint(youth, 10)
}
