package employers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fritidsjob/jobs/rules"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// ContactFunc returns a youth's phone number and address for an employer
// that the youth agreed may see them (for example from the youth's CV).
// It runs inside the read transaction of SharedCandidates.
type ContactFunc func(tx store.Tx, area, youth uint64) (phone, address string, err error)

// Options configure a Service.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Contact supplies a youth's phone and address for SharedCandidates
	// when the share allows it; nil means none are known.
	Contact ContactFunc
}

// Service manages employers, openings, the pipeline and job spells.
type Service struct {
	db      store.DB
	people  *people.Service
	rules   *rules.Engine
	now     func() time.Time
	contact ContactFunc
	// appendRecord writes participation records; tests replace it to
	// prove that a failed write rolls the whole operation back.
	appendRecord func(store.Tx, participation.Record) (participation.Record, bool, error)
}

// NewService returns a Service on db; ppl reads youths' (encrypted)
// profiles and engine checks openings against the young-worker rules.
func NewService(db store.DB, ppl *people.Service, engine *rules.Engine, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: db, people: ppl, rules: engine, now: o.Now, contact: o.Contact,
		appendRecord: participation.Append}
}

// today is the current Copenhagen date.
func (s *Service) today() people.Date { return people.DateOf(s.now().In(people.Copenhagen)) }

func text(field, s string, max int, required bool) (string, error) {
	s, code := people.CleanText(s, max, required, true)
	if code != "" {
		return "", invalid(field, code)
	}
	return s, nil
}

// NewEmployer is what a coordinator fills in to register an employer.
type NewEmployer struct {
	Name, CVR, Address, Industry, Notes, Agreements string
	Contacts                                        []Contact
}

func (s *Service) validEmployer(area uint64, n *NewEmployer) error {
	var err error
	if n.Name, err = text("name", n.Name, 120, true); err != nil {
		return err
	}
	n.CVR = strings.ReplaceAll(strings.TrimSpace(n.CVR), " ", "")
	if err := ValidCVR(n.CVR); err != nil {
		return err
	}
	if n.Address, err = text("address", n.Address, 200, false); err != nil {
		return err
	}
	if n.Industry, err = text("industry", n.Industry, 100, false); err != nil {
		return err
	}
	if n.Notes, err = text("notes", n.Notes, 4000, false); err != nil {
		return err
	}
	if n.Agreements, err = text("agreements", n.Agreements, 2000, false); err != nil {
		return err
	}
	if len(n.Contacts) > maxContacts {
		return invalid("contacts", "too_many")
	}
	for i := range n.Contacts {
		if err := s.validContact(area, &n.Contacts[i]); err != nil {
			return err
		}
	}
	return nil
}

// maxContacts is the most contact persons one employer has.
const maxContacts = 10

