package main

import (
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"fritidsjob/notify"
	"fritidsjob/notify/sms/smstest"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestCrashSMSDelivery kills the real server with SIGKILL while it sends
// queued SMS to a fake GatewayAPI in this process (each answer takes
// 40 ms, so sends are in flight at every kill), restarts it, and at the
// end checks that every message reached the gateway and that the store is
// consistent. A message is taken twice only when a kill fell between the
// gateway's answer and the server's record of it (GatewayAPI has no
// idempotency check of its own; the userref lets a duplicate be found):
// the test checks each duplicate's first acceptance came at most 2 s
// before a kill, and that no message was taken twice within one life of
// the server.
func TestCrashSMSDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: run without -short")
	}
	const messages, kills = 240, 6
	data := t.TempDir()
	s := startServer(t, data, "-demo")
	if err := s.stop(t, 10*time.Second); err != nil {
		t.Fatalf("seeding server: %v\n%s", err, s.stderr)
	}

	// With the server down: the demo youths choose SMS, and messages are
	// queued for them as an event would queue them. ToYouth is off so the
	// quiet hours (20–08) do not make the test depend on the time of day.
	c := config{Data: data}
	db, ppl, _, err := openPeople(&c, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var to []uint64
	for i, name := range crashYouths {
		u, err := ppl.UserByUsername(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := ppl.SetContact(u.ID, people.Contact{Phone: fmt.Sprintf("+45 2%07d", i+1), SMS: true}); err != nil {
			t.Fatal(err)
		}
		to = append(to, u.ID)
	}
	now := time.Now()
	keys := map[string]bool{}
	if err := db.Update(func(tx store.Tx) error {
		for i := range messages {
			k := fmt.Sprintf("crash-sms:%d", i)
			keys[k] = true
			if err := notify.Enqueue(tx, notify.Message{UserID: to[i%len(to)], AreaID: 1, Kind: notify.KindWaitlistPromoted, Key: k, Created: now,
				Params: map[string]string{"task": "Hækklipning", "start": now.Add(48 * time.Hour).Format(time.RFC3339), "end": now.Add(50 * time.Hour).Format(time.RFC3339)}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	g := smstest.New("crash-sms-token")
	defer g.Close()
	g.SetDelay(40 * time.Millisecond)
	args := []string{"-require-2fa=false", "-sms-token", "crash-sms-token", "-sms-gateway-url", g.URL, "-notify-lease", "2s"}
	var killed []smsLife
	for cycle := 0; cycle < kills && len(g.Refs()) < messages; cycle++ {
		start := time.Now()
		s := startServer(t, data, args...)
		time.Sleep(time.Duration(150+mrand.IntN(350)) * time.Millisecond)
		if err := s.cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatalf("kill: %v", err)
		}
		<-s.done
		killed = append(killed, smsLife{start, time.Now()})
		r := runCmd(t, "", 30*time.Second, "check", "-data", data)
		if r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
			t.Fatalf("cycle %d: check after SIGKILL: exit %d\n%s\n%s\nserver stderr tail:\n%s", cycle, r.code, r.stdout, r.stderr, tail(s.stderr.String(), 2000))
		}
		t.Logf("cycle %d: killed after %v; %d of %d messages at the gateway", cycle, time.Since(start).Round(time.Millisecond), len(g.Refs()), messages)
	}
	if len(killed) < 2 {
		t.Fatalf("only %d kills before everything was sent: the test did not cut sends off", len(killed))
	}

	// A clean life: every message is delivered. A lease left by a kill
	// runs out after 2 s and the worker looks every 5 s, so the life lasts
	// until the gateway has had no request for 8 s.
	final := time.Now()
	s = startServer(t, data, args...)
	deadline := time.Now().Add(90 * time.Second)
	last, quietSince := -1, time.Now()
	for time.Since(quietSince) < 8*time.Second {
		if time.Now().After(deadline) {
			t.Fatalf("the gateway still gets requests after 90 s: %d", g.Requests())
		}
		if n := g.Requests(); n != last {
			last, quietSince = n, time.Now()
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := s.stop(t, 10*time.Second); err != nil {
		t.Fatalf("final server exit: %v\n%s", err, s.stderr)
	}
	refs := g.Refs()
	for k := range keys {
		if refs[k] == 0 {
			t.Errorf("message %s never reached the gateway", k)
		}
	}
	twice := 0
	for k, n := range refs {
		if !keys[k] {
			t.Errorf("the gateway got an unknown userref %q", k)
			continue
		}
		if n == 1 {
			continue
		}
		twice++
		// The fake gateway may finish a request a little after its client
		// was killed, as a real one may.
		at := g.AcceptedAt(k)
		ok := false
		for _, l := range killed {
			if !at[0].Before(l.start) && at[0].Before(l.end.Add(time.Second)) && l.end.Sub(at[0]) < 2*time.Second {
				ok = true
			}
		}
		lives := append(killed, smsLife{final, time.Now()})
		if !ok || sameLife(lives, at[0], at[1]) {
			t.Errorf("message %s taken %d times at %v, not explained by a kill (kills: %v)", k, n, at, killed)
		}
	}
	r := runCmd(t, "", 30*time.Second, "check", "-data", data)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "OK" {
		t.Fatalf("final check: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	db, _, _, err = openPeople(&c, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sent := 0
	if err := db.View(func(tx store.Tx) error {
		return tx.Scan("notify_msgs", nil, func(_, v []byte) error {
			m, err := store.DecodeJSON[notify.Message](v)
			if err != nil || m.Channel != "sms" || !strings.HasPrefix(m.Key, "crash-sms:") {
				return err // the demo's own outbox is not this test's
			}
			if m.State != notify.StateSent {
				t.Errorf("SMS %s is %s (%s), want sent", m.Key, m.State, m.LastError)
			}
			sent++
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	if sent != messages {
		t.Errorf("%d SMS messages in the store, want %d", sent, messages)
	}
	t.Logf("%d kills; %d messages delivered, %d of them twice (a kill between the gateway's answer and its record)", len(killed), len(refs), twice)
}

// smsLife is one run of the server, from its start to its end.
type smsLife struct{ start, end time.Time }

func (l smsLife) String() string {
	return l.start.Format("15:04:05.000") + "–" + l.end.Format("15:04:05.000")
}

// sameLife reports whether a and b fall within one life of the server.
func sameLife(lives []smsLife, a, b time.Time) bool {
	for _, l := range lives {
		if !a.Before(l.start) && !a.After(l.end) && !b.Before(l.start) && !b.After(l.end) {
			return true
		}
	}
	return false
}
