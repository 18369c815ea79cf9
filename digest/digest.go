// Package digest writes the coordinators' periodic messages: a notice on
// the day a case note's follow-up falls due, and a weekly digest of each
// area (follow-ups due, inactive youths, hours and reward requests
// waiting). It reads people, jobs, points and employers and writes through
// notify.Enqueue, so notify itself stays free of those packages. Every
// message has an idempotency key from its event (the note and date, the
// coordinator, area and ISO week), so running the jobs again, or on
// several instances at once, writes each message once.
package digest

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"fritidsjob/employers"
	"fritidsjob/jobs"
	"fritidsjob/notify"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/points"
	"fritidsjob/store"
)

// InactiveDays is how long without activity makes a youth inactive in the digest.
const InactiveDays = 30

// SendHour is the Copenhagen hour from which the day's follow-up notices
// and Monday's digest are written.
const SendHour = 8

// followUpCatchUp is how many days back a follow-up not yet told (the
// server was down on its day) is still told.
const followUpCatchUp = 6

// Service writes the coordinators' follow-up notices and weekly digests.
type Service struct {
	db        store.DB
	people    *people.Service
	jobs      *jobs.Service
	points    *points.Service
	employers *employers.Service
}

// NewService returns the digest service on db reading the given services.
func NewService(db store.DB, ppl *people.Service, jb *jobs.Service, pts *points.Service, emp *employers.Service) *Service {
	return &Service{db: db, people: ppl, jobs: jb, points: pts, employers: emp}
}

