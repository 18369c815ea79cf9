package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fritidsjob/jobs"
	"fritidsjob/people"
)

// TestCPR: only an admin enters and sees CPR numbers (masked), they must
// match the birth date, and only the admin's audited payroll variant
// carries them.
func TestCPR(t *testing.T) {
	f := newFixture(t)
	y := f.users["youtha"] // born 9 August 2011
	adm := f.loggedIn("admin")
	page := "/admin/areas/" + itoa(int(f.areaA.ID)) + "/cpr"
	set := "/admin/areas/" + itoa(int(f.areaA.ID)) + "/youths/" + itoa(int(y.ID)) + "/cpr"
	if resp, body := adm.post(page, set, url.Values{"cpr": {"100811-4123"}}); resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.cpr.birth_date")) {
		t.Fatalf("wrong date: %d", resp.StatusCode)
	}
	if resp, _ := adm.post(page, set, url.Values{"cpr": {"090811-4123"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set: %d", resp.StatusCode)
	}
	_, body := adm.get(page)
	if !strings.Contains(body, "090811-••••") || strings.Contains(body, "4123") {
		t.Fatal("CPR not shown masked")
	}
	if resp, _ := f.loggedIn("coordA").get(page); resp.StatusCode != 403 {
		t.Fatalf("coordinator on the CPR page: %d", resp.StatusCode)
	}
	// A month with wages.
	ts, err := f.jobs.CreateTask(f.areaA.ID, 1, jobs.NewTask{Title: "Maling", Place: "Blok 2", Supervisor: "Bjarne",
		Category: jobs.CatOutdoor, Commissioner: jobs.ByCaretakers, Start: time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen),
		End: time.Date(2026, 11, 28, 12, 0, 0, 0, people.Copenhagen), Slots: 1, MinAge: 10, MaxAge: 17, Pay: jobs.PayWage, RateOre: 6000, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ppl.RecordPaperConsent(f.areaA.ID, y.ID, 1, "Forælder"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.jobs.Claim(f.areaA.ID, ts[0].ID, y.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(4 * 24 * time.Hour)
	w, err := f.jobs.RecordHours(f.areaA.ID, ts[0].ID, y.ID, y.ID, ts[0].Start, ts[0].End, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.jobs.Approve(f.areaA.ID, 1, w.ID); err != nil {
		t.Fatal(err)
	}
	adm.login("admin")
	resp, csv := adm.get("/admin/areas/" + itoa(int(f.areaA.ID)) + "/payroll-cpr.csv?month=2026-11")
	if resp.StatusCode != 200 || !strings.Contains(csv, ";cpr;") || !strings.Contains(csv, "090811-4123") {
		t.Fatalf("CPR payroll: %d\n%s", resp.StatusCode, csv)
	}
	coord := f.loggedIn("coordA")
	if _, plain := coord.get(areaPath(f.areaA, "/payroll.csv?month=2026-11")); strings.Contains(plain, "4123") || strings.Contains(plain, "cpr") {
		t.Fatal("the ordinary payroll file carries CPR")
	}
	log, _ := f.ppl.AccessLog(0)
	found := false
	for _, e := range log {
		found = found || (e.What == "payroll_cpr" && e.Action == people.AccessExport)
		if strings.Contains(e.Detail, "4123") {
			t.Fatal("CPR in the access log")
		}
	}
	if !found {
		t.Fatal("CPR payroll export not logged")
	}
}
