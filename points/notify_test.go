package points

import (
	"testing"
	"time"

	"fritidsjob/notify"
	"fritidsjob/people"
)

// TestDecisionsOnRewardsAreTold: confirming, refusing (with the reason),
// confirming a pot and cancelling a reward each tell the youth once in
// the decision's transaction, naming the reward; a youth who withdraws
// their own request gets no message.
func TestDecisionsOnRewardsAreTold(t *testing.T) {
	s, db, _ := newTestService(t)
	const area = 1
	for y := uint64(1); y <= 6; y++ {
		award(t, db, area, y, 100, "seed:"+idStr(y))
	}
	date := people.Date{Year: 2026, Month: time.April, Day: 3}
	rw, err := s.CreateReward(area, Reward{Title: "Biograftur", PricePoints: 40, Places: 4, Date: date})
	if err != nil {
		t.Fatal(err)
	}
	reqs := map[uint64]Redemption{}
	for y := uint64(1); y <= 4; y++ {
		if reqs[y], err = s.Request(area, rw.ID, y, "form:"+idStr(y)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Confirm(area, reqs[1].ID, 99); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refuse(area, reqs[2].ID, 99, "Turen er kun for 13-årige"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cancel(area, reqs[3].ID, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CancelReward(area, rw.ID, 99); err != nil { // youth 4 is still waiting; youth 1 is refunded
		t.Fatal(err)
	}
	pot, err := s.CreateReward(area, Reward{Title: "Sommerland", PricePoints: 60, Places: 2, Pot: true})
	if err != nil {
		t.Fatal(err)
	}
	for y := uint64(5); y <= 6; y++ {
		if _, err := s.Pledge(area, pot.ID, y, 30, "pledge:"+idStr(y)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ConfirmPot(area, pot.ID, 99); err != nil {
		t.Fatal(err)
	}
	inbox := notify.NewService(db, nil)
	want := map[uint64][]string{
		1: {notify.KindRewardCancelled, notify.KindRewardConfirmed},
		2: {notify.KindRewardRefused},
		3: nil,
		4: {notify.KindRewardCancelled},
		5: {notify.KindRewardConfirmed},
		6: {notify.KindRewardConfirmed},
	}
	for y, kinds := range want {
		p, err := inbox.Inbox(y, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Messages) != len(kinds) {
			t.Errorf("youth %d: %d messages, want %v", y, len(p.Messages), kinds)
			continue
		}
		for i, m := range p.Messages {
			title := "Biograftur"
			if y >= 5 {
				title = "Sommerland"
			}
			if m.Kind != kinds[i] || m.Params["reward"] != title || !m.ToYouth || m.AreaID != area {
				t.Errorf("youth %d message %d = %+v, want %s", y, i, m, kinds[i])
			}
		}
	}
	p, _ := inbox.Inbox(2, 0, 1)
	if m := p.Messages[0]; m.Params["reason"] != "Turen er kun for 13-årige" || m.Params["date"] != "2026-04-03" || m.Params["points"] != "40" {
		t.Errorf("refusal = %+v", m)
	}
	mustCheck(t, db)
}
