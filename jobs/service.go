package jobs

import (
	"fmt"
	"slices"
	"time"

	"fritidsjob/jobs/rules"
	"fritidsjob/people"
	"fritidsjob/store"
)

// Options configure a Service.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// CancelCutoff is how long before the start a youth may still cancel
	// (default 12 h); a coordinator may cancel for them later.
	CancelCutoff time.Duration
	// ConsentAge: youths under it need a guardian's consent before their
	// first wage task (default 15).
	ConsentAge int
}

// Service manages tasks, claims and work in every area.
type Service struct {
	db         store.DB
	people     *people.Service
	rules      *rules.Engine
	now        func() time.Time
	cutoff     time.Duration
	consentAge int
}

// NewService returns a Service on db checking claims with engine; ppl
// reads the youths' (encrypted) profiles.
func NewService(db store.DB, ppl *people.Service, engine *rules.Engine, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CancelCutoff <= 0 {
		o.CancelCutoff = 12 * time.Hour
	}
	if o.ConsentAge <= 0 {
		o.ConsentAge = 15
	}
	return &Service{db: db, people: ppl, rules: engine, now: o.Now, cutoff: o.CancelCutoff, consentAge: o.ConsentAge}
}

// CancelCutoff is how long before the start a youth may still cancel.
func (s *Service) CancelCutoff() time.Duration { return s.cutoff }

// Rules is the engine the service checks with (for pages that list rules).
func (s *Service) Rules() *rules.Engine { return s.rules }

// NewTask is what a coordinator or task owner fills in. RepeatWeeks > 1
// creates that many weekly copies (a series).
type NewTask struct {
	Title, Description, Place, Supervisor string
	Category                              Category
	Commissioner                          Commissioner
	Start, End                            time.Time
	Slots, MinAge, MaxAge                 int
	Lifting12kg, WorksAlone, Machines     bool
	Pay                                   PayKind
	Points, RateOre                       int64
	RepeatWeeks                           int
	Publish                               bool // open at once instead of draft
}

// Limits on task fields.
const (
	maxSlots       = 200
	maxPoints      = 10_000
	maxRateOre     = 100_000 // 1.000 kr. per hour
	maxTaskMinutes = 12 * 60
	maxRepeatWeeks = 26
)

// validTask checks and cleans a new task: its texts, its category and
// commissioner, its times, slots, ages and repeats, and its pay (clearing
// the rate of a points task and the points of a wage task).
func (s *Service) validTask(n *NewTask) error {
	for _, step := range []func(*NewTask) error{validTaskText, validTaskKind, s.validTaskRanges, validTaskPay} {
		if err := step(n); err != nil {
			return err
		}
	}
	return nil
}

// validTaskText cleans the task's texts, refusing a missing required one
// or one that is too long.
func validTaskText(n *NewTask) error {
	var err error
	for _, f := range []struct {
		field    string
		v        *string
		max      int
		required bool
	}{
		{"title", &n.Title, 120, true},
		{"description", &n.Description, 2000, false},
		{"place", &n.Place, 120, true},
		{"supervisor", &n.Supervisor, 120, true},
	} {
		if *f.v, err = text(f.field, *f.v, f.max, f.required); err != nil {
			return err
		}
	}
	return nil
}

// validTaskKind refuses an unknown category or commissioner.
func validTaskKind(n *NewTask) error {
	if !slices.Contains(Categories, n.Category) {
		return invalid("category", "unknown")
	}
	if !slices.Contains(Commissioners, n.Commissioner) {
		return invalid("commissioner", "unknown")
	}
	return nil
}

// validTaskRanges checks the task's times, slots, ages and repeats.
func (s *Service) validTaskRanges(n *NewTask) error {
	switch {
	case n.Start.IsZero() || n.End.IsZero():
		return invalid("start", "required")
	case !n.End.After(n.Start):
		return invalid("end", "before_start")
	case n.End.Sub(n.Start) > maxTaskMinutes*time.Minute:
		return invalid("end", "too_long")
	case n.Start.Before(s.now().Add(-24 * time.Hour)):
		return invalid("start", "past")
	case n.Slots < 1 || n.Slots > maxSlots:
		return invalid("slots", "range")
	case n.MinAge < 8 || n.MaxAge > 30 || n.MinAge > n.MaxAge:
		return invalid("age", "range")
	case n.RepeatWeeks < 0 || n.RepeatWeeks > maxRepeatWeeks:
		return invalid("repeat", "range")
	}
	return nil
}

// validTaskPay checks the pay kind and its amount, and clears the other
// kind's amount.
func validTaskPay(n *NewTask) error {
	switch n.Pay {
	case PayPoints:
		if n.Points < 1 || n.Points > maxPoints {
			return invalid("points", "range")
		}
		n.RateOre = 0
	case PayWage:
		if n.RateOre < 1 || n.RateOre > maxRateOre {
			return invalid("rate", "range")
		}
		n.Points = 0
	default:
		return invalid("pay", "unknown")
	}
	return nil
}

func text(field, s string, max int, required bool) (string, error) {
	s, code := people.CleanText(s, max, required, true)
	if code != "" {
		return "", invalid(field, code)
	}
	return s, nil
}

