package points

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fritidsjob/store"
)

// Currency is the unit of a transfer and of a balance.
type Currency string

// The two currencies. Amounts are whole points or whole øre (1/100 DKK).
const (
	Points Currency = "points"
	Ore    Currency = "ore"
)

// Valid reports whether c is a known currency.
func (c Currency) Valid() bool { return c == Points || c == Ore }

// Account names a ledger account inside one area. Use the constants and
// constructors below; other strings are refused.
type Account string

// The area's two open accounts, the only ones allowed below zero.
const (
	// BudgetAccount pays tasks and wages; a negative balance is budget used.
	BudgetAccount Account = "budget"
	// FundingAccount is the outside source of the budget (the helhedsplan,
	// the municipality); kind "budget" transfers move money from it into the
	// budget, so the budget's balance becomes what is left.
	FundingAccount Account = "funding"
)

// Account name prefixes; the ID follows in decimal.
const (
	prefixYouth   = "youth:"
	prefixReward  = "reward:"
	prefixReserve = "reserve:"
	prefixPot     = "pot:"
)

// YouthAccount is a youth's own account (points earned, wage owed).
func YouthAccount(youthID uint64) Account {
	return Account(prefixYouth + strconv.FormatUint(youthID, 10))
}

// RewardAccount receives the points spent on a reward (a sink).
func RewardAccount(rewardID uint64) Account {
	return Account(prefixReward + strconv.FormatUint(rewardID, 10))
}

// ReservationAccount holds the points a youth reserved for one redemption
// until the coordinator confirms or refuses it.
func ReservationAccount(redemptionID uint64) Account {
	return Account(prefixReserve + strconv.FormatUint(redemptionID, 10))
}

// PotAccount holds the points pledged to a group pot until it is confirmed
// or cancelled.
func PotAccount(rewardID uint64) Account {
	return Account(prefixPot + strconv.FormatUint(rewardID, 10))
}

type accountClass int

const (
	classInvalid accountClass = iota
	classBudget
	classFunding
	classYouth
	classReward
	classReserve
	classPot
)

