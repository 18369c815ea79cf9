// Package employers is the employer-bridging domain: the employer register
// per area (with modulus-11 checked CVR numbers), openings checked against
// the young-worker rules, the placement pipeline per youth with its full
// history, activities and retention follow-ups, job spells, candidates
// shared with an employer (with the youth's consent), employer feedback,
// case notes with follow-up dates, the per-area funnel, and matching of
// youths and openings with the reasons for each suggestion (Match).
//
// Free text about a youth (case notes, feedback, the reasons for moves)
// is sealed with the youth's own key (people.Seal), so erasing the youth
// shreds it in the live file and in backups; nothing new is written about
// an erased youth.
//
// Every business operation is one store transaction. Changes that the
// evaluation counts (guidance sessions, CV workshops, interview training,
// placements, retention follow-ups) write their participation record in
// the same transaction as the change itself, so either both happen or
// neither does. Keys start with the area ID, so one area is one prefix.
//
// Errors are language-neutral *fault.Error values (sentinels and invalid
// field codes); the UI translates them.
package employers
