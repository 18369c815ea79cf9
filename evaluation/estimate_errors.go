package evaluation

import "errors"

// Refusal kinds: Fit returns a *RefusalError that wraps one of these, so
// callers can test the reason with errors.Is and show the Danish message
// (Error) to coordinators and evaluators as it is.
var (
	// ErrInvalidInput: the observations or options contradict themselves.
	ErrInvalidInput = errors.New("ugyldigt input til estimationen")
	// ErrTooFewYouths: fewer youths in a group than FitOptions.MinYouthsPerGroup.
	ErrTooFewYouths = errors.New("for få unge til at estimere modellen")
	// ErrNoVariation: everyone has, or nobody has, a leisure job.
	ErrNoVariation = errors.New("ingen variation i udfaldet")
	// ErrEmptyCell: a relative-year dummy the model needs has no observations.
	ErrEmptyCell = errors.New("en celle i modellen har ingen observationer")
	// ErrSeparation: the outcome is (quasi-)perfectly predicted, so the
	// maximum-likelihood estimate does not exist.
	ErrSeparation = errors.New("udfaldet forudsiges perfekt (separation)")
	// ErrSingular: the design matrix has linearly dependent columns.
	ErrSingular = errors.New("modellens forklarende variable er lineært afhængige")
)

// RefusalError says, in Danish, why Fit refused to estimate the model. Kind
// is one of the Err* values above; Detail names the group, cell or term.
type RefusalError struct {
	Kind   error
	Detail string
}

// Error returns the Danish message: the kind, then the detail.
func (e *RefusalError) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Detail
}

// Unwrap lets errors.Is(err, ErrSeparation) and friends work.
func (e *RefusalError) Unwrap() error { return e.Kind }

func refuse(kind error, detail string) error {
	return &RefusalError{Kind: kind, Detail: detail}
}
