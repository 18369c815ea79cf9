package participation

import (
	"errors"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
)

func TestAppendOncePerSource(t *testing.T) {
	db := testkit.Store(t)
	r := Record{AreaID: 1, YouthID: 7, Date: "2026-11-25", Type: TaskWork, Minutes: 90,
		Attrs: map[string]string{"category": "tidying"}, Source: "approval:1", At: time.Now()}
	var first Record
	for i := 0; i < 3; i++ {
		err := db.Update(func(tx store.Tx) error {
			got, dup, err := Append(tx, r)
			if i == 0 {
				first = got
			}
			if dup != (i > 0) || got.ID != first.ID {
				t.Errorf("append %d: id %d dup %v", i, got.ID, dup)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The same source in another area is another record.
	r.AreaID = 2
	if err := db.Update(func(tx store.Tx) error {
		_, dup, err := Append(tx, r)
		if dup {
			t.Error("dup across areas")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	n := 0
	db.View(func(tx store.Tx) error { return List(tx, 1, func(Record) error { n++; return nil }) })
	if n != 1 {
		t.Fatalf("area 1 has %d records, want 1", n)
	}
	if err := db.View(Check); err != nil {
		t.Fatal(err)
	}
}

func TestAppendRefusesInvalid(t *testing.T) {
	db := testkit.Store(t)
	good := Record{AreaID: 1, YouthID: 7, Date: "2026-11-25", Type: TaskWork, Source: "x"}
	bad := []func(*Record){
		func(r *Record) { r.AreaID = 0 },
		func(r *Record) { r.YouthID = 0 },
		func(r *Record) { r.Type = "party" },
		func(r *Record) { r.Source = "" },
		func(r *Record) { r.Date = "25-11-2026" },
		func(r *Record) { r.Minutes = -1 },
	}
	for i, mod := range bad {
		r := good
		mod(&r)
		err := db.Update(func(tx store.Tx) error { _, _, err := Append(tx, r); return err })
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: %v, want ErrInvalid", i, err)
		}
	}
}
