package points

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// RewardStatus says whether a reward takes requests.
type RewardStatus string

// Reward statuses.
const (
	RewardOpen      RewardStatus = "open"      // takes requests or pledges
	RewardClosed    RewardStatus = "closed"    // takes none; pending requests can still be decided
	RewardCancelled RewardStatus = "cancelled" // called off; every point went back to the youths
)

// RewardStatuses lists the reward statuses, for the UI's translations.
func RewardStatuses() []RewardStatus {
	return []RewardStatus{RewardOpen, RewardClosed, RewardCancelled}
}

// RedemptionStatus is where a youth's request for a place (or pledge to a
// pot) stands.
type RedemptionStatus string

// Redemption statuses. Only requested ones change; the others are final.
const (
	StatusRequested RedemptionStatus = "requested" // points reserved (or pledged), awaiting the coordinator
	StatusConfirmed RedemptionStatus = "confirmed" // the place is the youth's; points spent
	StatusRefused   RedemptionStatus = "refused"   // the coordinator said no; points returned
	StatusCancelled RedemptionStatus = "cancelled" // withdrawn by the youth or the reward was cancelled; points returned
)

// RedemptionStatuses lists the redemption statuses, for the UI's
// translations.
func RedemptionStatuses() []RedemptionStatus {
	return []RedemptionStatus{StatusRequested, StatusConfirmed, StatusRefused, StatusCancelled}
}

// MaxPricePoints bounds a reward's price.
const MaxPricePoints int64 = 1_000_000

// Limits on rewards and requests.
const (
	MaxPlaces        = 1000 // places on one reward
	MaxTitleLen      = 100  // runes in a title
	MaxDescLen       = 2000 // runes in a description
	MaxReasonLen     = 500  // runes in a refusal note
	MaxRequestKeyLen = 200  // bytes in a request or pledge key
)

// Reward is a shared experience in an area's catalogue (a cinema trip, an
// amusement park) that youths pay for with points. An ordinary reward has
// Places seats at PricePoints each; a group pot (Pot) is one outing paid
// together: youths pledge points until the pot holds PricePoints, and Places
// bounds the number of contributors.
type Reward struct {
	ID          uint64       `json:"id"`
	AreaID      uint64       `json:"area"`
	Title       string       `json:"title"`
	Description string       `json:"description,omitempty"`
	PricePoints int64        `json:"price_points"`
	Places      int          `json:"places"`
	Date        people.Date  `json:"date"`
	Status      RewardStatus `json:"status"`
	Pot         bool         `json:"pot,omitempty"`
	// Funded is set when a pot was confirmed.
	Funded  bool      `json:"funded,omitempty"`
	Created time.Time `json:"created"`

	// Booked counts requested and confirmed places (for a pot: the youths
	// who pledged). Computed when read, not stored.
	Booked int `json:"-"`
	// PotPoints is what a pot holds now. Computed when read, not stored.
	PotPoints int64 `json:"-"`
}

// Redemption is one youth's request for a place on a reward, or the sum of
// the youth's pledges to a pot.
type Redemption struct {
	ID       uint64           `json:"id"`
	AreaID   uint64           `json:"area"`
	RewardID uint64           `json:"reward"`
	YouthID  uint64           `json:"youth"`
	Points   int64            `json:"points"`
	Status   RedemptionStatus `json:"status"`
	Pot      bool             `json:"pot,omitempty"`
	// Key is the idempotency key of the request (empty for pots, whose
	// pledges each have their own).
	Key string `json:"key,omitempty"`
	// Reason is the coordinator's note when refusing (the coordinator's own
	// words, shown as typed).
	Reason    string    `json:"reason,omitempty"`
	At        time.Time `json:"at"`
	DecidedBy uint64    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
}

func (r Redemption) active() bool { return r.Status == StatusRequested || r.Status == StatusConfirmed }

