package points

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"

	"fritidsjob/store"
)

// Check verifies every invariant of the package's data inside tx and
// returns all problems joined (nil when there are none):
//
//   - every transfer is well formed (positive bounded amount, known
//     currency, accounts its kind allows) and has exactly two entries, −Amount
//     on From and +Amount on To, so each transfer sums to zero, and every
//     area's balances sum to zero per currency;
//   - every stored balance equals the fold of its account's entries;
//   - no youth, reservation, pot or reward balance is below zero;
//   - every idempotency key maps to exactly one transfer and back;
//   - rewards and redemptions agree with the ledger: a requested place's
//     reservation holds its points and a decided one's holds none, a pot
//     holds the sum of its open pledges and never more than its price, a
//     reward's account holds the sum of its confirmed places, no reward is
//     overbooked, a cancelled reward has no live places, and the indexes
//     name existing records.
//
// It reads everything, so run it in a View (the check subcommand, tests).
func Check(tx store.Tx) error { return check(tx, nil) }

// CheckArea is Check restricted to one area's data.
func CheckArea(tx store.Tx, area uint64) error { return check(tx, store.ID(area)) }

type areaID struct{ area, id uint64 }

type acctKey struct {
	area uint64
	acct Account
	cur  Currency
}

type transferState struct {
	t                Transfer
	fromSeen, toSeen bool
	sum              int64
}

// reporter records one broken invariant; check joins them all.
type reporter func(format string, a ...any)

func check(tx store.Tx, prefix []byte) error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	transfers, err := checkTransfers(tx, prefix, bad)
	if err != nil {
		return err
	}
	if err := checkTransferKeys(tx, prefix, transfers, bad); err != nil {
		return err
	}
	fold, err := checkEntries(tx, prefix, transfers, bad)
	if err != nil {
		return err
	}
	bals, err := checkBalances(tx, prefix, fold, bad)
	if err != nil {
		return err
	}
	checkAreaSums(fold, bals, bad)
	if err := checkRewards(tx, prefix, bals, bad); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// checkTransfers reads every transfer, checks its key, its form and its
// idempotency key, and returns them by area and ID.
func checkTransfers(tx store.Tx, prefix []byte, bad reporter) (map[areaID]*transferState, error) {
	transfers := map[areaID]*transferState{}
	err := store.ScanJSON(tx, bucketTransfers, prefix, func(k []byte, t Transfer) error {
		area, _ := store.ParseID(k, 0)
		id, err := store.ParseID(k, 8)
		if err != nil || len(k) != 16 || t.AreaID != area || t.ID != id {
			bad("transfer key %x holds transfer %d of area %d", k, t.ID, t.AreaID)
			return nil
		}
		if err := validTransfer(t); err != nil {
			bad("transfer %d: %v", id, err)
		}
		transfers[areaID{area, id}] = &transferState{t: t}
		v, err := tx.Get(bucketKeys, store.Key(area, t.Key))
		if err != nil {
			return err
		}
		if got, _ := store.ParseID(v, 0); v == nil || len(v) != 8 || got != id {
			bad("transfer %d: key %q maps to %x", id, t.Key, v)
		}
		return nil
	})
	return transfers, err
}

// checkTransferKeys checks that every idempotency key names the transfer
// that carries it.
func checkTransferKeys(tx store.Tx, prefix []byte, transfers map[areaID]*transferState, bad reporter) error {
	return tx.Scan(bucketKeys, prefix, func(k, v []byte) error {
		area, err := store.ParseID(k, 0)
		if err != nil || len(k) < 10 || k[len(k)-1] != 0 {
			bad("bad key index entry %x", k)
			return nil
		}
		key := string(k[8 : len(k)-1])
		id, _ := store.ParseID(v, 0)
		ts := transfers[areaID{area, id}]
		if len(v) != 8 || ts == nil || ts.t.Key != key {
			bad("key %q of area %d maps to missing or other transfer %x", key, area, v)
		}
		return nil
	})
}

