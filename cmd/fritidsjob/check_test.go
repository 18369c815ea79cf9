package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

// TestCheckFindsUnreadableYouth: a youth whose data key no longer opens
// with the installation secret is named by 'fritidsjob check', which
// fails; the lists leave such a youth out, so check is where it shows.
func TestCheckFindsUnreadableYouth(t *testing.T) {
	data := t.TempDir()
	secret := strings.Repeat("s", 40)
	if err := os.WriteFile(filepath.Join(data, "secret"), []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(data, "fritidsjob.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ppl, err := people.NewService(db, people.Options{Secret: []byte(secret), Hash: people.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	area, err := ppl.CreateArea("Blåbærparken", "Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, name := range []string{"hel", "skadet"} {
		u, err := ppl.CreateUser(people.NewUser{Username: name, DisplayName: "Ung " + name, Secret: "482916", SecretKind: people.SecretPIN,
			Memberships: []people.Membership{{AreaID: area.ID, Role: people.RoleYouth}},
			Youth:       &people.Youth{BirthDate: people.Date{Year: 2011, Month: 3, Day: 4}, School: people.SchoolCompulsory}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	db.Close()
	if r := runCmd(t, "", 20*time.Second, "check", "-data", data); r.code != 0 {
		t.Fatalf("check of a whole store: exit %d\n%s", r.code, r.stderr)
	}

	// The damaged youth's wrapped key is overwritten, as a restore with the
	// wrong secret or a damaged file would leave it.
	db, err = bolt.Open(filepath.Join(data, "fritidsjob.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx store.Tx) error {
		return tx.Put("youth_keys", store.ID(ids[1]), []byte(strings.Repeat("x", 60)))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := runCmd(t, "", 20*time.Second, "check", "-data", data)
	if r.code == 0 {
		t.Fatalf("check passed with an unreadable youth:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "user "+strconv.FormatUint(ids[1], 10)+" (skadet)") || strings.Contains(r.stderr, "(hel)") {
		t.Errorf("check should name the damaged youth only:\n%s", r.stderr)
	}
}
