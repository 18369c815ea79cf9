package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

// TestCheckFindsUnreadableYouth: a youth whose data key no longer opens
// with the installation secret is named by 'fritidsjob check', which
// fails; the lists leave such a youth out, so check is where it shows.
func TestCheckFindsUnreadableYouth(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "secret"), testkit.Secret(), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(data, "fritidsjob.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ppl := peoplekit.New(t, db, nil)
	area := peoplekit.Area(t, ppl, "Blåbærparken")
	var ids []uint64
	for _, name := range []string{"hel", "skadet"} {
		n := peoplekit.Youth(area.ID, name, people.Date{Year: 2011, Month: 3, Day: 4})
		n.DisplayName = "Ung " + name
		ids = append(ids, peoplekit.Create(t, ppl, n).ID)
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
