// Package employers will hold the employer register, openings, the
// placement pipeline with retention follow-ups, and job spells.
package employers
