package points

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fritidsjob/fault"
	"fritidsjob/store"
)

func TestPostAndReplay(t *testing.T) {
	s, db, clk := newTestService(t)
	tr := Transfer{AreaID: 1, Key: "approve:entry:42", Currency: Points, From: BudgetAccount,
		To: YouthAccount(7), Amount: 30, Kind: KindTaskPoints, Ref: "entry:42", Minutes: 45, At: clk.Now(), By: 3}
	first, replay, err := postTx(db, tr)
	if err != nil || replay || first.ID == 0 {
		t.Fatalf("first post = %+v, %v, %v", first, replay, err)
	}
	// A retry by another coordinator later is a replay, not a second payment.
	tr2 := tr
	tr2.At, tr2.By = tr.At.Add(time.Hour), 4
	again, replay, err := postTx(db, tr2)
	if err != nil || !replay || again != first {
		t.Fatalf("replay = %+v, %v, %v; want %+v, true", again, replay, err, first)
	}
	b, err := s.Balance(1, 7)
	if err != nil || b != (Balances{Points: 30}) {
		t.Fatalf("Balance = %+v, %v", b, err)
	}
	if got := balanceOf(t, db, 1, BudgetAccount, Points); got != -30 {
		t.Fatalf("budget = %d, want -30", got)
	}
	// The same key in another area is another transfer.
	tr3 := tr
	tr3.AreaID = 2
	if _, replay, err := postTx(db, tr3); err != nil || replay {
		t.Fatalf("other area: %v %v", replay, err)
	}
	if b, _ := s.Balance(2, 7); b.Points != 30 {
		t.Fatalf("area 2 balance %+v", b)
	}
	if b, _ := s.Balance(1, 7); b.Points != 30 {
		t.Fatalf("area 1 balance changed: %+v", b)
	}
	mustCheck(t, db)
}

