package notify

import (
	"time"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// Kind codes of the messages; the locales hold "notify.<kind>" texts.
const (
	KindClaimConfirmed   = "claim_confirmed"
	KindWaitlistPromoted = "waitlist_promoted"
	KindTaskCancelled    = "task_cancelled"
	KindHoursApproved    = "hours_approved"
	KindHoursRejected    = "hours_rejected"
	KindAccountLocked    = "account_locked"
	// KindCandidateShared tells an employer's contact person that a youth
	// was shared with them (Params: "employer", the employer's name).
	KindCandidateShared = "candidate_shared"
	// KindFollowUpDue tells a coordinator that a case note's follow-up
	// falls due (Params: "date", "youth" ID, "note" ID).
	KindFollowUpDue = "followup_due"
	// KindCoordinatorDigest is a coordinator's weekly summary of one area
	// (Params: "week", "followups", "inactive", "hours", "rewards": counts).
	KindCoordinatorDigest = "coordinator_digest"
	// Rewards: a coordinator's decision on a youth's request or pledge.
	KindRewardConfirmed = "reward_confirmed"
	KindRewardRefused   = "reward_refused"
	KindRewardCancelled = "reward_cancelled"
	// Reminders to a youth with a place: the afternoon before the task,
	// and two hours before it starts.
	KindReminderDayBefore = "reminder_day_before"
	KindReminderSoon      = "reminder_two_hours"
	// To a youth's guardian (Message.Guardian): the consent link a
	// coordinator made, and the child's first place on a wage task.
	KindConsentLink   = "consent_link"
	KindFirstWageTask = "first_wage_task"
)

// ChannelInbox is the in-app inbox: a message on it is delivered when it
// commits (it is visible in the recipient's inbox at once), so the worker
// never sends it. The worker then copies it onto each external channel
// (SMS, e-mail) its recipient chose (see Worker).
const ChannelInbox = "inbox"

// ChannelNone holds a message that has no inbox to land in: one to a
// youth's guardian (Message.Guardian), who may have no login. It is
// recorded as sent and only its copies on external channels reach anyone.
const ChannelNone = "none"

// State is where a message is in its delivery.
type State string

// The states of a message. Sent and failed are final.
const (
	StateQueued State = "queued"
	StateSent   State = "sent"
	StateFailed State = "failed"
)

// Message is one notice to one person on one channel.
type Message struct {
	ID      uint64            `json:"id"`
	UserID  uint64            `json:"user"`           // the recipient
	AreaID  uint64            `json:"area,omitempty"` // the area the event belongs to
	Kind    string            `json:"kind"`           // a Kind… code; the text is the locales' "notify.<kind>"
	Params  map[string]string `json:"params,omitempty"`
	Channel string            `json:"channel"` // ChannelInbox, or the Name of a Channel
	// ToYouth marks a message to a youth: external channels keep quiet
	// hours for them.
	ToYouth bool `json:"to_youth,omitempty"`
	// Guardian marks a message to the guardians of youth UserID, reached
	// on the guardian contacts of the youth's profile (Params["guardian"]
	// names one, else the first with a phone); it lands in no inbox.
	Guardian bool `json:"guardian,omitempty"`
	// Key is the idempotency key, derived from the event
	// ("waitlist_promoted:task:7:youth:3:claim:12"); one message per key
	// and channel. The provider sees it.
	Key     string    `json:"key"`
	Created time.Time `json:"created"`

	State       State     `json:"state"`
	Attempts    int       `json:"attempts,omitempty"`
	NextAttempt time.Time `json:"next_attempt,omitzero"` // when a queued message is due
	LastError   string    `json:"last_error,omitempty"`
	SentAt      time.Time `json:"sent_at,omitzero"`
	ReadAt      time.Time `json:"read_at,omitzero"` // inbox messages: when the recipient saw it
	// RetriedAt is when an administrator last put the message back in the
	// queue (Service.Retry). The worker gives up GiveUp after the later of
	// Created and RetriedAt, so a retried failed message gets a full day
	// again while Created stays the event's time (retention counts from it).
	RetriedAt time.Time `json:"retried_at,omitzero"`

	// LeaseOwner holds a queued message while an instance sends it, until
	// LeaseUntil; after that another instance may take it.
	LeaseOwner string    `json:"lease_owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`
}

// Read reports whether the recipient has seen the message.
func (m Message) Read() bool { return !m.ReadAt.IsZero() }

// Buckets.
const (
	bucketMsgs   = "notify_msgs"   // ID(msg) -> Message
	bucketKeys   = "notify_keys"   // channel 0 key 0 -> ID(msg): one message per idempotency key and channel
	bucketInbox  = "notify_inbox"  // ID(user) ID(^msg) -> ID(msg): newest first
	bucketUnread = "notify_unread" // ID(user) ID(msg) -> empty, while unread
	bucketDue    = "notify_due"    // ID(unix ms) ID(msg) -> empty: a queued message's next attempt or lease end
	bucketFanout = "notify_fanout" // ID(msg) -> empty: an inbox or guardian message not yet copied to external channels
	bucketOpen   = "notify_open"   // state 0 ID(^msg) -> channel: the queued and failed messages, newest first per state
	bucketCounts = "notify_counts" // channel 0 state 0 -> ID(n): how many messages are in each channel and state
	bucketDrops  = "notify_drops"  // channel -> drops: external copies not made because the queue was full
	bucketMeta   = "notify_meta"   // "counts" -> 1 once bucketCounts and bucketOpen hold every message
	bucketByUser = "notify_byuser" // ID(user) ID(^msg) -> empty: every message about a user, on every channel, newest first
)

// Errors.
var (
	// ErrInvalid is bad input to Enqueue (no recipient, kind or key).
	ErrInvalid = fault.New(fault.Invalid, "notify.invalid")
	// ErrNotFound is a message that is not the user's or does not exist.
	ErrNotFound = fault.New(fault.NotFound, "notify.not_found")
	// ErrBusy is a retry of a message a worker is sending right now.
	ErrBusy = fault.New(fault.Conflict, "notify.busy")
	// ErrNotRetryable is a retry of a message that was sent, or of an
	// inbox message (delivered when it was written).
	ErrNotRetryable = fault.New(fault.Conflict, "notify.not_retryable")
)

// ErrorCodes lists every error this package returns, as the *fault.Error
// that carries its code; the UI checks that each has a message.
func ErrorCodes() []*fault.Error {
	return []*fault.Error{ErrInvalid, ErrNotFound, ErrBusy, ErrNotRetryable}
}

func msgKey(id uint64) []byte               { return store.ID(id) }
func inboxKey(user, id uint64) []byte       { return store.Key(user, ^id) }
func unreadKey(user, id uint64) []byte      { return store.Key(user, id) }
func byUserKey(user, id uint64) []byte      { return store.Key(user, ^id) }
func dueKey(at time.Time, id uint64) []byte { return store.Key(uint64(max(at.UnixMilli(), 0)), id) }
func idemKey(channel, key string) []byte    { return store.Key(channel, key) }
func openKey(st State, id uint64) []byte    { return store.Key(string(st), ^id) }
func countKey(channel string, st State) []byte {
	return store.Key(channel, string(st))
}
