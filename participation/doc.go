// Package participation holds the append-only participation records: one
// per thing a youth took part in (a lommepenge task, a guidance session, a
// placement...), written in the same store transaction as the work it
// describes. They are the raw material of the effect evaluation, so they
// are never edited; a correction is a new record.
package participation
