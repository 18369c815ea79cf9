package notify_test

import (
	"fmt"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/notify"
	"fritidsjob/store"
)

// BenchmarkOutboxAdminView measures what one view of the admin's outbox
// reads (Stats and the first page) with 20,000 queued SMS, against a scan
// of every message, which counting without the counters would need.
//
//	go test -run - -bench OutboxAdminView ./notify
func BenchmarkOutboxAdminView(b *testing.B) {
	db := testkit.Store(b)
	for batch := range 20 {
		if err := db.Update(func(tx store.Tx) error {
			for i := range 1000 {
				if err := notify.Enqueue(tx, msg(7, fmt.Sprint(batch, ":", i), "sms", noon)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	svc := notify.NewService(db, nil)
	b.Run("counters", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Stats(); err != nil {
				b.Fatal(err)
			}
			if p, err := svc.Outbox(0, 25); err != nil || len(p.Messages) != 25 {
				b.Fatal(err)
			}
		}
	})
	b.Run("scan-baseline", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := db.View(func(tx store.Tx) error {
				return store.ScanJSON(tx, "notify_msgs", nil, func(_ []byte, m notify.Message) error {
					if m.State == notify.StateQueued {
						n++
					}
					return nil
				})
			}); err != nil || n != 20000 {
				b.Fatal(n, err)
			}
		}
	})
}
