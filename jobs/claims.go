package jobs

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"fritidsjob/jobs/rules"
	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// busyShifts are the youth's other commitments the rules count: tasks with
// an active claim, and recorded work that is not rejected. Work recorded on
// a claimed task replaces the plan for that task.
func busyShifts(tx store.Tx, area, youth, except uint64) ([]rules.Shift, error) {
	tasks, claims, err := youthTasks(tx, area, youth)
	if err != nil {
		return nil, err
	}
	worked := map[uint64]bool{}
	var out []rules.Shift
	entries, err := youthEntries(tx, area, youth)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Status == EntryRejected || e.End.IsZero() {
			continue
		}
		worked[e.TaskID] = true
		if e.TaskID != except {
			out = append(out, rules.Shift{Start: e.Start, End: e.End, BreakMinutes: e.BreakMinutes})
		}
	}
	for i, t := range tasks {
		if t.ID == except || claims[i].Status != ClaimActive || worked[t.ID] || t.Status == StatusCancelled {
			continue
		}
		out = append(out, plannedShift(t))
	}
	return out, nil
}

// eligible checks age and the young-worker rules for youth y on t, with
// the youth's other commitments read in the same transaction.
func (s *Service) eligible(tx store.Tx, t Task, y people.Youth, shift rules.Shift) (string, error) {
	cal, err := s.calendarTx(tx, t.AreaID)
	if err != nil {
		return "", err
	}
	busy, err := busyShifts(tx, t.AreaID, y.UserID, t.ID)
	if err != nil {
		return "", err
	}
	return s.eligibleGiven(tx, t, y, shift, cal, busy)
}

// eligibleGiven is eligible with the area's calendar and the youth's other
// commitments already read: a page that checks many tasks for one youth
// reads them once.
func (s *Service) eligibleGiven(tx store.Tx, t Task, y people.Youth, shift rules.Shift, cal rules.Calendar, busy []rules.Shift) (string, error) {
	day := people.DateOf(shift.Start.In(people.Copenhagen))
	age := y.BirthDate.AgeOn(day)
	if age < t.MinAge || age > t.MaxAge {
		return "", ErrAgeOutside
	}
	band := rules.BandOf(y.BirthDate, y.School, day)
	res := s.rules.Check(band, rules.Task{Wage: t.Pay == PayWage, Lifting12kg: t.Lifting12kg,
		WorksAlone: t.WorksAlone, Machines: t.Machines}, cal, busy, shift)
	if !res.OK() {
		v := res.Violations[0]
		return res.Version, &RuleError{Rule: v.Rule, Version: res.Version, Messages: v.Message}
	}
	// Under the consent age a guardian must have agreed to wage work.
	if t.Pay == PayWage && age < s.consentAge {
		if _, ok, err := people.ActiveConsentTx(tx, t.AreaID, y.UserID); err != nil {
			return "", err
		} else if !ok {
			return res.Version, ErrConsentRequired
		}
	}
	return res.Version, nil
}

// plannedShift is the task as the rules see it before anyone has worked:
// a task longer than 4.5 hours is assumed to include the 30-minute break
// the supervisor must plan, which the recorded work must then show.
func plannedShift(t Task) rules.Shift {
	s := rules.Shift{Start: t.Start, End: t.End}
	if t.End.Sub(t.Start) > 270*time.Minute {
		s.BreakMinutes = 30
	}
	return s
}

// ClaimResult says whether the youth got a slot or a waitlist place.
type ClaimResult struct {
	Claim    Claim
	Position int // 1-based place on the waitlist; 0 with a slot
}

// Claim gives youth a slot on task, or a waitlist place when the slots are
// full. Age and every young-worker rule are checked first, in the same
// transaction that takes the slot, so parallel claims can neither overbook
// the task nor push a youth past a limit.
// Refuses with ErrNotFound, ErrNotOpen, ErrStarted, ErrAlreadyClaimed,
// ErrAgeOutside, ErrConsentRequired and *RuleError (ErrRule).
func (s *Service) Claim(area, task, youth uint64) (ClaimResult, error) {
	var res ClaimResult
	err := s.db.Update(func(tx store.Tx) error {
		res = ClaimResult{}
		t, err := getTask(tx, area, task)
		if err != nil {
			return err
		}
		if t.Status != StatusOpen {
			return ErrNotOpen
		}
		now := s.now()
		if !now.Before(t.Start) {
			return ErrStarted
		}
		old, ok, err := getClaim(tx, area, task, youth)
		if err != nil {
			return err
		}
		if ok && old.Status != ClaimCancelled {
			return ErrAlreadyClaimed
		}
		y, err := s.people.YouthTx(tx, area, youth)
		if err != nil {
			return err
		}
		version, err := s.eligible(tx, t, y, plannedShift(t))
		if err != nil {
			return err
		}
		seq, err := tx.NextID(seqClaims)
		if err != nil {
			return err
		}
		c := Claim{AreaID: area, TaskID: task, YouthID: youth, Seq: seq, RuleVersion: version,
			Created: now.UTC(), Updated: now.UTC(), Status: ClaimWaitlist}
		if t.Claimed < t.Slots {
			c.Status = ClaimActive
			old := t
			t.Claimed++
			if err := putTask(tx, &old, t); err != nil {
				return err
			}
		} else if res.Position, err = waitlistPlace(tx, area, task); err != nil {
			return err
		}
		res.Claim = c
		if err := putClaim(tx, c); err != nil {
			return err
		}
		if c.Status != ClaimActive {
			return nil
		}
		if err := notifyConfirmed(tx, t, c); err != nil {
			return err
		}
		return s.notifyFirstWage(tx, t, c, y)
	})
	if err != nil {
		return ClaimResult{}, fmt.Errorf("claim task %d: %w", task, err)
	}
	return res, nil
}

