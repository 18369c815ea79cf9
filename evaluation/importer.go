package evaluation

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"fritidsjob/fault"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// Input is one CSV file to import.
type Input struct {
	Name string
	Data io.Reader
}

// RowError is one bad row: the file, its line (1 = the header), the
// column (empty: the whole row) and why, as a stable, language-neutral
// Code (one of the Row* codes) with Args as its values (a count as an
// int, other numbers as strings). The UI says it in the reader's
// language under the key "evalx.row.<Code>"; a code whose first value is
// a count has plural forms.
type RowError struct {
	File   string
	Line   int
	Column string
	Code   string
	Args   []any
}

// The codes of a bad row, with the values each carries in Args.
const (
	RowFileTooLarge          = "file_too_large"
	RowCSVInvalid            = "csv_invalid"       // a row is not valid CSV (quotes)
	RowHeaderUnreadable      = "header_unreadable" // no header line
	RowColumnDuplicate       = "column_duplicate"
	RowKindUnknown           = "kind_unknown" // the header fits no kind of file
	RowColumnMissing         = "column_missing"
	RowColumnUnknown         = "column_unknown"
	RowFieldCount            = "field_count" // the row's fields, the header's
	RowRequired              = "required"
	RowExternalIDCPR         = "external_id_cpr" // looks like a CPR number
	RowExternalIDFormat      = "external_id_format"
	RowExternalIDDuplicate   = "external_id_duplicate"  // the first one's line number, as a string
	RowExternalIDOtherArea   = "external_id_other_area" // the external_id
	RowYouthUnknown          = "youth_unknown"          // an event's or spell's youth
	RowDateInvalid           = "date_invalid"
	RowDateFuture            = "date_future"
	RowRegisteredBeforeBirth = "registered_before_birth"
	RowAgeRange              = "age_range"      // age at registration outside 6–30
	RowBirthDateCPR          = "birth_date_cpr" // disagrees with the youth's CPR number
	RowGenderUnknown         = "gender_unknown"
	RowAreaUnknown           = "area_unknown"
	RowTypeUnknown           = "type_unknown"
	RowHoursInvalid          = "hours_invalid"
	RowEndBeforeStart        = "end_before_start"
	RowIndustryInvalid       = "industry_invalid"
)

// RowErrorCodes lists every Code a RowError can carry, so the UI can check
// that each has a message in every language.
func RowErrorCodes() []string {
	return []string{RowFileTooLarge, RowCSVInvalid, RowHeaderUnreadable, RowColumnDuplicate, RowKindUnknown,
		RowColumnMissing, RowColumnUnknown, RowFieldCount, RowRequired, RowExternalIDCPR, RowExternalIDFormat,
		RowExternalIDDuplicate, RowExternalIDOtherArea, RowYouthUnknown, RowDateInvalid, RowDateFuture,
		RowRegisteredBeforeBirth, RowAgeRange, RowBirthDateCPR, RowGenderUnknown, RowAreaUnknown,
		RowTypeUnknown, RowHoursInvalid, RowEndBeforeStart, RowIndustryInvalid}
}

// String is the row for logs, with its code, not a sentence:
// "youths.csv:3: birth_date: date_invalid"; the UI translates.
func (e RowError) String() string {
	s := e.File + ":" + strconv.Itoa(e.Line) + ": "
	if e.Column != "" {
		s += e.Column + ": "
	}
	s += e.Code
	if len(e.Args) > 0 {
		s += fmt.Sprint(e.Args)
	}
	return s
}

// MaxRowErrors is how many bad rows a refused import lists; the rest are
// only counted, so a file of 90,000 bad rows gives a short report (it gave
// a 59 MB page) and keeps little in memory.
const MaxRowErrors = 100

// ImportError refuses an import: nothing was imported. It lists the first
// MaxRowErrors bad rows, in the order of the files, and counts them all.
// It unwraps to ErrImport.
type ImportError struct {
	Rows  []RowError
	Total int // every bad row found, listed or not
}

// ErrImport is what every *ImportError unwraps to: invalid input.
var ErrImport = fault.New(fault.Invalid, "evaluation.import_refused")

// Unwrap makes errors.Is(err, ErrImport) true.
func (e *ImportError) Unwrap() error { return ErrImport }

// Error summarises the refusal with the total and the first five rows.
func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "import refused: %d bad rows", e.Total)
	for i, r := range e.Rows {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(r.String())
	}
	return b.String()
}

