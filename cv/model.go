package cv

import (
	"time"

	"fritidsjob/people"
)

// Item is a line the youth writes: an education, a job they had outside
// the programme.
type Item struct {
	Title  string `json:"title"`
	Place  string `json:"place,omitempty"`
	Period string `json:"period,omitempty"`
}

// Ref is a referee. It is printed only when the youth has recorded that
// the referee agreed (ConsentAt set).
type Ref struct {
	Name      string    `json:"name"`
	Relation  string    `json:"relation,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	ConsentAt time.Time `json:"consent_at,omitzero"`
}

// CV is what a youth has written and chosen for their CV. Verified work
// comes from the programme's records, not from here; HiddenLines lists
// the verified lines (by key) the youth chose not to show.
type CV struct {
	AreaID      uint64     `json:"area"`
	YouthID     uint64     `json:"youth"`
	Headline    string     `json:"headline,omitempty"`
	Profile     string     `json:"profile,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	Email       string     `json:"email,omitempty"`
	Town        string     `json:"town,omitempty"`
	ShowPhone   bool       `json:"show_phone,omitempty"`
	ShowEmail   bool       `json:"show_email,omitempty"`
	ShowTown    bool       `json:"show_town,omitempty"`
	Education   []Item     `json:"education,omitempty"`
	OwnWork     []Item     `json:"own_work,omitempty"`
	Languages   []Language `json:"languages,omitempty"`
	Skills      []string   `json:"skills,omitempty"`
	Interests   []string   `json:"interests,omitempty"`
	References  []Ref      `json:"references,omitempty"`
	HiddenLines []string   `json:"hidden_lines,omitempty"`
	Template    string     `json:"template,omitempty"`
	Lang        string     `json:"lang,omitempty"`
	// HelpAllowed lets the area's coordinators edit this CV; when and by
	// whom it was allowed is kept.
	HelpAllowed   bool      `json:"help_allowed,omitempty"`
	HelpAllowedAt time.Time `json:"help_allowed_at,omitzero"`
	Updated       time.Time `json:"updated,omitzero"`
	UpdatedBy     uint64    `json:"updated_by,omitempty"`
}

// Course is a course or certificate the programme recorded for a youth
// (job-interview training, first aid): verified.
type Course struct {
	ID         uint64      `json:"id"`
	AreaID     uint64      `json:"area"`
	YouthID    uint64      `json:"youth"`
	Title      string      `json:"title"`
	Issuer     string      `json:"issuer,omitempty"`
	Date       people.Date `json:"date"`
	RecordedBy uint64      `json:"recorded_by"`
	At         time.Time   `json:"at"`
}

// VerifiedLine is work from the programme's records grouped for a CV: all
// approved work of one kind in one area. Type and Category name the kind
// (the UI translates them); the numbers are summed from the records.
type VerifiedLine struct {
	Key      string      `json:"key"` // stable: "lommepenge_task/childcare"
	Type     string      `json:"type"`
	Category string      `json:"category,omitempty"`
	Places   []string    `json:"places,omitempty"`
	Times    int         `json:"times"`
	Minutes  int         `json:"minutes"`
	First    people.Date `json:"first"`
	Last     people.Date `json:"last"`
	Hidden   bool        `json:"hidden,omitempty"`
}

// Code is a verification code printed on a CV: a capability (80 random
// bits) that opens the public page of the youth's verified lines. It is
// found by the SHA-256 of its normalised form.
type Code struct {
	ID        uint64    `json:"id"`
	AreaID    uint64    `json:"area"`
	YouthID   uint64    `json:"youth"`
	Value     string    `json:"value"` // as printed, e.g. "K7QM-2XRD-9PTA-F3HW"
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
	Revoked   time.Time `json:"revoked,omitzero"`
	RevokedBy uint64    `json:"revoked_by,omitempty"`
}

// Active reports whether the code still verifies at now.
func (c Code) Active(now time.Time) bool { return c.Revoked.IsZero() && now.Before(c.Expires) }
