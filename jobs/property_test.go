package jobs

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs/rules"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

// TestPropertyRandomSequences runs thousands of random sequences of
// claim, cancel, check-in/out, hours, approve, reject, redeem and refund
// against real services on a real bbolt file, and after every step checks
// every invariant: no negative balance, every transfer sums to zero,
// balances equal the sum of entries, no task overbooked, no approval paid
// twice, every approval recorded as participation. FRITIDSJOB_PROP_SEED
// replays one sequence.
func TestPropertyRandomSequences(t *testing.T) {
	sequences := 1000
	if raceEnabled || testing.Short() {
		sequences = 250
	}
	seeds := make([]uint64, sequences)
	for i := range seeds {
		seeds[i] = uint64(i + 1)
	}
	if s := os.Getenv("FRITIDSJOB_PROP_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		seeds = []uint64{n}
	}
	engine, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	seen := map[string]int{}
	for _, seed := range seeds {
		if err := runSequence(t, engine, filepath.Join(dir, fmt.Sprintf("p%d.db", seed)), seed, seen); err != nil {
			t.Fatalf("seed %d: %v (replay: FRITIDSJOB_PROP_SEED=%d go test -run TestPropertyRandomSequences ./jobs/)", seed, err, seed)
		}
	}
	// The sequences must actually reach every kind of outcome (a replay of
	// one sequence need not).
	for _, want := range []string{"claimed", "waitlisted", "promoted", "approved", "approve_again", "rejected",
		"rule_refused", "requested", "confirmed", "refused", "insufficient", "cancelled_claim"} {
		if seen[want] == 0 && len(seeds) > 1 {
			t.Errorf("no sequence reached %q", want)
		}
	}
	t.Logf("%d sequences; outcomes: %v", len(seeds), seen)
}

