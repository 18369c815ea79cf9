package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fritidsjob/digest"
	"fritidsjob/employers"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestSharedCandidateReachesTheEmployerContact: a coordinator shares a
// youth from the employer page; the employer's contact person finds a
// message in the inbox naming the employer, with a link to the portal,
// and nothing about the youth; an SMS or e-mail copy links to the portal.
func TestSharedCandidateReachesTheEmployerContact(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.PublicURL = "https://fritidsjob.example/" })
	emp, err := f.app.employers.CreateEmployer(f.areaA.ID, employers.NewEmployer{Name: "Brugsen Gellerup", CVR: validCVR(3456789),
		Contacts: []employers.Contact{{Name: "Anna", UserID: f.users["empla"].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	page := areaPath(f.areaA, "/employers/"+itoa(int(emp.ID)))
	coord := f.loggedIn("coordA")
	if resp, _ := coord.post(page, page+"/shares", url.Values{"youth": {itoa(int(f.users["youtha"].ID))}, "consent": {"on"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("share: %d", resp.StatusCode)
	}
	_, body := f.loggedIn("emplA").get("/inbox")
	want := f.msg("notify.candidate_shared", "Brugsen Gellerup")
	if !strings.Contains(body, want) || !strings.Contains(body, `href="`+areaPath(f.areaA, "/portal")+`"`) {
		t.Fatalf("contact's inbox lacks %q with a portal link:\n%s", want, body)
	}
	if strings.Contains(body, f.users["youtha"].DisplayName) {
		t.Error("the message names the youth")
	}
	p, err := f.app.notify.Inbox(f.users["empla"].ID, 0, 1)
	if err != nil || len(p.Messages) != 1 {
		t.Fatal(p, err)
	}
	if txt := f.app.RenderMessage(p.Messages[0], "en"); txt.Link != "https://fritidsjob.example"+areaPath(f.areaA, "/portal") ||
		txt.Body != f.textIn("en", "notify.candidate_shared", "Brugsen Gellerup") {
		t.Errorf("external copy = %+v", txt)
	}
}

// TestCoordinatorReadsDigestAndFollowUp: Monday's digest and a due
// follow-up read in the coordinator's inbox as counts and a date, linked
// to the pipeline, with no youth's name.
func TestCoordinatorReadsDigestAndFollowUp(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	d := people.Date{Year: 2026, Month: 11, Day: 30}
	if _, err := f.app.employers.AddNote(f.areaA.ID, youth.ID, f.users["coorda"].ID, "Ring til mor", &d); err != nil {
		t.Fatal(err)
	}
	svc := digest.NewService(f.db, f.ppl, f.jobs, f.points, f.app.employers)
	monday := time.Date(2026, 11, 30, 8, 0, 0, 0, people.Copenhagen)
	if n, err := svc.FollowUpsDue(monday); err != nil || n != 1 {
		t.Fatalf("follow-ups: %d, %v", n, err)
	}
	if n, err := svc.WeeklyDigest(monday); err != nil || n != 2 { // coordA in A, coordB in B
		t.Fatalf("digests: %d, %v", n, err)
	}
	_, body := f.loggedIn("coordA").get("/inbox")
	digestText := f.msg("notify.coordinator_digest", "Blåbærparken", "49",
		f.text("notify.digest.followups", 1), f.text("notify.digest.inactive", 0, digest.InactiveDays),
		f.text("notify.digest.hours", 0), f.text("notify.digest.rewards", 0))
	for _, want := range []string{digestText, f.msg("notify.followup_due", "30-11-2026"),
		`href="` + areaPath(f.areaA, "/youths/"+itoa(int(youth.ID))+"/pipeline") + `"`, `href="` + areaPath(f.areaA, "/pipeline") + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("coordinator's inbox lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, youth.DisplayName) {
		t.Error("a coordinator's message names the youth")
	}
}

// TestSentToYouInAccessLog: "Hvem har set mine oplysninger?" lists what
// was sent to the youth — in the app, by SMS (sent, waiting or failed),
// to their guardian — newest first, 20 a page, and none of another
// youth's messages.
func TestSentToYouInAccessLog(t *testing.T) {
	f := newFixture(t)
	y, other := f.users["youtha"], f.users["youthb"]
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, people.Copenhagen)
	m := func(user uint64, key, channel string, guardian bool, i int) notify.Message {
		return notify.Message{UserID: user, AreaID: f.areaA.ID, Kind: notify.KindTaskCancelled, ToYouth: true, Guardian: guardian,
			Key: key, Channel: channel, Created: at.Add(time.Duration(i) * time.Minute),
			Params: map[string]string{"task": fmt.Sprintf("Opgave-%02d", i), "start": at.Format(time.RFC3339), "end": at.Add(time.Hour).Format(time.RFC3339)}}
	}
	if err := f.db.Update(func(tx store.Tx) error {
		for i := range 22 {
			if err := notify.Enqueue(tx, m(y.ID, fmt.Sprint("in:", i), "", false, i)); err != nil {
				return err
			}
		}
		for _, msg := range []notify.Message{m(y.ID, "in:21", "sms", false, 22), m(y.ID, "g", "sms", true, 23), m(other.ID, "x", "", false, 24)} {
			if err := notify.Enqueue(tx, msg); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page := areaPath(f.areaA, "/me/access")
	c := f.loggedIn("youthA")
	resp, p1 := c.get(page)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("access page: %d", resp.StatusCode)
	}
	i := strings.Index(p1, `id="sent-list"`)
	if i < 0 {
		t.Fatalf("no sent list:\n%s", p1)
	}
	list := p1[i:]
	if strings.Count(list, "Opgave-") != 20 || strings.Contains(list, "Opgave-24") || strings.Contains(list, "Opgave-03") {
		t.Fatalf("first page wrong:\n%s", list)
	}
	guardian := f.msg("sent.channel.sms") + " " + f.msg("sent.to_guardian") + " " + f.msg("sent.state.queued")
	sms := f.msg("sent.channel.sms") + " " + f.msg("sent.state.queued")
	inApp := f.msg("sent.channel.inbox") + " " + f.msg("sent.state.sent") + " 20-11-2026 10:21"
	if gi, si, ii := strings.Index(list, guardian), strings.Index(list, sms), strings.Index(list, inApp); gi < 0 || si < gi || ii < si {
		t.Errorf("want the guardian's SMS, then the youth's SMS, then the inbox copy, newest first (%d %d %d):\n%s", gi, si, ii, list)
	}
	j := strings.Index(list, `id="sent-next" href="`)
	if j < 0 {
		t.Fatal("no link to older messages")
	}
	next := list[j+len(`id="sent-next" href="`):]
	next = strings.ReplaceAll(next[:strings.IndexByte(next, '"')], "&amp;", "&")
	_, p2 := c.get(next)
	list2 := p2[strings.Index(p2, `id="sent-list"`):]
	if strings.Count(list2, "Opgave-") != 4 || !strings.Contains(list2, "Opgave-00") || strings.Contains(list2, `id="sent-next"`) {
		t.Errorf("second page wrong:\n%s", list2)
	}
	if _, b := f.loggedIn("youthB").get(areaPath(f.areaB, "/me/access")); strings.Contains(b, "Opgave-0") || !strings.Contains(b, "Opgave-24") {
		t.Error("youth B sees youth A's messages, or not their own")
	}
}
