package employers

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// ShareYouth shares youth with employer of area, recording the youth's
// consent given at consentAt (required, not in the future) and whether
// the youth agreed that the employer may see their phone and address.
// Sharing again replaces the earlier share. A new share tells each of
// the employer's contact persons with a login, in the same transaction,
// that a youth was shared with them (the employer's name, nothing about
// the youth).
// Refuses with ErrNotFound and invalid input.
func (s *Service) ShareYouth(area, employer, youth, by uint64, consentAt time.Time, showContact bool) (Share, error) {
	now := s.now()
	if consentAt.IsZero() {
		return Share{}, invalid("consent", "required")
	}
	if consentAt.After(now) {
		return Share{}, invalid("consent", "future")
	}
	sh := Share{AreaID: area, YouthID: youth, EmployerID: employer, ConsentAt: consentAt.UTC(),
		ShowContact: showContact, By: by, At: now.UTC()}
	err := s.db.Update(func(tx store.Tx) error {
		e, err := getEmployer(tx, area, employer)
		if err != nil {
			return err
		}
		if err := s.liveYouth(tx, area, youth); err != nil {
			return err
		}
		old, err := tx.Get(bucketShares, store.Key(area, employer, youth))
		if err != nil {
			return err
		}
		if err := store.PutJSON(tx, bucketShares, store.Key(area, employer, youth), sh); err != nil {
			return err
		}
		if old != nil {
			return nil // a replaced share is no news to the employer
		}
		return notifyShared(tx, e, sh)
	})
	if err != nil {
		return Share{}, fmt.Errorf("share youth %d: %w", youth, err)
	}
	return sh, nil
}

// notifyShared tells every contact person of e who has a login and
// still holds the employer-contact role in e's area that a youth was
// shared with them: the employer's name only, so an SMS or e-mail copy
// carries nothing about the youth; the portal shows the candidate.
func notifyShared(tx store.Tx, e Employer, sh Share) error {
	members, err := people.MemberIDsTx(tx, e.AreaID, people.RoleEmployer)
	if err != nil {
		return err
	}
	seen := map[uint64]bool{}
	for _, c := range e.Contacts {
		if c.UserID == 0 || seen[c.UserID] || !slices.Contains(members, c.UserID) {
			continue
		}
		seen[c.UserID] = true
		if err := notify.Enqueue(tx, notify.Message{UserID: c.UserID, AreaID: e.AreaID, Kind: notify.KindCandidateShared,
			Params:  map[string]string{"employer": e.Name},
			Created: sh.At,
			Key: fmt.Sprintf("%s:employer:%d:youth:%d:at:%d:to:%d", notify.KindCandidateShared,
				e.ID, sh.YouthID, sh.At.UnixNano(), c.UserID)}); err != nil {
			return err
		}
	}
	return nil
}

// Unshare withdraws youth from employer (for example when the youth
// withdraws consent). Earlier feedback is kept.
func (s *Service) Unshare(area, employer, youth uint64) error {
	return s.db.Update(func(tx store.Tx) error {
		return tx.Delete(bucketShares, store.Key(area, employer, youth))
	})
}

// Candidate is a shared youth as an employer contact sees them. Phone and
// Address are empty unless the share's ShowContact is set.
type Candidate struct {
	YouthID     uint64
	DisplayName string
	Stage       Stage
	SharedAt    time.Time
	ShowContact bool
	Phone       string
	Address     string
}

