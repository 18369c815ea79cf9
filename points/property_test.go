package points

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fritidsjob/fault"
	"fritidsjob/internal/testkit"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

var (
	propSeed  = flag.Uint64("points.seed", 0, "replay one property-test sequence with this seed")
	propSeqs  = flag.Int("points.seqs", 2000, "property-test sequences (200 with -short)")
	propSteps = flag.Int("points.steps", 0, "steps per property-test sequence (default 60, 30 with -race)")
)

func stepsPerSequence() int {
	switch {
	case *propSteps > 0:
		return *propSteps
	case raceOn:
		return 30
	}
	return 60
}

// The model: what the ledger and the catalogue must hold after each step,
// computed without the package.

type mReward struct {
	id            uint64
	price         int64
	places        int
	pot, funded   bool
	status        RewardStatus
	potBal, rwBal int64
}

type mRed struct {
	id, reward, youth uint64
	points            int64
	status            RedemptionStatus
	pot               bool
}

type mPledge struct {
	reward, youth uint64
	points        int64
	red           uint64
}

type model struct {
	area              uint64
	youths            []uint64
	pts, ore          map[uint64]int64
	budgetPts, bOre   int64
	keys              map[string]Transfer
	rewards           map[uint64]*mReward
	rewardIDs         []uint64
	reds              map[uint64]*mRed
	redIDs            []uint64
	reqKeys           map[string]uint64
	pledgeKeys        map[string]mPledge
	approvalsPaid     map[string]int64
	foreignRedemption uint64
}

func newModel(area uint64, foreign uint64) *model {
	return &model{
		area: area, youths: []uint64{11, 12, 13, 14},
		pts: map[uint64]int64{}, ore: map[uint64]int64{},
		keys: map[string]Transfer{}, rewards: map[uint64]*mReward{}, reds: map[uint64]*mRed{},
		reqKeys: map[string]uint64{}, pledgeKeys: map[string]mPledge{}, approvalsPaid: map[string]int64{},
		foreignRedemption: foreign,
	}
}

func (m *model) liveOn(reward uint64) (n int) {
	for _, d := range m.reds {
		if d.reward == reward && (d.status == StatusRequested || d.status == StatusConfirmed) {
			n++
		}
	}
	return n
}

func (m *model) requestedOn(reward uint64) (n int) {
	for _, d := range m.reds {
		if d.reward == reward && d.status == StatusRequested {
			n++
		}
	}
	return n
}

func (m *model) find(reward, youth uint64, statuses ...RedemptionStatus) *mRed {
	for _, d := range m.reds {
		if d.reward == reward && d.youth == youth && slices.Contains(statuses, d.status) {
			return d
		}
	}
	return nil
}

func (m *model) reserved(youth uint64) (n int64) {
	for _, d := range m.reds {
		if d.youth == youth && d.status == StatusRequested {
			n += d.points
		}
	}
	return n
}

// giveBack mirrors the points returned when a live redemption ends.
func (m *model) giveBack(d *mRed) {
	m.pts[d.youth] += d.points
	rw := m.rewards[d.reward]
	switch {
	case d.status == StatusConfirmed:
		rw.rwBal -= d.points
	case d.pot:
		rw.potBal -= d.points
	}
}

// propRun is one random sequence against one area of a shared database.
type propRun struct {
	t     *testing.T
	seed  uint64
	r     *rand.Rand
	db    store.DB
	s     *Service
	clk   *testkit.Clock
	m     *model
	step  int
	steps int
	op    string
	stats map[string]int
}

func (p *propRun) fail(format string, a ...any) {
	p.t.Helper()
	p.t.Fatalf("seed %d (replay: go test ./points -run TestLedgerProperty -args -points.seed=%d -points.steps=%d) step %d op %s: %s",
		p.seed, p.seed, p.steps, p.step, p.op, fmt.Sprintf(format, a...))
}

// expect compares an operation's error with the model's prediction.
func (p *propRun) expect(got, want error) bool {
	p.t.Helper()
	if want == nil {
		if got != nil {
			p.fail("unexpected error %v", got)
		}
		p.stats[p.op+":ok"]++
		return true
	}
	if !errors.Is(got, want) {
		p.fail("error %v, want %v", got, want)
	}
	outcome := strings.TrimPrefix(fault.CodeOf(want), "points.")
	if want == ErrInvalid {
		outcome = "invalid"
	}
	p.stats[p.op+":"+outcome]++
	return false
}