// checkEntries checks that each transfer has exactly its two entries,
// summing to zero, and returns the entries folded per account.
func checkEntries(tx store.Tx, prefix []byte, transfers map[areaID]*transferState, bad reporter) (map[acctKey]int64, error) {
	fold := map[acctKey]int64{}
	if err := tx.Scan(bucketEntries, prefix, func(k, v []byte) error {
		area, acct, id, ok := parseEntryKey(k)
		delta, cur, ok2 := parseEntryValue(v)
		if !ok || !ok2 {
			bad("bad entry %x = %x", k, v)
			return nil
		}
		ts := transfers[areaID{area, id}]
		if ts == nil {
			bad("entry %s of area %d names missing transfer %d", acct, area, id)
			return nil
		}
		ts.match(acct, id, delta, cur, bad)
		ak := acctKey{area, acct, cur}
		f := fold[ak]
		if (delta > 0 && f > math.MaxInt64-delta) || (delta < 0 && f < math.MinInt64-delta) {
			bad("fold of %s in area %d overflows", acct, area)
			return nil
		}
		fold[ak] = f + delta
		return nil
	}); err != nil {
		return nil, err
	}
	for k, ts := range transfers {
		if !ts.fromSeen || !ts.toSeen || ts.sum != 0 {
			bad("transfer %d of area %d: entries from=%v to=%v sum %d", k.id, k.area, ts.fromSeen, ts.toSeen, ts.sum)
		}
	}
	return fold, nil
}

// match ticks off one of the transfer's entries (its From or its To leg)
// and adds it to the transfer's sum.
func (ts *transferState) match(acct Account, id uint64, delta int64, cur Currency, bad reporter) {
	switch {
	case cur != ts.t.Currency:
		bad("entry %s of transfer %d in %s, transfer in %s", acct, id, cur, ts.t.Currency)
	case acct == ts.t.From && delta == -ts.t.Amount && !ts.fromSeen:
		ts.fromSeen = true
	case acct == ts.t.To && delta == ts.t.Amount && !ts.toSeen:
		ts.toSeen = true
	default:
		bad("stray entry %s %+d on transfer %d", acct, delta, id)
	}
	ts.sum += delta
}

// checkBalances checks every stored balance against the fold of its
// entries and its account's floor, and returns the balances.
func checkBalances(tx store.Tx, prefix []byte, fold map[acctKey]int64, bad reporter) (map[acctKey]int64, error) {
	bals := map[acctKey]int64{}
	err := tx.Scan(bucketBalances, prefix, func(k, v []byte) error {
		area, _ := store.ParseID(k, 0)
		parts := bytes.Split(k[min(8, len(k)):], []byte{0})
		n, ok := decodeInt(v)
		if len(k) < 8 || len(parts) != 3 || len(parts[2]) != 0 || !ok {
			bad("bad balance %x = %x", k, v)
			return nil
		}
		ak := acctKey{area, Account(parts[0]), Currency(parts[1])}
		if !ak.acct.Valid() || !ak.cur.Valid() {
			bad("balance of unknown account %q/%q in area %d", ak.acct, ak.cur, area)
		}
		bals[ak] = n
		if f := fold[ak]; f != n {
			bad("balance of %s in area %d is %d %s, entries sum to %d", ak.acct, area, n, ak.cur, f)
		}
		if n < 0 && !ak.acct.MayGoNegative() {
			bad("balance of %s in area %d is negative: %d %s", ak.acct, area, n, ak.cur)
		}
		return nil
	})
	return bals, err
}

// checkAreaSums checks that every account with entries has a balance and
// that each area's balances sum to zero per currency.
func checkAreaSums(fold, bals map[acctKey]int64, bad reporter) {
	sums := map[acctKey]int64{} // per area and currency, acct empty
	for ak, f := range fold {
		if _, ok := bals[ak]; !ok && f != 0 {
			bad("%s in area %d has entries summing to %d %s but no balance", ak.acct, ak.area, f, ak.cur)
		}
		sums[acctKey{area: ak.area, cur: ak.cur}] += f
	}
	for k, s := range sums {
		if s != 0 {
			bad("balances of area %d sum to %d %s", k.area, s, k.cur)
		}
	}
}

// rewardCheck holds what checkRewards has read so far: the rewards, the
// redemptions, their live places per reward and the ledger balances.
type rewardCheck struct {
	tx      store.Tx
	prefix  []byte
	bad     reporter
	bals    map[acctKey]int64
	rewards map[areaID]Reward
	reds    map[areaID]Redemption
	aggs    map[areaID]*placeAgg
}

// placeAgg sums one reward's places by status.
type placeAgg struct {
	active, requested int
	reqPoints         int64
	confPoints        int64
	confirmed         int
}

