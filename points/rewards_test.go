package points

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fritidsjob/people"
)

func TestRewardLifecycle(t *testing.T) {
	s, db, clk := newTestService(t)
	const area = 1
	for y := uint64(1); y <= 4; y++ {
		award(t, db, area, y, 100, "seed:"+idStr(y))
	}
	rw, err := s.CreateReward(area, Reward{Title: "  Biograftur  ", Description: "Fredag\naften", PricePoints: 40, Places: 2,
		Date: people.Date{Year: 2026, Month: time.April, Day: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if rw.Title != "Biograftur" || rw.Status != RewardOpen || rw.AreaID != area || rw.ID == 0 {
		t.Fatalf("CreateReward = %+v", rw)
	}
	r1, err := s.Request(area, rw.ID, 1, "form:1")
	if err != nil || r1.Status != StatusRequested || r1.Points != 40 {
		t.Fatalf("Request = %+v, %v", r1, err)
	}
	// A double submit of the same form is the same request.
	if again, err := s.Request(area, rw.ID, 1, "form:1"); err != nil || again.ID != r1.ID {
		t.Fatalf("replayed Request = %+v, %v", again, err)
	}
	if _, err := s.Request(area, rw.ID, 2, "form:1"); !errors.Is(err, ErrKeyReused) {
		t.Fatalf("key of another youth: %v", err)
	}
	if _, err := s.Request(area, rw.ID, 1, "form:1b"); !errors.Is(err, ErrAlreadyRequested) {
		t.Fatalf("second place for the same youth: %v", err)
	}
	if b, _ := s.Balance(area, 1); b != (Balances{Points: 60, Reserved: 40}) {
		t.Fatalf("balance after request %+v", b)
	}
	r2, err := s.Request(area, rw.ID, 2, "form:2")
	if err != nil {
		t.Fatal(err)
	}
	// Requested + confirmed places count: the third youth finds it full.
	if _, err := s.Request(area, rw.ID, 3, "form:3"); !errors.Is(err, ErrFull) {
		t.Fatalf("third request: %v, want ErrFull", err)
	}
	if got, _ := s.Reward(area, rw.ID); got.Booked != 2 {
		t.Fatalf("Booked = %d", got.Booked)
	}

	c1, err := s.Confirm(area, r1.ID, 99)
	if err != nil || c1.Status != StatusConfirmed || c1.DecidedBy != 99 || c1.DecidedAt.IsZero() {
		t.Fatalf("Confirm = %+v, %v", c1, err)
	}
	if _, err := s.Confirm(area, r1.ID, 99); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("confirm twice: %v", err)
	}
	if _, err := s.Refuse(area, r1.ID, 99, ""); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("refuse after confirm: %v", err)
	}
	if b, _ := s.Balance(area, 1); b != (Balances{Points: 60}) {
		t.Fatalf("balance after confirm %+v (confirm twice must not debit twice)", b)
	}
	if got := balanceOf(t, db, area, RewardAccount(rw.ID), Points); got != 40 {
		t.Fatalf("reward account %d", got)
	}

	// Youth 2 cancels; another youth cannot cancel for them.
	if _, err := s.Cancel(area, r2.ID, 3); !errors.Is(err, ErrNotFound) {
		t.Fatalf("cancel by other youth: %v", err)
	}
	if c, err := s.Cancel(area, r2.ID, 2); err != nil || c.Status != StatusCancelled {
		t.Fatalf("Cancel = %+v, %v", c, err)
	}
	if b, _ := s.Balance(area, 2); b.Points != 100 {
		t.Fatalf("cancel released %+v", b)
	}
	// The freed place can be taken; the coordinator refuses it with a note.
	r3, err := s.Request(area, rw.ID, 3, "form:3")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := s.Refuse(area, r3.ID, 99, "  Du er syg den dag  ")
	if err != nil || ref.Status != StatusRefused || ref.Reason != "Du er syg den dag" {
		t.Fatalf("Refuse = %+v, %v", ref, err)
	}
	if b, _ := s.Balance(area, 3); b.Points != 100 {
		t.Fatalf("refuse released %+v", b)
	}
	if _, err := s.Refuse(area, r3.ID, 99, strings.Repeat("x", MaxReasonLen+1)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("long reason: %v", err)
	}

	// Lists.
	if q, _ := s.Redemptions(area, StatusConfirmed); len(q) != 1 || q[0].ID != r1.ID {
		t.Fatalf("confirmed queue %+v", q)
	}
	if all, _ := s.Redemptions(area, ""); len(all) != 3 {
		t.Fatalf("all redemptions %+v", all)
	}
	if mine, _ := s.YouthRedemptions(area, 1); len(mine) != 1 || mine[0].ID != r1.ID {
		t.Fatalf("youth 1 redemptions %+v", mine)
	}
	// Another area sees none of it.
	if _, err := s.Confirm(2, r1.ID, 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("confirm from another area: %v", err)
	}
	if _, err := s.Request(2, rw.ID, 1, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("request in another area: %v", err)
	}

	// Closing stops requests, places cannot shrink below booked.
	if _, err := s.CloseReward(area, rw.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Request(area, rw.ID, 4, "form:4"); !errors.Is(err, ErrClosed) {
		t.Fatalf("request on closed: %v", err)
	}
	if _, err := s.ReopenReward(area, rw.ID); err != nil {
		t.Fatal(err)
	}
	upd := rw
	upd.Places = 0
	if _, err := s.UpdateReward(area, upd); !errors.Is(err, ErrInvalid) {
		t.Fatalf("places 0: %v", err)
	}
	upd.Places, upd.Title, upd.PricePoints = 3, "Biograf", 50
	if got, err := s.UpdateReward(area, upd); err != nil || got.Places != 3 || got.PricePoints != 50 || got.Booked != 1 {
		t.Fatalf("UpdateReward = %+v, %v", got, err)
	}
	// The date passes: no more requests.
	clk.Set(time.Date(2026, 4, 3, 22, 30, 0, 0, time.UTC)) // 4 April in Copenhagen
	if _, err := s.Request(area, rw.ID, 4, "form:4"); !errors.Is(err, ErrClosed) {
		t.Fatalf("request after the date: %v", err)
	}
	clk.Set(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	r4, err := s.Request(area, rw.ID, 4, "form:4")
	if err != nil || r4.Points != 50 {
		t.Fatalf("request at new price = %+v, %v", r4, err)
	}

	// Cancelling the reward returns every point: confirmed and requested.
	if _, err := s.CancelPot(area, rw.ID, 99); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("CancelPot on a reward: %v", err)
	}
	got, err := s.CancelReward(area, rw.ID, 99)
	if err != nil || got.Status != RewardCancelled || got.Booked != 0 {
		t.Fatalf("CancelReward = %+v, %v", got, err)
	}
	if _, err := s.CancelReward(area, rw.ID, 99); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("cancel twice: %v", err)
	}
	for y := uint64(1); y <= 4; y++ {
		if b, _ := s.Balance(area, y); b != (Balances{Points: 100}) {
			t.Fatalf("youth %d after cancel %+v", y, b)
		}
	}
	if _, err := s.ReopenReward(area, rw.ID); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("reopen cancelled: %v", err)
	}
	mustCheck(t, db)
}

