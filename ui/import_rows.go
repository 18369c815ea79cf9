package ui

import (
	"strconv"

	"fritidsjob/evaluation"
)

// importRow is a bad row of a refused import as the admin page shows it:
// the reason in the reader's language.
type importRow struct {
	File   string
	Line   int
	Column string
	Reason string
}

// importRows says rows in lang.
func (c catalog) importRows(lang string, rows []evaluation.RowError) []importRow {
	out := make([]importRow, len(rows))
	for i, r := range rows {
		out[i] = importRow{File: r.File, Line: r.Line, Column: r.Column, Reason: c.rowReason(lang, r)}
	}
	return out
}

// rowReason says in lang why row r was refused: the message
// "evalx.row.<Code>", a plural one when its first value is a count.
func (c catalog) rowReason(lang string, r evaluation.RowError) string {
	key := "evalx.row." + r.Code
	if n, ok := firstInt(r.Args); ok && c.has(lang, key+pluralOther) {
		return c.N(lang, key, n, r.Args[1:]...)
	}
	return c.T(lang, key, r.Args...)
}

// ImportRefusal says in lang (Danish when the UI does not speak it) why
// an import was refused, for the command line: a heading, each listed
// row indented, and, when the list is cut short, how many bad rows there
// were. The words are the admin page's, from the same catalogue.
func ImportRefusal(lang string, ie *evaluation.ImportError) ([]string, error) {
	c, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	lang = pickLang(lang)
	lines := []string{c.T(lang, "evalx.import.cli.refused")}
	for _, r := range ie.Rows {
		reason := c.rowReason(lang, r)
		if r.Column == "" {
			lines = append(lines, "  "+c.T(lang, "evalx.import.cli.row_no_column", r.File, strconv.Itoa(r.Line), reason))
		} else {
			lines = append(lines, "  "+c.T(lang, "evalx.import.cli.row", r.File, strconv.Itoa(r.Line), r.Column, reason))
		}
	}
	if ie.Total > len(ie.Rows) {
		lines = append(lines, c.N(lang, "evalx.import.cli.shown", len(ie.Rows), formatCount(lang, ie.Total)))
	}
	return lines, nil
}
