package employers

import (
	"errors"
	"fmt"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Free text about a youth (case notes, employer feedback, the reasons
// for pipeline moves) is stored sealed with the youth's own key, like
// the rest of their personal data: erasing the youth deletes the key, so
// the text is unreadable in the live file and in every backup. Records
// leave this package with the text opened; an erased youth's text reads
// as empty.

// sealText seals s for youth inside a write transaction; "" stays nil.
func (s *Service) sealText(tx store.Tx, youth uint64, txt string) ([]byte, error) {
	if txt == "" {
		return nil, nil
	}
	b, err := s.people.Seal(tx, youth, txt)
	if err != nil {
		return nil, fmt.Errorf("seal text of youth %d: %w", youth, err)
	}
	return b, nil
}

// openText opens what sealText sealed; an erased youth's text is "".
func (s *Service) openText(tx store.Tx, youth uint64, sealed []byte) (string, error) {
	if sealed == nil {
		return "", nil
	}
	var txt string
	err := s.people.Open(tx, youth, sealed, &txt)
	if errors.Is(err, people.ErrErased) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("open text of youth %d: %w", youth, err)
	}
	return txt, nil
}

// openNote fills n.Text from n.Sealed.
func (s *Service) openNote(tx store.Tx, n *Note) error {
	if n.Sealed == nil {
		return nil
	}
	txt, err := s.openText(tx, n.YouthID, n.Sealed)
	n.Text, n.Sealed = txt, nil
	return err
}

// openFeedback fills f.Text from f.Sealed.
func (s *Service) openFeedback(tx store.Tx, f *Feedback) error {
	if f.Sealed == nil {
		return nil
	}
	txt, err := s.openText(tx, f.YouthID, f.Sealed)
	f.Text, f.Sealed = txt, nil
	return err
}

// openPipeline returns a copy of p with every step's Why opened.
func (s *Service) openPipeline(tx store.Tx, p Pipeline) (Pipeline, error) {
	steps := make([]Step, len(p.Steps))
	copy(steps, p.Steps)
	for i := range steps {
		if steps[i].WhySealed == nil {
			continue
		}
		why, err := s.openText(tx, p.YouthID, steps[i].WhySealed)
		if err != nil {
			return Pipeline{}, err
		}
		steps[i].Why, steps[i].WhySealed = why, nil
	}
	p.Steps = steps
	return p, nil
}

// liveYouth returns ErrNotFound when youth is not a youth of area or has
// been erased, so nothing new is written about an erased youth (sealing
// would otherwise give them a fresh key). Every youth has a birth date;
// an erased youth's sealed birth date no longer opens and reads as zero.
func (s *Service) liveYouth(tx store.Tx, area, youth uint64) error {
	y, err := s.people.YouthTx(tx, area, youth)
	switch {
	case errors.Is(err, people.ErrNotFound):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case err != nil:
		return err
	case y.BirthDate.IsZero():
		return fmt.Errorf("youth %d erased: %w", youth, ErrNotFound)
	}
	return nil
}