func TestRequestRefusals(t *testing.T) {
	s, db, _ := newTestService(t)
	award(t, db, 1, 1, 10, "seed")
	rw, _ := s.CreateReward(1, Reward{Title: "Tivoli", PricePoints: 20, Places: 1})
	pot, _ := s.CreateReward(1, Reward{Title: "Sommerland", PricePoints: 100, Places: 5, Pot: true})
	if _, err := s.Request(1, rw.ID, 1, "k1"); !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("too few points: %v", err)
	}
	if _, err := s.Request(1, pot.ID, 1, "k2"); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("request on pot: %v", err)
	}
	if _, err := s.Pledge(1, rw.ID, 1, 5, "k3"); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("pledge on reward: %v", err)
	}
	if _, err := s.Request(1, 999, 1, "k4"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown reward: %v", err)
	}
	if _, err := s.Request(1, rw.ID, 1, ""); !errors.Is(err, ErrInvalid) {
		t.Fatalf("no key: %v", err)
	}
	if _, err := s.Pledge(1, pot.ID, 1, 0, "k5"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("zero pledge: %v", err)
	}
	for _, bad := range []Reward{
		{Title: "", PricePoints: 1, Places: 1},
		{Title: "x", PricePoints: 0, Places: 1},
		{Title: "x", PricePoints: 1, Places: 0},
		{Title: "x", PricePoints: MaxPricePoints + 1, Places: 1},
		{Title: "a\x00b", PricePoints: 1, Places: 1},
		{Title: strings.Repeat("æ", MaxTitleLen+1), PricePoints: 1, Places: 1},
	} {
		if _, err := s.CreateReward(1, bad); !errors.Is(err, ErrInvalid) {
			t.Fatalf("CreateReward(%+v) = %v", bad, err)
		}
	}
	mustCheck(t, db)
}

