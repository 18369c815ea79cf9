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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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
	secretEnv      string
}

// flagSet declares the common flags on a new FlagSet, with defaults taken
// from the environment.
func flagSet(name string, stderr io.Writer, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(k, def string) string {
		if v, ok := os.LookupEnv("FRITIDSJOB_" + k); ok {
			return v
		}
		return def
	}
	fs.StringVar(&c.Data, "data", env("DATA", "./data"), "data directory: the database file, the secret and the control socket (FRITIDSJOB_DATA)")
	fs.StringVar(&c.RedisURL, "redis", env("REDIS_URL", ""), "redis://host:port/db: keep all data in Redis instead of DATA/fritidsjob.db, so several instances can serve together (FRITIDSJOB_REDIS_URL)")
	fs.StringVar(&c.RedisPrefix, "redis-prefix", env("REDIS_PREFIX", "fritidsjob"), "installation name the Redis keys live under, so one Redis can hold several installations (FRITIDSJOB_REDIS_PREFIX)")
	c.secretEnv = env("SECRET", "")
	return fs
}

func serveFlags(stderr io.Writer, c *config) *flag.FlagSet {
	fs := flagSet("serve", stderr, c)
	env := func(k, def string) string {
		if v, ok := os.LookupEnv("FRITIDSJOB_" + k); ok {
			return v
		}
		return def
	}
	envBool := func(k string) bool { b, _ := strconv.ParseBool(env(k, "false")); return b }
	envDur := func(k string, def time.Duration) time.Duration {
		if d, err := time.ParseDuration(env(k, "")); err == nil {
			return d
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("ADDR", "127.0.0.1:8080"), "address to listen on (FRITIDSJOB_ADDR)")
	fs.BoolVar(&c.Demo, "demo", envBool("DEMO"), "seed demo data into an empty store and print the demo logins (FRITIDSJOB_DEMO)")
	fs.StringVar(&c.PublicURL, "public-url", env("PUBLIC_URL", ""), "the URL users reach the app at; https:// makes cookies Secure and turns on HSTS (FRITIDSJOB_PUBLIC_URL)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("TLS_CERT", ""), "TLS certificate file to serve HTTPS directly (FRITIDSJOB_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("TLS_KEY", ""), "TLS key file (FRITIDSJOB_TLS_KEY)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated reverse-proxy IPs/CIDRs whose X-Forwarded-For is believed (FRITIDSJOB_TRUSTED_PROXIES)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (FRITIDSJOB_LOG_LEVEL)")
	fs.DurationVar(&c.SessionIdle, "session-idle", envDur("SESSION_IDLE", 2*time.Hour), "log out after this long without a request (FRITIDSJOB_SESSION_IDLE)")
	fs.DurationVar(&c.InactiveKeep, "inactive-youth-retention", envDur("INACTIVE_YOUTH_RETENTION", 2*365*24*time.Hour), "erase the personal data of youths inactive this long; a daily job does it (FRITIDSJOB_INACTIVE_YOUTH_RETENTION)")
	fs.DurationVar(&c.CaseNoteKeep, "case-note-retention", envDur("CASE_NOTE_RETENTION", 2*365*24*time.Hour), "how long coordinators' case notes are kept; a daily job deletes older ones unless a follow-up is pending (FRITIDSJOB_CASE_NOTE_RETENTION)")
	fs.DurationVar(&c.AccessLogKeep, "access-log-retention", envDur("ACCESS_LOG_RETENTION", 2*365*24*time.Hour), "how long access-log entries are kept; a daily job deletes older ones (FRITIDSJOB_ACCESS_LOG_RETENTION)")
	fs.DurationVar(&c.SessionMax, "session-max", envDur("SESSION_MAX", 12*time.Hour), "absolute session lifetime (FRITIDSJOB_SESSION_MAX)")
	require2FA, err := strconv.ParseBool(env("REQUIRE_2FA", "true"))
	if err != nil {
		require2FA = true // an unreadable value keeps the safe default
	}
	fs.BoolVar(&c.Require2FA, "require-2fa", require2FA, "admins, coordinators and evaluators must set up and use a TOTP second factor; off by default with -demo (FRITIDSJOB_REQUIRE_2FA)")
	return fs
}

// parse reads args into c through fs (made by flagSet or serveFlags).
// A flag error is a usage error.
func (c *config) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
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

func (c *config) proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