func TestPostErrors(t *testing.T) {
	_, db, clk := newTestService(t)
	award(t, db, 1, 7, 10, "seed")
	base := Transfer{AreaID: 1, Key: "k", Currency: Points, From: BudgetAccount, To: YouthAccount(7),
		Amount: 5, Kind: KindTaskPoints, At: clk.Now()}
	with := func(f func(*Transfer)) Transfer { t := base; f(&t); return t }
	tests := []struct {
		name  string
		t     Transfer
		want  error
		field string
	}{
		{"zero amount", with(func(t *Transfer) { t.Amount = 0 }), ErrInvalid, "amount"},
		{"negative amount", with(func(t *Transfer) { t.Amount = -5 }), ErrInvalid, "amount"},
		{"huge amount", with(func(t *Transfer) { t.Amount = MaxAmount + 1 }), ErrInvalid, "amount"},
		{"unknown currency", with(func(t *Transfer) { t.Currency = "dkk" }), ErrInvalid, "currency"},
		{"empty currency", with(func(t *Transfer) { t.Currency = "" }), ErrInvalid, "currency"},
		{"no key", with(func(t *Transfer) { t.Key = "" }), ErrInvalid, "key"},
		{"key too long", with(func(t *Transfer) { t.Key = strings.Repeat("k", MaxKeyLen+1) }), ErrInvalid, "key"},
		{"key with NUL", with(func(t *Transfer) { t.Key = "a\x00b" }), ErrInvalid, "key"},
		{"reserved key", with(func(t *Transfer) { t.Key = "rw/reserve/1" }), ErrInvalid, "key"},
		{"no area", with(func(t *Transfer) { t.AreaID = 0 }), ErrInvalid, "area"},
		{"no time", with(func(t *Transfer) { t.At = time.Time{} }), ErrInvalid, "at"},
		{"unknown account", with(func(t *Transfer) { t.To = "bank" }), ErrInvalid, "to"},
		{"non-canonical account", with(func(t *Transfer) { t.To = "youth:07" }), ErrInvalid, "to"},
		{"youth zero", with(func(t *Transfer) { t.To = "youth:0" }), ErrInvalid, "to"},
		{"same account", with(func(t *Transfer) { t.From = YouthAccount(7) }), ErrInvalid, "to"},
		{"unknown kind", with(func(t *Transfer) { t.Kind = "gift" }), ErrInvalid, "kind"},
		{"internal kind", with(func(t *Transfer) { t.Kind = KindReserve; t.To = ReservationAccount(1) }), ErrInvalid, "kind"},
		{"points kind in øre", with(func(t *Transfer) { t.Currency = Ore }), ErrInvalid, "kind"},
		{"task points reversed", with(func(t *Transfer) { t.From, t.To = YouthAccount(7), BudgetAccount }), ErrInvalid, "kind"},
		{"minutes on adjust", with(func(t *Transfer) { t.Kind, t.Minutes = KindAdjust, 5 }), ErrInvalid, "minutes"},
		{"negative minutes on points", with(func(t *Transfer) { t.Minutes = -5 }), ErrInvalid, "minutes"},
		{"rate on points", with(func(t *Transfer) { t.RateOre = 6000 }), ErrInvalid, "rate"},
		{"wage without minutes", with(func(t *Transfer) { t.Kind, t.Currency = KindTaskWage, Ore; t.RateOre = 6000 }), ErrInvalid, "minutes"},
		{"wage without rate", with(func(t *Transfer) { t.Kind, t.Currency, t.Minutes = KindTaskWage, Ore, 30 }), ErrInvalid, "rate"},
		{"wage wrong amount", with(func(t *Transfer) {
			t.Kind, t.Currency, t.Minutes, t.RateOre, t.Amount = KindTaskWage, Ore, 90, 6000, 9001
		}), ErrInvalid, "amount"},
		{"overdraft", with(func(t *Transfer) { t.Kind, t.From, t.To, t.Amount = KindAdjust, YouthAccount(7), BudgetAccount, 11 }), ErrInsufficientFunds, ""},
		{"overdraft øre", with(func(t *Transfer) {
			t.Kind, t.Currency, t.From, t.To, t.Amount = KindAdjust, Ore, YouthAccount(7), BudgetAccount, 1
		}), ErrInsufficientFunds, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := postTx(db, tc.t)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var inv *fault.Error
			if tc.field != "" && (!errors.As(err, &inv) || inv.Field != tc.field) {
				t.Fatalf("err = %v, want invalid %s", err, tc.field)
			}
			if tc.want == ErrInsufficientFunds {
				var ie *InsufficientFundsError
				if !errors.As(err, &ie) || ie.Account != YouthAccount(7) || ie.Amount != tc.t.Amount {
					t.Fatalf("err = %#v, want *InsufficientFundsError", err)
				}
			}
			if fault.CodeOf(err) == "" {
				t.Fatalf("fault.CodeOf(%v) is empty", err)
			}
		})
	}
	// Nothing above changed anything.
	if got := balanceOf(t, db, 1, YouthAccount(7), Points); got != 10 {
		t.Fatalf("balance %d after refused posts, want 10", got)
	}
	// Same key, different content: ErrKeyReused, and no effect.
	if _, _, err := postTx(db, base); err != nil {
		t.Fatal(err)
	}
	for _, f := range []func(*Transfer){
		func(t *Transfer) { t.Amount = 6 },
		func(t *Transfer) { t.To = YouthAccount(8) },
		func(t *Transfer) { t.Ref = "other" },
		func(t *Transfer) { t.Kind, t.From, t.To = KindAdjust, YouthAccount(7), BudgetAccount },
	} {
		if _, _, err := postTx(db, with(f)); !errors.Is(err, ErrKeyReused) || fault.CodeOf(err) != "points.key_reused" {
			t.Fatalf("reused key: %v", err)
		}
	}
	if got := balanceOf(t, db, 1, YouthAccount(7), Points); got != 15 {
		t.Fatalf("balance %d, want 15", got)
	}
	// A refused key leaves no trace: once the youth can pay, the same key works.
	over := with(func(t *Transfer) {
		t.Key, t.Kind, t.From, t.To, t.Amount = "fix", KindAdjust, YouthAccount(7), BudgetAccount, 20
	})
	if _, _, err := postTx(db, over); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatal(err)
	}
	award(t, db, 1, 7, 5, "more")
	if _, _, err := postTx(db, over); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, db)
}

