// Package participation will hold the append-only participation records,
// written in the same transaction as the work they describe; they are the
// raw material of the effect evaluation.
package participation
