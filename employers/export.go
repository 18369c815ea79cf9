package employers

import (
	"fmt"

	"fritidsjob/store"
)

// YouthData is everything this package holds about one youth, with free
// text opened: for the youth's own data download (the right of access).
type YouthData struct {
	Pipeline   *Pipeline  `json:"pipeline,omitempty"`
	Activities []Activity `json:"activities"`
	Spells     []JobSpell `json:"job_spells"`
	Notes      []Note     `json:"case_notes"`
	Shares     []Share    `json:"shared_with_employers"`
	Feedback   []Feedback `json:"employer_feedback"`
}

// YouthData collects youth's pipeline, activities, job spells, case
// notes, shares with employers and employer feedback in area, in one
// read transaction.
func (s *Service) YouthData(area, youth uint64) (YouthData, error) {
	d := YouthData{Activities: []Activity{}, Spells: []JobSpell{}, Notes: []Note{}, Shares: []Share{}, Feedback: []Feedback{}}
	err := s.db.View(func(tx store.Tx) error {
		p, ok, err := getPipeline(tx, area, youth)
		if err != nil {
			return err
		}
		if ok {
			if p, err = s.openPipeline(tx, p); err != nil {
				return err
			}
			d.Pipeline = &p
		}
		err = store.ScanJSON(tx, bucketActivities, store.Key(area, youth), func(_ []byte, a Activity) error {
			d.Activities = append(d.Activities, a)
			return nil
		})
		if err != nil {
			return err
		}
		err = store.ScanJSON(tx, bucketSpells, store.ID(area), func(_ []byte, sp JobSpell) error {
			if sp.YouthID == youth {
				d.Spells = append(d.Spells, sp)
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = store.ScanJSON(tx, bucketNotes, store.ID(area), func(_ []byte, n Note) error {
			if n.YouthID != youth {
				return nil
			}
			if err := s.openNote(tx, &n); err != nil {
				return err
			}
			d.Notes = append(d.Notes, n)
			return nil
		})
		if err != nil {
			return err
		}
		err = store.ScanJSON(tx, bucketShares, store.ID(area), func(_ []byte, sh Share) error {
			if sh.YouthID == youth {
				d.Shares = append(d.Shares, sh)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return store.ScanJSON(tx, bucketFeedback, store.ID(area), func(_ []byte, f Feedback) error {
			if f.YouthID != youth {
				return nil
			}
			if err := s.openFeedback(tx, &f); err != nil {
				return err
			}
			d.Feedback = append(d.Feedback, f)
			return nil
		})
	})
	if err != nil {
		return YouthData{}, fmt.Errorf("data of youth %d: %w", youth, err)
	}
	return d, nil
}
