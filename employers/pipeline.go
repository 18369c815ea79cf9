package employers

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// transitions is the pipeline's transition table: from a stage ("" for a
// youth not yet in the pipeline) to the stages a coordinator may move the
// youth to. Besides every forward step:
//   - cv_ready → applied: interview training is offered, not required;
//   - applied → placed: some employers hire without an interview;
//   - back steps before a placement: cv_ready → guidance (the CV needs more
//     work), interview_training → cv_ready, applied → interview_training and
//     interview → applied or interview_training (a rejection: train more or
//     apply elsewhere);
//   - placed and every follow-up → ended (the job ends, with a reason);
//   - ended → guidance or applied: a youth whose job ended re-enters.
//
// A placed youth cannot step back before placed: the job spell must be
// ended first. A youth who has not been placed cannot be ended: such a
// youth stays at their stage and shows up in Inactive.
var transitions = map[Stage][]Stage{
	"":                     {StageOutreach},
	StageOutreach:          {StageGuidance},
	StageGuidance:          {StageCVReady},
	StageCVReady:           {StageInterviewTraining, StageApplied, StageGuidance},
	StageInterviewTraining: {StageApplied, StageCVReady},
	StageApplied:           {StageInterview, StagePlaced, StageInterviewTraining},
	StageInterview:         {StagePlaced, StageApplied, StageInterviewTraining},
	StagePlaced:            {StageFollowUp1M, StageEnded},
	StageFollowUp1M:        {StageFollowUp3M, StageEnded},
	StageFollowUp3M:        {StageFollowUp6M, StageEnded},
	StageFollowUp6M:        {StageEnded},
	StageEnded:             {StageGuidance, StageApplied},
}

// Allowed reports whether the transition table allows moving from from
// ("" for a youth not yet in the pipeline) to to.
func Allowed(from, to Stage) bool { return slices.Contains(transitions[from], to) }

// Next lists the stages a youth at from may be moved to, in table order.
func Next(from Stage) []Stage { return slices.Clone(transitions[from]) }

// activityOf maps the stages that may carry an activity to its kind.
var activityOf = map[Stage]ActivityKind{
	StageGuidance:          ActGuidance,
	StageCVReady:           ActCVWorkshop,
	StageInterviewTraining: ActInterviewTraining,
}

var participationOf = map[ActivityKind]participation.Type{
	ActGuidance:          participation.GuidanceSession,
	ActCVWorkshop:        participation.CVWorkshop,
	ActInterviewTraining: participation.InterviewTraining,
}

// Valid reports whether k is a known activity kind.
func (k ActivityKind) Valid() bool { _, ok := participationOf[k]; return ok }

// MoveOptions are the optional parts of a pipeline move.
type MoveOptions struct {
	// OpeningID is required when moving to placed.
	OpeningID uint64
	// Date is the day the move is about: the placement's start (default
	// the opening's start date), the follow-up's or the end's date
	// (default today).
	Date people.Date
	// EndReason is required when moving to ended.
	EndReason EndReason
	// Minutes, when positive on a move to guidance, cv_ready or
	// interview_training, records that session as an Activity (guidance,
	// CV workshop, interview training) on Date in the same transaction.
	Minutes int
}

