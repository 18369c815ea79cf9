package ui

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fritidsjob/cv"
	"fritidsjob/people"
	"fritidsjob/store"
)

// TestErasureIsCryptoShredding plants canary values in a youth's name,
// guardian and CV text, takes a backup, erases the youth, and checks that
// the canaries are in neither the live data file nor the backup, while
// the data was readable before.
func TestErasureIsCryptoShredding(t *testing.T) {
	f := newFixture(t)
	canaries := []string{"KANARIE-Navn-Ærø-4711", "KANARIE-Værge-0815", "KANARIE-CV-tekst-9999", "2009-07-13"}
	u, err := f.ppl.CreateUser(people.NewUser{Username: "kanarie", DisplayName: canaries[0], Secret: "735142", SecretKind: people.SecretPIN,
		Memberships: []people.Membership{{AreaID: f.areaA.ID, Role: people.RoleYouth}},
		Youth: &people.Youth{BirthDate: people.Date{Year: 2009, Month: 7, Day: 13}, Gender: people.GenderFemale, School: people.SchoolFinished9,
			Guardians: []people.GuardianContact{{Name: canaries[1]}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.cvs.Save(f.areaA.ID, u.ID, u.ID, cv.CV{Profile: canaries[2]}, false); err != nil {
		t.Fatal(err)
	}
	// Readable through the services before erasure.
	v, err := f.ppl.Youth(f.areaA.ID, u.ID)
	if err != nil || v.User.DisplayName != canaries[0] || v.Youth.Guardians[0].Name != canaries[1] || v.Youth.BirthDate.String() != canaries[3] {
		t.Fatalf("before erasure: %+v, %v", v, err)
	}
	if c, _ := f.cvs.Get(f.areaA.ID, u.ID); c.Profile != canaries[2] {
		t.Fatal("CV not readable before erasure")
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	bf, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Backup(bf); err != nil {
		t.Fatal(err)
	}
	bf.Close()

	coord := f.loggedIn("coordA")
	youthPage := areaPath(f.areaA, "/youths/"+itoa(int(u.ID)))
	if resp, _ := coord.post(youthPage, youthPage+"/erase", url.Values{}); resp.StatusCode != 400 {
		t.Fatalf("erase without confirmation: %d", resp.StatusCode)
	}
	if resp, _ := coord.post(youthPage, youthPage+"/erase", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d", resp.StatusCode)
	}
	for _, file := range []string{f.db.Path(), backup} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range canaries {
			if bytes.Contains(raw, []byte(c)) {
				t.Errorf("canary %q found in %s", c, filepath.Base(file))
			}
		}
	}
	v, err = f.ppl.Youth(f.areaA.ID, u.ID)
	if err != nil || v.User.DisplayName != "" || len(v.Youth.Guardians) != 0 || !v.Youth.BirthDate.IsZero() || v.User.Erased.IsZero() {
		t.Fatalf("after erasure: %+v, %v", v, err)
	}
	if _, err := f.cvs.Get(f.areaA.ID, u.ID); !errors.Is(err, cv.ErrNotFound) {
		t.Fatalf("CV after erasure: %v", err)
	}
	if _, err := f.ppl.Login("kanarie", "735142", "10.0.0.1"); !errors.Is(err, people.ErrBadCredentials) {
		t.Fatalf("login after erasure: %v", err)
	}
	if _, page := coord.get(areaPath(f.areaA, "/youths")); !strings.Contains(page, f.msg("erase.erased_youth")) {
		t.Fatal("the youth list does not show the erased youth as erased")
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatalf("invariants after erasure: %v", err)
	}
}

// TestEraseWhileLoggedIn is the sequence from the security review: a youth
// is logged in, a coordinator erases them, and the youth's open session
// then saves their CV. The session must be dead (no data key is created
// again), every page of every role must still answer below 500, and the
// evaluator's export must be a complete ZIP.
func TestEraseWhileLoggedIn(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	yc := f.loggedIn("youthA")
	cvPath := areaPath(f.areaA, "/cv")
	token := yc.token(cvPath)

	coord := f.loggedIn("coordA")
	youthPage := areaPath(f.areaA, "/youths/"+itoa(int(youth.ID)))
	if resp, _ := coord.post(youthPage, youthPage+"/erase", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d", resp.StatusCode)
	}
	resp, _ := yc.do("POST", cvPath, url.Values{"_csrf": {token}, "profile": {"Jeg er her stadig"}})
	if resp.StatusCode == http.StatusSeeOther && !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("the erased youth's open session saved a CV: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := yc.get(cvPath); resp.StatusCode == http.StatusOK {
		t.Errorf("the erased youth's open session still shows the CV page")
	}
	if err := f.db.View(func(tx store.Tx) error {
		v, err := tx.Get("youth_keys", store.ID(youth.ID))
		if v != nil {
			t.Error("a data key exists again for the erased youth")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	assertNoServerErrors(t, f, youth.ID, "youthA")

	ev := f.loggedIn("evalA")
	resp, body := ev.get("/eval/export.zip")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("export is not a valid ZIP: %v", err)
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatalf("export %s: %v", zf.Name, err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil {
			t.Fatalf("export %s: %v", zf.Name, err)
		}
		rc.Close()
	}
}

// assertNoServerErrors opens every GET route as every principal, with
// area A and youth in the URL, and fails on any answer of 500 or more.
// The principals named in gone can no longer log in and call as anonymous.
func assertNoServerErrors(t *testing.T, f *fixture, youth uint64, gone ...string) {
	t.Helper()
	clients := map[string]*client{}
	for _, p := range principals {
		c := f.client()
		if p != "anon" && !slices.Contains(gone, p) {
			c.login(p)
		}
		clients[p] = c
	}
	for _, r := range f.app.Routes() {
		if r.Method != "GET" {
			continue
		}
		path := strings.NewReplacer(":area<int>", itoa(int(f.areaA.ID)), ":area", itoa(int(f.areaA.ID)), ":user<int>", itoa(int(youth)),
			":task<int>", "1", ":entry<int>", "1", ":reward<int>", "1", ":redemption<int>", "1", ":code<int>", "1", ":employer<int>", "1",
			":opening<int>", "1", ":note<int>", "1", ":index<int>", "0", ":code", "AAAA-BBBB-CCCC-DDDD", ":token", "no-such-token-0123456789").Replace(r.Path)
		for _, p := range principals {
			if resp, _ := clients[p].get(path); resp.StatusCode >= 500 {
				t.Errorf("GET %s as %s: %d", path, p, resp.StatusCode)
			}
		}
	}
}

// TestUnreadableYouthIsSkipped: a youth whose data key does not open (a
// damaged file, a restore with another secret) is left out of the lists
// and counted, and no page of any role fails because of it.
func TestUnreadableYouthIsSkipped(t *testing.T) {
	f := newFixture(t)
	youth := f.users["youtha"]
	if err := f.db.Update(func(tx store.Tx) error {
		return tx.Put("youth_keys", store.ID(youth.ID), bytes.Repeat([]byte("x"), 60))
	}); err != nil {
		t.Fatal(err)
	}
	_, page := f.loggedIn("coordA").get(areaPath(f.areaA, "/youths"))
	if !strings.Contains(page, `id="unreadable"`) {
		t.Error("the youth list does not say that a youth is left out")
	}
	assertNoServerErrors(t, f, youth.ID)
}
