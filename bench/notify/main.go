// Command notify measures the SMS notifications against a fake GatewayAPI
// on 127.0.0.1 (notify/sms/smstest), in one run on one bbolt file:
//
//   - a youth's claim latency (jobs.Service.Claim, the claim path of the
//     app's handler) with the notify worker running and nothing to
//     deliver, then while it delivers a backlog of SMS through a fast
//     gateway and through a slow one (-delay per SMS), in alternating
//     rounds; the ratio nothing ÷ slow of the median latency shows whether
//     claims wait on delivery (goal ≥ 0.95);
//
//   - delivery throughput: messages from the inbox, copied to SMS by the
//     worker's fan-out and sent to the fast gateway, per second (goal ≥ 200),
//     next to the disk's single-commit rate measured in the same run.
//
//     go run ./bench/notify [-claims 200] [-messages 2000] [-delay 200ms] [-rounds 2] [-parallel 8]
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"fritidsjob/jobs"
	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/notify/sms"
	"fritidsjob/notify/sms/smstest"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

func main() {
	claims := flag.Int("claims", 200, "claims timed per round and gateway")
	messages := flag.Int("messages", 2000, "messages in the throughput run, and the backlog behind each claim round")
	delay := flag.Duration("delay", 200*time.Millisecond, "the slow gateway's answer time per SMS")
	rounds := flag.Int("rounds", 2, "alternating rounds of nothing to deliver, fast and slow gateway")
	parallel := flag.Int("parallel", 8, "messages the worker sends at once (notify.WorkerOptions.Parallel)")
	flag.Parse()
	if err := run(*claims, *messages, *delay, *rounds, *parallel); err != nil {
		fmt.Fprintln(os.Stderr, "bench/notify:", err)
		os.Exit(1)
	}
}

const token = "bench-token"

// daytime is the worker's clock: a weekday noon in Copenhagen plus the
// time the run has taken, so quiet hours never hold the messages back.
var (
	startWall = time.Now()
	noon      = time.Date(2027, 3, 9, 12, 0, 0, 0, people.Copenhagen)
)

func daytime() time.Time { return noon.Add(time.Since(startWall)) }

type bench struct {
	db       store.DB
	ppl      *people.Service
	js       *jobs.Service
	area     people.Area
	gw       *smstest.Gateway
	ch       *sms.Channel
	parallel int
	n        int // youths made, for unique names
	keys     int // messages made, for unique keys
}

