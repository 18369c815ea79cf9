package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// envCases holds a bad and a good value for every FRITIDSJOB_* variable
// the configuration reads (TestConfigEnvTableComplete keeps it complete).
// with is set alongside every value, for variables that come in pairs.
var envCases = []struct {
	key  string
	bad  []string
	good []string
	with map[string]string
}{
	{key: "DATA", bad: []string{""}, good: []string{"/srv/fritidsjob", "./data"}},
	{key: "REDIS_URL", bad: []string{"localhost:6379", "http://127.0.0.1:6379", "redis://", "redis://[::1"},
		good: []string{"", "redis://127.0.0.1:6379/0", "rediss://user:pass@redis.example:6380/1", "unix:///run/redis.sock"}},
	{key: "REDIS_PREFIX", bad: []string{"", "a{b}"}, good: []string{"fritidsjob", "aarhus-2"}},
	{key: "SECRET", bad: []string{"", "for-kort"}, good: []string{strings.Repeat("s", 32)}},
	{key: "ADDR", bad: []string{"", "8080", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:http-alt"},
		good: []string{"127.0.0.1:8080", ":8080", "[::1]:0", "localhost:8080"}},
	{key: "DEMO", bad: []string{"", "ja", "on"}, good: []string{"true", "false", "1", "0"}},
	{key: "PUBLIC_URL", bad: []string{"fritidsjob.example.dk", "ftp://fritidsjob.example.dk", "https://", "https://fritidsjob.example.dk/?x=1", "https://a b"},
		good: []string{"", "https://fritidsjob.example.dk", "http://127.0.0.1:8080", "https://kommune.example/fritidsjob"}},
	{key: "TLS_CERT", bad: []string{"cert.pem"}, good: []string{"cert.pem"}, with: nil},
	{key: "TLS_KEY", bad: []string{"key.pem"}, good: []string{"key.pem"}, with: nil},
	{key: "TRUSTED_PROXIES", bad: []string{"10.0.0", "10.0.0.0/33", "proxy.lan", "127.0.0.1;10.0.0.1", "10.0.0.1:80"},
		good: []string{"", "127.0.0.1", "127.0.0.1, 10.0.0.0/8,2001:db8::/48"}},
	{key: "LOG_LEVEL", bad: []string{"", "verbose"}, good: []string{"debug", "info", "warn", "error"}},
	{key: "SESSION_IDLE", bad: []string{"", "2 hours", "120", "0", "-1h"}, good: []string{"30m", "2h"}},
	{key: "SESSION_MAX", bad: []string{"12", "0s", "-12h"}, good: []string{"8h"}},
	{key: "INACTIVE_YOUTH_RETENTION", bad: []string{"", "730d", "2y", "17520", "0", "-17520h", "1h"}, good: []string{"17520h", "8760h", "24h"}},
	{key: "ACCESS_LOG_RETENTION", bad: []string{"", "730d", "0", "-1h", "90m"}, good: []string{"17520h", "43800h"}},
	{key: "CASE_NOTE_RETENTION", bad: []string{"", "730d", "0s", "-8760h"}, good: []string{"17520h"}},
	{key: "REQUIRE_2FA", bad: []string{"", "ja", "yes"}, good: []string{"true", "false"}},
	{key: "SMTP_URL", bad: []string{"smtp.example.dk:587", "smtp://smtp.example.dk", "imap://smtp.example.dk?from=noreply@example.dk",
		"smtp://smtp.example.dk?from=noreply@example.dk&starttls=none", "smtp://bruger@smtp.example.dk?from=noreply@example.dk"},
		good: []string{"", "smtp://bruger:kode@smtp.example.dk?from=noreply@example.dk", "smtps://smtp.example.dk:465?from=Fritidsjob%20%3Cnoreply@example.dk%3E",
			"smtp://127.0.0.1:1025?from=noreply@example.dk&starttls=none"}},
	{key: "SMS_GATEWAY_URL", bad: []string{"", "gatewayapi.eu", "ftp://gatewayapi.eu", "https://"},
		good: []string{"https://gatewayapi.eu", "https://gatewayapi.com", "http://127.0.0.1:9999"}},
	{key: "SMS_TOKEN", bad: []string{"abc def", "tøken"}, good: []string{"", "GoGbRb0eQ-aKQ2P_mJ2uUuH4rM0"}},
	{key: "SMS_SENDER", bad: []string{"", "FritidsjobDK1", "Fritidsjøb", "a/b", "1234567890123456"},
		good: []string{"Fritidsjob", "Gellerup", "4512345678"}},
	{key: "NOTIFY_LEASE", bad: []string{"", "2", "1s", "2d", "2h"}, good: []string{"2m", "30s", "2s"}},
	{key: "SMS_WEBHOOK_SECRET", bad: []string{"kort"}, good: []string{"", "0123456789abcdef0123"}},
}

func init() {
	// -tls-cert and -tls-key come as a pair: one alone is the bad value.
	for i := range envCases {
		switch envCases[i].key {
		case "TLS_CERT":
			envCases[i].with = map[string]string{"TLS_KEY": "key.pem"}
		case "TLS_KEY":
			envCases[i].with = map[string]string{"TLS_CERT": "cert.pem"}
		}
	}
}

// clearEnv unsets every variable of envCases for the test.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, c := range envCases {
		k := "FRITIDSJOB_" + c.key
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)
	}
}