// waitlistPlace is the place on task's waitlist a new claim gets: one
// after those waiting.
func waitlistPlace(tx store.Tx, area, task uint64) (int, error) {
	claims, err := taskClaims(tx, area, task)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range claims {
		if o.Status == ClaimWaitlist {
			n++
		}
	}
	return n + 1, nil
}

// Cancel ends youth's claim on task. A youth may cancel until the cut-off
// before the start; byStaff lets a coordinator cancel for them later. A
// freed slot goes to the first youth on the waitlist whom the rules still
// allow.
// Refuses with ErrNotFound, ErrNoClaim, ErrTooLate.
func (s *Service) Cancel(area, task, youth uint64, byStaff bool) error {
	err := s.db.Update(func(tx store.Tx) error {
		t, err := getTask(tx, area, task)
		if err != nil {
			return err
		}
		c, ok, err := getClaim(tx, area, task, youth)
		if err != nil {
			return err
		}
		if !ok || c.Status == ClaimCancelled {
			return ErrNoClaim
		}
		now := s.now()
		if !byStaff && !now.Before(t.Start.Add(-s.cutoff)) {
			return ErrTooLate
		}
		had := c.Status == ClaimActive
		c.Status, c.Updated = ClaimCancelled, now.UTC()
		if err := putClaim(tx, c); err != nil {
			return err
		}
		if had {
			old := t
			t.Claimed--
			if err := s.promote(tx, &t); err != nil {
				return err
			}
			return putTask(tx, &old, t)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cancel claim on task %d: %w", task, err)
	}
	return nil
}

// promote moves waitlisted youths into free slots, in claiming order,
// skipping (and keeping on the list) any the rules now refuse.
func (s *Service) promote(tx store.Tx, t *Task) error {
	if t.Status != StatusOpen || !s.now().Before(t.Start) {
		return nil
	}
	claims, err := taskClaims(tx, t.AreaID, t.ID)
	if err != nil {
		return err
	}
	for _, c := range claims {
		if t.Claimed >= t.Slots {
			return nil
		}
		if c.Status != ClaimWaitlist {
			continue
		}
		y, err := s.people.YouthTx(tx, t.AreaID, c.YouthID)
		if err != nil {
			return err
		}
		version, err := s.eligible(tx, *t, y, plannedShift(*t))
		var re *RuleError
		if errors.As(err, &re) || errors.Is(err, ErrAgeOutside) || errors.Is(err, ErrConsentRequired) {
			continue
		}
		if err != nil {
			return err
		}
		c.Status, c.RuleVersion, c.Updated = ClaimActive, version, s.now().UTC()
		if err := putClaim(tx, c); err != nil {
			return err
		}
		if err := notifyPromoted(tx, *t, c); err != nil {
			return err
		}
		if err := s.notifyFirstWage(tx, *t, c, y); err != nil {
			return err
		}
		t.Claimed++
	}
	return nil
}

// Claims lists the claims on a task in claiming order.
func (s *Service) Claims(area, task uint64) ([]Claim, error) {
	var out []Claim
	err := s.db.View(func(tx store.Tx) error {
		var err error
		out, err = taskClaims(tx, area, task)
		return err
	})
	return out, err
}

// MyTask is a task a youth has claimed, with the claim.
type MyTask struct {
	Task  Task
	Claim Claim
}

// YouthClaims lists the tasks youth has claimed or is waitlisted on, by start.
func (s *Service) YouthClaims(area, youth uint64) ([]MyTask, error) {
	var out []MyTask
	err := s.db.View(func(tx store.Tx) error {
		tasks, claims, err := youthTasks(tx, area, youth)
		for i := range tasks {
			out = append(out, MyTask{Task: tasks[i], Claim: claims[i]})
		}
		return err
	})
	slices.SortFunc(out, func(a, b MyTask) int { return a.Task.Start.Compare(b.Task.Start) })
	return out, err
}

// Offer is an open task and whether a youth may take it (and why not).
type Offer struct {
	Task         Task
	Claim        *Claim     // the youth's claim, if any
	Refusal      *RuleError // the first rule that refuses it
	TooOld       bool       // outside the task's ages
	TooYoung     bool
	NeedsConsent bool // a wage task that waits for a guardian\'s consent
}

// Offers lists the area's open, not yet started tasks for youth, each with
// the youth's claim or the reason the youth may not take it.
// Refuses with people.ErrNotFound for a youth not in area.
func (s *Service) Offers(area, youth uint64) ([]Offer, error) {
	var out []Offer
	err := s.db.View(func(tx store.Tx) error {
		y, err := s.people.YouthTx(tx, area, youth)
		if err != nil {
			return err
		}
		now := s.now()
		// Read the calendar and the youth's commitments once for all tasks:
		// the offered tasks are ones the youth holds no claim on, so none of
		// them is among the commitments.
		cal, err := s.calendarTx(tx, area)
		if err != nil {
			return err
		}
		busy, err := busyShifts(tx, area, youth, 0)
		if err != nil {
			return err
		}
		return openTasks(tx, area, now.Unix(), func(t Task) error {
			if t.Status != StatusOpen || !now.Before(t.Start) {
				return nil
			}
			o := Offer{Task: t}
			if c, ok, err := getClaim(tx, area, t.ID, youth); err != nil {
				return err
			} else if ok && c.Status != ClaimCancelled {
				o.Claim = &c
			}
			if o.Claim == nil {
				_, err := s.eligibleGiven(tx, t, y, plannedShift(t), cal, busy)
				var re *RuleError
				switch {
				case errors.As(err, &re):
					o.Refusal = re
				case errors.Is(err, ErrAgeOutside):
					age := y.BirthDate.AgeOn(people.DateOf(t.Start.In(people.Copenhagen)))
					o.TooYoung, o.TooOld = age < t.MinAge, age > t.MaxAge
				case errors.Is(err, ErrConsentRequired):
					o.NeedsConsent = true
				case err != nil:
					return err
				}
			}
			out = append(out, o)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Offer) int { return a.Task.Start.Compare(b.Task.Start) })
	return out, err
}

// Verdict is whether a youth may take a task, and if not, why.
type Verdict struct {
	Rule         *RuleError // the first young-worker rule that refuses it
	AgeOutside   bool       // outside the task's ages
	NeedsConsent bool       // a wage task without the guardian's consent
}

// OK reports whether nothing refuses the task.
func (v Verdict) OK() bool { return v.Rule == nil && !v.AgeOutside && !v.NeedsConsent }

// Eligibility explains, for a coordinator, whether youth may take task and
// which rule refuses it.
// Refuses with ErrNotFound (people.ErrNotFound for a youth not in area).
func (s *Service) Eligibility(area, task, youth uint64) (Verdict, error) {
	var v Verdict
	err := s.db.View(func(tx store.Tx) error {
		t, err := getTask(tx, area, task)
		if err != nil {
			return err
		}
		y, err := s.people.YouthTx(tx, area, youth)
		if err != nil {
			return err
		}
		_, err = s.eligible(tx, t, y, plannedShift(t))
		switch {
		case errors.As(err, &v.Rule):
		case errors.Is(err, ErrAgeOutside):
			v.AgeOutside = true
		case errors.Is(err, ErrConsentRequired):
			v.NeedsConsent = true
		case err != nil:
			return err
		}
		return nil
	})
	return v, err
}

// notifyCancelled tells a youth who had a place or a waitlist spot on t
// that t is cancelled, in the transaction that cancels it.
func notifyCancelled(tx store.Tx, t Task, c Claim) error {
	return notify.Enqueue(tx, notify.Message{UserID: c.YouthID, AreaID: t.AreaID, Kind: notify.KindTaskCancelled,
		Params:  taskParams(t),
		ToYouth: true, Created: c.Updated,
		Key: fmt.Sprintf("%s:task:%d:youth:%d", notify.KindTaskCancelled, t.ID, c.YouthID)})
}

// taskParams names a task in a message: its title and time, nothing about
// any youth.
func taskParams(t Task) map[string]string {
	return map[string]string{"task": t.Title, "start": t.Start.UTC().Format(time.RFC3339), "end": t.End.UTC().Format(time.RFC3339)}
}

// notifyPromoted tells a youth moved up from the waitlist that they have
// a place, in the transaction that moves them: the task's title and time,
// nothing about the youth whose place it was.
func notifyPromoted(tx store.Tx, t Task, c Claim) error {
	return notify.Enqueue(tx, notify.Message{UserID: c.YouthID, AreaID: t.AreaID, Kind: notify.KindWaitlistPromoted,
		Params:  taskParams(t),
		ToYouth: true, Created: c.Updated,
		Key: fmt.Sprintf("%s:task:%d:youth:%d:claim:%d", notify.KindWaitlistPromoted, t.ID, c.YouthID, c.Seq)})
}