func (p *propRun) pickYouth() uint64 { return p.m.youths[p.r.IntN(len(p.m.youths))] }

// pickReward returns a reward of this area, of the preferred kind four
// times in five when there is one.
func (p *propRun) pickReward(preferPot bool) *mReward {
	if len(p.m.rewardIDs) == 0 {
		return nil
	}
	if p.r.IntN(5) > 0 {
		var ids []uint64
		for _, id := range p.m.rewardIDs {
			if p.m.rewards[id].pot == preferPot {
				ids = append(ids, id)
			}
		}
		if len(ids) > 0 {
			return p.m.rewards[ids[p.r.IntN(len(ids))]]
		}
	}
	return p.m.rewards[p.m.rewardIDs[p.r.IntN(len(p.m.rewardIDs))]]
}

// pickRedemption returns an ID from the model, or (rarely) one that is not
// in this area.
func (p *propRun) pickRedemption() (uint64, *mRed) {
	if len(p.m.redIDs) == 0 || p.r.IntN(12) == 0 {
		// Draw first so a replay (which has no foreign ID) takes the same path.
		if p.r.IntN(2) == 0 && p.m.foreignRedemption != 0 {
			return p.m.foreignRedemption, nil
		}
		return 1 << 50, nil
	}
	id := p.m.redIDs[p.r.IntN(len(p.m.redIDs))]
	return id, p.m.reds[id]
}

func (p *propRun) now() time.Time { return p.clk.Now() }

func (p *propRun) post(t Transfer) (Transfer, bool, error) {
	var got Transfer
	var replay bool
	err := p.db.Update(func(tx store.Tx) error {
		got, replay = Transfer{}, false
		var err error
		got, replay, err = Post(tx, t)
		return err
	})
	return got, replay, err
}

// ledgerPost posts a payment the model predicts from its key history.
func (p *propRun) ledgerPost(t Transfer, apply func()) {
	m := p.m
	got, replay, err := p.post(t)
	prev, seen := m.keys[t.Key]
	switch {
	case seen && sameContentModel(prev, t):
		if p.expect(err, nil) && (!replay || got.ID != prev.ID) {
			p.fail("replay of %q = %+v replay=%v, want transfer %d", t.Key, got, replay, prev.ID)
		}
	case seen:
		p.expect(err, ErrKeyReused)
	default:
		if p.expect(err, nil) {
			if replay || got.ID == 0 {
				p.fail("first post of %q reported replay=%v id=%d", t.Key, replay, got.ID)
			}
			m.keys[t.Key] = got
			apply()
		}
	}
}

// sameContentModel is the model's notion of an identical retry: the same
// amount, accounts and wage fields (the test never varies the rest).
func sameContentModel(a, b Transfer) bool {
	return a.Amount == b.Amount && a.From == b.From && a.To == b.To && a.Minutes == b.Minutes && a.RateOre == b.RateOre
}

func (p *propRun) opPayPoints() {
	n := p.r.IntN(10) + 1
	key := fmt.Sprintf("approve:entry:%d", n)
	y := p.m.youths[n%len(p.m.youths)]
	amt := int64(8 * n)
	if p.r.IntN(10) == 0 {
		amt++ // the same key with another amount
	}
	p.ledgerPost(Transfer{AreaID: p.m.area, Key: key, Currency: Points, From: BudgetAccount, To: YouthAccount(y),
		Amount: amt, Kind: KindTaskPoints, Ref: fmt.Sprintf("entry:%d", n), At: p.now(), By: 1}, func() {
		p.m.pts[y] += amt
		p.m.budgetPts -= amt
		p.m.approvalsPaid[key] += amt
	})
}

func (p *propRun) opPayWage() {
	n := p.r.IntN(8) + 1
	key := fmt.Sprintf("wage:entry:%d", n)
	y := p.m.youths[(n+1)%len(p.m.youths)]
	rate := []int64{6000, 7325, 5999}[n%3]
	minutes := 10 + 7*n
	if p.r.IntN(10) == 0 {
		minutes++
	}
	amt := (int64(minutes)*rate + 30) / 60
	p.ledgerPost(Transfer{AreaID: p.m.area, Key: key, Currency: Ore, From: BudgetAccount, To: YouthAccount(y),
		Amount: amt, Kind: KindTaskWage, Minutes: minutes, RateOre: rate, Ref: fmt.Sprintf("entry:%d", n), At: p.now(), By: 1}, func() {
		p.m.ore[y] += amt
		p.m.bOre -= amt
	})
}