// commonKey reports whether every command reads key, not only serve.
func commonKey(key string) bool {
	return slices.Contains([]string{"DATA", "REDIS_URL", "REDIS_PREFIX", "SECRET"}, key)
}

// parseServe parses args as 'fritidsjob serve' would.
func parseServe(args ...string) (config, error) {
	var c config
	err := c.parse(serveFlags(io.Discard, &c), args)
	return c, err
}

func TestConfigEnvBadValuesRefused(t *testing.T) {
	for _, tc := range envCases {
		for _, v := range tc.bad {
			t.Run(tc.key+"="+v, func(t *testing.T) {
				clearEnv(t)
				t.Setenv("FRITIDSJOB_"+tc.key, v)
				_, err := parseServe()
				if err == nil || !strings.Contains(err.Error(), "FRITIDSJOB_"+tc.key) {
					t.Fatalf("FRITIDSJOB_%s=%q: %v, want an error naming the variable", tc.key, v, err)
				}
				if tc.key == "SECRET" && v != "" && strings.Contains(err.Error(), v) {
					t.Fatalf("the error shows the secret: %v", err)
				}
				if commonKey(tc.key) {
					var c config
					err := c.parse(flagSet("check", io.Discard, &c), nil)
					if err == nil || !strings.Contains(err.Error(), "FRITIDSJOB_"+tc.key) {
						t.Fatalf("check with FRITIDSJOB_%s=%q: %v, want an error naming the variable", tc.key, v, err)
					}
				}
			})
		}
	}
}

func TestConfigEnvGoodValuesParse(t *testing.T) {
	for _, tc := range envCases {
		for _, v := range tc.good {
			t.Run(tc.key+"="+v, func(t *testing.T) {
				clearEnv(t)
				t.Setenv("FRITIDSJOB_"+tc.key, v)
				for k, w := range tc.with {
					t.Setenv("FRITIDSJOB_"+k, w)
				}
				if _, err := parseServe(); err != nil {
					t.Fatalf("FRITIDSJOB_%s=%q: %v", tc.key, v, err)
				}
			})
		}
	}
	t.Run("values arrive", func(t *testing.T) {
		clearEnv(t)
		t.Setenv("FRITIDSJOB_ACCESS_LOG_RETENTION", "8760h")
		t.Setenv("FRITIDSJOB_REQUIRE_2FA", "false")
		t.Setenv("FRITIDSJOB_DEMO", "1")
		c, err := parseServe()
		if err != nil {
			t.Fatal(err)
		}
		if c.AccessLogKeep != 8760*time.Hour || c.Require2FA || !c.Demo {
			t.Fatalf("parsed %+v", c)
		}
	})
}