func idStr(id uint64) string { return strconv.FormatUint(id, 10) }

// cleanText trims s and checks its length in runes; multiline allows line
// breaks and tabs, other control characters are refused.
func cleanText(field, s string, max int, required, multiline bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", invalid(field, "required")
		}
		return "", nil
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return "", invalid(field, "length")
	}
	for _, r := range s {
		if (r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) || r == 0x7f {
			return "", invalid(field, "chars")
		}
	}
	return s, nil
}

func validRequestKey(key string) error {
	if key == "" {
		return invalid("key", "required")
	}
	return validText("key", key, MaxRequestKeyLen, true)
}

// cleanReward validates the editable fields of r in place.
func cleanReward(r *Reward) error {
	var err error
	if r.Title, err = cleanText("title", r.Title, MaxTitleLen, true, false); err != nil {
		return err
	}
	if r.Description, err = cleanText("description", r.Description, MaxDescLen, false, true); err != nil {
		return err
	}
	if r.PricePoints <= 0 {
		return invalid("price", "not_positive")
	}
	if r.PricePoints > MaxPricePoints {
		return invalid("price", "too_large")
	}
	if r.Places <= 0 {
		return invalid("places", "not_positive")
	}
	if r.Places > MaxPlaces {
		return invalid("places", "too_large")
	}
	return nil
}

// fillStats sets the computed fields of r.
func fillStats(tx store.Tx, r *Reward) error {
	reds, err := rewardRedemptions(tx, r.AreaID, r.ID)
	if err != nil {
		return err
	}
	r.Booked = 0
	for _, d := range reds {
		if d.active() {
			r.Booked++
		}
	}
	r.PotPoints = 0
	if r.Pot {
		r.PotPoints, err = BalanceTx(tx, r.AreaID, PotAccount(r.ID), Points)
	}
	return err
}

// takesRequests reports whether r accepts new requests or pledges today.
func (s *Service) takesRequests(r Reward) bool {
	if r.Status != RewardOpen || r.Funded {
		return false
	}
	return r.Date.IsZero() || !r.Date.Before(people.DateOf(s.now().In(people.Copenhagen)))
}

// CreateReward adds r to area's catalogue, open for requests. ID, AreaID,
// Status, Funded and Created are set here.
// Refuses with invalid input.
func (s *Service) CreateReward(area uint64, r Reward) (Reward, error) {
	if area == 0 {
		return Reward{}, invalid("area", "required")
	}
	if err := cleanReward(&r); err != nil {
		return Reward{}, fmt.Errorf("create reward: %w", err)
	}
	r.AreaID, r.Status, r.Funded, r.Booked, r.PotPoints = area, RewardOpen, false, 0, 0
	r.Created = s.now().UTC()
	err := s.db.Update(func(tx store.Tx) error {
		id, err := tx.NextID(bucketRewards)
		if err != nil {
			return err
		}
		r.ID = id
		return putReward(tx, r)
	})
	if err != nil {
		return Reward{}, fmt.Errorf("create reward: %w", err)
	}
	return r, nil
}

// UpdateReward changes the title, description, price, places and date of
// reward r.ID. Requests already made keep the points they reserved. Places
// cannot drop below the places booked, a pot's price not below what it
// holds, and Pot cannot change. A cancelled reward is ErrAlreadyDecided.
// Refuses with ErrNotFound, ErrAlreadyDecided and invalid input.
func (s *Service) UpdateReward(area uint64, r Reward) (Reward, error) {
	if err := cleanReward(&r); err != nil {
		return Reward{}, fmt.Errorf("update reward %d: %w", r.ID, err)
	}
	var out Reward
	err := s.db.Update(func(tx store.Tx) error {
		old, err := getReward(tx, area, r.ID)
		if err != nil {
			return err
		}
		if old.Status == RewardCancelled {
			return ErrAlreadyDecided
		}
		if old.Pot != r.Pot {
			return invalid("pot", "immutable")
		}
		if err := fillStats(tx, &old); err != nil {
			return err
		}
		if r.Places < old.Booked {
			return invalid("places", "below_booked")
		}
		if old.Pot && old.Funded && r.PricePoints != old.PricePoints {
			return invalid("price", "funded")
		}
		if old.Pot && r.PricePoints < old.PotPoints {
			return invalid("price", "below_pot")
		}
		old.Title, old.Description, old.PricePoints, old.Places, old.Date = r.Title, r.Description, r.PricePoints, r.Places, r.Date
		out = old
		return putReward(tx, old)
	})
	if err != nil {
		return Reward{}, fmt.Errorf("update reward %d: %w", r.ID, err)
	}
	return out, nil
}