// opAdjust gives a youth points or takes them back, often more than the
// youth has (an overdraft attempt).
func (p *propRun) opAdjust() {
	y := p.pickYouth()
	cur := Points
	bal := &p.m.pts
	budget := &p.m.budgetPts
	if p.r.IntN(3) == 0 {
		cur, bal, budget = Ore, &p.m.ore, &p.m.bOre
	}
	key := fmt.Sprintf("adjust:%d", p.step)
	if p.r.IntN(3) == 0 { // a gift
		amt := int64(1 + p.r.IntN(40))
		p.ledgerPost(Transfer{AreaID: p.m.area, Key: key, Currency: cur, From: BudgetAccount, To: YouthAccount(y),
			Amount: amt, Kind: KindAdjust, At: p.now(), By: 1}, func() { (*bal)[y] += amt; *budget -= amt })
		return
	}
	have := (*bal)[y]
	amt := have + 1 + int64(p.r.IntN(5))
	if have > 0 && p.r.IntN(2) == 0 {
		amt = 1 + p.r.Int64N(have)
	}
	_, _, err := p.post(Transfer{AreaID: p.m.area, Key: key, Currency: cur, From: YouthAccount(y), To: BudgetAccount,
		Amount: amt, Kind: KindAdjust, At: p.now(), By: 1})
	if amt > have {
		p.expect(err, ErrInsufficientFunds)
		return
	}
	if p.expect(err, nil) {
		(*bal)[y] -= amt
		*budget += amt
		p.m.keys[key] = Transfer{Key: key}
	}
}

func (p *propRun) opInvalid() {
	y := p.pickYouth()
	base := Transfer{AreaID: p.m.area, Key: fmt.Sprintf("bad:%d", p.step), Currency: Points, From: BudgetAccount,
		To: YouthAccount(y), Amount: 3, Kind: KindTaskPoints, At: p.now()}
	switch p.r.IntN(6) {
	case 0:
		base.Amount = 0
	case 1:
		base.Amount = -1 - p.r.Int64N(100)
	case 2:
		base.Currency = "dkk"
	case 3:
		base.From = base.To
	case 4:
		base.Kind, base.To = KindReserve, ReservationAccount(1)
	case 5:
		base.Key = "rw/reserve/1"
	}
	_, _, err := p.post(base)
	p.expect(err, ErrInvalid)
}

func (p *propRun) opCreateReward() { p.createReward(p.r.IntN(3) == 0) }

func (p *propRun) createReward(pot bool) {
	if len(p.m.rewardIDs) >= 6 {
		return
	}
	in := Reward{Title: fmt.Sprintf("Oplevelse %d", p.step), Pot: pot}
	if pot {
		in.PricePoints, in.Places = int64(20+p.r.IntN(40)), 2+p.r.IntN(3)
	} else {
		in.PricePoints, in.Places = int64(5+p.r.IntN(25)), 1+p.r.IntN(3)
	}
	got, err := p.s.CreateReward(p.m.area, in)
	if p.expect(err, nil) {
		p.m.rewards[got.ID] = &mReward{id: got.ID, price: in.PricePoints, places: in.Places, pot: pot, status: RewardOpen}
		p.m.rewardIDs = append(p.m.rewardIDs, got.ID)
	}
}

