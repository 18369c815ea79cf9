package jobs

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
)

// activeClaim returns the task when youth holds a slot on it.
func activeClaim(tx store.Tx, area, task, youth uint64) (Task, error) {
	t, err := getTask(tx, area, task)
	if err != nil {
		return Task{}, err
	}
	c, ok, err := getClaim(tx, area, task, youth)
	if err != nil {
		return Task{}, err
	}
	if !ok || c.Status != ClaimActive {
		return Task{}, ErrNoClaim
	}
	if t.Status == StatusCancelled || t.Status == StatusDraft {
		return Task{}, ErrNotOpen
	}
	return t, nil
}

// openEntry finds youth's checked-in entry on task.
func openEntry(tx store.Tx, area, task, youth uint64) (WorkEntry, bool, error) {
	entries, err := youthEntries(tx, area, youth)
	for _, e := range entries {
		if e.TaskID == task && e.Status == EntryOpen {
			return e, true, err
		}
	}
	return WorkEntry{}, false, err
}

// checkInWindow is how far from the task's planned times a check-in may be.
const checkInWindow = time.Hour

// CheckIn starts the clock for youth on task: by the youth on the spot, or
// by the supervisor (by != youth).
// Refuses with ErrNotFound, ErrNotOpen, ErrNoClaim, ErrAlreadyIn and invalid
// input.
func (s *Service) CheckIn(area, task, youth, by uint64) (WorkEntry, error) {
	var e WorkEntry
	err := s.db.Update(func(tx store.Tx) error {
		t, err := activeClaim(tx, area, task, youth)
		if err != nil {
			return err
		}
		now := s.now()
		if now.Before(t.Start.Add(-checkInWindow)) || now.After(t.End.Add(checkInWindow)) {
			return invalid("checkin", "outside_task")
		}
		if _, open, err := openEntry(tx, area, task, youth); err != nil {
			return err
		} else if open {
			return ErrAlreadyIn
		}
		id, err := tx.NextID(bucketEntries)
		if err != nil {
			return err
		}
		src := SourceCheckIn
		if by != youth {
			src = SourceSupervisor
		}
		e = WorkEntry{ID: id, AreaID: area, TaskID: task, YouthID: youth, Start: now.UTC().Truncate(time.Minute),
			Source: src, Status: EntryOpen, CreatedBy: by, Created: now.UTC()}
		return putEntry(tx, e)
	})
	if err != nil {
		return WorkEntry{}, fmt.Errorf("check in: %w", err)
	}
	return e, nil
}

// CheckOut stops the clock; the entry then waits for approval. The worked
// time must obey the young-worker rules like any other entry.
// Refuses with ErrNotFound, ErrNotCheckedIn, *RuleError (ErrRule) and
// invalid input.
func (s *Service) CheckOut(area, task, youth uint64, breakMinutes int) (WorkEntry, error) {
	var e WorkEntry
	err := s.db.Update(func(tx store.Tx) error {
		var ok bool
		var err error
		e, ok, err = openEntry(tx, area, task, youth)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotCheckedIn
		}
		e.End = s.now().UTC().Truncate(time.Minute)
		if !e.End.After(e.Start) {
			e.End = e.Start.Add(time.Minute)
		}
		e.BreakMinutes = breakMinutes
		return s.finishEntry(tx, &e)
	})
	if err != nil {
		return WorkEntry{}, fmt.Errorf("check out: %w", err)
	}
	return e, nil
}

// correctsOwnWork refuses a correction (corrects non-zero) of another
// youth's or another task's entry.
func correctsOwnWork(tx store.Tx, area, task, youth, corrects uint64) error {
	if corrects == 0 {
		return nil
	}
	old, err := getEntry(tx, area, corrects)
	if err != nil {
		return err
	}
	if old.TaskID != task || old.YouthID != youth {
		return invalid("corrects", "other_work")
	}
	return nil
}

// sameStatement finds among entries a live manual statement of the same
// task, times, break and corrected entry as sent.
func sameStatement(entries []WorkEntry, sent WorkEntry) (WorkEntry, bool) {
	for _, o := range entries {
		if o.TaskID == sent.TaskID && o.Source == SourceManual && o.Corrects == sent.Corrects && o.Status != EntryRejected &&
			o.Start.Equal(sent.Start) && o.End.Equal(sent.End) && o.BreakMinutes == sent.BreakMinutes {
			return o, true
		}
	}
	return WorkEntry{}, false
}

