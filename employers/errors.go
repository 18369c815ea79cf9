package employers

import (
	"strings"

	"fritidsjob/fault"
)

// Errors returned by the Service; test with errors.Is. Each is a
// *fault.Error, so the UI finds its status and message from the code.
var (
	// ErrNotFound means the employer, opening, spell, note or pipeline
	// does not exist in the area.
	ErrNotFound = fault.New(fault.NotFound, "employers.not_found")
	// ErrDuplicateCVR means the area already has an employer with that CVR.
	ErrDuplicateCVR = fault.New(fault.Conflict, "employers.duplicate_cvr")
	// ErrBadMove means the pipeline transition is not in the transition table.
	ErrBadMove = fault.New(fault.Conflict, "employers.bad_move")
	// ErrTooYoung means the youth is below the opening's minimum age on its
	// start date.
	ErrTooYoung = fault.New(fault.Refused, "employers.too_young")
	// ErrNotShared means the youth has not been shared with that employer.
	ErrNotShared = fault.New(fault.NotFound, "employers.not_shared")
	// ErrNotContact means the user is not a contact person of the employer.
	ErrNotContact = fault.New(fault.Forbidden, "employers.not_contact")
	// ErrOpeningClosed means the opening no longer takes placements.
	ErrOpeningClosed = fault.New(fault.Conflict, "employers.opening_closed")
	// ErrRules is what every *RuleError unwraps to.
	ErrRules = fault.New(fault.Refused, "employers.rules")
)

// ErrorCodes lists every error this package returns, as the *fault.Error
// that carries its code: the sentinels, then each field and reason of
// invalid input. The UI checks that each has a message in every language.
func ErrorCodes() []*fault.Error {
	return append([]*fault.Error{
		ErrNotFound, ErrDuplicateCVR, ErrBadMove, ErrTooYoung, ErrNotShared, ErrNotContact,
		ErrOpeningClosed, ErrRules},
		fault.InvalidFields(
			"address.chars", "address.length", "agreements.chars", "agreements.length",
			"consent.future", "consent.required", "contact_email.chars", "contact_email.format",
			"contact_email.length", "contact_name.chars", "contact_name.length",
			"contact_name.required", "contact_phone.chars", "contact_phone.length",
			"contact_user.not_employer_contact", "contact_user.taken", "contacts.too_many",
			"cvr.checksum", "cvr.format", "date.future", "date.required", "end.before_start",
			"end_reason.unknown", "followup.before_start", "hours.range", "industry.chars",
			"industry.length", "keywords.chars", "keywords.length", "keywords.too_many",
			"kind.unknown", "min_age.range", "minutes.range", "name.chars", "name.length",
			"name.required", "notes.chars", "notes.length", "opening.required", "place.chars",
			"place.length", "role.chars", "role.length", "role.required", "stage.unknown",
			"start_date.required", "text.chars", "text.length", "text.required", "wage.range",
			"why.chars", "why.length",
		)...)
}

// invalid reports a field that failed validation with a stable,
// language-neutral reason ("format", "checksum", "before_start") that the
// UI translates.
func invalid(field, code string) error { return fault.InvalidField(field, code) }

// RuleError means the opening breaks young-worker rules (or the minimum
// age) for the youth; Rules holds the rule IDs as CheckOpeningFor returns
// them. It unwraps to ErrRules (kind Refused); the UI shows the rules' own
// words.
type RuleError struct {
	Rules []string
	// Messages are the rules' own texts by language, in Rules' order.
	Messages []map[string]string
}

// Message joins the broken rules' texts in lang (Danish when missing).
func (e *RuleError) Message(lang string) string {
	var out []string
	for _, m := range e.Messages {
		if t, ok := m[lang]; ok {
			out = append(out, t)
		} else {
			out = append(out, m["da"])
		}
	}
	return strings.Join(out, " ")
}

// Error implements error.
func (e *RuleError) Error() string {
	return "opening breaks young-worker rules: " + strings.Join(e.Rules, ", ")
}

// Unwrap makes errors.Is(err, ErrRules) true.
func (e *RuleError) Unwrap() error { return ErrRules }