func (p *propRun) opRequest() {
	rw := p.pickReward(false)
	if rw == nil {
		p.opCreateReward()
		return
	}
	m, y := p.m, p.pickYouth()
	key := fmt.Sprintf("req:%d", p.r.IntN(15))
	got, err := p.s.Request(m.area, rw.id, y, key)
	var want error
	if id, ok := m.reqKeys[key]; ok {
		d := m.reds[id]
		if d.reward != rw.id || d.youth != y {
			p.expect(err, ErrKeyReused)
			return
		}
		if p.expect(err, nil) && (got.ID != id || got.Status != d.status || got.Points != d.points) {
			p.fail("replayed request = %+v, model %+v", got, *d)
		}
		return
	}
	switch {
	case rw.pot:
		want = ErrWrongKind
	case rw.status != RewardOpen:
		want = ErrClosed
	case m.find(rw.id, y, StatusRequested, StatusConfirmed) != nil:
		want = ErrAlreadyRequested
	case m.liveOn(rw.id) >= rw.places:
		want = ErrFull
	case m.pts[y] < rw.price:
		want = ErrInsufficientFunds
	}
	if !p.expect(err, want) {
		return
	}
	if got.RewardID != rw.id || got.YouthID != y || got.Points != rw.price || got.Status != StatusRequested || m.reds[got.ID] != nil {
		p.fail("Request = %+v", got)
	}
	m.reds[got.ID] = &mRed{id: got.ID, reward: rw.id, youth: y, points: rw.price, status: StatusRequested}
	m.redIDs = append(m.redIDs, got.ID)
	m.reqKeys[key] = got.ID
	m.pts[y] -= rw.price
}

func (p *propRun) opDecide() {
	if len(p.m.redIDs) == 0 && p.r.IntN(4) > 0 {
		p.op = "request"
		p.opRequest()
		return
	}
	id, d := p.pickRedemption()
	m := p.m
	var got Redemption
	var err error
	var want error
	kind := p.r.IntN(3)
	youth := uint64(0)
	switch kind {
	case 0:
		p.op = "confirm"
		got, err = p.s.Confirm(m.area, id, 99)
	case 1:
		p.op = "refuse"
		got, err = p.s.Refuse(m.area, id, 99, "nej")
	case 2:
		p.op = "cancel"
		youth = p.pickYouth()
		if d != nil && p.r.IntN(4) > 0 {
			youth = d.youth
		}
		got, err = p.s.Cancel(m.area, id, youth)
	}
	switch {
	case d == nil:
		want = ErrNotFound
	case kind == 2 && youth != d.youth:
		want = ErrNotFound
	case d.status != StatusRequested:
		want = ErrAlreadyDecided
	case kind == 0 && d.pot:
		want = ErrWrongKind
	}
	if !p.expect(err, want) {
		return
	}
	switch kind {
	case 0:
		d.status = StatusConfirmed
		m.rewards[d.reward].rwBal += d.points
	case 1:
		m.giveBack(d)
		d.status = StatusRefused
	case 2:
		m.giveBack(d)
		d.status = StatusCancelled
	}
	if got.ID != d.id || got.Status != d.status {
		p.fail("decision = %+v, model %+v", got, *d)
	}
}

func (p *propRun) opPledge() {
	rw := p.pickReward(true)
	if rw == nil {
		p.opCreateReward()
		return
	}
	m, y := p.m, p.pickYouth()
	pts := int64(1 + p.r.IntN(15))
	if rest := rw.price - rw.potBal; rw.pot && rest > 0 && p.r.IntN(3) == 0 {
		pts = rest
	}
	key := fmt.Sprintf("pl:%d", p.r.IntN(15))
	got, err := p.s.Pledge(m.area, rw.id, y, pts, key)
	if pl, ok := m.pledgeKeys[key]; ok {
		if pl.reward != rw.id || pl.youth != y || pl.points != pts {
			p.expect(err, ErrKeyReused)
			return
		}
		if p.expect(err, nil) && (got.ID != pl.red || got.Status != m.reds[pl.red].status) {
			p.fail("replayed pledge = %+v, model %+v", got, *m.reds[pl.red])
		}
		return
	}
	mine := m.find(rw.id, y, StatusRequested)
	var want error
	switch {
	case !rw.pot:
		want = ErrWrongKind
	case rw.status != RewardOpen || rw.funded:
		want = ErrClosed
	case rw.potBal >= rw.price:
		want = ErrFull
	case rw.potBal+pts > rw.price:
		want = ErrOverPledge
	case mine == nil && m.requestedOn(rw.id) >= rw.places:
		want = ErrFull
	case m.pts[y] < pts:
		want = ErrInsufficientFunds
	}
	if !p.expect(err, want) {
		return
	}
	if mine == nil {
		if m.reds[got.ID] != nil {
			p.fail("pledge reused redemption %d", got.ID)
		}
		mine = &mRed{id: got.ID, reward: rw.id, youth: y, status: StatusRequested, pot: true}
		m.reds[got.ID] = mine
		m.redIDs = append(m.redIDs, got.ID)
	}
	mine.points += pts
	rw.potBal += pts
	m.pts[y] -= pts
	m.pledgeKeys[key] = mPledge{reward: rw.id, youth: y, points: pts, red: mine.id}
	if got.ID != mine.id || got.Points != mine.points || !got.Pot {
		p.fail("Pledge = %+v, model %+v", got, *mine)
	}
}

