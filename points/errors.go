package points

import (
	"fmt"

	"fritidsjob/fault"
)

// Errors returned by the ledger and the Service; test with errors.Is. Each
// is a *fault.Error, so the UI finds its status and message from the code.
var (
	// ErrInvalid matches every invalid-input error (errors.Is): it has
	// kind Invalid and no code of its own.
	ErrInvalid = &fault.Error{Kind: fault.Invalid}
	// ErrNotFound means no such reward or redemption in this area.
	ErrNotFound = fault.New(fault.NotFound, "points.not_found")
	// ErrInsufficientFunds means a youth, reservation, pot or reward account
	// would go below zero. The details are in an *InsufficientFundsError.
	ErrInsufficientFunds = fault.New(fault.Conflict, "points.insufficient_funds")
	// ErrKeyReused means an idempotency key was used before for a
	// different transfer or request; nothing was changed.
	ErrKeyReused = fault.New(fault.Conflict, "points.key_reused")
	// ErrOverflow means a balance would leave the int64 range.
	ErrOverflow = fault.New(fault.Conflict, "points.overflow")
	// ErrFull means the reward has no places left, or the pot already holds
	// its price.
	ErrFull = fault.New(fault.Conflict, "points.full")
	// ErrOverPledge means a pledge is larger than what the pot still needs.
	ErrOverPledge = fault.New(fault.Conflict, "points.over_pledge")
	// ErrClosed means the reward takes no new requests or pledges (closed,
	// cancelled, funded or its date has passed).
	ErrClosed = fault.New(fault.Conflict, "points.closed")
	// ErrAlreadyDecided means the redemption or pot was already confirmed,
	// refused or cancelled; nothing was changed (never a double debit).
	ErrAlreadyDecided = fault.New(fault.Conflict, "points.already_decided")
	// ErrAlreadyRequested means the youth already holds a requested or
	// confirmed place on the reward.
	ErrAlreadyRequested = fault.New(fault.Conflict, "points.already_requested")
	// ErrWrongKind means a place was requested on a group pot (pledge
	// instead), a pledge was made to an ordinary reward, or a pot operation
	// named an ordinary reward.
	ErrWrongKind = fault.New(fault.Conflict, "points.wrong_kind")
	// ErrPotNotReached means a pot was confirmed before it held its price.
	ErrPotNotReached = fault.New(fault.Conflict, "points.pot_not_reached")
)

// ErrorCodes lists every error this package returns, as the *fault.Error
// that carries its code: the sentinels, then each field and reason of
// invalid input. The UI checks that each has a message in every language.
func ErrorCodes() []*fault.Error {
	return append([]*fault.Error{
		ErrNotFound, ErrInsufficientFunds, ErrKeyReused, ErrOverflow, ErrFull, ErrOverPledge, ErrClosed,
		ErrAlreadyDecided, ErrAlreadyRequested, ErrWrongKind, ErrPotNotReached},
		fault.InvalidFields(
			"account.unknown", "amount.not_positive", "amount.too_large", "amount.wage_mismatch",
			"area.required", "at.required", "currency.unknown", "description.chars",
			"description.length", "from.unknown", "key.chars", "key.length", "key.required",
			"key.reserved", "kind.accounts", "kind.internal", "kind.unknown", "minutes.not_task",
			"minutes.range", "month.range", "places.below_booked", "places.not_positive",
			"places.too_large", "pot.immutable", "price.below_pot", "price.funded",
			"price.not_positive", "price.too_large", "rate.not_wage", "rate.range", "reason.chars",
			"reason.length", "ref.chars", "ref.length", "title.chars", "title.length",
			"title.required", "to.same_account", "to.unknown", "year.range", "youth.required",
		)...)
}

// invalid reports an input that failed validation. field names the input
// ("amount", "currency", "key", "title", ...) and code the reason
// ("required", "not_positive", "unknown", "too_large", "length", ...).
// errors.Is(err, ErrInvalid) holds for every such error.
func invalid(field, code string) error { return fault.InvalidField(field, code) }

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
