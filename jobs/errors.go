package jobs

import (
	"errors"
	"fmt"
)

// Errors returned by the Service; the UI maps each to a Danish message.
var (
	ErrNotFound        = errors.New("not found")
	ErrNotOpen         = errors.New("task is not open")
	ErrStarted         = errors.New("task has started")
	ErrAlreadyClaimed  = errors.New("already claimed")
	ErrNoClaim         = errors.New("no claim on this task")
	ErrTooLate         = errors.New("too late to cancel")
	ErrAgeOutside      = errors.New("age outside the task's range")
	ErrAlreadyDecided  = errors.New("work entry already approved or rejected")
	ErrNotCheckedIn    = errors.New("not checked in")
	ErrAlreadyIn       = errors.New("already checked in")
	ErrBadTransition   = errors.New("task cannot move to that status")
	ErrSlotsBelowTaken = errors.New("fewer slots than claims")
	// ErrConsentRequired means a youth under the consent age needs a
	// guardian's consent before a wage task.
	ErrConsentRequired = errors.New("guardian consent required for wage work")
)

// InvalidError reports a field that failed validation; Code is a stable
// reason the UI translates.
type InvalidError struct {
	Field string
	Code  string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Code) }

func invalid(field, code string) error { return &InvalidError{Field: field, Code: code} }

// RuleError means a young-worker rule refuses the claim or the work.
// Messages holds the rule's explanation per language ("da", "en").
type RuleError struct {
	Rule     string
	Version  string
	Messages map[string]string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("young-worker rule %s (%s)", e.Rule, e.Version)
}

// Message is the explanation in lang, Danish when lang is missing.
func (e *RuleError) Message(lang string) string {
	if m, ok := e.Messages[lang]; ok {
		return m
	}
	return e.Messages["da"]
}