func (p *propRun) opConfirmPot() {
	rw := p.pickReward(true)
	if rw == nil {
		return
	}
	m := p.m
	got, err := p.s.ConfirmPot(m.area, rw.id, 99)
	var want error
	switch {
	case !rw.pot:
		want = ErrWrongKind
	case rw.funded || rw.status == RewardCancelled:
		want = ErrAlreadyDecided
	case rw.potBal < rw.price:
		want = ErrPotNotReached
	}
	if !p.expect(err, want) {
		return
	}
	for _, d := range m.reds {
		if d.reward == rw.id && d.status == StatusRequested {
			d.status = StatusConfirmed
		}
	}
	rw.rwBal += rw.potBal
	rw.potBal = 0
	rw.funded, rw.status = true, RewardClosed
	if !got.Funded || got.Status != RewardClosed {
		p.fail("ConfirmPot = %+v", got)
	}
}

func (p *propRun) opCancelReward() {
	rw := p.pickReward(p.r.IntN(2) == 0)
	if rw == nil {
		return
	}
	m := p.m
	potOnly := p.r.IntN(2) == 0
	var err error
	if potOnly {
		_, err = p.s.CancelPot(m.area, rw.id, 99)
	} else {
		_, err = p.s.CancelReward(m.area, rw.id, 99)
	}
	var want error
	switch {
	case potOnly && !rw.pot:
		want = ErrWrongKind
	case rw.status == RewardCancelled:
		want = ErrAlreadyDecided
	}
	if !p.expect(err, want) {
		return
	}
	for _, d := range m.reds {
		if d.reward == rw.id && (d.status == StatusRequested || d.status == StatusConfirmed) {
			m.giveBack(d)
			d.status = StatusCancelled
		}
	}
	rw.status = RewardCancelled
	if rw.potBal != 0 || rw.rwBal != 0 {
		p.fail("model: cancelled reward still holds %d/%d", rw.potBal, rw.rwBal)
	}
}

func (p *propRun) opCloseReopen() {
	rw := p.pickReward(p.r.IntN(2) == 0)
	if rw == nil {
		return
	}
	var err error
	var want error
	if p.r.IntN(2) == 0 {
		p.op = "close"
		_, err = p.s.CloseReward(p.m.area, rw.id)
		if rw.status == RewardCancelled {
			want = ErrAlreadyDecided
		}
		if p.expect(err, want) {
			rw.status = RewardClosed
		}
		return
	}
	p.op = "reopen"
	_, err = p.s.ReopenReward(p.m.area, rw.id)
	if rw.status == RewardCancelled || rw.funded {
		want = ErrAlreadyDecided
	}
	if p.expect(err, want) {
		rw.status = RewardOpen
	}
}

