package points

import (
	"errors"
	"fmt"
)

// Error is a domain error of this package. Code is stable and
// language-neutral; the UI turns it into a translated message (for example
// "points.err." + Code). Test for a particular error with errors.Is.
type Error struct {
	Code string
}

// Error returns the code, for logs.
func (e *Error) Error() string { return "points: " + e.Code }

// Errors returned by the ledger and the Service; test with errors.Is.
var (
	// ErrInvalid is the base of every InvalidError (bad input).
	ErrInvalid = &Error{Code: "invalid"}
	// ErrNotFound means no such reward or redemption in this area.
	ErrNotFound = &Error{Code: "not_found"}
	// ErrInsufficientFunds means a youth, reservation, pot or reward account
	// would go below zero. The details are in an *InsufficientFundsError.
	ErrInsufficientFunds = &Error{Code: "insufficient_funds"}
	// ErrKeyReused means an idempotency key was used before for a
	// different transfer or request; nothing was changed.
	ErrKeyReused = &Error{Code: "key_reused"}
	// ErrOverflow means a balance would leave the int64 range.
	ErrOverflow = &Error{Code: "overflow"}
	// ErrFull means the reward has no places left, or the pot already holds
	// its price.
	ErrFull = &Error{Code: "full"}
	// ErrOverPledge means a pledge is larger than what the pot still needs.
	ErrOverPledge = &Error{Code: "over_pledge"}
	// ErrClosed means the reward takes no new requests or pledges (closed,
	// cancelled, funded or its date has passed).
	ErrClosed = &Error{Code: "closed"}
	// ErrAlreadyDecided means the redemption or pot was already confirmed,
	// refused or cancelled; nothing was changed (never a double debit).
	ErrAlreadyDecided = &Error{Code: "already_decided"}
	// ErrAlreadyRequested means the youth already holds a requested or
	// confirmed place on the reward.
	ErrAlreadyRequested = &Error{Code: "already_requested"}
	// ErrWrongKind means a place was requested on a group pot (pledge
	// instead), a pledge was made to an ordinary reward, or a pot operation
	// named an ordinary reward.
	ErrWrongKind = &Error{Code: "wrong_kind"}
	// ErrPotNotReached means a pot was confirmed before it held its price.
	ErrPotNotReached = &Error{Code: "pot_not_reached"}
)

// ErrorCodes lists the code of every error this package returns, so the UI
// can check that each has a translation. Invalid input additionally has
// "invalid.<field>.<code>" codes (see Code).
func ErrorCodes() []string {
	var out []string
	for _, e := range []*Error{
		ErrInvalid, ErrNotFound, ErrInsufficientFunds, ErrKeyReused, ErrOverflow, ErrFull,
		ErrOverPledge, ErrClosed, ErrAlreadyDecided, ErrAlreadyRequested, ErrWrongKind, ErrPotNotReached,
	} {
		out = append(out, e.Code)
	}
	return out
}

// InvalidError reports an input that failed validation. Field names the
// input ("amount", "currency", "key", "title", ...) and Code the reason
// ("required", "not_positive", "unknown", "too_large", "length", ...).
// errors.Is(err, ErrInvalid) holds for every InvalidError.
type InvalidError struct {
	Field string
	Code  string
}

// Error names the field and the reason, for logs.
func (e *InvalidError) Error() string { return fmt.Sprintf("points: invalid %s: %s", e.Field, e.Code) }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func invalid(field, code string) error { return &InvalidError{Field: field, Code: code} }

// InsufficientFundsError says which account lacked how much. It unwraps to
// ErrInsufficientFunds.
type InsufficientFundsError struct {
	Account  Account
	Currency Currency
	Balance  int64 // balance before the refused transfer
	Amount   int64 // amount the transfer needed
}

// Error describes the shortfall, for logs.
func (e *InsufficientFundsError) Error() string {
	return fmt.Sprintf("points: insufficient_funds: %s has %d %s, needs %d", e.Account, e.Balance, e.Currency, e.Amount)
}

// Unwrap makes errors.Is(err, ErrInsufficientFunds) true.
func (e *InsufficientFundsError) Unwrap() error { return ErrInsufficientFunds }

// Code returns the stable code of a points error for the UI to translate:
// "invalid.<field>.<code>" for invalid input, the Error's Code otherwise, and
// "" when err is nil or not from this package.
func Code(err error) string {
	var inv *InvalidError
	if errors.As(err, &inv) {
		return "invalid." + inv.Field + "." + inv.Code
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
