package main

import (
	"io"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/people"
)

// TestDemoInboxShowsTheEvents: whatever the hour the demo is seeded at,
// Amira's inbox has her claim confirmations, a task reminder and a
// reward decision, so a newcomer logging in as her sees them.
func TestDemoInboxShowsTheEvents(t *testing.T) {
	hours := []int{0, 7, 15, 16, 23}
	if testing.Short() {
		hours = []int{12, 18}
	}
	for _, h := range hours {
		now := time.Date(2026, 11, 25, h, 30, 0, 0, people.Copenhagen)
		db := testkit.Store(t)
		o := peoplekit.Options(func() time.Time { return now })
		o.OnLock, o.OnConsentLink = notify.AccountLocked, notify.ConsentLinkCreated
		ppl, err := people.NewService(db, o)
		if err != nil {
			t.Fatal(err)
		}
		engine, err := rules.Default()
		if err != nil {
			t.Fatal(err)
		}
		if err := seedDemo(db, ppl, engine, now, io.Discard); err != nil {
			t.Fatalf("%02d:30: %v", h, err)
		}
		amira, err := ppl.UserByUsername("amira")
		if err != nil {
			t.Fatal(err)
		}
		p, err := notify.NewService(db, nil).Inbox(amira.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range p.Messages {
			seen[m.Kind] = true
		}
		reminded := seen[notify.KindReminderDayBefore] || seen[notify.KindReminderSoon]
		if !reminded || !seen[notify.KindClaimConfirmed] || !seen[notify.KindRewardConfirmed] || !seen[notify.KindWaitlistPromoted] {
			t.Errorf("%02d:30: Amira's inbox has %v", h, seen)
		}
	}
}
