package participation

import (
	"errors"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

// TestWithdraw: a withdrawn record stays stored but no longer counts in
// List or ForYouth; withdrawing twice changes nothing; a record that does
// not exist (or belongs to another youth) cannot be withdrawn; Check
// finds a withdrawal that names no record.
func TestWithdraw(t *testing.T) {
	db := testkit.Store(t)
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	var kept, gone Record
	if err := db.Update(func(tx store.Tx) error {
		var err1, err2 error
		kept, _, err1 = Append(tx, Record{AreaID: 1, YouthID: 7, Date: "2024-03-02", Type: GuidanceSession, Minutes: 60, Source: "import:a:1", At: at})
		gone, _, err2 = Append(tx, Record{AreaID: 1, YouthID: 7, Date: "2024-03-02", Type: GuidanceSession, Minutes: 90, Source: "import:a:2", At: at})
		return errors.Join(err1, err2)
	}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := db.Update(func(tx store.Tx) error { return Withdraw(tx, gone, "corrected", at.Add(time.Duration(i)*time.Hour)) }); err != nil {
			t.Fatalf("withdraw %d: %v", i, err)
		}
	}
	var listed, forYouth []uint64
	if err := db.View(func(tx store.Tx) error {
		return errors.Join(
			List(tx, 1, func(r Record) error { listed = append(listed, r.ID); return nil }),
			ForYouth(tx, 1, 7, func(r Record) error { forYouth = append(forYouth, r.ID); return nil }))
	}); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0] != kept.ID || len(forYouth) != 1 || forYouth[0] != kept.ID {
		t.Fatalf("List %v, ForYouth %v; want only record %d", listed, forYouth, kept.ID)
	}
	all, err := Records(db, 1, 7)
	if err != nil || len(all) != 2 || all[0].Withdrawn != nil || all[1].Withdrawn == nil || !all[1].Withdrawn.At.Equal(at) {
		t.Fatalf("Records: %+v, %v; want both, the second withdrawn at the first withdrawal", all, err)
	}
	var seen []string
	if err := db.View(func(tx store.Tx) error {
		return BySourcePrefix(tx, 1, "import:a:", func(r Record, w bool) error {
			seen = append(seen, r.Source+map[bool]string{true: " withdrawn", false: ""}[w])
			return nil
		})
	}); err != nil || len(seen) != 2 || seen[0] != "import:a:1" || seen[1] != "import:a:2 withdrawn" {
		t.Fatalf("BySourcePrefix: %v, %v", seen, err)
	}
	for _, r := range []Record{{AreaID: 1, YouthID: 7, ID: 99}, {AreaID: 2, YouthID: 7, ID: kept.ID}, {AreaID: 1, YouthID: 8, ID: kept.ID}} {
		if err := db.Update(func(tx store.Tx) error { return Withdraw(tx, r, "x", at) }); !errors.Is(err, ErrNotFound) {
			t.Errorf("withdraw %+v: %v, want ErrNotFound", r, err)
		}
	}
	if err := db.View(Check); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if err := db.Update(func(tx store.Tx) error {
		return store.PutJSON(tx, bucketWithdrawn, store.Key(uint64(1), uint64(8), kept.ID), Withdrawal{RecordID: kept.ID})
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.View(Check); err == nil {
		t.Error("Check accepted a withdrawal naming another youth's record")
	}
}
