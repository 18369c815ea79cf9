package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fritidsjob/notify/mail"
	"fritidsjob/notify/sms"
)

// config is everything the binary can be told, from flags or FRITIDSJOB_*
// environment variables (a flag given on the command line wins).
type config struct {
	Addr           string
	Data           string
	RedisURL       string
	RedisPrefix    string
	Demo           bool
	PublicURL      string
	TLSCert        string
	TLSKey         string
	TrustedProxies string
	LogLevel       string
	SessionIdle    time.Duration
	SessionMax     time.Duration
	AccessLogKeep  time.Duration
	InactiveKeep   time.Duration
	CaseNoteKeep   time.Duration
	Require2FA     bool
	SMTPURL        string
	// SMS through GatewayAPI: off without a token.
	SMSGatewayURL    string
	SMSToken         string
	SMSSender        string
	SMSWebhookSecret string
	NotifyLease      time.Duration
	secretEnv        string
	settings         []setting // what parse checks
	envRead          []string  // the FRITIDSJOB_* variables looked up, for the test that keeps their table complete
}

// setting ties a flag to its FRITIDSJOB_ variable and says what a good
// value is. A variable's value that does not parse never quietly becomes the
// default: parse refuses it by name (a retention of "730d" once meant the
// default 2 years without a word).
type setting struct {
	flag  string              // "" when there is only the variable
	env   string              // the variable, after FRITIDSJOB_
	check func(string) error  // what is wrong with a value, and the accepted form
	show  func(string) string // how an error shows a value; nil: quoted as it is
}

// env returns the variable FRITIDSJOB_k, or def when it is not set.
func (c *config) env(k, def string) string {
	c.envRead = append(c.envRead, k)
	if v, ok := os.LookupEnv("FRITIDSJOB_" + k); ok {
		return v
	}
	return def
}

// envDur and envBool give a flag its default from the environment; a value
// that does not parse leaves def here, and parse reports it.
func (c *config) envDur(k string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(c.env(k, "")); err == nil {
		return d
	}
	return def
}

func (c *config) envBool(k string, def bool) bool {
	if b, err := strconv.ParseBool(c.env(k, "")); err == nil {
		return b
	}
	return def
}

func (c *config) setting(flag, env string, check func(string) error) {
	c.settings = append(c.settings, setting{flag: flag, env: env, check: check})
}

// flagSet declares the common flags on a new FlagSet, with defaults taken
// from the environment.
func flagSet(name string, stderr io.Writer, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Data, "data", c.env("DATA", "./data"), "data directory: the database file, the secret and the control socket (FRITIDSJOB_DATA)")
	c.setting("data", "DATA", notEmpty("a directory such as ./data"))
	fs.StringVar(&c.RedisURL, "redis", c.env("REDIS_URL", ""), "redis://host:port/db: keep all data in Redis instead of DATA/fritidsjob.db, so several instances can serve together (FRITIDSJOB_REDIS_URL)")
	c.settings = append(c.settings, setting{flag: "redis", env: "REDIS_URL", check: checkRedisURL, show: showSecretURL})
	fs.StringVar(&c.RedisPrefix, "redis-prefix", c.env("REDIS_PREFIX", "fritidsjob"), "installation name the Redis keys live under, so one Redis can hold several installations (FRITIDSJOB_REDIS_PREFIX)")
	c.setting("redis-prefix", "REDIS_PREFIX", checkRedisPrefix)
	c.secretEnv = c.env("SECRET", "")
	c.settings = append(c.settings, setting{env: "SECRET", check: checkSecret,
		show: func(string) string { return "(not shown)" }})
	return fs
}

// retentionMin is the shortest retention accepted: the retention jobs run
// daily, and a shorter period is far more likely a slip than a wish.
const retentionMin = 24 * time.Hour

