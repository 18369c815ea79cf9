package points

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

// approval is the transfer the jobs package posts when approving work entry
// n: its key is derived from the entry, so every retry carries the same key.
func approval(area uint64, n int) Transfer {
	return Transfer{AreaID: area, Key: fmt.Sprintf("approve:entry:%d", n), Currency: Points, From: BudgetAccount,
		To: YouthAccount(uint64(1 + n%7)), Amount: int64(10 + n), Kind: KindTaskPoints, Ref: fmt.Sprintf("entry:%d", n),
		At: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), By: 2}
}

// TestConcurrentApprovalsPaidOnce has 64 goroutines post the same 100
// approval keys, each in its own order, through db.Batch (group commit,
// whose function may run more than once): every key must be paid exactly
// once and the totals must be exact.
func TestConcurrentApprovalsPaidOnce(t *testing.T) {
	db := testkit.Store(t)
	const area, workers, keys = 1, 64, 100
	var first, replays atomic.Int64
	ids := make([]atomic.Uint64, keys) // transfer ID each key got, for every caller
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for _, n := range r.Perm(keys) {
				var got Transfer
				var replay bool
				err := db.Batch(func(tx store.Tx) error {
					var err error
					got, replay, err = Post(tx, approval(area, n)) // reassigned on every run of fn
					return err
				})
				if err != nil {
					t.Errorf("worker %d key %d: %v", w, n, err)
					return
				}
				if replay {
					replays.Add(1)
				} else {
					first.Add(1)
				}
				if !ids[n].CompareAndSwap(0, got.ID) && ids[n].Load() != got.ID {
					t.Errorf("key %d answered with transfers %d and %d", n, ids[n].Load(), got.ID)
				}
			}
		})
	}
	wg.Wait()
	if first.Load() != keys || replays.Load() != workers*keys-keys {
		t.Fatalf("%d first posts and %d replays, want %d and %d", first.Load(), replays.Load(), keys, workers*keys-keys)
	}
	var wantBudget int64
	want := map[uint64]int64{}
	for n := range keys {
		a := approval(area, n)
		y, _ := a.To.YouthID()
		want[y] += a.Amount
		wantBudget -= a.Amount
	}
	for y, amt := range want {
		if got := balanceOf(t, db, area, YouthAccount(y), Points); got != amt {
			t.Errorf("youth %d has %d points, want %d", y, got, amt)
		}
	}
	if got := balanceOf(t, db, area, BudgetAccount, Points); got != wantBudget {
		t.Errorf("budget %d, want %d", got, wantBudget)
	}
	transfers := 0
	if err := db.View(func(tx store.Tx) error {
		return tx.Scan(bucketTransfers, store.ID(area), func(_, _ []byte) error { transfers++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if transfers != keys {
		t.Fatalf("%d transfers stored, want %d", transfers, keys)
	}
	mustCheck(t, db)
}
