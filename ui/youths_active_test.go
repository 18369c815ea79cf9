package ui

import (
	"strings"
	"testing"
)

// TestImportedHistoryStaysOutOfWorkingLists: youths imported from the
// programme's history (no login) are left out of the coordinator's youth
// list, pipeline and home count, with a note and a way to see them all.
func TestImportedHistoryStaysOutOfWorkingLists(t *testing.T) {
	f := newFixture(t)
	f.importHistory()
	co := f.loggedIn("coordA")
	_, list := co.get(areaPath(f.areaA, "/youths"))
	_, all := co.get(areaPath(f.areaA, "/youths?all=1"))
	_, pipeline := co.get(areaPath(f.areaA, "/pipeline"))
	_, home := co.get("/")
	for name, body := range map[string]string{"youth list": list, "pipeline": pipeline} {
		if strings.Contains(body, "H-001") || !strings.Contains(body, `id="historical"`) || !strings.Contains(body, "300 unge fra importeret historik") {
			t.Errorf("%s: imported youths shown or not counted", name)
		}
		if !strings.Contains(body, f.users["youtha"].DisplayName) {
			t.Errorf("%s: the area's own youth is missing", name)
		}
	}
	if !strings.Contains(all, "H-001") || strings.Contains(all, `id="historical"`) {
		t.Error("?all=1 does not show the imported youths")
	}
	if !strings.Contains(home, f.msg("coord.youth_count", 1)) {
		t.Errorf("home counts the imported history: %s", home[strings.Index(home, "<main"):])
	}
}
