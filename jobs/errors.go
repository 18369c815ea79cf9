package jobs

import (
	"fmt"

	"fritidsjob/fault"
)

// Errors returned by the Service; test with errors.Is. Each is a
// *fault.Error, so the UI finds its status and message from the code.
var (
	ErrNotFound        = fault.New(fault.NotFound, "jobs.not_found")
	ErrNotOpen         = fault.New(fault.Conflict, "jobs.not_open")
	ErrStarted         = fault.New(fault.Conflict, "jobs.started")
	ErrAlreadyClaimed  = fault.New(fault.Conflict, "jobs.already_claimed")
	ErrNoClaim         = fault.New(fault.Conflict, "jobs.no_claim")
	ErrTooLate         = fault.New(fault.Conflict, "jobs.too_late")
	ErrAgeOutside      = fault.New(fault.Refused, "jobs.age_outside")
	ErrAlreadyDecided  = fault.New(fault.Conflict, "jobs.already_decided")
	ErrNotCheckedIn    = fault.New(fault.Conflict, "jobs.not_checked_in")
	ErrAlreadyIn       = fault.New(fault.Conflict, "jobs.already_in")
	ErrBadTransition   = fault.New(fault.Conflict, "jobs.bad_transition")
	ErrSlotsBelowTaken = fault.New(fault.Conflict, "jobs.slots_below_taken")
	// ErrConsentRequired means a youth under the consent age needs a
	// guardian's consent before a wage task.
	ErrConsentRequired = fault.New(fault.Refused, "jobs.consent_required")
	// ErrRule is what every *RuleError unwraps to.
	ErrRule = fault.New(fault.Refused, "jobs.rule")
)

// ErrorCodes lists every error this package returns, as the *fault.Error
// that carries its code: the sentinels, then each field and reason of
// invalid input. The UI checks that each has a message in every language.
func ErrorCodes() []*fault.Error {
	return append([]*fault.Error{
		ErrNotFound, ErrNotOpen, ErrStarted, ErrAlreadyClaimed, ErrNoClaim, ErrTooLate, ErrAgeOutside,
		ErrAlreadyDecided, ErrNotCheckedIn, ErrAlreadyIn, ErrBadTransition, ErrSlotsBelowTaken,
		ErrConsentRequired, ErrRule},
		fault.InvalidFields(
			"age.range", "break.range", "category.unknown", "checkin.outside_task",
			"commissioner.unknown", "corrects.other_work", "description.chars", "description.length",
			"end.before_start", "end.future", "end.too_long", "pay.unknown", "place.chars",
			"place.length", "place.required", "points.range", "rate.range", "reason.chars",
			"reason.length", "reason.required", "repeat.range", "slots.range", "start.overlap",
			"start.past", "start.required", "supervisor.chars", "supervisor.length",
			"supervisor.required", "title.chars", "title.length", "title.required",
		)...)
}

// invalid reports a field that failed validation with a stable reason the
// UI translates.
func invalid(field, code string) error { return fault.InvalidField(field, code) }

// RuleError means a young-worker rule refuses the claim or the work.
// Messages holds the rule's explanation per language ("da", "en"). It
// unwraps to ErrRule (kind Refused); the UI shows the rule's own words.
type RuleError struct {
	Rule     string
	Version  string
	Messages map[string]string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("young-worker rule %s (%s)", e.Rule, e.Version)
}

// Unwrap makes errors.Is(err, ErrRule) true.
func (e *RuleError) Unwrap() error { return ErrRule }

// Message is the explanation in lang, Danish when lang is missing.
func (e *RuleError) Message(lang string) string {
	if m, ok := e.Messages[lang]; ok {
		return m
	}
	return e.Messages["da"]
}
