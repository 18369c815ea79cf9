package ui

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAccessLineLikeSlog: a request line written directly reads the same
// as the line slog's TextHandler writes for the same fields.
func TestAccessLineLikeSlog(t *testing.T) {
	at := time.Date(2026, 11, 25, 23, 24, 5, 123_000_000, time.UTC)
	for _, c := range []struct {
		path string
		user uint64
	}{
		{"/a/1/tasks", 7},
		{"/", 0},
		{"/a b=\"c\"\nlevel=ERROR", 0}, // a forged field or line stays inside one quoted value
		{"/æøå", 3},
		{"/a\u00a0b\xff", 0}, // a non-breaking space and a bad byte
		{"", 0},
	} {
		var want bytes.Buffer
		h := slog.NewTextHandler(&want, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.String(slog.TimeKey, at.Format("2006-01-02T15:04:05.000Z07:00"))
			}
			return a
		}})
		attrs := []any{"method", "GET", "path", c.path, "status", 200, "ms", 0.142, "rid", "0f8c-rid"}
		if c.user != 0 {
			attrs = append(attrs, "user", c.user)
		}
		slog.New(h).Info("request", attrs...)
		got := string(appendAccessLine(nil, at, "GET", c.path, 200, 142*time.Microsecond, "0f8c-rid", c.user))
		if got != want.String() {
			t.Errorf("path %q:\n got %q\nwant %q", c.path, got, want.String())
		}
		if strings.Count(got, "\n") != 1 {
			t.Errorf("path %q gave %d lines", c.path, strings.Count(got, "\n"))
		}
	}
}

// TestAccessLogWriter: with Config.AccessLog set, every request is one
// line there, with the user, and nothing else of the request's data.
func TestAccessLogWriter(t *testing.T) {
	var sink lockedBuffer
	f := newFixture(t, func(c *Config) { c.AccessLog = &sink })
	youth := f.loggedIn("youthA")
	youth.get(areaPath(f.areaA, "/tasks"))
	resp, err := f.app.Fiber().Test(httptest.NewRequest("GET", "/nowhere?x=secret", nil), -1)
	if err != nil || resp.StatusCode != 404 {
		t.Fatalf("404 request: %v %v", resp, err)
	}
	out := sink.String()
	if !strings.Contains(out, "msg=request method=GET path=/a/1/tasks status=200") ||
		!strings.Contains(out, "user="+itoa(int(f.users["youtha"].ID))+"\n") {
		t.Fatalf("no line for the youth's task page:\n%s", out)
	}
	if !strings.Contains(out, "path=/nowhere status=404") || strings.Contains(out, "secret") {
		t.Fatalf("404 line missing or the query string logged:\n%s", out)
	}
}

// FuzzAccessLine: whatever path a client sends, its access-log line is one
// line, and the path field reads back as the path: bare, or quoted so
// that strconv.Unquote returns it.
func FuzzAccessLine(f *testing.F) {
	for _, s := range []string{"/a/1/tasks", "", "/a b", "/x\nlevel=ERROR msg=forged", `/"q"=`, "/æøå", "/\xff\x00", "/a\u2028b"} {
		f.Add(s)
	}
	at := time.Date(2026, 11, 25, 23, 24, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, path string) {
		line := string(appendAccessLine(nil, at, "GET", path, 200, time.Millisecond, "rid", 7))
		if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
			t.Fatalf("path %q gave %q: not one line", path, line)
		}
		_, rest, ok := strings.Cut(line, " path=")
		if !ok {
			t.Fatalf("no path field in %q", line)
		}
		var got string
		if strings.HasPrefix(rest, `"`) {
			end := strings.Index(rest, `" status=200 `)
			for end >= 0 { // the first closing quote that unquotes cleanly
				if u, err := strconv.Unquote(rest[:end+1]); err == nil {
					got = u
					break
				}
				next := strings.Index(rest[end+1:], `" status=200 `)
				if next < 0 {
					end = -1
					break
				}
				end += 1 + next
			}
			if end < 0 {
				t.Fatalf("quoted path in %q does not unquote", line)
			}
		} else {
			got, _, _ = strings.Cut(rest, " status=200 ")
		}
		if got != path && !(path == "" && got == "") {
			t.Fatalf("path %q logged as %q (line %q)", path, got, line)
		}
	})
}
