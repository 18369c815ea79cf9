package evaluation

import (
	"fmt"

	"fritidsjob/fault"
)

// Refusal reasons: Fit returns a *RefusalError that wraps one of these, so
// callers can test the reason with errors.Is. They carry codes, never
// text: the UI says them in the user's language.
var (
	// ErrInvalidInput: the observations or options contradict themselves.
	ErrInvalidInput = fault.New(fault.Invalid, "evaluation.invalid_input")
	// ErrTooFewYouths: fewer youths in a group than FitOptions.MinYouthsPerGroup.
	ErrTooFewYouths = fault.New(fault.Refused, "evaluation.too_few_youths")
	// ErrNoVariation: everyone has, or nobody has, a leisure job.
	ErrNoVariation = fault.New(fault.Refused, "evaluation.no_variation")
	// ErrEmptyCell: a relative-year dummy the model needs has no observations.
	ErrEmptyCell = fault.New(fault.Refused, "evaluation.empty_cell")
	// ErrSeparation: the outcome is (quasi-)perfectly predicted, so the
	// maximum-likelihood estimate does not exist.
	ErrSeparation = fault.New(fault.Refused, "evaluation.separation")
	// ErrSingular: the design matrix has linearly dependent columns.
	ErrSingular = fault.New(fault.Refused, "evaluation.singular")
)

// ErrorCodes lists every error this package returns, as the *fault.Error
// that carries its code: the export options' refusal, the importer's and
// the estimator's reasons (RefusalDetails lists the estimator's details).
// The UI checks that each has a message in every language.
func ErrorCodes() []*fault.Error {
	return []*fault.Error{ErrOptions, ErrImport, ErrInvalidInput, ErrTooFewYouths, ErrNoVariation,
		ErrEmptyCell, ErrSeparation, ErrSingular}
}

// The details of a refusal: what in the data or the options gave the
// reason. Each is a message key's last part; Args fill its verbs.
const (
	DetailWindowFar          = "window_far"           // MinRel, MaxRel
	DetailWindowShort        = "window_short"         // MinRel, MaxRel
	DetailWindowWide         = "window_wide"          // MinRel, MaxRel
	DetailRefOutside         = "ref_outside"          // RefRel, MinRel, MaxRel
	DetailGenderUnknown      = "gender_unknown"       // gender
	DetailNoStart            = "no_start"             // youth, year
	DetailBothGroups         = "both_groups"          // youth
	DetailGroupSizes         = "group_sizes"          // participants, comparison, minimum
	DetailOutcomeShare       = "outcome_share"        // person-years with a job, person-years
	DetailNoParticipantsYear = "no_participants_year" // relative year ("+2")
	DetailNoComparisonYear   = "no_comparison_year"   // relative year ("+2")
	DetailTooFewRows         = "too_few_rows"         // person-years, parameters
	DetailTermNone           = "term_none"            // person-years, term
	DetailTermAll            = "term_all"             // person-years, term
	DetailCollinear          = "collinear"
	DetailProbsExtreme       = "probs_extreme"
	DetailUnsolvable         = "unsolvable"
	DetailDiverged           = "diverged"
	DetailNoConvergence      = "no_convergence" // iterations
	DetailHugeCoef           = "huge_coef"
	DetailFittedExtreme      = "fitted_extreme"
	DetailInfoSingular       = "info_singular"
	DetailInfoNotInvertible  = "info_not_invertible"
)

// RefusalDetails lists every Detail a RefusalError can carry, so the UI
// can check that each has a message.
func RefusalDetails() []string {
	return []string{DetailWindowFar, DetailWindowShort, DetailWindowWide, DetailRefOutside,
		DetailGenderUnknown, DetailNoStart, DetailBothGroups, DetailGroupSizes, DetailOutcomeShare,
		DetailNoParticipantsYear, DetailNoComparisonYear, DetailTooFewRows, DetailTermNone, DetailTermAll,
		DetailCollinear, DetailProbsExtreme, DetailUnsolvable, DetailDiverged, DetailNoConvergence,
		DetailHugeCoef, DetailFittedExtreme, DetailInfoSingular, DetailInfoNotInvertible}
}

// RefusalError says why Fit refused to estimate the model: Reason is one
// of the Err* values above, Detail (one of the Detail* codes) names the
// group, cell or term with Args as its parameters, and Group is the
// subgroup whose fit was refused ("all", "female", "male") when
// FitByGender ran it, else "".
type RefusalError struct {
	Reason error
	Detail string
	Args   []any
	Group  string
}

// Error returns the codes and parameters, for logs; the UI translates.
func (e *RefusalError) Error() string {
	s := e.Reason.Error()
	if e.Detail != "" {
		s += ": " + e.Detail + fmt.Sprint(e.Args)
	}
	if e.Group != "" {
		s = "estimation for " + e.Group + ": " + s
	}
	return s
}

// Unwrap lets errors.Is(err, ErrSeparation) and friends work.
func (e *RefusalError) Unwrap() error { return e.Reason }

func refuse(reason error, detail string, args ...any) error {
	return &RefusalError{Reason: reason, Detail: detail, Args: args}
}
