package notify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Channel delivers messages one way (e-mail, SMS). Send must pass the
// message's Key to the provider as its idempotency key where the provider
// takes one, so a message sent again after a crash is not delivered twice.
type Channel interface {
	// Name is the channel's name, the Channel field of its messages.
	Name() string
	// Address returns where r is reached on this channel (a phone number,
	// an e-mail address), or "" when r has none or did not choose it.
	Address(r Recipient) string
	// Send delivers text t of m to address to. An error wrapped by
	// Permanent is not retried (a refused number, a 4xx answer); any
	// other is retried with backoff.
	Send(ctx context.Context, m Message, to string, t Text) error
}

// permanentError marks a delivery error that retrying cannot fix.
type permanentError struct{ err error }

func (p permanentError) Error() string { return "permanent: " + p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks err as a failure that retrying cannot fix: the worker
// marks the message failed at once.
func Permanent(err error) error { return permanentError{err} }

// IsPermanent reports whether err was marked by Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Quiet hours: no SMS or e-mail to a youth from 20:00 to 08:00 in Copenhagen.
const (
	quietFrom = 20
	quietTo   = 8
)

// quietUntil returns when the quiet hours around t end, and whether t is
// inside them.
func quietUntil(t time.Time) (time.Time, bool) {
	c := t.In(people.Copenhagen)
	h := c.Hour()
	if h >= quietTo && h < quietFrom {
		return time.Time{}, false
	}
	day := c
	if h >= quietFrom {
		day = c.AddDate(0, 0, 1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), quietTo, 0, 0, 0, people.Copenhagen), true
}

// WorkerOptions configure a Worker. Zero values get the defaults.
type WorkerOptions struct {
	// Owner names this instance in the leases it writes (default: a random name).
	Owner string
	// Lease is how long a claimed message stays this instance's while it
	// sends (default 2 min); Send gets a deadline shorter than that.
	Lease time.Duration
	// Backoff is the wait after the first failure, doubled after each
	// further one (default 30 s) up to MaxBackoff (default 1 h).
	Backoff, MaxBackoff time.Duration
	// GiveUp is how long after its creation (or an administrator's
	// retry, Message.RetriedAt) a message is retried before it is marked
	// failed (default 24 h).
	GiveUp time.Duration
	// MaxQueued bounds the messages waiting on external channels: at the
	// limit the fan-out makes no more copies and counts them as dropped
	// (default MaxQueued; see there).
	MaxQueued int
	// Directory finds how a message's recipient is reached (default:
	// nobody, so nothing is copied to an external channel).
	Directory Directory
	// Render writes a message's text in a language (default: the kind).
	Render Renderer
	// Parallel is how many messages one worker sends at once (default 8):
	// a slow provider (an SMS gateway answering in 200 ms) then still
	// delivers tens of messages a second. Each message is still claimed
	// with its own lease first, so none is sent twice.
	Parallel int
	Now      func() time.Time
	Logger   *slog.Logger
}

// Worker delivers queued messages through its channels. Several workers,
// in one process or many sharing a store, may run at once: each message
// is claimed with a lease in the store before it is sent, so exactly one
// worker sends it, and a lease left by a dead instance runs out.
type Worker struct {
	db       store.DB
	channels map[string]Channel
	o        WorkerOptions
	counted  atomic.Bool // rebuildCounts has run
}

// NewWorker returns a worker on db delivering through channels.
func NewWorker(db store.DB, o WorkerOptions, channels ...Channel) *Worker {
	if o.Owner == "" {
		o.Owner = "w" + rand.Text()[:12]
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Backoff <= 0 {
		o.Backoff = 30 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Hour
	}
	if o.GiveUp <= 0 {
		o.GiveUp = 24 * time.Hour
	}
	if o.MaxQueued <= 0 {
		o.MaxQueued = MaxQueued
	}
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Directory == nil {
		o.Directory = func(store.Tx, Message) (Recipient, error) { return Recipient{}, nil }
	}
	if o.Render == nil {
		o.Render = func(m Message, _ string) Text { return Text{Subject: m.Kind, Body: m.Kind} }
	}
	w := &Worker{db: db, channels: map[string]Channel{}, o: o}
	for _, c := range channels {
		w.channels[c.Name()] = c
	}
	return w
}

// Run delivers due messages every interval until ctx ends.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.o.Logger.Error("notify worker", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce copies new inbox and guardian messages onto the external
// channels their recipients chose (see fanOut), then delivers the
// messages due now, up to Parallel at a time (each claimed with its lease
// before it is sent), and returns how many it delivered (sent, failed or
// put back for later) once every send it started has ended.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if !w.counted.Load() {
		if err := w.db.Update(rebuildCounts); err != nil {
			return 0, fmt.Errorf("count the outbox: %w", err)
		}
		w.counted.Store(true)
	}
	for ctx.Err() == nil {
		more, err := w.fanOut()
		if err != nil {
			return 0, err
		}
		if !more {
			break
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		n     int
		first error
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
	}
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return first != nil }
	slots := make(chan struct{}, w.o.Parallel)
	for ctx.Err() == nil && !failed() {
		// Claim only what can be sent now (a lease runs while a message
		// waits): one free slot at least, and every other one free.
		slots <- struct{}{}
		free := 1
		for free < w.o.Parallel {
			select {
			case slots <- struct{}{}:
				free++
				continue
			default:
			}
			break
		}
		ms, err := w.claim(free)
		for range free - len(ms) {
			<-slots
		}
		if err != nil {
			fail(err)
		}
		if len(ms) == 0 {
			break
		}
		for _, m := range ms {
			wg.Add(1)
			go func() {
				defer func() { <-slots; wg.Done() }()
				if err := w.deliver(ctx, m); err != nil {
					fail(err)
					return
				}
				mu.Lock()
				n++
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	if first != nil {
		return n, first
	}
	return n, ctx.Err()
}

// claim takes up to k due messages of w's channels, oldest due first, in
// one transaction: it writes w's lease on each and moves its due entry to
// the lease's end, so that if this instance dies the message is due again
// then.
func (w *Worker) claim(k int) ([]Message, error) {
	var ms []Message
	err := w.db.Update(func(tx store.Tx) error {
		ms = ms[:0]
		now := w.o.Now()
		var keys [][]byte
		err := tx.Scan(bucketDue, nil, func(key, _ []byte) error {
			at, err := store.ParseID(key, 0)
			if err != nil {
				return err
			}
			if int64(at) > now.UnixMilli() {
				return store.ErrStop
			}
			id, err := store.ParseID(key, 8)
			if err != nil {
				return err
			}
			c, err := store.FindJSON[Message](tx, bucketMsgs, msgKey(id), ErrNotFound)
			if err != nil {
				return err
			}
			if _, mine := w.channels[c.Channel]; !mine || c.State != StateQueued {
				return nil // another instance's channel; a stale entry is Check's to report
			}
			ms, keys = append(ms, c), append(keys, slices.Clone(key))
			if len(ms) == k {
				return store.ErrStop
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range ms {
			ms[i].LeaseOwner, ms[i].LeaseUntil = w.o.Owner, now.Add(w.o.Lease).UTC()
			if err := reschedule(tx, keys[i], ms[i], ms[i].LeaseUntil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	return ms, nil
}

// reschedule stores m due at at, replacing its due entry old.
func reschedule(tx store.Tx, old []byte, m Message, at time.Time) error {
	if err := tx.Delete(bucketDue, old); err != nil {
		return err
	}
	if m.State == StateQueued {
		if err := tx.Put(bucketDue, dueKey(at, m.ID), []byte{1}); err != nil {
			return err
		}
	}
	return store.PutJSON(tx, bucketMsgs, msgKey(m.ID), m)
}

// deliver sends the claimed message m (or, in quiet hours, puts it off
// to their end) and records the outcome, if w still holds the lease. The
// address is looked up now, so a changed number is used and an erased or
// opted-out recipient gets nothing (the message fails, not retried).
func (w *Worker) deliver(ctx context.Context, m Message) error {
	ch := w.channels[m.Channel]
	now := w.o.Now()
	if until, quiet := quietUntil(now); quiet && m.ToYouth {
		return w.finish(m, func(c *Message) {
			c.NextAttempt = until.UTC()
		})
	}
	var r Recipient
	if err := w.db.View(func(tx store.Tx) error {
		var err error
		r, err = w.o.Directory(tx, m)
		return err
	}); err != nil {
		return fmt.Errorf("recipient of message %d: %w", m.ID, err)
	}
	var err error
	if to := ch.Address(r); to == "" {
		err = Permanent(errNoAddress)
	} else {
		sctx, cancel := context.WithTimeout(ctx, w.o.Lease/2)
		err = ch.Send(sctx, m, to, w.o.Render(m, r.Lang))
		cancel()
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err() // shutting down: the lease runs out and the message is retried
	}
	now = w.o.Now()
	return w.finish(m, func(c *Message) {
		c.Attempts++
		switch {
		case err == nil:
			c.State, c.SentAt, c.LastError = StateSent, now.UTC(), ""
		case IsPermanent(err):
			c.State, c.LastError = StateFailed, err.Error()
		case now.Sub(latest(c.Created, c.RetriedAt)) >= w.o.GiveUp:
			c.State, c.LastError = StateFailed, "gave up after "+w.o.GiveUp.String()+": "+err.Error()
		default:
			c.LastError = err.Error()
			c.NextAttempt = now.Add(w.backoff(c.Attempts)).UTC()
		}
		if err != nil {
			w.o.Logger.Warn("notify: delivery failed", "message", c.ID, "channel", c.Channel,
				"attempts", c.Attempts, "state", c.State, "err", err)
		}
	})
}

// latest is the later of a and b.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// backoff is the wait after the attempts-th failure.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.o.Backoff
	for i := 1; i < attempts && d < w.o.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.o.MaxBackoff)
}

// finish applies change to message m and drops w's lease, in one
// transaction, unless the lease has passed to another instance. The
// outcomes of messages sent at once share a commit (Batch).
func (w *Worker) finish(m Message, change func(*Message)) error {
	err := w.db.Batch(func(tx store.Tx) error {
		c, err := store.FindJSON[Message](tx, bucketMsgs, msgKey(m.ID), ErrNotFound)
		if err != nil {
			return err
		}
		if c.LeaseOwner != w.o.Owner || !c.LeaseUntil.Equal(m.LeaseUntil) || c.State != StateQueued {
			w.o.Logger.Warn("notify: lease lost before the outcome was recorded", "message", m.ID)
			return nil
		}
		old, before := dueKey(c.LeaseUntil, c.ID), c
		change(&c)
		c.LeaseOwner, c.LeaseUntil = "", time.Time{}
		if err := track(tx, &before, &c); err != nil {
			return err
		}
		return reschedule(tx, old, c, c.NextAttempt)
	})
	if err != nil {
		return fmt.Errorf("record delivery of message %d: %w", m.ID, err)
	}
	return nil
}
