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
	if _, page := adm.get("/admin/retention"); !strings.Contains(page, "2 poster ville blive slettet nu") {
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
	if _, page := adm.get("/admin/retention"); !strings.Contains(page, "0 poster ville blive slettet nu") {
		t.Fatal("dry run after the run")
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatalf("chain after retention: %v", err)
	}
}