// RecordHours records work done afterwards (by the youth, the supervisor or
// a coordinator). It is refused when the youth holds no slot on the task,
// the times are impossible, or a young-worker rule forbids it.
// Refuses with ErrNotFound, ErrNotOpen, ErrNoClaim, *RuleError (ErrRule) and
// invalid input.
func (s *Service) RecordHours(area, task, youth, by uint64, start, end time.Time, breakMinutes int, corrects uint64) (WorkEntry, error) {
	var e WorkEntry
	err := s.db.Update(func(tx store.Tx) error {
		if _, err := activeClaim(tx, area, task, youth); err != nil {
			return err
		}
		if err := correctsOwnWork(tx, area, task, youth, corrects); err != nil {
			return err
		}
		// The same hours sent again (a double click, or a retry after a
		// lost answer) are the entry already there, not new work.
		mine, err := youthEntries(tx, area, youth)
		if err != nil {
			return err
		}
		sent := WorkEntry{TaskID: task, Source: SourceManual, Corrects: corrects, Start: start, End: end, BreakMinutes: breakMinutes}
		if o, ok := sameStatement(mine, sent); ok {
			e = o
			return nil
		}
		id, err := tx.NextID(bucketEntries)
		if err != nil {
			return err
		}
		e = WorkEntry{ID: id, AreaID: area, TaskID: task, YouthID: youth, Start: start.UTC(), End: end.UTC(),
			BreakMinutes: breakMinutes, Source: SourceManual, Corrects: corrects, CreatedBy: by, Created: s.now().UTC()}
		return s.finishEntry(tx, &e)
	})
	if err != nil {
		return WorkEntry{}, fmt.Errorf("record hours: %w", err)
	}
	return e, nil
}

// finishEntry validates a closed entry against time and the rules and
// stores it as pending.
func (s *Service) finishEntry(tx store.Tx, e *WorkEntry) error {
	switch {
	case e.Start.IsZero() || e.End.IsZero():
		return invalid("start", "required")
	case !e.End.After(e.Start):
		return invalid("end", "before_start")
	case e.End.Sub(e.Start) > maxTaskMinutes*time.Minute:
		return invalid("end", "too_long")
	case e.End.After(s.now().Add(5 * time.Minute)):
		return invalid("end", "future")
	case e.BreakMinutes < 0 || time.Duration(e.BreakMinutes)*time.Minute >= e.End.Sub(e.Start):
		return invalid("break", "range")
	}
	e.Minutes = int(e.End.Sub(e.Start)/time.Minute) - e.BreakMinutes
	t, err := getTask(tx, e.AreaID, e.TaskID)
	if err != nil {
		return err
	}
	y, err := s.people.YouthTx(tx, e.AreaID, e.YouthID)
	if err != nil {
		return err
	}
	version, err := s.eligibleWork(tx, t, y, e)
	if err != nil {
		return err
	}
	e.RuleVersion, e.Status = version, EntryPending
	return putEntry(tx, *e)
}

