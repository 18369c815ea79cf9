// Package mail is the e-mail channel of the notifications: it sends a
// message over SMTP (STARTTLS or implicit TLS, with SMTP AUTH when
// configured) as multipart/alternative plain text and HTML, with a
// Message-ID derived from the message's idempotency key, so a message sent
// again after a crash carries the same ID and a receiving system can tell
// it is the same one.
package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"fritidsjob/notify"
)

// Name is the channel's name, the Channel of its messages.
const Name = "email"

// Channel sends notifications by e-mail. It holds no connection: each Send
// dials, sends one message and closes, so it is safe for concurrent use.
type Channel struct {
	cfg    Config
	domain string // of the sender, for the Message-ID
}

// New returns the e-mail channel for cfg (from ParseURL); it refuses a
// config without a host or a sender address.
func New(cfg Config) (*Channel, error) {
	if cfg.Host == "" || cfg.Port == 0 {
		return nil, errors.New("e-mail channel: no SMTP host and port")
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("e-mail channel: sender %q: %w", cfg.From, err)
	}
	if cfg.Security == "" {
		cfg.Security = StartTLS
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	return &Channel{cfg: cfg, domain: strings.ToLower(domain)}, nil
}

// Name returns "email".
func (*Channel) Name() string { return Name }

// Address returns r's e-mail address, "" when they did not choose e-mail.
func (*Channel) Address(r notify.Recipient) string { return r.Email }

// MessageID returns the Message-ID (without angle brackets) of every
// e-mail sent for the message with idempotency key key: a hash of the key,
// so the key's internal IDs are not shown, at the sender's domain.
func (c *Channel) MessageID(key string) string {
	sum := sha256.Sum256([]byte("fritidsjob:" + key))
	return hex.EncodeToString(sum[:]) + "@" + c.domain
}

// Send e-mails text t of m to address to. It returns an error wrapped by
// notify.Permanent when the server refuses the message for good (a 5xx
// answer: an unknown recipient, a refused sender or content; see
// refused), and a plain error, retried, for a 4xx answer, a refused or
// timed-out connection, or a failed TLS handshake or login.
func (c *Channel) Send(ctx context.Context, m notify.Message, to string, t notify.Text) error {
	msg, err := c.message(m, to, t)
	if err != nil {
		return notify.Permanent(err)
	}
	client, err := c.client(ctx)
	if err != nil {
		return err
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	if refused(err) {
		return notify.Permanent(fmt.Errorf("e-mail to %s refused by %s: %w", to, c.cfg.Host, err))
	}
	return fmt.Errorf("e-mail via %s: %w", c.cfg.Host, err)
}

// refused reports whether err is the server's final no to a message: a
// 5xx answer to MAIL, RCPT or DATA. A 5xx about logging in or encryption
// (530 authentication required, 535 login refused, 538 encryption
// needed) is the installation's mistake, not the message's: it is
// retried, so messages wait while an operator fixes -smtp-url.
func refused(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	switch {
	case code < 500 || code > 599:
		return false
	case code == 530 || code == 535 || code == 538:
		return false
	}
	return true
}

// client returns a go-mail client for c's server, its deadline the
// shorter of c's timeout and ctx's.
func (c *Channel) client(ctx context.Context) (*gomail.Client, error) {
	timeout := c.cfg.Timeout
	if d, ok := ctx.Deadline(); ok {
		timeout = min(timeout, max(time.Until(d), time.Millisecond))
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	switch c.cfg.Security {
	case Implicit:
		opts = append(opts, gomail.WithSSL())
	case Opportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case Plain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.cfg.TLS != nil {
		opts = append(opts, gomail.WithTLSConfig(c.cfg.TLS))
	}
	if c.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.cfg.Username), gomail.WithPassword(c.cfg.Password))
	}
	// The port last: the TLS policy options set their own default port.
	opts = append(opts, gomail.WithPort(c.cfg.Port))
	client, err := gomail.NewClient(c.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("e-mail client for %s: %w", c.cfg.Host, err)
	}
	return client, nil
}

// message builds the e-mail of text t of m to address to: the subject,
// the body as plain text and as HTML, the stable Message-ID, and headers
// that ask auto-responders to keep quiet. It refuses an address that does
// not parse.
func (c *Channel) message(m notify.Message, to string, t notify.Text) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(c.cfg.From); err != nil {
		return nil, fmt.Errorf("sender %q: %w", c.cfg.From, err)
	}
	if err := msg.To(to); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", to, err)
	}
	msg.Subject(t.Subject)
	msg.SetMessageIDWithValue(c.MessageID(m.Key))
	msg.SetDate()
	// RFC 3834: an automatic message; out-of-office replies stay away.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	plain := t.Body
	if t.Link != "" {
		plain += "\n\n" + t.Link
	}
	msg.SetBodyString(gomail.TypeTextPlain, plain+"\n")
	var html bytes.Buffer
	if err := htmlBody.Execute(&html, htmlData(t)); err != nil {
		return nil, fmt.Errorf("HTML of message %d: %w", m.ID, err)
	}
	msg.AddAlternativeString(gomail.TypeTextHTML, html.String())
	return msg, nil
}

// htmlBody is the HTML version: the body's paragraphs (blank-line
// separated; a line break kept as <br>) and the link. html/template
// escapes the text and refuses a link that is not http(s) or relative.
var htmlBody = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:36em">
{{range .Paragraphs}}<p>{{range $i, $l := .}}{{if $i}}<br>{{end}}{{$l}}{{end}}</p>
{{end}}{{with .Link}}<p><a href="{{.}}">{{.}}</a></p>
{{end}}</body></html>
`))

type htmlView struct {
	Subject, Link string
	Paragraphs    [][]string
}

func htmlData(t notify.Text) htmlView {
	v := htmlView{Subject: t.Subject, Link: t.Link}
	body := strings.ReplaceAll(t.Body, "\r\n", "\n")
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Paragraphs = append(v.Paragraphs, strings.Split(p, "\n"))
		}
	}
	return v
}
