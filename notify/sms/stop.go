package sms

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// bucketStop holds the numbers that replied STOP: HMAC(number) -> stop.
// The number itself is not kept, only its keyed hash, so the list says
// nothing about who is on it without the installation's secret.
const bucketStop = "people_sms_stop"

type stop struct {
	At time.Time `json:"at"`
}

// StopList is the numbers that asked for no more SMS.
type StopList struct {
	db  store.DB
	key []byte
	now func() time.Time
}

// NewStopList returns the stop list in db, its numbers hashed with key
// (at least 32 bytes, derived from the installation's secret).
func NewStopList(db store.DB, key []byte, now func() time.Time) (*StopList, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("sms stop list: key must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &StopList{db: db, key: key, now: now}, nil
}

func (s *StopList) hash(phone string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(phone))
	return h.Sum(nil)
}

// Command is what an incoming SMS asks for.
type Command int

// The commands of an incoming SMS.
const (
	CommandNone Command = iota
	CommandStop
	CommandStart
)

// ParseCommand returns the command of an incoming text: "STOP" or
// "START" in any case, spaces around it ignored, alone or after one
// keyword (on a shared short code the text starts with the keyword
// leased, "fritid STOP"); anything else is CommandNone.
func ParseCommand(text string) Command {
	f := strings.Fields(text)
	if len(f) == 0 || len(f) > 2 {
		return CommandNone
	}
	switch strings.ToUpper(f[len(f)-1]) {
	case "STOP":
		return CommandStop
	case "START":
		return CommandStart
	}
	return CommandNone
}

// Apply carries out cmd from number from ("+45…" or a bare MSISDN such
// as "4512345678"): STOP puts it on the list, START takes it off.
// Refuses a number that is not Danish with people's
// invalid("phone", "format").
func (s *StopList) Apply(from string, cmd Command) error {
	if cmd == CommandNone {
		return nil
	}
	if !strings.HasPrefix(from, "+") && !strings.HasPrefix(from, "00") && len(from) > 8 {
		from = "+" + from
	}
	phone, err := people.NormalizePhone(from)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx store.Tx) error {
		k := s.hash(phone)
		if cmd == CommandStart {
			return tx.Delete(bucketStop, k)
		}
		return store.PutJSON(tx, bucketStop, k, stop{At: s.now().UTC()})
	})
}

// StoppedTx reports whether phone ("+45…") is on the stop list.
func (s *StopList) StoppedTx(tx store.Tx, phone string) (bool, error) {
	if phone == "" {
		return false, nil
	}
	v, err := tx.Get(bucketStop, s.hash(phone))
	if err != nil {
		return false, fmt.Errorf("sms stop list: %w", err)
	}
	return v != nil, nil
}

// Directory returns d with the phone of every recipient on the stop list
// blanked, so the SMS channel has no address for them and nothing is
// sent (a queued SMS fails as having no address).
func (s *StopList) Directory(d notify.Directory) notify.Directory {
	return func(tx store.Tx, m notify.Message) (notify.Recipient, error) {
		r, err := d(tx, m)
		if err != nil || r.Phone == "" {
			return r, err
		}
		stopped, err := s.StoppedTx(tx, r.Phone)
		if err != nil {
			return notify.Recipient{}, err
		}
		if stopped {
			r.Phone = ""
		}
		return r, nil
	}
}
