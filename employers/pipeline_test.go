package employers

import (
	"errors"
	"slices"
	"testing"

	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

func TestTransitions(t *testing.T) {
	for _, tc := range []struct {
		from, to Stage
		ok       bool
	}{
		{"", StageOutreach, true},
		{"", StageGuidance, false},
		{"", StagePlaced, false},
		{StageOutreach, StageGuidance, true},
		{StageOutreach, StageCVReady, false},
		{StageGuidance, StageCVReady, true},
		{StageGuidance, StageOutreach, false},
		{StageCVReady, StageInterviewTraining, true},
		{StageCVReady, StageApplied, true},
		{StageCVReady, StageGuidance, true},
		{StageInterviewTraining, StageApplied, true},
		{StageInterviewTraining, StageCVReady, true},
		{StageApplied, StageInterview, true},
		{StageApplied, StagePlaced, true},
		{StageApplied, StageInterviewTraining, true},
		{StageInterview, StagePlaced, true},
		{StageInterview, StageApplied, true},
		{StageInterview, StageFollowUp1M, false},
		{StagePlaced, StageFollowUp1M, true},
		{StagePlaced, StageFollowUp3M, false},
		{StagePlaced, StageEnded, true},
		{StagePlaced, StageInterview, false},
		{StageFollowUp1M, StageFollowUp3M, true},
		{StageFollowUp1M, StageEnded, true},
		{StageFollowUp1M, StagePlaced, false},
		{StageFollowUp3M, StageFollowUp6M, true},
		{StageFollowUp3M, StageEnded, true},
		{StageFollowUp6M, StageEnded, true},
		{StageFollowUp6M, StageFollowUp1M, false},
		{StageEnded, StageGuidance, true},
		{StageEnded, StageApplied, true},
		{StageEnded, StagePlaced, false},
		{StageEnded, StageEnded, false},
		{StageGuidance, StageEnded, false},
		{StageApplied, StageEnded, false},
		{StageOutreach, "hired", false},
	} {
		if got := Allowed(tc.from, tc.to); got != tc.ok {
			t.Errorf("Allowed(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
	// Every forward step is allowed.
	for i := 0; i+1 < len(Stages); i++ {
		if !Allowed(Stages[i], Stages[i+1]) {
			t.Errorf("forward step %s → %s refused", Stages[i], Stages[i+1])
		}
	}
}

func TestMoveRefusesDisallowed(t *testing.T) {
	e := newEnv(t, nil)
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	if _, err := e.svc.Move(e.area.ID, y, StageGuidance, 1, "", MoveOptions{}); !errors.Is(err, ErrBadMove) {
		t.Fatalf("first move to guidance: %v", err)
	}
	e.move(y, StageOutreach, MoveOptions{})
	for _, to := range []Stage{StageApplied, StagePlaced, StageEnded, StageFollowUp1M, StageOutreach} {
		if _, err := e.svc.Move(e.area.ID, y, to, 1, "", MoveOptions{EndReason: EndOther}); !errors.Is(err, ErrBadMove) {
			t.Errorf("outreach → %s: %v, want ErrBadMove", to, err)
		}
	}
	if _, err := e.svc.Move(e.area.ID, y, "nowhere", 1, "", MoveOptions{}); !isInvalid(err, "stage", "unknown") {
		t.Errorf("unknown stage: %v", err)
	}
	// A youth of another area (or none) is not found.
	if _, err := e.svc.Move(e.area.ID+1, y, StageOutreach, 1, "", MoveOptions{}); !errors.Is(err, people.ErrNotFound) {
		t.Errorf("other area: %v", err)
	}
	p, err := e.svc.Pipeline(e.area.ID, y)
	if err != nil || p.Stage != StageOutreach || len(p.Steps) != 1 {
		t.Fatalf("pipeline after refusals: %+v, %v", p, err)
	}
	e.check()
}

// TestFullPipeline walks one youth through every stage and checks each
// step's participation record.
func TestFullPipeline(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Brugsen", "2132436")
	o := e.opening(emp.ID, nil)
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)

	e.move(y, StageOutreach, MoveOptions{})
	e.move(y, StageGuidance, MoveOptions{Minutes: 60})
	e.move(y, StageCVReady, MoveOptions{Minutes: 90})
	e.move(y, StageInterviewTraining, MoveOptions{Minutes: 45})
	if _, err := e.svc.RecordActivity(e.area.ID, y, ActInterviewTraining, date("2026-11-01"), 30, 1); err != nil {
		t.Fatal(err)
	}
	e.move(y, StageApplied, MoveOptions{})
	e.move(y, StageInterview, MoveOptions{})
	if _, err := e.svc.Move(e.area.ID, y, StagePlaced, 1, "", MoveOptions{}); !isInvalid(err, "opening", "required") {
		t.Fatalf("placed without opening: %v", err)
	}
	p := e.move(y, StagePlaced, MoveOptions{OpeningID: o.ID})
	if p.SpellID == 0 {
		t.Fatal("no spell")
	}
	// Today (2 Nov) is before the start (9 Nov): the follow-up is refused.
	if _, err := e.svc.Move(e.area.ID, y, StageFollowUp1M, 1, "", MoveOptions{}); !isInvalid(err, "followup", "before_start") {
		t.Fatalf("follow-up before start: %v", err)
	}
	if _, err := e.svc.Move(e.area.ID, y, StageFollowUp1M, 1, "", MoveOptions{Date: date("2026-11-08")}); !isInvalid(err, "followup", "before_start") {
		t.Fatalf("follow-up dated before start: %v", err)
	}
	e.clk.Set(cph(2026, 12, 9, 10, 0))
	e.move(y, StageFollowUp1M, MoveOptions{})
	e.clk.Set(cph(2027, 2, 9, 10, 0))
	e.move(y, StageFollowUp3M, MoveOptions{})
	e.clk.Set(cph(2027, 5, 10, 10, 0))
	e.move(y, StageFollowUp6M, MoveOptions{})
	if _, err := e.svc.Move(e.area.ID, y, StageEnded, 1, "", MoveOptions{}); !isInvalid(err, "end_reason", "unknown") {
		t.Fatalf("end without reason: %v", err)
	}
	p = e.move(y, StageEnded, MoveOptions{EndReason: EndEducation, Date: date("2027-06-30")})
	if p.EndReason != EndEducation || p.SpellID != 0 || len(p.Steps) != 11 {
		t.Fatalf("ended pipeline: %+v", p)
	}
	sp, err := e.svc.Spells(e.area.ID, y)
	if err != nil || len(sp) != 1 || sp[0].End == nil || *sp[0].End != date("2027-06-30") ||
		sp[0].Start != o.StartDate || sp[0].EmployerID != emp.ID || sp[0].EndReason != EndEducation {
		t.Fatalf("spells = %+v, %v", sp, err)
	}
	var types []participation.Type
	for _, r := range e.records(y) {
		types = append(types, r.Type)
	}
	want := []participation.Type{participation.GuidanceSession, participation.CVWorkshop,
		participation.InterviewTraining, participation.InterviewTraining, participation.Placement,
		participation.RetentionFollowUp, participation.RetentionFollowUp, participation.RetentionFollowUp}
	if !slices.Equal(types, want) {
		t.Fatalf("participation types = %v, want %v", types, want)
	}
	acts, err := e.svc.Activities(e.area.ID, y)
	if err != nil || len(acts) != 4 || acts[0].Minutes != 60 {
		t.Fatalf("activities = %+v, %v", acts, err)
	}
	// Re-entry after the end, and a second placement gives a second spell.
	e.move(y, StageApplied, MoveOptions{})
	o2 := e.opening(emp.ID, func(n *NewOpening) { n.StartDate = date("2027-06-01") })
	if _, err := e.svc.Move(e.area.ID, y, StagePlaced, 1, "", MoveOptions{OpeningID: o2.ID}); err != nil {
		t.Fatal(err)
	}
	e.check()
}

func TestPlacementAgeAndRules(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Brugsen", "2132436")
	o := e.opening(emp.ID, nil) // MinAge 15
	young := e.youth(14, people.SchoolCompulsory, people.GenderMale)
	e.toInterview(young)
	_, err := e.svc.Move(e.area.ID, young, StagePlaced, 1, "", MoveOptions{OpeningID: o.ID})
	if !errors.Is(err, ErrTooYoung) {
		t.Fatalf("14-year-old on a 15+ opening: %v", err)
	}
	if p, _ := e.svc.Pipeline(e.area.ID, young); p.Stage != StageInterview {
		t.Fatalf("stage after refusal: %s", p.Stage)
	}
	if sp, _ := e.svc.Spells(e.area.ID, 0); len(sp) != 0 {
		t.Fatalf("spells after refusal: %v", sp)
	}
	// Turning 15 before a later start date is fine: age counts on the start.
	late := e.opening(emp.ID, func(n *NewOpening) { n.StartDate = date("2027-10-04") })
	if probs, err := e.svc.CheckOpening(e.area.ID, late.ID, young); err != nil || len(probs) != 0 {
		t.Fatalf("later start: %v, %v", probs, err)
	}

	// Machines are not for the young band (14, or 15–17 in compulsory school).
	mach := e.opening(emp.ID, func(n *NewOpening) { n.MinAge = 13; n.Machines = true; n.Lifting12kg = true })
	probs, err := e.svc.CheckOpening(e.area.ID, mach.ID, young)
	if err != nil || !slices.Contains(probs, "task.machines") || !slices.Contains(probs, "task.lifting") {
		t.Fatalf("machines for 14-year-old: %v, %v", probs, err)
	}
	var re *RuleError
	if _, err := e.svc.Move(e.area.ID, young, StagePlaced, 1, "", MoveOptions{OpeningID: mach.ID}); !errors.As(err, &re) {
		t.Fatalf("placement breaking rules: %v", err)
	}
	if len(re.Messages) != len(re.Rules) || re.Message("da") == "" || re.Message("en") == re.Message("da") {
		t.Fatalf("rule error without its messages: %+v", re)
	}
	// A 16-year-old who finished 9th grade may use machines but not lift.
	older := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	probs, err = e.svc.CheckOpening(e.area.ID, mach.ID, older)
	if err != nil || !slices.Equal(probs, []string{"task.lifting"}) {
		t.Fatalf("machines for 16-year-old: %v, %v", probs, err)
	}
	// An adult has no young-worker rules.
	adult := e.youth(19, people.SchoolFinished9, people.GenderFemale)
	if probs, _ := e.svc.CheckOpening(e.area.ID, mach.ID, adult); len(probs) != 0 {
		t.Fatalf("adult: %v", probs)
	}
	// A closed opening takes no placements.
	if err := e.svc.CloseOpening(e.area.ID, late.ID); err != nil {
		t.Fatal(err)
	}
	e.toInterview(older)
	if _, err := e.svc.Move(e.area.ID, older, StagePlaced, 1, "", MoveOptions{OpeningID: late.ID}); !errors.Is(err, ErrOpeningClosed) {
		t.Fatalf("closed opening: %v", err)
	}
	e.check()
}

// TestParticipationRollback: when the participation write fails, the
// move, the spell and the activity are not written either.
func TestParticipationRollback(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Brugsen", "2132436")
	o := e.opening(emp.ID, nil)
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	e.toInterview(y)
	boom := errors.New("participation down")
	e.svc.appendRecord = func(store.Tx, participation.Record) (participation.Record, bool, error) {
		return participation.Record{}, false, boom
	}
	if _, err := e.svc.Move(e.area.ID, y, StagePlaced, 1, "", MoveOptions{OpeningID: o.ID}); !errors.Is(err, boom) {
		t.Fatalf("placement: %v", err)
	}
	if p, _ := e.svc.Pipeline(e.area.ID, y); p.Stage != StageInterview || len(p.Steps) != 6 {
		t.Fatalf("pipeline after failed placement: %s, %d steps", p.Stage, len(p.Steps))
	}
	if sp, _ := e.svc.Spells(e.area.ID, 0); len(sp) != 0 {
		t.Fatalf("spell written: %v", sp)
	}
	if _, err := e.svc.RecordActivity(e.area.ID, y, ActGuidance, date("2026-11-02"), 30, 1); !errors.Is(err, boom) {
		t.Fatalf("activity: %v", err)
	}
	if a, _ := e.svc.Activities(e.area.ID, y); len(a) != 0 {
		t.Fatalf("activity written: %v", a)
	}
	// A real invalid record (via the real Append) also rolls back.
	e.svc.appendRecord = func(tx store.Tx, r participation.Record) (participation.Record, bool, error) {
		r.Date = "not a date"
		return participation.Append(tx, r)
	}
	if _, err := e.svc.Move(e.area.ID, y, StagePlaced, 1, "", MoveOptions{OpeningID: o.ID}); !errors.Is(err, participation.ErrInvalid) {
		t.Fatalf("placement with invalid record: %v", err)
	}
	if len(e.records(y)) != 0 {
		t.Fatalf("records written: %v", e.records(y))
	}
	e.check()
	// With the real writer, the same placement succeeds with its record.
	e.svc.appendRecord = participation.Append
	p := e.move(y, StagePlaced, MoveOptions{OpeningID: o.ID})
	rs := e.records(y)
	if len(rs) != 1 || rs[0].Type != participation.Placement || rs[0].Source != spellSource(p.SpellID) || rs[0].Date != "2026-11-09" {
		t.Fatalf("records = %+v", rs)
	}
	e.check()
}

func TestRecordActivityValidation(t *testing.T) {
	e := newEnv(t, nil)
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	for _, tc := range []struct {
		kind    ActivityKind
		d       string
		minutes int
		field   string
		code    string
	}{
		{"party", "2026-11-01", 30, "kind", "unknown"},
		{ActGuidance, "2026-11-03", 30, "date", "future"},
		{ActGuidance, "2026-11-01", 0, "minutes", "range"},
		{ActGuidance, "2026-11-01", 24*60 + 1, "minutes", "range"},
	} {
		if _, err := e.svc.RecordActivity(e.area.ID, y, tc.kind, date(tc.d), tc.minutes, 1); !isInvalid(err, tc.field, tc.code) {
			t.Errorf("%+v: %v", tc, err)
		}
	}
	if _, err := e.svc.RecordActivity(e.area.ID, 999, ActGuidance, date("2026-11-01"), 30, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown youth: %v", err)
	}
}

func TestCheckFindsBrokenHistory(t *testing.T) {
	e := newEnv(t, nil)
	y := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	err := e.db.Update(func(tx store.Tx) error {
		return store.PutJSON(tx, bucketPipelines, store.Key(e.area.ID, y), Pipeline{AreaID: e.area.ID, YouthID: y,
			Stage: StagePlaced, Steps: []Step{{To: StageOutreach}, {From: StageOutreach, To: StagePlaced}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = e.db.View(func(tx store.Tx) error { return Check(tx) })
	if err == nil {
		t.Fatal("Check accepted a forbidden step and a placement without a spell")
	}
}
