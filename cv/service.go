package cv

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// Options configure a Service.
type Options struct {
	Now     func() time.Time
	CodeTTL time.Duration // how long a verification code works (default 365 days)
}

// Service keeps CVs, recorded courses and verification codes.
type Service struct {
	db     store.DB
	people *people.Service
	now    func() time.Time
	ttl    time.Duration
}

// NewService returns a Service on db; ppl seals the CV's personal text
// with the youth's own key.
func NewService(db store.DB, ppl *people.Service, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CodeTTL <= 0 {
		o.CodeTTL = 365 * 24 * time.Hour
	}
	return &Service{db: db, people: ppl, now: o.Now, ttl: o.CodeTTL}
}

// Get returns youth's CV in area (an empty one before the first save), or
// ErrNotFound when youth is not a youth of area.
func (s *Service) Get(area, youth uint64) (CV, error) {
	var c CV
	err := s.db.View(func(tx store.Tx) error {
		var err error
		c, err = s.getCV(tx, area, youth)
		return err
	})
	return c, err
}

func (s *Service) getCV(tx store.Tx, area, youth uint64) (CV, error) {
	if ok, err := people.YouthExists(tx, area, youth); err != nil || !ok {
		return CV{}, fmt.Errorf("cv: %w", ErrNotFound)
	}
	st, ok, err := store.GetJSON[storedCV](tx, bucketCVs, store.Key(area, youth))
	if err != nil {
		return CV{}, err
	}
	if !ok {
		return CV{AreaID: area, YouthID: youth, Template: "clean"}, nil
	}
	var c CV
	if err := s.people.Open(tx, youth, st.Sealed, &c); err != nil {
		if errors.Is(err, people.ErrErased) {
			return CV{}, fmt.Errorf("cv: %w", ErrNotFound)
		}
		return CV{}, err
	}
	return c, nil
}

// Limits on CV fields.
const (
	maxShort = 120
	maxLong  = 2000
	maxItems = 20
)

// Save stores the CV written by by. A coordinator (asStaff) may save only
// when the youth has allowed help, and cannot change that permission.
// References keep the time their consent was first recorded.
// Refuses with ErrNotFound, ErrNoHelp and invalid input.
func (s *Service) Save(area, youth, by uint64, c CV, asStaff bool) (CV, error) {
	if err := clean(&c); err != nil {
		return CV{}, err
	}
	err := s.db.Update(func(tx store.Tx) error {
		old, err := s.getCV(tx, area, youth)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if err := settleHelp(&c, old, asStaff, now); err != nil {
			return err
		}
		keepConsents(c.References, old.References, now)
		c.AreaID, c.YouthID, c.Updated, c.UpdatedBy = area, youth, now, by
		sealed, err := s.people.Seal(tx, youth, c)
		if err != nil {
			return err
		}
		return store.PutJSON(tx, bucketCVs, store.Key(area, youth), storedCV{AreaID: area, YouthID: youth, Sealed: sealed})
	})
	if err != nil {
		return CV{}, fmt.Errorf("save cv: %w", err)
	}
	return c, nil
}

// settleHelp sets c's permission for coordinators to help: a coordinator
// (asStaff) may save only when old allows help, and keeps old's permission;
// the youth's own change is dated now.
func settleHelp(c *CV, old CV, asStaff bool, now time.Time) error {
	if asStaff {
		if !old.HelpAllowed {
			return ErrNoHelp
		}
		c.HelpAllowed, c.HelpAllowedAt = old.HelpAllowed, old.HelpAllowedAt
	} else if c.HelpAllowed && !old.HelpAllowed {
		c.HelpAllowedAt = now
	} else if !c.HelpAllowed {
		c.HelpAllowedAt = time.Time{}
	} else {
		c.HelpAllowedAt = old.HelpAllowedAt
	}
	return nil
}

// keepConsents gives each referee in refs who consented the time their
// consent was first recorded in old (by name), and no consent a time after
// now.
func keepConsents(refs, old []Ref, now time.Time) {
	for i := range refs {
		for _, o := range old {
			if o.Name == refs[i].Name && !o.ConsentAt.IsZero() && !refs[i].ConsentAt.IsZero() {
				refs[i].ConsentAt = o.ConsentAt
			}
		}
		if !refs[i].ConsentAt.IsZero() && refs[i].ConsentAt.After(now) {
			refs[i].ConsentAt = now
		}
	}
}

