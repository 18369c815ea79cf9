package employers

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Reason explains one part of a match: a language-neutral Code the UI
// translates (as "match.<Code>", filled with Args), or, for a broken
// young-worker rule, the rule's own Text per language. OK says whether
// the reason speaks for the match or against it.
type Reason struct {
	Code string
	Args []string
	Text map[string]string
	OK   bool
}

// Reason codes. For: old_enough (age, min age), interest (the interests
// that fit), cv_ready, interview_trained. Against: too_young (age, min
// age), rule (Text holds the rule's message), no_cv, no_training,
// no_interest, employed (the youth holds a job), closed (the opening).
const (
	ReasonOldEnough        = "old_enough"
	ReasonInterest         = "interest"
	ReasonCVReady          = "cv_ready"
	ReasonInterviewTrained = "interview_trained"
	ReasonTooYoung         = "too_young"
	ReasonRule             = "rule"
	ReasonNoCV             = "no_cv"
	ReasonNoTraining       = "no_training"
	ReasonNoInterest       = "no_interest"
	ReasonEmployed         = "employed"
	ReasonClosed           = "closed"
)

// MatchYouth is what matching knows about a youth: the profile (birth
// date, school status), the interests from the youth's CV, the pipeline
// (nil when never moved) and the recorded activities.
type MatchYouth struct {
	ID         uint64
	Name       string
	Youth      people.Youth
	Interests  []string
	Pipeline   *Pipeline
	Activities []Activity
}

// Suggestion is one youth–opening pair with why it fits (or does not):
// Match is true when every requirement holds (old enough, no young-worker
// rule broken, CV done, interview training done, at least one interest
// fits, not in a job, the opening open). Reasons come in that order.
type Suggestion struct {
	Youth   MatchYouth
	Opening Opening
	// EmployerName is the opening's employer, for display.
	EmployerName string
	Match        bool
	Reasons      []Reason
	// Score orders suggestions: more fitting interests first.
	Score int
}

// Readiness reports whether a youth has a CV ready and interview training
// done: a pipeline step ever reached that stage (or a later one in the
// pipeline order), or a CV workshop / interview training was recorded.
func Readiness(p *Pipeline, acts []Activity) (cvReady, trained bool) {
	if p != nil {
		for _, st := range p.Steps {
			switch st.To {
			case StageCVReady:
				cvReady = true
			case StageInterviewTraining:
				cvReady, trained = true, true
			case StageInterview, StagePlaced, StageFollowUp1M, StageFollowUp3M, StageFollowUp6M:
				// An interview or a job shows both were done in practice.
				cvReady, trained = true, true
			}
		}
	}
	for _, a := range acts {
		switch a.Kind {
		case ActCVWorkshop:
			cvReady = true
		case ActInterviewTraining:
			trained = true
		}
	}
	return cvReady, trained
}

// words splits s into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// FittingInterests lists the youth's interests that fit the opening: an
// interest fits when one of its words (three letters or more) shares a
// stem of at least four letters with a word of the opening's role,
// keywords or place, or of the employer's industry ("dyr" fits
// "dyrehandel", "butik" fits "butiksmedhjælper").
func FittingInterests(interests []string, o Opening, industry string) []string {
	var target []string
	for _, s := range append([]string{o.Role, o.Place, industry}, o.Keywords...) {
		target = append(target, words(s)...)
	}
	var out []string
	for _, in := range interests {
		fits := false
		for _, w := range words(in) {
			if len([]rune(w)) < 3 {
				continue
			}
			for _, t := range target {
				if stemFit(w, t) {
					fits = true
				}
			}
		}
		if fits && !slices.Contains(out, in) {
			out = append(out, in)
		}
	}
	return out
}

// stemFit reports whether a and b begin alike: one is a prefix of the
// other (at least three letters), or they share their first four letters.
func stemFit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(ra) >= 3 && string(rb[:len(ra)]) == string(ra) {
		return true
	}
	return len(ra) >= 4 && string(ra[:4]) == string(rb[:4])
}

