// Package ical writes iCalendar (RFC 5545) feeds: a VCALENDAR of VEVENTs
// that a phone's calendar subscribes to. It writes what the app needs and
// no more: times in UTC, escaped text, and content lines folded at 75
// octets without splitting a UTF-8 character.
package ical

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event statuses (RFC 5545 3.8.1.11).
const (
	StatusConfirmed = "CONFIRMED"
	StatusTentative = "TENTATIVE"
	StatusCancelled = "CANCELLED"
)

// Event is one VEVENT. UID must be unique and stable for the thing it
// describes, so a calendar updates the event instead of adding another.
type Event struct {
	UID         string
	Stamp       time.Time // DTSTAMP: when this version of the event was made
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	Status      string // one of the Status… constants, or "" for none
	Modified    time.Time
}

// Calendar is a VCALENDAR: a product ID, a name the phone shows, how often
// to refresh, and events.
type Calendar struct {
	ProdID  string // e.g. "-//Fritidsjob//Fritidsjob//DA"
	Name    string
	Refresh time.Duration // a hint to re-read the feed; 0 for none
	Events  []Event
}

// maxLine is the longest content line in octets, without its CRLF.
const maxLine = 75

// Write writes c to w as an iCalendar stream and returns the first
// error of w.
func (c Calendar) Write(w io.Writer) error {
	b := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", Text(c.ProdID))
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", Text(c.Name))
	}
	if c.Refresh > 0 {
		d := duration(c.Refresh)
		line("REFRESH-INTERVAL;VALUE=DURATION", d)
		line("X-PUBLISHED-TTL", d)
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", Text(e.UID))
		line("DTSTAMP", UTC(e.Stamp))
		line("DTSTART", UTC(e.Start))
		if !e.End.IsZero() {
			line("DTEND", UTC(e.End))
		}
		line("SUMMARY", Text(e.Summary))
		if e.Location != "" {
			line("LOCATION", Text(e.Location))
		}
		if e.Description != "" {
			line("DESCRIPTION", Text(e.Description))
		}
		if e.Status != "" {
			line("STATUS", e.Status)
		}
		if !e.Modified.IsZero() {
			line("LAST-MODIFIED", UTC(e.Modified))
		}
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return b.Flush()
}

// UTC formats t as a UTC DATE-TIME: 20261107T090000Z.
func UTC(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// duration formats d as a whole-minute DURATION value: PT1H, PT90M.
func duration(d time.Duration) string {
	m := int64(d / time.Minute)
	if m%60 == 0 {
		return "PT" + strconv.FormatInt(m/60, 10) + "H"
	}
	return "PT" + strconv.FormatInt(m, 10) + "M"
}

// Text escapes s as a TEXT value: backslash, semicolon, comma and newline
// are escaped, carriage returns and other control characters dropped.
func Text(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			// dropped: a TEXT value holds no control characters
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes one content line with its CRLF, folded into lines of
// at most 75 octets: each continuation line starts with a space, and no
// UTF-8 character is split.
func writeFolded(b *bufio.Writer, s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