// checkRewards verifies rewards and redemptions against each other, their
// indexes and the ledger balances.
func checkRewards(tx store.Tx, prefix []byte, bals map[acctKey]int64, bad reporter) error {
	c := &rewardCheck{tx: tx, prefix: prefix, bad: bad, bals: bals,
		rewards: map[areaID]Reward{}, reds: map[areaID]Redemption{}, aggs: map[areaID]*placeAgg{}}
	for _, step := range []func() error{c.checkRewardRecords, c.checkRedemptions, c.checkRedemptionIndexes, c.checkRequestKeys} {
		if err := step(); err != nil {
			return err
		}
	}
	c.checkRewardTotals()
	c.checkRewardAccounts()
	return nil
}

// bal is the Points balance of account a in area.
func (c *rewardCheck) bal(area uint64, a Account) int64 { return c.bals[acctKey{area, a, Points}] }

// checkRewardRecords reads every reward and checks it sits under its key.
func (c *rewardCheck) checkRewardRecords() error {
	bad, rewards := c.bad, c.rewards
	return store.ScanJSON(c.tx, bucketRewards, c.prefix, func(k []byte, r Reward) error {
		area, _ := store.ParseID(k, 0)
		id, _ := store.ParseID(k, 8)
		if len(k) != 16 || r.AreaID != area || r.ID != id {
			bad("reward key %x holds reward %d of area %d", k, r.ID, r.AreaID)
		}
		rewards[areaID{area, id}] = r
		return nil
	})
}

// checkRedemptions reads every redemption, checks it against its reward,
// its indexes and its reservation, and counts its place.
func (c *rewardCheck) checkRedemptions() error {
	tx, bad := c.tx, c.bad
	return store.ScanJSON(tx, bucketRedemptions, c.prefix, func(k []byte, r Redemption) error {
		area, _ := store.ParseID(k, 0)
		id, _ := store.ParseID(k, 8)
		if len(k) != 16 || r.AreaID != area || r.ID != id {
			bad("redemption key %x holds redemption %d of area %d", k, r.ID, r.AreaID)
			return nil
		}
		c.reds[areaID{area, id}] = r
		rw, ok := c.rewards[areaID{area, r.RewardID}]
		if !ok {
			bad("redemption %d names missing reward %d", id, r.RewardID)
			return nil
		}
		if rw.Pot != r.Pot || r.Points <= 0 {
			bad("redemption %d: pot %v on reward pot %v, points %d", id, r.Pot, rw.Pot, r.Points)
		}
		if err := c.checkRedemptionIndexed(area, id, r); err != nil {
			return err
		}
		c.countPlace(area, id, r)
		if !r.Pot {
			want := int64(0)
			if r.Status == StatusRequested {
				want = r.Points
			}
			if got := c.bal(area, ReservationAccount(id)); got != want {
				bad("reservation of redemption %d (%s) holds %d, want %d", id, r.Status, got, want)
			}
		}
		return nil
	})
}

// checkRedemptionIndexed checks that redemption id is in its reward's
// and its youth's index.
func (c *rewardCheck) checkRedemptionIndexed(area, id uint64, r Redemption) error {
	tx, bad := c.tx, c.bad
	if v, err := tx.Get(bucketRedByReward, store.Key(area, r.RewardID, id)); err != nil {
		return err
	} else if v == nil {
		bad("redemption %d missing from its reward's index", id)
	}
	if v, err := tx.Get(bucketRedByYouth, store.Key(area, r.YouthID, id)); err != nil {
		return err
	} else if v == nil {
		bad("redemption %d missing from its youth's index", id)
	}
	return nil
}

// countPlace adds redemption id to its reward's places by status.
func (c *rewardCheck) countPlace(area, id uint64, r Redemption) {
	a := c.aggs[areaID{area, r.RewardID}]
	if a == nil {
		a = &placeAgg{}
		c.aggs[areaID{area, r.RewardID}] = a
	}
	switch r.Status {
	case StatusRequested:
		a.active++
		a.requested++
		a.reqPoints += r.Points
	case StatusConfirmed:
		a.active++
		a.confirmed++
		a.confPoints += r.Points
	case StatusRefused, StatusCancelled:
	default:
		c.bad("redemption %d has unknown status %q", id, r.Status)
	}
}

