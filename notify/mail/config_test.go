package mail

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	good := []struct {
		url  string
		want Config
	}{
		{"smtp://bruger:hemmeligt@smtp.example.dk?from=noreply@example.dk",
			Config{Host: "smtp.example.dk", Port: 587, Security: StartTLS, Username: "bruger", Password: "hemmeligt", From: "noreply@example.dk"}},
		{"smtp://smtp.example.dk:2525/?from=noreply@example.dk&starttls=mandatory",
			Config{Host: "smtp.example.dk", Port: 2525, Security: StartTLS, From: "noreply@example.dk"}},
		{"smtps://bruger%40kommune.dk:p%40ss%3Aord@mail.example.dk?from=Fritidsjob+%3Cnoreply%40example.dk%3E",
			Config{Host: "mail.example.dk", Port: 465, Security: Implicit, Username: "bruger@kommune.dk", Password: "p@ss:ord", From: "Fritidsjob <noreply@example.dk>"}},
		{"smtps://[2001:db8::25]:1465?from=noreply@example.dk",
			Config{Host: "2001:db8::25", Port: 1465, Security: Implicit, From: "noreply@example.dk"}},
		{"smtp://127.0.0.1:1025?from=test@example.dk&starttls=none",
			Config{Host: "127.0.0.1", Port: 1025, Security: Plain, From: "test@example.dk"}},
		{"smtp://localhost:1025?from=test@example.dk&starttls=opportunistic",
			Config{Host: "localhost", Port: 1025, Security: Opportunistic, From: "test@example.dk"}},
		{"smtp://[::1]:1025?from=test@example.dk&starttls=none",
			Config{Host: "::1", Port: 1025, Security: Plain, From: "test@example.dk"}},
	}
	for _, tc := range good {
		got, err := ParseURL(tc.url)
		if err != nil || got != tc.want {
			t.Errorf("ParseURL(%q) = %+v, %v\nwant %+v", tc.url, got, err, tc.want)
		}
	}
	bad := []struct{ url, says string }{
		{"", "unknown scheme"},
		{"smtp.example.dk:587", "unknown scheme"},
		{"http://smtp.example.dk?from=noreply@example.dk", "unknown scheme"},
		{"smtp://?from=noreply@example.dk", "no host"},
		{"smtp:smtp.example.dk?from=noreply@example.dk", "no host"},
		{"smtp://smtp.example.dk", "no sender"},
		{"smtp://smtp.example.dk?from=", "no sender"},
		{"smtp://smtp.example.dk?from=noreply", "not an e-mail address"},
		{"smtp://smtp.example.dk?from=a@example.dk&from=b@example.dk", "twice"},
		{"smtp://smtp.example.dk:0?from=noreply@example.dk", "port"},
		{"smtp://smtp.example.dk:70000?from=noreply@example.dk", "port"},
		{"smtp://smtp.example.dk/mail?from=noreply@example.dk", "path"},
		{"smtp://smtp.example.dk?from=noreply@example.dk#x", "fragment"},
		{"smtp://smtp.example.dk?from=noreply@example.dk&tls=yes", "unknown parameter"},
		{"smtp://bruger@smtp.example.dk?from=noreply@example.dk", "without a password"},
		{"smtp://bruger:@smtp.example.dk?from=noreply@example.dk", "without a password"},
		{"smtp://:hemmeligt@smtp.example.dk?from=noreply@example.dk", "without a user name"},
		{"smtp://smtp.example.dk?from=noreply@example.dk&starttls=none", "only allowed for a test server"},
		{"smtp://smtp.example.dk?from=noreply@example.dk&starttls=opportunistic", "only allowed for a test server"},
		{"smtp://10.0.0.25?from=noreply@example.dk&starttls=none", "only allowed for a test server"},
		{"smtp://127.0.0.1?from=noreply@example.dk&starttls=off", "use mandatory"},
		{"smtps://127.0.0.1?from=noreply@example.dk&starttls=none", "no meaning with smtps"},
		{"smtp://bruger:hemmeligt@smtp.example.dk:port?from=noreply@example.dk", "not a URL"},
		{"smtp://bruger:hemmeligt@smtp.example.dk?from=noreply@example.dk&x=%zz", "do not parse"},
	}
	for _, tc := range bad {
		_, err := ParseURL(tc.url)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("ParseURL(%q) = %v, want an error saying %q", tc.url, err, tc.says)
			continue
		}
		if strings.Contains(err.Error(), "hemmeligt") {
			t.Errorf("ParseURL(%q): the error shows the password: %v", tc.url, err)
		}
	}
}

func TestConfigStringHidesThePassword(t *testing.T) {
	c, err := ParseURL("smtps://bruger:hemmeligt@mail.example.dk?from=noreply@example.dk")
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	if strings.Contains(s, "hemmeligt") || !strings.Contains(s, "smtps://bruger:xxxxx@mail.example.dk:465") {
		t.Errorf("String() = %s", s)
	}
	back, err := ParseURL(s)
	if err != nil || back.Host != c.Host || back.Port != c.Port || back.Security != c.Security || back.From != c.From {
		t.Errorf("String() does not parse back: %+v, %v", back, err)
	}
}
