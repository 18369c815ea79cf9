package sms_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/notify/sms"
	"fritidsjob/notify/sms/smstest"
	"fritidsjob/people"
	"fritidsjob/store"
)

var (
	noon  = time.Date(2026, 3, 10, 12, 0, 0, 0, people.Copenhagen)
	quiet = slog.New(slog.DiscardHandler)
)

const token = "test-token-1234"

func gateway(t *testing.T) (*smstest.Gateway, *sms.GatewayAPI) {
	t.Helper()
	g := smstest.New(token)
	t.Cleanup(g.Close)
	return g, sms.NewGatewayAPI(g.URL, token, nil)
}

func TestGatewayAPISendsAndMapsErrors(t *testing.T) {
	g, api := gateway(t)
	ctx := context.Background()
	one := sms.SMS{Sender: "Fritidsjob", To: "+4522345678", Text: "Hæk på tirsdag", Ref: "k1"}
	id, err := api.Send(ctx, one)
	if err != nil || id == "" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	got := g.Sent("k1")
	if len(got) != 1 || got[0].Recipients[0].MSISDN != 4522345678 || got[0].Encoding != "" || got[0].Sender != "Fritidsjob" {
		t.Errorf("gateway got %+v; want one GSM-7 message to 4522345678", got)
	}
	if _, err := api.Send(ctx, sms.SMS{Sender: "Fritidsjob", To: "+4522345678", Text: "Łukasz…", Ref: "k2"}); err != nil {
		t.Fatal(err)
	}
	if got := g.Sent("k2"); len(got) != 1 || got[0].Encoding != "UCS2" {
		t.Errorf("non-GSM-7 text sent as %+v, want encoding UCS2", got)
	}

	for _, c := range []struct {
		status    int
		permanent bool
		code      string
	}{
		{http.StatusUnauthorized, true, "0x0213"},
		{http.StatusUnprocessableEntity, true, "0x0229"},
		{http.StatusForbidden, true, "0x0216"},
		{http.StatusTooManyRequests, false, "0x0240"},
		{http.StatusInternalServerError, false, "0x0100"},
		{http.StatusServiceUnavailable, false, "0x0101"},
	} {
		g.FailNext(c.status)
		_, err := api.Send(ctx, one)
		var ae *sms.APIError
		if !errors.As(err, &ae) || ae.Status != c.status || ae.Code != c.code || ae.Message == "" {
			t.Errorf("HTTP %d: err = %v, want the provider's code %s and message", c.status, err, c.code)
		}
		if notify.IsPermanent(err) != c.permanent {
			t.Errorf("HTTP %d: permanent = %v, want %v", c.status, !c.permanent, c.permanent)
		}
	}

	bad := sms.NewGatewayAPI(g.URL, "wrong", nil)
	if _, err := bad.Send(ctx, one); !notify.IsPermanent(err) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong token: %v; want a permanent error that does not show the token", err)
	}

	g.SetDelay(time.Second)
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := api.Send(tctx, one); err == nil || notify.IsPermanent(err) {
		t.Errorf("timeout: %v; want a retryable error", err)
	}
	if n := len(g.Sent("k1")); n != 1 {
		t.Errorf("k1 accepted %d times", n)
	}
}