// validContact checks and tidies one contact person; a login it names
// must be an employer contact of area.
func (s *Service) validContact(area uint64, c *Contact) error {
	var err error
	if c.Name, err = text("contact_name", c.Name, 80, true); err != nil {
		return err
	}
	if c.Phone, err = text("contact_phone", c.Phone, 40, false); err != nil {
		return err
	}
	if c.Email, err = text("contact_email", c.Email, 120, false); err != nil {
		return err
	}
	if c.Email != "" && !strings.Contains(c.Email, "@") {
		return invalid("contact_email", "format")
	}
	if c.UserID != 0 {
		u, err := s.people.User(c.UserID)
		if errors.Is(err, people.ErrNotFound) || (err == nil && !u.HasRole(area, people.RoleEmployer)) {
			return invalid("contact_user", "not_employer_contact")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// CreateEmployer registers an employer in area. It refuses an invalid CVR
// (invalid cvr/format or cvr/checksum) and a CVR already registered
// in the area (ErrDuplicateCVR). A contact's UserID must name a user with
// people.RoleEmployer in area.
// Refuses with ErrDuplicateCVR and invalid input.
func (s *Service) CreateEmployer(area uint64, n NewEmployer) (Employer, error) {
	if err := s.validEmployer(area, &n); err != nil {
		return Employer{}, err
	}
	e := Employer{AreaID: area, Name: n.Name, CVR: n.CVR, Address: n.Address, Industry: n.Industry,
		Contacts: n.Contacts, Notes: n.Notes, Agreements: n.Agreements, Created: s.now().UTC()}
	err := s.db.Update(func(tx store.Tx) error {
		if v, err := tx.Get(bucketCVR, store.Key(area, e.CVR)); err != nil {
			return err
		} else if v != nil {
			return ErrDuplicateCVR
		}
		id, err := tx.NextID(bucketEmployers)
		if err != nil {
			return err
		}
		e.ID = id
		if err := tx.Put(bucketCVR, store.Key(area, e.CVR), store.ID(id)); err != nil {
			return err
		}
		return store.PutJSON(tx, bucketEmployers, store.Key(area, id), e)
	})
	if err != nil {
		return Employer{}, fmt.Errorf("create employer: %w", err)
	}
	return e, nil
}

// UpdateEmployer replaces employer id's fields in area (CVR included,
// with the same checks as CreateEmployer).
// Refuses with ErrNotFound, ErrDuplicateCVR and invalid input.
func (s *Service) UpdateEmployer(area, id uint64, n NewEmployer) (Employer, error) {
	if err := s.validEmployer(area, &n); err != nil {
		return Employer{}, err
	}
	return s.update(area, id, &n, func([]Contact) ([]Contact, error) { return n.Contacts, nil })
}

// UpdateDetails is UpdateEmployer for everything but the contact persons:
// n.Contacts is ignored and the stored contacts stay, read in the same
// transaction, so a contact added meanwhile is not lost.
// Refuses with ErrNotFound, ErrDuplicateCVR and invalid input.
func (s *Service) UpdateDetails(area, id uint64, n NewEmployer) (Employer, error) {
	n.Contacts = nil
	if err := s.validEmployer(area, &n); err != nil {
		return Employer{}, err
	}
	return s.update(area, id, &n, func(old []Contact) ([]Contact, error) { return old, nil })
}

// update writes n's fields over employer id in one transaction, with the
// contact list that contacts makes of the stored one.
func (s *Service) update(area, id uint64, n *NewEmployer, contacts func(old []Contact) ([]Contact, error)) (Employer, error) {
	var e Employer
	err := s.db.Update(func(tx store.Tx) error {
		var err error
		if e, err = getEmployer(tx, area, id); err != nil {
			return err
		}
		cs, err := contacts(slices.Clone(e.Contacts))
		if err != nil {
			return err
		}
		if n.CVR != e.CVR {
			if v, err := tx.Get(bucketCVR, store.Key(area, n.CVR)); err != nil {
				return err
			} else if v != nil {
				return ErrDuplicateCVR
			}
			if err := tx.Delete(bucketCVR, store.Key(area, e.CVR)); err != nil {
				return err
			}
			if err := tx.Put(bucketCVR, store.Key(area, n.CVR), store.ID(id)); err != nil {
				return err
			}
		}
		e.Name, e.CVR, e.Address, e.Industry = n.Name, n.CVR, n.Address, n.Industry
		e.Contacts, e.Notes, e.Agreements = cs, n.Notes, n.Agreements
		return store.PutJSON(tx, bucketEmployers, store.Key(area, id), e)
	})
	if err != nil {
		return Employer{}, fmt.Errorf("update employer %d: %w", id, err)
	}
	return e, nil
}

// Employer returns employer id of area, or ErrNotFound.
func (s *Service) Employer(area, id uint64) (Employer, error) {
	var e Employer
	err := s.db.View(func(tx store.Tx) error {
		var err error
		e, err = getEmployer(tx, area, id)
		return err
	})
	return e, err
}

// Employers lists area's employers in ID order.
func (s *Service) Employers(area uint64) ([]Employer, error) {
	var out []Employer
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketEmployers, store.ID(area), func(_ []byte, e Employer) error {
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// ContactEmployers lists the employers of area that name user as a
// contact person (for the employer portal).
func (s *Service) ContactEmployers(area, user uint64) ([]Employer, error) {
	var out []Employer
	err := s.db.View(func(tx store.Tx) error {
		var err error
		out, err = contactEmployers(tx, area, user)
		return err
	})
	return out, err
}

func contactEmployers(tx store.Tx, area, user uint64) ([]Employer, error) {
	var out []Employer
	if user == 0 {
		return nil, nil
	}
	err := store.ScanJSON(tx, bucketEmployers, store.ID(area), func(_ []byte, e Employer) error {
		if isContact(e, user) {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

func isContact(e Employer, user uint64) bool {
	for _, c := range e.Contacts {
		if user != 0 && c.UserID == user {
			return true
		}
	}
	return false
}

// AddContact adds a contact person to employer id of area, with the same
// checks as CreateEmployer (a UserID must hold people.RoleEmployer in
// area). It is how a coordinator gives an employer contact a login.
// Refuses with ErrNotFound and invalid input.
func (s *Service) AddContact(area, id uint64, c Contact) (Employer, error) {
	if err := s.validContact(area, &c); err != nil {
		return Employer{}, err
	}
	return s.changeContacts(area, id, func(old []Contact) ([]Contact, error) {
		if c.UserID != 0 && isContact(Employer{Contacts: old}, c.UserID) {
			return old, nil
		}
		if len(old) >= maxContacts {
			return nil, invalid("contacts", "too_many")
		}
		return append(old, c), nil
	})
}

// RemoveContact removes the contact person at index i of employer id's
// list, provided it is still the one named name (the list may have
// changed since the page was shown; then ErrNotFound and nothing
// changes). A login the contact had loses its access to this employer's
// candidates and openings at once.
func (s *Service) RemoveContact(area, id uint64, i int, name string) (Employer, error) {
	return s.changeContacts(area, id, func(old []Contact) ([]Contact, error) {
		if i < 0 || i >= len(old) || old[i].Name != name {
			return nil, ErrNotFound
		}
		return slices.Delete(old, i, i+1), nil
	})
}

// UpdateContact replaces the contact person at index i of employer id's
// list with c, provided it is still the one named name (as RemoveContact),
// with the same checks as AddContact. A login that another contact of the
// employer has is refused. A login the contact loses stops reaching this
// employer's candidates and openings at once.
// Refuses with ErrNotFound and invalid input.
func (s *Service) UpdateContact(area, id uint64, i int, name string, c Contact) (Employer, error) {
	if err := s.validContact(area, &c); err != nil {
		return Employer{}, err
	}
	return s.changeContacts(area, id, func(old []Contact) ([]Contact, error) {
		if i < 0 || i >= len(old) || old[i].Name != name {
			return nil, ErrNotFound
		}
		for j, o := range old {
			if j != i && c.UserID != 0 && o.UserID == c.UserID {
				return nil, invalid("contact_user", "taken")
			}
		}
		old[i] = c
		return old, nil
	})
}

// changeContacts changes only employer id's contact list, in one
// transaction with the read of the stored list.
func (s *Service) changeContacts(area, id uint64, change func(old []Contact) ([]Contact, error)) (Employer, error) {
	var e Employer
	err := s.db.Update(func(tx store.Tx) error {
		var err error
		if e, err = getEmployer(tx, area, id); err != nil {
			return err
		}
		if e.Contacts, err = change(slices.Clone(e.Contacts)); err != nil {
			return err
		}
		return store.PutJSON(tx, bucketEmployers, store.Key(area, id), e)
	})
	if err != nil {
		return Employer{}, fmt.Errorf("contacts of employer %d: %w", id, err)
	}
	return e, nil
}