// setStatus moves reward id to status open or closed.
func (s *Service) setStatus(area, id uint64, st RewardStatus) (Reward, error) {
	var out Reward
	err := s.db.Update(func(tx store.Tx) error {
		r, err := getReward(tx, area, id)
		if err != nil {
			return err
		}
		if r.Status == RewardCancelled || (st == RewardOpen && r.Funded) {
			return ErrAlreadyDecided
		}
		r.Status = st
		if err := putReward(tx, r); err != nil {
			return err
		}
		out = r
		return fillStats(tx, &out)
	})
	if err != nil {
		return Reward{}, fmt.Errorf("set reward %d %s: %w", id, st, err)
	}
	return out, nil
}

// CloseReward stops new requests and pledges; requests already made can
// still be confirmed or refused. Closing a closed reward changes nothing; a
// cancelled one is ErrAlreadyDecided.
// Refuses with ErrNotFound, ErrAlreadyDecided.
func (s *Service) CloseReward(area, id uint64) (Reward, error) {
	return s.setStatus(area, id, RewardClosed)
}

// ReopenReward takes requests again on a closed reward. A cancelled reward
// or a funded pot is ErrAlreadyDecided.
// Refuses with ErrNotFound, ErrAlreadyDecided.
func (s *Service) ReopenReward(area, id uint64) (Reward, error) {
	return s.setStatus(area, id, RewardOpen)
}

// Reward returns one reward of area, or ErrNotFound.
func (s *Service) Reward(area, id uint64) (Reward, error) {
	var out Reward
	err := s.db.View(func(tx store.Tx) error {
		var err error
		if out, err = getReward(tx, area, id); err != nil {
			return err
		}
		return fillStats(tx, &out)
	})
	if err != nil {
		return Reward{}, err
	}
	return out, nil
}

