package employers

import (
	"time"

	"fritidsjob/people"
)

// Contact is a contact person at an employer. UserID optionally links a
// people user holding people.RoleEmployer in the employer's area; that
// user may then see the employer's shared candidates and give feedback.
type Contact struct {
	Name   string `json:"name"`
	Phone  string `json:"phone,omitempty"`
	Email  string `json:"email,omitempty"`
	UserID uint64 `json:"user,omitempty"`
}

// Employer is a local employer in one area's register.
type Employer struct {
	ID       uint64    `json:"id"`
	AreaID   uint64    `json:"area"`
	Name     string    `json:"name"`
	CVR      string    `json:"cvr"`
	Address  string    `json:"address,omitempty"`
	Industry string    `json:"industry,omitempty"`
	Contacts []Contact `json:"contacts,omitempty"`
	Notes    string    `json:"notes,omitempty"`
	// Agreements is free text such as "takes two youths each summer".
	Agreements string    `json:"agreements,omitempty"`
	Created    time.Time `json:"created"`
}

// OpeningStatus says whether an opening takes placements.
type OpeningStatus string

// Opening statuses.
const (
	OpeningOpen   OpeningStatus = "open"
	OpeningClosed OpeningStatus = "closed"
)

// Opening is a leisure job an employer offers.
type Opening struct {
	ID           uint64      `json:"id"`
	AreaID       uint64      `json:"area"`
	EmployerID   uint64      `json:"employer"`
	Role         string      `json:"role"`
	HoursPerWeek int         `json:"hours_per_week"`
	MinAge       int         `json:"min_age"`
	Place        string      `json:"place,omitempty"`
	StartDate    people.Date `json:"start_date"`
	// WageOre is the hourly wage in øre; 0 means unpaid.
	WageOre     int64 `json:"wage_ore"`
	Lifting12kg bool  `json:"lifting_12kg,omitempty"`
	WorksAlone  bool  `json:"works_alone,omitempty"`
	Machines    bool  `json:"machines,omitempty"`
	// Keywords describe the work for matching youths' interests.
	Keywords []string      `json:"keywords,omitempty"`
	Status   OpeningStatus `json:"status"`
	Created  time.Time     `json:"created"`
}

// Stage is a step of the placement pipeline.
type Stage string

// The pipeline stages, in order.
const (
	StageOutreach          Stage = "outreach"
	StageGuidance          Stage = "guidance"
	StageCVReady           Stage = "cv_ready"
	StageInterviewTraining Stage = "interview_training"
	StageApplied           Stage = "applied"
	StageInterview         Stage = "interview"
	StagePlaced            Stage = "placed"
	StageFollowUp1M        Stage = "followup_1m"
	StageFollowUp3M        Stage = "followup_3m"
	StageFollowUp6M        Stage = "followup_6m"
	StageEnded             Stage = "ended"
)

// Stages lists every stage in pipeline order.
var Stages = []Stage{StageOutreach, StageGuidance, StageCVReady, StageInterviewTraining,
	StageApplied, StageInterview, StagePlaced, StageFollowUp1M, StageFollowUp3M,
	StageFollowUp6M, StageEnded}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool {
	for _, t := range Stages {
		if s == t {
			return true
		}
	}
	return false
}

// Employed reports whether a youth at stage s holds a job (placed or in
// a retention follow-up), and so must have an open job spell.
func (s Stage) Employed() bool {
	return s == StagePlaced || s == StageFollowUp1M || s == StageFollowUp3M || s == StageFollowUp6M
}

// EndReason says why a placement ended.
type EndReason string

// End reasons.
const (
	EndQuit       EndReason = "quit"
	EndLetGo      EndReason = "let_go"
	EndSeasonOver EndReason = "season_over"
	EndEducation  EndReason = "education"
	EndOther      EndReason = "other"
)

// Valid reports whether r is a known reason.
func (r EndReason) Valid() bool {
	switch r {
	case EndQuit, EndLetGo, EndSeasonOver, EndEducation, EndOther:
		return true
	}
	return false
}