// Move moves youth in area to stage to, recorded as a Step by user by
// with reason why, in one transaction together with what the move means:
//   - to placed: opt.OpeningID must name an open opening of area
//     (ErrOpeningClosed otherwise); the youth must be at least its MinAge
//     on the start date (ErrTooYoung) and the opening must break no
//     young-worker rule for the youth (*RuleError, see CheckOpeningFor).
//     A JobSpell starting on opt.Date (default the opening's start date)
//     and a participation.Placement record are written;
//   - to a follow-up: a participation.RetentionFollowUp record for the
//     open spell; a date before the spell's start is refused
//     (invalid followup/before_start);
//   - to ended: opt.EndReason is required (invalid
//     end_reason/unknown) and the open spell gets its End date (not
//     before its start: invalid end/before_start);
//   - to guidance, cv_ready or interview_training with opt.Minutes > 0:
//     an Activity and its participation record.
//
// A move not in the transition table is refused with ErrBadMove. If any
// write fails nothing is changed.
// Refuses with ErrNotFound, ErrBadMove, ErrOpeningClosed, ErrTooYoung,
// *RuleError (ErrRules) and invalid input.
func (s *Service) Move(area, youth uint64, to Stage, by uint64, why string, opt MoveOptions) (Pipeline, error) {
	why, err := text("why", why, 1000, false)
	if err != nil {
		return Pipeline{}, err
	}
	if !to.Valid() {
		return Pipeline{}, invalid("stage", "unknown")
	}
	if opt.Minutes < 0 || opt.Minutes > 24*60 {
		return Pipeline{}, invalid("minutes", "range")
	}
	now := s.now()
	m := &move{s: s, area: area, youth: youth, by: by, to: to, why: why, opt: opt,
		now: now, today: people.DateOf(now.In(people.Copenhagen))}
	if err := s.db.Update(m.run); err != nil {
		return Pipeline{}, fmt.Errorf("move youth %d to %s: %w", youth, to, err)
	}
	return m.p, nil
}

// move is one Move inside its transaction: run may be retried, and each
// run starts again from the stored pipeline.
type move struct {
	s               *Service
	tx              store.Tx
	area, youth, by uint64
	to              Stage
	why             string
	opt             MoveOptions
	now             time.Time
	today           people.Date

	p    Pipeline
	y    people.Youth
	date people.Date // the day the move is about
	st   Step
	rec  *participation.Record // the move's participation record, if any
}

// run checks the move, does what the target stage means and writes the
// pipeline with its new step.
func (m *move) run(tx store.Tx) error {
	m.tx = tx
	if err := m.load(); err != nil {
		return err
	}
	var err error
	switch to := m.to; {
	case to == StagePlaced:
		err = m.placeYouth()
	case to.Employed(): // a follow-up
		err = m.followUp()
	case to == StageEnded:
		err = m.endSpell()
	}
	if err != nil {
		return err
	}
	return m.save()
}

// load reads the youth's pipeline (a new one when there is none) and the
// youth, refuses a move the table does not allow, and starts the step.
func (m *move) load() error {
	tx, area, youth, to := m.tx, m.area, m.youth, m.to
	p, ok, err := getPipeline(tx, area, youth)
	if err != nil {
		return err
	}
	if err := m.s.liveYouth(tx, area, youth); err != nil {
		return err
	}
	y, err := m.s.people.YouthTx(tx, area, youth)
	if err != nil {
		return err
	}
	if !ok {
		p = Pipeline{AreaID: area, YouthID: youth}
	}
	if !Allowed(p.Stage, to) {
		return fmt.Errorf("%w: %q to %q", ErrBadMove, p.Stage, to)
	}
	date := m.opt.Date
	if date.IsZero() {
		date = m.today
	}
	st := Step{At: m.now.UTC(), By: m.by, From: p.Stage, To: to, Date: date}
	if st.WhySealed, err = m.s.sealText(tx, youth, m.why); err != nil {
		return err
	}
	m.p, m.y, m.date, m.st, m.rec = p, y, date, st, nil
	return nil
}

// placeYouth writes the placement's job spell (see place).
func (m *move) placeYouth() error {
	sp, r, err := m.s.place(m.tx, m.area, m.y, m.opt)
	if err != nil {
		return err
	}
	m.st.Date, m.st.OpeningID, m.st.SpellID = sp.Start, sp.OpeningID, sp.ID
	m.p.SpellID, m.rec = sp.ID, &r
	return nil
}

// followUp records a follow-up of the open spell, not dated before it.
func (m *move) followUp() error {
	area, youth, to, date := m.area, m.youth, m.to, m.date
	sp, err := getSpell(m.tx, area, m.p.SpellID)
	if err != nil {
		return err
	}
	if date.Before(sp.Start) {
		return invalid("followup", "before_start")
	}
	m.st.SpellID = sp.ID
	m.rec = &participation.Record{AreaID: area, YouthID: youth, Date: date.String(),
		Type: participation.RetentionFollowUp, Source: followUpSource(sp.ID, to),
		Attrs: map[string]string{"stage": string(to), "spell": strconv.FormatUint(sp.ID, 10),
			"employer": strconv.FormatUint(sp.EmployerID, 10)}}
	return nil
}