// rowErrors collects the bad rows of an import: the first MaxRowErrors
// and the count of all.
type rowErrors struct {
	rows  []RowError
	total int
}

func (r *rowErrors) add(e RowError) {
	r.total++
	if len(r.rows) < MaxRowErrors {
		r.rows = append(r.rows, e)
	}
}

// err is the *ImportError for the rows collected, or nil when none.
func (r *rowErrors) err() error {
	if r.total == 0 {
		return nil
	}
	return &ImportError{Rows: r.rows, Total: r.total}
}

// ImportReport counts what an import added; Unchanged counts rows that
// were already there (a re-import), Corrected the youths already there
// whose birth date, gender or registration day this import corrected, and
// Replaced the events of earlier imports that this one corrected
// (withdrawn, see importEvents).
type ImportReport struct {
	Youths, Events, Spells int
	Unchanged              int
	Corrected              int
	Replaced               int
}

// Importer reads a programme's history from CSV into the store.
type Importer struct {
	db     store.DB
	people *people.Service
	now    func() time.Time
}

// NewImporter returns an Importer; now is the clock (time.Now when nil).
func NewImporter(db store.DB, ppl *people.Service, now func() time.Time) *Importer {
	if now == nil {
		now = time.Now
	}
	return &Importer{db: db, people: ppl, now: now}
}

// maxImportFile bounds one import file; a file is validated in memory.
const maxImportFile = 256 << 20

// File kinds and their columns.
const (
	kindYouths = "youths"
	kindEvents = "events"
	kindSpells = "spells"
)

var kindColumns = map[string]struct{ required, optional []string }{
	kindYouths: {required: []string{"external_id", "birth_date", "gender", "area", "registration_date"}},
	kindEvents: {required: []string{"external_id", "date", "type"}, optional: []string{"hours"}},
	kindSpells: {required: []string{"external_id", "start"}, optional: []string{"end", "industry"}},
}

// plan is what a set of files would import, after validation.
type plan struct {
	youths []plannedYouth
	events []plannedEvent
	spells []plannedSpell
}

type plannedYouth struct {
	ext        string
	area       uint64
	birth      people.Date
	gender     people.Gender
	registered people.Date
	line       int
	file       string
}

type plannedEvent struct {
	ext     string
	date    people.Date
	typ     participation.Type
	minutes int
	n       int // occurrence of the same event in the file, for its source
	line    int
	file    string
}

type plannedSpell struct {
	ext      string
	start    people.Date
	end      *people.Date
	industry string
	n        int
	line     int
	file     string
}

