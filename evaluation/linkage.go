package evaluation

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"fritidsjob/people"
	"fritidsjob/store"
)

// LinkageColumns are the columns of the Statistics Denmark linkage file.
var LinkageColumns = []string{"cpr", "id", "programme_start", "area"}

// WriteLinkage logs the export in the access log and then writes the
// linkage file for Statistics Denmark as CSV to w: CPR number (empty when
// none is recorded), pseudonymous ID, programme start date (empty for the
// comparison pool) and area, one row per youth of o's areas. It is for
// administrators only: with it, DST can attach register data to the
// evaluator files' pseudonyms. It must never reach an evaluator.
func (e *Exporter) WriteLinkage(w io.Writer, o Options, by Actor) error {
	o, err := o.normalize()
	if err != nil {
		return err
	}
	ps, err := e.keys.Current()
	if err != nil {
		return err
	}
	for _, a := range o.Areas {
		if _, err := e.people.Area(a); err != nil {
			return fmt.Errorf("linkage: %w", err)
		}
	}
	entry := people.AccessEntry{ActorID: by.ID, ActorRole: by.Role, Action: people.AccessExport,
		What: "dst_linkage", Detail: o.String() + " key=" + ps.Fingerprint()}
	if len(o.Areas) == 1 {
		entry.AreaID = o.Areas[0]
	}
	if err := e.people.LogAccess(entry); err != nil {
		return fmt.Errorf("linkage: log access: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(LinkageColumns); err != nil {
		return err
	}
	err = e.db.View(func(tx store.Tx) error {
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
