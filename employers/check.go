package employers

import (
	"errors"
	"fmt"

	"fritidsjob/participation"
	"fritidsjob/store"
)

// Check verifies this package's invariants for `fritidsjob check`: every
// pipeline's history is a chain of allowed moves ending at its stage;
// every placed or followed-up youth has an open job spell of their own;
// every job spell has its participation.Placement record; every activity
// has its participation record; every CVR index entry names its employer.
func Check(tx store.Tx) error {
	var errs []error
	for _, check := range []func(store.Tx) ([]error, error){checkPipelines, checkSpells, checkActivities, checkCVRIndex} {
		found, err := check(tx)
		if err != nil {
			return err
		}
		errs = append(errs, found...)
	}
	return errors.Join(errs...)
}

// checkPipelines checks that every pipeline's history is a chain of
// allowed moves ending at its stage, and that an employed youth has an open
// job spell of their own.
func checkPipelines(tx store.Tx) ([]error, error) {
	var errs []error
	err := store.ScanJSON(tx, bucketPipelines, nil, func(_ []byte, p Pipeline) error {
		prev := Stage("")
		for i, st := range p.Steps {
			if st.From != prev || !Allowed(st.From, st.To) {
				errs = append(errs, fmt.Errorf("pipeline area %d youth %d step %d: %q to %q not allowed after %q",
					p.AreaID, p.YouthID, i, st.From, st.To, prev))
			}
			prev = st.To
		}
		if prev != p.Stage {
			errs = append(errs, fmt.Errorf("pipeline area %d youth %d: stage %q but history ends at %q", p.AreaID, p.YouthID, p.Stage, prev))
		}
		if !p.Stage.Employed() {
			return nil
		}
		sp, ok, err := store.GetJSON[JobSpell](tx, bucketSpells, store.Key(p.AreaID, p.SpellID))
		if err != nil {
			return err
		}
		switch {
		case p.SpellID == 0 || !ok:
			errs = append(errs, fmt.Errorf("pipeline area %d youth %d: %s without a job spell", p.AreaID, p.YouthID, p.Stage))
		case sp.YouthID != p.YouthID || sp.End != nil:
			errs = append(errs, fmt.Errorf("pipeline area %d youth %d: job spell %d is not their open spell", p.AreaID, p.YouthID, sp.ID))
		}
		return nil
	})
	return errs, err
}

// checkSpells checks that every job spell has its placement record and
// does not end before it starts.
func checkSpells(tx store.Tx) ([]error, error) {
	var errs []error
	err := store.ScanJSON(tx, bucketSpells, nil, func(_ []byte, sp JobSpell) error {
		r, ok, err := participation.BySource(tx, sp.AreaID, spellSource(sp.ID))
		if err != nil {
			return err
		}
		if !ok || r.Type != participation.Placement || r.YouthID != sp.YouthID {
			errs = append(errs, fmt.Errorf("job spell %d: no placement participation record", sp.ID))
		}
		if sp.End != nil && sp.End.Before(sp.Start) {
			errs = append(errs, fmt.Errorf("job spell %d: ends before it starts", sp.ID))
		}
		return nil
	})
	return errs, err
}

// checkActivities checks that every activity has its participation
// record.
func checkActivities(tx store.Tx) ([]error, error) {
	var errs []error
	err := store.ScanJSON(tx, bucketActivities, nil, func(_ []byte, a Activity) error {
		r, ok, err := participation.BySource(tx, a.AreaID, activitySource(a.ID))
		if err != nil {
			return err
		}
		if !ok || r.Type != participationOf[a.Kind] || r.YouthID != a.YouthID {
			errs = append(errs, fmt.Errorf("activity %d: no matching participation record", a.ID))
		}
		return nil
	})
	return errs, err
}

// checkCVRIndex checks that every CVR index entry names the employer
// that holds that CVR number.
func checkCVRIndex(tx store.Tx) ([]error, error) {
	var errs []error
	err := tx.Scan(bucketCVR, nil, func(k, v []byte) error {
		area, err := store.ParseID(k, 0)
		if err != nil {
			return err
		}
		id, err := store.ParseID(v, 0)
		if err != nil {
			return err
		}
		e, ok, err := store.GetJSON[Employer](tx, bucketEmployers, store.Key(area, id))
		if err != nil {
			return err
		}
		if !ok || string(store.Key(area, e.CVR)) != string(k) {
			errs = append(errs, fmt.Errorf("cvr index %x: names employer %d that does not hold it", k, id))
		}
		return nil
	})
	return errs, err
}