// TestConfigEnvTableComplete: envCases names exactly the variables the
// configuration reads, so a new variable cannot skip the table.
func TestConfigEnvTableComplete(t *testing.T) {
	clearEnv(t)
	var c config
	if err := c.parse(serveFlags(io.Discard, &c), nil); err != nil {
		t.Fatal(err)
	}
	var table []string
	for _, tc := range envCases {
		table = append(table, tc.key)
	}
	read := slices.Clone(c.envRead)
	slices.Sort(read)
	read = slices.Compact(read)
	slices.Sort(table)
	if !slices.Equal(read, table) {
		t.Fatalf("variables read %v\ntable          %v", read, table)
	}
}

// TestConfigFlagsChecked: a duration or retention given as a flag is held
// to the same rules, and the error names the flag.
func TestConfigFlagsChecked(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{
		{"-access-log-retention", "0"},
		{"-inactive-youth-retention", "-17520h"},
		{"-case-note-retention", "1h"},
		{"-session-idle", "0s"},
		{"-session-max", "-1h"},
		{"-public-url", "fritidsjob.example.dk"},
		{"-trusted-proxies", "10.0.0"},
		{"-addr", "8080"},
		{"-log-level", "verbose"},
		{"-data", ""},
		{"-redis-prefix", ""},
		{"-tls-cert", "cert.pem"},
		{"-smtp-url", "smtp://smtp.example.dk"},
	} {
		_, err := parseServe(args...)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%s %q: %v, want an error naming the flag", args[0], args[1], err)
		}
	}
	// A flag overrides a variable, but a variable that does not parse is an
	// error all the same: no value is ever quietly dropped.
	t.Setenv("FRITIDSJOB_ACCESS_LOG_RETENTION", "730d")
	if _, err := parseServe("-access-log-retention", "17520h"); err == nil || !strings.Contains(err.Error(), "FRITIDSJOB_ACCESS_LOG_RETENTION") {
		t.Errorf("bad variable under a good flag: %v", err)
	}
}

