package ui

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/people"
)

var feedLinkRe = regexp.MustCompile(`value="(https?://[^"]*/cal/([A-Za-z0-9_-]+)\.ics)"`)

// TestCalendarFeedForAYouth: a youth makes a calendar link on their own
// page and a phone reads it without a login (no session is opened):
// text/calendar with the youth's tasks folded at 75 octets, another
// youth's task and the youth's name absent; a new link revokes the old
// one, stopping revokes the new one (404 both), and a wrong token is 404.
func TestCalendarFeedForAYouth(t *testing.T) {
	f := newFixture(t)
	day := time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen)
	task := func(title string) jobs.Task {
		ts, err := f.jobs.CreateTask(f.areaA.ID, f.users["coorda"].ID, jobs.NewTask{Title: title, Place: "Fælleshuset, Blåbærparken 3",
			Supervisor: "Bjarne", Category: jobs.CatTidying, Commissioner: jobs.ByStaff, Start: day, End: day.Add(2 * time.Hour),
			Slots: 3, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 40, Publish: true})
		if err != nil {
			t.Fatal(err)
		}
		return ts[0]
	}
	mine := task("Male bænke i gården; " + strings.Repeat("og plante blomster, ", 4))
	theirs := task("Hente æbler")
	other := peoplekit.Create(t, f.ppl, peoplekit.Youth(f.areaA.ID, "mathilde", peoplekit.Date("2011-03-09")))
	if _, err := f.jobs.Claim(f.areaA.ID, mine.ID, f.users["youtha"].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.jobs.Claim(f.areaA.ID, theirs.ID, other.ID); err != nil {
		t.Fatal(err)
	}

	youth := f.loggedIn("youthA")
	page := areaPath(f.areaA, "/me/calendar")
	if resp, body := youth.get(page); resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="calfeed-none"`) {
		t.Fatalf("feed page before a link (%d)", resp.StatusCode)
	}
	if _, body := youth.get(areaPath(f.areaA, "/tasks")); !strings.Contains(body, `href="`+page+`"`) {
		t.Error("the tasks page has no link to the calendar page")
	}
	newLink := func() (link, token string) {
		t.Helper()
		resp, body := youth.post(page, page+"/new", nil)
		m := feedLinkRe.FindStringSubmatch(body)
		if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(body, "webcal://") {
			t.Fatalf("new link (%d): no feed address on the page:\n%s", resp.StatusCode, body)
		}
		return m[1], m[2]
	}
	_, tok1 := newLink()
	phone := f.client()
	resp, body := phone.get("/cal/" + tok1 + ".ics")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("the feed set cookies: %v", resp.Cookies())
	}
	if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(body, "END:VCALENDAR\r\n") {
		t.Fatalf("not a calendar: %q", body)
	}
	var unfolded []string
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			unfolded[len(unfolded)-1] += l[1:]
		} else {
			unfolded = append(unfolded, l)
		}
	}
	all := strings.Join(unfolded, "\n")
	for _, want := range []string{"SUMMARY:Male bænke i gården\\; og plante blomster\\,", "DTSTART:20261128T090000Z",
		"DTEND:20261128T110000Z", "LOCATION:Fælleshuset\\, Blåbærparken 3", "STATUS:CONFIRMED", "UID:claim-"} {
		if !strings.Contains(all, want) {
			t.Errorf("feed lacks %q:\n%s", want, all)
		}
	}
	for _, not := range []string{"Hente æbler", "youthA", "mathilde", f.users["youtha"].DisplayName} {
		if strings.Contains(all, not) {
			t.Errorf("feed contains %q", not)
		}
	}
	if strings.Count(all, "BEGIN:VEVENT") != 1 {
		t.Errorf("feed has %d events, want 1", strings.Count(all, "BEGIN:VEVENT"))
	}

	// A cancelled task stays in the feed as cancelled, so the phone drops it.
	if _, err := f.jobs.SetStatus(f.areaA.ID, mine.ID, jobs.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	if _, body := phone.get("/cal/" + tok1 + ".ics"); !strings.Contains(body, "STATUS:CANCELLED") {
		t.Error("a cancelled task is not marked cancelled")
	}

	_, tok2 := newLink()
	if resp, _ := phone.get("/cal/" + tok1 + ".ics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the old link after a new one: %d", resp.StatusCode)
	}
	if resp, _ := phone.get("/cal/" + tok2 + ".ics"); resp.StatusCode != http.StatusOK {
		t.Errorf("the new link: %d", resp.StatusCode)
	}
	if _, body := youth.get(page); !strings.Contains(body, `id="calfeed-active"`) || strings.Contains(body, tok2) {
		t.Error("the page does not say a link is active, or shows the token again")
	}
	if resp, _ := youth.post(page, page+"/stop", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("stop: %d", resp.StatusCode)
	}
	for _, bad := range []string{"/cal/" + tok2 + ".ics", "/cal/" + tok2, "/cal/AAAAAAAAAAAAAAAAAAAAAA.ics"} {
		if resp, _ := phone.get(bad); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, resp.StatusCode)
		}
	}
	if _, body := youth.get(page); !strings.Contains(body, `id="calfeed-none"`) {
		t.Error("the page still shows a link after stopping")
	}
}

// TestCalendarFeedIsRateLimited: one address gets calFeedRateLimit feed
// reads a minute (wrong tokens count too, so guessing is slow); the next
// is 429 with Retry-After, and a minute later it answers again.
func TestCalendarFeedIsRateLimited(t *testing.T) {
	f := newFixture(t)
	phone := f.client()
	for i := 0; i < calFeedRateLimit; i++ {
		if resp, _ := phone.get("/cal/AAAAAAAAAAAAAAAAAAAAAA.ics"); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("read %d: %d", i, resp.StatusCode)
		}
	}
	resp, _ := phone.get("/cal/AAAAAAAAAAAAAAAAAAAAAA.ics")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("read over the limit: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	f.clock.Add(time.Minute)
	if resp, _ := phone.get("/cal/AAAAAAAAAAAAAAAAAAAAAA.ics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a minute later: %d", resp.StatusCode)
	}
}
