package ical

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// parse reads an iCalendar stream the way a calendar app does: every
// physical line ends in CRLF and is at most 75 octets of valid UTF-8;
// folded lines are joined; it returns the content lines.
func parse(t *testing.T, data []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Fatal("the stream does not end in CRLF")
	}
	phys := strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n")
	var out []string
	for i, l := range phys {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i, l)
		}
		if strings.HasPrefix(l, " ") {
			if len(out) == 0 {
				t.Fatal("the stream starts with a continuation")
			}
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, l)
	}
	return out
}

// unescape reverses Text.
func unescape(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\;`, `;`, `\,`, `,`, `\n`, "\n", `\N`, "\n")
	return r.Replace(s)
}

func TestCalendarParses(t *testing.T) {
	start := time.Date(2026, 11, 7, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	long := "Oprydning i fælleshuset; borde, stole og køkken — " + strings.Repeat("æøå ", 30)
	c := Calendar{ProdID: "-//Fritidsjob//Fritidsjob//DA", Name: "Fritidsjob", Refresh: time.Hour, Events: []Event{
		{UID: "claim-1@fritidsjob", Stamp: start, Start: start, End: start.Add(2 * time.Hour), Summary: long,
			Location: "Fælleshuset, Blåbærparken 3", Description: "Linje 1\nLinje 2\\ slut\r", Status: StatusConfirmed},
		{UID: "claim-2@fritidsjob", Stamp: start, Start: start.Add(24 * time.Hour), End: start.Add(26 * time.Hour), Summary: "Aflyst", Status: StatusCancelled},
	}}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	lines := parse(t, buf.Bytes())
	props := map[string][]string{}
	depth := []string{}
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("no colon in %q", l)
		}
		switch name {
		case "BEGIN":
			depth = append(depth, value)
		case "END":
			if len(depth) == 0 || depth[len(depth)-1] != value {
				t.Fatalf("END:%s does not close %v", value, depth)
			}
			depth = depth[:len(depth)-1]
		}
		props[name] = append(props[name], value)
	}
	if len(depth) != 0 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("unbalanced: %v", lines)
	}
	for _, p := range []string{"VERSION", "PRODID"} {
		if len(props[p]) != 1 {
			t.Errorf("%s appears %d times", p, len(props[p]))
		}
	}
	for _, p := range []string{"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "STATUS"} {
		if len(props[p]) != 2 {
			t.Errorf("%s appears %d times, want once per event", p, len(props[p]))
		}
	}
	if props["DTSTART"][0] != "20261107T090000Z" || props["DTEND"][0] != "20261107T110000Z" {
		t.Errorf("times = %v %v", props["DTSTART"], props["DTEND"])
	}
	if got := unescape(props["SUMMARY"][0]); got != long {
		t.Errorf("summary round trip = %q", got)
	}
	if got := unescape(props["DESCRIPTION"][0]); got != "Linje 1\nLinje 2\\ slut" {
		t.Errorf("description round trip = %q", got)
	}
	if got := props["LOCATION"][0]; got != `Fælleshuset\, Blåbærparken 3` {
		t.Errorf("location = %q", got)
	}
	if props["STATUS"][1] != StatusCancelled || props["REFRESH-INTERVAL;VALUE=DURATION"][0] != "PT1H" {
		t.Errorf("status %v, refresh %v", props["STATUS"], props["REFRESH-INTERVAL;VALUE=DURATION"])
	}
}

// TestFoldingAtTheEdges: a line of exactly 75 octets is not folded, one of
// 76 is; a multi-octet character at the fold moves whole to the next line.
func TestFoldingAtTheEdges(t *testing.T) {
	for _, c := range []struct {
		in    string
		lines int
	}{
		{strings.Repeat("a", 75), 1},
		{strings.Repeat("a", 76), 2},
		{strings.Repeat("a", 74) + "ø", 2},
		{strings.Repeat("a", 75+74), 2},
		{strings.Repeat("a", 75+75), 3},
		{strings.Repeat("ø", 200), 6},
	} {
		var buf bytes.Buffer
		b := bufio.NewWriter(&buf)
		writeFolded(b, c.in)
		b.Flush()
		got := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
		if len(got) != c.lines {
			t.Errorf("%d octets: %d lines, want %d", len(c.in), len(got), c.lines)
		}
		joined := got[0]
		for _, l := range got[1:] {
			joined += strings.TrimPrefix(l, " ")
		}
		if joined != c.in {
			t.Errorf("%d octets: unfolding gives another line", len(c.in))
		}
		for _, l := range got {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Errorf("bad physical line %q", l)
			}
		}
	}
}
