// Package fault is the one shape of a domain error: a Kind that says what
// went wrong in general (bad input, not found, refused by a rule, …), a
// stable, language-neutral Code that names the case, and for bad input the
// Field. The domain packages build their errors on it; ui maps the Kind to
// an HTTP status in one table and the Code to a message in the locales.
//
// Sentinels are *Error values (people.ErrNotFound, jobs.ErrNotOpen);
// errors.Is matches them through %w wrapping and also by Kind and Code, so
// an error built anew with the same code is the same error. Errors that
// carry more than a code (a retry time, a rule's own words) unwrap to
// their package's sentinel, so KindOf and CodeOf see through them.
// The design follows golang/pkgsite's internal/derrors and WTF Dial's
// error.go, smaller.
package fault

import (
	"errors"
	"strconv"
	"strings"
)

// Kind is the general class of a domain error. It decides the HTTP
// status; the zero Kind, Internal, is a bug or an outage, never the user's
// doing.
type Kind uint8

// The kinds of domain error.
const (
	Internal        Kind = iota // not a domain error: a bug or an outage
	Invalid                     // the input failed validation
	Unauthenticated             // the credentials or the code are wrong
	Forbidden                   // the user may not do this
	NotFound                    // no such thing (in this area)
	Conflict                    // the current state does not allow it
	Refused                     // a rule refuses it (young-worker rules, age, consent)
	Gone                        // the thing existed but was erased
	Throttled                   // too many attempts or requests; try again later
	Unavailable                 // a needed service is down; try again later
)

var kindNames = [...]string{"internal", "invalid", "unauthenticated", "forbidden", "not_found",
	"conflict", "refused", "gone", "throttled", "unavailable"}

// String is the kind's name, for logs.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a domain error. Code is stable and language-neutral: for
// Invalid errors with a Field it is the reason ("required", "format") and
// the message key is "invalid.<Field>.<Code>"; otherwise it is qualified
// by the package ("jobs.not_open") and the key is "err.<Code>". Err is an
// optional cause, for logs.
type Error struct {
	Kind  Kind
	Code  string
	Field string
	Err   error
}

// New returns an error of kind k with code, for a package's sentinels.
func New(k Kind, code string) *Error { return &Error{Kind: k, Code: code} }

// InvalidField reports input that failed validation: field names the
// input, code the reason.
func InvalidField(field, code string) *Error {
	return &Error{Kind: Invalid, Code: code, Field: field}
}

// InvalidFields returns an Invalid error for each "field.code" in pairs,
// for a package's list of the errors it returns.
func InvalidFields(pairs ...string) []*Error {
	out := make([]*Error, 0, len(pairs))
	for _, p := range pairs {
		field, code, _ := strings.Cut(p, ".")
		out = append(out, InvalidField(field, code))
	}
	return out
}

// Wrap returns a copy of e with cause attached (for logs); errors.Is(err,
// e) still holds.
func Wrap(e *Error, cause error) *Error {
	c := *e
	c.Err = cause
	return &c
}

// Error is the code (with the field, and the cause when there is one), for
// logs; users see the translated message instead.
func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s = "invalid " + e.Field + ": " + e.Code
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error of the same Kind whose Code (and
// Field, when target has one) match e's. A target without a Code matches
// every error of its Kind, so points.ErrInvalid matches all bad input.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Kind != e.Kind {
		return false
	}
	if t.Code == "" {
		return true
	}
	return t.Code == e.Code && (t.Field == "" || t.Field == e.Field)
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// KindOf is the Kind of the first *Error in err's chain; Internal when
// there is none.
func KindOf(err error) Kind {
	if e := As(err); e != nil {
		return e.Kind
	}
	return Internal
}

// CodeOf is the Code of the first *Error in err's chain; "" when there is
// none.
func CodeOf(err error) string {
	if e := As(err); e != nil {
		return e.Code
	}
	return ""
}

// FieldOf is the Field of the first *Error in err's chain; "" when there is
// none or it names no field.
func FieldOf(err error) string {
	if e := As(err); e != nil {
		return e.Field
	}
	return ""
}
