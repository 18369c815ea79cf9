package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"fritidsjob/evaluation"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/ui"
)

// importCmd imports a programme's history from CSV files, all or nothing
// (see evaluation/IMPORT.md). It needs the database to itself: while the
// server runs, the admin page /admin/evaluation does the same.
func importCmd(args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flagSet("import", stderr, &c)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: fritidsjob import [-data DIR] FILE.csv...\nFiles of youths, participation events and job spells; see evaluation/IMPORT.md.")
		return errUsage
	}
	db, ppl, _, err := openPeople(&c, 300*time.Millisecond)
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return fmt.Errorf("%w (or import on the admin page /admin/evaluation)", err)
		}
		return err
	}
	defer db.Close()
	var inputs []evaluation.Input
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		inputs = append(inputs, evaluation.Input{Name: name, Data: f})
	}
	rep, err := evaluation.NewImporter(db, ppl, nil).Import(inputs...)
	var ie *evaluation.ImportError
	if errors.As(err, &ie) {
		lines, err := ui.ImportRefusal("da", ie)
		if err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Fprintln(stderr, l)
		}
		if ie.Total > len(ie.Rows) {
			return fmt.Errorf("import refused: %d bad rows (the first %d shown)", ie.Total, len(ie.Rows))
		}
		return fmt.Errorf("import refused: %d bad rows", ie.Total)
	}
	if err != nil {
		return err
	}
	if err := ppl.LogAccess(people.AccessEntry{ActorRole: people.RoleSystem, Action: people.AccessChange, What: "evaluation_import",
		Detail: fmt.Sprintf("cli: %d youths, %d events, %d spells, %d youths corrected, %d events replaced", rep.Youths, rep.Events, rep.Spells, rep.Corrected, rep.Replaced)}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d youths, %d participation events, %d job spells; %d rows were there already; %d youths and %d events of earlier imports corrected\n",
		rep.Youths, rep.Events, rep.Spells, rep.Unchanged, rep.Corrected, rep.Replaced)
	return nil
}