func (a Account) parse() (accountClass, uint64) {
	switch a {
	case BudgetAccount:
		return classBudget, 0
	case FundingAccount:
		return classFunding, 0
	}
	s := string(a)
	var c accountClass
	switch {
	case strings.HasPrefix(s, prefixYouth):
		c, s = classYouth, s[len(prefixYouth):]
	case strings.HasPrefix(s, prefixReward):
		c, s = classReward, s[len(prefixReward):]
	case strings.HasPrefix(s, prefixReserve):
		c, s = classReserve, s[len(prefixReserve):]
	case strings.HasPrefix(s, prefixPot):
		c, s = classPot, s[len(prefixPot):]
	default:
		return classInvalid, 0
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 || strconv.FormatUint(id, 10) != s { // canonical decimal only
		return classInvalid, 0
	}
	return c, id
}

// Valid reports whether a is a well-formed account name.
func (a Account) Valid() bool { c, _ := a.parse(); return c != classInvalid }

// YouthID returns the youth of a youth account.
func (a Account) YouthID() (uint64, bool) {
	c, id := a.parse()
	return id, c == classYouth
}

// MayGoNegative reports whether a's balance may drop below zero: only the
// budget and funding accounts may; youth, reward, reservation and pot
// accounts never do.
func (a Account) MayGoNegative() bool {
	c, _ := a.parse()
	return c == classBudget || c == classFunding
}

// Transfer kinds.
const (
	KindTaskPoints = "task_points" // budget → youth, points for an approved task
	KindTaskWage   = "task_wage"   // budget → youth in øre for worked minutes (youth → budget reverses one)
	KindReserve    = "reserve"     // youth → reservation, a requested place
	KindRedeem     = "redeem"      // reservation or pot → reward, a confirmed place or pot
	KindRelease    = "release"     // reservation → youth, a refused or cancelled request
	KindPot        = "pot"         // youth → pot, a pledge
	KindRefund     = "refund"      // pot or reward → youth, a withdrawn pledge or a cancelled reward
	KindBudget     = "budget"      // funding ↔ budget, the area's allowance or its correction
	KindAdjust     = "adjust"      // budget ↔ youth, a coordinator's correction
)

// Kinds lists every transfer kind, for the UI's translations.
func Kinds() []string {
	return []string{KindTaskPoints, KindTaskWage, KindReserve, KindRedeem, KindRelease, KindPot, KindRefund, KindBudget, KindAdjust}
}

// internalKind reports kinds that only this package's reward operations may
// post, because the redemption records must change with them.
func internalKind(k string) bool {
	switch k {
	case KindReserve, KindRedeem, KindRelease, KindPot, KindRefund:
		return true
	}
	return false
}

// Limits on transfers.
const (
	// MaxAmount bounds one transfer's amount (10 million DKK in øre), so
	// sums of realistic ledgers never overflow.
	MaxAmount int64 = 1_000_000_000
	// MaxKeyLen bounds an idempotency key in bytes.
	MaxKeyLen = 255
	// MaxRefLen bounds a transfer's Ref in bytes.
	MaxRefLen = 200
	// MaxMinutes bounds the minutes of one wage transfer.
	MaxMinutes = 100_000
	// MaxRateOre bounds an hourly rate (10,000 DKK).
	MaxRateOre int64 = 1_000_000
)

// internalKeyPrefix starts every key the reward operations post; Post
// refuses it so callers cannot collide with them.
const internalKeyPrefix = "rw/"

// Transfer is one immutable double-entry posting: Amount leaves From and
// arrives in To, in one Currency, inside one area. Key makes it idempotent.
type Transfer struct {
	ID       uint64   `json:"id"`
	AreaID   uint64   `json:"area"`
	Key      string   `json:"key"`
	Currency Currency `json:"cur"`
	From     Account  `json:"from"`
	To       Account  `json:"to"`
	Amount   int64    `json:"amount"`
	Kind     string   `json:"kind"`
	// Ref names what the transfer is for ("entry:42", "redemption:7").
	Ref string `json:"ref,omitempty"`
	// Minutes worked: required for wage transfers, optional for task
	// points, zero for every other kind.
	Minutes int `json:"minutes,omitempty"`
	// RateOre is the hourly rate in øre, for wage transfers.
	RateOre int64     `json:"rate_ore,omitempty"`
	At      time.Time `json:"at"`
	// By is the user who caused the transfer.
	By uint64 `json:"by,omitempty"`
}

// sameContent reports whether a replayed transfer asks for the same effect
// as the stored one. ID, At and By are not compared: a second coordinator
// retrying the same approval a minute later is a replay, not a new payment.
func sameContent(a, b Transfer) bool {
	return a.AreaID == b.AreaID && a.Key == b.Key && a.Currency == b.Currency && a.From == b.From &&
		a.To == b.To && a.Amount == b.Amount && a.Kind == b.Kind && a.Ref == b.Ref &&
		a.Minutes == b.Minutes && a.RateOre == b.RateOre
}

// WageOre is the pay in øre for minutes at rateOre per hour, rounded half
// up to a whole øre. Wage transfers must carry exactly this amount.
func WageOre(minutes int, rateOre int64) int64 {
	return (int64(minutes)*rateOre + 30) / 60
}

// validText checks a key or reference: valid UTF-8 without control
// characters, at most max bytes.
func validText(field, s string, max int, required bool) error {
	if s == "" {
		if required {
			return invalid(field, "required")
		}
		return nil
	}
	if len(s) > max || !utf8.ValidString(s) {
		return invalid(field, "length")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return invalid(field, "chars")
		}
	}
	return nil
}

// validTransfer checks everything about t that does not need the store:
// positive bounded amount, known currency and kind, well-formed distinct
// accounts that the kind allows, wage fields consistent with the amount.
func validTransfer(t Transfer) error {
	if err := validTransferFields(t); err != nil {
		return err
	}
	from, to, err := transferClasses(t)
	if err != nil {
		return err
	}
	if err := validWorkFields(t); err != nil {
		return err
	}
	route, known := kindRoutes[t.Kind]
	if !known {
		return invalid("kind", "unknown")
	}
	if !route.allows(t.Currency, from, to) {
		return invalid("kind", "accounts")
	}
	return nil
}

// validTransferFields checks the fields every transfer needs: area, key,
// ref, currency, a positive bounded amount and a time.
func validTransferFields(t Transfer) error {
	if t.AreaID == 0 {
		return invalid("area", "required")
	}
	if err := validText("key", t.Key, MaxKeyLen, true); err != nil {
		return err
	}
	if err := validText("ref", t.Ref, MaxRefLen, false); err != nil {
		return err
	}
	if !t.Currency.Valid() {
		return invalid("currency", "unknown")
	}
	if t.Amount <= 0 {
		return invalid("amount", "not_positive")
	}
	if t.Amount > MaxAmount {
		return invalid("amount", "too_large")
	}
	if t.At.IsZero() {
		return invalid("at", "required")
	}
	return nil
}