// eligibleWork checks recorded work: rules only (the age range was checked
// at claim time and the youth may have had a birthday since).
func (s *Service) eligibleWork(tx store.Tx, t Task, y people.Youth, e *WorkEntry) (string, error) {
	day := people.DateOf(e.Start.In(people.Copenhagen))
	cal, err := s.calendarTx(tx, t.AreaID)
	if err != nil {
		return "", err
	}
	busy, err := busyShifts(tx, t.AreaID, y.UserID, t.ID)
	if err != nil {
		return "", err
	}
	// Other entries on the same task (an earlier session that day) count too.
	mine, err := youthEntries(tx, t.AreaID, y.UserID)
	if err != nil {
		return "", err
	}
	for _, o := range mine {
		// A correction replaces its original and any earlier correction of it.
		replaced := e.Corrects != 0 && (o.ID == e.Corrects || o.Corrects == e.Corrects)
		if o.ID == e.ID || replaced || o.Status == EntryRejected || o.End.IsZero() {
			continue
		}
		// Nobody works two shifts at once: the same hours recorded twice
		// (by the youth and by the supervisor, say) would be paid twice.
		if o.Start.Before(e.End) && e.Start.Before(o.End) {
			return "", invalid("start", "overlap")
		}
		if o.TaskID == t.ID {
			busy = append(busy, rules.Shift{Start: o.Start, End: o.End, BreakMinutes: o.BreakMinutes})
		}
	}
	res := s.rules.Check(rules.BandOf(y.BirthDate, y.School, day), rules.Task{Wage: t.Pay == PayWage,
		Lifting12kg: t.Lifting12kg, WorksAlone: t.WorksAlone, Machines: t.Machines}, cal, busy,
		rules.Shift{Start: e.Start, End: e.End, BreakMinutes: e.BreakMinutes})
	if !res.OK() {
		v := res.Violations[0]
		return res.Version, &RuleError{Rule: v.Rule, Version: res.Version, Messages: v.Message}
	}
	return res.Version, nil
}

// ApprovalKey is the ledger idempotency key of an entry's payment: one
// entry is paid once, however often its approval is retried.
func ApprovalKey(entry uint64) string { return "approve:entry:" + strconv.FormatUint(entry, 10) }

// pay computes what an approved entry earns on a task with terms t.
func pay(t taskTerms, e WorkEntry) (points.Currency, int64) {
	if t.Pay == PayWage {
		return points.Ore, points.WageOre(e.Minutes, t.RateOre)
	}
	return points.Points, t.Points
}

// Approve approves pending entries of area: each is marked approved, paid
// from the area budget and recorded as participation, all in one
// transaction per entry (shared commits under load). An entry already
// decided is reported in the result and paid nothing more.
// Refuses with ErrNotFound, ErrAlreadyDecided.
func (s *Service) Approve(area, by uint64, ids ...uint64) (approved []WorkEntry, err error) {
	var errs []error
	for _, id := range ids {
		e, err := s.approveOne(area, by, id)
		if err != nil {
			errs = append(errs, fmt.Errorf("approve work entry %d: %w", id, err))
			continue
		}
		approved = append(approved, e)
	}
	return approved, errors.Join(errs...)
}

