package mail_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/notify/mail"
	"fritidsjob/people"
	"fritidsjob/store"
)

// noon is a weekday noon in Copenhagen, outside the quiet hours.
var noon = time.Date(2026, 3, 10, 12, 0, 0, 0, people.Copenhagen)

var quiet = slog.New(slog.DiscardHandler)

const from = "Fritidsjob <noreply@fritidsjob.example.dk>"

// render writes the waitlist message in Danish or English, as ui's
// RenderMessage would, with a link into the app.
func render(m notify.Message, lang string) notify.Text {
	if lang == "en" {
		return notify.Text{Subject: "You got a place",
			Body: fmt.Sprintf("You moved up from the waitlist: %s.\nCome in good time.", m.Params["task"]),
			Link: "https://fritidsjob.example.dk/inbox"}
	}
	return notify.Text{Subject: "Du har fået en plads",
		Body: fmt.Sprintf("Du er rykket op fra ventelisten: %s.\nMød op i god tid.\n\nHilsen Fritidsjob", m.Params["task"]),
		Link: "https://fritidsjob.example.dk/inbox"}
}

// channel returns the e-mail channel to mp, without TLS (a local server).
func channel(t *testing.T, mp *mailpit) *mail.Channel {
	t.Helper()
	cfg, err := mail.ParseURL(mp.url("smtp", "", "starttls=none&from="+url.QueryEscape(from)))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := mail.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// world is a store with people who chose e-mail, and a worker that sends
// through ch.
type world struct {
	db    store.DB
	clock *testkit.Clock
	ppl   *people.Service
	area  people.Area
	w     *notify.Worker
}

func newWorld(t *testing.T, ch notify.Channel) *world {
	t.Helper()
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ppl := peoplekit.New(t, db, clock.Now)
	w := &world{db: db, clock: clock, ppl: ppl, area: peoplekit.Area(t, ppl, "Gellerup")}
	w.w = notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now,
		Directory: notify.PeopleDirectory(ppl), Render: render}, ch)
	return w
}

// youth creates a youth who reads lang and chose e-mail to email (when
// chose is true), and returns their ID.
func (w *world) youth(t *testing.T, name, lang, email string, chose bool) uint64 {
	t.Helper()
	n := peoplekit.Youth(w.area.ID, name, peoplekit.Date("2011-05-01"))
	n.Lang = lang
	u := peoplekit.Create(t, w.ppl, n)
	if err := w.ppl.SetContact(u.ID, people.Contact{Email: email, Mail: chose}); err != nil {
		t.Fatalf("contact of %s: %v", name, err)
	}
	return u.ID
}

