package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fritidsjob/people"
	"fritidsjob/store/bolt"
)

// TestImportCommand runs 'fritidsjob import' in-process: a bad file imports
// nothing and names the row; the good files import; a second run changes
// nothing.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FRITIDSJOB_SECRET", strings.Repeat("s", 40))
	db, err := bolt.Open(filepath.Join(dir, "fritidsjob.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ppl, err := people.NewService(db, people.Options{Secret: []byte(strings.Repeat("s", 40))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ppl.CreateArea("Blåbærparken", "Aarhus"); err != nil {
		t.Fatal(err)
	}
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
		{"bad row", files("youths_badrow.csv"), true, "", "youths_badrow.csv linje 3, kolonne birth_date: ugyldig dato"},
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
