package notify

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fritidsjob/people"
	"fritidsjob/store"
)

// Recipient is how the recipient of a message is reached outside the app:
// only the addresses of the channels they chose are set.
type Recipient struct {
	Name  string
	Lang  string // "da" or "en"
	Phone string // "+45…", when they chose SMS
	Email string // when they chose e-mail
}

// Directory returns the recipient of m inside tx. A recipient who is gone
// (erased, closed) is the zero Recipient, not an error.
type Directory func(tx store.Tx, m Message) (Recipient, error)

// Text is a message written out for one reader: a subject (e-mail), the
// body, and a link into the app where the reader acts on it ("" for none).
type Text struct {
	Subject string
	Body    string
	Link    string
}

// Renderer writes message m in language lang.
type Renderer func(m Message, lang string) Text

// errNoAddress fails a message whose recipient no longer has an address on
// its channel: they changed their choice, or were erased or closed.
var errNoAddress = errors.New("the recipient has no address on this channel any more")

// PeopleDirectory is the Directory of the people service: a user's own
// contact and choices, or for a guardian message the guardian contact of
// the youth's profile named by Params["guardian"], else the first with a
// phone (a guardian has chosen SMS by giving the programme their number).
func PeopleDirectory(p *people.Service) Directory {
	return func(tx store.Tx, m Message) (Recipient, error) {
		u, err := p.UserTx(tx, m.UserID)
		switch {
		case errors.Is(err, people.ErrNotFound):
			return Recipient{}, nil
		case err != nil:
			return Recipient{}, fmt.Errorf("recipient of message %d: %w", m.ID, err)
		case !u.Active() || u.Unreadable:
			return Recipient{}, nil
		}
		lang := u.Lang
		if lang == "" {
			lang = "da"
		}
		if !m.Guardian {
			r := Recipient{Name: u.DisplayName, Lang: lang}
			if u.Contact.SMS {
				r.Phone = u.Contact.Phone
			}
			if u.Contact.Mail {
				r.Email = u.Contact.Email
			}
			return r, nil
		}
		y, err := p.YouthTx(tx, m.AreaID, m.UserID)
		if errors.Is(err, people.ErrNotFound) || errors.Is(err, people.ErrErased) {
			return Recipient{}, nil
		}
		if err != nil {
			return Recipient{}, fmt.Errorf("guardian of youth %d: %w", m.UserID, err)
		}
		gs := slices.Clone(y.Guardians)
		if name := m.Params["guardian"]; name != "" {
			gs = slices.DeleteFunc(gs, func(g people.GuardianContact) bool { return !strings.EqualFold(g.Name, name) })
		}
		for _, g := range gs {
			if phone, err := people.NormalizePhone(g.Phone); err == nil {
				return Recipient{Name: g.Name, Lang: "da", Phone: phone}, nil
			}
		}
		return Recipient{}, nil
	}
}
