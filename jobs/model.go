package jobs

import (
	"time"
)

// Category is what kind of work a task is.
type Category string

// Task categories from the programme's practice.
const (
	CatChildcare    Category = "childcare"    // minding children while parents take part in activities
	CatTidying      Category = "tidying"      // tidying the community house
	CatOutdoor      Category = "outdoor"      // maintaining outdoor areas
	CatDistribution Category = "distribution" // distributing information material
	CatEvent        Category = "event"        // helping at events
	CatOther        Category = "other"
)

// Categories lists every category in display order.
var Categories = []Category{CatChildcare, CatTidying, CatOutdoor, CatDistribution, CatEvent, CatOther}

// Commissioner is who in the housing area asks for the task.
type Commissioner string

// Commissioners.
const (
	ByDepartmentBoard   Commissioner = "department_board"   // afdelingsbestyrelse
	ByOrganisationBoard Commissioner = "organisation_board" // organisationsbestyrelse
	ByCaretakers        Commissioner = "caretakers"         // ejendomsfunktionærer
	ByStaff             Commissioner = "staff"              // boligsociale medarbejdere
)

// Commissioners lists every commissioner in display order.
var Commissioners = []Commissioner{ByDepartmentBoard, ByOrganisationBoard, ByCaretakers, ByStaff}

// Status is where a task is in its life: draft → open → closed or cancelled.
type Status string

// Task statuses.
const (
	StatusDraft     Status = "draft"
	StatusOpen      Status = "open"
	StatusClosed    Status = "closed"
	StatusCancelled Status = "cancelled"
)

// PayKind says whether a task pays points or a wage.
type PayKind string

// Pay kinds.
const (
	PayPoints PayKind = "points" // a fixed number of points per youth who took part
	PayWage   PayKind = "wage"   // DKK per hour, in øre
)

// Task is one piece of work in an area with a number of slots.
type Task struct {
	ID           uint64       `json:"id"`
	AreaID       uint64       `json:"area"`
	SeriesID     uint64       `json:"series,omitempty"` // the first task of a weekly series
	Title        string       `json:"title"`
	Description  string       `json:"description,omitempty"`
	Category     Category     `json:"category"`
	Commissioner Commissioner `json:"commissioner"`
	Place        string       `json:"place"`
	Start        time.Time    `json:"start"`
	End          time.Time    `json:"end"`
	Slots        int          `json:"slots"`
	MinAge       int          `json:"min_age"`
	MaxAge       int          `json:"max_age"`
	Lifting12kg  bool         `json:"lifting_12kg,omitempty"`
	WorksAlone   bool         `json:"works_alone,omitempty"`
	Machines     bool         `json:"machines,omitempty"`
	Supervisor   string       `json:"supervisor"`
	Pay          PayKind      `json:"pay"`
	Points       int64        `json:"points,omitempty"`   // per youth, for PayPoints
	RateOre      int64        `json:"rate_ore,omitempty"` // per hour, for PayWage
	Status       Status       `json:"status"`
	Claimed      int          `json:"claimed"` // active claims; never above Slots
	CreatedBy    uint64       `json:"created_by"`
	Created      time.Time    `json:"created"`
}

// Minutes is the task's planned length.
func (t Task) Minutes() int { return int(t.End.Sub(t.Start) / time.Minute) }

// Free is the number of open slots.
func (t Task) Free() int { return t.Slots - t.Claimed }

// ClaimStatus is the state of a youth's claim on a task.
type ClaimStatus string

// Claim statuses.
const (
	ClaimActive    ClaimStatus = "claimed"
	ClaimWaitlist  ClaimStatus = "waitlisted"
	ClaimCancelled ClaimStatus = "cancelled"
)

// Claim is a youth's slot (or waitlist place) on a task.
type Claim struct {
	AreaID      uint64      `json:"area"`
	TaskID      uint64      `json:"task"`
	YouthID     uint64      `json:"youth"`
	Status      ClaimStatus `json:"status"`
	Seq         uint64      `json:"seq"` // order of claiming: the waitlist moves up by it
	RuleVersion string      `json:"rule_version"`
	Created     time.Time   `json:"created"`
	Updated     time.Time   `json:"updated"`
}

// EntryStatus is the state of a work entry.
type EntryStatus string

// Work entry statuses. Approved and rejected are final.
const (
	EntryOpen     EntryStatus = "checked_in" // checked in, not yet out
	EntryPending  EntryStatus = "pending"    // waiting for a coordinator
	EntryApproved EntryStatus = "approved"
	EntryRejected EntryStatus = "rejected"
)

// EntrySource says how work was recorded.
type EntrySource string

// Entry sources.
const (
	SourceCheckIn    EntrySource = "checkin"    // the youth checked in and out on the spot
	SourceSupervisor EntrySource = "supervisor" // the supervisor checked the youth in and out
	SourceManual     EntrySource = "manual"     // hours entered afterwards
)

// WorkEntry is time a youth worked on a task. Once approved or rejected it
// never changes; a correction is a new entry that names the one it corrects.
type WorkEntry struct {
	ID           uint64      `json:"id"`
	AreaID       uint64      `json:"area"`
	TaskID       uint64      `json:"task"`
	YouthID      uint64      `json:"youth"`
	Start        time.Time   `json:"start"`
	End          time.Time   `json:"end,omitzero"`
	BreakMinutes int         `json:"break_minutes,omitempty"`
	Minutes      int         `json:"minutes"` // worked, without the break
	Source       EntrySource `json:"source"`
	Status       EntryStatus `json:"status"`
	Reason       string      `json:"reason,omitempty"` // why it was rejected; the youth sees it
	Corrects     uint64      `json:"corrects,omitempty"`
	RuleVersion  string      `json:"rule_version"`
	CreatedBy    uint64      `json:"created_by"`
	Created      time.Time   `json:"created"`
	DecidedBy    uint64      `json:"decided_by,omitempty"`
	DecidedAt    time.Time   `json:"decided_at,omitzero"`
	TransferID   uint64      `json:"transfer,omitempty"` // the ledger transfer that paid it
}
