package fault

import (
	"errors"
	"fmt"
	"testing"
)

var (
	errNotOpen = New(Conflict, "jobs.not_open")
	errMissing = New(NotFound, "jobs.not_found")
	errInvalid = &Error{Kind: Invalid} // every bad input
)

type throttled struct{ seconds int }

func (t *throttled) Error() string { return fmt.Sprintf("retry in %ds", t.seconds) }
func (t *throttled) Unwrap() error { return errThrottled }

var errThrottled = New(Throttled, "people.throttled")

func TestIs(t *testing.T) {
	cases := []struct {
		err, target error
		want        bool
	}{
		{errNotOpen, errNotOpen, true},
		{fmt.Errorf("claim task 3: %w", errNotOpen), errNotOpen, true},
		{New(Conflict, "jobs.not_open"), errNotOpen, true}, // same code, built anew
		{Wrap(errNotOpen, errors.New("cause")), errNotOpen, true},
		{errNotOpen, errMissing, false},
		{New(NotFound, "people.not_found"), errMissing, false}, // same kind, other code
		{New(NotFound, "jobs.not_open"), errNotOpen, false},    // same code, other kind
		{InvalidField("amount", "required"), errInvalid, true},
		{errNotOpen, errInvalid, false},
		{InvalidField("amount", "required"), InvalidField("amount", "required"), true},
		{InvalidField("amount", "required"), InvalidField("title", "required"), false},
		{InvalidField("amount", "required"), &Error{Kind: Invalid, Code: "required"}, true},
		{&throttled{3}, errThrottled, true},
		{errors.New("other"), errNotOpen, false},
	}
	for _, c := range cases {
		if got := errors.Is(c.err, c.target); got != c.want {
			t.Errorf("errors.Is(%v, %v) = %v, want %v", c.err, c.target, got, c.want)
		}
	}
}

func TestOf(t *testing.T) {
	err := fmt.Errorf("login: %w", &throttled{3})
	if KindOf(err) != Throttled || CodeOf(err) != "people.throttled" || FieldOf(err) != "" {
		t.Errorf("KindOf, CodeOf, FieldOf = %v, %q, %q", KindOf(err), CodeOf(err), FieldOf(err))
	}
	inv := fmt.Errorf("post: %w", InvalidField("amount", "not_positive"))
	if KindOf(inv) != Invalid || CodeOf(inv) != "not_positive" || FieldOf(inv) != "amount" {
		t.Errorf("KindOf, CodeOf, FieldOf = %v, %q, %q", KindOf(inv), CodeOf(inv), FieldOf(inv))
	}
	for _, e := range []error{nil, errors.New("disk full")} {
		if KindOf(e) != Internal || CodeOf(e) != "" || As(e) != nil {
			t.Errorf("%v: not a domain error, got %v %q", e, KindOf(e), CodeOf(e))
		}
	}
}

func TestError(t *testing.T) {
	for err, want := range map[*Error]string{
		errNotOpen:                                 "jobs.not_open",
		InvalidField("cvr", "checksum"):            "invalid cvr: checksum",
		Wrap(errMissing, errors.New("employer 7")): "jobs.not_found: employer 7",
	} {
		if got := err.Error(); got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	}
	if Refused.String() != "refused" || Kind(99).String() != "kind(99)" {
		t.Errorf("kind names: %s %s", Refused, Kind(99))
	}
	if got := InvalidFields("cvr.format", "cvr.checksum"); len(got) != 2 || got[1].Field != "cvr" || got[1].Code != "checksum" {
		t.Errorf("InvalidFields = %v", got)
	}
}
