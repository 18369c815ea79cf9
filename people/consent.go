package people

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// Consent buckets.
const (
	bucketConsents = "consents"      // Key(area, youth, id) -> Consent
	bucketLinks    = "consent_links" // sha256(token) -> ConsentLink
)

// ConsentText is the version of the consent text a guardian agrees to;
// each consent records the version it was given under.
const ConsentText = "wage-work-v1"

// Consent methods.
const (
	ConsentPaper = "paper" // on paper, recorded by a coordinator
	ConsentLink  = "link"  // by a one-time link the guardian opened
)

// Errors about consent.
var (
	ErrLinkClosed = fault.New(fault.NotFound, "people.link_closed")
)

// Consent is a guardian's consent to wage work for a youth under the
// consent age: who gave it, when and how, and whether it was withdrawn.
type Consent struct {
	ID           uint64    `json:"id"`
	AreaID       uint64    `json:"area"`
	YouthID      uint64    `json:"youth"`
	GuardianName string    `json:"guardian"`
	Method       string    `json:"method"`
	Text         string    `json:"text"`
	GivenAt      time.Time `json:"given_at"`
	RecordedBy   uint64    `json:"recorded_by,omitempty"` // the coordinator, for paper
	IP           string    `json:"ip,omitempty"`          // the guardian's address, for a link
	WithdrawnAt  time.Time `json:"withdrawn_at,omitzero"`
	WithdrawnBy  uint64    `json:"withdrawn_by,omitempty"`
}

// Active reports whether the consent still holds.
func (c Consent) Active() bool { return c.WithdrawnAt.IsZero() }

// ConsentLinkRecord is a one-time consent link; only its hash is stored.
type ConsentLinkRecord struct {
	AreaID       uint64    `json:"area"`
	YouthID      uint64    `json:"youth"`
	GuardianName string    `json:"guardian"`
	CreatedBy    uint64    `json:"created_by"`
	Created      time.Time `json:"created"`
	Expires      time.Time `json:"expires"`
	Used         time.Time `json:"used,omitzero"`
}

func linkKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ActiveConsentTx reports the youth's consent in force, inside another
// package's transaction (jobs checks it before a wage task is claimed).
func ActiveConsentTx(tx store.Tx, area, youth uint64) (Consent, bool, error) {
	var found Consent
	ok := false
	err := store.ScanJSON(tx, bucketConsents, store.Key(area, youth), func(_ []byte, c Consent) error {
		if c.Active() {
			found, ok = c, true
		}
		return nil
	})
	return found, ok, err
}

// Consents lists every consent recorded for youth, newest first.
func (s *Service) Consents(area, youth uint64) ([]Consent, error) {
	var out []Consent
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketConsents, store.Key(area, youth), func(_ []byte, c Consent) error {
			out = append(out, c)
			return nil
		})
	})
	slices.Reverse(out)
	return out, err
}

func (s *Service) addConsent(tx store.Tx, c Consent) (Consent, error) {
	if _, err := youthRaw(tx, c.AreaID, c.YouthID); err != nil {
		return Consent{}, err
	}
	id, err := tx.NextID(bucketConsents)
	if err != nil {
		return Consent{}, err
	}
	c.ID, c.Text = id, ConsentText
	return c, store.PutJSON(tx, bucketConsents, store.Key(c.AreaID, c.YouthID, id), c)
}

// RecordPaperConsent records a consent the guardian signed on paper.
// Refuses with ErrNotFound and invalid input.
func (s *Service) RecordPaperConsent(area, youth, by uint64, guardian string) (Consent, error) {
	guardian, err := cleanText("guardian_name", guardian, 80)
	if err != nil {
		return Consent{}, err
	}
	var c Consent
	err = s.db.Update(func(tx store.Tx) error {
		var err error
		c, err = s.addConsent(tx, Consent{AreaID: area, YouthID: youth, GuardianName: guardian, Method: ConsentPaper,
			GivenAt: s.now().UTC(), RecordedBy: by})
		return err
	})
	if err != nil {
		return Consent{}, fmt.Errorf("record consent: %w", err)
	}
	return c, nil
}

