package evaluation

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fritidsjob/internal/testkit/peoplekit"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

func inputs(t *testing.T, names ...string) []Input {
	t.Helper()
	var out []Input
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "import", n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Input{Name: n, Data: bytes.NewReader(b)})
	}
	return out
}

// dump is every key and value of the buckets an import writes, to show
// that a re-import changes nothing.
func dump(t *testing.T, e *env) string {
	t.Helper()
	var b strings.Builder
	err := e.db.View(func(tx store.Tx) error {
		for _, bucket := range []string{"users", "youths", "participation", "participation_sources", "participation_withdrawn", bucketExternal, bucketImportedSpells} {
			if err := tx.Scan(bucket, nil, func(k, v []byte) error {
				b.WriteString(bucket)
				b.Write(k)
				b.Write(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestImportAndReimport(t *testing.T) {
	e := newEnv(t)
	a := e.area("Blåbærparken")
	rep, err := e.imp.Import(inputs(t, "youths.csv", "events.csv", "spells.csv")...)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (ImportReport{Youths: 3, Events: 4, Spells: 2}) {
		t.Fatalf("report %+v", rep)
	}
	before := dump(t, e)
	rep, err = e.imp.Import(inputs(t, "youths.csv", "events.csv", "spells.csv")...)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (ImportReport{Unchanged: 9}) {
		t.Errorf("re-import report %+v, want 9 unchanged", rep)
	}
	if dump(t, e) != before {
		t.Error("re-importing the same files changed the store")
	}
	// Imported youths are people youths without a login; the panel sees them.
	youths, _, err := e.ppl.YouthsInArea(a.ID)
	if err != nil || len(youths) != 3 {
		t.Fatalf("%d youths, %v", len(youths), err)
	}
	for _, y := range youths {
		if y.User.Hash != "" {
			t.Errorf("imported youth %d can log in", y.User.ID)
		}
		// Registered years ago, but the retention job counts inactivity
		// from the import (the account's creation).
		if !y.User.Created.Equal(e.now) || y.Youth.Created.Year() > 2020 {
			t.Errorf("imported youth %d: account created %v, registered %v", y.User.ID, y.User.Created, y.Youth.Created)
		}
	}
	if _, err := e.ppl.Login(youths[0].User.Username, "", "127.0.0.1"); err == nil {
		t.Error("an imported youth logged in without a secret")
	}
	rows := map[int]PanelRow{}
	err = e.exp.EachPanelRow(Options{Areas: []uint64{a.ID}, FromYear: 2019, ToYear: 2022}, func(r PanelRow) error {
		if r.Gender == people.GenderFemale {
			rows[r.Year] = r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// H-001: born 2008, registered 2019, two guidance sessions of 1.5 h in 2019, a job March–August 2020
	// and an open one from June 2021.
	if r := rows[2019]; r.FirstTreat != 2019 || r.Minutes != 180 || !r.Registered || r.Age != 11 {
		t.Errorf("2019: %+v", r)
	}
	if r := rows[2020]; !r.HasLeisureJob || r.JobMonths != 6 || r.Minutes != 120 {
		t.Errorf("2020: %+v", r)
	}
	if r := rows[2022]; r.JobMonths != 12 {
		t.Errorf("2022: %+v", r)
	}
	if err := e.db.View(func(tx store.Tx) error {
		if err := people.Check(tx); err != nil {
			return err
		}
		if err := participation.Check(tx); err != nil {
			return err
		}
		return Check(tx)
	}); err != nil {
		t.Errorf("invariants after import: %v", err)
	}
}

func TestImportOneBadRowImportsNothing(t *testing.T) {
	e := newEnv(t)
	e.area("Blåbærparken")
	before := dump(t, e)
	_, err := e.imp.Import(inputs(t, "youths_badrow.csv")...)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err %v, want *ImportError", err)
	}
	want := RowError{File: "youths_badrow.csv", Line: 3, Column: "birth_date", Code: RowDateInvalid}
	if !reflect.DeepEqual(ie.Rows, []RowError{want}) {
		t.Errorf("rows %+v, want %+v", ie.Rows, want)
	}
	// The error, for logs, names the row by its code, in no language.
	if got := err.Error(); !strings.Contains(got, "youths_badrow.csv:3: birth_date: date_invalid") {
		t.Errorf("error %q does not name the row and its code", got)
	}
	if dump(t, e) != before {
		t.Error("a refused import wrote something")
	}
}

// badYouths is a youths file with one good row and then n rows with an
// impossible birth date (one error each).
func badYouths(n int) string {
	var b strings.Builder
	b.WriteString("external_id,birth_date,gender,area,registration_date\nG1,2008-01-01,pige,Blåbærparken,2019-01-01\n")
	for i := range n {
		fmt.Fprintf(&b, "X%d,2008-02-30,pige,Blåbærparken,2019-01-01\n", i)
	}
	return b.String()
}

// TestImportManyBadRows: a refused import of 5,000 bad rows keeps the
// first MaxRowErrors row errors and the total, and imports nothing (not even the good row).
func TestImportManyBadRows(t *testing.T) {
	e := newEnv(t)
	e.area("Blåbærparken")
	before := dump(t, e)
	_, err := e.imp.Import(Input{Name: "unge.csv", Data: strings.NewReader(badYouths(5000))})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err %v, want *ImportError", err)
	}
	if len(ie.Rows) != 100 || ie.Total != 5000 {
		t.Fatalf("%d rows kept of total %d, want 100 of 5000", len(ie.Rows), ie.Total)
	}
	if first, last := ie.Rows[0], ie.Rows[99]; first.Line != 3 || last.Line != 102 || last.Column != "birth_date" {
		t.Errorf("kept rows run from %+v to %+v, want lines 3 to 102", first, last)
	}
	if !strings.Contains(err.Error(), "5000 bad rows") {
		t.Errorf("error %q lacks the total", err)
	}
	if dump(t, e) != before {
		t.Error("a refused import wrote something")
	}
	// Few errors: all of them, and nothing to say about the rest.
	_, err = e.imp.Import(Input{Name: "unge.csv", Data: strings.NewReader(badYouths(3))})
	if !errors.As(err, &ie) || len(ie.Rows) != 3 || ie.Total != 3 {
		t.Fatalf("3 bad rows: %v", err)
	}
}

func TestImportRowErrors(t *testing.T) {
	header := "external_id,birth_date,gender,area,registration_date\n"
	tests := []struct {
		name, file, column string
		line               int
		code               string
		args               []any
	}{
		{"cpr as id", header + "010203-1234,2008-01-01,pige,Blåbærparken,2019-01-01\n", "external_id", 2, RowExternalIDCPR, nil},
		{"id format", header + "X 1,2008-01-01,pige,Blåbærparken,2019-01-01\n", "external_id", 2, RowExternalIDFormat, nil},
		{"id empty", header + ",2008-01-01,pige,Blåbærparken,2019-01-01\n", "external_id", 2, RowRequired, nil},
		{"future", header + "X1,2008-01-01,pige,Blåbærparken,2030-01-01\n", "registration_date", 2, RowDateFuture, nil},
		{"bad date", header + "X1,2008-02-30,pige,Blåbærparken,2019-01-01\n", "birth_date", 2, RowDateInvalid, nil},
		{"registered before birth", header + "X1,2008-01-01,pige,Blåbærparken,2007-01-01\n", "registration_date", 2, RowRegisteredBeforeBirth, nil},
		{"gender", header + "X1,2008-01-01,kat,Blåbærparken,2019-01-01\n", "gender", 2, RowGenderUnknown, nil},
		{"area", header + "X1,2008-01-01,pige,Atlantis,2019-01-01\n", "area", 2, RowAreaUnknown, nil},
		{"duplicate id", header + "X1,2008-01-01,pige,1,2019-01-01\nX1,2008-01-01,pige,1,2019-01-01\n", "external_id", 3, RowExternalIDDuplicate, []any{"2"}},
		{"too young", header + "X1,2018-01-01,pige,1,2019-01-01\n", "birth_date", 2, RowAgeRange, nil},
		{"fields", header + "X1,2008-01-01\n", "", 2, RowFieldCount, []any{2, 5}},
		{"unknown column", "external_id,birth_date,gender,area,registration_date,name\n", "name", 1, RowColumnUnknown, nil},
		{"duplicate column", "external_id,birth_date,gender,area,registration_date,Gender\n", "gender", 1, RowColumnDuplicate, nil},
		{"missing column", "external_id,birth_date,area\n", "gender", 1, RowColumnMissing, nil},
		{"unknown kind", "a,b\n1,2\n", "", 1, RowKindUnknown, nil},
		{"no header", "", "", 1, RowHeaderUnreadable, nil},
		{"event type", "external_id,date,type,hours\nX1,2020-01-01,party,1\n", "type", 2, RowTypeUnknown, nil},
		{"event hours", "external_id,date,type,hours\nX1,2020-01-01,cv_workshop,25\n", "hours", 2, RowHoursInvalid, nil},
		{"event unknown youth", "external_id,date,type,hours\nNOPE,2020-01-01,cv_workshop,1\n", "external_id", 2, RowYouthUnknown, nil},
		{"spell end", "external_id,start,end\nX1,2020-05-01,2020-04-01\n", "end", 2, RowEndBeforeStart, nil},
		{"spell industry", "external_id,start,industry\nX1,2020-05-01," + strings.Repeat("x", 61) + "\n", "industry", 2, RowIndustryInvalid, nil},
		{"quote", header + "X1,\"2008-01-01,pige,1,2019-01-01\n", "", 2, RowCSVInvalid, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.area("Blåbærparken")
			_, err := e.imp.Import(Input{Name: "f.csv", Data: strings.NewReader(tc.file)})
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err %v", err)
			}
			found := false
			for _, r := range ie.Rows {
				if r.Line == tc.line && r.Column == tc.column && r.Code == tc.code && reflect.DeepEqual(r.Args, tc.args) {
					found = true
				}
			}
			if !found {
				t.Errorf("rows %+v, want line %d column %q code %s args %v", ie.Rows, tc.line, tc.column, tc.code, tc.args)
			}
		})
	}
}

func TestImportWindows1252(t *testing.T) {
	e := newEnv(t)
	a := e.area("Ærtebjerg Søndergård")
	raw, _ := os.ReadFile(filepath.Join("testdata", "import", "youths_cp1252.csv"))
	if bytes.Contains(raw, []byte("Æ")) {
		t.Fatal("the fixture is not Windows-1252")
	}
	if got, enc := Decode(raw); enc != "Windows-1252" || !bytes.Contains(got, []byte("Ærtebjerg Søndergård")) {
		t.Fatalf("decoded as %s: %q", enc, got)
	}
	rep, err := e.imp.Import(inputs(t, "youths_cp1252.csv")...)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Youths != 2 {
		t.Fatalf("report %+v", rep)
	}
	ys, _, _ := e.ppl.YouthsInArea(a.ID)
	if len(ys) != 2 || ys[0].Youth.Created.Year() != 2019 {
		t.Errorf("youths %+v", ys)
	}
}

func TestSniffAndDecode(t *testing.T) {
	tests := []struct {
		in   string
		want rune
	}{
		{"a,b,c\n", ','},
		{"a;b;c\n", ';'},
		{"\"x;y\",b,c\n1;2;3;4;5", ','},
		{"a;b,c;d\r\n", ';'},
		{"", ','},
	}
	for _, tc := range tests {
		if got := Sniff([]byte(tc.in)); got != tc.want {
			t.Errorf("Sniff(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if b, enc := Decode([]byte("\xef\xbb\xbfæøå")); enc != "UTF-8" || string(b) != "æøå" {
		t.Errorf("BOM: %q %s", b, enc)
	}
}

// FuzzImport feeds the CSV parser arbitrary bytes: it must not panic, and
// every reported row has a line, and one of the row codes.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "import", "*.csv"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	today := peoplekit.Date("2026-11-25")
	findArea := func(s string) (uint64, bool) { return 1, s == "Blåbærparken" || s == "1" }
	f.Fuzz(func(t *testing.T, data []byte) {
		var p plan
		var bad rowErrors
		parseFile("f.csv", data, findArea, today, &p, &bad)
		if len(bad.rows) != min(bad.total, MaxRowErrors) {
			t.Fatalf("%d rows kept of %d", len(bad.rows), bad.total)
		}
		for _, r := range bad.rows {
			if r.Line < 1 || !slices.Contains(RowErrorCodes(), r.Code) {
				t.Fatalf("bad report %+v", r)
			}
		}
		if bad.total == 0 {
			for _, y := range p.youths {
				if !extIDPattern.MatchString(y.ext) || today.Before(y.registered) {
					t.Fatalf("accepted %+v", y)
				}
			}
			for _, ev := range p.events {
				if !ev.typ.Valid() || ev.minutes < 0 || ev.minutes > 24*60 {
					t.Fatalf("accepted %+v", ev)
				}
			}
		}
	})
}

func TestCheckFindsBrokenIndex(t *testing.T) {
	e := newEnv(t)
	a := e.area("Blåbærparken")
	if _, err := e.imp.Import(inputs(t, "youths.csv", "spells.csv")...); err != nil {
		t.Fatal(err)
	}
	if err := e.db.View(Check); err != nil {
		t.Fatalf("after import: %v", err)
	}
	e.db.Update(func(tx store.Tx) error {
		return store.PutJSON(tx, bucketExternal, []byte("GHOST"), externalRef{Youth: 999, Area: a.ID})
	})
	if err := e.db.View(Check); err == nil || !strings.Contains(err.Error(), "GHOST") {
		t.Errorf("check: %v", err)
	}
}

// TestImportCorrectsEvents: a later import that gives a youth's day and
// type other hours replaces what earlier imports left there (the old
// records are withdrawn, never edited); importing it again changes
// nothing; the programme's own records of that day are never touched.
func TestImportCorrectsEvents(t *testing.T) {
	e := newEnv(t)
	a := e.area("Blåbærparken")
	if _, err := e.imp.Import(inputs(t, "youths.csv", "events.csv")...); err != nil {
		t.Fatal(err)
	}
	h1 := e.ref("H-001")
	// A guidance session the programme recorded itself on the same day.
	if err := e.db.Update(func(tx store.Tx) error {
		_, _, err := participation.Append(tx, participation.Record{AreaID: a.ID, YouthID: h1.Youth, Date: "2019-09-03",
			Type: participation.GuidanceSession, Minutes: 30, Source: "guidance:1", At: e.now})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	minutes2019 := func() int {
		t.Helper()
		got := -1
		err := e.exp.EachPanelRow(Options{Areas: []uint64{a.ID}, FromYear: 2019, ToYear: 2019}, func(r PanelRow) error {
			if r.Gender == people.GenderFemale {
				got = r.Minutes
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := minutes2019(); got != 180+30 {
		t.Fatalf("2019 before the correction: %d minutes, want 210", got)
	}
	corrected := func() Input {
		return Input{Name: "rettet.csv", Data: strings.NewReader("external_id;date;type;hours\n" +
			"H-001;2019-09-03;guidance_session;2\n" + // was two sessions of 1,5 h
			"H-001;2020-01-10;lommepenge_task;2\n")} // as before
	}
	rep, err := e.imp.Import(corrected())
	if err != nil {
		t.Fatal(err)
	}
	if rep != (ImportReport{Events: 1, Unchanged: 1, Replaced: 2}) {
		t.Fatalf("correcting import: %+v, want 1 event, 1 unchanged, 2 replaced", rep)
	}
	if got := minutes2019(); got != 120+30 {
		t.Fatalf("2019 after the correction: %d minutes, want 150 (the programme's own 30 kept)", got)
	}
	before := dump(t, e)
	if rep, err := e.imp.Import(corrected()); err != nil || rep != (ImportReport{Unchanged: 2}) {
		t.Fatalf("the correction again: %+v, %v; want 2 unchanged", rep, err)
	}
	if dump(t, e) != before {
		t.Error("importing the correction again changed the store")
	}
	// The original file corrects it back; its rows come back as new records.
	if rep, err := e.imp.Import(inputs(t, "events.csv")...); err != nil || rep != (ImportReport{Events: 2, Unchanged: 2, Replaced: 1}) {
		t.Fatalf("the original again: %+v, %v; want 2 events, 2 unchanged, 1 replaced", rep, err)
	}
	if got := minutes2019(); got != 180+30 {
		t.Fatalf("2019 after the original again: %d minutes, want 210", got)
	}
	// The youth's own copy of their data shows every record, withdrawn ones marked.
	all, err := participation.Records(e.db, a.ID, h1.Youth)
	if err != nil {
		t.Fatal(err)
	}
	withdrawn := 0
	for _, r := range all {
		if r.Withdrawn != nil {
			withdrawn++
			if r.Source == "guidance:1" {
				t.Error("the programme's own record was withdrawn")
			}
		}
	}
	if len(all) != 7 || withdrawn != 3 {
		t.Errorf("the youth's copy: %d records, %d withdrawn; want 7 and 3", len(all), withdrawn)
	}
	if err := e.db.View(func(tx store.Tx) error { return errors.Join(participation.Check(tx), Check(tx)) }); err != nil {
		t.Errorf("invariants after corrections: %v", err)
	}
}

// TestImportCorrectsYouths: a later import corrects an imported youth's
// birth date, gender and registration day; importing it again changes
// nothing; an erased youth stays erased; a birth date that disagrees with
// a recorded CPR number refuses the whole import with a row error.
func TestImportCorrectsYouths(t *testing.T) {
	e := newEnv(t)
	a := e.area("Blåbærparken")
	if _, err := e.imp.Import(inputs(t, "youths.csv")...); err != nil {
		t.Fatal(err)
	}
	ref := e.ref
	youth := func(ext string) people.Youth {
		t.Helper()
		var y people.Youth
		if err := e.db.View(func(tx store.Tx) (err error) {
			y, err = e.ppl.YouthTx(tx, a.ID, ref(ext).Youth)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return y
	}
	file := func(rows ...string) Input {
		return Input{Name: "rettet.csv", Data: strings.NewReader("external_id,birth_date,gender,area,registration_date\n" + strings.Join(rows, "\n") + "\n")}
	}
	fix := "H-001,2008-05-02,andet,Blåbærparken,2019-08-20"
	rep, err := e.imp.Import(file(fix, "H-003,2009-01-30,,1,2020-02-01"))
	if err != nil || rep != (ImportReport{Corrected: 1, Unchanged: 1}) {
		t.Fatalf("correcting import: %+v, %v; want 1 corrected, 1 unchanged", rep, err)
	}
	y := youth("H-001")
	if y.BirthDate != (people.Date{Year: 2008, Month: 5, Day: 2}) || y.Gender != people.GenderOther ||
		people.DateOf(y.Created.In(people.Copenhagen)) != (people.Date{Year: 2019, Month: 8, Day: 20}) {
		t.Fatalf("after the correction: born %v, %s, registered %v", y.BirthDate, y.Gender, y.Created)
	}
	before := dump(t, e)
	if rep, err := e.imp.Import(file(fix)); err != nil || rep != (ImportReport{Unchanged: 1}) {
		t.Fatalf("the correction again: %+v, %v; want 1 unchanged", rep, err)
	}
	if dump(t, e) != before {
		t.Error("importing the correction again changed the store")
	}

	// An erased youth: an old spreadsheet brings nothing back.
	if err := e.ppl.EraseYouth(a.ID, ref("H-002").Youth, 0); err != nil {
		t.Fatal(err)
	}
	if rep, err := e.imp.Import(file("H-002,12-12-2007,pige,Blåbærparken,01-09-2019")); err != nil || rep != (ImportReport{Unchanged: 1}) {
		t.Fatalf("erased youth: %+v, %v; want 1 unchanged", rep, err)
	}
	if y := youth("H-002"); !y.BirthDate.IsZero() {
		t.Fatalf("an import brought an erased youth's birth date back: %v", y.BirthDate)
	}

	// A recorded CPR number holds the birth date.
	if err := e.ppl.SetCPR(a.ID, ref("H-003").Youth, "300109-4321"); err != nil {
		t.Fatal(err)
	}
	before = dump(t, e)
	_, err = e.imp.Import(file(fix, "H-003,2009-01-31,,1,2020-02-01"))
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 3 || ie.Rows[0].Column != "birth_date" || ie.Rows[0].Code != RowBirthDateCPR {
		t.Fatalf("birth date against the CPR number: %v, want one row error on line 3", err)
	}
	if dump(t, e) != before {
		t.Error("a refused import changed the store")
	}
	if err := e.db.View(func(tx store.Tx) error { return errors.Join(people.Check(tx), Check(tx)) }); err != nil {
		t.Errorf("invariants after corrections: %v", err)
	}
}

// TestReimportProperty: after any sequence of event files, what counts for
// each youth, day and type is the rows of the newest file that named that
// youth, day and type; days no file named since keep theirs; importing the
// same file again changes nothing; the store's invariants hold throughout.
func TestReimportProperty(t *testing.T) {
	e := newEnv(t)
	a := e.area("Blåbærparken")
	if _, err := e.imp.Import(inputs(t, "youths.csv")...); err != nil {
		t.Fatal(err)
	}
	exts := []string{"H-001", "H-002"}
	youthOf := map[uint64]string{}
	for _, ext := range exts {
		youthOf[e.ref(ext).Youth] = ext
	}
	dates := []string{"2020-03-02", "2020-03-03", "2021-06-01"}
	types := []participation.Type{participation.GuidanceSession, participation.CVWorkshop}
	hours := map[int]string{0: "0", 30: "0,5", 60: "1", 90: "1,5"}
	rng := rand.New(rand.NewPCG(7, 11))
	want := map[string][]int{} // "ext date type" -> sorted minutes
	for round := range 60 {
		var b strings.Builder
		b.WriteString("external_id;date;type;hours\n")
		named := map[string][]int{}
		for range rng.IntN(6) {
			ext, d, ty := exts[rng.IntN(2)], dates[rng.IntN(3)], types[rng.IntN(2)]
			m := []int{0, 30, 60, 90}[rng.IntN(4)]
			fmt.Fprintf(&b, "%s;%s;%s;%s\n", ext, d, ty, hours[m])
			k := ext + " " + d + " " + string(ty)
			named[k] = append(named[k], m)
		}
		file := b.String()
		if _, err := e.imp.Import(Input{Name: "f.csv", Data: strings.NewReader(file)}); err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, file)
		}
		for k, ms := range named {
			slices.Sort(ms)
			want[k] = ms
		}
		got := map[string][]int{}
		if err := e.db.View(func(tx store.Tx) error {
			for y, ext := range youthOf {
				if err := participation.ForYouth(tx, a.ID, y, func(r participation.Record) error {
					k := ext + " " + r.Date + " " + string(r.Type)
					got[k] = append(got[k], r.Minutes)
					return nil
				}); err != nil {
					return err
				}
			}
			return errors.Join(participation.Check(tx), Check(tx))
		}); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		for k := range got {
			slices.Sort(got[k])
		}
		for k := range want {
			if len(want[k]) == 0 {
				delete(want, k)
			}
		}
		if !maps.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("round %d: counted %v, want %v\nfile:\n%s", round, got, want, file)
		}
		before := dump(t, e)
		if rep, err := e.imp.Import(Input{Name: "f.csv", Data: strings.NewReader(file)}); err != nil || rep.Events != 0 || rep.Replaced != 0 {
			t.Fatalf("round %d: the same file again: %+v, %v", round, rep, err)
		}
		if dump(t, e) != before {
			t.Fatalf("round %d: the same file again changed the store", round)
		}
	}
}

// ref is where an import put the youth with external ID ext.
func (e *env) ref(ext string) externalRef {
	e.t.Helper()
	var r externalRef
	if err := e.db.View(func(tx store.Tx) (err error) {
		r, _, err = store.GetJSON[externalRef](tx, bucketExternal, []byte(ext))
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return r
}
