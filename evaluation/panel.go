package evaluation

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// PanelRow is one youth in one calendar year: a row of panel.csv, and what
// the built-in estimator reads. YouthID is the internal ID and never
// written to a file; ID is the pseudonym.
type PanelRow struct {
	YouthID uint64
	ID      string
	// IDNum is NumericID(ID), the numeric panel ID.
	IDNum int64
	Year  int
	// FirstTreat is the year of the programme start; 0 = never treated.
	FirstTreat int
	// RelYear is Year − FirstTreat; meaningless (and written empty) when
	// FirstTreat is 0.
	RelYear int
	// Age is the age at the end of Year (Year − birth year); 0 when the
	// birth year is unknown (an erased youth).
	Age    int
	Gender people.Gender
	AreaID uint64
	// Participant is the group: true for youths with a programme start,
	// false for the comparison pool.
	Participant bool
	// Registered is set from the year the youth was registered on.
	Registered bool
	// Participated is set when the youth has a record of a start type in
	// Year; Minutes is their total time.
	Participated bool
	Minutes      int
	// HasLeisureJob is set when a job spell overlaps Year; JobMonths counts
	// the months of Year it overlaps (0–12).
	HasLeisureJob bool
	JobMonths     int
}

// Treated reports whether the youth ever started (FirstTreat != 0).
func (r PanelRow) Treated() bool { return r.FirstTreat != 0 }

// PanelColumns are panel.csv's columns, in order.
var PanelColumns = []string{"id", "id_num", "year", "first_treat", "rel_year", "age", "gender", "area", "group",
	"registered", "participated", "hours", "has_leisure_job", "job_months"}

// PanelWriter writes panel.csv. It appends each row's bytes itself rather
// than going through encoding/csv: no value can need quoting (pseudonyms
// are hex, the rest numbers and fixed codes), and it is several times
// faster.
type PanelWriter struct {
	w   *bufio.Writer
	buf []byte
}

// NewPanelWriter writes the header to w and returns the writer; call
// Flush at the end.
func NewPanelWriter(w io.Writer) (*PanelWriter, error) {
	p := &PanelWriter{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 256)}
	for i, c := range PanelColumns {
		if i > 0 {
			p.w.WriteByte(',')
		}
		p.w.WriteString(c)
	}
	if _, err := p.w.WriteString("\n"); err != nil {
		return nil, fmt.Errorf("panel header: %w", err)
	}
	return p, nil
}

// Write writes one row.
func (p *PanelWriter) Write(r PanelRow) error {
	b := append(p.buf[:0], r.ID...)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.IDNum, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Year), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.FirstTreat), 10)
	b = append(b, ',')
	if r.FirstTreat != 0 {
		b = strconv.AppendInt(b, int64(r.RelYear), 10)
	}
	b = append(b, ',')
	if r.Age > 0 {
		b = strconv.AppendInt(b, int64(r.Age), 10)
	}
	b = append(b, ',')
	b = append(b, r.Gender...)
	b = append(b, ',')
	b = strconv.AppendUint(b, r.AreaID, 10)
	b = append(b, ',')
	b = append(b, groupOf(r.Participant)...)
	b = append(b, ',')
	b = appendBool(b, r.Registered)
	b = append(b, ',')
	b = appendBool(b, r.Participated)
	b = append(b, ',')
	b = appendHours(b, r.Minutes)
	b = append(b, ',')
	b = appendBool(b, r.HasLeisureJob)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.JobMonths), 10)
	b = append(b, '\n')
	p.buf = b
	_, err := p.w.Write(b)
	return err
}

// Flush writes what is buffered.
func (p *PanelWriter) Flush() error { return p.w.Flush() }

func groupOf(participant bool) string {
	if participant {
		return "participant"
	}
	return "comparison"
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}

// appendHours writes minutes as hours with two decimals ("1.50").
func appendHours(b []byte, minutes int) []byte {
	c := (minutes*100 + 30) / 60
	b = strconv.AppendInt(b, int64(c/100), 10)
	b = append(b, '.', byte('0'+c%100/10), byte('0'+c%10))
	return b
}

// Exporter writes the evaluation files from the store.
type Exporter struct {
	db     store.DB
	people *people.Service
	spells SpellSource
	keys   *KeyStore
	now    func() time.Time
}

// Deps are what an Exporter reads from. Spells may be nil (then only
// imported job spells count); Now defaults to time.Now.
type Deps struct {
	DB     store.DB
	People *people.Service
	Spells SpellSource
	Keys   *KeyStore
	Now    func() time.Time
}

// NewExporter returns an Exporter on d.
func NewExporter(d Deps) (*Exporter, error) {
	if d.DB == nil || d.People == nil || d.Keys == nil {
		return nil, errors.New("evaluation: exporter needs a store, people and a key store")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Exporter{db: d.DB, people: d.People, spells: d.Spells, keys: d.Keys, now: d.Now}, nil
}

// Keys is the export key store, for the administrator's rotation.
func (e *Exporter) Keys() *KeyStore { return e.keys }

func (e *Exporter) today() people.Date { return people.DateOf(e.now().In(people.Copenhagen)) }

// EachPanelRow calls fn with every panel row of o, youth by youth (areas
// in ID order, youths in ID order, years ascending), in one read
// transaction, holding one youth at a time: what the UI feeds the
// estimator. Returning store.ErrStop from fn ends early without error.
// Refuses with ErrOptions.
func (e *Exporter) EachPanelRow(o Options, fn func(PanelRow) error) error {
	o, err := o.normalize()
	if err != nil {
		return err
	}
	ps, err := e.keys.Current()
	if err != nil {
		return err
	}
	err = e.db.View(func(tx store.Tx) error {
		return e.panel(tx, o, ps, fn)
	})
	if errors.Is(err, store.ErrStop) {
		return nil
	}
	return err
}

func (e *Exporter) panel(tx store.Tx, o Options, ps *Pseudonymizer, fn func(PanelRow) error) error {
	starts := typeSet(o.StartTypes)
	today := e.today()
	var idBuf []byte
	return e.eachYouth(tx, o, func(y *youth) error {
		idBuf = ps.appendID(idBuf[:0], y.id)
		id := string(idBuf)
		idNum := NumericID(id)
		for year := o.FromYear; year <= o.ToYear; year++ {
			s := y.stats(year, starts, today)
			r := PanelRow{YouthID: y.id, ID: id, IDNum: idNum, Year: year, FirstTreat: y.firstTreat, Gender: y.gender,
				AreaID: y.area, Participant: y.firstTreat != 0, Registered: year >= y.regYear,
				Participated: s.participated, Minutes: s.minutes, HasLeisureJob: s.jobMonths > 0, JobMonths: s.jobMonths}
			if r.FirstTreat != 0 {
				r.RelYear = year - r.FirstTreat
			}
			if y.birthYear != 0 {
				r.Age = year - y.birthYear
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
}
