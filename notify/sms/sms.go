// Package sms is the SMS channel of notifications: a notify.Channel that
// writes a message as one short SMS where it can (GSM-7, the app's short
// link) and hands it to a Gateway, an SMS provider behind one method, so
// another provider is one file (GatewayAPI is gatewayapi.go). It also
// keeps the stop list of numbers that replied STOP.
package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"fritidsjob/notify"
)

// SMS is one text message to one number.
type SMS struct {
	Sender string // the name or number shown as the sender
	To     string // the recipient, "+45…"
	Text   string
	// Ref is the message's idempotency key; the provider gets it so a
	// message sent again after a crash can be recognised.
	Ref string
}

// Gateway sends SMS through one provider.
type Gateway interface {
	// Send hands s to the provider and returns its id of the message. An
	// error wrapped by notify.Permanent is one retrying cannot fix.
	Send(ctx context.Context, s SMS) (id string, err error)
}

// Options configure a Channel.
type Options struct {
	Gateway Gateway
	// Sender is the sender name or number (see ValidSender).
	Sender string
	// Link, when set, replaces every message's link with this short one
	// (the app's "<public>/b", which leads to the inbox), so the text
	// keeps within one SMS.
	Link   string
	Logger *slog.Logger
}

// Channel is the SMS notify.Channel.
type Channel struct{ o Options }

// ErrSender is a sender the providers refuse.
var ErrSender = errors.New("sms: the sender must be 1–11 letters, digits, spaces or .-_& or a number of up to 15 digits")

// ValidSender reports whether s is a sender GatewayAPI takes: up to 11
// alphanumeric characters (ASCII letters, digits, space and . - _ &),
// or a number of up to 15 digits (an optional leading +).
func ValidSender(s string) bool {
	digits := s
	if len(digits) > 0 && digits[0] == '+' {
		digits = digits[1:]
	}
	allDigits := digits != ""
	for _, r := range digits {
		if r < '0' || r > '9' {
			allDigits = false
		}
	}
	if allDigits {
		return len(digits) <= 15
	}
	if s == "" || len(s) > 11 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '.' || r == '-' || r == '_' || r == '&'
		if !ok {
			return false
		}
	}
	return true
}

// New returns the SMS channel. Refuses a missing gateway and, with
// ErrSender, a sender the provider would refuse.
func New(o Options) (*Channel, error) {
	if o.Gateway == nil {
		return nil, errors.New("sms: no gateway")
	}
	if !ValidSender(o.Sender) {
		return nil, fmt.Errorf("sender %q: %w", o.Sender, ErrSender)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Channel{o: o}, nil
}

// Name is "sms".
func (c *Channel) Name() string { return "sms" }

// Address returns r's phone number: set only when they chose SMS and the
// number is not on the stop list (see StopDirectory).
func (c *Channel) Address(r notify.Recipient) string { return r.Phone }

// Send writes t as SMS text (see Compose) and sends it to the number to,
// with m's idempotency key as the provider's reference.
func (c *Channel) Send(ctx context.Context, m notify.Message, to string, t notify.Text) error {
	link := t.Link
	if link != "" && c.o.Link != "" {
		link = c.o.Link
	}
	id, err := c.o.Gateway.Send(ctx, SMS{Sender: c.o.Sender, To: to, Text: Compose(t.Body, link), Ref: m.Key})
	if err != nil {
		return fmt.Errorf("sms for message %d: %w", m.ID, err)
	}
	c.o.Logger.Debug("sms sent", "message", m.ID, "provider_id", id)
	return nil
}
