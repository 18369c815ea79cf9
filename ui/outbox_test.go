package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// fakeSMS is a channel for the tests: it reaches whoever chose SMS and
// fails as fail says.
type fakeSMS struct{ fail func(notify.Message) error }

func (fakeSMS) Name() string                      { return "sms" }
func (fakeSMS) Address(r notify.Recipient) string { return r.Phone }
func (s fakeSMS) Send(_ context.Context, m notify.Message, _ string, _ notify.Text) error {
	if s.fail != nil {
		return s.fail(m)
	}
	return nil
}

// TestOwnContactSaved: a youth enters a phone number and an e-mail and
// chooses SMS; the page shows them as saved, the number is sealed, and
// the page says which channels this installation has switched off.
func TestOwnContactSaved(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Channels = []string{"sms"} })
	youth := f.loggedIn("youthA")
	_, body := youth.get("/account")
	if !strings.Contains(body, `id="contact-phone"`) || !strings.Contains(body, `id="channel-off-email"`) ||
		strings.Contains(body, `id="channel-off-sms"`) || !strings.Contains(body, f.msg("contact.off.email")) {
		t.Fatalf("account page lacks the contact form or the right switched-off channel:\n%s", body)
	}
	if !strings.Contains(body, f.msg("contact.quiet")) {
		t.Error("a youth is not told about the quiet hours")
	}
	resp, _ := youth.post("/account", "/account/contact", url.Values{"phone": {"22 34 56 78"}, "sms": {"on"},
		"email": {"Ida@Example.DK"}, "mail": {""}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/account?done=contact_saved") {
		t.Fatalf("save: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	u, err := f.ppl.User(f.users["youtha"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Contact != (people.Contact{Phone: "+4522345678", Email: "Ida@example.dk", SMS: true}) {
		t.Fatalf("stored contact %+v", u.Contact)
	}
	_, body = youth.get("/account?done=contact_saved")
	if !strings.Contains(body, `value="`+f.msgEscape("+45 22 34 56 78")+`"`) || !strings.Contains(body, `name="sms" checked`) ||
		strings.Contains(body, `name="mail" checked`) || !strings.Contains(body, f.msg("done.contact_saved")) {
		t.Errorf("the page does not show what was saved:\n%s", body)
	}
	if err := f.db.View(func(tx store.Tx) error {
		return tx.Scan("users", nil, func(_, v []byte) error {
			if bytes.Contains(v, []byte("22345678")) || bytes.Contains(v, []byte("Ida@")) {
				t.Errorf("a youth's phone or e-mail is stored in clear")
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	// A coordinator's page, without any channel on, says both are off.
	_, body = newFixture(t).loggedIn("coordA").get("/account")
	if !strings.Contains(body, `id="channel-off-sms"`) || !strings.Contains(body, `id="channel-off-email"`) ||
		strings.Contains(body, f.msg("contact.quiet")) {
		t.Error("coordinator's page: both channels should be said off, and no quiet-hours note")
	}
}

// TestOwnContactRefusalKeepsValues: a foreign number, a bad e-mail, and
// SMS chosen without a number are refused with the Danish field error,
// the values as typed kept, and nothing stored.
func TestOwnContactRefusalKeepsValues(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("coordA")
	for _, tc := range []struct {
		phone, email, sms, key string
	}{
		{"+46 70 123 45 67", "mette@example.dk", "on", "invalid.phone.format"},
		{"22 34 56 78", "mette(at)example", "", "invalid.email.format"},
		{"", "mette@example.dk", "on", "invalid.phone.required"},
	} {
		resp, body := c.post("/account", "/account/contact", url.Values{"phone": {tc.phone}, "email": {tc.email}, "sms": {tc.sms}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, f.msg(tc.key)) {
			t.Errorf("%+v: %d, want 400 with %q", tc, resp.StatusCode, f.text(tc.key))
			continue
		}
		if !strings.Contains(body, `value="`+f.msgEscape(tc.phone)+`"`) || !strings.Contains(body, `value="`+tc.email+`"`) {
			t.Errorf("%+v: the typed values are lost", tc)
		}
		if tc.sms == "on" && !strings.Contains(body, `name="sms" checked`) {
			t.Errorf("%+v: the SMS choice is lost", tc)
		}
	}
	if u, _ := f.ppl.User(f.users["coorda"].ID); u.Contact != (people.Contact{}) {
		t.Errorf("a refused form stored %+v", u.Contact)
	}
}

// msgEscape is s as html/template writes it in an attribute.
func (f *fixture) msgEscape(s string) string {
	var b strings.Builder
	if err := pageText.Execute(&b, s); err != nil {
		f.t.Fatal(err)
	}
	return b.String()
}

// outboxFixture has youthA on SMS and n inbox messages to them copied to
// SMS by a worker whose gateway fails as fail says.
func outboxFixture(t *testing.T, n, maxQueued int, fail func(notify.Message) error) (*fixture, *notify.Worker) {
	t.Helper()
	f := newFixture(t, func(c *Config) { c.Channels = []string{"sms"} })
	y := f.users["youtha"]
	if err := f.ppl.SetContact(y.ID, people.Contact{Phone: "22 34 56 78", SMS: true}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Update(func(tx store.Tx) error {
		for i := range n {
			if err := notify.Enqueue(tx, notify.Message{UserID: y.ID, AreaID: f.areaA.ID, Kind: notify.KindHoursRejected,
				ToYouth: true, Key: fmt.Sprint("test:", i), Created: f.clock.Now(),
				Params: map[string]string{"task": "Hemmelig opgave", "reason": "for sent"}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	w := notify.NewWorker(f.db, notify.WorkerOptions{Now: f.clock.Now, Logger: slog.New(slog.DiscardHandler),
		MaxQueued: maxQueued, Directory: notify.PeopleDirectory(f.ppl)}, fakeSMS{fail: fail})
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f, w
}

// TestAdminOutbox: the admin's outbox counts per channel, lists the failed
// messages with the provider's reason and the recipient's username but
// not the text, logs the youth's name in their access log, and "Prøv igen
// nu" queues a failed message again; a sent one is refused on the page.
func TestAdminOutbox(t *testing.T) {
	f, w := outboxFixture(t, 3, 0, func(m notify.Message) error {
		if m.ID%2 == 0 {
			return notify.Permanent(errors.New("gateway 422: invalid recipient"))
		}
		return nil
	})
	_, body := f.loggedIn("admin").get("/admin")
	if !strings.Contains(body, `href="/admin/outbox"`) {
		t.Error("/admin has no link to the outbox")
	}
	admin := f.loggedIn("admin")
	resp, body := admin.get("/admin/outbox")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("outbox: %d", resp.StatusCode)
	}
	// Copies 4, 5, 6: 4 and 6 failed, 5 sent.
	for _, want := range []string{`<td class="num queued">0</td><td class="num sent">1</td><td class="num failed">2</td>`,
		`id="outbox-off-email"`, "gateway 422: invalid recipient", ">" + f.users["youtha"].Username + "<", `id="retry-4"`, `id="retry-6"`,
		f.msg("outbox.kind.hours_rejected"), f.msg("outbox.retry_failed", f.text("outbox.via.sms"))} {
		if !strings.Contains(body, want) {
			t.Errorf("outbox page lacks %q", want)
		}
	}
	if strings.Contains(body, "Hemmelig opgave") || strings.Contains(body, `id="retry-5"`) || strings.Contains(body, `id="outbox-off-sms"`) {
		t.Error("the outbox shows a message's text, a sent message, or says SMS is off")
	}
	entries, err := f.ppl.AccessAbout(f.areaA.ID, f.users["youtha"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[len(entries)-1].What != "outbox_entry" {
		t.Errorf("the youth's access log lacks the outbox look: %+v", entries)
	}

	resp, _ = admin.post("/admin/outbox", "/admin/outbox/retry", url.Values{"id": {"4"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/outbox?done=outbox_retried" {
		t.Fatalf("retry: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if s := smsStats(t, f); s.Queued != 1 || s.Failed != 1 {
		t.Fatalf("after retry: %+v", s)
	}
	resp, body = admin.post("/admin/outbox", "/admin/outbox/retry", url.Values{"id": {"5"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, f.msg("err.notify.not_retryable")) {
		t.Errorf("retry of a sent message: %d", resp.StatusCode)
	}
	resp, _ = admin.post("/admin/outbox", "/admin/outbox/retry-failed", url.Values{"channel": {"sms"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry all failed: %d", resp.StatusCode)
	}
	if s := smsStats(t, f); s.Queued != 2 || s.Failed != 0 {
		t.Fatalf("after retry all: %+v", s)
	}
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.View(notify.Check); err != nil {
		t.Error(err)
	}
}

func smsStats(t *testing.T, f *fixture) notify.ChannelStats {
	t.Helper()
	all, err := f.app.notify.Stats()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Channel == "sms" {
			return s
		}
	}
	return notify.ChannelStats{}
}

// TestAdminOutboxPagesAndFullQueue: 25 messages a page with a link to the
// older ones; with room for 27 queued copies, the 3 left out are said on
// the page.
func TestAdminOutboxPagesAndFullQueue(t *testing.T) {
	f, _ := outboxFixture(t, 30, 27, func(notify.Message) error { return errors.New("503 busy") })
	admin := f.loggedIn("admin")
	_, body := admin.get("/admin/outbox")
	if n := strings.Count(body, `id="retry-`); n != 25 || !strings.Contains(body, `id="outbox-next"`) {
		t.Fatalf("first page: %d rows, next link %v", n, strings.Contains(body, `id="outbox-next"`))
	}
	want := f.msg("outbox.dropped", 3, f.text("outbox.via.sms"), formatDate(f.clock.Now()), f.clock.Now().In(people.Copenhagen).Format("15:04"))
	if !strings.Contains(body, want) {
		t.Errorf("the page does not say 3 were dropped (%q)", want)
	}
	next := body[strings.Index(body, `id="outbox-next" href="`)+len(`id="outbox-next" href="`):]
	next = strings.ReplaceAll(next[:strings.Index(next, `"`)], "&amp;", "&")
	_, body = admin.get(next)
	if n := strings.Count(body, `id="retry-`); n != 2 || strings.Contains(body, `id="outbox-next"`) {
		t.Errorf("second page: %d rows, want the last 2 and no next link", n)
	}
	if n, _ := f.app.notify.Unread(f.users["youtha"].ID); n != 30 {
		t.Errorf("the youth has %d unread, want all 30 in the inbox", n)
	}
}

// TestCoordinatorSetsYouthPhone: on the youth's page a coordinator sets
// the youth's phone number and SMS choice; the youth's own e-mail choice
// stays, the change is in the youth's access log, and a bad number is
// refused with the number as typed kept.
func TestCoordinatorSetsYouthPhone(t *testing.T) {
	f := newFixture(t)
	y := f.users["youtha"]
	if err := f.ppl.SetContact(y.ID, people.Contact{Email: "ida@example.dk", Mail: true}); err != nil {
		t.Fatal(err)
	}
	coord := f.loggedIn("coordA")
	page := areaPath(f.areaA, "/youths/"+itoa(int(y.ID)))
	resp, body := coord.post(page, page+"/contact", url.Values{"phone": {"0045 12 34 56 78"}, "sms": {"on"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, f.msg("invalid.phone.format")) ||
		!strings.Contains(body, `value="0045 12 34 56 78"`) || !strings.Contains(body, `id="youth-sms" name="sms" checked`) {
		t.Fatalf("bad number: %d, want 400 with the Danish reason and the values kept", resp.StatusCode)
	}
	resp, _ = coord.post(page, page+"/contact", url.Values{"phone": {"22 34 56 78"}, "sms": {"on"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	u, _ := f.ppl.User(y.ID)
	if u.Contact != (people.Contact{Phone: "+4522345678", Email: "ida@example.dk", SMS: true, Mail: true}) {
		t.Errorf("stored %+v", u.Contact)
	}
	entries, err := f.ppl.AccessAbout(f.areaA.ID, y.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || (e.What == "youth_contact" && e.Action == people.AccessChange)
	}
	if !found {
		t.Error("the change is not in the youth's access log")
	}
	_, body = coord.get(page)
	if !strings.Contains(body, `value="`+f.msgEscape("+45 22 34 56 78")+`"`) {
		t.Error("the youth's page does not show the saved number")
	}
}