func TestGroupPot(t *testing.T) {
	s, db, _ := newTestService(t)
	const area = 3
	for y := uint64(1); y <= 4; y++ {
		award(t, db, area, y, 50, "seed:"+idStr(y))
	}
	pot, err := s.CreateReward(area, Reward{Title: "Sommerland Sjælland", PricePoints: 90, Places: 3, Pot: true})
	if err != nil {
		t.Fatal(err)
	}
	p1, err := s.Pledge(area, pot.ID, 1, 20, "pl:1")
	if err != nil || !p1.Pot || p1.Points != 20 {
		t.Fatalf("Pledge = %+v, %v", p1, err)
	}
	if again, err := s.Pledge(area, pot.ID, 1, 20, "pl:1"); err != nil || again.ID != p1.ID || again.Points != 20 {
		t.Fatalf("replayed Pledge = %+v, %v", again, err)
	}
	if _, err := s.Pledge(area, pot.ID, 1, 25, "pl:1"); !errors.Is(err, ErrKeyReused) {
		t.Fatalf("reused pledge key: %v", err)
	}
	// A second pledge by the same youth adds to the same redemption.
	if p, err := s.Pledge(area, pot.ID, 1, 10, "pl:1b"); err != nil || p.ID != p1.ID || p.Points != 30 {
		t.Fatalf("second pledge = %+v, %v", p, err)
	}
	if _, err := s.ConfirmPot(area, pot.ID, 99); !errors.Is(err, ErrPotNotReached) {
		t.Fatalf("confirm early: %v", err)
	}
	if _, err := s.Pledge(area, pot.ID, 2, 61, "pl:2x"); !errors.Is(err, ErrOverPledge) {
		t.Fatalf("over-pledge: %v", err)
	}
	p2, err := s.Pledge(area, pot.ID, 2, 30, "pl:2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pledge(area, pot.ID, 3, 20, "pl:3"); err != nil {
		t.Fatal(err)
	}
	// Three contributors fill the places.
	if _, err := s.Pledge(area, pot.ID, 4, 5, "pl:4"); !errors.Is(err, ErrFull) {
		t.Fatalf("fourth contributor: %v", err)
	}
	// Youth 2 withdraws and gets exactly the pledge back; youth 4 can join.
	if c, err := s.Cancel(area, p2.ID, 2); err != nil || c.Status != StatusCancelled {
		t.Fatalf("withdraw pledge: %+v %v", c, err)
	}
	if b, _ := s.Balance(area, 2); b.Points != 50 {
		t.Fatalf("youth 2 after withdrawal %+v", b)
	}
	p4, err := s.Pledge(area, pot.ID, 4, 40, "pl:4")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Reward(area, pot.ID); got.PotPoints != 90 || got.Booked != 3 {
		t.Fatalf("pot = %+v", got)
	}
	if _, err := s.Pledge(area, pot.ID, 1, 1, "pl:1c"); !errors.Is(err, ErrFull) {
		t.Fatalf("pledge to a full pot: %v", err)
	}
	if _, err := s.Confirm(area, p4.ID, 99); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("Confirm on a pledge: %v", err)
	}
	got, err := s.ConfirmPot(area, pot.ID, 99)
	if err != nil || !got.Funded || got.Status != RewardClosed || got.PotPoints != 0 {
		t.Fatalf("ConfirmPot = %+v, %v", got, err)
	}
	if _, err := s.ConfirmPot(area, pot.ID, 99); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("confirm pot twice: %v", err)
	}
	for _, y := range []uint64{1, 3, 4} {
		reds, _ := s.YouthRedemptions(area, y)
		if len(reds) != 1 || reds[0].Status != StatusConfirmed {
			t.Fatalf("youth %d after ConfirmPot: %+v", y, reds)
		}
	}
	if got := balanceOf(t, db, area, RewardAccount(pot.ID), Points); got != 90 {
		t.Fatalf("reward account %d", got)
	}
	if _, err := s.Pledge(area, pot.ID, 2, 1, "pl:late"); !errors.Is(err, ErrClosed) {
		t.Fatalf("pledge after funding: %v", err)
	}
	mustCheck(t, db)
}

