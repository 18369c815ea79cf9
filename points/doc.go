// Package points holds the append-only double-entry ledger of points and
// DKK øre, the rewards catalogue of shared experiences, redemptions and
// group pots, and the monthly payroll export.
//
// Every movement of value is a Transfer between two accounts of one area in
// one currency, posted with an idempotency key: the same key again is a
// replay that changes nothing. Youth, reservation, pot and reward accounts
// never go below zero; the area's budget may (a negative budget is budget
// used). Post works inside the caller's store transaction, so the jobs
// package pays an approval in the same commit as the approval itself; Check
// verifies every invariant of the ledger and the catalogue.
//
// This package does not know who may do what: callers (the UI) check that
// the acting user is a coordinator of the area, or the youth in question,
// and that youth IDs name youths of the area, before calling it.
package points