func TestParseIncomingChecksTheSignature(t *testing.T) {
	secret := []byte("webhook-secret")
	body := []byte(`{"id":1000001,"msisdn":4522345678,"receiver":4512041204,"message":"stop","senttime":1773140000}`)
	good, err := sms.SignHS256(secret, map[string]any{"id": 1000001, "msisdn": 4522345678, "receiver": 4512041204, "message": "stop"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := sms.SignHS256(secret, map[string]any{"id": 1000002, "msisdn": 4599999999})
	wrongKey, _ := sms.SignHS256([]byte("another"), map[string]any{"id": 1000001, "msisdn": 4522345678})
	none := "eyJhbGciOiJub25lIn0." + strings.Split(good, ".")[1] + "."
	in, err := sms.ParseIncoming(secret, good, body)
	if err != nil || in.MSISDN != 4522345678 || in.Message != "stop" {
		t.Fatalf("ParseIncoming = %+v, %v", in, err)
	}
	for name, sig := range map[string]string{"missing": "", "wrong key": wrongKey, "another message's": other, "alg none": none, "garbage": "a.b.c"} {
		if _, err := sms.ParseIncoming(secret, sig, body); !errors.Is(err, sms.ErrSignature) {
			t.Errorf("%s signature: %v, want ErrSignature", name, err)
		}
	}
	if _, err := sms.ParseIncoming(nil, good, body); !errors.Is(err, sms.ErrSignature) {
		t.Errorf("no secret configured: %v, want ErrSignature", err)
	}
	if _, err := sms.ParseIncoming(secret, good, []byte(`{"x":1}`)); !errors.Is(err, sms.ErrBody) {
		t.Errorf("not an SMS: %v, want ErrBody", err)
	}
}

func TestParseCommand(t *testing.T) {
	for text, want := range map[string]sms.Command{
		"STOP": sms.CommandStop, " stop\n": sms.CommandStop, "Stop": sms.CommandStop, "fritid STOP": sms.CommandStop,
		"start": sms.CommandStart, "please stop sending": sms.CommandNone, "stopp": sms.CommandNone, "": sms.CommandNone,
	} {
		if got := sms.ParseCommand(text); got != want {
			t.Errorf("ParseCommand(%q) = %v, want %v", text, got, want)
		}
	}
}

// worker sets up a youth who chose SMS, the SMS channel on the fake
// gateway and a worker with a test clock.
type worker struct {
	db    store.DB
	clock *testkit.Clock
	g     *smstest.Gateway
	w     *notify.Worker
	stops *sms.StopList
	youth uint64
}

func newWorker(t *testing.T, lease time.Duration, parallel ...int) *worker {
	t.Helper()
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ppl := peoplekit.New(t, db, clock.Now)
	area := peoplekit.Area(t, ppl, "Gellerup")
	ida := peoplekit.Create(t, ppl, peoplekit.Youth(area.ID, "ida", peoplekit.Date("2012-05-01")))
	if err := ppl.SetContact(ida.ID, people.Contact{Phone: "22 34 56 78", SMS: true}); err != nil {
		t.Fatal(err)
	}
	g, api := gateway(t)
	ch, err := sms.New(sms.Options{Gateway: api, Sender: "Fritidsjob", Link: "https://fj.example.dk/b", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	stops, err := sms.NewStopList(db, testkit.Secret(), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	render := func(m notify.Message, _ string) notify.Text {
		return notify.Text{Body: "Du har fået en plads på " + m.Params["task"] + ".", Link: "https://fj.example.dk/inbox"}
	}
	par := 0
	if len(parallel) > 0 {
		par = parallel[0]
	}
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now, Lease: lease, Backoff: time.Minute, Parallel: par,
		Directory: stops.Directory(notify.PeopleDirectory(ppl)), Render: render}, ch)
	return &worker{db: db, clock: clock, g: g, w: w, stops: stops, youth: ida.ID}
}

func (x *worker) enqueue(t *testing.T, key string) {
	t.Helper()
	if err := x.db.Update(func(tx store.Tx) error {
		return notify.Enqueue(tx, notify.Message{UserID: x.youth, AreaID: 1, Kind: notify.KindWaitlistPromoted, Key: key,
			ToYouth: true, Created: x.clock.Now(), Params: map[string]string{"task": "Hæk"}})
	}); err != nil {
		t.Fatal(err)
	}
}

// smsMessage returns the SMS copy of the inbox message with key.
func (x *worker) smsMessage(t *testing.T, key string) notify.Message {
	t.Helper()
	var found notify.Message
	if err := x.db.View(func(tx store.Tx) error {
		return tx.Scan("notify_msgs", nil, func(_, v []byte) error {
			m, err := store.DecodeJSON[notify.Message](v)
			if err == nil && m.Channel == "sms" && m.Key == key {
				found = m
			}
			return err
		})
	}); err != nil {
		t.Fatal(err)
	}
	if found.ID == 0 {
		t.Fatalf("no SMS copy of %q", key)
	}
	return found
}

func (x *worker) run(t *testing.T) {
	t.Helper()
	if _, err := x.w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestWorkerSendsThroughGatewayAPI(t *testing.T) {
	x := newWorker(t, 0)
	x.enqueue(t, "waitlist_promoted:task:7:youth:1")
	x.run(t)
	m := x.smsMessage(t, "waitlist_promoted:task:7:youth:1")
	sent := x.g.Sent("waitlist_promoted:task:7:youth:1")
	if m.State != notify.StateSent || len(sent) != 1 {
		t.Fatalf("message %+v, gateway got %d", m, len(sent))
	}
	if want := "Du har fået en plads på Hæk.\nhttps://fj.example.dk/b"; sent[0].Message != want || sent[0].Recipients[0].MSISDN != 4522345678 {
		t.Errorf("gateway got %+v, want %q to 4522345678", sent[0], want)
	}
	x.run(t)
	if n := len(x.g.Sent(m.Key)); n != 1 {
		t.Errorf("sent %d times", n)
	}
}

func TestWorker4xxFailsWithTheProvidersReason(t *testing.T) {
	x := newWorker(t, 0)
	x.g.FailNext(http.StatusUnprocessableEntity)
	x.enqueue(t, "k")
	x.run(t)
	m := x.smsMessage(t, "k")
	if m.State != notify.StateFailed || !strings.Contains(m.LastError, "0x0229") || !strings.Contains(m.LastError, "Invalid recipient") {
		t.Errorf("after a 422: %+v; want failed with the provider's code and message", m)
	}
	x.clock.Add(time.Hour)
	x.run(t)
	if r := x.g.Requests(); r != 1 {
		t.Errorf("a permanent failure was retried: %d requests", r)
	}
}

func TestWorker5xxIsRetriedWithBackoffThenSent(t *testing.T) {
	x := newWorker(t, 0)
	x.g.FailNext(http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusTooManyRequests)
	x.enqueue(t, "k")
	var waits []time.Duration
	for range 3 {
		x.run(t)
		m := x.smsMessage(t, "k")
		if m.State != notify.StateQueued || m.LastError == "" {
			t.Fatalf("after a failure: %+v; want queued with the reason", m)
		}
		waits = append(waits, m.NextAttempt.Sub(x.clock.Now()))
		x.run(t) // not due yet: nothing is sent
		x.clock.Set(m.NextAttempt)
	}
	x.run(t)
	m := x.smsMessage(t, "k")
	if m.State != notify.StateSent || m.Attempts != 4 || len(x.g.Sent("k")) != 1 || x.g.Requests() != 4 {
		t.Errorf("after three failures: %+v, %d requests; want sent once on the 4th attempt", m, x.g.Requests())
	}
	if waits[0] != time.Minute || waits[1] != 2*time.Minute || waits[2] != 4*time.Minute {
		t.Errorf("waits %v, want 1m, 2m, 4m", waits)
	}
}

func TestWorkerTimeoutIsRetried(t *testing.T) {
	x := newWorker(t, 200*time.Millisecond) // Send gets half the lease
	x.g.SetDelay(time.Second)
	x.enqueue(t, "k")
	x.run(t)
	m := x.smsMessage(t, "k")
	if m.State != notify.StateQueued || m.Attempts != 1 || m.LastError == "" {
		t.Fatalf("after a timeout: %+v; want queued for a retry", m)
	}
	x.g.SetDelay(0)
	x.clock.Set(m.NextAttempt)
	x.run(t)
	if m := x.smsMessage(t, "k"); m.State != notify.StateSent {
		t.Errorf("after the retry: %+v", m)
	}
}

func TestStoppedNumberGetsNoSMS(t *testing.T) {
	x := newWorker(t, 0)
	if err := x.stops.Apply("4522345678", sms.CommandStop); err != nil {
		t.Fatal(err)
	}
	x.enqueue(t, "a")
	x.run(t)
	if x.g.Requests() != 0 {
		t.Fatal("an SMS went to a number that replied STOP")
	}
	if err := x.db.View(func(tx store.Tx) error {
		return tx.Scan("people_sms_stop", nil, func(k, v []byte) error {
			if strings.Contains(string(k)+string(v), "22345678") {
				t.Errorf("the stop list keeps the number in clear: %q %q", k, v)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if err := x.stops.Apply("+45 22 34 56 78", sms.CommandStart); err != nil {
		t.Fatal(err)
	}
	x.enqueue(t, "b")
	x.run(t)
	if len(x.g.Sent("b")) != 1 || len(x.g.Sent("a")) != 0 {
		t.Errorf("after START: %v; want b sent", x.g.Refs())
	}
	if err := x.stops.Apply("+4612345678", sms.CommandStop); err == nil {
		t.Error("a Swedish number was put on the stop list")
	}
}

// TestWorkerSendsInParallelEachOnce: against a slow gateway the worker
// has up to Parallel messages in flight at once, never more, and sends
// each message once.
func TestWorkerSendsInParallelEachOnce(t *testing.T) {
	x := newWorker(t, 0, 4)
	x.g.SetDelay(50 * time.Millisecond)
	for i := range 16 {
		x.enqueue(t, "k"+string(rune('a'+i)))
	}
	if n, err := x.w.RunOnce(context.Background()); err != nil || n != 16 {
		t.Fatalf("RunOnce = %d, %v; want 16 delivered", n, err)
	}
	if m := x.g.MaxInFlight(); m != 4 {
		t.Errorf("%d messages in flight at most, want 4 (Parallel)", m)
	}
	refs := x.g.Refs()
	if len(refs) != 16 {
		t.Errorf("%d messages reached the gateway, want 16", len(refs))
	}
	for ref, n := range refs {
		if n != 1 {
			t.Errorf("%s sent %d times", ref, n)
		}
	}
}
