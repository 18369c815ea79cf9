package points

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"
)

// ratRound rounds a non-negative rational half up to an integer, computed
// independently of the package's integer arithmetic.
func ratRound(r *big.Rat) int64 {
	half := new(big.Rat).Add(r, big.NewRat(1, 2))
	return new(big.Int).Quo(half.Num(), half.Denom()).Int64()
}

// krString formats øre as the CSV should show it, computed with big.Rat.
func krString(ore int64) string {
	s := new(big.Rat).SetFrac64(ore, 100).FloatString(2)
	return strings.Replace(s, ".", ",", 1)
}

func TestWageAndHolidayRounding(t *testing.T) {
	// The worked example from the brief.
	if g := WageOre(90, 6000); g != 9000 {
		t.Fatalf("90 min at 60 kr/h = %d øre", g)
	}
	if h := HolidayPay(9000); h != 1125 {
		t.Fatalf("holiday pay on 90 kr = %d øre", h)
	}
	for minutes := 1; minutes <= 600; minutes += 7 {
		for _, rate := range []int64{5999, 6000, 7325, 12345} {
			want := ratRound(new(big.Rat).SetFrac64(int64(minutes)*rate, 60))
			if got := WageOre(minutes, rate); got != want {
				t.Fatalf("WageOre(%d, %d) = %d, want %d", minutes, rate, got, want)
			}
		}
	}
	for gross := int64(0); gross < 5000; gross++ {
		want := ratRound(new(big.Rat).SetFrac64(gross*125, 1000))
		if got := HolidayPay(gross); got != want || HolidayPay(-gross) != -want {
			t.Fatalf("HolidayPay(%d) = %d, want %d", gross, got, want)
		}
	}
}

