package points

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Options configure a Service.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Service reads the ledger and runs the rewards catalogue, redemptions,
// group pots and the payroll. Every method that changes something is one
// store transaction.
type Service struct {
	db  store.DB
	now func() time.Time
}

// NewService returns a Service on db.
func NewService(db store.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: db, now: o.Now}
}

// Post records one transfer in its own transaction (see the package
// function Post for the rules); a zero At is set to the clock's now. Use the
// package function Post to pay inside another operation's transaction.
// Refuses with *InsufficientFundsError (ErrInsufficientFunds), ErrKeyReused,
// ErrOverflow and invalid input.
func (s *Service) Post(t Transfer) (posted Transfer, replay bool, err error) {
	if t.At.IsZero() {
		t.At = s.now()
	}
	err = s.db.Update(func(tx store.Tx) error {
		var err error
		posted, replay, err = Post(tx, t)
		return err
	})
	if err != nil {
		return Transfer{}, false, err
	}
	return posted, replay, nil
}

// Check verifies every invariant of the package's data (see Check).
func (s *Service) Check() error {
	return s.db.View(func(tx store.Tx) error { return Check(tx) })
}

// Balances is what a youth has in one area.
type Balances struct {
	// Points available to spend.
	Points int64
	// Ore is the wage earned, in øre.
	Ore int64
	// Reserved is the points held in requested places and pledged to pots
	// that are not yet decided (already deducted from Points).
	Reserved int64
}

// Balance returns youth's balances in area.
func (s *Service) Balance(area, youth uint64) (Balances, error) {
	var b Balances
	err := s.db.View(func(tx store.Tx) error {
		b = Balances{}
		acct := YouthAccount(youth)
		var err error
		if b.Points, err = BalanceTx(tx, area, acct, Points); err != nil {
			return err
		}
		if b.Ore, err = BalanceTx(tx, area, acct, Ore); err != nil {
			return err
		}
		reds, err := youthRedemptions(tx, area, youth)
		for _, r := range reds {
			if r.Status == StatusRequested {
				b.Reserved += r.Points
			}
		}
		return err
	})
	if err != nil {
		return Balances{}, fmt.Errorf("balance of youth %d in area %d: %w", youth, area, err)
	}
	return b, nil
}

// Entry is one side of a transfer as seen from one account.
type Entry struct {
	Transfer
	// Account is the account the entry belongs to (From or To).
	Account Account
	// Delta is the signed change to Account: -Amount when it paid,
	// +Amount when it received.
	Delta int64
}

// History lists acct's entries in area, newest first, at most limit of them
// (all when limit ≤ 0).
func (s *Service) History(area uint64, acct Account, limit int) ([]Entry, error) {
	if !acct.Valid() {
		return nil, invalid("account", "unknown")
	}
	var out []Entry
	err := s.db.View(func(tx store.Tx) error {
		out = nil
		return scanEntries(tx, area, acct, func(id uint64, delta int64, _ Currency) error {
			t, ok, err := store.GetJSON[Transfer](tx, bucketTransfers, store.Key(area, id))
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("entry of %s names missing transfer %d", acct, id)
			}
			out = append(out, Entry{Transfer: t, Account: acct, Delta: delta})
			if limit > 0 && len(out) >= limit {
				return store.ErrStop
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("history of %s in area %d: %w", acct, area, err)
	}
	return out, nil
}

// scanEntries calls fn for acct's entries, newest first.
func scanEntries(tx store.Tx, area uint64, acct Account, fn func(id uint64, delta int64, cur Currency) error) error {
	return tx.Scan(bucketEntries, store.Key(area, string(acct)), func(k, v []byte) error {
		_, _, id, ok := parseEntryKey(k)
		delta, cur, ok2 := parseEntryValue(v)
		if !ok || !ok2 {
			return fmt.Errorf("bad entry %x", k)
		}
		return fn(id, delta, cur)
	})
}

// BudgetMonth is what the area's budget paid out in one calendar month
// (Copenhagen time): points and øre to youths, net of corrections back into
// the budget. Allowances (kind budget) are not counted.
type BudgetMonth struct {
	Year   int
	Month  time.Month
	Points int64
	Ore    int64
}

// BudgetUse lists the budget paid out per month in area, oldest month first.
func (s *Service) BudgetUse(area uint64) ([]BudgetMonth, error) {
	type ym struct {
		y int
		m time.Month
	}
	sums := map[ym]*BudgetMonth{}
	err := s.db.View(func(tx store.Tx) error {
		clear(sums)
		return scanEntries(tx, area, BudgetAccount, func(id uint64, delta int64, cur Currency) error {
			t, ok, err := store.GetJSON[Transfer](tx, bucketTransfers, store.Key(area, id))
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("budget entry names missing transfer %d", id)
			}
			if t.Kind == KindBudget {
				return nil
			}
			at := t.At.In(people.Copenhagen)
			k := ym{at.Year(), at.Month()}
			m := sums[k]
			if m == nil {
				m = &BudgetMonth{Year: k.y, Month: k.m}
				sums[k] = m
			}
			if cur == Points {
				m.Points -= delta
			} else {
				m.Ore -= delta
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("budget use of area %d: %w", area, err)
	}
	out := make([]BudgetMonth, 0, len(sums))
	for _, m := range sums {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b BudgetMonth) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month))
	})
	return out, nil
}