// Lines groups youth's participation records in area into CV lines: one
// per kind of work, with how many times, how many hours and the period.
// Lines the youth hid are marked Hidden.
// Refuses with ErrNotFound.
func (s *Service) Lines(area, youth uint64) ([]VerifiedLine, error) {
	var out []VerifiedLine
	err := s.db.View(func(tx store.Tx) error {
		c, err := s.getCV(tx, area, youth)
		if err != nil {
			return err
		}
		out, err = linesTx(tx, area, youth, c.HiddenLines)
		return err
	})
	return out, err
}

// workTypes are the participation types that are work on a CV.
var workTypes = []participation.Type{participation.TaskWork, participation.Placement}

func linesTx(tx store.Tx, area, youth uint64, hidden []string) ([]VerifiedLine, error) {
	byKey := map[string]*VerifiedLine{}
	var order []string
	err := participation.ForYouth(tx, area, youth, func(r participation.Record) error {
		if !slices.Contains(workTypes, r.Type) {
			return nil
		}
		key := string(r.Type) + "/" + r.Attrs["category"]
		d, err := people.ParseDate(r.Date)
		if err != nil {
			return err
		}
		l, ok := byKey[key]
		if !ok {
			l = &VerifiedLine{Key: key, Type: string(r.Type), Category: r.Attrs["category"], First: d, Last: d}
			byKey[key] = l
			order = append(order, key)
		}
		l.Times++
		l.Minutes += r.Minutes
		if d.Before(l.First) {
			l.First = d
		}
		if l.Last.Before(d) {
			l.Last = d
		}
		if p := r.Attrs["place"]; p != "" && !slices.Contains(l.Places, p) && len(l.Places) < 3 {
			l.Places = append(l.Places, p)
		}
		return nil
	})
	out := make([]VerifiedLine, 0, len(order))
	for _, k := range order {
		l := *byKey[k]
		l.Hidden = slices.Contains(hidden, k)
		out = append(out, l)
	}
	// Most recent work first.
	slices.SortStableFunc(out, func(a, b VerifiedLine) int {
		if b.Last.Before(a.Last) {
			return -1
		}
		if a.Last.Before(b.Last) {
			return 1
		}
		return 0
	})
	return out, err
}

// AddCourse records a course or certificate the youth completed; it prints
// as verified.
// Refuses with ErrNotFound and invalid input.
func (s *Service) AddCourse(area, youth, by uint64, title, issuer string, date people.Date) (Course, error) {
	title, err := text("course", title, maxShort)
	if err != nil {
		return Course{}, err
	}
	if title == "" {
		return Course{}, invalid("course", "required")
	}
	if issuer, err = text("issuer", issuer, maxShort); err != nil {
		return Course{}, err
	}
	if date.IsZero() || people.DateOf(s.now().In(people.Copenhagen)).Before(date) {
		return Course{}, invalid("course_date", "range")
	}
	c := Course{AreaID: area, YouthID: youth, Title: title, Issuer: issuer, Date: date, RecordedBy: by, At: s.now().UTC()}
	err = s.db.Update(func(tx store.Tx) error {
		if ok, err := people.YouthExists(tx, area, youth); err != nil || !ok {
			return fmt.Errorf("cv: %w", ErrNotFound)
		}
		id, err := tx.NextID(bucketCourses)
		if err != nil {
			return err
		}
		c.ID = id
		return store.PutJSON(tx, bucketCourses, store.Key(area, youth, id), c)
	})
	if err != nil {
		return Course{}, fmt.Errorf("add course: %w", err)
	}
	return c, nil
}

