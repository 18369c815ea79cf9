// Package points will hold the append-only double-entry ledger of points
// and DKK øre, the rewards catalogue, redemptions and the payroll export.
package points
