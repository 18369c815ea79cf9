package ui

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"fritidsjob/jobs"
	"fritidsjob/people"
)

// TestMyDataZIP: a youth downloads everything held about them: every kind
// of record they have is in the ZIP as JSON, with a readable summary, and
// nothing of another youth.
func TestMyDataZIP(t *testing.T) {
	f := newFixture(t)
	y, other := f.users["youtha"], f.users["youthb"]
	ts, err := f.jobs.CreateTask(f.areaA.ID, 1, jobs.NewTask{Title: "Oprydning", Place: "Fælleshuset", Supervisor: "Bjarne",
		Category: jobs.CatTidying, Commissioner: jobs.ByStaff, Start: time.Date(2026, 11, 28, 10, 0, 0, 0, people.Copenhagen),
		End: time.Date(2026, 11, 28, 12, 0, 0, 0, people.Copenhagen), Slots: 2, MinAge: 10, MaxAge: 17, Pay: jobs.PayPoints, Points: 40, Publish: true})
	if err != nil {
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
	if _, err := f.cvs.AddCourse(f.areaA.ID, y.ID, 1, "Førstehjælp", "Røde Kors", people.Date{Year: 2026, Month: 11, Day: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ppl.RecordPaperConsent(f.areaA.ID, y.ID, 1, "Leila Haddad"); err != nil {
		t.Fatal(err)
	}
	f.loggedIn("coordA").get(areaPath(f.areaA, "/youths/"+itoa(int(y.ID)))) // an access-log entry
	c := f.loggedIn("youthA")
	resp, body := c.get(areaPath(f.areaA, "/me/data.zip"))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("download: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		got[zf.Name] = string(b)
		if strings.HasSuffix(zf.Name, ".json") && !json.Valid(b) {
			t.Errorf("%s is not valid JSON", zf.Name)
		}
		if strings.Contains(string(b), other.DisplayName) {
			t.Errorf("%s contains another youth", zf.Name)
		}
	}
	want := map[string]string{
		"profile.json": y.DisplayName, "tasks.json": "Oprydning", "work.json": `"approved"`, "ledger.json": "task_points",
		"balance.json": `"Points": 40`, "courses.json": "Førstehjælp", "consents.json": "Leila Haddad",
		"participation.json": "lommepenge_task", "access_log.json": "youth_profile", "employment.json": "case_notes", "oversigt.html": f.msg("export.title"),
	}
	for name, s := range want {
		if !strings.Contains(got[name], s) {
			t.Errorf("%s lacks %q", name, s)
		}
	}
	if strings.Contains(got["profile.json"], "argon2id") {
		t.Error("the password hash is in the export")
	}
}