func TestCodes(t *testing.T) {
	if err := invalid("amount", "not_positive"); fault.FieldOf(err) != "amount" || fault.CodeOf(err) != "not_positive" {
		t.Fatal(err)
	}
	if got := fault.CodeOf(errors.Join(errors.New("x"), ErrFull)); got != "points.full" {
		t.Fatal(got)
	}
	if fault.CodeOf(nil) != "" || fault.CodeOf(errors.New("other")) != "" {
		t.Fatal("foreign errors have no code")
	}
	seen := map[string]bool{}
	for _, e := range ErrorCodes() {
		c := e.Field + "." + e.Code
		if e.Code == "" || seen[c] {
			t.Fatalf("bad or duplicate code %q", c)
		}
		seen[c] = true
	}
	if !errors.Is(&InsufficientFundsError{}, ErrInsufficientFunds) || !errors.Is(invalid("a", "b"), ErrInvalid) {
		t.Fatal("typed errors must unwrap to their sentinels")
	}
}

func TestAccounts(t *testing.T) {
	for _, a := range []Account{BudgetAccount, FundingAccount, YouthAccount(1), RewardAccount(2), ReservationAccount(3), PotAccount(4)} {
		if !a.Valid() {
			t.Errorf("%q invalid", a)
		}
	}
	for _, a := range []Account{"", "youth:", "youth:x", "youth:-1", "youth:+1", "youth:01", "pot:0", "Budget", "youth:1\x00"} {
		if a.Valid() {
			t.Errorf("%q valid", a)
		}
	}
	if id, ok := YouthAccount(42).YouthID(); !ok || id != 42 {
		t.Fatal("YouthID")
	}
	if _, ok := PotAccount(42).YouthID(); ok {
		t.Fatal("pot is no youth")
	}
	if YouthAccount(1).MayGoNegative() || !BudgetAccount.MayGoNegative() || ReservationAccount(1).MayGoNegative() {
		t.Fatal("MayGoNegative")
	}
}

