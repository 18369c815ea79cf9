package jobs

import (
	"fmt"
	"strings"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// bucketWageNotice marks the youths whose guardians were told of their
// first wage task: Key(area, youth) -> ID(task).
const bucketWageNotice = "wage_notice"

// notifyConfirmed tells a youth who took a free slot that the place is
// theirs, in the claim's transaction: the task's title and time only.
func notifyConfirmed(tx store.Tx, t Task, c Claim) error {
	return notify.Enqueue(tx, notify.Message{UserID: c.YouthID, AreaID: t.AreaID, Kind: notify.KindClaimConfirmed,
		Params:  taskParams(t),
		ToYouth: true, Created: c.Updated,
		Key: fmt.Sprintf("%s:task:%d:youth:%d:claim:%d", notify.KindClaimConfirmed, t.ID, c.YouthID, c.Seq)})
}

// adultAge is the age from which a youth's guardians are no longer told.
const adultAge = 18

// notifyFirstWage tells the guardians of youth y, in the transaction that
// gives y a place on wage task t, when it is the first wage task y has a
// place on. A youth of 18 or over is not a child, and a youth who already
// had a place on or worked on another wage task (before this notice
// existed) is not told again; the notice is sent once per youth and area.
// It goes to the guardian who gave the wage-work consent when the profile
// names them, else to the first guardian with a phone.
func (s *Service) notifyFirstWage(tx store.Tx, t Task, c Claim, y people.Youth) error {
	if t.Pay != PayWage || y.BirthDate.AgeOn(people.DateOf(t.Start.In(people.Copenhagen))) >= adultAge {
		return nil
	}
	mark := store.Key(t.AreaID, c.YouthID)
	if v, err := tx.Get(bucketWageNotice, mark); err != nil || v != nil {
		return err
	}
	earlier, err := hadWageTask(tx, t, c.YouthID)
	if err != nil {
		return err
	}
	if !earlier {
		p := taskParams(t)
		if cs, ok, err := people.ActiveConsentTx(tx, t.AreaID, c.YouthID); err != nil {
			return err
		} else if ok {
			if name := guardianNamed(y, cs.GuardianName); name != "" {
				p["guardian"] = name
			}
		}
		if err := notify.Enqueue(tx, notify.Message{UserID: c.YouthID, AreaID: t.AreaID, Kind: notify.KindFirstWageTask,
			Params: p, Guardian: true, Created: c.Updated,
			Key: fmt.Sprintf("%s:area:%d:youth:%d", notify.KindFirstWageTask, t.AreaID, c.YouthID)}); err != nil {
			return err
		}
	}
	return tx.Put(bucketWageNotice, mark, store.ID(t.ID))
}

// hadWageTask reports whether youth holds a place on, or has recorded
// work on, a wage task other than t.
func hadWageTask(tx store.Tx, t Task, youth uint64) (bool, error) {
	tasks, claims, err := youthTasks(tx, t.AreaID, youth)
	if err != nil {
		return false, err
	}
	for i, o := range tasks {
		if o.ID != t.ID && o.Pay == PayWage && claims[i].Status == ClaimActive {
			return true, nil
		}
	}
	entries, err := youthEntries(tx, t.AreaID, youth)
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if e.TaskID == t.ID || e.Status == EntryRejected {
			continue
		}
		terms, err := getTaskTerms(tx, t.AreaID, e.TaskID)
		if err != nil {
			return false, err
		}
		if terms.Pay == PayWage {
			return true, nil
		}
	}
	return false, nil
}

// guardianNamed returns the name of y's guardian contact called name (any
// case), as the profile spells it, or "" when none is.
func guardianNamed(y people.Youth, name string) string {
	for _, g := range y.Guardians {
		if name != "" && strings.EqualFold(strings.TrimSpace(g.Name), strings.TrimSpace(name)) {
			return g.Name
		}
	}
	return ""
}
