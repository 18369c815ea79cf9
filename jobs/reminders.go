package jobs

import (
	"fmt"
	"time"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// The start index lists every task by its start, across areas, so the
// reminders read only the tasks that start in the next day and a half
// instead of every task ever made.
const bucketTaskStarts = "task_starts" // Key(start Unix seconds, area, task) -> empty

var markerStartIndex = []byte("task_starts_v1")

func startKey(t Task) []byte {
	return store.Key(uint64(max(t.Start.Unix(), 0)), t.AreaID, t.ID)
}

// ensureStartIndex builds the start index from every stored task when the
// store has none yet.
func ensureStartIndex(tx store.Tx) error {
	return ensureIndex(tx, markerStartIndex, bucketTaskStarts, func() ([][]byte, error) {
		var keys [][]byte
		err := store.ScanJSON(tx, bucketTasks, nil, func(_ []byte, t Task) error {
			keys = append(keys, startKey(t))
			return nil
		})
		return keys, err
	})
}

// putStart keeps the start index in step with t, whose stored version was
// old (nil for a new task).
func putStart(tx store.Tx, old *Task, t Task) error {
	if err := ensureStartIndex(tx); err != nil {
		return err
	}
	if old != nil && !old.Start.Equal(t.Start) {
		if err := tx.Delete(bucketTaskStarts, startKey(*old)); err != nil {
			return err
		}
	}
	if old == nil || !old.Start.Equal(t.Start) {
		return tx.Put(bucketTaskStarts, startKey(t), nil)
	}
	return nil
}

// checkStartIndex verifies that every task is in the start index at its
// start and every entry names a task.
func checkStartIndex(tx store.Tx, tasks map[[2]uint64]Task, bad func(string, ...any)) error {
	if ok, err := hasIndex(tx, markerStartIndex); err != nil || !ok {
		return err
	}
	n := 0
	if err := tx.Scan(bucketTaskStarts, nil, func(k, _ []byte) error {
		n++
		area, _ := store.ParseID(k, 8)
		id, err := store.ParseID(k, 16)
		if err != nil {
			return err
		}
		t, ok := tasks[[2]uint64{area, id}]
		if !ok || string(startKey(t)) != string(k) {
			bad("start index entry for task %d/%d does not match a task", area, id)
		}
		return nil
	}); err != nil {
		return err
	}
	if n != len(tasks) {
		bad("start index has %d entries for %d tasks", n, len(tasks))
	}
	return nil
}

// Reminder times. The day-before reminder is due at 16:00 Copenhagen time
// on the day before the task: after school and well before the quiet hours
// (20–08), so an SMS reaches a youth when they can plan the evening and the
// next day. The second is due two hours before the start; it is left out
// when that moment falls in the quiet hours (a task before 10:00), since it
// could only arrive at 08:00, and the day-before reminder covers the task.
const (
	dayBeforeHour = 16
	soonBefore    = 2 * time.Hour
	quietFrom     = 20
	quietTo       = 8
	// reminderHorizon bounds the tasks Reminders reads: the day-before
	// reminder of a task at 23:59 is due 32 hours before it.
	reminderHorizon = 36 * time.Hour
)

// reminderDue returns when the reminders of a task starting at start are
// due: the day-before one and the two-hour one (zero when left out).
func reminderDue(start time.Time) (dayBefore, soon time.Time) {
	c := start.In(people.Copenhagen)
	dayBefore = time.Date(c.Year(), c.Month(), c.Day()-1, dayBeforeHour, 0, 0, 0, people.Copenhagen)
	soon = start.Add(-soonBefore)
	if h := soon.In(people.Copenhagen).Hour(); h >= quietFrom || h < quietTo {
		soon = time.Time{}
	}
	return dayBefore, soon
}

// reminder is one reminder due now: a kind for one claim on one task.
type reminder struct {
	kind  string
	area  uint64
	task  uint64
	claim Claim
}

func (r reminder) key() string {
	return fmt.Sprintf("%s:task:%d:youth:%d:claim:%d", r.kind, r.task, r.claim.YouthID, r.claim.Seq)
}

// dueReminders lists the reminders due at now that were not sent yet, from
// the tasks that start within reminderHorizon: for every youth with an
// active claim on a task that is open or closed (not draft or cancelled),
// the day-before reminder from its time until the two-hour one is due,
// and the two-hour one until the start. A claim placed after a reminder
// was due does not get it (the youth just got their claim confirmed).
func dueReminders(tx store.Tx, now time.Time) ([]reminder, error) {
	var out []reminder
	from := store.Key(uint64(max(now.Unix(), 0)))
	until := uint64(max(now.Add(reminderHorizon).Unix(), 0))
	var tasks [][2]uint64
	if err := tx.ScanAfter(bucketTaskStarts, nil, from, func(k, _ []byte) error {
		start, err := store.ParseID(k, 0)
		if err != nil {
			return err
		}
		if start > until {
			return store.ErrStop
		}
		area, err := store.ParseID(k, 8)
		if err != nil {
			return err
		}
		id, err := store.ParseID(k, 16)
		tasks = append(tasks, [2]uint64{area, id})
		return err
	}); err != nil {
		return nil, err
	}
	for _, at := range tasks {
		t, err := getTask(tx, at[0], at[1])
		if err != nil {
			return nil, fmt.Errorf("start index: task %d/%d: %w", at[0], at[1], err)
		}
		if (t.Status != StatusOpen && t.Status != StatusClosed) || !now.Before(t.Start) {
			continue
		}
		dayBefore, soon := reminderDue(t.Start)
		kind, due := "", time.Time{}
		switch {
		case !soon.IsZero() && !now.Before(soon):
			kind, due = notify.KindReminderSoon, soon
		case !now.Before(dayBefore) && (soon.IsZero() || now.Before(soon)):
			kind, due = notify.KindReminderDayBefore, dayBefore
		default:
			continue
		}
		claims, err := taskClaims(tx, t.AreaID, t.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range claims {
			if c.Status != ClaimActive || !c.Updated.Before(due) {
				continue
			}
			r := reminder{kind: kind, area: t.AreaID, task: t.ID, claim: c}
			if sent, err := notify.Enqueued(tx, notify.ChannelInbox, r.key()); err != nil {
				return nil, err
			} else if !sent {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// Reminders sends the task reminders due at now (see dueReminders) to the
// youths' inboxes, from where the outbox copies them to SMS or e-mail,
// and returns how many it sent. Each (claim, reminder) is sent once
// however often Reminders runs and on however many instances: it finds
// the due reminders in a read transaction and writes only when there are
// new ones, each under an idempotency key. Run it every minute.
func (s *Service) Reminders(now time.Time) (int, error) {
	var due []reminder
	indexed := false
	err := s.db.View(func(tx store.Tx) error {
		var err error
		if indexed, err = hasIndex(tx, markerStartIndex); err != nil || !indexed {
			return err
		}
		due, err = dueReminders(tx, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reminders: %w", err)
	}
	n := 0
	if indexed && len(due) == 0 {
		return 0, nil
	}
	err = s.db.Update(func(tx store.Tx) error {
		n = 0
		if err := ensureStartIndex(tx); err != nil {
			return err
		}
		// Read again in the writing transaction: a claim may have ended
		// or another instance sent the reminder since.
		due, err := dueReminders(tx, now)
		if err != nil {
			return err
		}
		for _, r := range due {
			t, err := getTask(tx, r.area, r.task)
			if err != nil {
				return err
			}
			if err := notify.Enqueue(tx, notify.Message{UserID: r.claim.YouthID, AreaID: r.area, Kind: r.kind,
				Params: taskParams(t), ToYouth: true, Created: now, Key: r.key()}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reminders: %w", err)
	}
	return n, nil
}
