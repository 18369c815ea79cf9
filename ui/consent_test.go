package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/jobs"
	"fritidsjob/people"
)

// TestConsentBlocksThenAllowsWageTask: a 14-year-old's wage claim is
// refused in Danish until a guardian consents through the one-time link.
func TestConsentBlocksThenAllowsWageTask(t *testing.T) {
	f := newFixture(t)
	n := peoplekit.Youth(f.areaA.ID, "freja", people.Date{Year: 2012, Month: 6, Day: 1})
	n.DisplayName, n.Secret, n.Youth.Gender = "Freja Østergaard", "735142", people.GenderFemale
	n.Youth.Guardians = []people.GuardianContact{{Name: "Birgitte Østergaard"}}
	kid := peoplekit.Create(t, f.ppl, n)
	ts, err := f.jobs.CreateTask(f.areaA.ID, 1, jobs.NewTask{Title: "Uddeling", Place: "Opgangene", Supervisor: "Bjarne",
		Category: jobs.CatDistribution, Commissioner: jobs.ByStaff, Start: time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen),
		End: time.Date(2026, 11, 28, 11, 0, 0, 0, people.Copenhagen), Slots: 2, MinAge: 10, MaxAge: 17, Pay: jobs.PayWage, RateOre: 5500, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	claim := areaPath(f.areaA, "/tasks/"+itoa(int(ts[0].ID))+"/claim")
	y := f.client()
	if resp, _ := y.post("/login", "/login", url.Values{"username": {"freja"}, "secret": {"735142"}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("login")
	}
	if _, page := y.get(areaPath(f.areaA, "/tasks")); !strings.Contains(page, f.msg("tasks.needs_consent")) {
		t.Fatal("task page does not say consent is needed")
	}
	if resp, body := y.post(areaPath(f.areaA, "/tasks"), claim, nil); resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.jobs.consent_required")) {
		t.Fatalf("claim without consent: %d", resp.StatusCode)
	}
	coord := f.loggedIn("coordA")
	youthPage := areaPath(f.areaA, "/youths/"+itoa(int(kid.ID)))
	resp, page := coord.post(youthPage, youthPage+"/consent/link", url.Values{"guardian": {"Birgitte Østergaard"}})
	m := regexp.MustCompile(`<code id="consent-link">[^<]*(/consent/[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("make link: %d\n%s", resp.StatusCode, page)
	}
	guardian := f.client()
	if _, p := guardian.get(m[1]); !strings.Contains(p, f.msg("consent.text", "Freja Østergaard", "Blåbærparken")) {
		t.Fatalf("guardian page\n%s", p)
	}
	if resp, _ := guardian.post(m[1], m[1], nil); resp.StatusCode != 400 {
		t.Fatalf("without the box ticked: %d", resp.StatusCode)
	}
	if resp, p := guardian.post(m[1], m[1], url.Values{"agree": {"yes"}}); resp.StatusCode != 200 || !strings.Contains(p, f.msg("consent.thanks", "Freja Østergaard")) {
		t.Fatalf("give consent: %d", resp.StatusCode)
	}
	if resp, _ := guardian.get(m[1]); resp.StatusCode != 404 {
		t.Fatalf("link used twice: %d", resp.StatusCode)
	}
	if _, p := coord.get(youthPage); !strings.Contains(p, f.msg("consent.active")) || !strings.Contains(p, f.msg("consent.method.link")) {
		t.Fatal("youth page does not show the consent")
	}
	if resp, _ := y.post(areaPath(f.areaA, "/tasks"), claim, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim after consent: %d", resp.StatusCode)
	}
}
