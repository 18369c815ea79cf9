package people

import (
	"errors"
	"fmt"
	"time"
)

// Errors returned by the Service; test with errors.Is / errors.As.
var (
	ErrNotFound       = errors.New("not found")
	ErrBadCredentials = errors.New("wrong username or password")
	ErrUsernameTaken  = errors.New("username taken")
	ErrAreaNameTaken  = errors.New("area name taken")
	// ErrDisabled means the secret was right but an administrator has
	// closed the account.
	ErrDisabled = errors.New("account disabled")
	// ErrLocked means the account was locked after too many wrong secrets
	// in a row; a coordinator or an administrator unlocks it.
	ErrLocked = errors.New("account locked")
	// ErrUnreadable means a youth's sealed data does not open: the key is
	// missing or does not match the installation secret. 'fritidsjob
	// check' lists such youths.
	ErrUnreadable = errors.New("personal data cannot be opened")
)

// InvalidError reports a field that failed validation. Code is a stable,
// language-neutral reason ("too_short", "format") that the UI translates.
type InvalidError struct {
	Field string
	Code  string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Code) }

func invalid(field, code string) error { return &InvalidError{Field: field, Code: code} }

// ThrottledError means too many failed logins; try again after RetryAfter.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins; retry after %s", e.RetryAfter.Round(time.Second))
}