// Step is one recorded pipeline move. From is "" for the first step.
type Step struct {
	At   time.Time `json:"at"`
	By   uint64    `json:"by"`
	From Stage     `json:"from"`
	To   Stage     `json:"to"`
	Why  string    `json:"why,omitempty"`
	// WhySealed is Why at rest, sealed with the youth's key (people.Seal),
	// so erasing the youth makes it unreadable everywhere.
	WhySealed []byte `json:"why_sealed,omitempty"`
	// Date is the programme date the move is about (the placement's start,
	// the follow-up's or end's date).
	Date      people.Date `json:"date"`
	OpeningID uint64      `json:"opening,omitempty"`
	SpellID   uint64      `json:"spell,omitempty"`
	EndReason EndReason   `json:"end_reason,omitempty"`
}

// Pipeline is a youth's place in the pipeline with its full history.
type Pipeline struct {
	AreaID  uint64 `json:"area"`
	YouthID uint64 `json:"youth"`
	Stage   Stage  `json:"stage"`
	// SpellID is the open job spell while Stage.Employed(); 0 otherwise.
	SpellID   uint64    `json:"spell,omitempty"`
	EndReason EndReason `json:"end_reason,omitempty"`
	Steps     []Step    `json:"steps"`
}

// ActivityKind is a kind of recorded programme activity.
type ActivityKind string

// Activity kinds; each writes the matching participation type.
const (
	ActGuidance          ActivityKind = "guidance"
	ActCVWorkshop        ActivityKind = "cv_workshop"
	ActInterviewTraining ActivityKind = "interview_training"
)

// Activity is a guidance session, CV workshop or interview training.
type Activity struct {
	ID      uint64       `json:"id"`
	AreaID  uint64       `json:"area"`
	YouthID uint64       `json:"youth"`
	Kind    ActivityKind `json:"kind"`
	Date    people.Date  `json:"date"`
	Minutes int          `json:"minutes"`
	By      uint64       `json:"by"`
	At      time.Time    `json:"at"`
}

// JobSpell is a youth's time in a job: the outcome the evaluation needs.
// End is nil while the job lasts.
type JobSpell struct {
	ID         uint64       `json:"id"`
	AreaID     uint64       `json:"area"`
	YouthID    uint64       `json:"youth"`
	EmployerID uint64       `json:"employer"`
	OpeningID  uint64       `json:"opening"`
	Start      people.Date  `json:"start"`
	End        *people.Date `json:"end,omitempty"`
	EndReason  EndReason    `json:"end_reason,omitempty"`
}

// Share records that a coordinator shared a youth with an employer, with
// the youth's consent. ShowContact is set when the youth also agreed that
// the employer may see their phone number and address.
type Share struct {
	AreaID      uint64    `json:"area"`
	YouthID     uint64    `json:"youth"`
	EmployerID  uint64    `json:"employer"`
	ConsentAt   time.Time `json:"consent_at"`
	ShowContact bool      `json:"show_contact,omitempty"`
	By          uint64    `json:"by"`
	At          time.Time `json:"at"`
}

// FeedbackKind says when an employer gave feedback.
type FeedbackKind string

// Feedback kinds.
const (
	FeedbackInterview FeedbackKind = "interview"
	FeedbackFollowUp  FeedbackKind = "followup"
)

// Feedback is an employer contact's feedback on a shared youth.
type Feedback struct {
	ID         uint64       `json:"id"`
	AreaID     uint64       `json:"area"`
	EmployerID uint64       `json:"employer"`
	YouthID    uint64       `json:"youth"`
	Kind       FeedbackKind `json:"kind"`
	Text       string       `json:"text,omitempty"`
	// Sealed is Text at rest, sealed with the youth's key.
	Sealed []byte    `json:"sealed,omitempty"`
	By     uint64    `json:"by"`
	At     time.Time `json:"at"`
}

// Note is a coordinator's case note on a youth, optionally with a date to
// follow up on. Done is set when the follow-up was handled.
type Note struct {
	ID      uint64 `json:"id"`
	AreaID  uint64 `json:"area"`
	YouthID uint64 `json:"youth"`
	Text    string `json:"text,omitempty"`
	// Sealed is Text at rest, sealed with the youth's key: a case note is
	// personal free text and goes with the youth's erasure.
	Sealed   []byte       `json:"sealed,omitempty"`
	FollowUp *people.Date `json:"follow_up,omitempty"`
	Done     bool         `json:"done,omitempty"`
	By       uint64       `json:"by"`
	At       time.Time    `json:"at"`
}
