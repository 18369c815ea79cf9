package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// noon is a weekday noon in Copenhagen, outside quiet hours.
var noon = time.Date(2026, 3, 10, 12, 0, 0, 0, people.Copenhagen)

func msg(user uint64, key string, channel string, at time.Time) notify.Message {
	return notify.Message{UserID: user, AreaID: 1, Kind: notify.KindWaitlistPromoted, Key: key,
		Channel: channel, ToYouth: true, Created: at, Params: map[string]string{"task": "Hæk"}}
}

func enqueue(t *testing.T, db store.DB, ms ...notify.Message) {
	t.Helper()
	if err := db.Update(func(tx store.Tx) error {
		for _, m := range ms {
			if err := notify.Enqueue(tx, m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

// youth creates a youth and returns their user ID, for tests whose
// queued messages Check must find a recipient for.
func youth(t *testing.T, db store.DB) uint64 {
	t.Helper()
	ppl := peoplekit.New(t, db, nil)
	a := peoplekit.Area(t, ppl, "Gellerup")
	return peoplekit.Create(t, ppl, peoplekit.Youth(a.ID, "ida", peoplekit.Date("2012-05-01"))).ID
}

var quiet = slog.New(slog.DiscardHandler)

func check(t *testing.T, db store.DB) {
	t.Helper()
	if err := db.View(notify.Check); err != nil {
		t.Errorf("check: %v", err)
	}
}

// counting is a test channel that counts sends per message and fails as
// its fail function says.
type counting struct {
	name string
	mu   sync.Mutex
	sent map[uint64]int
	to   map[uint64]string // the address of each message's last send
	fail func(m notify.Message) error
	// address is where a recipient is reached; every message has one
	// when it is nil.
	address func(r notify.Recipient) string
}

func newCounting(name string) *counting {
	return &counting{name: name, sent: map[uint64]int{}, to: map[uint64]string{}}
}
func (c *counting) Name() string { return c.name }
func (c *counting) Address(r notify.Recipient) string {
	if c.address == nil {
		return "test-address"
	}
	return c.address(r)
}
func (c *counting) Send(_ context.Context, m notify.Message, to string, _ notify.Text) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent[m.ID]++
	c.to[m.ID] = to
	if c.fail != nil {
		return c.fail(m)
	}
	return nil
}
func (c *counting) count(id uint64) int { c.mu.Lock(); defer c.mu.Unlock(); return c.sent[id] }

func get(t *testing.T, db store.DB, id uint64) notify.Message {
	t.Helper()
	var m notify.Message
	if err := db.View(func(tx store.Tx) error {
		var err error
		m, err = store.FindJSON[notify.Message](tx, "notify_msgs", store.ID(id), notify.ErrNotFound)
		return err
	}); err != nil {
		t.Fatalf("message %d: %v", id, err)
	}
	return m
}

func TestEnqueueCommitsWithTheEvent(t *testing.T) {
	db := testkit.Store(t)
	svc := notify.NewService(db, func() time.Time { return noon })
	boom := errors.New("the event failed")
	err := db.Update(func(tx store.Tx) error {
		if err := tx.Put("events", []byte("e1"), []byte("x")); err != nil {
			return err
		}
		if err := notify.Enqueue(tx, msg(7, "k1", "", noon)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update: %v", err)
	}
	if n, _ := svc.Unread(7); n != 0 {
		t.Fatalf("rolled-back event left %d messages", n)
	}
	enqueue(t, db, msg(7, "k1", "", noon))
	enqueue(t, db, msg(7, "k1", "", noon), msg(7, "k1", notify.ChannelInbox, noon)) // the same event again
	p, err := svc.Inbox(7, 0, 10)
	if err != nil || len(p.Messages) != 1 {
		t.Fatalf("inbox after the same key three times: %d messages, %v", len(p.Messages), err)
	}
	if m := p.Messages[0]; m.State != notify.StateSent || m.Read() || m.Params["task"] != "Hæk" {
		t.Errorf("inbox message = %+v", m)
	}
	if err := db.Update(func(tx store.Tx) error { return notify.Enqueue(tx, notify.Message{UserID: 7, Created: noon}) }); !errors.Is(err, notify.ErrInvalid) {
		t.Errorf("message without kind and key: %v", err)
	}
	check(t, db)
}

func TestInboxPagesNewestFirstAndCountsUnread(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	svc := notify.NewService(db, clock.Now)
	for i := range 7 {
		enqueue(t, db, msg(3, fmt.Sprint("a", i), "", noon.Add(time.Duration(i)*time.Minute)))
	}
	enqueue(t, db, msg(4, "other", "", noon))
	var got []string
	var after uint64
	for pages := 0; ; pages++ {
		p, err := svc.Inbox(3, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Messages {
			got = append(got, m.Key)
		}
		if p.Next == 0 {
			if pages != 2 {
				t.Errorf("%d pages, want 3", pages+1)
			}
			break
		}
		after = p.Next
	}
	if fmt.Sprint(got) != "[a6 a5 a4 a3 a2 a1 a0]" {
		t.Errorf("inbox order = %v", got)
	}
	if n, _ := svc.Unread(3); n != 7 {
		t.Errorf("unread = %d, want 7", n)
	}
	p, _ := svc.Inbox(3, 0, 1)
	if err := svc.MarkRead(4, p.Messages[0].ID); !errors.Is(err, notify.ErrNotFound) {
		t.Errorf("another user marks my message: %v", err)
	}
	if err := svc.MarkRead(3, p.Messages[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := svc.Unread(3); n != 6 {
		t.Errorf("unread after one read = %d, want 6", n)
	}
	if n, err := svc.MarkAllRead(3); n != 6 || err != nil {
		t.Errorf("mark all read = %d, %v", n, err)
	}
	if n, _ := svc.Unread(3); n != 0 {
		t.Errorf("unread after all read = %d", n)
	}
	if n, _ := svc.Unread(4); n != 1 {
		t.Errorf("other user's unread = %d, want 1", n)
	}
	check(t, db)
}

func TestPruneAfter90Days(t *testing.T) {
	db := testkit.Store(t)
	svc := notify.NewService(db, nil)
	y := youth(t, db)
	old, young := noon.AddDate(0, 0, -91), noon.AddDate(0, 0, -89)
	enqueue(t, db, msg(y, "old", "", old), msg(y, "young", "", young), msg(y, "oldq", "sms", old))
	n, err := svc.Prune(noon)
	if err != nil || n != 1 {
		t.Fatalf("prune = %d, %v; want 1", n, err)
	}
	p, _ := svc.Inbox(y, 0, 10)
	if len(p.Messages) != 1 || p.Messages[0].Key != "young" {
		t.Errorf("after prune: %+v", p.Messages)
	}
	if u, _ := svc.Unread(y); u != 1 {
		t.Errorf("unread after prune = %d", u)
	}
	check(t, db)
}

func TestWorkerRetriesWithBackoffThenGivesUp(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ch := newCounting("mail")
	ch.fail = func(notify.Message) error { return errors.New("451 try later") }
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Owner: "a", Now: clock.Now, Backoff: time.Minute, MaxBackoff: time.Hour}, ch)
	enqueue(t, db, msg(3, "k", "mail", noon))
	ctx := context.Background()
	var waits []time.Duration
	for range 40 {
		n, err := w.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("nothing due")
		}
		m := get(t, db, 1)
		if m.State == notify.StateFailed {
			break
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatal("a message waiting for its backoff was sent again")
		}
		waits = append(waits, m.NextAttempt.Sub(clock.Now()))
		clock.Set(m.NextAttempt)
	}
	m := get(t, db, 1)
	if m.State != notify.StateFailed || m.LastError == "" {
		t.Fatalf("after 24 h: %+v", m)
	}
	if len(waits) < 6 || waits[0] != time.Minute || waits[1] != 2*time.Minute || waits[2] != 4*time.Minute || waits[len(waits)-1] != time.Hour {
		t.Errorf("waits = %v, want 1m, 2m, 4m, … capped at 1h", waits)
	}
	if got := clock.Now().Sub(noon); got < 24*time.Hour || got > 25*time.Hour {
		t.Errorf("gave up after %v, want 24 h", got)
	}
	if ch.count(1) != m.Attempts {
		t.Errorf("sent %d times, %d attempts", ch.count(1), m.Attempts)
	}
	check(t, db)
}

func TestWorkerPermanentFailureIsNotRetried(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ch := newCounting("sms")
	ch.fail = func(notify.Message) error { return notify.Permanent(errors.New("invalid number")) }
	w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Owner: "a", Now: clock.Now}, ch)
	enqueue(t, db, msg(3, "k", "sms", noon))
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.Add(48 * time.Hour)
	if n, _ := w.RunOnce(context.Background()); n != 0 {
		t.Errorf("a permanently failed message was retried")
	}
	if m := get(t, db, 1); m.State != notify.StateFailed || m.Attempts != 1 || m.LastError != "permanent: invalid number" {
		t.Errorf("message = %+v", m)
	}
	check(t, db)
}

func TestTwoWorkersDeliverEachMessageOnce(t *testing.T) {
	db := testkit.Store(t)
	ch := newCounting("mail")
	const n = 60
	var ms []notify.Message
	for i := range n {
		ms = append(ms, msg(uint64(i%5+1), fmt.Sprint("k", i), "mail", noon))
	}
	enqueue(t, db, ms...)
	now := func() time.Time { return noon }
	var wg sync.WaitGroup
	for _, owner := range []string{"a", "b"} {
		w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Owner: owner, Now: now}, ch)
		wg.Go(func() {
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for id := uint64(1); id <= n; id++ {
		if c := ch.count(id); c != 1 {
			t.Errorf("message %d sent %d times", id, c)
		}
		if m := get(t, db, id); m.State != notify.StateSent {
			t.Errorf("message %d is %s", id, m.State)
		}
	}
	check(t, db)
}

func TestExpiredLeaseIsTakenOver(t *testing.T) {
	db := testkit.Store(t)
	clock := testkit.NewClock(noon)
	ch := newCounting("mail")
	y := youth(t, db)
	dead := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Owner: "dead", Now: clock.Now, Lease: time.Minute}, ch)
	enqueue(t, db, msg(y, "k", "mail", noon))
	ctx, cancel := context.WithCancel(context.Background())
	ch.fail = func(notify.Message) error { cancel(); return errors.New("killed") } // the instance dies mid-send
	if _, err := dead.RunOnce(ctx); err == nil {
		t.Fatal("dying worker reported no error")
	}
	ch.fail = nil
	live := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Owner: "live", Now: clock.Now}, ch)
	if n, _ := live.RunOnce(context.Background()); n != 0 {
		t.Fatal("a leased message was taken before its lease ran out")
	}
	check(t, db)
	clock.Add(time.Minute)
	if n, _ := live.RunOnce(context.Background()); n != 1 {
		t.Fatal("the expired lease was not taken over")
	}
	if m := get(t, db, 1); m.State != notify.StateSent || m.LeaseOwner != "" {
		t.Errorf("message = %+v", m)
	}
	check(t, db)
}

func TestQuietHoursForYouthsOnExternalChannels(t *testing.T) {
	evening := time.Date(2026, 3, 10, 21, 30, 0, 0, people.Copenhagen)
	morning := time.Date(2026, 3, 11, 8, 0, 0, 0, people.Copenhagen)
	for _, tc := range []struct {
		name     string
		at       time.Time
		external bool
		toYouth  bool
		sentNow  bool
	}{
		{"sms to a youth at 21:30", evening, true, true, false},
		{"sms to a youth at 07:59", morning.Add(-time.Minute), true, true, false},
		{"sms to a youth at 08:00", morning, true, true, true},
		{"sms to a youth at 19:59", evening.Add(-91 * time.Minute), true, true, true},
		{"sms to an adult at 21:30", evening, true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := testkit.Store(t)
			clock := testkit.NewClock(tc.at)
			ch := newCounting("sms")
			w := notify.NewWorker(db, notify.WorkerOptions{Logger: quiet, Now: clock.Now}, ch)
			m := msg(youth(t, db), "k", "sms", tc.at)
			m.ToYouth = tc.toYouth
			enqueue(t, db, m)
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			got := get(t, db, 1)
			if (got.State == notify.StateSent) != tc.sentNow {
				t.Fatalf("state %s, want sent now = %v", got.State, tc.sentNow)
			}
			if tc.sentNow {
				return
			}
			if !got.NextAttempt.Equal(morning) || got.Attempts != 0 || ch.count(1) != 0 {
				t.Errorf("held message = %+v, want due at %v with no attempt", got, morning)
			}
			check(t, db)
			clock.Set(morning)
			if n, _ := w.RunOnce(context.Background()); n != 1 || get(t, db, 1).State != notify.StateSent {
				t.Errorf("not sent at 08:00")
			}
		})
	}
}