// Rewards lists area's catalogue in ID order, with Booked and PotPoints.
func (s *Service) Rewards(area uint64) ([]Reward, error) {
	var out []Reward
	err := s.db.View(func(tx store.Tx) error {
		out = nil
		if err := store.ScanJSON(tx, bucketRewards, store.ID(area), func(_ []byte, r Reward) error {
			out = append(out, r)
			return nil
		}); err != nil {
			return err
		}
		for i := range out {
			if err := fillStats(tx, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rewards of area %d: %w", area, err)
	}
	return out, nil
}

// Request asks for a place on an ordinary reward for youthID and reserves
// its price from the youth's points (youth → reservation account), in one
// transaction. key is the request's idempotency key (a form token): the
// same key again returns the redemption it created, whatever its status
// now; with another reward or youth it is ErrKeyReused.
//
// Refused with ErrNotFound, ErrWrongKind (a pot: pledge instead), ErrClosed,
// ErrAlreadyRequested (the youth holds a place already), ErrFull (requested
// plus confirmed places fill the reward) or ErrInsufficientFunds.
func (s *Service) Request(area, rewardID, youthID uint64, key string) (Redemption, error) {
	if err := validRequestKey(key); err != nil {
		return Redemption{}, fmt.Errorf("request reward %d: %w", rewardID, err)
	}
	if youthID == 0 {
		return Redemption{}, fmt.Errorf("request reward %d: %w", rewardID, invalid("youth", "required"))
	}
	var out Redemption
	err := s.db.Update(func(tx store.Tx) error {
		prev, found, err := redemptionByKey(tx, area, "request", key)
		if err != nil {
			return err
		}
		if found {
			if prev.RewardID != rewardID || prev.YouthID != youthID {
				return ErrKeyReused
			}
			out = prev
			return nil
		}
		rw, err := getReward(tx, area, rewardID)
		if err != nil {
			return err
		}
		if rw.Pot {
			return ErrWrongKind
		}
		if !s.takesRequests(rw) {
			return ErrClosed
		}
		if err := placeFor(tx, area, rewardID, youthID, rw.Places); err != nil {
			return err
		}
		id, err := tx.NextID(bucketRedemptions)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if _, _, err := post(tx, Transfer{
			AreaID: area, Key: internalKeyPrefix + "reserve/" + idStr(id), Currency: Points,
			From: YouthAccount(youthID), To: ReservationAccount(id), Amount: rw.PricePoints,
			Kind: KindReserve, Ref: "redemption:" + idStr(id), At: now, By: youthID,
		}); err != nil {
			return err
		}
		out = Redemption{ID: id, AreaID: area, RewardID: rewardID, YouthID: youthID, Points: rw.PricePoints,
			Status: StatusRequested, Key: key, At: now}
		if err := putRedemption(tx, out, true); err != nil {
			return err
		}
		return tx.Put(bucketRedKeys, store.Key(area, "request", key), store.ID(id))
	})
	if err != nil {
		return Redemption{}, fmt.Errorf("request reward %d: %w", rewardID, err)
	}
	return out, nil
}

// placeFor refuses a request for reward rewardID when youthID already
// holds a place on it or its places are taken.
func placeFor(tx store.Tx, area, rewardID, youthID uint64, places int) error {
	reds, err := rewardRedemptions(tx, area, rewardID)
	if err != nil {
		return err
	}
	booked := 0
	for _, d := range reds {
		if d.active() {
			if d.YouthID == youthID {
				return ErrAlreadyRequested
			}
			booked++
		}
	}
	if booked >= places {
		return ErrFull
	}
	return nil
}

// decide runs fn on a requested redemption in one transaction; fn posts the
// ledger effect and sets the new status. A decided redemption is
// ErrAlreadyDecided; when youth is non-zero, another youth's redemption is
// ErrNotFound.
func (s *Service) decide(area, id, youth uint64, fn func(tx store.Tx, r *Redemption, now time.Time) error) (Redemption, error) {
	var out Redemption
	err := s.db.Update(func(tx store.Tx) error {
		r, err := getRedemption(tx, area, id)
		if err != nil {
			return err
		}
		if youth != 0 && r.YouthID != youth {
			return fmt.Errorf("redemption %d: %w", id, ErrNotFound)
		}
		if r.Status != StatusRequested {
			return ErrAlreadyDecided
		}
		now := s.now().UTC()
		if err := fn(tx, &r, now); err != nil {
			return err
		}
		r.DecidedAt = now
		out = r
		if err := putRedemption(tx, r, false); err != nil {
			return err
		}
		if youth != 0 {
			return nil // the youth withdrew it: they know
		}
		rw, err := getReward(tx, area, r.RewardID)
		if err != nil {
			return err
		}
		return notifyDecided(tx, rw, r)
	})
	if err != nil {
		return Redemption{}, fmt.Errorf("decide: %w", err)
	}
	return out, nil
}

// giveBack returns a requested redemption's points to the youth: from the
// reservation (release) or, for a pot, from the pot (refund).
func giveBack(tx store.Tx, r Redemption, now time.Time, by uint64) error {
	t := Transfer{
		AreaID: r.AreaID, Key: internalKeyPrefix + "release/" + idStr(r.ID), Currency: Points,
		From: ReservationAccount(r.ID), To: YouthAccount(r.YouthID), Amount: r.Points,
		Kind: KindRelease, Ref: "redemption:" + idStr(r.ID), At: now, By: by,
	}
	if r.Status == StatusConfirmed {
		t.Key, t.From, t.Kind = internalKeyPrefix+"refund/"+idStr(r.ID), RewardAccount(r.RewardID), KindRefund
	} else if r.Pot {
		t.Key, t.From, t.Kind = internalKeyPrefix+"refund/"+idStr(r.ID), PotAccount(r.RewardID), KindRefund
	}
	_, _, err := post(tx, t)
	return err
}

// Confirm gives the youth the place: the reserved points move to the
// reward's account. Confirming again is ErrAlreadyDecided and moves
// nothing. Pot pledges are confirmed together with ConfirmPot
// (ErrWrongKind here).
// Refuses with ErrNotFound, ErrAlreadyDecided, ErrWrongKind.
func (s *Service) Confirm(area, redemptionID, by uint64) (Redemption, error) {
	return s.decide(area, redemptionID, 0, func(tx store.Tx, r *Redemption, now time.Time) error {
		if r.Pot {
			return ErrWrongKind
		}
		if _, _, err := post(tx, Transfer{
			AreaID: area, Key: internalKeyPrefix + "redeem/" + idStr(r.ID), Currency: Points,
			From: ReservationAccount(r.ID), To: RewardAccount(r.RewardID), Amount: r.Points,
			Kind: KindRedeem, Ref: "redemption:" + idStr(r.ID), At: now, By: by,
		}); err != nil {
			return err
		}
		r.Status, r.DecidedBy = StatusConfirmed, by
		return nil
	})
}

// Refuse turns a request (or a youth's pledges to an undecided pot) down
// and returns the points to the youth. reason is the coordinator's note.
// Refuses with ErrNotFound, ErrAlreadyDecided and invalid input.
func (s *Service) Refuse(area, redemptionID, by uint64, reason string) (Redemption, error) {
	reason, err := cleanText("reason", reason, MaxReasonLen, false, true)
	if err != nil {
		return Redemption{}, fmt.Errorf("refuse redemption %d: %w", redemptionID, err)
	}
	return s.decide(area, redemptionID, 0, func(tx store.Tx, r *Redemption, now time.Time) error {
		if err := giveBack(tx, *r, now, by); err != nil {
			return err
		}
		r.Status, r.DecidedBy, r.Reason = StatusRefused, by, reason
		return nil
	})
}

// Cancel withdraws youthID's own request (or pledges to an undecided pot)
// while it is still requested, returning the points. Another youth's
// redemption is ErrNotFound.
// Refuses with ErrNotFound, ErrAlreadyDecided.
func (s *Service) Cancel(area, redemptionID, youthID uint64) (Redemption, error) {
	if youthID == 0 {
		return Redemption{}, invalid("youth", "required")
	}
	return s.decide(area, redemptionID, youthID, func(tx store.Tx, r *Redemption, now time.Time) error {
		if err := giveBack(tx, *r, now, youthID); err != nil {
			return err
		}
		r.Status, r.DecidedBy = StatusCancelled, youthID
		return nil
	})
}

// Pledge moves points from youthID into a group pot (kind pot), adding to
// the youth's requested redemption on it. key is the pledge's idempotency
// key: the same key with the same reward, youth and points returns the
// youth's redemption and moves nothing; with anything else it is
// ErrKeyReused.
//
// Refused with ErrNotFound, ErrWrongKind (not a pot), ErrClosed, ErrFull
// (the pot holds its price, or Places youths already pledged),
// ErrOverPledge (more than the pot still needs) or ErrInsufficientFunds.
func (s *Service) Pledge(area, rewardID, youthID uint64, points int64, key string) (Redemption, error) {
	if err := validRequestKey(key); err != nil {
		return Redemption{}, fmt.Errorf("pledge to reward %d: %w", rewardID, err)
	}
	if youthID == 0 {
		return Redemption{}, fmt.Errorf("pledge to reward %d: %w", rewardID, invalid("youth", "required"))
	}
	if points <= 0 {
		return Redemption{}, fmt.Errorf("pledge to reward %d: %w", rewardID, invalid("amount", "not_positive"))
	}
	op := &pledgeOp{s: s, area: area, rewardID: rewardID, youthID: youthID, points: points, key: key,
		ledgerKey: internalKeyPrefix + "pledge/" + key}
	err := s.db.Update(op.run)
	if err != nil {
		return Redemption{}, fmt.Errorf("pledge to reward %d: %w", rewardID, err)
	}
	return op.out, nil
}

// pledgeOp is one Pledge inside its transaction (run may be retried: each
// run starts from its inputs).
type pledgeOp struct {
	s                       *Service
	tx                      store.Tx
	area, rewardID, youthID uint64
	points                  int64
	key, ledgerKey          string

	rw   Reward
	mine *Redemption // the youth's requested redemption on the pot, if any
	out  Redemption
}

// run replays a known key or books a new pledge in tx.
func (op *pledgeOp) run(tx store.Tx) error {
	op.tx, op.mine, op.out = tx, nil, Redemption{}
	area, key := op.area, op.key
	prev, found, err := redemptionByKey(tx, area, "pledge", key)
	if err != nil {
		return err
	}
	if found {
		return op.replay(prev)
	}
	for _, step := range []func() error{op.checkRoom, op.findPlace, op.book} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// replay returns prev when the key's transfer is this same pledge, else
// ErrKeyReused.
func (op *pledgeOp) replay(prev Redemption) error {
	youthID, rewardID, points := op.youthID, op.rewardID, op.points
	t, ok, err := TransferByKey(op.tx, op.area, op.ledgerKey)
	if err != nil {
		return err
	}
	if !ok || t.From != YouthAccount(youthID) || t.To != PotAccount(rewardID) || t.Amount != points {
		return ErrKeyReused
	}
	op.out = prev
	return nil
}

// checkRoom refuses a reward that is no open pot, or a pot that is full
// or would hold more than its price.
func (op *pledgeOp) checkRoom() error {
	tx, area, rewardID, points := op.tx, op.area, op.rewardID, op.points
	rw, err := getReward(tx, area, rewardID)
	if err != nil {
		return err
	}
	op.rw = rw
	if !rw.Pot {
		return ErrWrongKind
	}
	if !op.s.takesRequests(rw) {
		return ErrClosed
	}
	pot, err := BalanceTx(tx, area, PotAccount(rewardID), Points)
	if err != nil {
		return err
	}
	if pot >= rw.PricePoints {
		return ErrFull
	}
	if pot+points > rw.PricePoints {
		return ErrOverPledge
	}
	return nil
}

// findPlace finds the youth's requested redemption on the pot, or refuses
// a new contributor when Places youths already pledged.
func (op *pledgeOp) findPlace() error {
	youthID := op.youthID
	reds, err := rewardRedemptions(op.tx, op.area, op.rewardID)
	if err != nil {
		return err
	}
	var mine *Redemption
	contributors := 0
	for i, d := range reds {
		if d.Status == StatusRequested {
			contributors++
			if d.YouthID == youthID {
				mine = &reds[i]
			}
		}
	}
	if mine == nil && contributors >= op.rw.Places {
		return ErrFull
	}
	op.mine = mine
	return nil
}

// book posts the pledge's transfer and adds it to the youth's redemption
// (a new one on a first pledge) and the key index.
func (op *pledgeOp) book() error {
	tx, area, rewardID, youthID, points, key, ledgerKey := op.tx, op.area, op.rewardID, op.youthID, op.points, op.key, op.ledgerKey
	now := op.s.now().UTC()
	mine := op.mine
	isNew := mine == nil
	if isNew {
		id, err := tx.NextID(bucketRedemptions)
		if err != nil {
			return err
		}
		mine = &Redemption{ID: id, AreaID: area, RewardID: rewardID, YouthID: youthID,
			Status: StatusRequested, Pot: true, At: now}
	}
	if _, _, err := post(tx, Transfer{
		AreaID: area, Key: ledgerKey, Currency: Points,
		From: YouthAccount(youthID), To: PotAccount(rewardID), Amount: points,
		Kind: KindPot, Ref: "redemption:" + idStr(mine.ID), At: now, By: youthID,
	}); err != nil {
		return err
	}
	mine.Points += points
	op.out = *mine
	if err := putRedemption(tx, op.out, isNew); err != nil {
		return err
	}
	return tx.Put(bucketRedKeys, store.Key(area, "pledge", key), store.ID(mine.ID))
}

// ConfirmPot books the outing once the pot holds its price: the pot's
// points move to the reward's account, every contributor's redemption is
// confirmed and the reward is closed and marked Funded. Before the price is
// reached it is ErrPotNotReached; a funded or cancelled pot is
// ErrAlreadyDecided; an ordinary reward is ErrWrongKind.
// Refuses with ErrNotFound, ErrWrongKind, ErrPotNotReached,
// ErrAlreadyDecided.
func (s *Service) ConfirmPot(area, rewardID, by uint64) (Reward, error) {
	var out Reward
	err := s.db.Update(func(tx store.Tx) error {
		rw, err := getReward(tx, area, rewardID)
		if err != nil {
			return err
		}
		if !rw.Pot {
			return ErrWrongKind
		}
		if rw.Funded || rw.Status == RewardCancelled {
			return ErrAlreadyDecided
		}
		pot, err := BalanceTx(tx, area, PotAccount(rewardID), Points)
		if err != nil {
			return err
		}
		if pot < rw.PricePoints {
			return ErrPotNotReached
		}
		now := s.now().UTC()
		if _, _, err := post(tx, Transfer{
			AreaID: area, Key: internalKeyPrefix + "potconfirm/" + idStr(rewardID), Currency: Points,
			From: PotAccount(rewardID), To: RewardAccount(rewardID), Amount: pot,
			Kind: KindRedeem, Ref: "reward:" + idStr(rewardID), At: now, By: by,
		}); err != nil {
			return err
		}
		reds, err := rewardRedemptions(tx, area, rewardID)
		if err != nil {
			return err
		}
		for _, d := range reds {
			if d.Status != StatusRequested {
				continue
			}
			d.Status, d.DecidedBy, d.DecidedAt = StatusConfirmed, by, now
			if err := putRedemption(tx, d, false); err != nil {
				return err
			}
			if err := notifyDecided(tx, rw, d); err != nil {
				return err
			}
		}
		rw.Funded, rw.Status = true, RewardClosed
		if err := putReward(tx, rw); err != nil {
			return err
		}
		out = rw
		return fillStats(tx, &out)
	})
	if err != nil {
		return Reward{}, fmt.Errorf("confirm pot %d: %w", rewardID, err)
	}
	return out, nil
}

// CancelReward calls a reward off: every requested place is released,
// every confirmed place and every pledge refunded, each to the youth who
// paid exactly what they paid, and all those redemptions are cancelled.
// Cancelling twice is ErrAlreadyDecided.
// Refuses with ErrNotFound, ErrAlreadyDecided.
func (s *Service) CancelReward(area, rewardID, by uint64) (Reward, error) {
	return s.cancelReward(area, rewardID, by, false)
}

// CancelPot is CancelReward for a group pot: every contributor gets back
// exactly what they pledged (or, if the pot was already confirmed, what
// they paid). An ordinary reward is ErrWrongKind.
// Refuses with ErrNotFound, ErrWrongKind, ErrAlreadyDecided.
func (s *Service) CancelPot(area, rewardID, by uint64) (Reward, error) {
	return s.cancelReward(area, rewardID, by, true)
}

func (s *Service) cancelReward(area, rewardID, by uint64, potOnly bool) (Reward, error) {
	var out Reward
	err := s.db.Update(func(tx store.Tx) error {
		rw, err := getReward(tx, area, rewardID)
		if err != nil {
			return err
		}
		if potOnly && !rw.Pot {
			return ErrWrongKind
		}
		if rw.Status == RewardCancelled {
			return ErrAlreadyDecided
		}
		reds, err := rewardRedemptions(tx, area, rewardID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		for _, d := range reds {
			if !d.active() {
				continue
			}
			if err := giveBack(tx, d, now, by); err != nil {
				return err
			}
			d.Status, d.DecidedBy, d.DecidedAt = StatusCancelled, by, now
			if err := putRedemption(tx, d, false); err != nil {
				return err
			}
			if err := notifyDecided(tx, rw, d); err != nil {
				return err
			}
		}
		rw.Status = RewardCancelled
		if err := putReward(tx, rw); err != nil {
			return err
		}
		out = rw
		return fillStats(tx, &out)
	})
	if err != nil {
		return Reward{}, fmt.Errorf("cancel reward %d: %w", rewardID, err)
	}
	return out, nil
}

// Redemption returns one redemption of area, or ErrNotFound.
func (s *Service) Redemption(area, id uint64) (Redemption, error) {
	var out Redemption
	err := s.db.View(func(tx store.Tx) error {
		var err error
		out, err = getRedemption(tx, area, id)
		return err
	})
	return out, err
}

// Redemptions lists area's redemptions with the given status (all when
// status is ""), oldest first: the coordinator's queue.
func (s *Service) Redemptions(area uint64, status RedemptionStatus) ([]Redemption, error) {
	var out []Redemption
	err := s.db.View(func(tx store.Tx) error {
		out = nil
		return store.ScanJSON(tx, bucketRedemptions, store.ID(area), func(_ []byte, r Redemption) error {
			if status == "" || r.Status == status {
				out = append(out, r)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("redemptions of area %d: %w", area, err)
	}
	return out, nil
}

// YouthRedemptions lists one youth's redemptions in area, newest first.
func (s *Service) YouthRedemptions(area, youth uint64) ([]Redemption, error) {
	var out []Redemption
	err := s.db.View(func(tx store.Tx) error {
		var err error
		out, err = youthRedemptions(tx, area, youth)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("redemptions of youth %d in area %d: %w", youth, area, err)
	}
	slices.Reverse(out)
	return out, nil
}

// notifyDecided tells the youth of redemption r, in the decision's
// transaction, that their place on reward rw was confirmed, refused (with
// the coordinator's reason) or cancelled with the reward; the points
// given back are in the message. It names the reward and its date only.
func notifyDecided(tx store.Tx, rw Reward, r Redemption) error {
	kind := map[RedemptionStatus]string{StatusConfirmed: notify.KindRewardConfirmed,
		StatusRefused: notify.KindRewardRefused, StatusCancelled: notify.KindRewardCancelled}[r.Status]
	if kind == "" {
		return nil
	}
	p := map[string]string{"reward": rw.Title, "points": strconv.FormatInt(r.Points, 10)}
	if !rw.Date.IsZero() {
		p["date"] = rw.Date.String()
	}
	if r.Status == StatusRefused && r.Reason != "" {
		p["reason"] = r.Reason
	}
	return notify.Enqueue(tx, notify.Message{UserID: r.YouthID, AreaID: r.AreaID, Kind: kind, Params: p,
		ToYouth: true, Created: r.DecidedAt, Key: kind + ":redemption:" + idStr(r.ID)})
}
