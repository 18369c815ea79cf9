package people

import (
	"fmt"
	"time"

	"fritidsjob/fault"
)

// Errors returned by the Service; test with errors.Is. Each is a
// *fault.Error, so the UI finds its status and message from the code.
var (
	ErrNotFound       = fault.New(fault.NotFound, "people.not_found")
	ErrBadCredentials = fault.New(fault.Unauthenticated, "people.bad_credentials")
	ErrUsernameTaken  = fault.New(fault.Conflict, "people.username_taken")
	ErrAreaNameTaken  = fault.New(fault.Conflict, "people.area_name_taken")
	// ErrDisabled means the secret was right but an administrator has
	// closed the account.
	ErrDisabled = fault.New(fault.Forbidden, "people.disabled")
	// ErrLocked means the account was locked after too many wrong secrets
	// in a row; a coordinator or an administrator unlocks it.
	ErrLocked = fault.New(fault.Forbidden, "people.locked")
	// ErrUnreadable means a youth's sealed data does not open: the key is
	// missing or does not match the installation secret. 'fritidsjob
	// check' lists such youths.
	ErrUnreadable = fault.New(fault.Conflict, "people.unreadable")
	// ErrThrottled is what every *ThrottledError unwraps to.
	ErrThrottled = fault.New(fault.Throttled, "people.throttled")
)

// ErrorCodes lists every error this package returns, as the *fault.Error
// that carries its code: the sentinels, then each field and reason of
// invalid input. The UI checks that each has a message in every language.
func ErrorCodes() []*fault.Error {
	return append([]*fault.Error{
		ErrNotFound, ErrBadCredentials, ErrUsernameTaken, ErrAreaNameTaken, ErrDisabled, ErrLocked,
		ErrUnreadable, ErrThrottled, ErrErased, ErrBadCode, ErrTOTPEnabled, ErrLinkClosed, ErrNotGuardian,
		ErrCPRDisagrees, ErrYouthRole, ErrOwnAdmin, ErrLastAdmin},
		fault.InvalidFields(
			"admin.pin_account", "birth_date.age_range", "birth_date.required", "cpr.birth_date", "cpr.date", "cpr.format", "cursor.format",
			"display_name.chars", "display_name.length", "display_name.required", "email.format", "email.required", "gender.unknown",
			"guardian.length", "guardian_name.chars", "guardian_name.length", "guardian_name.required",
			"guardians.too_many", "lang.unknown", "municipality.chars", "municipality.length",
			"municipality.required", "name.chars", "name.length", "name.required", "password.common", "q.length",
			"password.length", "phone.format", "phone.required", "pin.digits", "pin.length", "pin.trivial", "pin.youth_only",
			"role.unknown", "school.unknown", "secret_kind.unknown", "totp.pin_account",
			"totp_secret.format", "username.chars", "username.length", "youth.not_youth",
			"youth.required",
		)...)
}

// invalid reports a field that failed validation with a stable,
// language-neutral reason ("too_short", "format") that the UI translates.
func invalid(field, code string) error { return fault.InvalidField(field, code) }

// ThrottledError means too many failed logins; try again after RetryAfter.
// It unwraps to ErrThrottled.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed logins; retry after %s", e.RetryAfter.Round(time.Second))
}

// Unwrap makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Unwrap() error { return ErrThrottled }