// SharedCandidates lists the youths shared with employer of area, in
// youth ID order, leaving out erased youths. Phone and address come from Options.Contact and only
// for shares with ShowContact.
// Refuses with ErrNotFound.
func (s *Service) SharedCandidates(area, employer uint64) ([]Candidate, error) {
	var out []Candidate
	err := s.db.View(func(tx store.Tx) error {
		if _, err := getEmployer(tx, area, employer); err != nil {
			return err
		}
		return store.ScanJSON(tx, bucketShares, store.Key(area, employer), func(_ []byte, sh Share) error {
			c := Candidate{YouthID: sh.YouthID, SharedAt: sh.At, ShowContact: sh.ShowContact}
			p, _, err := getPipeline(tx, area, sh.YouthID)
			if err != nil {
				return err
			}
			c.Stage = p.Stage
			if sh.ShowContact && s.contact != nil {
				if c.Phone, c.Address, err = s.contact(tx, area, sh.YouthID); err != nil {
					return err
				}
			}
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	// Names are read after the transaction: people.Service opens its own.
	// An erased youth is no longer a candidate.
	kept := out[:0]
	for _, c := range out {
		v, err := s.people.Youth(area, c.YouthID)
		if err != nil && !errIsNotFound(err) {
			return nil, err
		}
		if err != nil || !v.User.Erased.IsZero() {
			continue
		}
		c.DisplayName = v.User.DisplayName
		kept = append(kept, c)
	}
	return kept, nil
}

// CandidateFor returns youth as shared with employer of area, for user,
// who must be one of the employer's contact persons (ErrNotContact
// otherwise; ErrNotFound for an unknown employer). A youth not shared
// with the employer is ErrNotShared. Phone and address are filled as in
// SharedCandidates.
func (s *Service) CandidateFor(area, employer, youth, user uint64) (Candidate, error) {
	var c Candidate
	err := s.db.View(func(tx store.Tx) error {
		e, err := getEmployer(tx, area, employer)
		if err != nil {
			return err
		}
		if !isContact(e, user) {
			return ErrNotContact
		}
		sh, ok, err := store.GetJSON[Share](tx, bucketShares, store.Key(area, employer, youth))
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotShared
		}
		c = Candidate{YouthID: youth, SharedAt: sh.At, ShowContact: sh.ShowContact}
		p, _, err := getPipeline(tx, area, youth)
		if err != nil {
			return err
		}
		c.Stage = p.Stage
		if sh.ShowContact && s.contact != nil {
			c.Phone, c.Address, err = s.contact(tx, area, youth)
		}
		return err
	})
	if err != nil {
		return Candidate{}, fmt.Errorf("candidate %d of employer %d: %w", youth, employer, err)
	}
	v, err := s.people.Youth(area, youth)
	if err != nil && !errIsNotFound(err) {
		return Candidate{}, err
	}
	if err != nil || !v.User.Erased.IsZero() {
		return Candidate{}, fmt.Errorf("candidate %d of employer %d: erased: %w", youth, employer, ErrNotShared)
	}
	c.DisplayName = v.User.DisplayName
	return c, nil
}

// Shares lists the youths shared with employer of area (the
// coordinator's view, with consent times), in youth ID order.
func (s *Service) Shares(area, employer uint64) ([]Share, error) {
	var out []Share
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketShares, store.Key(area, employer), func(_ []byte, sh Share) error {
			out = append(out, sh)
			return nil
		})
	})
	return out, err
}

// NewFeedback is what an employer contact writes about a shared youth.
type NewFeedback struct {
	EmployerID, YouthID uint64
	Kind                FeedbackKind
	Text                string
}

// AddFeedback stores feedback from user by, who must be a contact person
// of f.EmployerID (Contacts[].UserID; ErrNotContact otherwise), on a
// youth shared with that employer (ErrNotShared otherwise).
// Refuses with ErrNotFound, ErrNotContact, ErrNotShared and invalid input.
func (s *Service) AddFeedback(area, by uint64, n NewFeedback) (Feedback, error) {
	if n.Kind != FeedbackInterview && n.Kind != FeedbackFollowUp {
		return Feedback{}, invalid("kind", "unknown")
	}
	txt, err := text("text", n.Text, 4000, true)
	if err != nil {
		return Feedback{}, err
	}
	f := Feedback{AreaID: area, EmployerID: n.EmployerID, YouthID: n.YouthID, Kind: n.Kind, Text: txt,
		By: by, At: s.now().UTC()}
	err = s.db.Update(func(tx store.Tx) error {
		e, err := getEmployer(tx, area, n.EmployerID)
		if err != nil {
			return err
		}
		if !isContact(e, by) {
			return ErrNotContact
		}
		if err := s.liveYouth(tx, area, n.YouthID); errors.Is(err, ErrNotFound) {
			return ErrNotShared // an erased youth is nobody's candidate
		} else if err != nil {
			return err
		}
		if v, err := tx.Get(bucketShares, store.Key(area, n.EmployerID, n.YouthID)); err != nil {
			return err
		} else if v == nil {
			return ErrNotShared
		}
		id, err := tx.NextID(seqFeedback)
		if err != nil {
			return err
		}
		f.ID = id
		stored := f
		if stored.Sealed, err = s.sealText(tx, n.YouthID, f.Text); err != nil {
			return err
		}
		stored.Text = ""
		return store.PutJSON(tx, bucketFeedback, store.Key(area, n.EmployerID, n.YouthID, id), stored)
	})
	if err != nil {
		return Feedback{}, fmt.Errorf("add feedback: %w", err)
	}
	return f, nil
}

// FeedbackFor lists employer's feedback in area, on youth only when
// youth is not 0.
func (s *Service) FeedbackFor(area, employer, youth uint64) ([]Feedback, error) {
	prefix := store.Key(area, employer)
	if youth != 0 {
		prefix = store.Key(area, employer, youth)
	}
	var out []Feedback
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketFeedback, prefix, func(_ []byte, f Feedback) error {
			if err := s.openFeedback(tx, &f); err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	})
	return out, err
}