// transferClasses returns the classes of t's two accounts, refusing
// unknown accounts and a transfer to its own account.
func transferClasses(t Transfer) (from, to accountClass, err error) {
	from, _ = t.From.parse()
	to, _ = t.To.parse()
	if from == classInvalid {
		return 0, 0, invalid("from", "unknown")
	}
	if to == classInvalid {
		return 0, 0, invalid("to", "unknown")
	}
	if t.From == t.To {
		return 0, 0, invalid("to", "same_account")
	}
	return from, to, nil
}

// validWorkFields checks minutes and rate: only task kinds carry minutes,
// only wages a rate, and a wage's amount is its minutes at its rate.
func validWorkFields(t Transfer) error {
	if t.Kind != KindTaskWage && t.RateOre != 0 {
		return invalid("rate", "not_wage")
	}
	if t.Kind != KindTaskWage && t.Kind != KindTaskPoints && t.Minutes != 0 {
		return invalid("minutes", "not_task")
	}
	switch t.Kind {
	case KindTaskPoints:
		if t.Minutes < 0 || t.Minutes > MaxMinutes {
			return invalid("minutes", "range")
		}
	case KindTaskWage:
		if t.Minutes <= 0 || t.Minutes > MaxMinutes {
			return invalid("minutes", "range")
		}
		if t.RateOre <= 0 || t.RateOre > MaxRateOre {
			return invalid("rate", "range")
		}
		if t.Amount != WageOre(t.Minutes, t.RateOre) {
			return invalid("amount", "wage_mismatch")
		}
	}
	return nil
}

// classPair is a transfer's direction: the classes of From and To.
type classPair struct{ from, to accountClass }

// kindRoute is what one kind allows: its currency ("" for either) and
// the directions it may move.
type kindRoute struct {
	cur   Currency
	pairs []classPair
}

// allows reports whether a transfer in cur from → to fits the route.
func (r kindRoute) allows(cur Currency, from, to accountClass) bool {
	if r.cur != "" && cur != r.cur {
		return false
	}
	for _, p := range r.pairs {
		if p.from == from && p.to == to {
			return true
		}
	}
	return false
}

// kindRoutes lists, for every transfer kind, the currency and account
// directions it allows.
var kindRoutes = map[string]kindRoute{
	KindTaskPoints: {Points, []classPair{{classBudget, classYouth}}},
	KindTaskWage:   {Ore, []classPair{{classBudget, classYouth}, {classYouth, classBudget}}},
	KindReserve:    {Points, []classPair{{classYouth, classReserve}}},
	KindRedeem:     {Points, []classPair{{classReserve, classReward}, {classPot, classReward}}},
	KindRelease:    {Points, []classPair{{classReserve, classYouth}}},
	KindPot:        {Points, []classPair{{classYouth, classPot}}},
	KindRefund:     {Points, []classPair{{classPot, classYouth}, {classReward, classYouth}}},
	KindBudget:     {"", []classPair{{classFunding, classBudget}, {classBudget, classFunding}}},
	KindAdjust:     {"", []classPair{{classBudget, classYouth}, {classYouth, classBudget}}},
}

// Post records t inside tx, the caller's transaction, so a payment commits
// or rolls back together with whatever caused it (an approval and its
// participation record). It debits From and credits To by Amount.
//
// t.Key is the idempotency key. If the key was posted before in the area
// with the same content (currency, accounts, amount, kind, ref, minutes,
// rate), Post returns the stored transfer with replay true and changes
// nothing; with different content it returns ErrKeyReused. A refused
// transfer leaves no trace, so retrying its key later may succeed.
//
// Post refuses amounts ≤ 0 or above MaxAmount, unknown currencies, kinds and
// accounts, account pairs the kind does not allow, a zero At, and any debit
// that would take a youth, reservation, pot or reward account below zero
// (*InsufficientFundsError). Only kinds task_points, task_wage, budget and
// adjust may be posted here; the reward kinds belong to the Service's
// reward operations, and keys starting with "rw/" are reserved for them.
// t.ID is assigned; At is stored in UTC.
func Post(tx store.Tx, t Transfer) (posted Transfer, replay bool, err error) {
	if strings.HasPrefix(t.Key, internalKeyPrefix) {
		return Transfer{}, false, fmt.Errorf("post %q: %w", t.Key, invalid("key", "reserved"))
	}
	if internalKind(t.Kind) {
		return Transfer{}, false, fmt.Errorf("post %q: %w", t.Key, invalid("kind", "internal"))
	}
	return post(tx, t)
}

