package ui

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// appendAccessLine appends one request's access-log line in the format of
// slog's TextHandler, so both kinds of line read (and parse) alike:
//
//	time=2026-11-25T23:24:05.123Z level=INFO msg=request method=GET path=/a/1/tasks status=200 ms=0.142 rid=… user=7
//
// user 0 (anonymous) is left out.
func appendAccessLine(b []byte, t time.Time, method, path string, status int, d time.Duration, rid string, user uint64) []byte {
	b = append(b, "time="...)
	b = t.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, " level=INFO msg=request method="...)
	b = appendLogValue(b, method)
	b = append(b, " path="...)
	b = appendLogValue(b, path)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, " ms="...)
	b = strconv.AppendFloat(b, float64(d.Microseconds())/1000, 'g', -1, 64)
	b = append(b, " rid="...)
	b = appendLogValue(b, rid)
	if user != 0 {
		b = append(b, " user="...)
		b = strconv.AppendUint(b, user, 10)
	}
	return append(b, '\n')
}

// appendLogValue appends s bare when it is safe in a key=value line and
// quoted otherwise (empty, spaces, quotes, '=', control characters or bad
// UTF-8, as slog decides), so a crafted path cannot forge a field or a line.
func appendLogValue(b []byte, s string) []byte {
	if s == "" {
		return append(b, `""`...)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '=' || c == '"' || c == 0x7f {
				return strconv.AppendQuote(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return strconv.AppendQuote(b, s)
		}
		i += size
	}
	return append(b, s...)
}