// endSpell ends the open spell with the move's reason, not before its
// start.
func (m *move) endSpell() error {
	tx, area, opt, date := m.tx, m.area, m.opt, m.date
	if !opt.EndReason.Valid() {
		return invalid("end_reason", "unknown")
	}
	sp, err := getSpell(tx, area, m.p.SpellID)
	if err != nil {
		return err
	}
	if date.Before(sp.Start) {
		return invalid("end", "before_start")
	}
	end := date
	sp.End, sp.EndReason = &end, opt.EndReason
	if err := store.PutJSON(tx, bucketSpells, store.Key(area, sp.ID), sp); err != nil {
		return err
	}
	m.st.SpellID, m.st.EndReason = sp.ID, opt.EndReason
	m.p.SpellID, m.p.EndReason = 0, opt.EndReason
	return nil
}

// save appends the step, writes the pipeline, the session's activity and
// the participation record, and returns the pipeline as Pipeline shows it.
func (m *move) save() error {
	s, tx, area, youth, to, p := m.s, m.tx, m.area, m.youth, m.to, m.p
	if to != StageEnded {
		p.EndReason = ""
	}
	p.Stage = to
	p.Steps = append(p.Steps, m.st)
	if err := store.PutJSON(tx, bucketPipelines, store.Key(area, youth), p); err != nil {
		return err
	}
	if kind, ok := activityOf[to]; ok && m.opt.Minutes > 0 {
		if _, err := s.addActivity(tx, area, youth, kind, m.date, m.opt.Minutes, m.by, m.now); err != nil {
			return err
		}
	}
	if rec := m.rec; rec != nil {
		rec.At = m.now.UTC()
		if _, _, err := s.appendRecord(tx, *rec); err != nil {
			return err
		}
	}
	var err error
	m.p, err = s.openPipeline(tx, p)
	return err
}

// place checks and writes the job spell of a placement and returns it
// with the participation record to write.
func (s *Service) place(tx store.Tx, area uint64, y people.Youth, opt MoveOptions) (JobSpell, participation.Record, error) {
	if opt.OpeningID == 0 {
		return JobSpell{}, participation.Record{}, invalid("opening", "required")
	}
	o, err := getOpening(tx, area, opt.OpeningID)
	if err != nil {
		return JobSpell{}, participation.Record{}, err
	}
	if o.Status != OpeningOpen {
		return JobSpell{}, participation.Record{}, ErrOpeningClosed
	}
	start := opt.Date
	if start.IsZero() {
		start = o.StartDate
	}
	o.StartDate = start // rules and age apply on the real start
	if problems := s.CheckOpeningFor(o, y); len(problems) > 0 {
		if problems[0] == RuleMinAge {
			return JobSpell{}, participation.Record{}, ErrTooYoung
		}
		re := &RuleError{Rules: problems}
		for _, v := range s.ruleViolations(o, y) {
			re.Messages = append(re.Messages, v.Message)
		}
		return JobSpell{}, participation.Record{}, re
	}
	id, err := tx.NextID(bucketSpells)
	if err != nil {
		return JobSpell{}, participation.Record{}, err
	}
	sp := JobSpell{ID: id, AreaID: area, YouthID: y.UserID, EmployerID: o.EmployerID, OpeningID: o.ID, Start: start}
	if err := store.PutJSON(tx, bucketSpells, store.Key(area, id), sp); err != nil {
		return JobSpell{}, participation.Record{}, err
	}
	rec := participation.Record{AreaID: area, YouthID: y.UserID, Date: start.String(),
		Type: participation.Placement, Source: spellSource(id),
		Attrs: map[string]string{"employer": strconv.FormatUint(o.EmployerID, 10),
			"opening": strconv.FormatUint(o.ID, 10)}}
	return sp, rec, nil
}