func TestPayrollAndCSV(t *testing.T) {
	s, db, _ := newTestService(t)
	const area = 4
	type work struct {
		youth   uint64
		minutes int
		rate    int64
		at      time.Time
		reverse bool
	}
	march := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	inputs := []work{
		{1, 90, 6000, march(2, 10), false},
		{1, 45, 6000, march(9, 10), false},
		{1, 30, 7500, march(9, 12), false}, // other rate: its own row
		{2, 20, 5999, march(15, 10), false},
		{2, 20, 5999, march(16, 10), false},
		{3, 60, 6000, march(17, 10), false},
		{3, 60, 6000, march(18, 10), true},                                    // reversed in full: no row
		{1, 600, 6000, time.Date(2026, 2, 28, 22, 59, 0, 0, time.UTC), false}, // 28 Feb 23:59 CET: February
		{2, 15, 5999, time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC), false},   // 1 Mar 00:00 CET: March
		{2, 600, 5999, time.Date(2026, 3, 31, 22, 0, 0, 0, time.UTC), false},  // 1 Apr 00:00 CEST: April
	}
	for i, w := range inputs {
		tr := Transfer{AreaID: area, Key: fmt.Sprintf("wage:%d", i), Currency: Ore, From: BudgetAccount,
			To: YouthAccount(w.youth), Amount: WageOre(w.minutes, w.rate), Kind: KindTaskWage,
			Minutes: w.minutes, RateOre: w.rate, At: w.at, By: 9}
		if w.reverse {
			tr.From, tr.To = tr.To, tr.From
		}
		if _, _, err := postTx(db, tr); err != nil {
			t.Fatal(err)
		}
	}
	// Points and other areas do not enter the payroll.
	award(t, db, area, 1, 500, "points")
	if _, _, err := postTx(db, Transfer{AreaID: area + 1, Key: "w", Currency: Ore, From: BudgetAccount,
		To: YouthAccount(1), Amount: 6000, Kind: KindTaskWage, Minutes: 60, RateOre: 6000, At: march(5, 10)}); err != nil {
		t.Fatal(err)
	}

	// Expected rows from the inputs.
	type key struct {
		youth uint64
		rate  int64
	}
	exp := map[key]*PayrollRow{}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	end := time.Date(2026, 4, 1, 0, 0, 0, 0, time.FixedZone("CEST", 7200))
	for _, w := range inputs {
		if w.at.Before(start) || !w.at.Before(end) {
			continue
		}
		k := key{w.youth, w.rate}
		if exp[k] == nil {
			exp[k] = &PayrollRow{YouthID: w.youth, RateOre: w.rate}
		}
		sign := 1
		if w.reverse {
			sign = -1
		}
		exp[k].Minutes += sign * w.minutes
		exp[k].GrossOre += int64(sign) * ratRound(new(big.Rat).SetFrac64(int64(w.minutes)*w.rate, 60))
	}
	var want []PayrollRow
	for _, r := range exp {
		if r.Minutes == 0 {
			continue
		}
		r.Hours = float64(r.Minutes) / 60
		r.HolidayOre = ratRound(new(big.Rat).SetFrac64(r.GrossOre*125, 1000))
		r.TotalOre = r.GrossOre + r.HolidayOre
		want = append(want, *r)
	}
	slices.SortFunc(want, func(a, b PayrollRow) int {
		if a.YouthID != b.YouthID {
			return int(a.YouthID) - int(b.YouthID)
		}
		return int(a.RateOre - b.RateOre)
	})
	got, err := s.Payroll(area, time.March, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Payroll =\n%+v\nwant\n%+v", got, want)
	}
	// Spot-check the brief's example inside the rows: youth 1 at 60 kr/h
	// worked 90 + 45 minutes = 2,25 h → 135,00 kr, feriepenge 16,875 → 16,88.
	if r := got[0]; r.YouthID != 1 || r.RateOre != 6000 || r.Minutes != 135 || r.GrossOre != 13500 || r.HolidayOre != 1688 || r.TotalOre != 15188 {
		t.Fatalf("first row %+v", r)
	}
	if len(got) != 3 {
		t.Fatalf("%d rows, want 3 (youth 1 at two rates, youth 2)", len(got))
	}
	if _, err := s.Payroll(area, 13, 2026); !errors.Is(err, ErrInvalid) {
		t.Fatalf("month 13: %v", err)
	}

	names := map[uint64]string{1: "Åse Ørsted-Jensen", 2: `=HYPERLINK("x";"y")`}
	var buf bytes.Buffer
	if err := WritePayrollCSV(&buf, got, func(id uint64) string { return names[id] }); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if !bytes.HasPrefix(raw, []byte("\ufeff")) || !bytes.Contains(raw, []byte("\r\n")) {
		t.Fatalf("CSV lacks BOM or CRLF: %q", raw)
	}
	if first := strings.SplitN(string(raw[3:]), "\r\n", 2)[0]; first != "ung_id;navn;timer;sats_kr;brutto_kr;feriepenge_kr;i_alt_kr" {
		t.Fatalf("header line %q", first)
	}
	cr := csv.NewReader(bytes.NewReader(raw[3:]))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(got)+1 || !slices.Equal(recs[0], PayrollCSVHeader()) {
		t.Fatalf("CSV records %q", recs)
	}
	for i, r := range got {
		name := names[r.YouthID]
		if strings.HasPrefix(name, "=") {
			name = "'" + name
		}
		wantRec := []string{
			fmt.Sprint(r.YouthID), name,
			strings.Replace(new(big.Rat).SetFrac64(int64(r.Minutes), 60).FloatString(2), ".", ",", 1),
			krString(r.RateOre), krString(r.GrossOre), krString(r.HolidayOre), krString(r.TotalOre),
		}
		if !slices.Equal(recs[i+1], wantRec) {
			t.Fatalf("CSV row %d = %q, want %q", i+1, recs[i+1], wantRec)
		}
	}
	if !slices.Equal(recs[1], []string{"1", "Åse Ørsted-Jensen", "2,25", "60,00", "135,00", "16,88", "151,88"}) {
		t.Fatalf("first CSV row %q", recs[1])
	}
	mustCheck(t, db)
}

func TestHundredths(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0,00"}, {5, "0,05"}, {100, "1,00"}, {123456, "1234,56"}, {-5, "-0,05"}, {-123456, "-1234,56"}} {
		if got := hundredths(c.n); got != c.want {
			t.Errorf("hundredths(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
