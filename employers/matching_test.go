package employers

import (
	"slices"
	"testing"

	"fritidsjob/people"
)

func codes(sg Suggestion) []string {
	var out []string
	for _, r := range sg.Reasons {
		out = append(out, r.Code)
	}
	return out
}

// TestMatch: each requirement (age, rules, CV, interview training,
// interests, not in a job, open opening) decides the match and is
// explained by its reason.
func TestMatch(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Zoo Butik", "1234567")
	o := e.opening(emp.ID, func(n *NewOpening) { n.Keywords = []string{"dyr"}; n.MinAge = 15 })
	machines := e.opening(emp.ID, func(n *NewOpening) { n.Machines = true; n.MinAge = 13 })
	closed := o
	closed.Status = OpeningClosed
	birth := func(age int) people.Youth {
		return people.Youth{BirthDate: people.DateOf(e.clk.Now().In(people.Copenhagen).AddDate(-age, -1, 0)),
			School: people.SchoolFinished9}
	}
	ready := &Pipeline{Stage: StageApplied, Steps: []Step{{To: StageOutreach}, {To: StageGuidance}, {To: StageCVReady},
		{To: StageInterviewTraining}, {To: StageApplied}}}
	cvOnly := &Pipeline{Stage: StageCVReady, Steps: []Step{{To: StageOutreach}, {To: StageGuidance}, {To: StageCVReady}}}
	placed := &Pipeline{Stage: StagePlaced, Steps: append(slices.Clone(ready.Steps), Step{To: StagePlaced})}
	tests := []struct {
		name    string
		o       Opening
		y       MatchYouth
		match   bool
		reasons []string
	}{
		{"all fit", o, MatchYouth{Youth: birth(16), Interests: []string{"Dyr", "fodbold"}, Pipeline: ready}, true,
			[]string{ReasonOldEnough, ReasonCVReady, ReasonInterviewTrained, ReasonInterest}},
		{"interest fits the role", o, MatchYouth{Youth: birth(16), Interests: []string{"butikker"}, Pipeline: ready}, true,
			[]string{ReasonOldEnough, ReasonCVReady, ReasonInterviewTrained, ReasonInterest}},
		{"too young", o, MatchYouth{Youth: birth(14), Interests: []string{"dyr"}, Pipeline: ready}, false,
			[]string{ReasonTooYoung, ReasonCVReady, ReasonInterviewTrained, ReasonInterest}},
		{"no birth date", o, MatchYouth{Interests: []string{"dyr"}, Pipeline: ready}, false,
			[]string{ReasonTooYoung, ReasonRule, ReasonCVReady, ReasonInterviewTrained, ReasonInterest}},
		{"machines break a rule at 13", machines, MatchYouth{Youth: birth(13), Interests: []string{"butik"}, Pipeline: ready}, false,
			[]string{ReasonOldEnough, ReasonRule, ReasonCVReady, ReasonInterviewTrained, ReasonInterest}},
		{"no interview training", o, MatchYouth{Youth: birth(16), Interests: []string{"dyr"}, Pipeline: cvOnly}, false,
			[]string{ReasonOldEnough, ReasonCVReady, ReasonNoTraining, ReasonInterest}},
		{"trained by activities", o, MatchYouth{Youth: birth(16), Interests: []string{"dyr"},
			Activities: []Activity{{Kind: ActCVWorkshop}, {Kind: ActInterviewTraining}}}, true,
			[]string{ReasonOldEnough, ReasonCVReady, ReasonInterviewTrained, ReasonInterest}},
		{"not in the pipeline", o, MatchYouth{Youth: birth(16), Interests: []string{"dyr"}}, false,
			[]string{ReasonOldEnough, ReasonNoCV, ReasonNoTraining, ReasonInterest}},
		{"no interest fits", o, MatchYouth{Youth: birth(16), Interests: []string{"fodbold", "ur"}, Pipeline: ready}, false,
			[]string{ReasonOldEnough, ReasonCVReady, ReasonInterviewTrained, ReasonNoInterest}},
		{"holds a job", o, MatchYouth{Youth: birth(16), Interests: []string{"dyr"}, Pipeline: placed}, false,
			[]string{ReasonOldEnough, ReasonCVReady, ReasonInterviewTrained, ReasonInterest, ReasonEmployed}},
		{"closed opening", closed, MatchYouth{Youth: birth(16), Interests: []string{"dyr"}, Pipeline: ready}, false,
			[]string{ReasonClosed, ReasonOldEnough, ReasonCVReady, ReasonInterviewTrained, ReasonInterest}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sg := e.svc.Match(tc.o, emp.Industry, tc.y)
			if sg.Match != tc.match || !slices.Equal(codes(sg), tc.reasons) {
				t.Fatalf("match %v %v, want %v %v", sg.Match, codes(sg), tc.match, tc.reasons)
			}
			for _, r := range sg.Reasons {
				if r.Code == ReasonRule && (r.Text["da"] == "" || r.Text["en"] == "") {
					t.Errorf("rule reason without its message: %+v", r)
				}
			}
		})
	}
}