// CreateConsentLink makes a one-time link (valid 14 days) a coordinator
// sends to a guardian, who needs no account to open it; Options.OnConsentLink
// sends it by SMS in the same transaction.
// Refuses with ErrNotFound and invalid input.
func (s *Service) CreateConsentLink(area, youth, by uint64, guardian string) (token string, expires time.Time, err error) {
	guardian, err = cleanText("guardian_name", guardian, 80)
	if err != nil {
		return "", time.Time{}, err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", time.Time{}, err
	}
	token = base64.RawURLEncoding.EncodeToString(raw)
	now := s.now().UTC()
	l := ConsentLinkRecord{AreaID: area, YouthID: youth, GuardianName: guardian, CreatedBy: by, Created: now, Expires: now.Add(14 * 24 * time.Hour)}
	err = s.db.Update(func(tx store.Tx) error {
		if _, err := youthRaw(tx, area, youth); err != nil {
			return err
		}
		if err := store.PutJSON(tx, bucketLinks, linkKey(token), l); err != nil {
			return err
		}
		if s.onLink == nil {
			return nil
		}
		y, err := s.YouthTx(tx, area, youth)
		if err != nil && !errors.Is(err, ErrUnreadable) {
			return err
		}
		sent := l
		sent.GuardianName = ""
		for _, g := range y.Guardians {
			if strings.EqualFold(strings.TrimSpace(g.Name), guardian) {
				sent.GuardianName = g.Name
			}
		}
		return s.onLink(tx, sent, token)
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("consent link: %w", err)
	}
	return token, l.Expires, nil
}

// ConsentLinkFor reads an open link, for the guardian's page.
// Refuses with ErrLinkClosed, ErrNotFound, ErrUnreadable.
func (s *Service) ConsentLinkFor(token string) (ConsentLinkRecord, YouthView, Area, error) {
	var l ConsentLinkRecord
	var v YouthView
	var a Area
	err := s.db.View(func(tx store.Tx) error {
		var ok bool
		var err error
		if len(token) < 20 || len(token) > 64 {
			return ErrLinkClosed
		}
		l, ok, err = store.GetJSON[ConsentLinkRecord](tx, bucketLinks, linkKey(token))
		if err != nil {
			return err
		}
		if !ok || !l.Used.IsZero() || !s.now().Before(l.Expires) {
			return ErrLinkClosed
		}
		y, err := youthRaw(tx, l.AreaID, l.YouthID)
		if err != nil {
			return ErrLinkClosed
		}
		u, err := getUser(tx, l.YouthID)
		if err != nil {
			return err
		}
		v = YouthView{User: u, Youth: y}
		if err := s.revealView(tx, &v); err != nil {
			return ErrLinkClosed
		}
		a, ok, err = store.GetJSON[Area](tx, bucketAreas, store.ID(l.AreaID))
		if err == nil && !ok {
			err = ErrNotFound
		}
		return err
	})
	return l, v, a, err
}

// GiveConsentByLink records the guardian's consent from a one-time link,
// with the time and the address it came from; the link then closes.
// Refuses with ErrLinkClosed, ErrNotFound.
func (s *Service) GiveConsentByLink(token, ip string) (Consent, error) {
	var c Consent
	err := s.db.Update(func(tx store.Tx) error {
		l, ok, err := store.GetJSON[ConsentLinkRecord](tx, bucketLinks, linkKey(token))
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if !ok || !l.Used.IsZero() || !now.Before(l.Expires) {
			return ErrLinkClosed
		}
		l.Used = now
		if err := store.PutJSON(tx, bucketLinks, linkKey(token), l); err != nil {
			return err
		}
		c, err = s.addConsent(tx, Consent{AreaID: l.AreaID, YouthID: l.YouthID, GuardianName: l.GuardianName,
			Method: ConsentLink, GivenAt: now, IP: ip})
		return err
	})
	if err != nil {
		return Consent{}, fmt.Errorf("give consent: %w", err)
	}
	return c, nil
}

// WithdrawConsent ends every consent in force for youth.
// Refuses with ErrNotFound.
func (s *Service) WithdrawConsent(area, youth, by uint64) error {
	return s.db.Update(func(tx store.Tx) error {
		var active []Consent
		if err := store.ScanJSON(tx, bucketConsents, store.Key(area, youth), func(_ []byte, c Consent) error {
			if c.Active() {
				active = append(active, c)
			}
			return nil
		}); err != nil {
			return err
		}
		if len(active) == 0 {
			return ErrNotFound
		}
		for _, c := range active {
			c.WithdrawnAt, c.WithdrawnBy = s.now().UTC(), by
			if err := store.PutJSON(tx, bucketConsents, store.Key(area, youth, c.ID), c); err != nil {
				return err
			}
		}
		return nil
	})
}
