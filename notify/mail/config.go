package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Security is how the connection to the SMTP server is protected.
type Security string

// The kinds of connection security. Only STARTTLS and implicit TLS may be
// used with a server other than this machine.
const (
	// StartTLS upgrades a plain connection with STARTTLS and refuses a
	// server that does not offer it (smtp://, the default).
	StartTLS Security = "starttls"
	// Implicit speaks TLS from the first byte (smtps://).
	Implicit Security = "implicit"
	// Opportunistic uses STARTTLS when the server offers it, else plain
	// text (smtp://…?starttls=opportunistic, local test servers only).
	Opportunistic Security = "opportunistic"
	// Plain never encrypts (smtp://…?starttls=none, local test servers only).
	Plain Security = "none"
)

// Config is how the e-mail channel reaches its SMTP server.
type Config struct {
	Host     string
	Port     int
	Security Security
	// Username and Password log in with SMTP AUTH when Username is set.
	Username, Password string
	// From is the sender as written in the From header: an address, or a
	// name and an address ("Fritidsjob <noreply@example.dk>").
	From string
	// TLS overrides the TLS settings (tests trust their own certificate);
	// nil verifies the server's certificate against the system's roots.
	TLS *tls.Config
	// Timeout bounds connecting and each SMTP command (default 30 s).
	Timeout time.Duration
}

// Default ports.
const (
	portSubmission = 587
	portImplicit   = 465
)

// ParseURL reads the channel's configuration from one URL:
//
//	smtp://user:pass@host:587?from=noreply@example.dk       STARTTLS (required)
//	smtps://user:pass@host:465?from=noreply@example.dk      implicit TLS
//	smtp://127.0.0.1:1025?from=…&starttls=opportunistic|none local test server
//
// User info turns on SMTP AUTH; the port defaults to 587 (smtp) or 465
// (smtps). It refuses another scheme, a missing host or from, a from that
// is not an address, a user without a password, a path, a fragment, an
// unknown parameter, and starttls=opportunistic or none for any host but
// localhost, 127.0.0.1 or ::1. Its errors never show the password.
func ParseURL(s string) (Config, error) {
	u, err := url.Parse(s)
	if err != nil {
		// url's error quotes the whole URL, password and all.
		return Config{}, errors.New("not a URL; use smtp://user:password@host:587?from=noreply@example.dk")
	}
	var c Config
	switch u.Scheme {
	case "smtp":
		c.Security, c.Port = StartTLS, portSubmission
	case "smtps":
		c.Security, c.Port = Implicit, portImplicit
	default:
		return Config{}, fmt.Errorf("unknown scheme %q; use smtp:// (STARTTLS, port 587) or smtps:// (implicit TLS, port 465)", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return Config{}, errors.New("no host; use smtp://host:587?from=noreply@example.dk")
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("port %q is not a number from 1 to 65535", p)
		}
		c.Port = n
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, errors.New("a path has no meaning here; put the sender in ?from=")
	}
	if u.Fragment != "" {
		return Config{}, errors.New("a #fragment has no meaning here")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		pw, ok := u.User.Password()
		switch {
		case c.Username == "":
			return Config{}, errors.New("a password without a user name; use smtp://user:password@host")
		case !ok || pw == "":
			return Config{}, errors.New("a user name without a password; use smtp://user:password@host")
		}
		c.Password = pw
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, errors.New("the ?parameters do not parse; use ?from=noreply@example.dk")
	}
	for k, v := range q {
		switch {
		case k != "from" && k != "starttls":
			return Config{}, fmt.Errorf("unknown parameter %q; use from= and, for a local test server, starttls=", k)
		case len(v) > 1:
			return Config{}, fmt.Errorf("parameter %q given twice", k)
		}
	}
	if q.Has("from") {
		c.From = strings.TrimSpace(q.Get("from"))
	}
	if c.From == "" {
		return Config{}, errors.New("no sender; add ?from=noreply@example.dk (the address the e-mails come from)")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return Config{}, fmt.Errorf("from=%q is not an e-mail address; use such as noreply@example.dk or \"Fritidsjob <noreply@example.dk>\"", c.From)
	}
	if q.Has("starttls") {
		if c.Security == Implicit {
			return Config{}, errors.New("starttls= has no meaning with smtps:// (TLS from the start)")
		}
		switch v := q.Get("starttls"); v {
		case "mandatory":
		case "opportunistic", "none":
			if !local(c.Host) {
				return Config{}, fmt.Errorf("starttls=%s would send passwords and messages unencrypted; it is only allowed for a test server on localhost or 127.0.0.1", v)
			}
			c.Security = Opportunistic
			if v == "none" {
				c.Security = Plain
			}
		default:
			return Config{}, fmt.Errorf("starttls=%q; use mandatory (the default), or opportunistic or none for a local test server", v)
		}
	}
	return c, nil
}

// local reports whether host is this machine.
func local(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String shows c without its password.
func (c Config) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.Security == Implicit {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, "xxxxx")
	}
	q := url.Values{"from": {c.From}}
	if c.Security == Opportunistic || c.Security == Plain {
		q.Set("starttls", string(c.Security))
	}
	u.RawQuery = q.Encode()
	return u.String()
}