// checkRedemptionIndexes checks that every entry of the by-reward and
// by-youth indexes names an existing redemption of that owner.
func (c *rewardCheck) checkRedemptionIndexes() error {
	bad, reds := c.bad, c.reds
	for _, b := range []string{bucketRedByReward, bucketRedByYouth} {
		if err := c.tx.Scan(b, c.prefix, func(k, _ []byte) error {
			area, _ := store.ParseID(k, 0)
			owner, _ := store.ParseID(k, 8)
			id, err := store.ParseID(k, 16)
			r, ok := reds[areaID{area, id}]
			if err != nil || len(k) != 24 || !ok || (b == bucketRedByReward && r.RewardID != owner) ||
				(b == bucketRedByYouth && r.YouthID != owner) {
				bad("%s entry %x names a missing or other redemption", b, k)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// checkRequestKeys checks that every request and pledge idempotency key
// names its redemption (and a pledge's, its transfer).
func (c *rewardCheck) checkRequestKeys() error {
	tx, bad := c.tx, c.bad
	return tx.Scan(bucketRedKeys, c.prefix, func(k, v []byte) error {
		area, _ := store.ParseID(k, 0)
		id, _ := store.ParseID(v, 0)
		parts := strings.SplitN(string(k[min(8, len(k)):]), "\x00", 3)
		r, ok := c.reds[areaID{area, id}]
		if len(k) < 8 || len(v) != 8 || len(parts) != 3 || parts[2] != "" || !ok {
			bad("request key %x names missing redemption %x", k, v)
			return nil
		}
		switch kind, key := parts[0], parts[1]; kind {
		case "request":
			if r.Pot || r.Key != key {
				bad("request key %q names redemption %d with key %q", key, id, r.Key)
			}
		case "pledge":
			t, found, err := TransferByKey(tx, area, internalKeyPrefix+"pledge/"+key)
			if err != nil {
				return err
			}
			if !r.Pot || !found || t.Ref != "redemption:"+idStr(id) {
				bad("pledge key %q names redemption %d without its transfer", key, id)
			}
		default:
			bad("request key of unknown kind %q", kind)
		}
		return nil
	})
}

// checkRewardTotals checks each reward's places against its size and
// status, and its account (and pot) against the points its places hold.
func (c *rewardCheck) checkRewardTotals() {
	bad := c.bad
	for k, rw := range c.rewards {
		a := c.aggs[k]
		if a == nil {
			a = &placeAgg{}
		}
		if a.active > rw.Places {
			bad("reward %d of area %d overbooked: %d live places of %d", k.id, k.area, a.active, rw.Places)
		}
		if rw.Status == RewardCancelled && a.active != 0 {
			bad("cancelled reward %d of area %d has %d live places", k.id, k.area, a.active)
		}
		if got := c.bal(k.area, RewardAccount(k.id)); got != a.confPoints {
			bad("reward %d of area %d holds %d, confirmed places paid %d", k.id, k.area, got, a.confPoints)
		}
		if rw.Pot {
			c.checkPot(k, rw, a)
		} else if rw.Funded {
			bad("ordinary reward %d of area %d marked funded", k.id, k.area)
		}
	}
}

// checkPot checks a group pot's balance against its open pledges and
// price, and its funded flag against its places.
func (c *rewardCheck) checkPot(k areaID, rw Reward, a *placeAgg) {
	bad := c.bad
	pot := c.bal(k.area, PotAccount(k.id))
	if pot != a.reqPoints || pot > rw.PricePoints {
		bad("pot %d of area %d holds %d, open pledges %d, price %d", k.id, k.area, pot, a.reqPoints, rw.PricePoints)
	}
	if rw.Funded && a.requested != 0 || !rw.Funded && a.confirmed != 0 {
		bad("pot %d of area %d funded=%v with %d requested, %d confirmed", k.id, k.area, rw.Funded, a.requested, a.confirmed)
	}
}

// checkRewardAccounts checks that reward-side accounts belong to existing
// records and hold points only.
func (c *rewardCheck) checkRewardAccounts() {
	bad := c.bad
	for ak, n := range c.bals {
		if n == 0 {
			continue
		}
		cl, id := ak.acct.parse()
		switch cl {
		case classReward, classPot:
			if _, ok := c.rewards[areaID{ak.area, id}]; !ok {
				bad("%s in area %d holds %d but the reward is missing", ak.acct, ak.area, n)
			}
		case classReserve:
			if _, ok := c.reds[areaID{ak.area, id}]; !ok {
				bad("%s in area %d holds %d but the redemption is missing", ak.acct, ak.area, n)
			}
		}
		if (cl == classReward || cl == classPot || cl == classReserve) && ak.cur != Points {
			bad("%s in area %d holds %s", ak.acct, ak.area, ak.cur)
		}
	}
}