// notifyInbox enqueues an inbox message to user, as an event would; the
// worker copies it to e-mail when the user chose e-mail.
func (w *world) notifyInbox(t *testing.T, user uint64, key string) {
	t.Helper()
	m := notify.Message{UserID: user, AreaID: w.area.ID, Kind: notify.KindWaitlistPromoted, Key: key,
		ToYouth: true, Created: w.clock.Now(), Params: map[string]string{"task": "Hæk & <bøg>"}}
	if err := w.db.Update(func(tx store.Tx) error { return notify.Enqueue(tx, m) }); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

// emails returns the outbox's messages on the e-mail channel.
func (w *world) emails(t *testing.T) []notify.Message {
	t.Helper()
	var out []notify.Message
	if err := w.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, "notify_msgs", nil, func(_ []byte, m notify.Message) error {
			if m.Channel == mail.Name {
				out = append(out, m)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func (w *world) run(t *testing.T) int {
	t.Helper()
	n, err := w.w.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("worker: %v", err)
	}
	return n
}

// TestEmailThroughTheWorker: inbox messages reach, through the worker and
// a real SMTP server, exactly the users who chose e-mail, in each one's
// language, as text and HTML with the link, under the Message-ID of the
// idempotency key; sending one again (its outcome lost in a crash) gives
// the same Message-ID, which a receiver that drops duplicates drops.
func TestEmailThroughTheWorker(t *testing.T) {
	mp := startMailpit(t, "--ignore-duplicate-ids")
	ch := channel(t, mp)
	w := newWorld(t, ch)
	ida := w.youth(t, "ida", "da", "ida@example.dk", true)
	john := w.youth(t, "john", "en", "John@Example.com", true)
	ali := w.youth(t, "ali", "da", "ali@example.dk", false) // an address, but e-mail not chosen
	w.notifyInbox(t, ida, "waitlist_promoted:task:7:youth:1")
	w.notifyInbox(t, john, "waitlist_promoted:task:7:youth:2")
	w.notifyInbox(t, ali, "waitlist_promoted:task:7:youth:3")
	if n := w.run(t); n != 2 {
		t.Fatalf("worker delivered %d, want the 2 e-mail copies", n)
	}
	out := w.emails(t)
	if len(out) != 2 {
		t.Fatalf("%d e-mail copies in the outbox, want 2: %+v", len(out), out)
	}
	keyOf := map[uint64]string{}
	for _, m := range out {
		if m.State != notify.StateSent || m.Attempts != 1 || m.LastError != "" {
			t.Errorf("e-mail copy after sending: %+v", m)
		}
		keyOf[m.UserID] = m.Key
	}

	list := mp.messages(t)
	if len(list) != 2 {
		t.Fatalf("mailpit received %d messages, want 2: %+v", len(list), list)
	}
	got := map[string]message{}
	for _, s := range list {
		m := mp.message(t, s.ID)
		if len(m.To) != 1 {
			t.Fatalf("message to %+v, want one recipient", m.To)
		}
		got[m.To[0].Address] = m
		raw := mp.raw(t, s.ID)
		for _, want := range []string{"multipart/alternative", "text/plain", "text/html", "Auto-Submitted: auto-generated"} {
			if !strings.Contains(raw, want) {
				t.Errorf("raw message to %s lacks %q:\n%s", m.To[0].Address, want, raw)
			}
		}
	}
	for addr, want := range map[string]struct {
		user                 uint64
		subject, text, notIn string
	}{
		"ida@example.dk":   {ida, "Du har fået en plads", "Du er rykket op fra ventelisten: Hæk & <bøg>.", "You moved"},
		"John@example.com": {john, "You got a place", "You moved up from the waitlist: Hæk & <bøg>.", "ventelisten"},
	} {
		m, ok := got[addr]
		if !ok {
			t.Errorf("nothing to %s; mailpit has %v", addr, list)
			continue
		}
		if m.Subject != want.subject || m.From.Address != "noreply@fritidsjob.example.dk" || m.From.Name != "Fritidsjob" {
			t.Errorf("to %s: subject %q from %+v", addr, m.Subject, m.From)
		}
		if !strings.Contains(m.Text, want.text) || !strings.Contains(m.Text, "https://fritidsjob.example.dk/inbox") || strings.Contains(m.Text, want.notIn) {
			t.Errorf("to %s: text part %q", addr, m.Text)
		}
		escaped := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(want.text)
		if !strings.Contains(m.HTML, escaped) || strings.Contains(m.HTML, "<bøg>") ||
			!strings.Contains(m.HTML, `<a href="https://fritidsjob.example.dk/inbox">`) {
			t.Errorf("to %s: HTML part, want %q escaped and the link:\n%s", addr, escaped, m.HTML)
		}
		if id := ch.MessageID(keyOf[want.user]); m.MessageID != id {
			t.Errorf("to %s: Message-ID %q, want %q from the key", addr, m.MessageID, id)
		}
	}
	if !strings.Contains(got["ida@example.dk"].HTML, "Mød op i god tid.</p>") || !strings.Contains(got["ida@example.dk"].HTML, "<p>Hilsen Fritidsjob</p>") {
		t.Errorf("Danish HTML does not keep the paragraphs:\n%s", got["ida@example.dk"].HTML)
	}
	if strings.Contains(got["ida@example.dk"].MessageID, "waitlist") {
		t.Errorf("the Message-ID shows the key: %s", got["ida@example.dk"].MessageID)
	}

	// The worker dies after sending ida's e-mail, before writing it down:
	// the message is sent again, under the same Message-ID.
	var idas notify.Message
	for _, m := range out {
		if m.UserID == ida {
			idas = m
		}
	}
	if err := ch.Send(context.Background(), idas, "ida@example.dk", render(idas, "da")); err != nil {
		t.Fatalf("send again: %v", err)
	}
	if n := len(mp.messages(t)); n != 2 {
		t.Errorf("after sending ida's message again mailpit holds %d, want 2: the resend carried another Message-ID", n)
	}
	other := idas
	other.Key = "waitlist_promoted:task:8:youth:1"
	if err := ch.Send(context.Background(), other, "ida@example.dk", render(other, "da")); err != nil {
		t.Fatalf("send another: %v", err)
	}
	if n := len(mp.messages(t)); n != 3 {
		t.Errorf("a message with another key: mailpit holds %d, want 3", n)
	}
	if n := w.run(t); n != 0 {
		t.Errorf("worker ran again and delivered %d", n)
	}
}

// TestRefusedRecipientFailsForGood: a recipient the server refuses (550
// at RCPT) marks the e-mail failed at once with the server's reason, and
// it is not tried again.
func TestRefusedRecipientFailsForGood(t *testing.T) {
	mp := startMailpit(t, "--smtp-allowed-recipients", `@example\.dk$`)
	ch := channel(t, mp)
	w := newWorld(t, ch)
	ida := w.youth(t, "ida", "da", "ida@example.com", true)
	w.notifyInbox(t, ida, "k1")

	err := ch.Send(context.Background(), notify.Message{ID: 99, Key: "direct"}, "ida@example.com", render(notify.Message{}, "da"))
	if !notify.IsPermanent(err) || !strings.Contains(err.Error(), "550") {
		t.Fatalf("send to a refused recipient: %v, want a permanent error with the server's 550", err)
	}
	if w.run(t) != 1 {
		t.Fatal("worker did not deliver the copy")
	}
	out := w.emails(t)
	if len(out) != 1 || out[0].State != notify.StateFailed || out[0].Attempts != 1 ||
		!strings.Contains(out[0].LastError, "550") || !strings.Contains(out[0].LastError, "ida@example.com") {
		t.Fatalf("e-mail copy = %+v, want failed with the server's 550 reason", out)
	}
	t.Logf("reason kept: %s", out[0].LastError)
	w.clock.Add(2 * time.Hour)
	if n := w.run(t); n != 0 {
		t.Errorf("a failed e-mail was tried again: %d", n)
	}
	if out := w.emails(t); out[0].Attempts != 1 {
		t.Errorf("attempts %d after failing for good", out[0].Attempts)
	}
	if n := len(mp.messages(t)); n != 0 {
		t.Errorf("mailpit holds %d messages", n)
	}
}

// TestServerDownIsRetried: while the SMTP server is down the e-mail stays
// queued with backoff and the connection error; when it is back, the next
// attempt after the backoff delivers it.
func TestServerDownIsRetried(t *testing.T) {
	mailpitBin(t)
	port := freePort(t)
	cfg, err := mail.ParseURL(fmt.Sprintf("smtp://127.0.0.1:%d?starttls=none&from=noreply@fritidsjob.example.dk", port))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := mail.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, ch)
	ida := w.youth(t, "ida", "da", "ida@example.dk", true)
	w.notifyInbox(t, ida, "k1")
	if w.run(t) != 1 {
		t.Fatal("worker did not try the copy")
	}
	out := w.emails(t)
	if len(out) != 1 || out[0].State != notify.StateQueued || out[0].Attempts != 1 ||
		!out[0].NextAttempt.Equal(noon.Add(30*time.Second)) || !strings.Contains(out[0].LastError, "connection refused") {
		t.Fatalf("e-mail copy with the server down = %+v, want queued for 30 s later with the error", out)
	}
	w.clock.Add(10 * time.Second)
	if n := w.run(t); n != 0 {
		t.Fatalf("retried %d before the backoff ended", n)
	}

	mp := startMailpitOn(t, port)
	w.clock.Add(25 * time.Second)
	if w.run(t) != 1 {
		t.Fatal("not retried after the backoff")
	}
	if out := w.emails(t); out[0].State != notify.StateSent || out[0].Attempts != 2 {
		t.Fatalf("e-mail copy after the server came back = %+v", out[0])
	}
	if list := mp.messages(t); len(list) != 1 || list[0].To[0].Address != "ida@example.dk" {
		t.Fatalf("mailpit holds %+v", list)
	}
}

// TestTLSAndLogin: STARTTLS (required by default) and implicit TLS to a
// server with its own certificate, logging in with the URL's user; the
// certificate is checked, a server without STARTTLS is refused rather
// than spoken to in clear text, and a wrong password or a missing login is
// retried (the installation's mistake, not the message's).
func TestTLSAndLogin(t *testing.T) {
	dir := t.TempDir()
	cert, key, trust := selfSigned(t, dir)
	auth := filepath.Join(dir, "smtp-users")
	if err := os.WriteFile(auth, []byte("bruger:hemmeligt\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tlsFlags := []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-auth-file", auth}
	starttls := startMailpit(t, append(tlsFlags, "--smtp-require-starttls")...)
	implicit := startMailpit(t, append(tlsFlags, "--smtp-require-tls")...)
	plain := startMailpit(t)

	send := func(rawURL string, tlsConf *tls.Config) error {
		t.Helper()
		cfg, err := mail.ParseURL(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		cfg.TLS, cfg.Timeout = tlsConf, 10*time.Second
		ch, err := mail.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := notify.Message{ID: 1, Key: rawURL}
		return ch.Send(context.Background(), m, "ida@example.dk", render(m, "da"))
	}
	q := "from=noreply@fritidsjob.example.dk"
	for _, tc := range []struct {
		name string
		mp   *mailpit
		url  string
		tls  *tls.Config
		ok   bool
		says string
	}{
		{"STARTTLS with login", starttls, starttls.url("smtp", "bruger:hemmeligt@", q), trust, true, ""},
		{"implicit TLS with login", implicit, implicit.url("smtps", "bruger:hemmeligt@", q), trust, true, ""},
		{"an unknown certificate", starttls, starttls.url("smtp", "bruger:hemmeligt@", q), nil, false, "certificate"},
		{"a wrong password", starttls, starttls.url("smtp", "bruger:forkert@", q), trust, false, "535"},
		{"no login where one is needed", starttls, starttls.url("smtp", "", q), trust, false, "53"},
		{"no STARTTLS offered", plain, plain.url("smtp", "", q), trust, false, "STARTTLS"},
	} {
		before := len(tc.mp.messages(t))
		err := send(tc.url, tc.tls)
		after := len(tc.mp.messages(t))
		switch {
		case tc.ok && (err != nil || after != before+1):
			t.Errorf("%s: %v, %d messages received", tc.name, err, after-before)
		case !tc.ok && (err == nil || notify.IsPermanent(err) || !strings.Contains(err.Error(), tc.says) || after != before):
			t.Errorf("%s: %v, %d messages received; want a retried error saying %q and nothing sent", tc.name, err, after-before, tc.says)
		case err != nil && strings.Contains(err.Error(), "hemmeligt"):
			t.Errorf("%s: the error shows the password: %v", tc.name, err)
		}
	}
}

// TestServerAnswers: a 4xx answer (greylisting, a full mailbox) is
// retried; a 5xx refusal of the sender or the recipient is final. The
// answers come from mailpit's chaos triggers, on every command.
func TestServerAnswers(t *testing.T) {
	for _, tc := range []struct {
		trigger   string
		permanent bool
	}{
		{"Recipient:451:100", false},
		{"Sender:421:100", false},
		{"Recipient:554:100", true},
		{"Sender:550:100", true},
	} {
		mp := startMailpit(t, "--chaos-triggers", tc.trigger)
		m := notify.Message{ID: 1, Key: "k"}
		err := channel(t, mp).Send(context.Background(), m, "ida@example.dk", render(m, "da"))
		code := strings.Split(tc.trigger, ":")[1]
		if err == nil || notify.IsPermanent(err) != tc.permanent || !strings.Contains(err.Error(), code) {
			t.Errorf("%s: %v; want permanent=%v with the server's %s", tc.trigger, err, tc.permanent, code)
		}
		if n := len(mp.messages(t)); n != 0 {
			t.Errorf("%s: mailpit holds %d messages", tc.trigger, n)
		}
	}
}

// lossy sends through ch, and after its first send lets another worker
// run with the clock past the lease, as if this worker had died before
// writing the outcome down: the other one sends the message again.
type lossy struct {
	*mail.Channel
	once  bool
	after func()
}

func (l *lossy) Send(ctx context.Context, m notify.Message, to string, t notify.Text) error {
	err := l.Channel.Send(ctx, m, to, t)
	if !l.once {
		l.once = true
		l.after()
	}
	return err
}

// TestResendAfterLostOutcomeKeepsTheMessageID: a worker sends an e-mail
// and loses its lease before recording it; the next worker sends it again.
// Both e-mails carry the one Message-ID of the message's key, so the
// receiver can tell the second is the same message, and the outbox
// records one sent message.
func TestResendAfterLostOutcomeKeepsTheMessageID(t *testing.T) {
	mp := startMailpit(t)
	ch := channel(t, mp)
	w := newWorld(t, ch)
	second := w.w
	first := &lossy{Channel: ch, after: func() {
		w.clock.Add(5 * time.Minute) // the first worker's 2-minute lease runs out
		if n, err := second.RunOnce(context.Background()); n != 1 || err != nil {
			t.Errorf("second worker: %d, %v", n, err)
		}
	}}
	w.w = notify.NewWorker(w.db, notify.WorkerOptions{Logger: quiet, Now: w.clock.Now,
		Directory: notify.PeopleDirectory(w.ppl), Render: render}, first)
	ida := w.youth(t, "ida", "da", "ida@example.dk", true)
	w.notifyInbox(t, ida, "waitlist_promoted:task:7:youth:1")
	w.run(t)

	out := w.emails(t)
	if len(out) != 1 || out[0].State != notify.StateSent || out[0].Attempts != 1 {
		t.Fatalf("outbox = %+v, want one message sent once by the second worker", out)
	}
	list := mp.messages(t)
	if len(list) != 2 {
		t.Fatalf("mailpit received %d e-mails, want the send and the resend", len(list))
	}
	want := ch.MessageID(out[0].Key)
	for _, m := range list {
		if m.MessageID != want {
			t.Errorf("e-mail with Message-ID %q, want %q for both", m.MessageID, want)
		}
	}
}
