package evaluation

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// Actor is who asks for an export, for the access log.
type Actor struct {
	ID   uint64
	Role string // "evaluator", "admin", "system"...
}

// ExportFiles are the files of the evaluator ZIP, in order.
var ExportFiles = []string{"persons.csv", "panel.csv", "events.csv", "counts.csv", "datapackage.json", "LAESMIG.txt", "README.txt"}

// Prepared is an export that has been checked and written to the access
// log, ready to stream: an HTTP handler prepares before it sends the
// status line, so a refusal still gets a proper error page.
type Prepared struct {
	write func(io.Writer) error
}

// Stream writes the export to w.
func (p *Prepared) Stream(w io.Writer) error { return p.write(w) }

// WriteZIP prepares (checks and logs) the evaluator ZIP for o and streams
// it to w; see PrepareZIP.
// Refuses with ErrOptions.
func (e *Exporter) WriteZIP(w io.Writer, o Options, by Actor) error {
	p, err := e.PrepareZIP(o, by)
	if err != nil {
		return err
	}
	return p.Stream(w)
}

// PrepareZIP checks o, logs the export in the access log and returns the
// evaluator ZIP ready to stream: persons.csv, panel.csv, events.csv,
// counts.csv, datapackage.json, LAESMIG.txt and README.txt. The files are
// produced one youth at a time from one read transaction, so memory stays
// flat however many rows there are. Nothing in them names, contacts or
// dates the birth of a youth: pseudonyms, birth years, codes and numbers
// only.
// Refuses with ErrOptions.
func (e *Exporter) PrepareZIP(o Options, by Actor) (*Prepared, error) {
	o, ps, areas, err := e.prepare(o, by, "evaluation_export")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return &Prepared{write: func(w io.Writer) error { return e.writeZIP(w, o, ps, areas) }}, nil
}

// prepare is what every export does before its first byte: check o, take
// the current export key, read o's areas (each must exist) and write the
// export to the access log as what.
func (e *Exporter) prepare(o Options, by Actor, what string) (Options, *Pseudonymizer, []people.Area, error) {
	o, err := o.normalize()
	if err != nil {
		return o, nil, nil, err
	}
	ps, err := e.keys.Current()
	if err != nil {
		return o, nil, nil, err
	}
	areas := make([]people.Area, 0, len(o.Areas))
	for _, id := range o.Areas {
		a, err := e.people.Area(id)
		if err != nil {
			return o, nil, nil, err
		}
		areas = append(areas, a)
	}
	entry := people.AccessEntry{ActorID: by.ID, ActorRole: by.Role, Action: people.AccessExport,
		What: what, Detail: o.String() + " key=" + ps.Fingerprint()}
	if len(o.Areas) == 1 {
		entry.AreaID = o.Areas[0]
	}
	if err := e.people.LogAccess(entry); err != nil {
		return o, nil, nil, fmt.Errorf("log access: %w", err)
	}
	return o, ps, areas, nil
}

