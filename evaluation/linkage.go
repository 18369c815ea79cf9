package evaluation

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"fritidsjob/store"
)

// LinkageColumns are the columns of the Statistics Denmark linkage file.
var LinkageColumns = []string{"cpr", "id", "programme_start", "area"}

// WriteLinkage prepares (checks and logs) the Statistics Denmark linkage
// file and writes it to w; see PrepareLinkage.
// Refuses with ErrOptions.
func (e *Exporter) WriteLinkage(w io.Writer, o Options, by Actor) error {
	p, err := e.PrepareLinkage(o, by)
	if err != nil {
		return err
	}
	return p.Stream(w)
}

// PrepareLinkage checks o, logs the export in the access log and returns
// the linkage file for Statistics Denmark ready to stream as CSV: CPR
// number (empty when none is recorded), pseudonymous ID, programme start
// date (empty for the comparison pool) and area, one row per youth of o's
// areas. It is for administrators only: with it, DST can attach register
// data to the evaluator files' pseudonyms. It must never reach an
// evaluator.
// Refuses with ErrOptions.
func (e *Exporter) PrepareLinkage(o Options, by Actor) (*Prepared, error) {
	o, ps, _, err := e.prepare(o, by, "dst_linkage")
	if err != nil {
		return nil, fmt.Errorf("linkage: %w", err)
	}
	return &Prepared{write: func(w io.Writer) error { return e.writeLinkage(w, o, ps) }}, nil
}

func (e *Exporter) writeLinkage(w io.Writer, o Options, ps *Pseudonymizer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(LinkageColumns); err != nil {
		return err
	}
	err := e.db.View(func(tx store.Tx) error {
		return e.eachYouth(tx, o, func(y *youth) error {
			cpr, err := e.people.CPRTx(tx, y.area, y.id)
			if err != nil {
				return err
			}
			return cw.Write([]string{cpr, ps.ID(y.id), y.start, strconv.FormatUint(y.area, 10)})
		})
	})
	if err != nil {
		return fmt.Errorf("linkage: %w", err)
	}
	cw.Flush()
	return cw.Error()
}
