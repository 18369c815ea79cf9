package ui

import (
	"net/url"
	"strings"
	"testing"

	"fritidsjob/people"
)

// TestAccessLogOfReads: a coordinator's look at a youth's profile and CV,
// a search of the youth list and an employer's use of the CV code are
// logged; the youth sees when and by which role, not who; the youth's own
// reads are not logged; the chain checks.
func TestAccessLogOfReads(t *testing.T) {
	f := newFixture(t)
	y := f.users["youtha"]
	coord := f.loggedIn("coordA")
	coord.get(areaPath(f.areaA, "/youths"))
	coord.get(areaPath(f.areaA, "/youths/"+itoa(int(y.ID))))
	coord.get(areaPath(f.areaA, "/youths/"+itoa(int(y.ID))+"/cv"))
	youth := f.loggedIn("youthA")
	youth.get(areaPath(f.areaA, "/cv")) // own: not logged
	code, err := f.cvs.CurrentCode(f.areaA.ID, y.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.client().get("/v/" + code.Value)

	_, page := youth.get(areaPath(f.areaA, "/me/access"))
	for _, want := range []string{f.msg("arole.coordinator") + " · " + f.accessWhat("read", "youth_profile"),
		f.msg("arole.coordinator") + " · " + f.accessWhat("read", "cv"),
		f.msg("arole.public") + " · " + f.accessWhat("read", "cv_verified")} {
		if !strings.Contains(page, want) {
			t.Errorf("youth's access page lacks %q", want)
		}
	}
	if strings.Contains(page, f.users["coorda"].DisplayName) {
		t.Error("the youth's page names the coordinator; it shows the role only")
	}
	all, _ := f.ppl.AccessLog(0)
	kinds := map[string]int{}
	for _, e := range all {
		kinds[e.Action+" "+e.What]++
		if e.SubjectID == y.ID && e.ActorID == y.ID {
			t.Errorf("the youth's own read was logged: %+v", e)
		}
	}
	if kinds["search youth_list"] != 1 || kinds["read youth_profile"] != 1 || kinds["read cv"] != 1 || kinds["read cv_verified"] != 1 {
		t.Fatalf("logged %v", kinds)
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatalf("chain: %v", err)
	}
	// Another youth sees nothing of this.
	if _, other := f.loggedIn("youthB").get("/a/" + itoa(int(f.areaB.ID)) + "/me/access"); strings.Contains(other, f.accessWhat("read", "youth_profile")) {
		t.Error("another youth sees entries about this youth")
	}
	// The admin sees the whole log.
	if _, adm := f.loggedIn("admin").get("/admin/access"); !strings.Contains(adm, f.accessWhat("search", "youth_list")) {
		t.Error("admin's access log lacks the search")
	}
}

// TestAccessLogEveryKind: each kind of access the logging measure names
// (read, search, change, export, delete) leaves its entry.
func TestAccessLogEveryKind(t *testing.T) {
	f := newFixture(t)
	y := f.users["youtha"]
	coord := f.loggedIn("coordA")
	page := areaPath(f.areaA, "/youths/"+itoa(int(y.ID)))
	coord.get(page)                                                                   // read
	coord.get(areaPath(f.areaA, "/youths"))                                           // search
	coord.post(page, page+"/consent/paper", url.Values{"guardian": {"Leila Haddad"}}) // change
	coord.get(areaPath(f.areaA, "/payroll.csv?month=2026-11"))                        // export
	coord.post(page, page+"/erase", url.Values{"confirm": {"yes"}})                   // delete
	all, err := f.ppl.AccessLog(0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range all {
		seen[e.Action] = true
	}
	for _, a := range []string{people.AccessRead, people.AccessSearch, people.AccessChange, people.AccessExport, people.AccessDelete} {
		if !seen[a] {
			t.Errorf("no %q entry in the access log", a)
		}
	}
}

// accessWhat is an access log line's "action what" part ("så din profil"),
// from the message catalogue.
func (f *fixture) accessWhat(action, what string) string {
	f.t.Helper()
	return f.msg("aaction."+action) + " " + f.msg("awhat."+what)
}