func TestHistoryAndBudgetUse(t *testing.T) {
	s, db, _ := newTestService(t)
	// Funding gives the budget an allowance; it is not budget use.
	if _, _, err := s.Post(Transfer{AreaID: 1, Key: "grant:2026", Currency: Points, From: FundingAccount,
		To: BudgetAccount, Amount: 1000, Kind: KindBudget}); err != nil {
		t.Fatal(err)
	}
	// 31 March 23:30 UTC is 1 April in Copenhagen (summer time).
	at := []time.Time{
		time.Date(2026, 2, 28, 22, 0, 0, 0, time.UTC),  // 28 Feb 23:00 CET
		time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC), // 1 Mar 00:30 CET
		time.Date(2026, 3, 31, 21, 30, 0, 0, time.UTC), // 31 Mar 23:30 CEST
		time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), // 1 Apr 00:30 CEST
	}
	for i, a := range at {
		if _, _, err := s.Post(Transfer{AreaID: 1, Key: "p" + idStr(uint64(i)), Currency: Points, From: BudgetAccount,
			To: YouthAccount(5), Amount: int64(10 * (i + 1)), Kind: KindTaskPoints, At: a}); err != nil {
			t.Fatal(err)
		}
	}
	wage := Transfer{AreaID: 1, Key: "w", Currency: Ore, From: BudgetAccount, To: YouthAccount(5),
		Amount: WageOre(90, 6000), Kind: KindTaskWage, Minutes: 90, RateOre: 6000, At: at[1]}
	if _, _, err := s.Post(wage); err != nil {
		t.Fatal(err)
	}
	// A correction back into the budget in March reduces March's use.
	if _, _, err := s.Post(Transfer{AreaID: 1, Key: "fix", Currency: Points, From: YouthAccount(5), To: BudgetAccount,
		Amount: 5, Kind: KindAdjust, At: at[2]}); err != nil {
		t.Fatal(err)
	}
	got, err := s.BudgetUse(1)
	if err != nil {
		t.Fatal(err)
	}
	want := []BudgetMonth{{2026, time.February, 10, 0}, {2026, time.March, 20 + 30 - 5, 9000}, {2026, time.April, 40, 0}}
	if len(got) != len(want) {
		t.Fatalf("BudgetUse = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("BudgetUse[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	h, err := s.History(1, YouthAccount(5), 3)
	if err != nil || len(h) != 3 {
		t.Fatalf("History = %v, %v", h, err)
	}
	if h[0].Key != "fix" || h[0].Delta != -5 || h[1].Key != "w" || h[1].Delta != 9000 || h[2].Key != "p3" || h[2].Delta != 40 {
		t.Fatalf("History newest first: %+v", h)
	}
	all, _ := s.History(1, YouthAccount(5), 0)
	if len(all) != 6 {
		t.Fatalf("full history has %d entries", len(all))
	}
	bh, _ := s.History(1, BudgetAccount, 0)
	if last := bh[len(bh)-1]; last.Key != "grant:2026" || last.Delta != 1000 {
		t.Fatalf("budget history oldest = %+v", last)
	}
	if _, err := s.History(1, "nope", 1); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	mustCheck(t, db)
}

// TestCheckDetectsCorruption is the negative control for Check: each kind of
// damage a bug could do must be reported.
func TestCheckDetectsCorruption(t *testing.T) {
	setup := func(t *testing.T) (*Service, store.DB) {
		s, db, _ := newTestService(t)
		award(t, db, 1, 7, 50, "a1")
		award(t, db, 1, 8, 50, "a2")
		rw, err := s.CreateReward(1, Reward{Title: "Biograf", PricePoints: 20, Places: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Request(1, rw.ID, 7, "r1"); err != nil {
			t.Fatal(err)
		}
		mustCheck(t, db)
		return s, db
	}
	damage := []struct {
		name string
		fn   func(tx store.Tx) error
		want string
	}{
		{"balance edited", func(tx store.Tx) error {
			return tx.Put(bucketBalances, store.Key(uint64(1), string(YouthAccount(7)), string(Points)), encodeInt(1000))
		}, "entries sum to"},
		{"negative youth", func(tx store.Tx) error {
			if err := tx.Put(bucketBalances, store.Key(uint64(1), string(YouthAccount(8)), string(Points)), encodeInt(-1)); err != nil {
				return err
			}
			return tx.Put(bucketEntries, entryKey(1, YouthAccount(8), 2), entryValue(-1, Points))
		}, "negative"},
		{"entry deleted", func(tx store.Tx) error {
			return tx.Delete(bucketEntries, entryKey(1, YouthAccount(7), 1))
		}, "entries from=true to=false"},
		{"key index deleted", func(tx store.Tx) error {
			return tx.Delete(bucketKeys, store.Key(uint64(1), "a1"))
		}, "maps to"},
		{"key points elsewhere", func(tx store.Tx) error {
			return tx.Put(bucketKeys, store.Key(uint64(1), "a1"), store.ID(2))
		}, "maps to"},
		{"reservation emptied", func(tx store.Tx) error {
			return tx.Put(bucketBalances, store.Key(uint64(1), string(ReservationAccount(1)), string(Points)), encodeInt(0))
		}, "reservation of redemption"},
		{"overbooked", func(tx store.Tx) error {
			r := Redemption{ID: 99, AreaID: 1, RewardID: 1, YouthID: 8, Points: 20, Status: StatusConfirmed}
			return putRedemption(tx, r, true)
		}, "overbooked"},
		{"transfer amount edited", func(tx store.Tx) error {
			tr, _, err := store.GetJSON[Transfer](tx, bucketTransfers, store.Key(uint64(1), uint64(1)))
			if err != nil {
				return err
			}
			tr.Amount++
			return store.PutJSON(tx, bucketTransfers, store.Key(uint64(1), uint64(1)), tr)
		}, "stray entry"},
	}
	for _, d := range damage {
		t.Run(d.name, func(t *testing.T) {
			_, db := setup(t)
			if err := db.Update(d.fn); err != nil {
				t.Fatal(err)
			}
			err := db.View(func(tx store.Tx) error { return Check(tx) })
			if err == nil || !strings.Contains(err.Error(), d.want) {
				t.Fatalf("Check = %v, want a problem mentioning %q", err, d.want)
			}
		})
	}
}