func TestFittingInterests(t *testing.T) {
	o := Opening{Role: "Butiksmedhjælper", Place: "Gellerup Torv", Keywords: []string{"kasse", "dyrefoder"}}
	tests := []struct {
		interests []string
		want      []string
	}{
		{[]string{"dyr"}, []string{"dyr"}},
		{[]string{"Butik", "fodbold"}, []string{"Butik"}},
		{[]string{"detailhandel"}, []string{"detailhandel"}}, // the industry
		{[]string{"ur", "at", "fodbold"}, nil},
		{[]string{"kassearbejde", "kassearbejde"}, []string{"kassearbejde"}},
		{nil, nil},
	}
	for _, tc := range tests {
		if got := FittingInterests(tc.interests, o, "Detailhandel"); !slices.Equal(got, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.interests, got, tc.want)
		}
	}
}

// TestSuggest: an opening's suggestions are only the matching youths,
// read with their pipelines and activities; a youth's openings list the
// matches first and the others with what is missing.
func TestSuggest(t *testing.T) {
	e := newEnv(t, nil)
	emp := e.employer("Zoo Butik", "1234567")
	o := e.opening(emp.ID, func(n *NewOpening) { n.Keywords = []string{"dyr"} })
	other := e.opening(emp.ID, func(n *NewOpening) { n.Role = "Opvasker"; n.MinAge = 13 })
	ready := e.youth(16, people.SchoolFinished9, people.GenderFemale)
	e.move(ready, StageOutreach, MoveOptions{})
	e.move(ready, StageGuidance, MoveOptions{})
	e.move(ready, StageCVReady, MoveOptions{})
	e.move(ready, StageInterviewTraining, MoveOptions{})
	fresh := e.youth(16, people.SchoolFinished9, people.GenderMale)
	ys := []MatchYouth{{ID: ready, Interests: []string{"dyr"}}, {ID: fresh, Interests: []string{"dyr"}}}
	for i := range ys {
		v, err := e.ppl.Youth(e.area.ID, ys[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		ys[i].Youth = v.Youth
	}
	e.move(fresh, StageOutreach, MoveOptions{})
	got, others, err := e.svc.SuggestYouths(e.area.ID, o.ID, ys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Youth.ID != ready || got[0].EmployerName != "Zoo Butik" {
		t.Fatalf("suggested %+v, want only the ready youth", got)
	}
	if len(others) != 1 || others[0].Youth.ID != fresh || !slices.Contains(codes(others[0]), ReasonNoCV) {
		t.Fatalf("not yet matching: %+v, want the fresh youth without a CV", others)
	}
	if _, _, err := e.svc.SuggestYouths(e.area.ID, 999, ys); !errIsNotFound(err) {
		t.Fatalf("unknown opening: %v", err)
	}
	ops, err := e.svc.SuggestOpenings(e.area.ID, ys[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 2 || ops[0].Opening.ID != o.ID || !ops[0].Match || ops[1].Opening.ID != other.ID || ops[1].Match {
		t.Fatalf("openings for the youth: %+v", ops)
	}
	if !slices.Contains(codes(ops[1]), ReasonNoInterest) {
		t.Fatalf("the dish-washing job should say no interest fits: %v", codes(ops[1]))
	}
}
