package points

import (
	"bytes"
	"encoding/binary"

	"fritidsjob/store"
)

// Storage layout. Every key starts with the area ID (8 bytes big-endian) so
// one prefix scan yields one area; IDs are 8 bytes big-endian and strings
// end in a 0 byte (see store.Key). Accounts and currencies never contain a
// 0 byte, so keys split unambiguously.
//
//	points_transfers   Key(area, transferID)            -> Transfer (JSON); its sequence numbers transfers
//	points_keys        Key(area, idempotencyKey)        -> ID(transferID)
//	points_entries     Key(area, account, ^transferID)  -> 8-byte big-endian signed amount + currency
//	points_balances    Key(area, account, currency)     -> 8-byte big-endian signed balance
//	points_rewards     Key(area, rewardID)              -> Reward (JSON); its sequence numbers rewards
//	points_redemptions Key(area, redemptionID)          -> Redemption (JSON); its sequence numbers redemptions
//	points_red_reward  Key(area, rewardID, redemptionID) -> empty (redemptions of a reward)
//	points_red_youth   Key(area, youthID, redemptionID)  -> empty (redemptions of a youth)
//	points_red_keys    Key(area, "request"|"pledge", key) -> ID(redemptionID)
//
// Entries store the complement of the transfer ID (^id) so that an ascending
// scan of one account lists its newest entries first. The transfers, keys
// and entries buckets are append-only: nothing in them is ever rewritten or
// deleted; corrections are new transfers.
const (
	bucketTransfers   = "points_transfers"
	bucketKeys        = "points_keys"
	bucketEntries     = "points_entries"
	bucketBalances    = "points_balances"
	bucketRewards     = "points_rewards"
	bucketRedemptions = "points_redemptions"
	bucketRedByReward = "points_red_reward"
	bucketRedByYouth  = "points_red_youth"
	bucketRedKeys     = "points_red_keys"
)

// entryKey is the key of acct's entry for transfer id (newest first).
func entryKey(area uint64, acct Account, id uint64) []byte {
	return store.Key(area, string(acct), ^id)
}

// parseEntryKey splits an entry key into area, account and transfer ID.
func parseEntryKey(k []byte) (area uint64, acct Account, id uint64, ok bool) {
	if len(k) < 8+1+8 {
		return 0, "", 0, false
	}
	area, _ = store.ParseID(k, 0)
	i := bytes.IndexByte(k[8:], 0)
	if i < 0 || 8+i+1+8 != len(k) {
		return 0, "", 0, false
	}
	acct = Account(k[8 : 8+i])
	inv, _ := store.ParseID(k, 8+i+1)
	return area, acct, ^inv, true
}

// entryValue encodes an entry: the signed amount, then the currency.
func entryValue(delta int64, cur Currency) []byte {
	return append(encodeInt(delta), cur...)
}

// parseEntryValue decodes entryValue; ok is false when v is too short.
func parseEntryValue(v []byte) (int64, Currency, bool) {
	if len(v) < 8 {
		return 0, "", false
	}
	n, _ := decodeInt(v[:8])
	return n, Currency(v[8:]), true
}

// encodeInt is n as 8 bytes big-endian.
func encodeInt(n int64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(n)) }

// decodeInt reverses encodeInt; ok is false unless b has 8 bytes.
func decodeInt(b []byte) (int64, bool) {
	if len(b) != 8 {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(b)), true
}

// getReward reads one reward; ErrNotFound when it is missing.
func getReward(tx store.Tx, area, id uint64) (Reward, error) {
	return store.FindJSON[Reward](tx, bucketRewards, store.Key(area, id), ErrNotFound)
}

// putReward stores r under its area and ID.
func putReward(tx store.Tx, r Reward) error {
	return store.PutJSON(tx, bucketRewards, store.Key(r.AreaID, r.ID), r)
}

// getRedemption reads one redemption; ErrNotFound when it is missing.
func getRedemption(tx store.Tx, area, id uint64) (Redemption, error) {
	return store.FindJSON[Redemption](tx, bucketRedemptions, store.Key(area, id), ErrNotFound)
}

// putRedemption stores r, and its index entries when it is new.
func putRedemption(tx store.Tx, r Redemption, isNew bool) error {
	if err := store.PutJSON(tx, bucketRedemptions, store.Key(r.AreaID, r.ID), r); err != nil {
		return err
	}
	if !isNew {
		return nil
	}
	if err := tx.Put(bucketRedByReward, store.Key(r.AreaID, r.RewardID, r.ID), nil); err != nil {
		return err
	}
	return tx.Put(bucketRedByYouth, store.Key(r.AreaID, r.YouthID, r.ID), nil)
}

// indexedRedemptions loads the redemptions named by an index prefix
// (reward or youth), in redemption ID order.
func indexedRedemptions(tx store.Tx, bucket string, area, owner uint64) ([]Redemption, error) {
	var ids []uint64
	if err := tx.Scan(bucket, store.Key(area, owner), func(k, _ []byte) error {
		id, err := store.ParseID(k, 16)
		ids = append(ids, id)
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]Redemption, 0, len(ids))
	for _, id := range ids {
		r, err := getRedemption(tx, area, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// rewardRedemptions lists a reward's redemptions in ID order.
func rewardRedemptions(tx store.Tx, area, reward uint64) ([]Redemption, error) {
	return indexedRedemptions(tx, bucketRedByReward, area, reward)
}

// youthRedemptions lists a youth's redemptions in ID order.
func youthRedemptions(tx store.Tx, area, youth uint64) ([]Redemption, error) {
	return indexedRedemptions(tx, bucketRedByYouth, area, youth)
}

// redemptionByKey finds the redemption a request or pledge key created.
func redemptionByKey(tx store.Tx, area uint64, kind, key string) (Redemption, bool, error) {
	v, err := tx.Get(bucketRedKeys, store.Key(area, kind, key))
	if err != nil || v == nil {
		return Redemption{}, false, err
	}
	id, err := store.ParseID(v, 0)
	if err != nil {
		return Redemption{}, false, err
	}
	r, err := getRedemption(tx, area, id)
	return r, err == nil, err
}
