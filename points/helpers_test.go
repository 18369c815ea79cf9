package points

import (
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

func newTestService(t testing.TB) (*Service, *bolt.DB, *testkit.Clock) {
	t.Helper()
	db := testkit.Store(t)
	clk := testkit.NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	return NewService(db, Options{Now: clk.Now}), db, clk
}

// postTx posts t in its own Update.
func postTx(db store.DB, t Transfer) (Transfer, bool, error) {
	var got Transfer
	var replay bool
	err := db.Update(func(tx store.Tx) error {
		var err error
		got, replay, err = Post(tx, t)
		return err
	})
	return got, replay, err
}

// award pays youth amount points from the budget under key.
func award(t testing.TB, db store.DB, area, youth uint64, amount int64, key string) Transfer {
	t.Helper()
	got, _, err := postTx(db, Transfer{AreaID: area, Key: key, Currency: Points, From: BudgetAccount,
		To: YouthAccount(youth), Amount: amount, Kind: KindTaskPoints, Ref: key, At: time.Now(), By: 1})
	if err != nil {
		t.Fatalf("award %s: %v", key, err)
	}
	return got
}

func mustCheck(t testing.TB, db store.DB) {
	t.Helper()
	if err := db.View(func(tx store.Tx) error { return Check(tx) }); err != nil {
		t.Fatalf("Check: %v", err)
	}
}

func balanceOf(t testing.TB, db store.DB, area uint64, acct Account, cur Currency) int64 {
	t.Helper()
	var n int64
	if err := db.View(func(tx store.Tx) error {
		var err error
		n, err = BalanceTx(tx, area, acct, cur)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}