func TestCancelPotRefundsEveryContributor(t *testing.T) {
	s, db, _ := newTestService(t)
	const area = 1
	pledged := map[uint64]int64{1: 7, 2: 13, 3: 29}
	for y, p := range pledged {
		award(t, db, area, y, 100, "seed:"+idStr(y))
		if _, err := s.Pledge(area, 1, y, p, "x"+idStr(y)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("pledge before the pot exists: %v", err)
		}
	}
	pot, _ := s.CreateReward(area, Reward{Title: "Bowling", PricePoints: 200, Places: 10, Pot: true})
	for y, p := range pledged {
		// Pledge in two parts to show the refund is the sum.
		if _, err := s.Pledge(area, pot.ID, y, p-1, "a"+idStr(y)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Pledge(area, pot.ID, y, 1, "b"+idStr(y)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CancelPot(area, pot.ID, 99); err != nil {
		t.Fatal(err)
	}
	for y := range pledged {
		if b, _ := s.Balance(area, y); b != (Balances{Points: 100}) {
			t.Fatalf("youth %d after CancelPot: %+v", y, b)
		}
	}
	h, _ := s.History(area, PotAccount(pot.ID), 0)
	var refunds int64
	for _, e := range h {
		if e.Kind == KindRefund {
			refunds -= e.Delta
		}
	}
	if refunds != 7+13+29 {
		t.Fatalf("refunds %d", refunds)
	}
	if _, err := s.CancelPot(area, pot.ID, 99); !errors.Is(err, ErrAlreadyDecided) {
		t.Fatalf("cancel twice: %v", err)
	}
	mustCheck(t, db)
}

// TestConcurrentRequestsNeverOverbook races 64 youths for 5 places and 16
// coordinators confirming the same request.
func TestConcurrentRequestsNeverOverbook(t *testing.T) {
	s, db, _ := newTestService(t)
	const area, youths, places = 1, 64, 5
	for y := uint64(1); y <= youths; y++ {
		award(t, db, area, y, 30, "seed:"+idStr(y))
	}
	rw, _ := s.CreateReward(area, Reward{Title: "Gokart", PricePoints: 25, Places: places})
	var ok, full atomic.Int64
	var wg sync.WaitGroup
	for y := uint64(1); y <= youths; y++ {
		wg.Go(func() {
			_, err := s.Request(area, rw.ID, y, "k"+idStr(y))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrFull):
				full.Add(1)
			default:
				t.Errorf("youth %d: %v", y, err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != places || full.Load() != youths-places {
		t.Fatalf("%d requests succeeded, %d full; want %d and %d", ok.Load(), full.Load(), places, youths-places)
	}
	reds, _ := s.Redemptions(area, StatusRequested)
	var confirmed atomic.Int64
	for range 16 {
		wg.Go(func() {
			_, err := s.Confirm(area, reds[0].ID, 99)
			if err == nil {
				confirmed.Add(1)
			} else if !errors.Is(err, ErrAlreadyDecided) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if confirmed.Load() != 1 {
		t.Fatalf("%d confirmations succeeded", confirmed.Load())
	}
	if got := balanceOf(t, db, area, RewardAccount(rw.ID), Points); got != 25 {
		t.Fatalf("reward account %d after 16 racing confirms", got)
	}
	mustCheck(t, db)
}
