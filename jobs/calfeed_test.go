package jobs

import (
	"errors"
	"testing"

	"fritidsjob/people"
	"fritidsjob/store"
)

// TestCalendarFeed: a feed shows its own youth's tasks only (a cancelled
// one too, so the phone can drop it), not those long past; the token is
// stored only as its hash; a new link revokes the old one and stopping
// the feed revokes it too.
func TestCalendarFeed(t *testing.T) {
	e := newEnv(t)
	a := e.youth("anna", 14, people.SchoolCompulsory)
	b := e.youth("bodil", 14, people.SchoolCompulsory)
	t1 := e.task(nil)
	t2 := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 14, 10, 0), cph(2026, 11, 14, 12, 0) })
	t3 := e.task(func(n *NewTask) { n.Start, n.End = cph(2026, 11, 21, 10, 0), cph(2026, 11, 21, 12, 0) })
	for _, c := range []struct{ task, youth uint64 }{{t1.ID, a}, {t2.ID, a}, {t3.ID, b}} {
		if _, err := e.svc.Claim(e.area.ID, c.task, c.youth); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.SetStatus(e.area.ID, t2.ID, StatusCancelled); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := e.svc.FeedOf(e.area.ID, a); err != nil || ok {
		t.Fatalf("a feed before one was made: %v %v", ok, err)
	}
	tok, err := e.svc.NewFeed(e.area.ID, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != 22 {
		t.Errorf("token %q is not 128 bits in base64url", tok)
	}
	f, got, err := e.svc.FeedTasks(tok)
	if err != nil || f.YouthID != a || len(got) != 2 || got[0].Task.ID != t1.ID || got[1].Task.Status != StatusCancelled {
		t.Fatalf("feed = %+v %+v %v", f, got, err)
	}
	if err := e.db.View(func(tx store.Tx) error {
		return tx.Scan(bucketFeeds, nil, func(k, v []byte) error {
			if string(k) == tok || len(k) != 32 {
				t.Errorf("feed key %q is not a SHA-256", k)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	// A month and a half later the first tasks are past the feed's reach.
	e.clk.Set(cph(2026, 12, 20, 10, 0))
	if _, got, _ := e.svc.FeedTasks(tok); len(got) != 0 {
		t.Errorf("long past tasks in the feed: %d", len(got))
	}
	e.clk.Set(cph(2026, 11, 2, 10, 0))

	tok2, err := e.svc.NewFeed(e.area.ID, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.FeedTasks(tok); !errors.Is(err, ErrNotFound) {
		t.Errorf("the old link after a new one: %v", err)
	}
	if _, got, err := e.svc.FeedTasks(tok2); err != nil || len(got) != 2 {
		t.Errorf("the new link: %d tasks, %v", len(got), err)
	}
	if f, ok, err := e.svc.FeedOf(e.area.ID, a); err != nil || !ok || !f.Created.Equal(e.clk.Now().UTC()) {
		t.Errorf("FeedOf = %+v %v %v", f, ok, err)
	}
	if err := e.svc.StopFeed(e.area.ID, a); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{tok2, "", "short", tok2 + "x"} {
		if _, _, err := e.svc.FeedTasks(bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("token %q after stop: %v", bad, err)
		}
	}
	if _, ok, _ := e.svc.FeedOf(e.area.ID, a); ok {
		t.Error("a feed after stopping it")
	}
	if _, err := e.svc.NewFeed(e.area.ID, 999); err == nil {
		t.Error("a feed for a youth who does not exist")
	}
	e.check()
}
