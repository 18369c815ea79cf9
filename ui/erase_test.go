package ui

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"fritidsjob/cv"
	"fritidsjob/people"
)

// TestErasureIsCryptoShredding plants canary values in a youth's name,
// guardian and CV text, takes a backup, erases the youth, and checks that
// the canaries are in neither the live data file nor the backup, while
// the data was readable before.
func TestErasureIsCryptoShredding(t *testing.T) {
	f := newFixture(t)
	canaries := []string{"KANARIE-Navn-Ærø-4711", "KANARIE-Værge-0815", "KANARIE-CV-tekst-9999", "2009-07-13"}
	u, err := f.ppl.CreateUser(people.NewUser{Username: "kanarie", DisplayName: canaries[0], Secret: "1357", SecretKind: people.SecretPIN,
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
	if _, err := f.ppl.Login("kanarie", "1357", "10.0.0.1"); !errors.Is(err, people.ErrBadCredentials) {
		t.Fatalf("login after erasure: %v", err)
	}
	if _, page := coord.get(areaPath(f.areaA, "/youths")); !bytes.Contains([]byte(page), []byte("Slettet ung")) {
		t.Fatal("the youth list does not show the erased youth as erased")
	}
	if err := f.db.View(people.Check); err != nil {
		t.Fatalf("invariants after erasure: %v", err)
	}
}