// Courses lists the courses recorded for youth, oldest first.
func (s *Service) Courses(area, youth uint64) ([]Course, error) {
	var out []Course
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketCourses, store.Key(area, youth), func(_ []byte, c Course) error {
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

var codeAlphabet = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// normalise turns a typed code into its canonical form: upper case, no
// separators, Crockford's look-alikes (O→0, I/L→1) folded.
func normalise(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == 'O':
			b.WriteByte('0')
		case r == 'I' || r == 'L':
			b.WriteByte('1')
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CurrentCode returns youth's active verification code, issuing a new one
// when there is none (or the last expired or was revoked).
// Refuses with ErrNotFound.
func (s *Service) CurrentCode(area, youth uint64) (Code, error) {
	var c Code
	err := s.db.Update(func(tx store.Tx) error {
		if ok, err := people.YouthExists(tx, area, youth); err != nil || !ok {
			return fmt.Errorf("cv: %w", ErrNotFound)
		}
		now := s.now()
		var found bool
		if err := s.eachCode(tx, area, youth, func(k Code) error {
			if k.Active(now) {
				c, found = k, true
			}
			return nil
		}); err != nil {
			return err
		}
		if found {
			return nil
		}
		raw := make([]byte, 10) // 80 bits
		if _, err := rand.Read(raw); err != nil {
			return err
		}
		v := codeAlphabet.EncodeToString(raw) // 16 characters
		id, err := tx.NextID(bucketCodes)
		if err != nil {
			return err
		}
		c = Code{ID: id, AreaID: area, YouthID: youth, Value: v[0:4] + "-" + v[4:8] + "-" + v[8:12] + "-" + v[12:16],
			Created: now.UTC(), Expires: now.Add(s.ttl).UTC()}
		return putCode(tx, c)
	})
	return c, err
}

// Codes lists youth's verification codes, newest first.
func (s *Service) Codes(area, youth uint64) ([]Code, error) {
	var out []Code
	err := s.db.View(func(tx store.Tx) error {
		return s.eachCode(tx, area, youth, func(c Code) error { out = append(out, c); return nil })
	})
	slices.Reverse(out)
	return out, err
}

// Revoke ends a code of youth's at once; the youth or a coordinator does it.
// Refuses with ErrNotFound.
func (s *Service) Revoke(area, youth, id, by uint64) error {
	return s.db.Update(func(tx store.Tx) error {
		key, err := tx.Get(bucketYouthCodes, store.Key(area, youth, id))
		if err != nil {
			return err
		}
		if key == nil {
			return ErrNotFound
		}
		c, ok, err := store.GetJSON[Code](tx, bucketCodes, key)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if c.Revoked.IsZero() {
			c.Revoked, c.RevokedBy = s.now().UTC(), by
		}
		return store.PutJSON(tx, bucketCodes, key, c)
	})
}

// Verified is what the public verification page may show: the lines the
// youth shows on their CV, the courses, the area that verified them, and
// nothing else about the youth.
type Verified struct {
	Code    Code
	Lines   []VerifiedLine
	Courses []Course
}

// Verify looks up a code typed by anyone. A revoked, expired or unknown
// code gives ErrCodeClosed and nothing else.
func (s *Service) Verify(code string) (Verified, error) {
	var v Verified
	if n := normalise(code); len(n) != 16 {
		return v, ErrCodeClosed
	}
	err := s.db.View(func(tx store.Tx) error {
		c, ok, err := store.GetJSON[Code](tx, bucketCodes, codeKey(code))
		if err != nil {
			return err
		}
		if !ok || !c.Active(s.now()) {
			return ErrCodeClosed
		}
		cvv, err := s.getCV(tx, c.AreaID, c.YouthID)
		if err != nil {
			return ErrCodeClosed // the youth was erased or moved
		}
		lines, err := linesTx(tx, c.AreaID, c.YouthID, cvv.HiddenLines)
		if err != nil {
			return err
		}
		v.Code = c
		for _, l := range lines {
			if !l.Hidden {
				l.Places = nil // where exactly the youth worked is not for strangers
				v.Lines = append(v.Lines, l)
			}
		}
		return store.ScanJSON(tx, bucketCourses, store.Key(c.AreaID, c.YouthID), func(_ []byte, k Course) error {
			v.Courses = append(v.Courses, Course{Title: k.Title, Issuer: k.Issuer, Date: k.Date})
			return nil
		})
	})
	if err != nil {
		return Verified{}, err
	}
	return v, nil
}

// ContactTx returns the phone number and town youth wrote on their CV in
// area, read inside another package's transaction. It is the contact
// source employers.Options.Contact uses for an employer the youth agreed
// may see them; a youth without a CV has none.
// Refuses with ErrNotFound.
func (s *Service) ContactTx(tx store.Tx, area, youth uint64) (phone, town string, err error) {
	c, err := s.getCV(tx, area, youth)
	if errors.Is(err, ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	return c.Phone, c.Town, nil
}