// Match explains how youth y fits opening o of an employer in industry:
// age on the start date and the young-worker rules (checked as
// CheckOpeningFor does), readiness (Readiness), interests
// (FittingInterests) and whether the youth already holds a job.
func (s *Service) Match(o Opening, industry string, y MatchYouth) Suggestion {
	sg := Suggestion{Youth: y, Opening: o, Match: true}
	against := func(r Reason) { sg.Match = false; sg.Reasons = append(sg.Reasons, r) }
	age := y.Youth.BirthDate.AgeOn(o.StartDate)
	ages := []string{strconv.Itoa(age), strconv.Itoa(o.MinAge)}
	if o.Status != OpeningOpen {
		against(Reason{Code: ReasonClosed})
	}
	if y.Youth.BirthDate.IsZero() || age < o.MinAge {
		against(Reason{Code: ReasonTooYoung, Args: ages})
	} else {
		sg.Reasons = append(sg.Reasons, Reason{Code: ReasonOldEnough, Args: ages, OK: true})
	}
	for _, v := range s.ruleViolations(o, y.Youth) {
		against(Reason{Code: ReasonRule, Args: []string{v.Rule}, Text: v.Message})
	}
	cvReady, trained := Readiness(y.Pipeline, y.Activities)
	if cvReady {
		sg.Reasons = append(sg.Reasons, Reason{Code: ReasonCVReady, OK: true})
	} else {
		against(Reason{Code: ReasonNoCV})
	}
	if trained {
		sg.Reasons = append(sg.Reasons, Reason{Code: ReasonInterviewTrained, OK: true})
	} else {
		against(Reason{Code: ReasonNoTraining})
	}
	if fit := FittingInterests(y.Interests, o, industry); len(fit) > 0 {
		sg.Reasons = append(sg.Reasons, Reason{Code: ReasonInterest, Args: []string{strings.Join(fit, ", ")}, OK: true})
		sg.Score = len(fit)
	} else {
		against(Reason{Code: ReasonNoInterest})
	}
	if y.Pipeline != nil && y.Pipeline.Stage.Employed() {
		against(Reason{Code: ReasonEmployed})
	}
	return sg
}

// matchData reads, in one transaction, the area's open openings with
// their employers' industries and names, and each youth's pipeline and
// activities into ys.
func (s *Service) matchData(area uint64, ys []MatchYouth) ([]Opening, map[uint64]Employer, error) {
	var open []Opening
	emps := map[uint64]Employer{}
	err := s.db.View(func(tx store.Tx) error {
		err := store.ScanJSON(tx, bucketEmployers, store.ID(area), func(_ []byte, e Employer) error {
			emps[e.ID] = e
			return nil
		})
		if err != nil {
			return err
		}
		err = store.ScanJSON(tx, bucketOpenings, store.ID(area), func(_ []byte, o Opening) error {
			if o.Status == OpeningOpen {
				open = append(open, o)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range ys {
			p, ok, err := getPipeline(tx, area, ys[i].ID)
			if err != nil {
				return err
			}
			if ok {
				ys[i].Pipeline = &p
			}
			ys[i].Activities = nil
			err = store.ScanJSON(tx, bucketActivities, store.Key(area, ys[i].ID), func(_ []byte, a Activity) error {
				ys[i].Activities = append(ys[i].Activities, a)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read match data: %w", err)
	}
	return open, emps, nil
}

func sortSuggestions(out []Suggestion) {
	slices.SortStableFunc(out, func(a, b Suggestion) int { return cmp.Compare(b.Score, a.Score) })
}

// SuggestYouths matches opening in area against the youths ys (profile,
// name and interests filled in by the caller; pipeline and activities are
// read here). It returns the matching youths best first and, apart, the
// youths in the pipeline who do not match yet, each with its reasons, so
// an opening that breaks a rule for a youth's age is flagged before any
// match is made.
// Refuses with ErrNotFound.
func (s *Service) SuggestYouths(area, opening uint64, ys []MatchYouth) (matches, others []Suggestion, err error) {
	o, err := s.Opening(area, opening)
	if err != nil {
		return nil, nil, err
	}
	_, emps, err := s.matchData(area, ys)
	if err != nil {
		return nil, nil, err
	}
	for _, y := range ys {
		sg := s.Match(o, emps[o.EmployerID].Industry, y)
		sg.EmployerName = emps[o.EmployerID].Name
		switch {
		case sg.Match:
			matches = append(matches, sg)
		case y.Pipeline != nil && y.Pipeline.Stage != StageEnded:
			others = append(others, sg)
		}
	}
	sortSuggestions(matches)
	return matches, others, nil
}

// SuggestOpenings lists every open opening of area for youth y with how
// well it fits: matches first (best first), then the others with the
// reasons they do not fit yet, so a coordinator sees what is missing.
func (s *Service) SuggestOpenings(area uint64, y MatchYouth) ([]Suggestion, error) {
	ys := []MatchYouth{y}
	open, emps, err := s.matchData(area, ys)
	if err != nil {
		return nil, err
	}
	var out []Suggestion
	for _, o := range open {
		sg := s.Match(o, emps[o.EmployerID].Industry, ys[0])
		sg.EmployerName = emps[o.EmployerID].Name
		if sg.Match {
			sg.Score += 1000
		}
		out = append(out, sg)
	}
	sortSuggestions(out)
	return out, nil
}
