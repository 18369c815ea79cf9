package jobs

import (
	"errors"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

// TestTaskTermsFromStoredTask: the approval path reads only a task's terms
// from the stored Task record; they must equal the full record's, for both
// pay kinds and with every other field set, and a record from a newer
// schema must be refused as it is for the whole Task.
func TestTaskTermsFromStoredTask(t *testing.T) {
	db := testkit.StoreWith(t, bolt.Options{NoSync: true})
	at := time.Date(2026, 11, 7, 9, 0, 0, 0, time.UTC)
	tasks := []Task{
		{ID: 1, AreaID: 7, SeriesID: 1, Title: "Oprydning \"ude\"", Description: "Lang beskrivelse med æøå og \u2028 og {\"pay\":\"wage\"}",
			Category: CatTidying, Commissioner: ByCaretakers, Place: "Fælleshuset", Start: at, End: at.Add(2 * time.Hour),
			Slots: 3, MinAge: 13, MaxAge: 17, Lifting12kg: true, WorksAlone: true, Machines: true, Supervisor: "Bjarne",
			Pay: PayPoints, Points: 50, Status: StatusOpen, Claimed: 2, CreatedBy: 9, Created: at.Add(-time.Hour)},
		{ID: 2, AreaID: 7, Title: "Loppemarked", Category: CatEvent, Place: "Pladsen", Start: at, End: at.Add(time.Hour),
			Slots: 1, MinAge: 15, MaxAge: 17, Pay: PayWage, RateOre: 6543, Status: StatusClosed, Created: at},
	}
	err := db.Update(func(tx store.Tx) error {
		for _, task := range tasks {
			if err := store.PutJSON(tx, bucketTasks, store.Key(task.AreaID, task.ID), task); err != nil {
				return err
			}
		}
		// A Task record written by a newer schema version.
		return tx.Put(bucketTasks, store.Key(uint64(7), uint64(3)), []byte(`{"v":2,"d":{"id":3,"pay":"points","points":5}}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx store.Tx) error {
		for _, task := range tasks {
			got, err := getTaskTerms(tx, task.AreaID, task.ID)
			if err != nil {
				return err
			}
			full, err := getTask(tx, task.AreaID, task.ID)
			if err != nil {
				return err
			}
			if got != task.terms() || got != full.terms() {
				t.Errorf("task %d: terms %+v, want %+v", task.ID, got, task.terms())
			}
		}
		if _, err := getTaskTerms(tx, 7, 3); !errors.Is(err, store.ErrNewerSchema) {
			t.Errorf("newer schema: err %v, want ErrNewerSchema", err)
		}
		if _, err := getTaskTerms(tx, 7, 4); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing task: err %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
