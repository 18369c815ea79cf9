package ui

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/cv"
	"fritidsjob/employers"
	"fritidsjob/jobs"
	"fritidsjob/people"
	"fritidsjob/store"
)

var (
	errCSRF          = fiber.NewError(fiber.StatusForbidden, "csrf")
	errLoginRequired = fiber.NewError(fiber.StatusUnauthorized, "login required")
)

// classify maps an error to the status and message key the user sees.
// It is the one place where domain errors meet HTTP.
func classify(err error) (int, string) {
	var inv *people.InvalidError
	var jinv *jobs.InvalidError
	var fld *fieldError
	var cvinv *cv.InvalidError
	var einv *employers.InvalidError
	var erule *employers.RuleError
	var rule *jobs.RuleError
	var th *people.ThrottledError
	var tm *tooManyError
	var fe *fiber.Error
	// An unreachable store trumps everything: whatever else the error
	// says, the operation did not happen and may be retried.
	if errors.Is(err, store.ErrUnavailable) {
		return fiber.StatusServiceUnavailable, "err.unavailable"
	}
	if key, ok := jobErrors[errKey(err)]; ok {
		return fiber.StatusConflict, key
	}
	switch {
	case errors.As(err, &rule):
		return fiber.StatusConflict, "err.rule"
	case errors.As(err, &jinv):
		return fiber.StatusBadRequest, "invalid." + jinv.Field + "." + jinv.Code
	case errors.As(err, &fld):
		return fiber.StatusBadRequest, "invalid." + fld.Field + "." + fld.Code
	case errors.Is(err, errCSRF):
		return fiber.StatusForbidden, "err.csrf"
	case errors.As(err, &th):
		return fiber.StatusTooManyRequests, "err.throttled"
	case errors.As(err, &tm):
		return fiber.StatusTooManyRequests, tm.Key
	case errors.Is(err, errExportBusy):
		return fiber.StatusTooManyRequests, "err.export_busy"
	case errors.As(err, &inv):
		return fiber.StatusBadRequest, invalidKey(inv)
	case errors.As(err, &einv):
		return fiber.StatusBadRequest, "invalid." + einv.Field + "." + einv.Code
	case errors.Is(err, employers.ErrDuplicateCVR):
		return fiber.StatusConflict, "err.duplicate_cvr"
	case errors.As(err, &erule):
		return fiber.StatusConflict, "err.opening_rules"
	case errors.Is(err, employers.ErrNotContact):
		return fiber.StatusForbidden, "err.forbidden"
	case errors.Is(err, employers.ErrNotFound), errors.Is(err, employers.ErrNotShared):
		return fiber.StatusNotFound, "err.not_found"
	case errors.Is(err, employers.ErrBadMove):
		return fiber.StatusConflict, "err.bad_move"
	case errors.Is(err, employers.ErrTooYoung):
		return fiber.StatusConflict, "err.too_young_opening"
	case errors.Is(err, employers.ErrOpeningClosed):
		return fiber.StatusConflict, "err.opening_closed"
	case errors.As(err, &cvinv):
		return fiber.StatusBadRequest, "invalid." + cvinv.Field + "." + cvinv.Code
	case errors.Is(err, cv.ErrNoHelp):
		return fiber.StatusConflict, "err.cv_no_help" // a state of the CV, not a role: 409
	case errors.Is(err, people.ErrYouthRole):
		return fiber.StatusConflict, "users.err.youth_role"
	case errors.Is(err, people.ErrOwnAdmin):
		return fiber.StatusConflict, "users.err.own_admin"
	case errors.Is(err, people.ErrLastAdmin):
		return fiber.StatusConflict, "users.err.last_admin"
	case errors.Is(err, errOwnAccount):
		return fiber.StatusConflict, "users.err.own_account"
	case errors.Is(err, people.ErrNotFound), errors.Is(err, jobs.ErrNotFound), errors.Is(err, cv.ErrNotFound):
		return fiber.StatusNotFound, "err.not_found"
	case errors.Is(err, people.ErrBadCredentials):
		return fiber.StatusUnauthorized, "login.failed"
	case errors.Is(err, people.ErrDisabled):
		return fiber.StatusForbidden, "login.disabled"
	case errors.Is(err, people.ErrLocked):
		return fiber.StatusForbidden, "login.locked"
	case errors.Is(err, people.ErrErased):
		return fiber.StatusGone, "err.erased"
	case errors.Is(err, people.ErrUnreadable):
		return fiber.StatusConflict, "err.unreadable"
	case errors.Is(err, people.ErrBadCode):
		return fiber.StatusUnauthorized, "totp.err.bad_code"
	case errors.Is(err, people.ErrTOTPEnabled):
		return fiber.StatusConflict, "totp.err.enabled"
	case errors.Is(err, people.ErrUsernameTaken):
		return fiber.StatusConflict, "err.username_taken"
	case errors.Is(err, people.ErrAreaNameTaken):
		return fiber.StatusConflict, "err.area_taken"
	case errors.As(err, &fe):
		switch fe.Code {
		case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
			return fiber.StatusNotFound, "err.not_found"
		case fiber.StatusForbidden:
			return fiber.StatusForbidden, "err.forbidden"
		case fiber.StatusRequestEntityTooLarge:
			return fe.Code, "err.too_large"
		case fiber.StatusBadRequest, fiber.StatusUnprocessableEntity:
			return fiber.StatusBadRequest, "err.bad_request"
		case fiber.StatusRequestTimeout:
			return fe.Code, "err.timeout"
		case fiber.StatusUnauthorized:
			return fe.Code, "err.login_required"
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return fe.Code, "err.bad_request"
		}
	}
	return fiber.StatusInternalServerError, "err.internal"
}

