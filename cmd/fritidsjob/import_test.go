package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fritidsjob/evaluation"
	"fritidsjob/internal/testkit"
	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/people"
	"fritidsjob/store/bolt"
)

// TestImportCommand runs 'fritidsjob import' in-process: a bad file imports
// nothing and names the row; the good files import; a second run changes
// nothing.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FRITIDSJOB_SECRET", string(testkit.Secret()))
	db, err := bolt.Open(filepath.Join(dir, "fritidsjob.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	peoplekit.Area(t, peoplekit.New(t, db, nil), "Blåbærparken")
	db.Close()
	src := filepath.Join("..", "..", "evaluation", "testdata", "import")
	files := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(src, n))
		}
		return out
	}
	tests := []struct {
		name      string
		files     []string
		wantErr   bool
		out, serr string
	}{
		{"bad row", files("youths_badrow.csv"), true, "", daMessage(t, "evalx.import.cli.refused") + "\n  " +
			fmt.Sprintf(daMessage(t, "evalx.import.cli.row"), filepath.Join(src, "youths_badrow.csv"), "3", "birth_date", daMessage(t, "evalx.row.date_invalid")) + "\n"},
		{"first", files("youths.csv", "events.csv", "spells.csv"), false, "imported 3 youths, 4 participation events, 2 job spells; 0 rows", ""},
		{"again", files("youths.csv", "events.csv", "spells.csv"), false, "imported 0 youths, 0 participation events, 0 job spells; 9 rows", ""},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"import", "-data", dir}, tc.files...), os.Stdin, &stdout, &stderr)
		if (err != nil) != tc.wantErr || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.serr) {
			t.Errorf("%s: err %v\nstdout %s\nstderr %s", tc.name, err, stdout.String(), stderr.String())
		}
	}
}

// TestImportCommandManyBadRows: a refused import of 150 bad rows prints
// the first 100 and how many there were.
func TestImportCommandManyBadRows(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FRITIDSJOB_SECRET", string(testkit.Secret()))
	db, err := bolt.Open(filepath.Join(dir, "fritidsjob.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	peoplekit.Area(t, peoplekit.New(t, db, nil), "Blåbærparken")
	db.Close()
	var b strings.Builder
	b.WriteString("external_id,birth_date,gender,area,registration_date\n")
	for i := range 150 {
		fmt.Fprintf(&b, "X%d,2008-02-30,pige,Blåbærparken,2019-01-01\n", i)
	}
	name := filepath.Join(dir, "unge.csv")
	if err := os.WriteFile(name, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err = run(context.Background(), []string{"import", "-data", dir, name}, os.Stdin, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "150 bad rows") {
		t.Errorf("err %v, want the total", err)
	}
	if n := strings.Count(stderr.String(), daMessage(t, "evalx.row.date_invalid")); n != 100 {
		t.Errorf("%d row errors printed, want 100\n%s", n, stderr.String())
	}
	if !strings.Contains(stderr.String(), fmt.Sprintf(daMessage(t, "evalx.import.cli.shown.other"), 100, "150")+"\n") {
		t.Errorf("stderr does not say how many errors there were\n%s", stderr.String())
	}
}

// TestDemoHistory: the demo's five years import cleanly and show the
// planted effect: participants have a leisure job more often after their
// start than the comparison pool.
func TestDemoHistory(t *testing.T) {
	db := testkit.Store(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, people.Copenhagen)
	ppl := peoplekit.New(t, db, func() time.Time { return now })
	area, err := ppl.CreateArea("Blåbærparken", "Aarhus Kommune")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := seedDemoHistory(db, ppl, area, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Youths != 300 || rep.Events < 200 || rep.Spells < 50 {
		t.Fatalf("report %+v", rep)
	}
	keys, _ := evaluation.NewKeyStore(db, testkit.Secret(), nil)
	exp, _ := evaluation.NewExporter(evaluation.Deps{DB: db, People: ppl, Keys: keys, Now: func() time.Time { return now }})
	var after, afterJobs, comp, compJobs int
	err = exp.EachPanelRow(evaluation.Options{Areas: []uint64{area.ID}, FromYear: 2021, ToYear: 2025}, func(r evaluation.PanelRow) error {
		switch {
		case r.Treated() && r.RelYear >= 1:
			after++
			if r.HasLeisureJob {
				afterJobs++
			}
		case !r.Treated() && r.Registered:
			comp++
			if r.HasLeisureJob {
				compJobs++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pa, pc := float64(afterJobs)/float64(after), float64(compJobs)/float64(comp)
	if after == 0 || comp == 0 || pa-pc < 0.05 {
		t.Errorf("after start %.2f (%d), comparison %.2f (%d): no visible effect", pa, after, pc, comp)
	}
	t.Logf("leisure job: participants after start %.2f (n=%d), comparison %.2f (n=%d)", pa, after, pc, comp)
	// The evaluator's chart can be drawn from it, for everyone and by gender.
	split, err := exp.Estimate(evaluation.Options{Areas: []uint64{area.ID}, FromYear: now.Year() - 5, ToYear: now.Year()},
		evaluation.DefaultFitOptions(), true)
	if err != nil {
		t.Fatalf("the demo history does not carry the chart: %v", err)
	}
	if split.Female == nil || split.Male == nil {
		t.Errorf("the demo history does not carry the chart by gender: %v", split.Refused)
	}
}