// verify compares the stored state with the model and runs CheckArea.
func (p *propRun) verify() {
	m := p.m
	err := p.db.View(func(tx store.Tx) error {
		if err := CheckArea(tx, m.area); err != nil {
			p.fail("CheckArea: %v", err)
		}
		bal := func(a Account, c Currency) int64 {
			n, err := BalanceTx(tx, m.area, a, c)
			if err != nil {
				p.fail("BalanceTx: %v", err)
			}
			return n
		}
		for _, y := range m.youths {
			if got, want := bal(YouthAccount(y), Points), m.pts[y]; got != want || got < 0 {
				p.fail("youth %d has %d points, model %d", y, got, want)
			}
			if got, want := bal(YouthAccount(y), Ore), m.ore[y]; got != want || got < 0 {
				p.fail("youth %d has %d øre, model %d", y, got, want)
			}
		}
		if got := bal(BudgetAccount, Points); got != m.budgetPts {
			p.fail("budget %d points, model %d", got, m.budgetPts)
		}
		if got := bal(BudgetAccount, Ore); got != m.bOre {
			p.fail("budget %d øre, model %d", got, m.bOre)
		}
		live := map[uint64]int{}
		n := 0
		if err := store.ScanJSON(tx, bucketRedemptions, store.ID(m.area), func(_ []byte, r Redemption) error {
			n++
			d := m.reds[r.ID]
			if d == nil || d.status != r.Status || d.points != r.Points || d.youth != r.YouthID || d.reward != r.RewardID {
				p.fail("redemption %+v, model %+v", r, d)
			}
			if r.active() {
				live[r.RewardID]++
			}
			return nil
		}); err != nil {
			return err
		}
		for _, rw := range m.rewards {
			r, err := getReward(tx, m.area, rw.id)
			if err != nil {
				p.fail("reward %d: %v", rw.id, err)
			}
			if r.Status != rw.status || r.Funded != rw.funded || live[rw.id] != m.liveOn(rw.id) {
				p.fail("reward %+v with %d live places, model %+v with %d", r, live[rw.id], *rw, m.liveOn(rw.id))
			}
			if live[rw.id] > r.Places {
				p.fail("reward %d overbooked: %d of %d", rw.id, live[rw.id], r.Places)
			}
			if got := bal(RewardAccount(rw.id), Points); got != rw.rwBal {
				p.fail("reward %d account %d, model %d", rw.id, got, rw.rwBal)
			}
			if got := bal(PotAccount(rw.id), Points); got != rw.potBal {
				p.fail("pot %d holds %d, model %d", rw.id, got, rw.potBal)
			}
		}
		if n != len(m.reds) {
			p.fail("%d redemptions stored, model %d", n, len(m.reds))
		}
		return nil
	})
	if err != nil {
		p.fail("verify: %v", err)
	}
}

// finish checks the public read API and that each approval key was paid
// exactly once.
func (p *propRun) finish() {
	m := p.m
	for _, y := range m.youths {
		b, err := p.s.Balance(m.area, y)
		if err != nil || b != (Balances{Points: m.pts[y], Ore: m.ore[y], Reserved: m.reserved(y)}) {
			p.fail("Balance(%d) = %+v, %v", y, b, err)
		}
		reds, err := p.s.YouthRedemptions(m.area, y)
		if err != nil {
			p.fail("YouthRedemptions: %v", err)
		}
		for i, r := range reds {
			if i > 0 && reds[i-1].ID < r.ID {
				p.fail("YouthRedemptions not newest first")
			}
			if m.reds[r.ID].youth != y {
				p.fail("youth %d sees redemption %d", y, r.ID)
			}
		}
	}
	rewards, err := p.s.Rewards(m.area)
	if err != nil || len(rewards) != len(m.rewards) {
		p.fail("Rewards = %d rewards, %v; model %d", len(rewards), err, len(m.rewards))
	}
	for _, r := range rewards {
		rw := m.rewards[r.ID]
		if r.Booked != m.liveOn(r.ID) || r.PotPoints != rw.potBal || r.Status != rw.status {
			p.fail("Rewards: %+v, model %+v", r, *rw)
		}
	}
	paid := map[string]int{}
	var total int64
	err = p.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketTransfers, store.ID(m.area), func(_ []byte, t Transfer) error {
			if strings.HasPrefix(t.Key, "approve:") {
				paid[t.Key]++
				total += t.Amount
			}
			return nil
		})
	})
	if err != nil {
		p.fail("%v", err)
	}
	var want int64
	for k, amt := range m.approvalsPaid {
		want += amt
		if paid[k] != 1 {
			p.fail("key %s paid %d times", k, paid[k])
		}
	}
	if len(paid) != len(m.approvalsPaid) || total != want {
		p.fail("%d approval keys paid %d points; model %d keys, %d points", len(paid), total, len(m.approvalsPaid), want)
	}
}

type propOp struct {
	name   string
	weight int
	fn     func(*propRun)
}

var propOps = []propOp{
	{"pay_points", 14, (*propRun).opPayPoints},
	{"pay_wage", 6, (*propRun).opPayWage},
	{"adjust", 6, (*propRun).opAdjust},
	{"invalid", 2, (*propRun).opInvalid},
	{"create_reward", 3, (*propRun).opCreateReward},
	{"request", 16, (*propRun).opRequest},
	{"decide", 16, (*propRun).opDecide},
	{"pledge", 16, (*propRun).opPledge},
	{"confirm_pot", 3, (*propRun).opConfirmPot},
	{"cancel_reward", 1, (*propRun).opCancelReward},
	{"close_reopen", 3, (*propRun).opCloseReopen},
}

