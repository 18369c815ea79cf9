package notify_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fritidsjob/notify"
	"fritidsjob/store"
	"fritidsjob/store/redis"
	"fritidsjob/store/redis/redistest"
)

// TestRedisInstancesDeliverEachMessageOnce: three instances, each with
// its own connection to one Redis, run their workers at once; every
// message is sent exactly once (skipped without redis-server).
func TestRedisInstancesDeliverEachMessageOnce(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	open := func() *redis.DB {
		db, err := redis.Open(srv.URL(), redis.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	first := open()
	const n = 40
	var ms []notify.Message
	for i := range n {
		ms = append(ms, msg(uint64(i%4+1), fmt.Sprint("k", i), "mail", noon))
	}
	enqueue(t, first, ms...)
	ch := newCounting("mail")
	now := func() time.Time { return noon }
	var wg sync.WaitGroup
	for i, db := range []store.DB{first, open(), open()} {
		w := notify.NewWorker(db, notify.WorkerOptions{Owner: fmt.Sprint("instance", i), Now: now, Logger: quiet}, ch)
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
	}
}
