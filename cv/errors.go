package cv

import "fritidsjob/fault"

// Errors returned by the Service; test with errors.Is. Each is a
// *fault.Error, so the UI finds its status and message from the code.
var (
	ErrNotFound = fault.New(fault.NotFound, "cv.not_found")
	// ErrNoHelp is a state of the CV (the youth has not allowed help),
	// not a missing role.
	ErrNoHelp     = fault.New(fault.Conflict, "cv.no_help")
	ErrCodeClosed = fault.New(fault.NotFound, "cv.code_closed")
)

// ErrorCodes lists every error this package returns, as the *fault.Error
// that carries its code: the sentinels, then each field and reason of
// invalid input. The UI checks that each has a message in every language.
func ErrorCodes() []*fault.Error {
	return append([]*fault.Error{
		ErrNotFound, ErrNoHelp, ErrCodeClosed},
		fault.InvalidFields(
			"course.chars", "course.length", "course.required", "course_date.range",
			"education.too_many", "email.chars", "email.length", "headline.chars", "headline.length",
			"interests.too_many", "issuer.chars", "issuer.length", "item.chars", "item.length",
			"language.chars", "language.length", "languages.too_many", "own_work.too_many",
			"phone.chars", "phone.length", "profile.chars", "profile.length", "reference.chars",
			"reference.length", "references.too_many", "skills.too_many", "town.chars", "town.length",
		)...)
}

// invalid reports a field that failed validation with a stable reason the
// UI translates.
func invalid(field, code string) error { return fault.InvalidField(field, code) }
