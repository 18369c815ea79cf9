package employers

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by the Service; the UI maps each to a Danish message.
var (
	// ErrNotFound means the employer, opening, spell, note or pipeline
	// does not exist in the area.
	ErrNotFound = errors.New("not found")
	// ErrDuplicateCVR means the area already has an employer with that CVR.
	ErrDuplicateCVR = errors.New("an employer with this CVR already exists in the area")
	// ErrBadMove means the pipeline transition is not in the transition table.
	ErrBadMove = errors.New("pipeline move not allowed")
	// ErrTooYoung means the youth is below the opening's minimum age on its
	// start date.
	ErrTooYoung = errors.New("youth too young for the opening")
	// ErrNotShared means the youth has not been shared with that employer.
	ErrNotShared = errors.New("youth not shared with this employer")
	// ErrNotContact means the user is not a contact person of the employer.
	ErrNotContact = errors.New("user is not a contact of this employer")
	// ErrOpeningClosed means the opening no longer takes placements.
	ErrOpeningClosed = errors.New("opening is closed")
)

// InvalidError reports a field that failed validation. Code is a stable,
// language-neutral reason ("format", "checksum", "before_start") that the
// UI translates.
type InvalidError struct {
	Field string
	Code  string
}

// Error implements error.
func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Code) }

func invalid(field, code string) error { return &InvalidError{Field: field, Code: code} }

// RuleError means the opening breaks young-worker rules (or the minimum
// age) for the youth; Rules holds the rule IDs as CheckOpeningFor returns
// them.
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
