package cv

import (
	"errors"
	"fmt"
)

// Errors returned by the Service.
var (
	ErrNotFound   = errors.New("not found")
	ErrNoHelp     = errors.New("the youth has not allowed help with the CV")
	ErrCodeClosed = errors.New("verification code revoked, expired or unknown")
)

// InvalidError reports a field that failed validation; Code is a stable
// reason the UI translates.
type InvalidError struct {
	Field string
	Code  string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Code) }

func invalid(field, code string) error { return &InvalidError{Field: field, Code: code} }
