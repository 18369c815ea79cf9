package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

func stats(t *testing.T, svc *notify.Service) map[string]notify.ChannelStats {
	t.Helper()
	all, err := svc.Stats()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]notify.ChannelStats{}
	for _, s := range all {
		out[s.Channel] = s
	}
	return out
}

// TestCountersFollowEveryStateChange: the per-channel counts move with
// enqueue, a send, a permanent failure, a retry and a prune, and Check
// agrees with them after each step.
func TestCountersFollowEveryStateChange(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	svc := notify.NewService(db, clock.Now)
	u := youth(t, db)
	ch := newCounting("sms")
	ch.fail = func(m notify.Message) error {
		if m.Key == "bad" {
			return notify.Permanent(errors.New("400 invalid recipient"))
		}
		return nil
	}
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Owner: "a", Now: clock.Now}, ch)
	enqueue(t, db, msg(u, "ok", "sms", noon), msg(u, "bad", "sms", noon), msg(u, "inbox", "", noon))
	if s := stats(t, svc); s["sms"].Queued != 2 || s["sms"].Sent != 0 || s[notify.ChannelInbox].Sent != 1 {
		t.Fatalf("after enqueue: %+v", s)
	}
	check(t, db)
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := stats(t, svc)["sms"] // the inbox message's copy is sent too
	if s.Queued != 0 || s.Sent != 2 || s.Failed != 1 {
		t.Fatalf("after delivery: %+v", s)
	}
	check(t, db)

	// The failed one: "Prøv igen nu" makes it queued and due now, keeps
	// its attempts, and the worker does not give up on it at once though
	// it was created more than GiveUp ago.
	p, err := svc.Outbox(0, 25)
	if err != nil || len(p.Messages) != 1 || p.Messages[0].State != notify.StateFailed {
		t.Fatalf("outbox = %+v, %v; want the failed message", p, err)
	}
	failed := p.Messages[0]
	if failed.LastError == "" || failed.Attempts != 1 {
		t.Fatalf("failed message lacks its reason or attempt: %+v", failed)
	}
	clock.Add(30 * time.Hour)
	if err := svc.Retry(failed.ID); err != nil {
		t.Fatal(err)
	}
	m := get(t, db, failed.ID)
	if m.State != notify.StateQueued || m.Attempts != 1 || !m.NextAttempt.Equal(clock.Now().UTC()) || !m.RetriedAt.Equal(clock.Now().UTC()) {
		t.Fatalf("after retry: %+v", m)
	}
	if s := stats(t, svc)["sms"]; s.Queued != 1 || s.Failed != 0 {
		t.Fatalf("counts after retry: %+v", s)
	}
	check(t, db)
	ch.fail = func(notify.Message) error { return errors.New("503 try later") }
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := get(t, db, failed.ID); m.State != notify.StateQueued || m.Attempts != 2 {
		t.Fatalf("a retried message failing again was given up at once: %+v", m)
	}
	check(t, db)

	// A sent message cannot be retried; nor can an unknown one.
	if err := svc.Retry(1); !errors.Is(err, notify.ErrNotRetryable) {
		t.Errorf("retry of a sent message: %v", err)
	}
	if err := svc.Retry(99); !errors.Is(err, notify.ErrNotFound) {
		t.Errorf("retry of a missing message: %v", err)
	}

	// Prune takes the old sent ones off the counters.
	if _, err := svc.Prune(clock.Now().Add(notify.Retention)); err != nil {
		t.Fatal(err)
	}
	if s := stats(t, svc); s["sms"].Sent != 0 || s[notify.ChannelInbox].Sent != 0 || s["sms"].Queued != 1 {
		t.Fatalf("after prune: %+v", s)
	}
	check(t, db)
}

// TestRetryWhileSendingIsRefused: a message whose lease is live is being
// sent: retrying it is ErrBusy; once the lease has run out it is released
// and due now.
func TestRetryWhileSendingIsRefused(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	svc := notify.NewService(db, clock.Now)
	u := youth(t, db)
	enqueue(t, db, msg(u, "k", "sms", noon))
	ch := newCounting("sms")
	dead := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Owner: "dead", Now: clock.Now, Lease: time.Minute}, ch)
	ctx, cancel := context.WithCancel(context.Background())
	ch.fail = func(notify.Message) error { cancel(); return errors.New("killed") }
	dead.RunOnce(ctx) // dies mid-send: the lease stays
	if err := svc.Retry(1); !errors.Is(err, notify.ErrBusy) {
		t.Fatalf("retry under a live lease: %v", err)
	}
	clock.Add(2 * time.Minute)
	if err := svc.Retry(1); err != nil {
		t.Fatal(err)
	}
	if m := get(t, db, 1); m.LeaseOwner != "" || !m.NextAttempt.Equal(clock.Now().UTC()) {
		t.Fatalf("after retry: %+v", m)
	}
	check(t, db)
}

