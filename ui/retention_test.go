package ui

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
)

// TestRetentionDryRunAndRun on a fake clock: entries older than the
// retention show in the dry run, are deleted by the run, and the chain
// still checks.
func TestRetentionDryRunAndRun(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.AccessLogRetention = 30 * 24 * time.Hour })
	coord := f.loggedIn("coordA")
	coord.get(areaPath(f.areaA, "/youths"))
	coord.get(areaPath(f.areaA, "/youths/"+itoa(int(f.users["youtha"].ID))))
	f.clock.Add(31 * 24 * time.Hour)
	coord.login("coordA")
	coord.get(areaPath(f.areaA, "/youths")) // a recent one, kept
	adm := f.loggedIn("admin")
	if _, page := adm.get("/admin/retention"); !strings.Contains(page, f.msg("retention.due", 2)) {
		t.Fatalf("dry run\n%s", page)
	}
	if all, _ := f.ppl.AccessLog(0); len(all) != 3 {
		t.Fatalf("the dry run deleted something: %d left", len(all))
	}
	adm.post("/admin/retention", "/admin/retention", url.Values{})
	all, _ := f.ppl.AccessLog(0)
	if len(all) != 1 {
		t.Fatalf("%d entries after the run, want 1", len(all))
	}
	if _, page := adm.get("/admin/retention"); !strings.Contains(page, f.msg("retention.due", 0)) {
		t.Fatal("dry run after the run")
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatalf("chain after retention: %v", err)
	}
}

// TestRetentionErasesInactiveYouths: after the retention period without a
// claim or participation, the dry run lists the youth; the run erases
// them; an active youth stays.
func TestRetentionErasesInactiveYouths(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.InactiveYouthRetention = 365 * 24 * time.Hour })
	active := f.users["youtha"]
	f.clock.Add(300 * 24 * time.Hour)
	f.approvedWork(t, active.ID, "tidying", "2027-09-20", 60) // keeps youthA active
	f.clock.Add(100 * 24 * time.Hour)
	adm := f.loggedIn("admin")
	_, page := adm.get("/admin/retention")
	if !strings.Contains(page, f.msg("retention.inactive_due", 1)) {
		t.Fatalf("dry run\n%s", page)
	}
	if v, _ := f.ppl.Youth(f.areaB.ID, f.users["youthb"].ID); !v.User.Erased.IsZero() {
		t.Fatal("the dry run erased")
	}
	adm.post("/admin/retention", "/admin/retention", url.Values{})
	if v, _ := f.ppl.Youth(f.areaB.ID, f.users["youthb"].ID); v.User.Erased.IsZero() || v.User.DisplayName != "" {
		t.Fatal("inactive youth not erased")
	}
	if v, _ := f.ppl.Youth(f.areaA.ID, active.ID); !v.User.Erased.IsZero() {
		t.Fatal("active youth erased")
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatal(err)
	}
}