func (s *Service) approveOne(area, by, id uint64) (WorkEntry, error) {
	var e WorkEntry
	err := s.db.Batch(func(tx store.Tx) error {
		var err error
		if e, err = getEntry(tx, area, id); err != nil {
			return err
		}
		if e.Status != EntryPending {
			return ErrAlreadyDecided
		}
		t, err := getTaskTerms(tx, area, e.TaskID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if e.Corrects != 0 {
			if err := s.approveCorrection(tx, t, &e, by, now); err != nil {
				return err
			}
			return notifyDecision(tx, t.Title, e)
		}
		tr, err := payInFull(tx, area, t, e, by, now)
		if err != nil {
			return err
		}
		e.Status, e.DecidedBy, e.DecidedAt, e.TransferID = EntryApproved, by, now, tr.ID
		if err := saveEntry(tx, e); err != nil {
			return err
		}
		return notifyDecision(tx, t.Title, e)
	})
	return e, err
}

// payInFull pays entry e of area its whole amount from the budget and
// records the work as participation.
func payInFull(tx store.Tx, area uint64, t taskTerms, e WorkEntry, by uint64, now time.Time) (points.Transfer, error) {
	cur, amount := pay(t, e)
	kind, rate := points.KindTaskPoints, int64(0)
	if cur == points.Ore {
		kind, rate = points.KindTaskWage, t.RateOre
	}
	tr, _, err := points.Post(tx, points.Transfer{
		AreaID: area, Key: ApprovalKey(e.ID), Currency: cur, From: points.BudgetAccount,
		To: points.YouthAccount(e.YouthID), Amount: amount, Kind: kind,
		Ref: "task:" + strconv.FormatUint(t.ID, 10), Minutes: e.Minutes, RateOre: rate, At: now, By: by,
	})
	if err != nil {
		return points.Transfer{}, err
	}
	_, _, err = participation.Append(tx, participation.Record{
		AreaID: area, YouthID: e.YouthID, Date: people.DateOf(e.Start.In(people.Copenhagen)).String(),
		Type: participation.TaskWork, Minutes: e.Minutes, Attrs: map[string]string{"category": string(t.Category), "title": t.Title, "place": t.Place},
		Source: "work:" + strconv.FormatUint(e.ID, 10), At: now,
	})
	if err != nil {
		return points.Transfer{}, err
	}
	return tr, nil
}

// approveCorrection approves an entry that corrects another. A pending
// original is set aside (rejected, naming the correction) and the
// correction is paid in full. An approved original stays paid, and the
// correction pays only the difference (none when equal), so the same work is
// never paid twice: for wages as a new wage transfer plus the reversal of the
// latest paid one (so payroll shows the corrected hours), for points as an
// adjustment either way. The work was done once, so
// a correction writes no participation record of its own.
func (s *Service) approveCorrection(tx store.Tx, t taskTerms, e *WorkEntry, by uint64, now time.Time) error {
	old, err := getEntry(tx, e.AreaID, e.Corrects)
	if err != nil {
		return err
	}
	switch old.Status {
	case EntryPending, EntryOpen:
		old.Status, old.Reason, old.DecidedBy, old.DecidedAt = EntryRejected, "corrected by entry "+strconv.FormatUint(e.ID, 10), by, now
		if err := saveEntry(tx, old); err != nil {
			return err
		}
		tr, err := payInFull(tx, e.AreaID, t, *e, by, now)
		if err != nil {
			return err
		}
		e.TransferID = tr.ID
	case EntryApproved:
		if err := payDifference(tx, t, e, old, by, now); err != nil {
			return err
		}
	default:
		return ErrAlreadyDecided // a rejected entry is not corrected; record new hours instead
	}
	e.Status, e.DecidedBy, e.DecidedAt = EntryApproved, by, now
	return saveEntry(tx, *e)
}

// payDifference pays correction e of the approved entry old only the
// difference to what is paid so far: nothing when equal, a restated wage
// (payRestatedWage) or a points adjustment either way.
func payDifference(tx store.Tx, t taskTerms, e *WorkEntry, old WorkEntry, by uint64, now time.Time) error {
	cur, amount := pay(t, *e)
	// Each correction restates the hours in full, so what is paid so far
	// is the pay of the latest approved statement: the original or its
	// newest approved correction.
	latest := old
	mine, err := youthEntries(tx, e.AreaID, e.YouthID)
	if err != nil {
		return err
	}
	for _, o := range mine {
		if o.Corrects == old.ID && o.Status == EntryApproved && o.ID != e.ID && o.ID > latest.ID {
			latest = o
		}
	}
	_, paid := pay(t, latest)
	if amount == paid {
		return nil
	}
	ref := "correction:" + strconv.FormatUint(old.ID, 10)
	if cur == points.Ore {
		return payRestatedWage(tx, t, e, latest, ref, by, now)
	}
	delta := amount - paid
	from, to := points.BudgetAccount, points.YouthAccount(e.YouthID)
	if delta < 0 {
		from, to, delta = to, from, -delta
	}
	tr, _, err := points.Post(tx, points.Transfer{AreaID: e.AreaID, Key: ApprovalKey(e.ID), Currency: cur,
		From: from, To: to, Amount: delta, Kind: points.KindAdjust, Ref: ref, At: now, By: by})
	if err != nil {
		return err
	}
	e.TransferID = tr.ID
	return nil
}

// payRestatedWage pays wage correction e in full, then takes back the
// wage of latest, the statement paid before it.
func payRestatedWage(tx store.Tx, t taskTerms, e *WorkEntry, latest WorkEntry, ref string, by uint64, now time.Time) error {
	cur, amount := pay(t, *e)
	_, paid := pay(t, latest)
	// Wages restate the hours: pay the new statement in full, then
	// take back the latest paid one, both as wage transfers with
	// their minutes, so the month's payroll nets to the corrected
	// hours (paying first keeps the balance from going negative).
	tr, _, err := points.Post(tx, points.Transfer{AreaID: e.AreaID, Key: ApprovalKey(e.ID), Currency: cur,
		From: points.BudgetAccount, To: points.YouthAccount(e.YouthID), Amount: amount, Kind: points.KindTaskWage,
		Minutes: e.Minutes, RateOre: t.RateOre, Ref: ref, At: now, By: by})
	if err != nil {
		return err
	}
	if _, _, err := points.Post(tx, points.Transfer{AreaID: e.AreaID, Key: ApprovalKey(e.ID) + ":reverse", Currency: cur,
		From: points.YouthAccount(e.YouthID), To: points.BudgetAccount, Amount: paid, Kind: points.KindTaskWage,
		Minutes: latest.Minutes, RateOre: t.RateOre, Ref: ref, At: now, By: by}); err != nil {
		return err
	}
	e.TransferID = tr.ID
	return nil
}

// ApproveTask approves every pending entry on a task at once: a group task
// pays each youth who took part.
// Refuses with ErrNotFound, ErrAlreadyDecided.
func (s *Service) ApproveTask(area, task, by uint64) ([]WorkEntry, error) {
	var entries []WorkEntry
	err := s.db.View(func(tx store.Tx) error {
		var err error
		entries, err = pendingEntries(tx, area, func(e WorkEntry) bool { return e.TaskID == task })
		return err
	})
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return s.Approve(area, by, ids...)
}

// Reject refuses a pending entry with a reason the youth sees.
// Refuses with ErrNotFound, ErrAlreadyDecided and invalid input.
func (s *Service) Reject(area, by, id uint64, reason string) (WorkEntry, error) {
	reason, err := text("reason", reason, 500, true)
	if err != nil {
		return WorkEntry{}, err
	}
	var e WorkEntry
	err = s.db.Update(func(tx store.Tx) error {
		var err error
		if e, err = getEntry(tx, area, id); err != nil {
			return err
		}
		if e.Status != EntryPending {
			return ErrAlreadyDecided
		}
		e.Status, e.Reason, e.DecidedBy, e.DecidedAt = EntryRejected, reason, by, s.now().UTC()
		if err := saveEntry(tx, e); err != nil {
			return err
		}
		t, err := getTaskTerms(tx, area, e.TaskID)
		if err != nil {
			return err
		}
		return notifyDecision(tx, t.Title, e)
	})
	if err != nil {
		return WorkEntry{}, fmt.Errorf("reject work entry %d: %w", id, err)
	}
	return e, nil
}

// Entries lists the area's work entries that keep returns true for,
// newest first.
func (s *Service) Entries(area uint64, keep func(WorkEntry) bool) ([]WorkEntry, error) {
	var out []WorkEntry
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketEntries, store.ID(area), func(_ []byte, e WorkEntry) error {
			if keep == nil || keep(e) {
				out = append(out, e)
			}
			return nil
		})
	})
	slices.Reverse(out)
	return out, err
}

