// Package notify is the outbox: messages to people, written in the same
// store transaction as the event that causes them (Enqueue), an in-app
// inbox per user (newest first, unread count, kept 90 days), and a
// delivery Worker that sends queued messages through a Channel (e-mail and
// SMS later) with retries, exponential backoff and a lease in the store, so
// that with several instances exactly one delivers each message.
//
// For the administrators, counters per channel and state and an index of
// the queued and failed messages are kept in the same transactions as
// every state change (Stats, Outbox, Retry); the queue of external
// messages is bounded (MaxQueued), so a provider that is down cannot make
// it grow without end, and never makes an event fail.
//
// The domain stores only a kind code and its parameters; the texts live
// in ui/locales under "notify.<kind>", so a message reads in the
// recipient's language whenever it is shown or sent.
//
// notify imports store, people and fault only; the packages that cause
// events (jobs, points, …) import notify, never the other way round.
package notify
