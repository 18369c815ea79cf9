package ui

import (
	"testing"
	"time"
)

func TestParseKroner(t *testing.T) {
	good := map[string]int64{"62,50": 6250, "62.5": 6250, "62": 6200, "0,05": 5, " 75 kr.": 7500, "1234567,89": 123456789}
	for in, want := range good {
		if got, err := parseKroner("rate", in); err != nil || got != want {
			t.Errorf("parseKroner(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1.234,50", "-5", "5,", ",5", "5,555", "99999999", "1e3", "٣"} {
		if _, err := parseKroner("rate", in); err == nil {
			t.Errorf("parseKroner(%q) accepted", in)
		}
	}
}

func TestParseDayTime(t *testing.T) {
	got, err := parseDayTime("start", "2026-07-01", "15:30")
	if err != nil || !got.Equal(time.Date(2026, 7, 1, 13, 30, 0, 0, time.UTC)) {
		t.Fatalf("summer time: %v, %v", got, err)
	}
	for _, c := range [][2]string{{"2026-02-30", "10:00"}, {"2026-03-29", "02:30"}, {"2026-01-01", "25:00"}, {"01-01-2026", "10:00"}, {"", ""}} {
		if _, err := parseDayTime("start", c[0], c[1]); err == nil {
			t.Errorf("parseDayTime(%q, %q) accepted", c[0], c[1])
		}
	}
}

func FuzzParseKroner(f *testing.F) {
	for _, s := range []string{"62,50", "0", "1.5", "kr.", "9999999,99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ore, err := parseKroner("x", s)
		if err == nil && (ore < 0 || ore > 999_999_999) {
			t.Fatalf("parseKroner(%q) = %d", s, ore)
		}
	})
}

func FuzzParseDayTime(f *testing.F) {
	f.Add("2026-11-27", "15:00")
	f.Fuzz(func(t *testing.T, d, c string) {
		parseDayTime("x", d, c)
	})
}

// FuzzParseID: IDs from URLs and forms are positive integers or refused.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "18446744073709551615", "18446744073709551616", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := parseID(s); ok && id == 0 {
			t.Fatalf("parseID(%q) accepted 0", s)
		}
	})
}