func serveFlags(stderr io.Writer, c *config) *flag.FlagSet {
	fs := flagSet("serve", stderr, c)
	const twoYears = 2 * 365 * 24 * time.Hour
	fs.StringVar(&c.Addr, "addr", c.env("ADDR", "127.0.0.1:8080"), "address to listen on (FRITIDSJOB_ADDR)")
	c.setting("addr", "ADDR", checkAddr)
	fs.BoolVar(&c.Demo, "demo", c.envBool("DEMO", false), "seed demo data into an empty store and print the demo logins (FRITIDSJOB_DEMO)")
	c.setting("demo", "DEMO", checkBool)
	fs.StringVar(&c.PublicURL, "public-url", c.env("PUBLIC_URL", ""), "the URL users reach the app at; https:// makes cookies Secure and turns on HSTS (FRITIDSJOB_PUBLIC_URL)")
	c.setting("public-url", "PUBLIC_URL", checkPublicURL)
	fs.StringVar(&c.TLSCert, "tls-cert", c.env("TLS_CERT", ""), "TLS certificate file to serve HTTPS directly (FRITIDSJOB_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", c.env("TLS_KEY", ""), "TLS key file (FRITIDSJOB_TLS_KEY)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.env("TRUSTED_PROXIES", ""), "comma-separated reverse-proxy IPs/CIDRs whose X-Forwarded-For is believed (FRITIDSJOB_TRUSTED_PROXIES)")
	c.setting("trusted-proxies", "TRUSTED_PROXIES", checkProxies)
	fs.StringVar(&c.LogLevel, "log-level", c.env("LOG_LEVEL", "info"), "debug, info, warn or error (FRITIDSJOB_LOG_LEVEL)")
	c.setting("log-level", "LOG_LEVEL", checkLogLevel)
	fs.DurationVar(&c.SessionIdle, "session-idle", c.envDur("SESSION_IDLE", 2*time.Hour), "log out after this long without a request (FRITIDSJOB_SESSION_IDLE)")
	c.setting("session-idle", "SESSION_IDLE", checkDuration(time.Nanosecond, "2h"))
	fs.DurationVar(&c.InactiveKeep, "inactive-youth-retention", c.envDur("INACTIVE_YOUTH_RETENTION", twoYears), "erase the personal data of youths inactive this long; a daily job does it (FRITIDSJOB_INACTIVE_YOUTH_RETENTION)")
	c.setting("inactive-youth-retention", "INACTIVE_YOUTH_RETENTION", checkDuration(retentionMin, "17520h"))
	fs.DurationVar(&c.CaseNoteKeep, "case-note-retention", c.envDur("CASE_NOTE_RETENTION", twoYears), "how long coordinators' case notes are kept; a daily job deletes older ones unless a follow-up is pending (FRITIDSJOB_CASE_NOTE_RETENTION)")
	c.setting("case-note-retention", "CASE_NOTE_RETENTION", checkDuration(retentionMin, "17520h"))
	fs.DurationVar(&c.AccessLogKeep, "access-log-retention", c.envDur("ACCESS_LOG_RETENTION", twoYears), "how long access-log entries are kept; a daily job deletes older ones (FRITIDSJOB_ACCESS_LOG_RETENTION)")
	c.setting("access-log-retention", "ACCESS_LOG_RETENTION", checkDuration(retentionMin, "17520h"))
	fs.DurationVar(&c.SessionMax, "session-max", c.envDur("SESSION_MAX", 12*time.Hour), "absolute session lifetime (FRITIDSJOB_SESSION_MAX)")
	c.setting("session-max", "SESSION_MAX", checkDuration(time.Nanosecond, "12h"))
	fs.BoolVar(&c.Require2FA, "require-2fa", c.envBool("REQUIRE_2FA", true), "admins, coordinators and evaluators must set up and use a TOTP second factor; off by default with -demo (FRITIDSJOB_REQUIRE_2FA)")
	c.setting("require-2fa", "REQUIRE_2FA", checkBool)
	c.SMTPURL = c.env("SMTP_URL", "")
	fs.Var(secretURL{&c.SMTPURL}, "smtp-url", "e-mail notifications, to those who chose them, through the SMTP server at `URL`: smtp://user:password@host:587?from=noreply@example.dk (STARTTLS) or smtps://…:465 (implicit TLS); without it, no e-mail (FRITIDSJOB_SMTP_URL)")
	c.settings = append(c.settings, setting{flag: "smtp-url", env: "SMTP_URL", check: checkSMTPURL, show: showSecretURL})
	fs.StringVar(&c.SMSGatewayURL, "sms-gateway-url", c.env("SMS_GATEWAY_URL", sms.DefaultGatewayAPIURL), "GatewayAPI's base URL, where /rest/mtsms is (FRITIDSJOB_SMS_GATEWAY_URL)")
	c.setting("sms-gateway-url", "SMS_GATEWAY_URL", checkGatewayURL)
	fs.StringVar(&c.SMSToken, "sms-token", c.env("SMS_TOKEN", ""), "GatewayAPI API token; without it no SMS is sent and messages stay in the in-app inbox (FRITIDSJOB_SMS_TOKEN; prefer the variable: a flag shows in the process list)")
	c.settings = append(c.settings, setting{flag: "sms-token", env: "SMS_TOKEN", check: checkToken, show: hidden})
	fs.StringVar(&c.SMSSender, "sms-sender", c.env("SMS_SENDER", "Fritidsjob"), "the SMS sender shown on phones: up to 11 letters or digits, or a number (FRITIDSJOB_SMS_SENDER)")
	c.setting("sms-sender", "SMS_SENDER", checkSender)
	fs.StringVar(&c.SMSWebhookSecret, "sms-webhook-secret", c.env("SMS_WEBHOOK_SECRET", ""), "the secret GatewayAPI signs incoming-SMS webhooks with (its JWT, HS256); without it replies (STOP, START) to /sms/incoming are refused (FRITIDSJOB_SMS_WEBHOOK_SECRET)")
	c.settings = append(c.settings, setting{flag: "sms-webhook-secret", env: "SMS_WEBHOOK_SECRET", check: checkWebhookSecret, show: hidden})
	fs.DurationVar(&c.NotifyLease, "notify-lease", c.envDur("NOTIFY_LEASE", 2*time.Minute), "how long a message being sent (SMS, e-mail) stays this instance's; one cut off by a crash is sent again after this long, and a send may take half of it (FRITIDSJOB_NOTIFY_LEASE)")
	c.setting("notify-lease", "NOTIFY_LEASE", checkLease)
	return fs
}

// hidden shows a secret value in an error: not at all.
func hidden(string) string { return "(not shown)" }

func checkGatewayURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return fmt.Errorf("not the gateway's base URL; use an https:// URL such as %s", sms.DefaultGatewayAPIURL)
	}
	return nil
}

