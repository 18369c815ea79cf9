package people

import (
	"fmt"
	"slices"
	"time"
)

// Role is what a user may do in one area.
type Role string

// The roles a membership can carry. Installation admins are not a role in an
// area but a flag on the user (User.Admin).
const (
	RoleYouth       Role = "youth"
	RoleGuardian    Role = "guardian"
	RoleCoordinator Role = "coordinator"
	RoleTaskOwner   Role = "task_owner"
	RoleEmployer    Role = "employer_contact"
	RoleEvaluator   Role = "evaluator"
)

// Roles lists every area role, in the order screens show them.
var Roles = []Role{RoleCoordinator, RoleTaskOwner, RoleYouth, RoleGuardian, RoleEmployer, RoleEvaluator}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Area is a housing area with a helhedsplan: the tenant that owns youths,
// tasks and employers.
type Area struct {
	ID           uint64    `json:"id"`
	Name         string    `json:"name"`
	Municipality string    `json:"municipality"`
	Created      time.Time `json:"created"`
}

// Membership gives a user one role in one area.
type Membership struct {
	AreaID uint64 `json:"area"`
	Role   Role   `json:"role"`
}

// SecretKind says whether a user logs in with a password or a PIN.
type SecretKind string

// Secret kinds. PINs are for youths only; a coordinator sets them.
const (
	SecretPassword SecretKind = "password"
	SecretPIN      SecretKind = "pin"
)

// User is an account. Hash is an argon2id PHC string and never leaves this
// package's API in a form a screen could print.
type User struct {
	ID          uint64       `json:"id"`
	Username    string       `json:"username"`
	DisplayName string       `json:"display_name"`
	Hash        string       `json:"hash"`
	SecretKind  SecretKind   `json:"secret_kind"`
	Admin       bool         `json:"admin,omitempty"`
	Lang        string       `json:"lang,omitempty"`
	Memberships []Membership `json:"memberships,omitempty"`
	Created     time.Time    `json:"created"`
	// Contact is how the user is reached outside the app; a youth's phone
	// and e-mail are in Sealed, and filled in here when it is opened.
	Contact Contact `json:"contact,omitzero"`
	// Sealed holds a youth's DisplayName, encrypted with the youth's own
	// key; on disk DisplayName is then empty. Erased is set when the key
	// was deleted.
	Sealed []byte    `json:"sealed,omitempty"`
	Erased time.Time `json:"erased,omitzero"`
	// TOTPSecret is the base32 key of the second factor (RFC 6238), empty
	// when none is enrolled. Like Hash, it is never printed or logged.
	TOTPSecret string `json:"totp_secret,omitempty"`
	// TOTPLastStep is the time step of the last code accepted, so a code
	// is used at most once.
	TOTPLastStep int64 `json:"totp_last_step,omitempty"`
	// RecoveryHashes are SHA-256 hashes (hex) of the unused recovery codes.
	RecoveryHashes []string `json:"recovery,omitempty"`
	// SessionEpoch is raised whenever the user's access must end: a new
	// secret, a role change, disabling, erasure or "log out everywhere".
	// A session is valid only while it carries the user's current epoch.
	SessionEpoch uint64 `json:"epoch,omitempty"`
	// Disabled is set while an administrator has closed the account: it
	// cannot log in and its sessions are void.
	Disabled time.Time `json:"disabled,omitzero"`
	// Locked is set after too many wrong secrets in a row; a coordinator
	// of the youth's area or an administrator unlocks it.
	Locked time.Time `json:"locked,omitzero"`
	// Unreadable is set (never stored) when the user's sealed data did not
	// open with the installation secret; lists leave such youths out.
	Unreadable bool `json:"-"`
}

// Active reports whether u may use the app at all: not erased and not
// disabled.
func (u User) Active() bool { return u.Erased.IsZero() && u.Disabled.IsZero() }

// SessionValid reports whether a session that carries epoch still speaks
// for u: the account is active and nothing has raised its epoch since.
func (u User) SessionValid(epoch uint64) bool { return u.Active() && epoch == u.SessionEpoch }

// CanLogIn reports whether u has a password or PIN. Youths imported from a
// programme's history have none until a coordinator gives them a PIN; the
// operational lists leave them out (they are the evaluation's history).
func (u User) CanLogIn() bool { return u.Hash != "" }

// HasRole reports whether u holds one of roles in area.
func (u User) HasRole(area uint64, roles ...Role) bool {
	for _, m := range u.Memberships {
		if m.AreaID == area && slices.Contains(roles, m.Role) {
			return true
		}
	}
	return false
}

// AreaIDs lists the areas u belongs to, without duplicates, in order of
// first membership.
func (u User) AreaIDs() []uint64 {
	var ids []uint64
	for _, m := range u.Memberships {
		if !slices.Contains(ids, m.AreaID) {
			ids = append(ids, m.AreaID)
		}
	}
	return ids
}

// Gender is the gender as recorded by the programme (used in evaluation
// splits); "unknown" when not recorded.
type Gender string

// Recorded genders.
const (
	GenderFemale  Gender = "female"
	GenderMale    Gender = "male"
	GenderOther   Gender = "other"
	GenderUnknown Gender = "unknown"
)

// Valid reports whether g is a known value.
func (g Gender) Valid() bool {
	return g == GenderFemale || g == GenderMale || g == GenderOther || g == GenderUnknown
}

// SchoolStatus decides the young-worker age band for 13–17-year-olds.
type SchoolStatus string

// School statuses.
const (
	SchoolCompulsory SchoolStatus = "compulsory" // still in folkeskole (undervisningspligtig)
	SchoolFinished9  SchoolStatus = "finished9"  // has finished 9th grade
)

// Valid reports whether s is a known value.
func (s SchoolStatus) Valid() bool { return s == SchoolCompulsory || s == SchoolFinished9 }

// GuardianContact is a parent or other guardian of a youth.
type GuardianContact struct {
	Name     string `json:"name"`
	Relation string `json:"relation,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
}

// Youth is the programme's profile of a youth in one area.
type Youth struct {
	UserID    uint64            `json:"user"`
	AreaID    uint64            `json:"area"`
	BirthDate Date              `json:"birth_date"`
	Gender    Gender            `json:"gender"`
	School    SchoolStatus      `json:"school"`
	Guardians []GuardianContact `json:"guardians,omitempty"`
	Lang      string            `json:"lang,omitempty"`
	Created   time.Time         `json:"created"`
	// Sealed holds BirthDate and Guardians encrypted with the youth's key;
	// on disk those fields are then empty.
	Sealed []byte `json:"sealed,omitempty"`
}

// Date is a calendar date without time or zone (a birth date, a school
// holiday), stored as "YYYY-MM-DD".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "YYYY-MM-DD" and rejects impossible dates.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// DateOf is the calendar date of t in t's location.
func DateOf(t time.Time) Date { y, m, d := t.Date(); return Date{y, m, d} }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD. Ordinary dates are formatted by hand
// (every approval formats one inside its transaction); other values go
// through fmt with the same verbs, so the text is always fmt's.
func (d Date) String() string {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	y, m := d.Year, int(d.Month)
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d.Day/10), byte('0' + d.Day%10)}
	return string(b[:])
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// AgeOn is the age in whole years on day on. Someone born on 29 February
// turns a year older on 1 March in non-leap years.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