func runSequence(t *testing.T, db store.DB, seed, area, foreign uint64, steps int, stats map[string]int) *model {
	t.Helper()
	clk := testkit.NewClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	p := &propRun{t: t, seed: seed, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), db: db,
		s: NewService(db, Options{Now: clk.Now}), clk: clk, m: newModel(area, foreign), stats: stats, steps: steps}
	total := 0
	for _, o := range propOps {
		total += o.weight
	}
	p.op = "create_reward"
	p.createReward(false)
	p.createReward(true)
	for p.step = 1; p.step <= steps; p.step++ {
		clk.Add(time.Minute)
		w := p.r.IntN(total)
		for _, o := range propOps {
			if w < o.weight {
				p.op = o.name
				o.fn(p)
				break
			}
			w -= o.weight
		}
		p.verify()
	}
	p.op = "finish"
	p.finish()
	return p.m
}

// TestLedgerProperty runs thousands of random sequences of payments, wage
// payments, overdraft attempts, requests and decisions on rewards with few
// places, pledges and pot decisions against a model, each sequence in its
// own area; one bbolt file per CPU holds many sequences. After every step
// the stored state must equal the model and CheckArea must pass; at the end
// Check must pass on every file. Replay a failure with -args -points.seed=N.
func TestLedgerProperty(t *testing.T) {
	steps := stepsPerSequence()
	// The test allocates briskly and holds little: trade memory for less GC.
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	if *propSeed != 0 {
		db := testkit.StoreWith(t, bolt.Options{NoSync: true})
		runSequence(t, db, *propSeed, 1, 0, steps, map[string]int{})
		mustCheck(t, db)
		return
	}
	seqs := *propSeqs
	if testing.Short() {
		seqs = 200
	}
	base := rand.Uint64() >> 1
	t.Logf("base seed %d: sequence i uses seed %d+i", base, base)
	workers := min(runtime.GOMAXPROCS(0), seqs)
	var mu sync.Mutex
	stats := map[string]int{}
	start := time.Now()
	t.Run("workers", func(t *testing.T) {
		for w := range workers {
			t.Run(fmt.Sprint(w), func(t *testing.T) {
				t.Parallel()
				db := testkit.StoreWith(t, bolt.Options{NoSync: true}) // throwaway data: skip fsync
				mine := map[string]int{}
				var foreign uint64
				for i := w; i < seqs; i += workers {
					m := runSequence(t, db, base+uint64(i), uint64(i+1), foreign, steps, mine)
					if len(m.redIDs) > 0 {
						foreign = m.redIDs[0]
					}
				}
				mustCheck(t, db)
				if err := db.CheckIntegrity(); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				defer mu.Unlock()
				for k, n := range mine {
					stats[k] += n
				}
			})
		}
	})
	if t.Failed() {
		return
	}
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, stats[k])
	}
	t.Logf("%d sequences × %d steps on %d workers in %v; outcomes:%s", seqs, steps, workers, time.Since(start).Round(time.Millisecond), b.String())
	// Every outcome the model knows must have happened at least once, or
	// the generator has gone blind somewhere.
	for _, must := range []string{
		"pay_points:ok", "pay_points:key_reused", "pay_wage:ok", "pay_wage:key_reused", "adjust:ok",
		"adjust:insufficient_funds", "invalid:invalid", "request:ok", "request:full", "request:insufficient_funds",
		"request:already_requested", "request:key_reused", "request:wrong_kind", "request:closed",
		"confirm:ok", "confirm:already_decided", "confirm:not_found", "confirm:wrong_kind", "refuse:ok", "cancel:ok",
		"cancel:not_found", "pledge:ok", "pledge:over_pledge", "pledge:full", "pledge:key_reused",
		"pledge:insufficient_funds", "confirm_pot:ok", "confirm_pot:pot_not_reached", "confirm_pot:already_decided",
		"cancel_reward:ok", "cancel_reward:already_decided",
	} {
		if seqs >= 200 && stats[must] == 0 {
			t.Errorf("outcome %s never happened", must)
		}
	}
}