// jobErrors are the task errors that mean "not now" (409) with their message.
var jobErrors = map[error]string{
	jobs.ErrNotOpen:         "err.task_not_open",
	jobs.ErrStarted:         "err.task_started",
	jobs.ErrAlreadyClaimed:  "err.already_claimed",
	jobs.ErrNoClaim:         "err.no_claim",
	jobs.ErrTooLate:         "err.too_late",
	jobs.ErrAgeOutside:      "err.age_outside",
	jobs.ErrAlreadyDecided:  "err.already_decided",
	jobs.ErrNotCheckedIn:    "err.not_checked_in",
	jobs.ErrAlreadyIn:       "err.already_in",
	jobs.ErrBadTransition:   "err.bad_transition",
	jobs.ErrSlotsBelowTaken: "err.slots_below_taken",
	jobs.ErrConsentRequired: "err.consent_required",
}

// errKey finds which of jobErrors err wraps, or nil.
func errKey(err error) error {
	for k := range jobErrors {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// explain is the status and the translated message for err: a young-worker
// rule explains itself in the rule's own words, everything else through
// the catalogue.
func (a *App) explain(c *fiber.Ctx, err error) (int, string) {
	status, key := classify(err)
	lang := a.lang(c)
	var rule *jobs.RuleError
	if errors.As(err, &rule) {
		return status, rule.Message(lang)
	}
	var erule *employers.RuleError
	if errors.As(err, &erule) {
		return status, a.msg.T(lang, key, erule.Message(lang))
	}
	if !a.msg.has(lang, key) {
		key = "err.bad_request"
	}
	return status, a.msg.T(lang, key)
}

// invalidKey is the message key for a validation error, e.g.
// "invalid.password.length".
func invalidKey(e *people.InvalidError) string {
	return "invalid." + e.Field + "." + e.Code
}

// handleError renders every error as a translated page with a generic text
// and the request ID; the detail goes to the log only. It replaces fiber's
// default handler, which sends err.Error() to the client.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	status, msg := a.explain(c, err)
	if errors.Is(err, errLoginRequired) && c.Method() == fiber.MethodGet {
		return c.Redirect(loginURL(c.OriginalURL()), fiber.StatusSeeOther)
	}
	rid := requestID(c)
	if status >= 500 {
		a.log.Error("request failed", "rid", rid, "method", c.Method(), "path", c.Path(), "err", err)
	} else {
		a.log.Debug("request refused", "rid", rid, "status", status, "err", err)
	}
	var th *people.ThrottledError
	if errors.As(err, &th) {
		c.Set(fiber.HeaderRetryAfter, itoa(int(th.RetryAfter.Seconds())+1))
	}
	var tm *tooManyError
	if errors.As(err, &tm) {
		c.Set(fiber.HeaderRetryAfter, itoa(int(tm.RetryAfter.Seconds())+1))
	}
	a.setSecurityHeaders(c)
	c.Response().Header.Del(fiber.HeaderContentEncoding)
	if rerr := a.render(c, status, "error", fiber.Map{"Status": status, "Message": msg, "RequestID": rid}); rerr != nil {
		a.log.Error("render error page", "rid", rid, "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(fmt.Sprintf("%d %s (%s)", status, msg, rid))
	}
	return nil
}
