package ui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestPromotedYouthSeesMessageAndBell: a youth moved up from the waitlist
// sees the message in /inbox and the bell's count on every page; the
// youth who cancelled and a youth of another area see neither; "Markér
// som læst" clears the count.
func TestPromotedYouthSeesMessageAndBell(t *testing.T) {
	f := newFixture(t)
	day := time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen)
	ts, err := f.jobs.CreateTask(f.areaA.ID, f.users["coorda"].ID, jobs.NewTask{Title: "Male bænke", Place: "Fælleshuset",
		Supervisor: "Bjarne", Category: jobs.CatTidying, Commissioner: jobs.ByStaff, Start: day, End: day.Add(2 * time.Hour),
		Slots: 1, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 40, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	task := ts[0]
	first := peoplekit.Create(t, f.ppl, peoplekit.Youth(f.areaA.ID, "mathilde", peoplekit.Date("2011-03-09")))
	for _, y := range []uint64{first.ID, f.users["youtha"].ID} {
		if _, err := f.jobs.Claim(f.areaA.ID, task.ID, y); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.jobs.Cancel(f.areaA.ID, task.ID, first.ID, false); err != nil {
		t.Fatal(err)
	}

	youth := f.loggedIn("youthA")
	_, home := youth.get("/")
	if !strings.Contains(home, `id="unread-count">1<`) {
		t.Errorf("home page shows no bell count of 1")
	}
	resp, body := youth.get("/inbox")
	want := f.msg("notify.waitlist_promoted", "Male bænke", f.app.msg.when("da", task.Start, task.End))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
		t.Fatalf("inbox (%d) lacks %q", resp.StatusCode, want)
	}
	if strings.Contains(body, "mathilde") {
		t.Error("the message names the youth who cancelled")
	}
	for _, other := range []string{"youthB", "coordA"} {
		_, b := f.loggedIn(other).get("/inbox")
		if strings.Contains(b, "Male bænke") || strings.Contains(b, `id="unread-count"`) {
			t.Errorf("%s sees the message or a count", other)
		}
	}
	if resp, _ := youth.post("/inbox", "/inbox/read", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark read: %d", resp.StatusCode)
	}
	_, body = youth.get("/inbox")
	if strings.Contains(body, `id="unread-count"`) || !strings.Contains(body, want) {
		t.Error("after mark read: a count is still shown or the message is gone")
	}
}

// TestInboxPages: the inbox shows 20 messages a page, newest first, with
// a link to the older ones.
func TestInboxPages(t *testing.T) {
	f := newFixture(t)
	u := f.users["youtha"]
	if err := f.db.Update(func(tx store.Tx) error {
		for i := range 25 {
			if err := notify.Enqueue(tx, notify.Message{UserID: u.ID, Kind: notify.KindHoursRejected, ToYouth: true,
				Key: fmt.Sprint("test:", i), Created: f.clock.Now().Add(time.Duration(i) * time.Minute),
				Params: map[string]string{"task": fmt.Sprintf("Opgave-%02d", i), "start": f.clock.Now().Format(time.RFC3339), "reason": "nej"}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	youth := f.loggedIn("youthA")
	_, p1 := youth.get("/inbox")
	if !strings.Contains(p1, `id="unread-count">25<`) || strings.Count(p1, "Opgave-") != 20 ||
		!strings.Contains(p1, "Opgave-24") || strings.Contains(p1, "Opgave-04") {
		t.Fatalf("first page wrong:\n%s", p1)
	}
	if strings.Index(p1, "Opgave-24") > strings.Index(p1, "Opgave-05") {
		t.Error("first page is not newest first")
	}
	i := strings.Index(p1, `id="inbox-next" href="`)
	if i < 0 {
		t.Fatal("no link to older messages")
	}
	next := p1[i+len(`id="inbox-next" href="`):]
	next = next[:strings.IndexByte(next, '"')]
	_, p2 := youth.get(strings.ReplaceAll(next, "&amp;", "&"))
	if strings.Count(p2, "Opgave-") != 5 || !strings.Contains(p2, "Opgave-00") || strings.Contains(p2, `id="inbox-next"`) {
		t.Errorf("second page wrong:\n%s", p2)
	}
}