func TestCheckFindsQueuedMessageToMissingUser(t *testing.T) {
	db := testkit.Store(t)
	enqueue(t, db, msg(99, "k", "sms", noon))
	if err := db.View(notify.Check); err == nil {
		t.Error("check passed a queued message to a missing user")
	}
}

// TestAccountLockedTellsWhoCanUnlock: a locked youth's area coordinators
// are told, in the locking transaction; a locked staff account tells the
// administrators. Nobody else is told.
func TestAccountLockedTellsWhoCanUnlock(t *testing.T) {
	db := testkit.Store(t)
	o := peoplekit.Options(nil)
	o.OnLock = notify.AccountLocked
	ppl, err := people.NewService(db, o)
	if err != nil {
		t.Fatal(err)
	}
	a := peoplekit.Area(t, ppl, "Gellerup")
	b := peoplekit.Area(t, ppl, "Bispehaven")
	staff := func(name string, admin bool, ms ...people.Membership) uint64 {
		return peoplekit.Create(t, ppl, people.NewUser{Username: name, DisplayName: name, Secret: "et-godt-kodeord-1",
			SecretKind: people.SecretPassword, Admin: admin, Memberships: ms}).ID
	}
	coordA := staff("coorda", false, people.Membership{AreaID: a.ID, Role: people.RoleCoordinator})
	coordB := staff("coordb", false, people.Membership{AreaID: b.ID, Role: people.RoleCoordinator})
	admin := staff("admin", true)
	owner := staff("owner", false, people.Membership{AreaID: a.ID, Role: people.RoleTaskOwner})
	youth := peoplekit.Create(t, ppl, peoplekit.Youth(a.ID, "ida", peoplekit.Date("2012-05-01"))).ID
	inbox := func(u uint64) []notify.Message {
		p, err := notify.NewService(db, time.Now).Inbox(u, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		return p.Messages
	}
	if err := ppl.Lock(youth); err != nil {
		t.Fatal(err)
	}
	if got := inbox(coordA); len(got) != 1 || got[0].Kind != notify.KindAccountLocked || got[0].Params["user"] != strconv.FormatUint(youth, 10) {
		t.Fatalf("area coordinator: %+v", got)
	}
	if n := len(inbox(coordB)) + len(inbox(admin)) + len(inbox(owner)); n != 0 {
		t.Fatalf("%d messages to people who do not unlock this youth", n)
	}
	if err := ppl.Lock(owner); err != nil {
		t.Fatal(err)
	}
	if got := inbox(admin); len(got) != 1 || got[0].Params["user"] != strconv.FormatUint(owner, 10) {
		t.Fatalf("admin after a staff lock: %+v", got)
	}
	if err := ppl.Lock(owner); err != nil { // already locked: nothing new
		t.Fatal(err)
	}
	if got := inbox(admin); len(got) != 1 {
		t.Fatalf("a second lock told the admin again: %d messages", len(got))
	}
	check(t, db)
}