// YouthEntries lists youth's work entries, newest first.
func (s *Service) YouthEntries(area, youth uint64) ([]WorkEntry, error) {
	var out []WorkEntry
	err := s.db.View(func(tx store.Tx) error {
		var err error
		out, err = youthEntries(tx, area, youth)
		return err
	})
	slices.Reverse(out)
	return out, err
}

// Queue is the coordinator's approval queue: pending entries, oldest first.
func (s *Service) Queue(area uint64) ([]WorkEntry, error) {
	var out []WorkEntry
	err := s.db.View(func(tx store.Tx) error {
		var err error
		out, err = pendingEntries(tx, area, nil)
		return err
	})
	return out, err
}

// notifyDecision tells the youth, in the decision's transaction, that
// their hours on the task titled title were approved or rejected (with
// the reason). The message names the task and the work's time only.
func notifyDecision(tx store.Tx, title string, e WorkEntry) error {
	kind := notify.KindHoursApproved
	params := map[string]string{"task": title, "start": e.Start.UTC().Format(time.RFC3339),
		"minutes": strconv.Itoa(e.Minutes)}
	if e.Status == EntryRejected {
		kind, params["reason"] = notify.KindHoursRejected, e.Reason
	}
	return notify.Enqueue(tx, notify.Message{UserID: e.YouthID, AreaID: e.AreaID, Kind: kind, Params: params,
		ToYouth: true, Created: e.DecidedAt,
		Key: kind + ":entry:" + strconv.FormatUint(e.ID, 10)})
}
