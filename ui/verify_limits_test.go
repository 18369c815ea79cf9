package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// verifyEntries counts the access-log entries of the public verification
// page about youth in area.
func (f *fixture) verifyEntries(area, youth uint64) []people.AccessEntry {
	f.t.Helper()
	all, err := f.ppl.AccessAbout(area, youth)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []people.AccessEntry
	for _, e := range all {
		if e.What == "cv_verified" {
			out = append(out, e)
		}
	}
	return out
}

// TestVerifyPageOneEntryPerDay: 200 anonymous opens of a CV code in one
// day leave one entry on the youth's access page, shown with "åbnet 200
// gange", and the later opens do not touch the data generation (they are
// quiet writes, so kept pages stay fresh); the next day starts a new
// entry; the hash chain stays whole.
func TestVerifyPageOneEntryPerDay(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	y := f.users["youtha"]
	code, err := f.cvs.CurrentCode(f.areaA.ID, y.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Ten employers behind one proxy, twenty opens each: under any rate limit.
	open := func(i int) {
		t.Helper()
		c := f.client()
		c.header.Set("X-Forwarded-For", "198.51.100."+itoa(1+i%10))
		if resp, body := c.get("/v/" + code.Value); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Blåbærparken") {
			t.Fatalf("open %d: %d", i, resp.StatusCode)
		}
	}
	open(0)
	_, data0, err := store.Generations(f.db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 200; i++ {
		open(i)
	}
	if _, data, _ := store.Generations(f.db); data != data0 {
		t.Errorf("later opens raised the data generation %d → %d; the counter is a quiet write", data0, data)
	}
	if got := f.verifyEntries(f.areaA.ID, y.ID); len(got) != 1 || got[0].Opens != 200 {
		t.Fatalf("after 200 opens: %d entries %+v, want one opened 200 times", len(got), got)
	}
	youth := f.loggedIn("youthA")
	_, page := youth.get(areaPath(f.areaA, "/me/access"))
	if n := strings.Count(page, "så de godkendte linjer på dit CV"); n != 1 || !strings.Contains(page, "åbnet 200 gange") {
		t.Fatalf("youth's access page: %d verification entries, want 1 with \"åbnet 200 gange\"\n%s", n, page)
	}

	// The next Copenhagen day starts a new entry with its own count.
	f.clock.Add(24 * time.Hour)
	for i := 0; i < 3; i++ {
		open(i)
	}
	got := f.verifyEntries(f.areaA.ID, y.ID)
	if len(got) != 2 || got[0].Opens != 3 || got[1].Opens != 200 {
		t.Fatalf("the next day: %+v, want a new entry opened 3 times above the one opened 200 times", got)
	}
	youth = f.loggedIn("youthA") // yesterday's session has expired
	_, page = youth.get(areaPath(f.areaA, "/me/access"))
	if !strings.Contains(page, "åbnet 3 gange") || !strings.Contains(page, "åbnet 200 gange") {
		t.Errorf("youth's access page lacks the two days' counts\n%s", page)
	}
	// In English too.
	youth.cookies["fj_lang"] = "en"
	if _, page = youth.get(areaPath(f.areaA, "/me/access")); !strings.Contains(page, "opened 200 times") {
		t.Errorf("English access page lacks \"opened 200 times\"\n%s", page)
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatalf("chain: %v", err)
	}
}