// TestOutboxPagesNewestFirst: queued and failed messages come merged,
// newest first, 25 a page, through a keyset cursor; RetryFailed puts
// back the failed ones of one channel only.
func TestOutboxPagesNewestFirst(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	svc := notify.NewService(db, clock.Now)
	u := youth(t, db)
	var ms []notify.Message
	for i := range 60 {
		ms = append(ms, msg(u, fmt.Sprint("k", i), []string{"sms", "email"}[i%2], noon))
	}
	enqueue(t, db, ms...)
	ch := newCounting("sms")
	ch.fail = func(m notify.Message) error {
		if m.ID%3 == 0 {
			return notify.Permanent(errors.New("refused"))
		}
		return errors.New("later")
	}
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now}, ch, newCounting("email"))
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var seen []uint64
	after := uint64(0)
	for pages := 0; ; pages++ {
		p, err := svc.Outbox(after, 25)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Messages) > 25 || pages > 3 {
			t.Fatalf("page of %d messages, page %d", len(p.Messages), pages)
		}
		for _, m := range p.Messages {
			seen = append(seen, m.ID)
		}
		if p.Next == 0 {
			break
		}
		after = p.Next
	}
	// 30 SMS: 10 failed (ID%3==0), 20 queued for a retry; 30 e-mails sent.
	if len(seen) != 30 {
		t.Fatalf("outbox listed %d messages, want 30", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("not newest first: %v", seen)
		}
	}
	n, err := svc.RetryFailed("email")
	if err != nil || n != 0 {
		t.Fatalf("RetryFailed(email) = %d, %v", n, err)
	}
	if n, err := svc.RetryFailed("sms"); err != nil || n != 10 {
		t.Fatalf("RetryFailed(sms) = %d, %v; want 10", n, err)
	}
	if s := stats(t, svc)["sms"]; s.Failed != 0 || s.Queued != 30 {
		t.Fatalf("after RetryFailed: %+v", s)
	}
	check(t, db)
}

// TestFullOutboxDropsCopiesNotTheEvent: with room for two queued external
// messages, the fan-out copies two and leaves the rest out; the inbox
// messages and their events are all there, the drops are counted, and a
// warning is logged.
func TestFullOutboxDropsCopiesNotTheEvent(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ppl := peoplekit.New(t, db, clock.Now)
	area := peoplekit.Area(t, ppl, "Gellerup")
	ida := peoplekit.Create(t, ppl, peoplekit.Youth(area.ID, "ida", peoplekit.Date("2012-05-01")))
	if err := ppl.SetContact(ida.ID, people.Contact{Phone: "22 34 56 78", SMS: true}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := db.Update(func(tx store.Tx) error {
			if err := tx.Put("events", []byte{byte(i)}, []byte("x")); err != nil {
				return err
			}
			return notify.Enqueue(tx, msg(ida.ID, fmt.Sprint("e", i), "", noon))
		}); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	sms := newCounting("sms")
	sms.address = func(r notify.Recipient) string { return r.Phone }
	log := newLogCapture()
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: log.logger, Now: clock.Now, MaxQueued: 2,
		Directory: notify.PeopleDirectory(ppl)}, sms)
	clock.Set(time.Date(2026, 3, 10, 21, 0, 0, 0, people.Copenhagen)) // quiet hours: the copies stay queued
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	svc := notify.NewService(db, clock.Now)
	s := stats(t, svc)["sms"]
	if s.Queued != 2 || s.Dropped != 3 || s.LastDropped.IsZero() {
		t.Fatalf("stats = %+v; want 2 queued and 3 dropped", s)
	}
	if n, _ := svc.Unread(ida.ID); n != 5 {
		t.Errorf("inbox has %d unread, want all 5", n)
	}
	if !log.has("outbox is full") {
		t.Errorf("no warning logged: %s", log.String())
	}
	n := 0
	if err := db.View(func(tx store.Tx) error {
		return tx.Scan("events", nil, func(_, _ []byte) error { n++; return nil })
	}); err != nil || n != 5 {
		t.Errorf("%d events committed, want 5 (%v)", n, err)
	}
	check(t, db)
}

// TestCountersAreBuiltForAnOlderOutbox: an outbox written before the
// counters existed (no meta mark) gets them built when a worker starts.
func TestCountersAreBuiltForAnOlderOutbox(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	u := youth(t, db)
	enqueue(t, db, msg(u, "a", "sms", noon), msg(u, "b", "sms", noon), msg(u, "c", "", noon))
	// Make it look old: no counters, no open index, no mark.
	if err := db.Update(func(tx store.Tx) error {
		for _, b := range []string{"notify_counts", "notify_open", "notify_meta"} {
			var keys [][]byte
			if err := tx.Scan(b, nil, func(k, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
				return err
			}
			for _, k := range keys {
				if err := tx.Delete(b, k); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	check(t, db) // unmarked: nothing to compare yet
	clock.Set(time.Date(2026, 3, 10, 21, 0, 0, 0, people.Copenhagen))
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now}, newCounting("sms"))
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := stats(t, notify.NewService(db, clock.Now))["sms"]; s.Queued != 3 { // with the inbox message's copy
		t.Fatalf("rebuilt counts: %+v", s)
	}
	check(t, db)
}

// logCapture is a logger whose lines a test can read.
type logCapture struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	logger *slog.Logger
}

func newLogCapture() *logCapture {
	l := &logCapture{}
	l.logger = slog.New(slog.NewTextHandler(lockedWriter{l}, nil))
	return l
}

type lockedWriter struct{ l *logCapture }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	return w.l.buf.Write(p)
}

func (l *logCapture) String() string    { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }
func (l *logCapture) has(s string) bool { return strings.Contains(l.String(), s) }
