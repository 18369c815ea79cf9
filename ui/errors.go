package ui

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/evaluation"
	"fritidsjob/fault"
	"fritidsjob/people"
	"fritidsjob/store"
)

var (
	errCSRF          = fiber.NewError(fiber.StatusForbidden, "csrf")
	errLoginRequired = fiber.NewError(fiber.StatusUnauthorized, "login required")
)

// kindStatus is the HTTP status of each kind of domain error. Internal,
// absent here, is a 500.
var kindStatus = map[fault.Kind]int{
	fault.Invalid:         fiber.StatusBadRequest,
	fault.Unauthenticated: fiber.StatusUnauthorized,
	fault.Forbidden:       fiber.StatusForbidden,
	fault.NotFound:        fiber.StatusNotFound,
	fault.Conflict:        fiber.StatusConflict,
	fault.Refused:         fiber.StatusConflict,
	fault.Gone:            fiber.StatusGone,
	fault.Throttled:       fiber.StatusTooManyRequests,
	fault.Unavailable:     fiber.StatusServiceUnavailable,
}

// fiberErrors are the status and message key of fiber's own errors
// (routing, body limit, timeouts, login required).
var fiberErrors = map[int]struct {
	status int
	key    string
}{
	fiber.StatusNotFound:              {fiber.StatusNotFound, "err.not_found"},
	fiber.StatusMethodNotAllowed:      {fiber.StatusNotFound, "err.not_found"},
	fiber.StatusForbidden:             {fiber.StatusForbidden, "err.forbidden"},
	fiber.StatusRequestEntityTooLarge: {fiber.StatusRequestEntityTooLarge, "err.too_large"},
	fiber.StatusBadRequest:            {fiber.StatusBadRequest, "err.bad_request"},
	fiber.StatusUnprocessableEntity:   {fiber.StatusBadRequest, "err.bad_request"},
	fiber.StatusRequestTimeout:        {fiber.StatusRequestTimeout, "err.timeout"},
	fiber.StatusUnauthorized:          {fiber.StatusUnauthorized, "err.login_required"},
}

// classify maps an error to the status and message key the user sees.
// It is the one place where domain errors meet HTTP: a *fault.Error's
// Kind gives the status (kindStatus) and its Code the key (faultKey).
func classify(err error) (int, string) {
	// An unreachable store trumps everything: whatever else the error
	// says, the operation did not happen and may be retried.
	if errors.Is(err, store.ErrUnavailable) {
		return fiber.StatusServiceUnavailable, "err.unavailable"
	}
	if f := fault.As(err); f != nil {
		if status, ok := kindStatus[f.Kind]; ok {
			return status, faultKey(f)
		}
		return fiber.StatusInternalServerError, "err.internal"
	}
	if errors.Is(err, errCSRF) {
		return fiber.StatusForbidden, "err.csrf"
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if m, ok := fiberErrors[fe.Code]; ok {
			return m.status, m.key
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return fe.Code, "err.bad_request"
		}
	}
	return fiber.StatusInternalServerError, "err.internal"
}

// faultKey is the message key of a domain error: "invalid.<field>.<code>"
// for bad input in a field, "err.<code>" for everything else.
func faultKey(f *fault.Error) string {
	if f.Field != "" {
		return "invalid." + f.Field + "." + f.Code
	}
	return "err." + f.Code
}

// worded is an error that carries its own words per language: a
// young-worker rule's refusal (jobs.RuleError, employers.RuleError). The
// words fill the %s of its message.
type worded interface{ Message(lang string) string }

// explain is the status and the translated message for err.
func (a *App) explain(c *fiber.Ctx, err error) (int, string) {
	status, key := classify(err)
	lang := a.lang(c)
	var args []any
	var w worded
	if errors.As(err, &w) {
		args = append(args, w.Message(lang))
	}
	if !a.msg.has(lang, key) {
		key = "err.bad_request"
	}
	return status, a.msg.T(lang, key, args...)
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
	if rerr := a.render(c, status, &errorPage{Status: status, Message: msg, RequestID: rid}); rerr != nil {
		a.log.Error("render error page", "rid", rid, "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(fmt.Sprintf("%d %s (%s)", status, msg, rid))
	}
	return nil
}

// refusalText is the estimator's refusal err in lang: the reason, then
// what in the data gave it, and the subgroup whose fit it refused.
func (a *App) refusalText(lang string, err error) string {
	var re *evaluation.RefusalError
	if !errors.As(err, &re) {
		return a.msg.T(lang, "err.internal")
	}
	text := a.msg.T(lang, "err."+fault.CodeOf(re.Reason))
	if re.Detail != "" {
		text = a.msg.T(lang, "evalx.refusal.with_detail", text, a.refusalDetail(lang, re))
	}
	if re.Group != "" {
		text = a.msg.T(lang, "evalx.refusal.group."+re.Group, text)
	}
	return text
}

// refusalDetail says what in the data gave a refusal: a plural message
// when the detail's first value is a count.
func (a *App) refusalDetail(lang string, re *evaluation.RefusalError) string {
	key := "evalx.refusal." + re.Detail
	if n, ok := firstInt(re.Args); ok && a.msg.has(lang, key+pluralOther) {
		return a.msg.N(lang, key, n, re.Args[1:]...)
	}
	return a.msg.T(lang, key, re.Args...)
}

func firstInt(args []any) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	n, ok := args[0].(int)
	return n, ok
}
