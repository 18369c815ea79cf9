package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
)

// TestGuardianSeesYoungChild: a linked guardian sees who looked at a child
// under 13 and downloads the child's data; not for a youth of 13 or more,
// and not for a child they are not linked to.
func TestGuardianSeesYoungChild(t *testing.T) {
	f := newFixture(t)
	n := peoplekit.Youth(f.areaA.ID, "aya", people.Date{Year: 2016, Month: 2, Day: 2})
	n.DisplayName, n.Secret, n.Youth.Gender = "Aya Nørgaard", "735142", people.GenderFemale
	child := peoplekit.Create(t, f.ppl, n)
	older := f.users["youtha"] // 15
	guard := f.users["guarda"]
	coord := f.loggedIn("coordA")
	for _, y := range []uint64{child.ID, older.ID} {
		page := areaPath(f.areaA, "/youths/"+itoa(int(y)))
		if resp, _ := coord.post(page, page+"/guardian", url.Values{"guardian": {itoa(int(guard.ID))}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("link guardian: %d", resp.StatusCode)
		}
	}
	g := f.loggedIn("guardA")
	_, home := g.get("/")
	if !strings.Contains(home, "Aya Nørgaard") || !strings.Contains(home, f.msg("guardian.too_old")) {
		t.Fatalf("guardian's home\n%s", home)
	}
	resp, page := g.get(areaPath(f.areaA, "/children/"+itoa(int(child.ID))+"/access"))
	if resp.StatusCode != 200 || !strings.Contains(page, f.accessWhat("read", "youth_profile")) {
		t.Fatalf("child's access log: %d\n%s", resp.StatusCode, page)
	}
	if resp, body := g.get(areaPath(f.areaA, "/children/"+itoa(int(child.ID))+"/data.zip")); resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("child's data: %d", resp.StatusCode)
	}
	if resp, _ := g.get(areaPath(f.areaA, "/children/"+itoa(int(older.ID))+"/access")); resp.StatusCode != 403 {
		t.Fatalf("15-year-old's log through the guardian: %d", resp.StatusCode)
	}
	other := f.users["youthb"]
	if resp, _ := g.get(areaPath(f.areaA, "/children/"+itoa(int(other.ID))+"/access")); resp.StatusCode != 403 {
		t.Fatalf("unlinked youth: %d", resp.StatusCode)
	}
}