func checkToken(v string) error {
	if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return errors.New("not an API token: it has spaces or other characters a token does not; copy it again from GatewayAPI's dashboard")
	}
	return nil
}

func checkSender(v string) error {
	if !sms.ValidSender(v) {
		return errors.New("not a sender GatewayAPI takes; use up to 11 letters (a–z, no æøå), digits or spaces such as Fritidsjob, or a phone number of up to 15 digits")
	}
	return nil
}

func checkLease(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d < 2*time.Second || d > time.Hour {
		return errors.New("not a lease; use a duration from 2s to 1h such as 2m")
	}
	return nil
}

func checkWebhookSecret(v string) error {
	if v != "" && len(v) < 16 {
		return errors.New("shorter than 16 characters; use the long random secret set on the webhook in GatewayAPI's dashboard")
	}
	return nil
}

// parse reads args into c through fs (made by flagSet or serveFlags), then
// checks every setting fs declared: its variable when set, its flag when
// given. A flag error is a usage error; every other problem is reported
// at once, each naming the variable or flag and the form it accepts.
func (c *config) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	for _, s := range c.settings {
		try := func(name, v string) {
			if err := s.check(v); err != nil {
				shown := strconv.Quote(v)
				if s.show != nil {
					shown = s.show(v)
				}
				errs = append(errs, fmt.Errorf("%s=%s: %w", name, shown, err))
			}
		}
		if v, ok := os.LookupEnv("FRITIDSJOB_" + s.env); ok {
			try("FRITIDSJOB_"+s.env, v)
		}
		if s.flag != "" && given[s.flag] {
			v := fs.Lookup(s.flag).Value
			if g, ok := v.(flag.Getter); ok {
				try("-"+s.flag, fmt.Sprint(g.Get()))
			} else {
				try("-"+s.flag, v.String())
			}
		}
	}
	if fs.Lookup("tls-cert") != nil && (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("give both -tls-cert and -tls-key (FRITIDSJOB_TLS_CERT and FRITIDSJOB_TLS_KEY), or neither"))
	}
	return errors.Join(errs...)
}

func notEmpty(want string) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("empty; name %s", want)
		}
		return nil
	}
}

func checkBool(v string) error {
	if _, err := strconv.ParseBool(v); err != nil {
		return errors.New("not a boolean; use true or false")
	}
	return nil
}

// checkDuration accepts Go durations of at least least; example is the
// default, shown in the error as the form to use.
func checkDuration(least time.Duration, example string) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			return fmt.Errorf("not a duration; use Go's form such as %s (hours: h, minutes: m; no days or years)", example)
		case d <= 0:
			return fmt.Errorf("must be positive, such as %s", example)
		case d < least:
			return fmt.Errorf("too short: at least %s (the retention job runs daily), such as %s", strings.TrimSuffix(least.String(), "0m0s"), example)
		}
		return nil
	}
}

