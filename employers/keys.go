package employers

import (
	"fmt"
	"strconv"

	"fritidsjob/store"
)

// Buckets owned by this package. Keys start with the area ID.
const (
	bucketEmployers  = "employers"             // Key(area, employer) -> Employer
	bucketCVR        = "employer_cvr"          // Key(area, cvr) -> ID(employer)
	bucketOpenings   = "openings"              // Key(area, opening) -> Opening
	bucketPipelines  = "pipelines"             // Key(area, youth) -> Pipeline
	bucketActivities = "activities"            // Key(area, youth, activity) -> Activity
	bucketSpells     = "job_spells"            // Key(area, spell) -> JobSpell
	bucketShares     = "employer_shares"       // Key(area, employer, youth) -> Share
	bucketFeedback   = "employer_feedback"     // Key(area, employer, youth, feedback) -> Feedback
	bucketNotes      = "case_notes"            // Key(area, note) -> Note
	seqActivities    = "activity_seq"          // NextID only
	seqFeedback      = "employer_feedback_seq" // NextID only
)

// getEmployer reads employer id of area; ErrNotFound when it is missing.
func getEmployer(tx store.Tx, area, id uint64) (Employer, error) {
	e, ok, err := store.GetJSON[Employer](tx, bucketEmployers, store.Key(area, id))
	if err == nil && !ok {
		err = ErrNotFound
	}
	if err != nil {
		return Employer{}, fmt.Errorf("employer %d: %w", id, err)
	}
	return e, nil
}

// Participation sources written by this package.
func spellSource(id uint64) string    { return "employers:spell:" + strconv.FormatUint(id, 10) }
func activitySource(id uint64) string { return "employers:activity:" + strconv.FormatUint(id, 10) }
func followUpSource(spell uint64, st Stage) string {
	return "employers:followup:" + strconv.FormatUint(spell, 10) + ":" + string(st)
}

// getPipeline reads youth's pipeline; ok is false when the youth has none.
func getPipeline(tx store.Tx, area, youth uint64) (Pipeline, bool, error) {
	return store.GetJSON[Pipeline](tx, bucketPipelines, store.Key(area, youth))
}

// getSpell reads job spell id of area; ErrNotFound when it is missing.
func getSpell(tx store.Tx, area, id uint64) (JobSpell, error) {
	sp, ok, err := store.GetJSON[JobSpell](tx, bucketSpells, store.Key(area, id))
	if err == nil && !ok {
		err = ErrNotFound
	}
	if err != nil {
		return JobSpell{}, fmt.Errorf("job spell %d: %w", id, err)
	}
	return sp, nil
}

// getOpening reads opening id of area; ErrNotFound when it is missing.
func getOpening(tx store.Tx, area, id uint64) (Opening, error) {
	o, ok, err := store.GetJSON[Opening](tx, bucketOpenings, store.Key(area, id))
	if err == nil && !ok {
		err = ErrNotFound
	}
	if err != nil {
		return Opening{}, fmt.Errorf("opening %d: %w", id, err)
	}
	return o, nil
}
