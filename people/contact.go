package people

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"fritidsjob/store"
)

// Contact is how a user is reached outside the app, and the ways they
// chose to be told things. A youth's phone and e-mail are sealed with the
// youth's key like their name; the choices are not personal data.
type Contact struct {
	Phone string `json:"phone,omitempty"` // "+45" and 8 digits
	Email string `json:"email,omitempty"`
	SMS   bool   `json:"sms,omitempty"`  // wants notices by SMS
	Mail  bool   `json:"mail,omitempty"` // wants notices by e-mail
}

// NormalizePhone returns a Danish mobile or landline number as "+45"
// followed by its 8 digits. It takes "12 34 56 78", "+45 12345678" and
// "0045-12345678"; spaces, dashes, dots and brackets are ignored.
// Refuses any other number (another country, too short, letters) with
// invalid("phone", "format"), and "" with invalid("phone", "required").
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return "", invalid("phone", "format")
		}
	}
	d := b.String()
	switch {
	case d == "":
		return "", invalid("phone", "required")
	case strings.HasPrefix(d, "+45"):
		d = d[3:]
	case strings.HasPrefix(d, "0045"):
		d = d[4:]
	}
	if len(d) != 8 || strings.ContainsAny(d, "+") || d[0] == '0' || d[0] == '1' {
		return "", invalid("phone", "format")
	}
	return "+45" + d, nil
}

// NormalizeEmail returns a bare e-mail address ("navn@example.dk") with
// its domain in lower case. Refuses a display-name form, a missing domain
// or more than 254 characters with invalid("email", "format"), and ""
// with invalid("email", "required").
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid("email", "required")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || utf8.RuneCountInString(s) > 254 {
		return "", invalid("email", "format")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") {
		return "", invalid("email", "format")
	}
	return s[:at+1] + strings.ToLower(s[at+1:]), nil
}

// validContact returns c with its phone and e-mail normalized; an empty
// phone or e-mail is allowed, but choosing SMS or e-mail needs one.
func validContact(c Contact) (Contact, error) {
	var err error
	if strings.TrimSpace(c.Phone) != "" {
		if c.Phone, err = NormalizePhone(c.Phone); err != nil {
			return Contact{}, err
		}
	} else {
		c.Phone = ""
	}
	if strings.TrimSpace(c.Email) != "" {
		if c.Email, err = NormalizeEmail(c.Email); err != nil {
			return Contact{}, err
		}
	} else {
		c.Email = ""
	}
	if c.SMS && c.Phone == "" {
		return Contact{}, invalid("phone", "required")
	}
	if c.Mail && c.Email == "" {
		return Contact{}, invalid("email", "required")
	}
	return c, nil
}

// SetContact stores how user is reached and which channels they chose.
// For a youth the phone and e-mail are sealed with the youth's key.
// Refuses with ErrNotFound, ErrErased and invalid input (see
// NormalizePhone, NormalizeEmail; SMS or e-mail chosen without a number
// or address is invalid("phone"/"email", "required")).
func (s *Service) SetContact(userID uint64, c Contact) error {
	c, err := validContact(c)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, userID)
		if err != nil {
			return err
		}
		if !u.Erased.IsZero() {
			return ErrErased
		}
		if len(u.Sealed) == 0 {
			u.Contact = c
			return store.PutJSON(tx, bucketUsers, store.ID(userID), u)
		}
		var n sealedName
		if err := s.keys.open(tx, u.ID, u.Sealed, &n); err != nil {
			return err
		}
		n.Phone, n.Email = c.Phone, c.Email
		if u.Sealed, err = s.keys.seal(tx, u.ID, n); err != nil {
			return err
		}
		u.Contact = Contact{SMS: c.SMS, Mail: c.Mail}
		return store.PutJSON(tx, bucketUsers, store.ID(userID), u)
	})
	if err != nil {
		return fmt.Errorf("set contact of user %d: %w", userID, err)
	}
	return nil
}

// UserTx returns the user with id inside tx, a youth's sealed name and
// contact opened (an erased youth has none; one that does not open is
// marked Unreadable). Refuses with ErrNotFound.
func (s *Service) UserTx(tx store.Tx, id uint64) (User, error) {
	u, err := getUser(tx, id)
	if err != nil {
		return User{}, err
	}
	return u, s.revealUser(tx, &u)
}
