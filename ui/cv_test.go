package ui

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fritidsjob/participation"
	"fritidsjob/store"
)

// approvedWork writes an approved-work participation record for youth, as
// an approval does.
func (f *fixture) approvedWork(t *testing.T, youth uint64, category, date string, minutes int) {
	t.Helper()
	err := f.db.Update(func(tx store.Tx) error {
		_, _, err := participation.Append(tx, participation.Record{AreaID: f.areaA.ID, YouthID: youth, Date: date,
			Type: participation.TaskWork, Minutes: minutes, Attrs: map[string]string{"category": category, "place": "Fælleshuset"},
			Source: "test:" + itoa(int(youth)) + category + date, At: f.clock.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCVEditAndVerify(t *testing.T) {
	f := newFixture(t)
	y := f.users["youtha"]
	f.approvedWork(t, y.ID, "childcare", "2026-09-12", 120)
	f.approvedWork(t, y.ID, "childcare", "2026-10-10", 90)
	f.approvedWork(t, y.ID, "tidying", "2026-10-17", 60)
	c := f.loggedIn("youthA")
	_, page := c.get(areaPath(f.areaA, "/cv"))
	// "Børnepasning · 2 gange, 3,5 timer · sep.–okt. 2026", from the catalogue.
	line := f.msg("cat.childcare") + " · " + f.msg("cv.times", 2) + ", " + f.msg("cv.hours", "3,5") + " · " +
		f.msg("mon.9") + "–" + f.msg("mon.10") + " 2026"
	if !strings.Contains(page, line) {
		t.Fatalf("CV page lacks the grouped verified line\n%s", page)
	}
	form := url.Values{"headline": {"Glad for børn"}, "profile": {"Jeg hedder Ærø og kan lide at lege."},
		"email": {"ung@example.dk"}, "show_email": {"on"}, "phone": {"12345678"}, // phone not shown
		"skills": {"Børnepasning, Kasse"}, "edu_title_0": {"9. klasse"}, "edu_place_0": {"Skjoldhøjskolen"},
		"lang_name_0": {"Dansk"}, "lang_level_0": {"Modersmål"}, "ref_name_0": {"Bjarne"}, // no consent: not printed
		"show_line": {"lommepenge_task/childcare"}, "template": {"clean"}, "cv_lang": {"da"}}
	resp, body := c.post(areaPath(f.areaA, "/cv"), areaPath(f.areaA, "/cv"), form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, body)
	}
	_, prev := c.get(areaPath(f.areaA, "/cv/preview"))
	for _, want := range []string{"Glad for børn", "ung@example.dk", "Børnepasning", "Skjoldhøjskolen", "Dansk: Modersmål"} {
		if !strings.Contains(prev, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	for _, not := range []string{"12345678", "Oprydning", "Bjarne"} {
		if strings.Contains(prev, not) {
			t.Errorf("preview shows %q, which the youth did not choose", not)
		}
	}
	// The PDF carries a verification code; the public page shows only the shown lines.
	resp, pdf := c.get(areaPath(f.areaA, "/cv.pdf"))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("pdf: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp.Header.Get("Content-Encoding") != "" {
		t.Fatal("PDF was compressed again")
	}
	if text := pdfText(t, pdf); text != "" {
		for _, want := range []string{y.DisplayName, "Børnepasning", "Glad for børn"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	}
	_, page = c.get(areaPath(f.areaA, "/cv"))
	m := regexp.MustCompile(`<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no code listed after the PDF")
	}
	anon := f.client()
	resp, pub := anon.get("/v/" + m[1])
	if resp.StatusCode != 200 || !strings.Contains(pub, f.msg("cat.childcare")) || !strings.Contains(pub, "Blåbærparken") {
		t.Fatalf("verification page: %d\n%s", resp.StatusCode, pub)
	}
	for _, not := range []string{y.DisplayName, "Oprydning", "ung@example.dk", "Fælleshuset", "Glad for børn"} {
		if strings.Contains(pub, not) {
			t.Errorf("verification page reveals %q", not)
		}
	}
	// Typed in the form, lower case.
	if resp, _ := anon.get("/v?code=" + strings.ToLower(m[1])); resp.StatusCode != 200 {
		t.Fatalf("typed code: %d", resp.StatusCode)
	}
	// Revoked: nothing.
	id := regexp.MustCompile(`/cv/codes/(\d+)/revoke`).FindStringSubmatch(page)
	if resp, _ := c.post(areaPath(f.areaA, "/cv"), areaPath(f.areaA, "/cv/codes/"+id[1]+"/revoke"), nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	resp, pub = anon.get("/v/" + m[1])
	if resp.StatusCode != 404 || strings.Contains(pub, f.msg("cat.childcare")) || !strings.Contains(pub, f.msg("verify.closed")) {
		t.Fatalf("revoked code: %d", resp.StatusCode)
	}
}

func TestCVIsPrivate(t *testing.T) {
	f := newFixture(t)
	a, b := f.users["youtha"], f.users["youthb"]
	// Youths reach only their own CV: there is no route to another's.
	for _, p := range []string{"/youths/" + itoa(int(a.ID)) + "/cv", "/youths/" + itoa(int(a.ID)) + "/cv.pdf"} {
		if resp, _ := f.loggedIn("youthA").get(areaPath(f.areaA, p)); resp.StatusCode != 403 {
			t.Errorf("youth GET %s: %d", p, resp.StatusCode)
		}
	}
	// A coordinator of another area cannot, and area A's coordinator cannot reach B's youth through A.
	if resp, _ := f.loggedIn("coordB").get(areaPath(f.areaA, "/youths/"+itoa(int(a.ID))+"/cv")); resp.StatusCode != 403 {
		t.Errorf("other area's coordinator: %d", resp.StatusCode)
	}
	if resp, _ := f.loggedIn("coordA").get(areaPath(f.areaA, "/youths/"+itoa(int(b.ID))+"/cv")); resp.StatusCode != 404 {
		t.Errorf("coordinator via own area to another area's youth: %d", resp.StatusCode)
	}
	// Without the youth's permission the coordinator sees but cannot save.
	coord := f.loggedIn("coordA")
	_, page := coord.get(areaPath(f.areaA, "/youths/"+itoa(int(a.ID))+"/cv"))
	if !strings.Contains(page, `id="no-help"`) || strings.Contains(page, `id="cv-save"`) {
		t.Fatal("coordinator offered to edit without permission")
	}
	resp, body := coord.post(areaPath(f.areaA, "/youths/"+itoa(int(a.ID))+"/cv"), areaPath(f.areaA, "/youths/"+itoa(int(a.ID))+"/cv"), url.Values{"profile": {"x"}})
	if resp.StatusCode != 409 || !strings.Contains(body, f.msg("err.cv.no_help")) {
		t.Fatalf("coordinator save without permission: %d", resp.StatusCode)
	}
	// The youth allows help; now the coordinator can edit.
	y := f.loggedIn("youthA")
	y.post(areaPath(f.areaA, "/cv"), areaPath(f.areaA, "/cv"), url.Values{"help": {"on"}, "profile": {"Min tekst"}})
	resp, _ = coord.post(areaPath(f.areaA, "/youths/"+itoa(int(a.ID))+"/cv"), areaPath(f.areaA, "/youths/"+itoa(int(a.ID))+"/cv"), url.Values{"profile": {"Rettet sammen med Mette"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("coordinator save with permission: %d", resp.StatusCode)
	}
	got, _ := f.cvs.Get(f.areaA.ID, a.ID)
	if got.Profile != "Rettet sammen med Mette" || !got.HelpAllowed {
		t.Fatalf("after coordinator edit: %+v", got)
	}
}

func TestCVBadInputKeepsText(t *testing.T) {
	f := newFixture(t)
	c := f.loggedIn("youthA")
	long := strings.Repeat("æ", 2001)
	resp, body := c.post(areaPath(f.areaA, "/cv"), areaPath(f.areaA, "/cv"), url.Values{"headline": {"Min overskrift"}, "profile": {long}})
	if resp.StatusCode != 400 || !strings.Contains(body, f.msg("invalid.profile.length")) || !strings.Contains(body, "Min overskrift") {
		t.Fatalf("too long profile: %d", resp.StatusCode)
	}
}

// pdfText runs pdftotext on pdf, or returns "" when it is missing (unless
// CI requires it).
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("FRITIDSJOB_REQUIRE_TOOLS") != "" {
			t.Fatal("pdftotext not on PATH, and FRITIDSJOB_REQUIRE_TOOLS is set")
		}
		t.Log("pdftotext not on PATH (apt-get install poppler-utils); PDF text not checked")
		return ""
	}
	p := filepath.Join(t.TempDir(), "cv.pdf")
	if err := os.WriteFile(p, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