func checkAddr(v string) error {
	_, port, err := net.SplitHostPort(v)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		return errors.New("not host:port; use such as 127.0.0.1:8080 or :8080")
	}
	return nil
}

func checkPublicURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return errors.New("not the address users open; use an http:// or https:// URL such as https://fritidsjob.example.dk")
	}
	return nil
}

func checkProxies(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		var err error
		if strings.Contains(p, "/") {
			_, err = netip.ParsePrefix(p)
		} else {
			_, err = netip.ParseAddr(p)
		}
		if err != nil {
			return fmt.Errorf("%q is not an IP address or network; use a comma-separated list such as 127.0.0.1,10.0.0.0/8", p)
		}
	}
	return nil
}

func checkLogLevel(v string) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		return errors.New("not a log level; use debug, info, warn or error")
	}
	return nil
}

func checkRedisURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	ok := err == nil && ((u.Scheme == "redis" || u.Scheme == "rediss") && u.Host != "" ||
		u.Scheme == "unix" && u.Path != "")
	if !ok {
		return errors.New("not a Redis URL; use redis://host:port/db (rediss:// with TLS, unix:///path/to/socket)")
	}
	return nil
}

// showSecretURL shows a Redis or SMTP URL that did not parse only when it
// cannot hold a password, which a malformed URL would not let Redacted find.
func showSecretURL(v string) string {
	if strings.Contains(v, "@") {
		return "(not shown: it may hold a password)"
	}
	return strconv.Quote(v)
}

// secretURL is a flag holding a URL that may carry a password: the usage
// text (-h) shows it with the password replaced, from wherever it came.
type secretURL struct{ p *string }

func (s secretURL) Set(v string) error { *s.p = v; return nil }
func (s secretURL) Get() any           { return *s.p }
func (s secretURL) String() string {
	if s.p == nil || *s.p == "" {
		return ""
	}
	u, err := url.Parse(*s.p)
	if err != nil {
		return showSecretURL(*s.p)
	}
	return u.Redacted()
}

// checkSMTPURL accepts "" (no e-mail) or what mail.ParseURL accepts.
func checkSMTPURL(v string) error {
	if v == "" {
		return nil
	}
	_, err := mail.ParseURL(v)
	return err
}

func checkRedisPrefix(v string) error {
	if v == "" || strings.ContainsAny(v, "{}") {
		return errors.New("not an installation name; use letters, digits and - such as fritidsjob, without { or }")
	}
	return nil
}

func checkSecret(v string) error {
	if len(v) < 32 {
		return errors.New("shorter than 32 characters; use a random value of at least 32, or unset it to keep the secret in DATA/secret")
	}
	return nil
}

// require2FAGiven reports whether -require-2fa or FRITIDSJOB_REQUIRE_2FA
// was given, rather than defaulted.
func require2FAGiven(fs *flag.FlagSet) bool {
	if _, ok := os.LookupEnv("FRITIDSJOB_REQUIRE_2FA"); ok {
		return true
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "require-2fa" })
	return given
}

func (c *config) dbPath() string     { return filepath.Join(c.Data, "fritidsjob.db") }
func (c *config) socketPath() string { return filepath.Join(c.Data, "control.sock") }

// secret returns the installation secret: FRITIDSJOB_SECRET when set,
// else the one in DATA/secret, generated there (0600) on first run.
func (c *config) secret() ([]byte, error) {
	if c.secretEnv != "" {
		if len(c.secretEnv) < 32 {
			return nil, errors.New("FRITIDSJOB_SECRET must be at least 32 characters")
		}
		return []byte(c.secretEnv), nil
	}
	path := filepath.Join(c.Data, "secret")
	b, err := os.ReadFile(path)
	if err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return nil, fmt.Errorf("%s is shorter than 32 characters", path)
		}
		return []byte(s), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read secret: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write secret: %w", err)
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secret: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write secret: %w", err)
	}
	return []byte(s), nil
}

func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", c.LogLevel, err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})), nil
}

// httpsUnseen reports whether the public URL is https:// while the app can
// see HTTPS neither itself (no -tls-cert) nor from a proxy it believes (no
// -trusted-proxies): cookies are then marked Secure, but every request
// looks like plain HTTP, and the CSRF origin check may refuse the forms.
func (c *config) httpsUnseen() bool {
	return strings.HasPrefix(c.PublicURL, "https://") && c.TLSCert == "" && len(c.proxies()) == 0
}

func (c *config) proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