// Run calls FollowUpsDue and WeeklyDigest at once and then every interval
// until ctx ends; each acts only in its window, so a frequent interval
// (10 minutes) costs little.
func (s *Service) Run(ctx context.Context, every time.Duration, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.FollowUpsDue(now()); err != nil {
			log.Error("follow-up notices", "err", err)
		} else if n > 0 {
			log.Info("follow-up notices written", "n", n)
		}
		if n, err := s.WeeklyDigest(now()); err != nil {
			log.Error("weekly digest", "err", err)
		} else if n > 0 {
			log.Info("weekly digests written", "n", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// followUpKey is the idempotency key of coordinator to's notice of note n.
func followUpKey(n employers.Note, to uint64) string {
	return fmt.Sprintf("%s:note:%d:date:%s:to:%d", notify.KindFollowUpDue, n.ID, n.FollowUp, to)
}

// FollowUpsDue tells the coordinators of each case note's area, from
// SendHour on the note's follow-up date (or within followUpCatchUp days
// after it), that its follow-up is due: one message per note, date and
// coordinator. It returns how many messages it wrote; before SendHour it
// writes none. A handled follow-up is not told.
func (s *Service) FollowUpsDue(now time.Time) (int, error) {
	c := now.In(people.Copenhagen)
	if c.Hour() < SendHour {
		return 0, nil
	}
	today := people.DateOf(c)
	from := people.DateOf(c.AddDate(0, 0, -followUpCatchUp))
	type due struct {
		note employers.Note
		to   []uint64
	}
	var todo []due
	err := s.db.View(func(tx store.Tx) error {
		todo = todo[:0]
		notes, err := s.employers.FollowUpsTx(tx, from, today)
		if err != nil {
			return err
		}
		for _, n := range notes {
			coords, err := people.MemberIDsTx(tx, n.AreaID, people.RoleCoordinator)
			if err != nil {
				return err
			}
			d := due{note: n}
			for _, to := range coords {
				if ok, err := notify.Enqueued(tx, "", followUpKey(n, to)); err != nil {
					return err
				} else if !ok {
					d.to = append(d.to, to)
				}
			}
			if len(d.to) > 0 {
				todo = append(todo, d)
			}
		}
		return nil
	})
	if err != nil || len(todo) == 0 {
		return 0, wrap("follow-ups due", err)
	}
	written := 0
	err = s.db.Update(func(tx store.Tx) error {
		written = 0
		// Re-read in the writing transaction: a follow-up handled
		// meanwhile is not told.
		still, err := s.employers.FollowUpsTx(tx, from, today)
		if err != nil {
			return err
		}
		open := map[uint64]bool{}
		for _, n := range still {
			open[n.ID] = true
		}
		for _, d := range todo {
			if !open[d.note.ID] {
				continue
			}
			for _, to := range d.to {
				n := d.note
				if err := notify.Enqueue(tx, notify.Message{UserID: to, AreaID: n.AreaID, Kind: notify.KindFollowUpDue,
					Params: map[string]string{"date": n.FollowUp.String(), "youth": strconv.FormatUint(n.YouthID, 10),
						"note": strconv.FormatUint(n.ID, 10)},
					Created: now, Key: followUpKey(n, to)}); err != nil {
					return err
				}
				written++
			}
		}
		return nil
	})
	if err != nil {
		return 0, wrap("follow-ups due", err)
	}
	return written, nil
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Counts is one area's weekly digest.
type Counts struct {
	FollowUps int // case-note follow-ups due by the week's Sunday, not yet handled
	Inactive  int // youths who can log in, with no activity in InactiveDays days
	Hours     int // time entries waiting for approval
	Rewards   int // reward requests waiting for a decision
}

// Week returns the ISO week of t in Copenhagen as "2026-W50", and the
// Sunday that ends it.
func Week(t time.Time) (string, people.Date) {
	c := t.In(people.Copenhagen)
	y, w := c.ISOWeek()
	wd := int(c.Weekday()+6) % 7 // Monday 0
	return fmt.Sprintf("%04d-W%02d", y, w), people.DateOf(c.AddDate(0, 0, 6-wd))
}

func digestKey(week string, area, to uint64) string {
	return fmt.Sprintf("%s:week:%s:area:%d:to:%d", notify.KindCoordinatorDigest, week, area, to)
}

// AreaCounts returns area's digest counts at now.
func (s *Service) AreaCounts(area uint64, now time.Time) (Counts, error) {
	var c Counts
	_, sunday := Week(now)
	err := s.db.View(func(tx store.Tx) error {
		notes, err := s.employers.FollowUpsTx(tx, people.Date{}, sunday)
		for _, n := range notes {
			if n.AreaID == area {
				c.FollowUps++
			}
		}
		return err
	})
	if err != nil {
		return Counts{}, err
	}
	idle, err := IdleYouths(s.db, s.people, s.jobs, area, now.AddDate(0, 0, -InactiveDays))
	if err != nil {
		return Counts{}, err
	}
	for _, y := range idle {
		if y.CanLogIn {
			c.Inactive++
		}
	}
	q, err := s.jobs.Queue(area)
	if err != nil {
		return Counts{}, err
	}
	c.Hours = len(q)
	rs, err := s.points.Redemptions(area, points.StatusRequested)
	if err != nil {
		return Counts{}, err
	}
	c.Rewards = len(rs)
	return c, nil
}

// WeeklyDigest writes, on Mondays from SendHour (Copenhagen) to midnight,
// one message per area to each of its coordinators with the area's
// Counts: counts only, no names. A coordinator of two areas gets one per
// area. It returns how many messages it wrote: none outside the window,
// and none for a coordinator, area and ISO week already written.
func (s *Service) WeeklyDigest(now time.Time) (int, error) {
	c := now.In(people.Copenhagen)
	if c.Weekday() != time.Monday || c.Hour() < SendHour {
		return 0, nil
	}
	week, _ := Week(now)
	areas, err := s.people.Areas()
	if err != nil {
		return 0, wrap("weekly digest", err)
	}
	written := 0
	for _, a := range areas {
		var to []uint64
		err := s.db.View(func(tx store.Tx) error {
			to = to[:0]
			coords, err := people.MemberIDsTx(tx, a.ID, people.RoleCoordinator)
			if err != nil {
				return err
			}
			for _, u := range coords {
				if ok, err := notify.Enqueued(tx, "", digestKey(week, a.ID, u)); err != nil {
					return err
				} else if !ok {
					to = append(to, u)
				}
			}
			return nil
		})
		if err != nil || len(to) == 0 {
			if err != nil {
				return written, wrap("weekly digest of area "+a.Name, err)
			}
			continue
		}
		counts, err := s.AreaCounts(a.ID, now)
		if err != nil {
			return written, wrap("weekly digest of area "+a.Name, err)
		}
		params := map[string]string{"week": week,
			"followups": strconv.Itoa(counts.FollowUps), "inactive": strconv.Itoa(counts.Inactive),
			"hours": strconv.Itoa(counts.Hours), "rewards": strconv.Itoa(counts.Rewards)}
		err = s.db.Update(func(tx store.Tx) error {
			for _, u := range to {
				if err := notify.Enqueue(tx, notify.Message{UserID: u, AreaID: a.ID, Kind: notify.KindCoordinatorDigest,
					Params: params, Created: now, Key: digestKey(week, a.ID, u)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return written, wrap("weekly digest of area "+a.Name, err)
		}
		written += len(to)
	}
	return written, nil
}

// Idle is a youth without activity since a cutoff.
type Idle struct {
	YouthID  uint64
	Last     time.Time // the last activity: registration, a claim's last change, a participation record
	CanLogIn bool      // false for youths imported from the programme's history
}

// IdleYouths lists area's youths (not erased) whose last activity —
// registration, a task claimed or its claim changed, any participation
// record — is before cutoff. The app records no login times, so a login
// alone does not count. It is the retention job's list of youths to erase
// and the weekly digest's inactive count.
func IdleYouths(db store.DB, ppl *people.Service, jb *jobs.Service, area uint64, cutoff time.Time) ([]Idle, error) {
	youths, _, err := ppl.YouthsInArea(area)
	if err != nil {
		return nil, fmt.Errorf("idle youths of area %d: %w", area, err)
	}
	var out []Idle
	for _, y := range youths {
		if !y.User.Erased.IsZero() {
			continue
		}
		last := y.User.Created
		claims, err := jb.YouthClaims(area, y.User.ID)
		if err != nil {
			return nil, fmt.Errorf("idle youths of area %d: %w", area, err)
		}
		for _, c := range claims {
			if c.Claim.Updated.After(last) {
				last = c.Claim.Updated
			}
		}
		recs, err := participation.Records(db, area, y.User.ID)
		if err != nil {
			return nil, fmt.Errorf("idle youths of area %d: %w", area, err)
		}
		for _, r := range recs {
			if r.At.After(last) {
				last = r.At
			}
		}
		if last.Before(cutoff) {
			out = append(out, Idle{YouthID: y.User.ID, Last: last, CanLogIn: y.User.CanLogIn()})
		}
	}
	return out, nil
}