func run(claims, messages int, delay time.Duration, rounds, parallel int) error {
	tmp, err := os.MkdirTemp("", "fj-bench-notify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := bolt.Open(filepath.Join(tmp, "bench.db"), bolt.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	b := &bench{db: db, parallel: parallel}
	b.ppl, err = people.NewService(db, people.Options{Secret: []byte("bench-secret-0123456789abcdef-0123456789"),
		Now: func() time.Time { return noon.AddDate(0, -1, 0) }, Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		return err
	}
	eng, err := rules.Default()
	if err != nil {
		return err
	}
	b.js = jobs.NewService(db, b.ppl, eng, jobs.Options{Now: func() time.Time { return noon.AddDate(0, -1, 0) }})
	if b.area, err = b.ppl.CreateArea("Benchparken", "Aarhus"); err != nil {
		return err
	}
	b.gw = smstest.New(token)
	defer b.gw.Close()
	if b.ch, err = sms.New(sms.Options{Gateway: sms.NewGatewayAPI(b.gw.URL, token, nil), Sender: "Fritidsjob",
		Link: "https://fritidsjob.example.dk/b", Logger: slog.New(slog.DiscardHandler)}); err != nil {
		return err
	}
	recipients, err := b.youths(50, true)
	if err != nil {
		return err
	}

	// Throughput first, on a quiet store.
	commits, err := commitRate(db, 500)
	if err != nil {
		return err
	}
	b.gw.SetDelay(0)
	rate, err := b.throughput(recipients, messages)
	if err != nil {
		return err
	}
	fmt.Printf("delivery to the local gateway: %d messages in the inbox, fanned out to SMS and sent, %d at once\n", messages, parallel)
	fmt.Printf("  %.0f messages/s = %.2f × the goal of 200/s; one bbolt commit alone: %.0f/s (a message takes its outcome's commit and a share of the fan-out's and the claim's batched commits)\n",
		rate, rate/200, commits)

	// Claim latency with a backlog being delivered, fast and slow gateway alternating.
	lat := map[string][]time.Duration{}
	for r := 0; r < rounds; r++ {
		for _, mode := range []string{"none", "fast", "slow"} {
			d, backlog := time.Duration(0), messages
			switch mode {
			case "none":
				backlog = 0
			case "slow":
				d = delay
			}
			ls, err := b.claimRound(recipients, claims, backlog, d)
			if err != nil {
				return fmt.Errorf("%s round %d: %w", mode, r, err)
			}
			lat[mode] = append(lat[mode], ls...)
		}
	}
	none, fast, slow := summary(lat["none"]), summary(lat["fast"]), summary(lat["slow"])
	fmt.Printf("claim latency, %d rounds × %d claims each: with nothing to deliver, and while the worker delivers a backlog of %d SMS:\n", rounds, claims, messages)
	fmt.Printf("  nothing to deliver:      p50 %v  p90 %v  p99 %v\n", none[0], none[1], none[2])
	fmt.Printf("  fast gateway:            p50 %v  p90 %v  p99 %v\n", fast[0], fast[1], fast[2])
	fmt.Printf("  slow gateway (%v/SMS): p50 %v  p90 %v  p99 %v\n", delay, slow[0], slow[1], slow[2])
	fmt.Printf("  ratio (p50) nothing ÷ slow gateway = %.2f (goal ≥ 0.95: claims do not wait on delivery); fast ÷ slow = %.2f\n",
		float64(none[0])/float64(slow[0]), float64(fast[0])/float64(slow[0]))
	// A round's worker is stopped with sends in flight; one cut off after
	// the gateway took it but before its outcome was written is sent again
	// by the next worker when the lease ends (the run is shorter than a lease).
	fmt.Printf("messages the gateway took twice (by userref): %d of %d\n", b.twice(), len(b.gw.Refs()))
	return nil
}

// youths creates n youths of the area, with a phone and SMS chosen when sms is set.
func (b *bench) youths(n int, withSMS bool) ([]uint64, error) {
	var ids []uint64
	for range n {
		b.n++
		u, err := b.ppl.CreateUser(people.NewUser{Username: fmt.Sprintf("ung%05d", b.n), DisplayName: "Ung", Secret: "482916",
			SecretKind: people.SecretPIN, Memberships: []people.Membership{{AreaID: b.area.ID, Role: people.RoleYouth}},
			Youth: &people.Youth{BirthDate: people.Date{Year: 2010, Month: 1, Day: 1}, School: people.SchoolFinished9}})
		if err != nil {
			return nil, err
		}
		if withSMS {
			if err := b.ppl.SetContact(u.ID, people.Contact{Phone: fmt.Sprintf("+4520%06d", b.n), SMS: true}); err != nil {
				return nil, err
			}
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// enqueue writes n inbox messages to recipients, 100 per transaction.
func (b *bench) enqueue(recipients []uint64, n int) error {
	for done := 0; done < n; {
		if err := b.db.Update(func(tx store.Tx) error {
			for i := 0; i < 100 && done+i < n; i++ {
				b.keys++
				if err := notify.Enqueue(tx, notify.Message{UserID: recipients[b.keys%len(recipients)], AreaID: b.area.ID,
					Kind: notify.KindWaitlistPromoted, Params: map[string]string{"task": "Oprydning"}, ToYouth: true,
					Key: fmt.Sprintf("bench:%d", b.keys), Created: daytime()}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		done += 100
	}
	return nil
}

// worker starts a notify worker running every 20 ms until the returned stop.
func (b *bench) worker() (stop func()) {
	w := notify.NewWorker(b.db, notify.WorkerOptions{Now: daytime, Parallel: b.parallel, Logger: slog.New(slog.DiscardHandler),
		Directory: notify.PeopleDirectory(b.ppl),
		Render: func(m notify.Message, _ string) notify.Text {
			return notify.Text{Body: "Du er rykket op fra ventelisten på " + m.Params["task"] + ".", Link: "https://fritidsjob.example.dk/inbox"}
		}}, b.ch)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx, 20*time.Millisecond) })
	return func() { cancel(); wg.Wait() }
}

// throughput enqueues n messages, then times the worker delivering them all.
func (b *bench) throughput(recipients []uint64, n int) (float64, error) {
	before := len(b.gw.Refs())
	if err := b.enqueue(recipients, n); err != nil {
		return 0, err
	}
	start := time.Now()
	stop := b.worker()
	defer stop()
	for len(b.gw.Refs())-before < n {
		if time.Since(start) > 5*time.Minute {
			return 0, fmt.Errorf("only %d of %d delivered after 5 minutes", len(b.gw.Refs())-before, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// claimRound puts a backlog of messages in the outbox, starts the worker
// on the gateway with delay, and times claims one after another by new
// youths on new tasks while the backlog is delivered.
func (b *bench) claimRound(recipients []uint64, claims, backlog int, delay time.Duration) ([]time.Duration, error) {
	b.gw.SetDelay(delay)
	claimers, err := b.youths(claims, false)
	if err != nil {
		return nil, err
	}
	day := noon.AddDate(0, 0, 7)
	var tasks []uint64
	for i := 0; i < claims; i += 25 {
		ts, err := b.js.CreateTask(b.area.ID, 1, jobs.NewTask{Title: "Oprydning", Place: "Fælleshuset", Supervisor: "Bjarne",
			Category: jobs.CatTidying, Commissioner: jobs.ByCaretakers, Start: day, End: day.Add(2 * time.Hour),
			Slots: 25, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 50, Publish: true})
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, ts[0].ID)
	}
	if err := b.enqueue(recipients, backlog); err != nil {
		return nil, err
	}
	stop := b.worker()
	defer stop()
	time.Sleep(100 * time.Millisecond) // the worker is under way
	var ls []time.Duration
	for i, y := range claimers {
		t0 := time.Now()
		if _, err := b.js.Claim(b.area.ID, tasks[i/25], y); err != nil {
			return nil, err
		}
		ls = append(ls, time.Since(t0))
	}
	return ls, nil
}

// twice returns how many userrefs the gateway accepted more than once.
func (b *bench) twice() int {
	n := 0
	for _, c := range b.gw.Refs() {
		if c > 1 {
			n++
		}
	}
	return n
}

// summary returns the 50th, 90th and 99th percentile of ls.
func summary(ls []time.Duration) [3]time.Duration {
	s := slices.Clone(ls)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))].Round(time.Microsecond) }
	return [3]time.Duration{at(0.50), at(0.90), at(0.99)}
}

// commitRate returns single-put Update commits per second on db.
func commitRate(db store.DB, n int) (float64, error) {
	start := time.Now()
	for i := range n {
		if err := db.Update(func(tx store.Tx) error { return tx.Put("bench_commit", store.ID(uint64(i)), []byte{1}) }); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
