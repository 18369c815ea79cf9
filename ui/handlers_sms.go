package ui

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/notify/sms"
)

// smsIncoming is GatewayAPI's webhook for an incoming SMS: a reply STOP
// puts the sender's number on the SMS stop list, START takes it off. A
// call without a valid signature is refused with 403 and changes nothing;
// any other text, or a number that is not Danish, is taken (200) and
// ignored, so the gateway does not send it again.
func (a *App) smsIncoming(c *fiber.Ctx) error {
	if a.smsStops == nil {
		return fiber.ErrForbidden
	}
	in, err := sms.ParseIncoming(a.cfg.SMSWebhookSecret, c.Get("X-Gwapi-Signature"), c.Body())
	switch {
	case errors.Is(err, sms.ErrSignature):
		a.log.Warn("sms webhook: bad signature", "request_id", requestID(c))
		return fiber.ErrForbidden
	case err != nil:
		return fiber.ErrBadRequest
	}
	cmd := sms.ParseCommand(in.Message)
	if cmd == sms.CommandNone {
		return c.SendStatus(fiber.StatusOK)
	}
	if err := a.smsStops.Apply("+"+strconv.FormatUint(in.MSISDN, 10), cmd); err != nil {
		a.log.Info("sms webhook: reply not applied", "err", err, "request_id", requestID(c))
		return c.SendStatus(fiber.StatusOK)
	}
	a.log.Info("sms webhook: stop list changed", "stop", cmd == sms.CommandStop, "request_id", requestID(c))
	return c.SendStatus(fiber.StatusOK)
}

// shortInbox is the SMS messages' short link "/b": it leads to the inbox,
// where the message and its own link are.
func (a *App) shortInbox(c *fiber.Ctx) error {
	return c.Redirect("/inbox", fiber.StatusSeeOther)
}
