// Package jobs holds the lommepenge tasks of a housing area: posting them,
// claiming a slot (with a waitlist that moves up by itself), recording work
// by check-in/check-out or afterwards, and approving it. Approval pays
// through the points ledger and writes a participation record in the same
// store transaction. The Danish young-worker rules (package jobs/rules) are
// checked before a slot is claimed and before work is recorded, never after.
package jobs