// CreateTask stores a task (or a weekly series) in area, created by user.
// Refuses with invalid input.
func (s *Service) CreateTask(area, by uint64, n NewTask) ([]Task, error) {
	if err := s.validTask(&n); err != nil {
		return nil, err
	}
	weeks := max(n.RepeatWeeks, 1)
	status := StatusDraft
	if n.Publish {
		status = StatusOpen
	}
	var out []Task
	err := s.db.Update(func(tx store.Tx) error {
		out = out[:0]
		var series uint64
		for w := 0; w < weeks; w++ {
			id, err := tx.NextID(bucketTasks)
			if err != nil {
				return err
			}
			if w == 0 && weeks > 1 {
				series = id
			}
			t := Task{
				ID: id, AreaID: area, SeriesID: series, Title: n.Title, Description: n.Description,
				Category: n.Category, Commissioner: n.Commissioner, Place: n.Place,
				Start: n.Start.AddDate(0, 0, 7*w), End: n.End.AddDate(0, 0, 7*w),
				Slots: n.Slots, MinAge: n.MinAge, MaxAge: n.MaxAge,
				Lifting12kg: n.Lifting12kg, WorksAlone: n.WorksAlone, Machines: n.Machines,
				Supervisor: n.Supervisor, Pay: n.Pay, Points: n.Points, RateOre: n.RateOre,
				Status: status, CreatedBy: by, Created: s.now().UTC(),
			}
			if err := putTask(tx, nil, t); err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create task: %w", err)
	}
	return out, nil
}

// Task returns task id of area, or ErrNotFound.
func (s *Service) Task(area, id uint64) (Task, error) {
	var t Task
	err := s.db.View(func(tx store.Tx) error {
		var err error
		t, err = getTask(tx, area, id)
		return err
	})
	return t, err
}

// taskTerms is the part of a Task that paying for work on it needs: what
// it pays and what the participation record names. Approvals decode it
// from the stored Task record (unknown fields are skipped), which costs far
// less than the whole Task with its description and times.
type taskTerms struct {
	ID       uint64   `json:"id"`
	Title    string   `json:"title"`
	Category Category `json:"category"`
	Place    string   `json:"place"`
	Pay      PayKind  `json:"pay"`
	Points   int64    `json:"points,omitempty"`
	RateOre  int64    `json:"rate_ore,omitempty"`
}

// SchemaVersion is the Task's, since taskTerms is read from Task records:
// a Task written by a newer schema is refused here too.
func (taskTerms) SchemaVersion() int {
	if v, ok := any(Task{}).(store.Versioned); ok {
		return v.SchemaVersion()
	}
	return 1
}

// terms returns t's taskTerms.
func (t Task) terms() taskTerms {
	return taskTerms{ID: t.ID, Title: t.Title, Category: t.Category, Place: t.Place, Pay: t.Pay, Points: t.Points, RateOre: t.RateOre}
}

// Tasks lists the area's tasks with one of statuses (all when none), by start.
func (s *Service) Tasks(area uint64, statuses ...Status) ([]Task, error) {
	var out []Task
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketTasks, store.ID(area), func(_ []byte, t Task) error {
			if len(statuses) == 0 || slices.Contains(statuses, t.Status) {
				out = append(out, t)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Task) int { return a.Start.Compare(b.Start) })
	return out, err
}

// SetStatus moves a task: draft → open, open → closed, draft/open/closed →
// cancelled. Cancelling ends every claim on it.
// Refuses with ErrNotFound, ErrBadTransition.
func (s *Service) SetStatus(area, id uint64, to Status) (Task, error) {
	var t Task
	err := s.db.Update(func(tx store.Tx) error {
		var err error
		if t, err = getTask(tx, area, id); err != nil {
			return err
		}
		ok := map[Status][]Status{
			StatusDraft:  {StatusOpen, StatusCancelled},
			StatusOpen:   {StatusClosed, StatusCancelled},
			StatusClosed: {StatusOpen, StatusCancelled},
		}[t.Status]
		if !slices.Contains(ok, to) {
			return ErrBadTransition
		}
		old := t
		if to == StatusCancelled {
			if err := s.endClaims(tx, &t); err != nil {
				return err
			}
		}
		t.Status = to
		return putTask(tx, &old, t)
	})
	if err != nil {
		return Task{}, fmt.Errorf("task %d to %s: %w", id, to, err)
	}
	return t, nil
}

// endClaims cancels every active or waitlisted claim on t and tells each
// of those youths that the task is cancelled.
func (s *Service) endClaims(tx store.Tx, t *Task) error {
	claims, err := taskClaims(tx, t.AreaID, t.ID)
	if err != nil {
		return err
	}
	for _, c := range claims {
		if c.Status == ClaimCancelled {
			continue
		}
		c.Status, c.Updated = ClaimCancelled, s.now().UTC()
		if err := putClaim(tx, c); err != nil {
			return err
		}
		if err := notifyCancelled(tx, *t, c); err != nil {
			return err
		}
	}
	t.Claimed = 0
	return nil
}

// Calendar returns the area's school calendar: the coordinator's own, or
// the Danish default for the current school year.
func (s *Service) Calendar(area uint64) (rules.AreaCalendar, error) {
	var c rules.AreaCalendar
	err := s.db.View(func(tx store.Tx) error {
		var err error
		c, err = s.calendarTx(tx, area)
		return err
	})
	return c, err
}

func (s *Service) calendarTx(tx store.Tx, area uint64) (rules.AreaCalendar, error) {
	c, ok, err := store.GetJSON[rules.AreaCalendar](tx, bucketCalendars, store.ID(area))
	if err != nil || ok {
		return c, err
	}
	now := s.now().In(people.Copenhagen)
	year := now.Year()
	if now.Month() < time.August {
		year-- // the school year started last August
	}
	return rules.DefaultCalendar(year), nil
}

// SetCalendar replaces the area's school calendar.
func (s *Service) SetCalendar(area uint64, c rules.AreaCalendar) error {
	return s.db.Update(func(tx store.Tx) error { return store.PutJSON(tx, bucketCalendars, store.ID(area), c) })
}