// RecordActivity records a guidance session, CV workshop or interview
// training of youth in area on date lasting minutes (1 to 1440), with its
// participation record in the same transaction. The date may not be in
// the future.
// Refuses with ErrNotFound and invalid input.
func (s *Service) RecordActivity(area, youth uint64, kind ActivityKind, date people.Date, minutes int, by uint64) (Activity, error) {
	switch {
	case !kind.Valid():
		return Activity{}, invalid("kind", "unknown")
	case date.IsZero():
		return Activity{}, invalid("date", "required")
	case s.today().Before(date):
		return Activity{}, invalid("date", "future")
	case minutes < 1 || minutes > 24*60:
		return Activity{}, invalid("minutes", "range")
	}
	var a Activity
	err := s.db.Update(func(tx store.Tx) error {
		if ok, err := people.YouthExists(tx, area, youth); err != nil {
			return err
		} else if !ok {
			return ErrNotFound
		}
		var err error
		a, err = s.addActivity(tx, area, youth, kind, date, minutes, by, s.now())
		return err
	})
	if err != nil {
		return Activity{}, fmt.Errorf("record activity: %w", err)
	}
	return a, nil
}

func (s *Service) addActivity(tx store.Tx, area, youth uint64, kind ActivityKind, date people.Date, minutes int, by uint64, now time.Time) (Activity, error) {
	id, err := tx.NextID(seqActivities)
	if err != nil {
		return Activity{}, err
	}
	a := Activity{ID: id, AreaID: area, YouthID: youth, Kind: kind, Date: date, Minutes: minutes, By: by, At: now.UTC()}
	if err := store.PutJSON(tx, bucketActivities, store.Key(area, youth, id), a); err != nil {
		return Activity{}, err
	}
	_, _, err = s.appendRecord(tx, participation.Record{AreaID: area, YouthID: youth, Date: date.String(),
		Type: participationOf[kind], Minutes: minutes, Source: activitySource(id), At: now.UTC()})
	return a, err
}

// Pipeline returns youth's pipeline in area, or ErrNotFound when the
// youth has never been moved.
func (s *Service) Pipeline(area, youth uint64) (Pipeline, error) {
	var p Pipeline
	err := s.db.View(func(tx store.Tx) error {
		var ok bool
		var err error
		p, ok, err = getPipeline(tx, area, youth)
		if err == nil && !ok {
			err = ErrNotFound
		}
		if err != nil {
			return err
		}
		p, err = s.openPipeline(tx, p)
		return err
	})
	return p, err
}

// Pipelines lists area's pipelines in youth ID order.
func (s *Service) Pipelines(area uint64) ([]Pipeline, error) {
	var out []Pipeline
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketPipelines, store.ID(area), func(_ []byte, p Pipeline) error {
			p, err := s.openPipeline(tx, p)
			out = append(out, p)
			return err
		})
	})
	return out, err
}

// Activities lists youth's activities in area in the order recorded.
func (s *Service) Activities(area, youth uint64) ([]Activity, error) {
	var out []Activity
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketActivities, store.Key(area, youth), func(_ []byte, a Activity) error {
			out = append(out, a)
			return nil
		})
	})
	return out, err
}

// Spells lists area's job spells in ID order; youth 0 means every youth.
func (s *Service) Spells(area, youth uint64) ([]JobSpell, error) {
	var out []JobSpell
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketSpells, store.ID(area), func(_ []byte, sp JobSpell) error {
			if youth == 0 || sp.YouthID == youth {
				out = append(out, sp)
			}
			return nil
		})
	})
	return out, err
}

// errIsNotFound reports whether err means a missing youth or record.
func errIsNotFound(err error) bool {
	return errors.Is(err, people.ErrNotFound) || errors.Is(err, ErrNotFound)
}

// ForEachSpell calls fn with each job spell of area in ID order inside tx:
// the outcome the evaluation export reads.
func ForEachSpell(tx store.Tx, area uint64, fn func(JobSpell) error) error {
	return store.ScanJSON(tx, bucketSpells, store.ID(area), func(_ []byte, sp JobSpell) error { return fn(sp) })
}
