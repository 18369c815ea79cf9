package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"fritidsjob/notify"
	"fritidsjob/people"
	"fritidsjob/store"
)

// demoContacts are the demo users' phone numbers and e-mail addresses and
// the channels they chose. They are fake: the numbers are in the Danish
// 70 10 00 xx range of service numbers (not mobile phones), the
// addresses at example.dk. A demo store is for looking at: do not give
// it a real SMS gateway or mail server.
var demoContacts = map[string]people.Contact{
	"admin":  {Email: "ida.vestergaard@example.dk", Mail: true},
	"mette":  {Phone: "70 10 00 01", Email: "mette@example.dk", SMS: true, Mail: true},
	"hanne":  {Phone: "70 10 00 02", SMS: true},
	"jorgen": {Email: "jorgen@example.dk", Mail: true},
	"amira":  {Phone: "70 10 00 11", SMS: true},
	"mads":   {Phone: "70 10 00 12", Email: "mads@example.dk", SMS: true, Mail: true},
	"freja":  {Email: "freja@example.dk", Mail: true},
	"ali":    {Phone: "70 10 00 14"}, // a number, but no SMS chosen
}

// demoChannel stands in for the SMS gateway or the mail server while the
// demo is seeded, so the admin's outbox (/admin/outbox) shows sent,
// failed and queued messages: it "sends" every message except those
// whose key fail names, which fail with that reason.
type demoChannel struct {
	name    string
	address func(notify.Recipient) string
	fail    map[string]error
}

func (d demoChannel) Name() string                      { return d.name }
func (d demoChannel) Address(r notify.Recipient) string { return d.address(r) }
func (d demoChannel) Send(_ context.Context, m notify.Message, _ string, _ notify.Text) error {
	return d.fail[m.Key]
}

// seedDemoNotify gives the demo users their contact details and choices,
// adds a few messages, and runs one delivery round through demo channels:
// the inbox messages of users who chose SMS or e-mail are copied and
// "sent" (a youth's wait for 08:00 in quiet hours), one SMS fails for
// good with the gateway's reason, one e-mail waits for a retry. Nothing
// leaves the machine.
func seedDemoNotify(db store.DB, ppl *people.Service, area uint64, ids map[string]uint64, now time.Time) error {
	for name, c := range demoContacts {
		if err := ppl.SetContact(ids[name], c); err != nil {
			return fmt.Errorf("demo contact of %s: %w", name, err)
		}
	}
	day := now.In(people.Copenhagen).AddDate(0, 0, 3)
	start := time.Date(day.Year(), day.Month(), day.Day(), 15, 0, 0, 0, people.Copenhagen)
	task := map[string]string{"task": "Hækklipning ved blok 4", "start": start.Format(time.RFC3339),
		"end": start.Add(2 * time.Hour).Format(time.RFC3339)}
	err := db.Update(func(tx store.Tx) error {
		for _, m := range []notify.Message{
			{UserID: ids["amira"], Kind: notify.KindClaimConfirmed, Key: "demo:claim:amira", Channel: "sms"},
			{UserID: ids["mads"], Kind: notify.KindClaimConfirmed, Key: "demo:claim:mads", Channel: "sms"},
			{UserID: ids["freja"], Kind: notify.KindClaimConfirmed, Key: "demo:claim:freja", Channel: "email"},
		} {
			m.AreaID, m.Params, m.ToYouth, m.Created = area, task, true, now
			if err := notify.Enqueue(tx, m); err != nil {
				return err
			}
		}
		// To staff, so no quiet hours hold them back whenever the demo starts.
		locked := map[string]string{"user": fmt.Sprint(ids["hiba"])}
		for _, m := range []notify.Message{
			{UserID: ids["mette"], Key: "demo:locked:sms", Channel: "sms"},
			{UserID: ids["admin"], Key: "demo:locked:email", Channel: "email"},
		} {
			m.AreaID, m.Kind, m.Params, m.Created = area, notify.KindAccountLocked, locked, now
			if err := notify.Enqueue(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo messages: %w", err)
	}
	sms := demoChannel{name: "sms", address: func(r notify.Recipient) string { return r.Phone }, fail: map[string]error{
		"demo:locked:sms": notify.Permanent(errors.New("gateway 422: the recipient number is not a mobile number")),
	}}
	mail := demoChannel{name: "email", address: func(r notify.Recipient) string { return r.Email }, fail: map[string]error{
		"demo:locked:email": errors.New("smtp 451 4.3.0 mailbox busy, try again later"),
	}}
	w := notify.NewWorker(db, notify.WorkerOptions{Now: func() time.Time { return now }, Owner: "demo",
		Directory: notify.PeopleDirectory(ppl), Logger: slog.New(slog.DiscardHandler)}, sms, mail)
	if _, err := w.RunOnce(context.Background()); err != nil {
		return fmt.Errorf("demo delivery: %w", err)
	}
	return nil
}
