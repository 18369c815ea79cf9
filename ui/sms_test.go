package ui

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"fritidsjob/notify"
	"fritidsjob/notify/sms"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestSMSWebhook: GatewayAPI's incoming-SMS webhook, over a real socket.
// A signed STOP from a youth's number puts it on the stop list (their SMS
// address is then gone), START takes it off; an unsigned or wrongly signed
// call is refused with 403 and changes nothing; other texts are taken and
// ignored.
func TestSMSWebhook(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	if err := f.ppl.SetContact(youth.ID, people.Contact{Phone: "22 34 56 78", SMS: true}); err != nil {
		t.Fatal(err)
	}
	stops, err := sms.NewStopList(f.db, bytes.Repeat([]byte("s"), 32), f.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("webhook-secret-0123456789")
	app, err := New(Config{Secret: f.secret, Now: f.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SMSWebhookSecret: secret},
		Deps{DB: f.db, People: f.ppl, Jobs: f.jobs, Points: f.points, CV: f.cvs, SMSStops: stops})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Serve(ln)
	t.Cleanup(func() { app.Shutdown(5 * time.Second) })
	base := "http://" + ln.Addr().String()

	dir := stops.Directory(notify.PeopleDirectory(f.ppl))
	phone := func() string {
		t.Helper()
		var r notify.Recipient
		if err := f.db.View(func(tx store.Tx) error {
			var err error
			r, err = dir(tx, notify.Message{UserID: youth.ID, AreaID: f.areaA.ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return r.Phone
	}
	id := uint64(1000)
	post := func(msisdn uint64, text string, key []byte) int {
		t.Helper()
		id++
		in := sms.Incoming{ID: id, MSISDN: msisdn, Receiver: 4512041204, Message: text, SentTime: 1773140000}
		body, _ := json.Marshal(in)
		req, _ := http.NewRequest(http.MethodPost, base+"/sms/incoming", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if key != nil {
			sig, err := sms.SignHS256(key, in)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Gwapi-Signature", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	if phone() != "+4522345678" {
		t.Fatalf("before STOP the youth's SMS address is %q", phone())
	}
	if s := post(4522345678, "STOP", nil); s != 403 || phone() == "" {
		t.Fatalf("unsigned STOP: %d, address %q; want 403 and no change", s, phone())
	}
	if s := post(4522345678, "STOP", []byte("not-the-secret-0123456789")); s != 403 || phone() == "" {
		t.Fatalf("STOP signed with another key: %d; want 403 and no change", s)
	}
	if s := post(4522345678, "Hvornår er opgaven?", secret); s != 200 || phone() == "" {
		t.Fatalf("another text: %d, address %q; want 200 and no change", s, phone())
	}
	if s := post(4612345678, "stop", secret); s != 200 || phone() == "" {
		t.Fatalf("STOP from a Swedish number: %d; want 200 and no change", s)
	}
	if s := post(4522345678, " stop ", secret); s != 200 || phone() != "" {
		t.Fatalf("signed STOP: %d, address %q; want 200 and no SMS address", s, phone())
	}
	if s := post(4522345678, "Start", secret); s != 200 || phone() != "+4522345678" {
		t.Fatalf("signed START: %d, address %q; want the number back", s, phone())
	}
}

// TestShortInboxLink: the SMS texts' short link leads to the inbox, and
// through the login for whoever is logged out.
func TestShortInboxLink(t *testing.T) {
	f := newFixture(t)
	resp, _ := f.loggedIn("youthA").get("/b")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/inbox" {
		t.Errorf("GET /b logged in: %d %q, want 303 to /inbox", resp.StatusCode, loc)
	}
	resp, _ = f.client().get("/b")
	if loc := resp.Header.Get("Location"); loc != "/inbox" {
		t.Errorf("GET /b logged out: %d %q, want the inbox (which asks for the login)", resp.StatusCode, loc)
	}
}