func runSequence(t *testing.T, engine *rules.Engine, path string, seed uint64, seen map[string]int) error {
	// NoSync: durability is not under test here, the invariants are.
	db, err := bolt.Open(path, bolt.Options{NoSync: true})
	if err != nil {
		return err
	}
	defer os.Remove(path)
	defer db.Close()
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	clk := testkit.NewClock(cph(2026, 11, 2, 10, 0))
	ppl, err := people.NewService(db, peoplekit.Options(clk.Now))
	if err != nil {
		return err
	}
	js := NewService(db, ppl, engine, Options{Now: clk.Now})
	ps := points.NewService(db, points.Options{Now: clk.Now})
	area, err := ppl.CreateArea("Prop", "Aarhus")
	if err != nil {
		return err
	}
	var youths []uint64
	for i, age := range []int{11, 14, 16, 17} {
		school := people.SchoolFinished9
		if age < 16 {
			school = people.SchoolCompulsory
		}
		n := peoplekit.Youth(area.ID, fmt.Sprintf("ung%d", i), people.DateOf(clk.Now().AddDate(-age, -2, 0)))
		n.DisplayName, n.Youth.School = "Ung", school
		u, err := ppl.CreateUser(n)
		if err != nil {
			return err
		}
		youths = append(youths, u.ID)
	}
	var tasks []Task
	for i := 0; i < 3; i++ {
		day := 7 + i // 7, 8 November 2026 are a weekend; 9 is a Monday (school day)
		n := NewTask{Title: "T", Place: "P", Supervisor: "S", Category: CatTidying, Commissioner: ByStaff,
			Start: cph(2026, 11, day, 15, 0), End: cph(2026, 11, day, 15+1+rng.IntN(3), 0), Slots: 1 + rng.IntN(2),
			MinAge: 10, MaxAge: 17, Pay: PayPoints, Points: int64(10 + rng.IntN(40)), Publish: true}
		if rng.IntN(3) == 0 {
			n.Pay, n.Points, n.RateOre = PayWage, 0, int64(5000+rng.IntN(3000))
		}
		ts, err := js.CreateTask(area.ID, 1, n)
		if err != nil {
			return err
		}
		tasks = append(tasks, ts[0])
	}
	reward, err := ps.CreateReward(area.ID, points.Reward{Title: "Biograf", PricePoints: int64(5 + rng.IntN(15)),
		Places: 1 + rng.IntN(2), Date: people.Date{Year: 2027, Month: 1, Day: 10}})
	if err != nil {
		return err
	}
	var entries, redemptions []uint64
	steps := 30
	for step := 0; step < steps; step++ {
		if step == steps/2 {
			clk.Set(cph(2026, 11, 12, 10, 0)) // every task is over: work, pay, spend
		}
		before := step < steps/2
		y := youths[rng.IntN(len(youths))]
		tk := tasks[rng.IntN(len(tasks))]
		var op string
		var err error
		switch r := rng.IntN(10); {
		case before && r < 6:
			op = "claim"
			var res ClaimResult
			res, err = js.Claim(area.ID, tk.ID, y)
			var re *RuleError
			switch {
			case err == nil && res.Claim.Status == ClaimActive:
				seen["claimed"]++
			case err == nil:
				seen["waitlisted"]++
			case errors.As(err, &re), errors.Is(err, ErrAgeOutside), errors.Is(err, ErrConsentRequired):
				seen["rule_refused"]++
				err = nil
			case errors.Is(err, ErrAlreadyClaimed):
				err = nil
			}
		case before:
			op = "cancel"
			beforeClaims, _ := js.Claims(area.ID, tk.ID)
			err = js.Cancel(area.ID, tk.ID, y, rng.IntN(2) == 0)
			if errors.Is(err, ErrNoClaim) {
				err = nil
			} else if err == nil {
				seen["cancelled_claim"]++
				after, _ := js.Claims(area.ID, tk.ID)
				if promoted(beforeClaims, after) {
					seen["promoted"]++
				}
			}
		case r < 3:
			op = "hours"
			var w WorkEntry
			w, err = js.RecordHours(area.ID, tk.ID, y, y, tk.Start, tk.End, 0, 0)
			var re *RuleError
			if errors.Is(err, ErrNoClaim) || errors.Is(err, ErrNotOpen) || errors.As(err, &re) {
				err = nil
			} else if err == nil {
				entries = append(entries, w.ID)
			}
		case r < 6 && len(entries) > 0:
			op = "approve"
			id := entries[rng.IntN(len(entries))]
			_, err = js.Approve(area.ID, 2, id)
			if errors.Is(err, ErrAlreadyDecided) {
				seen["approve_again"]++
				err = nil
			} else if err == nil {
				seen["approved"]++
			}
		case r < 7 && len(entries) > 0:
			op = "reject"
			_, err = js.Reject(area.ID, 2, entries[rng.IntN(len(entries))], "nej")
			if errors.Is(err, ErrAlreadyDecided) {
				err = nil
			} else if err == nil {
				seen["rejected"]++
			}
		case r < 8:
			op = "redeem"
			var rd points.Redemption
			rd, err = ps.Request(area.ID, reward.ID, y, fmt.Sprintf("k%d-%d", seed, step%7))
			switch {
			case errors.Is(err, points.ErrInsufficientFunds):
				seen["insufficient"]++
				err = nil
			case errors.Is(err, points.ErrFull), errors.Is(err, points.ErrAlreadyRequested), errors.Is(err, points.ErrKeyReused):
				err = nil
			case err == nil:
				seen["requested"]++
				redemptions = append(redemptions, rd.ID)
			}
		case len(redemptions) > 0:
			op = "decide"
			id := redemptions[rng.IntN(len(redemptions))]
			switch rng.IntN(3) {
			case 0:
				_, err = ps.Confirm(area.ID, id, 2)
				if err == nil {
					seen["confirmed"]++
				}
			case 1:
				_, err = ps.Refuse(area.ID, id, 2, "fuldt")
				if err == nil {
					seen["refused"]++
				}
			default:
				rd, _ := ps.Redemption(area.ID, id)
				_, err = ps.Cancel(area.ID, id, rd.YouthID)
			}
			if errors.Is(err, points.ErrAlreadyDecided) {
				err = nil
			}
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("step %d %s: %w", step, op, err)
		}
		if err := db.View(func(tx store.Tx) error {
			return errors.Join(Check(tx), points.CheckArea(tx, area.ID), participation.Check(tx), people.Check(tx))
		}); err != nil {
			return fmt.Errorf("after step %d %s: %w", step, op, err)
		}
	}
	return nil
}

// promoted reports whether a waitlisted claim became active.
func promoted(before, after []Claim) bool {
	was := map[uint64]ClaimStatus{}
	for _, c := range before {
		was[c.YouthID] = c.Status
	}
	for _, c := range after {
		if was[c.YouthID] == ClaimWaitlist && c.Status == ClaimActive {
			return true
		}
	}
	return false
}
