package points

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"fritidsjob/people"
	"fritidsjob/store"
)

// HolidayPayPermille is feriepenge: 12.5 % of gross pay for hourly paid
// youths (ferieloven § 23), in per mille.
const HolidayPayPermille = 125

// HolidayPay is 12.5 % of grossOre, rounded half up (half away from zero for
// a negative correction) to a whole øre.
func HolidayPay(grossOre int64) int64 {
	if grossOre < 0 {
		return -HolidayPay(-grossOre)
	}
	return (grossOre*HolidayPayPermille + 500) / 1000
}

// PayrollRow is one youth's wage at one hourly rate in one month.
type PayrollRow struct {
	YouthID uint64
	// Minutes worked (net of reversed wage transfers).
	Minutes int
	// Hours is Minutes/60, for display.
	Hours float64
	// RateOre is the hourly rate in øre.
	RateOre int64
	// GrossOre is the sum of the wage transfers, each rounded to the øre
	// when it was paid (see WageOre).
	GrossOre int64
	// HolidayOre is feriepenge on GrossOre (HolidayPay).
	HolidayOre int64
	// TotalOre is GrossOre + HolidayOre.
	TotalOre int64
}

// Payroll sums area's task_wage transfers whose time falls in month of year
// in Copenhagen time: one row per youth and hourly rate, ordered by youth
// then rate. A wage transfer from a youth back to the budget (a reversal)
// subtracts its minutes and amount. Rows that net to zero are left out.
// Refuses with invalid input.
func (s *Service) Payroll(area uint64, month time.Month, year int) ([]PayrollRow, error) {
	if month < time.January || month > time.December {
		return nil, invalid("month", "range")
	}
	if year < 2000 || year > 9999 {
		return nil, invalid("year", "range")
	}
	start := time.Date(year, month, 1, 0, 0, 0, 0, people.Copenhagen)
	end := start.AddDate(0, 1, 0)
	type rk struct {
		youth uint64
		rate  int64
	}
	rows := map[rk]*PayrollRow{}
	err := s.db.View(func(tx store.Tx) error {
		clear(rows)
		return store.ScanJSON(tx, bucketTransfers, store.ID(area), func(_ []byte, t Transfer) error {
			if t.Kind != KindTaskWage || t.At.Before(start) || !t.At.Before(end) {
				return nil
			}
			sign := int64(1)
			youth, ok := t.To.YouthID()
			if !ok {
				sign = -1
				if youth, ok = t.From.YouthID(); !ok {
					return fmt.Errorf("wage transfer %d has no youth", t.ID)
				}
			}
			k := rk{youth, t.RateOre}
			r := rows[k]
			if r == nil {
				r = &PayrollRow{YouthID: youth, RateOre: t.RateOre}
				rows[k] = r
			}
			r.Minutes += int(sign) * t.Minutes
			r.GrossOre += sign * t.Amount
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("payroll of area %d for %d-%02d: %w", area, year, month, err)
	}
	out := make([]PayrollRow, 0, len(rows))
	for _, r := range rows {
		if r.Minutes == 0 && r.GrossOre == 0 {
			continue
		}
		r.Hours = float64(r.Minutes) / 60
		r.HolidayOre = HolidayPay(r.GrossOre)
		r.TotalOre = r.GrossOre + r.HolidayOre
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b PayrollRow) int {
		return cmp.Or(cmp.Compare(a.YouthID, b.YouthID), cmp.Compare(a.RateOre, b.RateOre))
	})
	return out, nil
}

// payrollCSVHeader is the header row WritePayrollCSV writes.
var payrollCSVHeader = []string{"ung_id", "navn", "timer", "sats_kr", "brutto_kr", "feriepenge_kr", "i_alt_kr"}

// PayrollCSVHeader returns the header row of WritePayrollCSV.
func PayrollCSVHeader() []string { return slices.Clone(payrollCSVHeader) }

// WritePayrollCSV writes rows for the payroll office as UTF-8 CSV that
// Danish Excel opens directly: a byte-order mark, ";" between fields, CRLF
// line ends, decimal commas and two decimals ("1,50" hours, "90,00" kr), no
// thousands separators. names gives each youth's name (nil leaves the
// column empty); a name that a spreadsheet would run as a formula is
// prefixed with an apostrophe.
//
// The CPR variant (WritePayrollCSVWithCPR) has its own access rule and
// audit entry in the UI.
func WritePayrollCSV(w io.Writer, rows []PayrollRow, names func(youthID uint64) string) error {
	return writePayroll(w, rows, names, nil)
}

// WritePayrollCSVWithCPR is WritePayrollCSV with the youth's CPR number in
// an extra column "cpr" after the name, for eIndkomst reporting by the
// payroll office.
func WritePayrollCSVWithCPR(w io.Writer, rows []PayrollRow, names, cprs func(youthID uint64) string) error {
	return writePayroll(w, rows, names, cprs)
}

func writePayroll(w io.Writer, rows []PayrollRow, names, cprs func(youthID uint64) string) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	header := payrollCSVHeader
	if cprs != nil {
		header = slices.Insert(slices.Clone(header), 2, "cpr")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(payrollCSVHeader))
	for _, r := range rows {
		name := ""
		if names != nil {
			name = safeCell(names(r.YouthID))
		}
		rec[0] = strconv.FormatUint(r.YouthID, 10)
		rec[1] = name
		rec[2] = hundredths(roundDiv(int64(r.Minutes)*100, 60))
		rec[3] = hundredths(r.RateOre)
		rec[4] = hundredths(r.GrossOre)
		rec[5] = hundredths(r.HolidayOre)
		rec[6] = hundredths(r.TotalOre)
		out := rec
		if cprs != nil {
			out = slices.Insert(slices.Clone(rec), 2, cprs(r.YouthID))
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// roundDiv is a/b rounded half away from zero, for b > 0.
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -roundDiv(-a, b)
	}
	return (a + b/2) / b
}

// hundredths formats n/100 with a decimal comma: 12345 → "123,45".
func hundredths(n int64) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-n)
	}
	return fmt.Sprintf("%s%d,%02d", sign, u/100, u%100)
}

// safeCell keeps a spreadsheet from running a cell as a formula (CSV
// injection): text starting with = + - @ or a tab or carriage return gets a
// leading apostrophe.
func safeCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