// writeZIP streams the evaluator ZIP to w: the row files from one read
// transaction, then the counts, the data package and the two readmes.
func (e *Exporter) writeZIP(w io.Writer, o Options, ps *Pseudonymizer, areas []people.Area) error {
	now := e.now()
	z := newZipFiles(w, now)
	res := resources(o)
	counts := areaYearCounts{}
	err := e.db.View(func(tx store.Tx) error { return e.writeRowFiles(tx, z, o, ps, res, counts) })
	if err != nil {
		return err
	}
	if err := z.write("counts.csv", func(bw *bufio.Writer) error {
		if err := writeCounts(bw, o, counts, columns(res[3])); err != nil {
			return fmt.Errorf("counts.csv: %w", err)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := z.write("datapackage.json", func(bw *bufio.Writer) error {
		return writeDataPackage(bw, o, ps.Fingerprint(), now)
	}); err != nil {
		return err
	}
	for _, lang := range []string{"da", "en"} {
		name := "LAESMIG.txt"
		if lang == "en" {
			name = "README.txt"
		}
		if err := z.write(name, func(bw *bufio.Writer) error {
			_, err := io.WriteString(bw, readme(lang, o, areas, ps.Fingerprint(), now))
			return err
		}); err != nil {
			return err
		}
	}
	if err := z.zw.Close(); err != nil {
		return fmt.Errorf("export: close zip: %w", err)
	}
	return nil
}

// writeRowFiles writes persons.csv, panel.csv and events.csv from tx,
// counting the panel's registered rows per area and year into counts.
func (e *Exporter) writeRowFiles(tx store.Tx, z *zipFiles, o Options, ps *Pseudonymizer, res []Resource, counts areaYearCounts) error {
	if err := z.write("persons.csv", func(bw *bufio.Writer) error {
		if err := e.writePersons(tx, bw, o, ps, columns(res[0])); err != nil {
			return fmt.Errorf("persons.csv: %w", err)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := z.write("panel.csv", func(bw *bufio.Writer) error {
		pw, err := NewPanelWriter(bw)
		if err != nil {
			return err
		}
		err = e.panel(tx, o, ps, func(r PanelRow) error {
			counts.add(r)
			return pw.Write(r)
		})
		if err != nil {
			return fmt.Errorf("panel.csv: %w", err)
		}
		return pw.Flush()
	}); err != nil {
		return err
	}
	return z.write("events.csv", func(bw *bufio.Writer) error {
		if err := e.writeEvents(tx, bw, o, ps, columns(res[2])); err != nil {
			return fmt.Errorf("events.csv: %w", err)
		}
		return nil
	})
}

// areaYearCounts counts registered youths, participants and youths with
// a leisure job per area and year.
type areaYearCounts map[[2]uint64]*[3]int

// add counts panel row r when its youth was registered.
func (counts areaYearCounts) add(r PanelRow) {
	if !r.Registered {
		return
	}
	k := [2]uint64{r.AreaID, uint64(r.Year)}
	c := counts[k]
	if c == nil {
		c = new([3]int)
		counts[k] = c
	}
	c[0]++
	if r.Participated {
		c[1]++
	}
	if r.HasLeisureJob {
		c[2]++
	}
}

// zipFiles writes the files of a ZIP, each deflated at BestSpeed and
// stamped with one time.
type zipFiles struct {
	zw  *zip.Writer
	now time.Time
}

// newZipFiles starts a ZIP on w whose files are stamped now.
func newZipFiles(w io.Writer, now time.Time) *zipFiles {
	zw := zip.NewWriter(w)
	// BestSpeed: the CSVs compress about 7:1 even so, at several times
	// the speed of the default level.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return &zipFiles{zw: zw, now: now}
}

// write adds file name, fills it with fn and flushes it.
func (z *zipFiles) write(name string, fn func(*bufio.Writer) error) error {
	f, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.now})
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	bw := bufio.NewWriterSize(f, 32<<10)
	if err := fn(bw); err != nil {
		return err
	}
	return bw.Flush()
}

func (e *Exporter) writePersons(tx store.Tx, w io.Writer, o Options, ps *Pseudonymizer, header []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	idx := map[participation.Type]int{}
	for i, t := range AllTypes {
		idx[t] = i
	}
	n := make([]int, len(AllTypes))
	mins := make([]int, len(AllTypes))
	row := make([]string, len(header))
	err := e.eachYouth(tx, o, func(y *youth) error {
		clear(n)
		clear(mins)
		for _, r := range y.records {
			if yr := yearOf(r.Date); yr >= o.FromYear && yr <= o.ToYear {
				n[idx[r.Type]]++
				mins[idx[r.Type]] += r.Minutes
			}
		}
		row = row[:0]
		birth := ""
		if y.birthYear != 0 {
			birth = strconv.Itoa(y.birthYear)
		}
		id := ps.ID(y.id)
		row = append(row, id, strconv.FormatInt(NumericID(id), 10), strconv.FormatUint(y.area, 10), birth, string(y.gender),
			groupOf(y.firstTreat != 0), strconv.Itoa(y.firstTreat), strconv.Itoa(y.regYear))
		for i := range AllTypes {
			row = append(row, strconv.Itoa(n[i]), string(appendHours(nil, mins[i])))
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func (e *Exporter) writeEvents(tx store.Tx, w io.Writer, o Options, ps *Pseudonymizer, header []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	err := e.eachYouth(tx, o, func(y *youth) error {
		var id string
		for _, r := range y.records {
			if yr := yearOf(r.Date); yr < o.FromYear || yr > o.ToYear {
				continue
			}
			if id == "" {
				id = ps.ID(y.id)
			}
			if err := cw.Write([]string{id, r.Date, string(r.Type), string(appendHours(nil, r.Minutes))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// writeCounts writes the per-area, per-year counts with cells under 5 left
// empty.
func writeCounts(w io.Writer, o Options, counts map[[2]uint64]*[3]int, header []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, a := range o.Areas {
		for y := o.FromYear; y <= o.ToYear; y++ {
			c := counts[[2]uint64{a, uint64(y)}]
			if c == nil {
				c = new([3]int)
			}
			row := []string{strconv.FormatUint(a, 10), strconv.Itoa(y)}
			for _, v := range c {
				row = append(row, Suppress(v))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// Suppress formats a count for an aggregate table: empty when under 5, so
// no cell points at fewer than five youths.
func Suppress(n int) string {
	if n < suppressBelow {
		return ""
	}
	return strconv.Itoa(n)
}

func yearOf(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(date[:4])
	return y
}

// readme is LAESMIG.txt (da) or README.txt (en): definitions and this
// export's parameters.
func readme(lang string, o Options, areas []people.Area, fingerprint string, at time.Time) string {
	var b strings.Builder
	var names []string
	for _, a := range areas {
		names = append(names, fmt.Sprintf("%d = %s (%s)", a.ID, a.Name, a.Municipality))
	}
	types := make([]string, len(o.StartTypes))
	for i, t := range o.StartTypes {
		types[i] = string(t)
	}
	when := at.In(people.Copenhagen).Format("02-01-2006 15:04")
	if lang == "da" {
		fmt.Fprintf(&b, "Fritidsjob – evalueringsudtræk\n==============================\n\nDannet: %s\nOmråder: %s\nPeriode: %d–%d\nStarttyper: %s\nNøglens fingeraftryk: %s\n\n",
			when, strings.Join(names, "; "), o.FromYear, o.ToYear, strings.Join(types, ", "), fingerprint)
		b.WriteString(`Definitioner
- id: pseudonym (HMAC-SHA256 af det interne ID med eksportnøglen). Samme nøgle (samme fingeraftryk) giver
  samme id for samme unge; efter en nøgleskift kan filerne ikke kobles.
- Programstart: datoen for den unges første deltagelse af en af starttyperne. first_treat er året (0 = aldrig).
- Sammenligningsgruppe (group = comparison): unge registreret i programmet, som aldrig har deltaget.
- has_leisure_job: 1 hvis et kendt jobforløb (fra programmet) overlapper året; job_months er antal måneder.
  Et åbent forløb regnes til eksportdagen. Udfaldet er kun de fritidsjob, programmet kender.
- age: alder ved årets udgang (år − fødselsår). Kun fødselsår udleveres.
- Tomme felter betyder manglende værdi; i counts.csv betyder tom, at tallet er under 5 (diskretion).
- Ingen navne, kontaktoplysninger, fødselsdatoer, CPR-numre eller fritekst er med.

Filer: persons.csv, panel.csv, events.csv, counts.csv, datapackage.json (Frictionless Data Package med
typer, enheder, tilladte værdier og beskrivelser på dansk og engelsk).

R (did):  att_gt(yname="has_leisure_job", tname="year", idname="id_num", gname="first_treat", data=panel)
Stata:    import delimited panel.csv, asdouble
          csdid has_leisure_job, ivar(id_num) time(year) gvar(first_treat)
fixest:   feols(has_leisure_job ~ sunab(first_treat, year) | id + year, panel)
          (aldrig startede har first_treat = 0; sæt dem til et år uden for perioden, fx 10000, for sunab)
`)
	} else {
		fmt.Fprintf(&b, "Fritidsjob – evaluation export\n==============================\n\nCreated: %s\nAreas: %s\nPeriod: %d–%d\nStart types: %s\nKey fingerprint: %s\n\n",
			when, strings.Join(names, "; "), o.FromYear, o.ToYear, strings.Join(types, ", "), fingerprint)
		b.WriteString(`Definitions
- id: pseudonym (HMAC-SHA256 of the internal ID with the export key). The same key (same fingerprint)
  gives the same id for the same youth; after a key rotation files cannot be joined.
- Programme start: the date of the youth's first participation of one of the start types. first_treat is
  its year (0 = never treated).
- Comparison pool (group = comparison): youths registered with the programme who never took part.
- has_leisure_job: 1 if a job spell known to the programme overlaps the year; job_months counts the
  months. An open spell counts until the export day. The outcome is only the jobs the programme knows of.
- age: age at year end (year − birth year). Only the birth year is released.
- Empty fields are missing values; in counts.csv an empty cell means fewer than 5 (suppressed).
- No names, contact data, birth dates, CPR numbers or free text are included.

Files: persons.csv, panel.csv, events.csv, counts.csv, datapackage.json (Frictionless Data Package with
types, units, allowed values and descriptions in Danish and English).

R (did):  att_gt(yname="has_leisure_job", tname="year", idname="id_num", gname="first_treat", data=panel)
Stata:    import delimited panel.csv, asdouble
          csdid has_leisure_job, ivar(id_num) time(year) gvar(first_treat)
fixest:   feols(has_leisure_job ~ sunab(first_treat, year) | id + year, panel)
          (never treated have first_treat = 0; recode to a year outside the period, e.g. 10000, for sunab)
`)
	}
	return b.String()
}