// TestBadEnvStopsTheBinary: the real binary with a retention it cannot read
// exits non-zero before it touches the data directory, and says which
// variable and what form it wants.
func TestBadEnvStopsTheBinary(t *testing.T) {
	clearEnv(t)
	t.Setenv("FRITIDSJOB_ACCESS_LOG_RETENTION", "730d")
	data := filepath.Join(t.TempDir(), "data")
	r := runCmd(t, "", 30*time.Second, "serve", "-data", data, "-addr", "127.0.0.1:0")
	if r.code == 0 {
		t.Fatalf("exit 0 with FRITIDSJOB_ACCESS_LOG_RETENTION=730d\nstderr:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, `FRITIDSJOB_ACCESS_LOG_RETENTION="730d"`) || !strings.Contains(r.stderr, "17520h") {
		t.Fatalf("stderr does not name the variable and the form:\n%s", r.stderr)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Fatalf("data directory touched: %v", err)
	}
}

// TestConfigErrorsHideSecrets: an error about the secret or a Redis URL
// with a password does not print them.
func TestConfigErrorsHideSecrets(t *testing.T) {
	for k, v := range map[string]string{"SECRET": "kort-men-hemmeligt", "REDIS_URL": "redis//bruger:hemmeligt@redis.example",
		"SMTP_URL":  "smtp://bruger:hemmeligt@smtp.example.dk",
		"SMS_TOKEN": "token hemmeligt", "SMS_WEBHOOK_SECRET": "hemmeligt"} {
		clearEnv(t)
		t.Setenv("FRITIDSJOB_"+k, v)
		_, err := parseServe()
		if err == nil || strings.Contains(err.Error(), "hemmeligt") {
			t.Errorf("FRITIDSJOB_%s: %v", k, err)
		}
	}
}

// TestHTTPSPublicURLWithoutTLSOrProxyWarns: the real binary says at start,
// in one warning, that an https:// public URL without TLS or a trusted
// proxy cannot work as meant; with a trusted proxy it says nothing.
func TestHTTPSPublicURLWithoutTLSOrProxyWarns(t *testing.T) {
	clearEnv(t)
	warnings := func(stderr string) []string {
		var out []string
		for _, l := range strings.Split(stderr, "\n") {
			if strings.Contains(l, "level=WARN") && strings.Contains(l, "-public-url") {
				out = append(out, l)
			}
		}
		return out
	}
	s := startServer(t, t.TempDir(), "-public-url", "https://fritidsjob.example.dk")
	if err := s.stop(t, 15*time.Second); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if w := warnings(s.stderr.String()); len(w) != 1 || !strings.Contains(w[0], "-trusted-proxies") || !strings.Contains(w[0], "-tls-cert") {
		t.Fatalf("warnings %q\nstderr:\n%s", w, s.stderr)
	}
	s = startServer(t, t.TempDir(), "-public-url", "https://fritidsjob.example.dk", "-trusted-proxies", "127.0.0.1")
	if err := s.stop(t, 15*time.Second); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if w := warnings(s.stderr.String()); len(w) != 0 {
		t.Fatalf("warned behind a trusted proxy: %q", w)
	}
}

// TestSMTPURL: -smtp-url arrives from the flag or the variable (the flag
// wins), and neither the usage text nor the server's start-up log shows
// its password; the server says whether e-mail is on.
func TestSMTPURL(t *testing.T) {
	clearEnv(t)
	const env = "smtp://bruger:hemmeligt@smtp.example.dk?from=noreply@example.dk"
	t.Setenv("FRITIDSJOB_SMTP_URL", env)
	if c, err := parseServe(); err != nil || c.SMTPURL != env {
		t.Fatalf("from the variable: %q, %v", c.SMTPURL, err)
	}
	const flagURL = "smtps://andet:hemmeligt@mail.example.dk?from=noreply@example.dk"
	if c, err := parseServe("-smtp-url", flagURL); err != nil || c.SMTPURL != flagURL {
		t.Fatalf("from the flag: %q, %v", c.SMTPURL, err)
	}
	var usage strings.Builder
	var c config
	fs := serveFlags(&usage, &c)
	fs.PrintDefaults()
	if !strings.Contains(usage.String(), "-smtp-url") || strings.Contains(usage.String(), "hemmeligt") {
		t.Errorf("usage shows the password or lacks -smtp-url:\n%s", usage.String())
	}

	clearEnv(t)
	s := startServer(t, t.TempDir(), "-smtp-url", "smtp://bruger:hemmeligt@127.0.0.1:1?from=noreply@example.dk&starttls=none")
	if err := s.stop(t, 15*time.Second); err != nil {
		t.Fatalf("stop: %v", err)
	}
	log := s.stderr.String()
	if !strings.Contains(log, "e-mail notifications on") || !strings.Contains(log, "bruger:xxxxx@127.0.0.1:1") || strings.Contains(log, "hemmeligt") {
		t.Errorf("start-up log with -smtp-url:\n%s", log)
	}
}

func TestHTTPSUnseen(t *testing.T) {
	for _, tc := range []struct {
		public, cert, proxies string
		want                  bool
	}{
		{"https://fritidsjob.example.dk", "", "", true},
		{"https://fritidsjob.example.dk", "", " , ", true},
		{"https://fritidsjob.example.dk", "cert.pem", "", false},
		{"https://fritidsjob.example.dk", "", "127.0.0.1", false},
		{"http://fritidsjob.example.dk", "", "", false},
		{"", "", "", false},
	} {
		c := config{PublicURL: tc.public, TLSCert: tc.cert, TrustedProxies: tc.proxies}
		if got := c.httpsUnseen(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc, got, tc.want)
		}
	}
}
