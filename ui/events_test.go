package ui

import (
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/notify"
	"fritidsjob/people"
)

// TestEventMessagesRead: every message kind of the reminders, rewards and
// guardian notices reads in Danish and English with its parameters filled
// in (no missing text, no stray verbs); a refusal shows its reason; the
// consent link's SMS carries the link on the public address.
func TestEventMessagesRead(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.PublicURL = "https://fritidsjob.example/" })
	mads := peoplekit.Create(t, f.ppl, peoplekit.Youth(f.areaA.ID, "mads", peoplekit.Date("2012-02-03")))
	start := time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen)
	task := map[string]string{"task": "Male bænke", "start": start.UTC().Format(time.RFC3339), "end": start.Add(2 * time.Hour).UTC().Format(time.RFC3339)}
	cases := []struct {
		m    notify.Message
		want []string // in the Danish text
	}{
		{notify.Message{Kind: notify.KindReminderDayBefore, Params: task}, []string{"Påmindelse", "Male bænke", "28-11-2026 10:00–12:00"}},
		{notify.Message{Kind: notify.KindReminderSoon, Params: task}, []string{"Om to timer", "Male bænke"}},
		{notify.Message{Kind: notify.KindRewardConfirmed, Params: map[string]string{"reward": "Biograftur", "date": "2026-12-04", "points": "40"}},
			[]string{"Biograftur den 04-12-2026", "40 point", "bekræftet"}},
		{notify.Message{Kind: notify.KindRewardRefused, Params: map[string]string{"reward": "Biograftur", "points": "1", "reason": "Kun for 13-årige"}},
			[]string{"Biograftur", "1 point", "Begrundelse: Kun for 13-årige"}},
		{notify.Message{Kind: notify.KindRewardRefused, Params: map[string]string{"reward": "Biograftur", "points": "40"}}, []string{"ikke godkendt"}},
		{notify.Message{Kind: notify.KindRewardCancelled, Params: map[string]string{"reward": "Sommerland", "points": "30"}}, []string{"Sommerland er aflyst", "30 point"}},
		{notify.Message{Kind: notify.KindFirstWageTask, UserID: mads.ID, Guardian: true, Params: task}, []string{"mads", "første opgave med løn", "Male bænke"}},
		{notify.Message{Kind: notify.KindConsentLink, UserID: mads.ID, Guardian: true,
			Params: map[string]string{"link": "/consent/abc", "expires": start.UTC().Format(time.RFC3339)}},
			[]string{"mads", "https://fritidsjob.example/consent/abc", "28-11-2026"}},
	}
	for _, c := range cases {
		for _, lang := range []string{"da", "en"} {
			got := f.app.messageText(lang, c.m)
			if strings.Contains(got, "[") || strings.Contains(got, "%!") || got == f.app.msg.T(lang, "notify.unknown") {
				t.Errorf("%s in %s: %q", c.m.Kind, lang, got)
			}
			if lang != "da" {
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s: %q lacks %q", c.m.Kind, got, w)
				}
			}
		}
	}
	txt := f.app.RenderMessage(cases[len(cases)-1].m, "da")
	if txt.Link != "https://fritidsjob.example/consent/abc" {
		t.Errorf("consent SMS link = %q", txt.Link)
	}
}