// post is Post without the restrictions that keep callers away from the
// reward kinds and keys.
func post(tx store.Tx, t Transfer) (Transfer, bool, error) {
	t.ID = 0
	t.At = t.At.UTC()
	if err := validTransfer(t); err != nil {
		return Transfer{}, false, fmt.Errorf("post %q: %w", t.Key, err)
	}
	prev, found, err := TransferByKey(tx, t.AreaID, t.Key)
	if err != nil {
		return Transfer{}, false, err
	}
	if found {
		if sameContent(prev, t) {
			return prev, true, nil
		}
		return Transfer{}, false, fmt.Errorf("post %q: %w", t.Key, ErrKeyReused)
	}
	fromBal, err := BalanceTx(tx, t.AreaID, t.From, t.Currency)
	if err != nil {
		return Transfer{}, false, err
	}
	toBal, err := BalanceTx(tx, t.AreaID, t.To, t.Currency)
	if err != nil {
		return Transfer{}, false, err
	}
	if !t.From.MayGoNegative() && fromBal < t.Amount {
		return Transfer{}, false, fmt.Errorf("post %q: %w", t.Key,
			&InsufficientFundsError{Account: t.From, Currency: t.Currency, Balance: fromBal, Amount: t.Amount})
	}
	if fromBal < math.MinInt64+t.Amount || toBal > math.MaxInt64-t.Amount {
		return Transfer{}, false, fmt.Errorf("post %q: %w", t.Key, ErrOverflow)
	}
	id, err := tx.NextID(bucketTransfers)
	if err != nil {
		return Transfer{}, false, err
	}
	t.ID = id
	if err := store.PutJSON(tx, bucketTransfers, store.Key(t.AreaID, id), t); err != nil {
		return Transfer{}, false, err
	}
	if err := tx.Put(bucketKeys, store.Key(t.AreaID, t.Key), store.ID(id)); err != nil {
		return Transfer{}, false, err
	}
	for _, e := range []struct {
		acct  Account
		delta int64
		bal   int64
	}{{t.From, -t.Amount, fromBal - t.Amount}, {t.To, t.Amount, toBal + t.Amount}} {
		if err := tx.Put(bucketEntries, entryKey(t.AreaID, e.acct, id), entryValue(e.delta, t.Currency)); err != nil {
			return Transfer{}, false, err
		}
		if err := tx.Put(bucketBalances, store.Key(t.AreaID, string(e.acct), string(t.Currency)), encodeInt(e.bal)); err != nil {
			return Transfer{}, false, err
		}
	}
	return t, false, nil
}

// BalanceTx is the balance of acct in cur inside tx; zero for an account
// that has never moved.
func BalanceTx(tx store.Tx, area uint64, acct Account, cur Currency) (int64, error) {
	if !cur.Valid() {
		return 0, invalid("currency", "unknown")
	}
	if !acct.Valid() {
		return 0, invalid("account", "unknown")
	}
	v, err := tx.Get(bucketBalances, store.Key(area, string(acct), string(cur)))
	if err != nil || v == nil {
		return 0, err
	}
	n, ok := decodeInt(v)
	if !ok {
		return 0, fmt.Errorf("balance %d/%s/%s: bad value %x", area, acct, cur, v)
	}
	return n, nil
}

// TransferByKey finds the transfer posted in area under an idempotency key
// (for example to check that an approval was paid); found is false when the
// key was never posted.
func TransferByKey(tx store.Tx, area uint64, key string) (t Transfer, found bool, err error) {
	v, err := tx.Get(bucketKeys, store.Key(area, key))
	if err != nil || v == nil {
		return Transfer{}, false, err
	}
	id, err := store.ParseID(v, 0)
	if err != nil {
		return Transfer{}, false, err
	}
	t, ok, err := store.GetJSON[Transfer](tx, bucketTransfers, store.Key(area, id))
	if err != nil {
		return Transfer{}, false, err
	}
	if !ok {
		return Transfer{}, false, fmt.Errorf("key %q names missing transfer %d", key, id)
	}
	return t, true, nil
}