// Import validates every row of every file and imports all of them in one
// transaction, or nothing: when any row is bad it returns an *ImportError
// listing the first MaxRowErrors and counting all. Youths come first, so events and spells may name youths
// of the same import.
// Refuses with an *ImportError (ErrImport).
func (im *Importer) Import(inputs ...Input) (ImportReport, error) {
	areas, err := im.people.Areas()
	if err != nil {
		return ImportReport{}, fmt.Errorf("import: %w", err)
	}
	p, bad, err := im.readFiles(inputs, areaFinder(areas))
	if err != nil {
		return ImportReport{}, err
	}
	// External IDs named by events and spells must be youths of this
	// import or known from an earlier one.
	if err := im.checkExternalIDs(&p, &bad); err != nil {
		return ImportReport{}, fmt.Errorf("import: %w", err)
	}
	if err := bad.err(); err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	err = im.db.Update(func(tx store.Tx) error {
		rep = ImportReport{}
		return im.apply(tx, &p, &rep)
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("import: %w", err)
	}
	return rep, nil
}

// areaFinder finds an area of areas by its name (any case) or its number.
func areaFinder(areas []people.Area) func(string) (uint64, bool) {
	return func(s string) (uint64, bool) {
		s = strings.TrimSpace(s)
		for _, a := range areas {
			if strings.EqualFold(a.Name, s) || strconv.FormatUint(a.ID, 10) == s {
				return a.ID, true
			}
		}
		return 0, false
	}
}

// readFiles reads and validates every input into one plan, collecting the
// bad rows; it fails only when an input cannot be read.
func (im *Importer) readFiles(inputs []Input, findArea func(string) (uint64, bool)) (plan, rowErrors, error) {
	var p plan
	var bad rowErrors
	today := people.DateOf(im.now().In(people.Copenhagen))
	for _, in := range inputs {
		data, err := io.ReadAll(io.LimitReader(in.Data, maxImportFile+1))
		if err != nil {
			return plan{}, rowErrors{}, fmt.Errorf("import %s: %w", in.Name, err)
		}
		if len(data) > maxImportFile {
			bad.add(RowError{File: in.Name, Line: 1, Code: RowFileTooLarge})
			continue
		}
		parseFile(in.Name, data, findArea, today, &p, &bad)
	}
	return p, bad, nil
}

// checkExternalIDs adds to bad the rows whose external IDs the store
// refuses: a youth known in another area, and events and spells naming a
// youth that is neither in this import nor known from an earlier one.
func (im *Importer) checkExternalIDs(p *plan, bad *rowErrors) error {
	inFile := map[string]bool{}
	for _, y := range p.youths {
		inFile[y.ext] = true
	}
	return im.db.View(func(tx store.Tx) error {
		for _, y := range p.youths {
			ref, ok, err := store.GetJSON[externalRef](tx, bucketExternal, []byte(y.ext))
			if err != nil {
				return err
			}
			if ok && ref.Area != y.area {
				bad.add(RowError{File: y.file, Line: y.line, Column: "external_id", Code: RowExternalIDOtherArea, Args: []any{y.ext}})
			}
		}
		check := func(file string, line int, ext string) error {
			if inFile[ext] {
				return nil
			}
			v, err := tx.Get(bucketExternal, []byte(ext))
			if err != nil {
				return err
			}
			if v == nil {
				bad.add(RowError{File: file, Line: line, Column: "external_id", Code: RowYouthUnknown})
			}
			return nil
		}
		for _, e := range p.events {
			if err := check(e.file, e.line, e.ext); err != nil {
				return err
			}
		}
		for _, s := range p.spells {
			if err := check(s.file, s.line, s.ext); err != nil {
				return err
			}
		}
		return nil
	})
}

// apply writes a validated plan inside tx: youths first, then events by
// youth, day and type, then spells, counting into rep.
func (im *Importer) apply(tx store.Tx, p *plan, rep *ImportReport) error {
	refs := map[string]externalRef{}
	if err := im.importYouths(tx, p.youths, refs, rep); err != nil {
		return err
	}
	lookup := func(ext string) (externalRef, error) {
		if r, ok := refs[ext]; ok {
			return r, nil
		}
		r, ok, err := store.GetJSON[externalRef](tx, bucketExternal, []byte(ext))
		if err == nil && !ok {
			err = fmt.Errorf("external_id %s vanished", ext)
		}
		refs[ext] = r
		return r, err
	}
	at := im.now().UTC()
	for _, g := range eventGroups(p.events) {
		ref, err := lookup(g[0].ext)
		if err != nil {
			return err
		}
		if err := importEvents(tx, ref, g, at, rep); err != nil {
			return err
		}
	}
	for _, s := range p.spells {
		ref, err := lookup(s.ext)
		if err != nil {
			return err
		}
		if err := importSpell(tx, ref, s, rep); err != nil {
			return err
		}
	}
	return nil
}

// importYouths creates the youths new to the store and corrects the known
// ones, recording each one's reference in refs. A birth date that
// disagrees with a known youth's CPR number refuses the import.
func (im *Importer) importYouths(tx store.Tx, youths []plannedYouth, refs map[string]externalRef, rep *ImportReport) error {
	var disagree rowErrors
	for _, y := range youths {
		ref, ok, err := store.GetJSON[externalRef](tx, bucketExternal, []byte(y.ext))
		if err != nil {
			return err
		}
		reg := time.Date(y.registered.Year, y.registered.Month, y.registered.Day, 12, 0, 0, 0, people.Copenhagen)
		if ok {
			refs[y.ext] = ref
			changed, err := im.people.CorrectImportedYouthTx(tx, ref.Area, ref.Youth, y.birth, y.gender, reg)
			switch {
			case errors.Is(err, people.ErrCPRDisagrees):
				disagree.add(RowError{File: y.file, Line: y.line, Column: "birth_date", Code: RowBirthDateCPR})
			case err != nil:
				return fmt.Errorf("youth %s: %w", y.ext, err)
			case changed:
				rep.Corrected++
			default:
				rep.Unchanged++
			}
			continue
		}
		id, err := im.people.CreateYouthTx(tx, y.area, "Importeret "+y.ext,
			people.Youth{BirthDate: y.birth, Gender: y.gender, Created: reg})
		if err != nil {
			return fmt.Errorf("youth %s: %w", y.ext, err)
		}
		ref = externalRef{Youth: id, Area: y.area}
		if err := store.PutJSON(tx, bucketExternal, []byte(y.ext), ref); err != nil {
			return err
		}
		refs[y.ext] = ref
		rep.Youths++
	}
	return disagree.err()
}

// importSpell stores spell s of youth ref, unless the same spell is
// already there.
func importSpell(tx store.Tx, ref externalRef, s plannedSpell, rep *ImportReport) error {
	key := store.Key(ref.Area, ref.Youth, s.start.String(), uint64(s.n))
	val := importedSpell{YouthID: ref.Youth, Start: s.start, End: s.end, Industry: s.industry}
	old, ok, err := store.GetJSON[importedSpell](tx, bucketImportedSpells, key)
	if err != nil {
		return err
	}
	if ok && sameSpell(old, val) {
		rep.Unchanged++
		return nil
	}
	if err := store.PutJSON(tx, bucketImportedSpells, key, val); err != nil {
		return err
	}
	rep.Spells++
	return nil
}

// eventGroups groups events by youth, day and type, in the order the
// groups first appear.
func eventGroups(events []plannedEvent) [][]plannedEvent {
	var groups [][]plannedEvent
	at := map[string]int{}
	for _, e := range events {
		k := eventPrefix(e)
		i, ok := at[k]
		if !ok {
			i = len(groups)
			at[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], e)
	}
	return groups
}

// eventPrefix is the start of the source of every imported event of e's
// youth, day and type. external_id, date and type hold no ':', so one
// group's prefix never starts another's.
func eventPrefix(e plannedEvent) string {
	return "import:" + e.ext + ":" + e.date.String() + ":" + string(e.typ) + ":"
}

// importEvents makes rows, all of one youth, day and type, what counts
// for that youth, day and type among imported events. When the events
// earlier imports left there have the same hours, nothing changes (a
// re-import). Otherwise the rows correct them: the earlier events are
// withdrawn (participation records are never edited) and the rows added.
// Events the programme recorded itself are never touched.
func importEvents(tx store.Tx, ref externalRef, rows []plannedEvent, at time.Time, rep *ImportReport) error {
	prefix := eventPrefix(rows[0])
	var live []participation.Record
	taken := map[string]bool{}
	err := participation.BySourcePrefix(tx, ref.Area, prefix, func(r participation.Record, withdrawn bool) error {
		taken[r.Source] = true
		if !withdrawn {
			live = append(live, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if sameMinutes(live, rows) {
		rep.Unchanged += len(rows)
		return nil
	}
	for _, r := range live {
		if err := participation.Withdraw(tx, r, "corrected by a later import", at); err != nil {
			return err
		}
	}
	rep.Replaced += len(live)
	for _, e := range rows {
		src := fmt.Sprintf("%s%d:%d", prefix, e.minutes, e.n)
		for k := 2; taken[src]; k++ { // the same row came back after a correction
			src = fmt.Sprintf("%s%d:%d:%d", prefix, e.minutes, e.n, k)
		}
		taken[src] = true
		if _, _, err := participation.Append(tx, participation.Record{AreaID: ref.Area, YouthID: ref.Youth,
			Date: e.date.String(), Type: e.typ, Minutes: e.minutes, Source: src, At: at,
			Attrs: map[string]string{"imported": "1"}}); err != nil {
			return fmt.Errorf("event %s line %d: %w", e.file, e.line, err)
		}
		rep.Events++
	}
	return nil
}

// sameMinutes reports whether records and rows hold the same hours, as
// multisets.
func sameMinutes(records []participation.Record, rows []plannedEvent) bool {
	if len(records) != len(rows) {
		return false
	}
	count := map[int]int{}
	for _, r := range records {
		count[r.Minutes]++
	}
	for _, e := range rows {
		if count[e.minutes]--; count[e.minutes] < 0 {
			return false
		}
	}
	return true
}

// Decode returns data as UTF-8: unchanged (without a BOM) when it is valid
// UTF-8, else read as Windows-1252, the encoding Danish Excel saves "CSV"
// in. Any byte sequence is valid Windows-1252 (undefined bytes map to
// their C1 controls), so this never fails.
func Decode(data []byte) ([]byte, string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return data, "UTF-8"
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // cannot happen for a single-byte charmap; keep the bytes
		return data, "UTF-8"
	}
	return out, "Windows-1252"
}

// Sniff returns the delimiter of a CSV file from its header line: ';'
// when it has more semicolons than commas outside quotes, else ','.
func Sniff(data []byte) rune {
	line := data
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		line = data[:i]
	}
	commas, semis, quoted := 0, 0, false
	for _, c := range line {
		switch c {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				commas++
			}
		case ';':
			if !quoted {
				semis++
			}
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

var extIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,40}$`)
var cprLike = regexp.MustCompile(`^\d{6}-?\d{4}$`)

// parseFile validates one file and adds its good rows to p and its bad
// rows to bad. It never touches the store, so it can be fuzzed.
func parseFile(name string, raw []byte, findArea func(string) (uint64, bool), today people.Date, p *plan, bad *rowErrors) {
	data, _ := Decode(raw)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = Sniff(data)
	r.FieldsPerRecord = -1
	fp := &fileParser{name: name, findArea: findArea, today: today, p: p, bad: bad,
		seenExt: map[string]int{}, occurrences: map[string]int{}}
	fail := fp.fail
	if !fp.readHeader(r) {
		return
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			fail(max(line, 1), "", RowCSVInvalid)
			return
		}
		line, _ := r.FieldPos(0)
		fp.parseRow(line, rec)
	}
}

// fileParser is parseFile's state: the file, its columns and kind, the
// import's bad rows and what the file's rows seen so far hold.
type fileParser struct {
	name     string
	findArea func(string) (uint64, bool)
	today    people.Date
	p        *plan
	bad      *rowErrors
	header   []string
	cols     map[string]int // column name → index
	kind     string
	// seenExt is the line of each youth's external_id; occurrences counts
	// equal events and spells, numbering their sources.
	seenExt, occurrences map[string]int
}

// fail refuses the file's line at column col (empty: the whole row) with
// code and its values.
func (fp *fileParser) fail(line int, col, code string, args ...any) {
	fp.bad.add(RowError{File: fp.name, Line: line, Column: col, Code: code, Args: args})
}

// readHeader reads the header line, tells the file's kind from it and
// checks its columns; it reports false when the rows cannot be read.
func (fp *fileParser) readHeader(r *csv.Reader) bool {
	fail := fp.fail
	badBefore := fp.bad.total
	header, err := r.Read()
	if err != nil {
		fail(1, "", RowHeaderUnreadable)
		return false
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := cols[h]; dup {
			fail(1, h, RowColumnDuplicate)
		}
		cols[h] = i
	}
	fp.header, fp.cols = header, cols
	switch {
	case has(cols, "birth_date"):
		fp.kind = kindYouths
	case has(cols, "type"):
		fp.kind = kindEvents
	case has(cols, "start"):
		fp.kind = kindSpells
	default:
		fail(1, "", RowKindUnknown)
		return false
	}
	spec := kindColumns[fp.kind]
	for _, c := range spec.required {
		if !has(cols, c) {
			fail(1, c, RowColumnMissing)
		}
	}
	for c := range cols {
		if !contains(spec.required, c) && !contains(spec.optional, c) {
			fail(1, c, RowColumnUnknown)
		}
	}
	return fp.bad.total == badBefore
}

// parseRow validates the row at line and, when it is good, adds it to
// the plan.
func (fp *fileParser) parseRow(line int, rec []string) {
	fail := fp.fail
	if len(rec) != len(fp.header) {
		fail(line, "", RowFieldCount, len(rec), len(fp.header))
		return
	}
	row := csvRow{fp: fp, line: line, rec: rec, before: fp.bad.total}
	ext := row.get("external_id")
	switch {
	case ext == "":
		fail(line, "external_id", RowRequired)
	case cprLike.MatchString(ext):
		fail(line, "external_id", RowExternalIDCPR)
	case !extIDPattern.MatchString(ext):
		fail(line, "external_id", RowExternalIDFormat)
	}
	switch fp.kind {
	case kindYouths:
		row.youth(ext)
	case kindEvents:
		row.event(ext)
	case kindSpells:
		row.spell(ext)
	}
}

// csvRow is one data row of a file being parsed.
type csvRow struct {
	fp     *fileParser
	line   int
	rec    []string
	before int // bad rows before this one: the row is good if none are added
}

// good reports whether nothing in the row was refused.
func (row csvRow) good() bool { return row.fp.bad.total == row.before }

// get is the trimmed value of column c ("" when the file has none).
func (row csvRow) get(c string) string {
	if i, ok := row.fp.cols[c]; ok {
		return strings.TrimSpace(row.rec[i])
	}
	return ""
}

// date reads column col as a date not in the future; ok is false when
// it is empty or refused.
func (row csvRow) date(col string, required bool) (people.Date, bool) {
	fail, line, today := row.fp.fail, row.line, row.fp.today
	s := row.get(col)
	if s == "" {
		if required {
			fail(line, col, RowRequired)
		}
		return people.Date{}, false
	}
	d, ok := parseDate(s)
	if !ok {
		fail(line, col, RowDateInvalid)
		return people.Date{}, false
	}
	if today.Before(d) {
		fail(line, col, RowDateFuture)
		return people.Date{}, false
	}
	return d, true
}

// youth validates a youths row and plans the youth.
func (row csvRow) youth(ext string) {
	fp, fail, line, get, date := row.fp, row.fp.fail, row.line, row.get, row.date
	if n, dup := fp.seenExt[ext]; dup && ext != "" {
		fail(line, "external_id", RowExternalIDDuplicate, strconv.Itoa(n))
	}
	fp.seenExt[ext] = line
	birth, okB := date("birth_date", true)
	reg, okR := date("registration_date", true)
	if okB && okR {
		if reg.Before(birth) {
			fail(line, "registration_date", RowRegisteredBeforeBirth)
		} else if age := birth.AgeOn(reg); age < 6 || age > 30 {
			fail(line, "birth_date", RowAgeRange)
		}
	}
	g, okG := parseGender(get("gender"))
	if !okG {
		fail(line, "gender", RowGenderUnknown)
	}
	area, okA := fp.findArea(get("area"))
	if !okA {
		fail(line, "area", RowAreaUnknown)
	}
	if row.good() {
		fp.p.youths = append(fp.p.youths, plannedYouth{ext: ext, area: area, birth: birth, gender: g, registered: reg, line: line, file: fp.name})
	}
}

// event validates an events row and plans the event.
func (row csvRow) event(ext string) {
	fp, fail, line, get := row.fp, row.fp.fail, row.line, row.get
	d, _ := row.date("date", true)
	t := participation.Type(strings.ToLower(get("type")))
	if !t.Valid() {
		fail(line, "type", RowTypeUnknown)
	}
	minutes, ok := parseHours(get("hours"))
	if !ok {
		fail(line, "hours", RowHoursInvalid)
	}
	if row.good() {
		k := fmt.Sprint(ext, d, t, minutes)
		fp.occurrences[k]++
		fp.p.events = append(fp.p.events, plannedEvent{ext: ext, date: d, typ: t, minutes: minutes, n: fp.occurrences[k], line: line, file: fp.name})
	}
}

// spell validates a spells row and plans the spell.
func (row csvRow) spell(ext string) {
	fp, fail, line, get, date := row.fp, row.fp.fail, row.line, row.get, row.date
	start, okS := date("start", true)
	var end *people.Date
	if e, ok := date("end", false); ok {
		if okS && e.Before(start) {
			fail(line, "end", RowEndBeforeStart)
		}
		end = &e
	}
	industry, code := people.CleanText(get("industry"), 60, false, false)
	if code != "" {
		fail(line, "industry", RowIndustryInvalid)
	}
	if row.good() {
		k := fmt.Sprint(ext, start)
		fp.occurrences[k]++
		fp.p.spells = append(fp.p.spells, plannedSpell{ext: ext, start: start, end: end, industry: industry, n: fp.occurrences[k], line: line, file: fp.name})
	}
}

func has(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// parseDate reads YYYY-MM-DD or DD-MM-YYYY (also with "." or "/").
func parseDate(s string) (people.Date, bool) {
	s = strings.NewReplacer(".", "-", "/", "-").Replace(s)
	for _, layout := range []string{"2006-01-02", "02-01-2006", "2-1-2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1900 {
			return people.DateOf(t), true
		}
	}
	return people.Date{}, false
}

func parseGender(s string) (people.Gender, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "unknown", "ukendt", "u":
		return people.GenderUnknown, true
	case "female", "pige", "kvinde", "k", "f":
		return people.GenderFemale, true
	case "male", "dreng", "mand", "m":
		return people.GenderMale, true
	case "other", "andet", "a":
		return people.GenderOther, true
	}
	return "", false
}

// parseHours reads hours with a decimal comma or point (0–24) as minutes.
func parseHours(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || f < 0 || f > 24 || f != f {
		return 0, false
	}
	return int(f*60 + 0.5), true
}
